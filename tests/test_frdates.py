from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coop.frdates import MONTHS, format_date, school_year

NB = "\u00a0"


def test_months() -> None:
    assert len(MONTHS) == 12
    assert MONTHS[0] == "janvier" and MONTHS[7] == "août" and MONTHS[11] == "décembre"
    assert all(m == m.lower() for m in MONTHS)


@pytest.mark.parametrize(("d", "expected"), [
    (date(2026, 9, 1), f"1er{NB}septembre{NB}2026"),
    (date(2026, 9, 2), f"2{NB}septembre{NB}2026"),
    (date(2027, 2, 11), f"11{NB}février{NB}2027"),
    (date(2027, 8, 31), f"31{NB}août{NB}2027"),
    (date(2026, 12, 1), f"1er{NB}décembre{NB}2026"),
])
def test_format_date(d: date, expected: str) -> None:
    assert format_date(d) == expected


@pytest.mark.parametrize(("d", "expected"), [
    (date(2026, 9, 1), "2026-2027"),
    (date(2026, 8, 31), "2025-2026"),
    (date(2027, 1, 15), "2026-2027"),
    (date(2026, 12, 31), "2026-2027"),
    (date(2027, 6, 30), "2026-2027"),
])
def test_school_year(d: date, expected: str) -> None:
    assert school_year(d) == expected


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)))
def test_format_date_shape(d: date) -> None:
    day, month, year = format_date(d).split(NB)
    assert day == ("1er" if d.day == 1 else str(d.day))
    assert MONTHS.index(month) + 1 == d.month
    assert int(year) == d.year
    assert " " not in format_date(d)


@given(st.dates(min_value=date(1000, 1, 1), max_value=date(9998, 12, 31)))
def test_school_year_properties(d: date) -> None:
    first, second = map(int, school_year(d).split("-"))
    assert second == first + 1
    assert date(first, 9, 1) <= d < date(second, 9, 1)
    # Consecutive days share a school year, except across 1 September.
    nxt = d + timedelta(days=1)
    assert (school_year(nxt) == school_year(d)) == (not (nxt.month == 9 and nxt.day == 1))
