"""Whole years, months, weeks or days between two dates, as the explanation works them out (docs/language.md, section
10): for the search for changes (moves.py) and for the words of a calculation (conditions.py), which both need it and
one of which imports the other."""

from __future__ import annotations

import calendar
import datetime

_DAYS = {"weeks": 7, "days": 1}  # units counted in days: linear, no calendar
_MONTHS = {"years": 12, "months": 1}  # units counted in months: on the calendar


def add_months(day: datetime.date, months: int) -> datetime.date | None:
    """`day` moved by whole months, on the month's last day where it is shorter; None beyond the calendar."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    if not 1 <= year <= 9999:
        return None
    return datetime.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def add_units(day: datetime.date, unit: str, n: int) -> datetime.date | None:
    """`day` moved by n years, months, weeks or days; None beyond the calendar."""
    if unit in _MONTHS:
        return add_months(day, n * _MONTHS[unit])
    try:
        return day + datetime.timedelta(days=n * _DAYS[unit])
    except OverflowError:
        return None


def whole_between(unit: str, start: datetime.date, end: datetime.date) -> int:
    """The whole years, months, weeks or days from `start` to `end` (below zero when `end` is earlier)."""
    if end < start:
        return -whole_between(unit, end, start)
    if unit in _DAYS:
        return (end - start).days // _DAYS[unit]
    step = _MONTHS[unit]
    n = ((end.year - start.year) * 12 + end.month - start.month) // step  # lands in end's month or before it

    def reached(k: int) -> bool:
        moved = add_months(start, k * step)
        return moved is not None and moved <= end

    while not reached(n) and n > 0:
        n -= 1
    return n
