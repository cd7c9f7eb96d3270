"""Deadline computations: terms, renewal chains, notice, comité de suivi, status, warnings."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from coop import deadlines as dl
from coop.convention import Convention
from coop.datemath import add_months


def coloration(debut: date = date(2026, 9, 1), cycle: int = 3, colorees: list[int] | None = None,
               renews: bool = False, statut: str = "signee", signed: date | None = date(2026, 6, 1),
               preavis: int = 6, **extra: Any) -> dict[str, Any]:
    duree: dict[str, Any] = {"debut": debut, "annees_cycle": cycle}
    if colorees is not None:
        duree["annees_colorees"] = colorees
    data: dict[str, Any] = {
        "type": "coloration", "statut": statut, "titre": "Coloration d’essai",
        "territoire": {"academie": "Nantes", "region_academique": "Pays de la Loire"},
        "formation": {"duree": duree},
        "dispositions": {"preavis_mois": preavis, "tacite_reconduction": renews},
        "signature": {"date": signed},
        "comite_suivi": {},
    }
    data.update(extra)
    return data


def fcil(debut: date = date(2026, 9, 1), fin: date = date(2027, 6, 30), statut: str = "signee",
         signed: date | None = date(2026, 6, 15), preavis: int = 3) -> dict[str, Any]:
    return {
        "type": "fcil", "statut": statut, "titre": "FCIL d’essai",
        "territoire": {"academie": "Lyon", "region_academique": "Auvergne-Rhône-Alpes"},
        "formation": {"duree": {"debut": debut, "fin": fin}},
        "dispositions": {"preavis_mois": preavis},
        "signature": {"date": signed},
        "comite_suivi": {},
    }


def conv(data: dict[str, Any], conv_id: str = "essai") -> Convention:
    return Convention(id=conv_id, path=Path(f"/r/conventions/{conv_id}.md"),
                      relpath=f"conventions/{conv_id}.md", data=data, body="")


# --- effective date -------------------------------------------------------------------

def test_effective_date_is_the_signature_date() -> None:
    assert dl.effective_date(fcil()) == date(2026, 6, 15)


def test_effective_date_can_be_a_fixed_date() -> None:
    data = fcil()
    data["dispositions"].update(prise_effet="date", date_effet=date(2026, 9, 1))
    assert dl.effective_date(data) == date(2026, 9, 1)


def test_no_effective_date_while_unsigned() -> None:
    data = fcil(statut="en_signature", signed=None)
    data["dispositions"].update(prise_effet="date", date_effet=date(2026, 9, 1))
    assert dl.effective_date(data) is None


# --- end of term ----------------------------------------------------------------------

def test_fcil_term_ends_with_the_training() -> None:
    assert dl.first_term_end(fcil(fin=date(2027, 5, 28))) == date(2027, 5, 28)
    assert list(dl.term_ends(fcil())) == [date(2027, 6, 30)]


@pytest.mark.parametrize(("debut", "cycle", "colorees", "expected"), [
    (date(2026, 9, 1), 3, [2, 3], date(2029, 8, 31)),  # last coloured year = end of cycle
    (date(2026, 9, 1), 3, None, date(2029, 8, 31)),  # whole cycle
    (date(2026, 9, 1), 3, [1], date(2027, 8, 31)),  # only the first year is coloured
    (date(2026, 9, 1), 3, [2, 1], date(2028, 8, 31)),  # order does not matter
    (date(2027, 9, 1), 2, None, date(2029, 8, 31)),  # BTS
    (date(2026, 8, 18), 1, None, date(2027, 8, 31)),  # August rentrée (La Réunion)
    (date(2027, 1, 4), 1, None, date(2027, 8, 31)),  # starts mid school year 2026-2027
])
def test_coloration_term_ends_on_31_august(debut: date, cycle: int, colorees: list[int] | None,
                                           expected: date) -> None:
    assert dl.first_term_end(coloration(debut=debut, cycle=cycle, colorees=colorees)) == expected


def test_renewal_chain_over_several_cycles() -> None:
    data = coloration(debut=date(2020, 9, 1), cycle=3, renews=True)
    ends = [e for _, e in zip(range(4), dl.term_ends(data), strict=False)]
    assert ends == [date(2023, 8, 31), date(2026, 8, 31), date(2029, 8, 31), date(2032, 8, 31)]
    assert dl.term_end(data, date(2023, 8, 31)) == date(2023, 8, 31)  # last day still in term
    assert dl.term_end(data, date(2023, 9, 1)) == date(2026, 8, 31)
    assert dl.term_end(data, date(2031, 1, 1)) == date(2032, 8, 31)
    assert dl.final_end(data) is None


def test_renewal_of_a_partly_coloured_cycle_is_a_whole_cycle() -> None:
    data = coloration(debut=date(2024, 9, 1), cycle=3, colorees=[1, 2], renews=True)
    ends = [e for _, e in zip(range(3), dl.term_ends(data), strict=False)]
    assert ends == [date(2026, 8, 31), date(2029, 8, 31), date(2032, 8, 31)]


def test_without_renewal_the_term_end_stays_the_last_one() -> None:
    data = coloration(debut=date(2020, 9, 1), cycle=2)
    assert dl.term_end(data, date(2030, 1, 1)) == date(2022, 8, 31)
    assert list(dl.term_ends(data)) == [date(2022, 8, 31)]


def test_tacit_renewal_is_ignored_for_an_fcil() -> None:
    data = fcil()
    data["dispositions"]["tacite_reconduction"] = True
    assert not dl.renews(data)
    assert list(dl.term_ends(data)) == [date(2027, 6, 30)]


# --- notice deadline ------------------------------------------------------------------

@pytest.mark.parametrize(("end", "months", "expected"), [
    (date(2027, 5, 31), 3, date(2027, 2, 28)),
    (date(2028, 5, 31), 3, date(2028, 2, 29)),  # leap year
    (date(2100, 5, 31), 3, date(2100, 2, 28)),  # not a leap year (century)
    (date(2000, 5, 31), 3, date(2000, 2, 29)),  # leap year (400)
    (date(2029, 8, 31), 6, date(2029, 2, 28)),
    (date(2028, 8, 31), 6, date(2028, 2, 29)),
    (date(2027, 8, 31), 2, date(2027, 6, 30)),  # 30-day month
    (date(2027, 8, 31), 1, date(2027, 7, 31)),
    (date(2027, 8, 31), 12, date(2026, 8, 31)),
    (date(2027, 3, 15), 3, date(2026, 12, 15)),  # across a year
    (date(2029, 8, 31), 24, date(2027, 8, 31)),
])
def test_notice_deadline_calendar_months(end: date, months: int, expected: date) -> None:
    assert dl.notice_deadline(end, months) == expected


def test_notice_deadlines_follow_the_renewal_chain() -> None:
    data = coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6)
    got = [n for _, n in zip(range(3), dl.notice_deadlines(data), strict=False)]
    assert got == [(date(2026, 2, 28), date(2026, 8, 31)), (date(2028, 2, 29), date(2028, 8, 31)),
                   (date(2030, 2, 28), date(2030, 8, 31))]


def test_notice_only_for_tacit_renewal() -> None:
    assert list(dl.notice_deadlines(fcil())) == []
    assert list(dl.notice_deadlines(coloration())) == []


def test_schedule_notice_moves_to_next_cycle_once_passed() -> None:
    data = coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6,
                      signed=date(2024, 6, 1))
    before = dl.schedule(data, date(2026, 2, 28))
    assert (before.notice_deadline, before.notice_term_end) == (date(2026, 2, 28),
                                                                date(2026, 8, 31))
    after = dl.schedule(data, date(2026, 3, 1))
    assert after.term_end == date(2026, 8, 31)
    assert (after.notice_deadline, after.notice_term_end) == (date(2028, 2, 29),
                                                              date(2028, 8, 31))


def test_schedule_no_notice_when_not_in_force() -> None:
    data = coloration(renews=True, statut="en_signature", signed=None)
    s = dl.schedule(data, date(2026, 1, 1))
    assert s.notice_deadline is None and s.effective_date is None
    assert s.term_end == date(2029, 8, 31)  # the planned end is still known


# --- comité de suivi ------------------------------------------------------------------

def test_comite_one_year_after_effective_date() -> None:
    data = coloration(signed=date(2026, 6, 1))
    assert dl.next_comite(data) == date(2027, 6, 1)
    assert list(dl.comite_dates(data)) == [date(2027, 6, 1), date(2028, 6, 1), date(2029, 6, 1)]


def test_comite_one_year_after_last_meeting_anchored_on_leap_day() -> None:
    data = coloration(renews=True, comite_suivi={"derniere_reunion": date(2028, 2, 29)})
    got = [d for _, d in zip(range(5), dl.comite_dates(data), strict=False)]
    assert got == [date(2029, 2, 28), date(2030, 2, 28), date(2031, 2, 28), date(2032, 2, 29),
                   date(2033, 2, 28)]


def test_short_convention_meets_its_comite_by_the_last_day() -> None:
    assert list(dl.comite_dates(fcil())) == [date(2027, 6, 15)]  # a year after signing
    assert list(dl.comite_dates(fcil(fin=date(2027, 5, 28)))) == [date(2027, 5, 28)]
    data = fcil(fin=date(2027, 5, 28))
    data["comite_suivi"]["derniere_reunion"] = date(2027, 1, 20)
    assert list(dl.comite_dates(data)) == []  # met already; next one after the end


def test_no_comite_while_unsigned() -> None:
    assert dl.next_comite(fcil(statut="brouillon", signed=None)) is None


def test_comite_overdue() -> None:
    data = coloration(signed=date(2026, 6, 1))
    assert not dl.schedule(data, date(2027, 6, 1)).comite_overdue
    assert dl.schedule(data, date(2027, 6, 2)).comite_overdue


# --- effective status -------------------------------------------------------------------

TODAY = date(2030, 1, 1)


@pytest.mark.parametrize(("data", "expected"), [
    (fcil(statut="brouillon", signed=None), "brouillon"),
    (fcil(statut="en_signature", signed=None), "en_signature"),
    (fcil(fin=date(2029, 12, 31)), "expiree"),
    (fcil(debut=date(2029, 9, 1), fin=date(2030, 1, 1)), "signee"),  # last day still runs
    (fcil(statut="resiliee"), "resiliee"),
    (fcil(statut="expiree"), "expiree"),
    (coloration(debut=date(2026, 9, 1), cycle=3), "expiree"),  # ended 2029-08-31
    (coloration(debut=date(2026, 9, 1), cycle=3, renews=True), "signee"),
    (coloration(debut=date(2027, 9, 1), cycle=3), "signee"),  # ends 2030-08-31
    (coloration(statut="resiliee", renews=True), "resiliee"),
    (coloration(statut="brouillon", signed=None, debut=date(2020, 9, 1)), "brouillon"),
])
def test_effective_status_table(data: dict[str, Any], expected: str) -> None:
    assert dl.effective_status(data, TODAY) == expected
    assert dl.schedule(data, TODAY).status == expected


# --- events ---------------------------------------------------------------------------

def test_events_of_a_renewed_coloration_across_years() -> None:
    c = conv(coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6,
                        signed=date(2024, 6, 1)))
    got = [(e.date, e.kind, e.index) for e in
           dl.convention_events(c, date(2026, 1, 1), date(2028, 9, 1))]
    assert got == [
        (date(2026, 2, 28), "preavis", 0),
        (date(2026, 6, 1), "comite_suivi", 2026),
        (date(2026, 8, 31), "fin_de_terme", 0),
        (date(2027, 6, 1), "comite_suivi", 2027),
        (date(2028, 2, 29), "preavis", 1),
        (date(2028, 6, 1), "comite_suivi", 2028),
        (date(2028, 8, 31), "fin_de_terme", 1),
    ]


def test_window_start_included_end_excluded() -> None:
    c = conv(fcil(fin=date(2027, 5, 28)))
    got = dl.convention_events(c, date(2027, 5, 28), date(2027, 5, 29))
    assert [(e.date, e.kind) for e in got] == [(date(2027, 5, 28), "comite_suivi"),
                                               (date(2027, 5, 28), "fin_de_terme")]
    assert dl.convention_events(c, date(2027, 5, 1), date(2027, 5, 28)) == []


def test_no_events_unless_in_force() -> None:
    window = (date(2026, 1, 1), date(2031, 1, 1))
    for data in (fcil(statut="brouillon", signed=None), fcil(statut="resiliee"),
                 coloration(statut="en_signature", signed=None, renews=True)):
        assert dl.convention_events(conv(data), *window) == []
    assert dl.convention_events(conv(fcil()), date(2027, 7, 1), date(2030, 1, 1)) == []


def test_upcoming_is_sorted_and_labelled() -> None:
    a = conv(fcil(fin=date(2027, 5, 31)), "a")
    b = conv(coloration(debut=date(2024, 9, 1), cycle=3, renews=True, preavis=3), "b")
    got = dl.upcoming([b, a], date(2027, 1, 1))
    assert [e.date for e in got] == sorted(e.date for e in got)
    assert {(e.convention_id, e.label) for e in got} == {
        ("a", "Fin de la convention"), ("a", "Comité de suivi"),
        ("b", "Date limite de préavis"), ("b", "Fin de cycle (reconduction tacite)"),
        ("b", "Comité de suivi")}
    assert all(date(2027, 1, 1) <= e.date < add_months(date(2027, 1, 1), 12) for e in got)


# --- today --------------------------------------------------------------------------

def test_resolve_today() -> None:
    assert dl.resolve_today("2026-09-01", {}) == date(2026, 9, 1)
    assert dl.resolve_today(None, {"COOP_AUJOURDHUI": "2027-02-28"}) == date(2027, 2, 28)
    assert dl.resolve_today("2026-09-01", {"COOP_AUJOURDHUI": "2027-02-28"}) == date(2026, 9, 1)
    assert dl.resolve_today(None, {}) == date.today()
    with pytest.raises(ValueError, match="COOP_AUJOURDHUI : date invalide « 2027-02-30 »"):
        dl.resolve_today(None, {"COOP_AUJOURDHUI": "2027-02-30"})


# --- warnings -------------------------------------------------------------------------

def messages(data: dict[str, Any], today: date) -> list[tuple[str, str]]:
    return [(".".join(map(str, f)), m) for f, m in dl.warnings(data, today)]


def test_no_warning_far_from_deadlines() -> None:
    assert dl.warnings(fcil(), date(2026, 10, 1)) == []


def test_warning_term_ends_within_90_days() -> None:
    data = fcil()
    assert dl.warnings(data, date(2027, 3, 31)) == []  # 91 days
    assert messages(data, date(2027, 4, 1)) == [("formation.duree.fin", (
        "la convention arrive à son terme le 30\u00a0juin\u00a02027 (dans 90 jours) : "
        "préparez son renouvellement ou sa clôture"))]


def test_warning_notice_deadline_within_60_days() -> None:
    data = coloration(debut=date(2024, 9, 1), cycle=2, renews=True, preavis=6,
                      signed=date(2024, 6, 1),
                      comite_suivi={"derniere_reunion": date(2025, 12, 1)})
    assert dl.warnings(data, date(2025, 12, 29)) == []  # 61 days
    assert messages(data, date(2025, 12, 30)) == [("dispositions.preavis_mois", (
        "dernier jour pour résilier avant la reconduction tacite du 31\u00a0août\u00a02026 : "
        "envoyer la lettre recommandée au plus tard le 28\u00a0février\u00a02026 "
        "(dans 60 jours)"))]
    renewal = messages(data, date(2026, 8, 30))
    assert renewal == [("formation.duree.annees_cycle", (
        "le cycle en cours se termine le 31\u00a0août\u00a02026 (demain) : la convention "
        "sera reconduite tacitement pour un nouveau cycle"))]


def test_warning_comite_overdue() -> None:
    data = coloration(signed=date(2026, 6, 1))
    assert messages(data, date(2027, 6, 2)) == [("comite_suivi", (
        "comité de suivi en retard : attendu au plus tard le 1er\u00a0juin\u00a02027 (un an "
        "après la prise d’effet du 1er\u00a0juin\u00a02026) ; une fois réuni, indiquez la date "
        "dans « comite_suivi.derniere_reunion »"))]
    data["comite_suivi"]["derniere_reunion"] = date(2027, 5, 10)
    assert dl.warnings(data, date(2027, 6, 2)) == []
    assert messages(data, date(2028, 5, 11))[0][0] == "comite_suivi.derniere_reunion"


def test_warning_status_inconsistent_with_dates() -> None:
    assert messages(fcil(), date(2027, 7, 1)) == [("statut", (
        "la convention est arrivée à son terme le 30\u00a0juin\u00a02027, sans reconduction "
        "tacite : elle est affichée comme expirée ; passez son statut à « expiree »"))]
    assert messages(fcil(statut="expiree"), date(2027, 6, 1)) == [("statut", (
        "statut « expiree » alors que la convention court jusqu’au 30\u00a0juin\u00a02027"))]
    assert messages(fcil(statut="en_signature", signed=None), date(2026, 9, 1)) == [("statut", (
        "la formation a commencé le 1er\u00a0septembre\u00a02026 mais la convention n’est pas "
        "signée (statut « en_signature »)"))]
    assert dl.warnings(fcil(statut="resiliee"), date(2027, 6, 1)) == []
    assert dl.warnings(fcil(statut="expiree"), date(2027, 7, 1)) == []
