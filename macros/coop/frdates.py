"""French dates: « 1er septembre 2026 », « Septembre 2026 », school years « 2026-2027 »."""

from __future__ import annotations

from datetime import date

NBSP = "\u00a0"

MONTHS: tuple[str, ...] = (
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
)


def format_date(d: date) -> str:
    """« 1er septembre 2026 » (ordinal for the 1st only), no-break spaces inside."""
    day = "1er" if d.day == 1 else str(d.day)
    return f"{day}{NBSP}{MONTHS[d.month - 1]}{NBSP}{d.year}"


def month_title(year: int, month: int) -> str:
    """« Septembre 2026 »: a month as a heading."""
    return f"{MONTHS[month - 1].capitalize()} {year}"


def school_year(d: date) -> str:
    """The school year containing `d` (a year starts on 1 September): « 2026-2027 »."""
    start = d.year if d.month >= 9 else d.year - 1
    return f"{start}-{start + 1}"
