"""Calendar arithmetic as z3 terms: a date is its proleptic Gregorian ordinal (datetime.date.toordinal()).

Adding months needs the calendar: day number -> (year, month, day) by the civil-from-days formulas (integer division
by constants only, so the solver stays in linear integer arithmetic), add the months, clamp the day to the length of
the target month (leap years included), and convert back. The formulas are H. Hinnant's `civil_from_days` and
`days_from_civil`, shifted from 1970-01-01 to the ordinal's epoch.
"""

from __future__ import annotations

import datetime
from typing import Any

import z3

Z3 = Any  # z3 ships no type information; every solver term is typed as this

_EPOCH_SHIFT = datetime.date(1970, 1, 1).toordinal()  # ordinal of 1970-01-01, day 0 of the formulas
FIRST_DAY = datetime.date.min.toordinal()
LAST_DAY = datetime.date.max.toordinal()


def civil_from_ordinal(ordinal: Z3) -> tuple[Z3, Z3, Z3]:
    """(year, month 1..12, day 1..31) of a day number."""
    z = ordinal - _EPOCH_SHIFT + 719468
    era = z / 146097  # z3 integer division by a positive constant is floor division
    doe = z - era * 146097
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    mp = (5 * doy + 2) / 153
    day = doy - (153 * mp + 2) / 5 + 1
    month = z3.If(mp < 10, mp + 3, mp - 9)
    year = yoe + era * 400 + z3.If(month <= 2, 1, 0)
    return year, month, day


def ordinal_from_civil(year: Z3, month: Z3, day: Z3) -> Z3:
    y = year - z3.If(month <= 2, 1, 0)
    era = y / 400
    yoe = y - era * 400
    doy = (153 * z3.If(month > 2, month - 3, month + 9) + 2) / 5 + day - 1
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468 + _EPOCH_SHIFT


def days_in_month(year: Z3, month: Z3) -> Z3:
    leap = z3.Or(z3.And(year % 4 == 0, year % 100 != 0), year % 400 == 0)
    february = z3.If(leap, 29, 28)
    long_months = z3.Or(*(month == m for m in (1, 3, 5, 7, 8, 10, 12)))
    return z3.If(month == 2, february, z3.If(long_months, 31, 30))


def add_months(ordinal: Z3, months: Z3) -> Z3:
    """The same day `months` later (or earlier), on the month's last day when the month is shorter."""
    year, month, day = civil_from_ordinal(ordinal)
    index = year * 12 + (month - 1) + months
    new_year = index / 12
    new_month = index % 12 + 1
    length = days_in_month(new_year, new_month)
    return ordinal_from_civil(new_year, new_month, z3.If(day > length, length, day))


def add_duration(ordinal: Z3, months: Z3, days: Z3, sign: int) -> tuple[Z3, Z3]:
    """date + duration (sign 1) or date - duration (sign -1): the months first, on the calendar, then the days.

    Returns the result and whether every date on the way is one Python can hold (years 1 to 9999)."""
    moved = add_months(ordinal, sign * months)
    result = moved + sign * days
    return result, z3.And(*(z3.And(x >= FIRST_DAY, x <= LAST_DAY) for x in (moved, result)))


def whole_between(unit: str, start: Z3, end: Z3) -> Z3:
    """As the runtime's whole_between: the most n whole years, months, weeks or days with `start` plus n of them on
    or before `end`, below zero when `end` is earlier. Days and weeks are linear in the day numbers: no calendar."""
    if unit == "days":
        return end - start

    def forward(first: Z3, last: Z3) -> Z3:
        if unit == "weeks":
            return (last - first) / 7  # not below zero here: floor is what is wanted
        first_year, first_month, _ = civil_from_ordinal(first)
        last_year, last_month, _ = civil_from_ordinal(last)
        months = (last_year - first_year) * 12 + last_month - first_month
        months = z3.If(add_months(first, months) > last, months - 1, months)
        return months / 12 if unit == "years" else months  # not below zero here: floor is what is wanted

    return z3.If(end >= start, forward(start, end), -forward(end, start))
