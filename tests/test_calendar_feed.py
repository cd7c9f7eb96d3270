"""The `.ics` feeds, parsed back with icalendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import icalendar
from test_deadlines import coloration, conv, fcil

from conftest import ROOT
from coop.catalog import load_catalog
from coop.deadlines import events
from coop.site import feeds as feed


def vevents(ics: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(ics).walk("VEVENT"))


CONVENTIONS = [
    conv(fcil(fin=date(2027, 5, 28)), "fcil-a"),
    conv(coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6,
                    signed=date(2024, 6, 1)), "coloration-b"),
    conv(fcil(statut="brouillon", signed=None), "brouillon-c"),
]


def test_one_vevent_per_deadline() -> None:
    today = date(2026, 11, 29)
    ics = feed.catalog_calendar(CONVENTIONS, today, site_url="https://exemple.fr/catalogue/")
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["X-WR-CALNAME"]) == "Échéances des conventions de coopération"
    assert str(cal["VERSION"]) == "2.0"
    expected = events(CONVENTIONS, date(2025, 11, 29), date(2029, 11, 29))
    got = vevents(ics)
    assert len(got) == len(expected) > 0
    assert {str(v["UID"]) for v in got} == {feed.event_uid(e) for e in expected}
    assert not any("brouillon-c" in str(v["UID"]) for v in got)  # unsigned: no deadline
    assert ics.count(b"\r\nDTSTART;VALUE=DATE:") == len(got)
    for vevent, event in zip(got, expected, strict=True):
        start = vevent.decoded("DTSTART")
        assert type(start) is date and not isinstance(start, datetime)  # all-day
        assert start == event.date
        assert vevent.decoded("DTEND") == event.date + timedelta(days=1)
        assert str(vevent["URL"]) == (
            f"https://exemple.fr/catalogue/conventions/{event.convention_id}/")


def test_french_summaries_and_descriptions() -> None:
    got = vevents(feed.catalog_calendar(CONVENTIONS, date(2026, 11, 29)))
    by_uid = {str(v["UID"]): v for v in got}
    notice = by_uid["coloration-b.preavis.1@conventions-cooperation"]
    assert notice.decoded("DTSTART") == date(2028, 2, 29)
    assert str(notice["SUMMARY"]) == "Date limite de préavis\u00a0: Coloration d’essai"
    assert "préavis de 6 mois" in str(notice["DESCRIPTION"])
    assert "31\u00a0août\u00a02028" in str(notice["DESCRIPTION"])
    end = by_uid["fcil-a.fin_de_terme.0@conventions-cooperation"]
    assert str(end["SUMMARY"]) == "Fin de la convention\u00a0: FCIL d’essai"
    renewal = by_uid["coloration-b.fin_de_terme.1@conventions-cooperation"]
    assert str(renewal["SUMMARY"]).startswith("Fin de cycle (reconduction tacite)")
    comite = by_uid["fcil-a.comite_suivi.2027@conventions-cooperation"]
    assert str(comite["SUMMARY"]) == "Comité de suivi\u00a0: FCIL d’essai"
    assert "Académie\u00a0: Lyon" in str(comite["DESCRIPTION"])


def test_uids_stable_across_builds() -> None:
    first = {str(v["UID"]): v.decoded("DTSTART")
             for v in vevents(feed.catalog_calendar(CONVENTIONS, date(2026, 11, 29)))}
    later = {str(v["UID"]): v.decoded("DTSTART")
             for v in vevents(feed.catalog_calendar(CONVENTIONS, date(2027, 3, 1)))}
    common = first.keys() & later.keys()
    assert len(common) >= 5
    assert all(first[uid] == later[uid] for uid in common)
    # same sources, same day: byte-identical
    assert feed.catalog_calendar(CONVENTIONS, date(2026, 11, 29)) == feed.catalog_calendar(
        CONVENTIONS, date(2026, 11, 29))


def test_uid_survives_an_edited_date() -> None:
    before = vevents(feed.convention_calendar(conv(fcil(fin=date(2027, 6, 30)), "x"),
                                              date(2026, 11, 29)))
    after = vevents(feed.convention_calendar(conv(fcil(fin=date(2027, 6, 25)), "x"),
                                             date(2026, 11, 29)))
    end_before = [v for v in before if "fin_de_terme" in str(v["UID"])]
    end_after = [v for v in after if "fin_de_terme" in str(v["UID"])]
    assert [str(v["UID"]) for v in end_before] == [str(v["UID"]) for v in end_after]
    assert end_after[0].decoded("DTSTART") == date(2027, 6, 25)


def test_one_calendar_per_convention_on_the_samples() -> None:
    catalog = load_catalog(ROOT)
    lyon = catalog.get("lyon-fcil-maintenance-aeronautique")
    assert lyon is not None
    ics = feed.convention_calendar(lyon, date(2026, 11, 29))
    cal = icalendar.Calendar.from_ical(ics)
    assert str(cal["X-WR-CALNAME"]) == (
        "Échéances – FCIL Maintenance des hélicoptères – lycée Jean-Mermoz")
    assert [(str(v["UID"]), v.decoded("DTSTART")) for v in cal.walk("VEVENT")] == [
        ("lyon-fcil-maintenance-aeronautique.fin_de_terme.0@conventions-cooperation",
         date(2027, 6, 30))]
    draft = catalog.get("bts-mhr-gastronomie-durable")
    assert draft is not None
    assert vevents(feed.convention_calendar(draft, date(2026, 11, 29))) == []


def test_each_event_serialised_once_gives_icalendars_own_bytes() -> None:
    """`calendar` joins events serialised once each (shared by the feeds): the bytes are
    those of icalendar writing the whole calendar."""
    today = date(2026, 11, 29)
    for site_url in ("", "https://exemple.fr/catalogue/"):
        got = feed.catalog_calendar(CONVENTIONS, today, site_url=site_url)
        cal = icalendar.Calendar()
        for key, value in (("prodid", feed.PRODID), ("version", "2.0"),
                           ("calscale", "GREGORIAN"), ("method", "PUBLISH"),
                           ("x-wr-calname", feed.CALENDAR_NAME)):
            cal.add(key, value)
        stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
        start, end = feed._window(today)
        for event in events(CONVENTIONS, start, end):
            cal.add_component(feed._vevent(event, stamp, site_url))
        assert b"BEGIN:VALARM" in got and got == bytes(cal.to_ical())
