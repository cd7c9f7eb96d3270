"""Calendar arithmetic on dates (months have different lengths)."""

from __future__ import annotations

import calendar
from datetime import date


def add_months(d: date, months: int) -> date:
    """Same day `months` later (or earlier); clamped to the month's last day:
    31 May - 3 months = 28 February (29 in a leap year)."""
    index = d.year * 12 + d.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(d.day, last))


def months_and_days(start: date, end_exclusive: date) -> tuple[int, int]:
    """Whole calendar months from `start` to `end_exclusive`, then the remaining days."""
    months = (end_exclusive.year - start.year) * 12 + end_exclusive.month - start.month
    while months > 0 and add_months(start, months) > end_exclusive:
        months -= 1
    return months, (end_exclusive - add_months(start, months)).days
