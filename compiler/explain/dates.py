"""A date moved by whole years, months, weeks or days, as the search for changes (moves.py) needs it: on the
calendar of compiler/values.py, the one the generated module decides by (`add_to_date`; conditions.py and moves.py
count whole units with its `whole_between`), so that an explanation never counts a boundary otherwise than the
decision it explains."""

from __future__ import annotations

import datetime

from compiler.values import CalendarError, Duration, add_to_date

_DAYS = {"weeks": 7, "days": 1}  # units counted in days: linear, no calendar
_MONTHS = {"years": 12, "months": 1}  # units counted in months: on the calendar


def add_units(day: datetime.date, unit: str, n: int) -> datetime.date | None:
    """`day` moved by n years, months, weeks or days; None beyond the calendar."""
    months, days = (n * _MONTHS[unit], 0) if unit in _MONTHS else (0, n * _DAYS[unit])
    try:
        return add_to_date(day, Duration(months, days))
    except CalendarError:
        return None
