"""RFC 5545 calendar feeds of the deadlines (`.ics`), through the `icalendar` package.

One all-day VEVENT per deadline, French summaries, and UIDs that do not depend on the
build: `<convention id>.<kind>.<term number or comité year>@conventions-cooperation`,
so a subscribed calendar updates an event (even when its date is edited) instead of
duplicating it. DTSTAMP is the reference day at midnight UTC: the same sources on the
same day give byte-identical files.

Each event links back to its convention's page (`URL`, absolute when the site's address is
known) and a notice deadline or a comité date carries a reminder (`VALARM`, DISPLAY,
`REMINDER_DAYS` before). Besides the national feed and one per convention, one feed per
académie (`academy_calendars`: `echeances-<académie>.ics`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

import icalendar

from coop.convention import Convention
from coop.datemath import add_months
from coop.deadlines import COMITE_SUIVI, PREAVIS, Event, convention_events, events
from coop.slug import slug

PRODID = "-//Catalogue des conventions de coopération//Échéances//FR"
UID_DOMAIN = "conventions-cooperation"
CALENDAR_NAME = "Échéances des conventions de coopération"
MONTHS_BEFORE = 12  # a feed keeps the past year, so recent events do not vanish at once
MONTHS_AFTER = 36
NBSP = "\u00a0"
REMINDER_DAYS = 14  # before a notice deadline or a comité date
REMINDED = frozenset({PREAVIS, COMITE_SUIVI})


def academy_feed_uri(academie: str) -> str:
    """« echeances-aix-marseille.ics »: the feed of one académie, at the site's root."""
    return f"echeances-{slug(academie)}.ics"


def event_uid(event: Event) -> str:
    return (f"{event.convention_id}.{event.kind}.{event.index}@{UID_DOMAIN}")


def convention_url(site_url: str, conv_id: str) -> str:
    """Absolute address of a convention page, or "" without `site_url`."""
    return f"{site_url.rstrip('/')}/conventions/{conv_id}/" if site_url else ""


def summary(event: Event) -> str:
    return f"{event.label}{NBSP}: {event.title}"


def _vevent(event: Event, stamp: datetime, site_url: str) -> icalendar.Event:
    vevent = icalendar.Event()
    vevent.add("uid", event_uid(event))
    vevent.add("dtstamp", stamp)
    vevent.add("dtstart", event.date)
    vevent.add("dtend", event.date + timedelta(days=1))
    vevent.add("summary", summary(event))
    url = convention_url(site_url, event.convention_id)
    lines = [event.detail(), f"Convention{NBSP}: {event.title} ({event.convention_id})",
             f"Académie{NBSP}: {event.academie}"]
    if url:
        lines.append(url)
        vevent.add("url", url)
    vevent.add("description", "\n".join(lines))
    vevent.add("categories", [event.label])
    vevent.add("transp", "TRANSPARENT")
    if event.kind in REMINDED:
        vevent.add_component(_alarm(event))
    return vevent


def _alarm(event: Event) -> icalendar.Alarm:
    alarm = icalendar.Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("trigger", timedelta(days=-REMINDER_DAYS))
    alarm.add("description", f"Dans {REMINDER_DAYS}{NBSP}jours{NBSP}: {summary(event)}")
    return alarm


def calendar(evts: Iterable[Event], today: date, *, name: str = CALENDAR_NAME,
             site_url: str = "") -> bytes:
    """The `.ics` bytes of `evts` (one VEVENT each, all-day, DTSTART as a DATE value)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    head = bytes(cal.to_ical())
    assert head.endswith(_END), head  # icalendar writes the subcomponents just before
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    return b"".join([head[:-len(_END)], *(_vevent_bytes(e, stamp, site_url) for e in evts),
                     _END])


_END = b"END:VCALENDAR\r\n"


@lru_cache(maxsize=65536)
def _vevent_bytes(event: Event, stamp: datetime, site_url: str) -> bytes:
    """One event's lines, serialised once: an event is in its convention's feed, its
    académie's and the national one."""
    return bytes(_vevent(event, stamp, site_url).to_ical())


def _window(today: date) -> tuple[date, date]:
    return add_months(today, -MONTHS_BEFORE), add_months(today, MONTHS_AFTER)


def catalog_calendar(conventions: Iterable[Convention], today: date, *,
                     site_url: str = "") -> bytes:
    """Site-wide feed: every deadline of the past 12 and the next 36 months."""
    start, end = _window(today)
    return calendar(events(conventions, start, end), today, site_url=site_url)


def academy_calendars(conventions: Iterable[Convention], today: date, *,
                      site_url: str = "") -> dict[str, bytes]:
    """Feed file name -> feed, one per académie that has a convention in `conventions`
    (same window and UIDs as the national feed). Linear: one pass to group."""
    by_academy: dict[str, list[Convention]] = {}
    for conv in conventions:
        by_academy.setdefault(conv.academie, []).append(conv)
    start, end = _window(today)
    return {academy_feed_uri(a): calendar(events(convs, start, end), today,
                                          name=f"{CALENDAR_NAME} – académie {a}",
                                          site_url=site_url)
            for a, convs in sorted(by_academy.items())}


def convention_calendar(conv: Convention, today: date, *, site_url: str = "") -> bytes:
    """One convention's feed (same window and UIDs as the site-wide one)."""
    start, end = _window(today)
    return calendar(convention_events(conv, start, end), today,
                    name=f"Échéances – {conv.titre}", site_url=site_url)
