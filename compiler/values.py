"""Values as the law counts them and the one text form of each: durations ("2 years 6 months") with their calendar
(a date moved by a duration, the whole years, months, weeks or days between two dates), numbers as written ("0.75",
"1/3"), with places ("12.50") or approximated ("≈ 9.9999e+7999"), money and percentages.

The compiler (the checked model, examples, explanations, reports, diffs, registers) and every generated module
write values alike because they run this same code: the Python backend copies the part of this file between its two
`runtime:` marker lines into every generated module, before the runtime's own (backends/python/runtime.py), so it may
use only the standard library imports above the markers (the generated module's header repeats them). This module
therefore imports nothing of the compiler: it sits below the checked model. Every name it defines is reserved: a
statute's names never take one (backends/python/naming.MODULE_NAMES). The reference interpreter (compiler/interpret/)
does its own arithmetic and writes its own text: it is the oracle this code is tested against.

Explanations write the same values in the reader's language (explain/format.py) from the parts given here
(`duration_parts`, `decimal_parts`, `grouped`). Arithmetic is exact: whole numbers are `int`, other numbers and
money `Fraction`, never `float`.

This module is over 400 lines (about 460): the duration value, the calendar it moves dates on and the text forms are
one unit, copied together into every generated module (all but the few forms below the end marker, which only the
compiler writes).
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import reprlib
import sys
from fractions import Fraction
from typing import Final, overload

# --- runtime: begin ---

Number = int | Fraction
# The most digits a number in a case may have: no fact is larger, and Python will not print an int of over 4300.
MAX_DIGITS: Final = 40

# ------------------------------------------------------------------ durations


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Duration:
    """A length of time as the law counts it: whole months (a year is 12) and days.

    Every Duration the runtime makes is in the normal form (`normal_duration`): months and days never of opposite
    signs, so "1 year 8 months minus 15 days" is held, shown and added to a date as "1 year 7 months 15 days".
    Durations are equal and ordered by their total days, a month counting as 30 days: "1 year" == "360 days" and
    "1 month" < "31 days" (the checker asks the drafter to say so where months meet days). Added to a date, months are
    calendar months first, then days (see `add_to_date`). While a computation is under way days may be a Fraction
    ("a third of 10 days"); the checker makes the drafter round such a result, and a duration added to a date or
    shown to a person must have whole days.
    """

    months: int = 0
    days: Number = 0

    @property
    def total_days(self) -> Number:
        return self.months * 30 + self.days

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Duration):
            return self.total_days == other.total_days
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.total_days)

    def __lt__(self, other: Duration) -> bool:
        return self.total_days < other.total_days

    def __le__(self, other: Duration) -> bool:
        return self.total_days <= other.total_days

    def __gt__(self, other: Duration) -> bool:
        return self.total_days > other.total_days

    def __ge__(self, other: Duration) -> bool:
        return self.total_days >= other.total_days

    def __add__(self, other: Duration) -> Duration:
        return _duration(self.months + other.months, self.days + other.days)

    def __sub__(self, other: Duration) -> Duration:
        return _duration(self.months - other.months, self.days - other.days)

    def __neg__(self) -> Duration:
        return _duration(-self.months, -self.days)

    def __radd__(self, day: datetime.date) -> datetime.date:
        return add_to_date(day, self)

    def __rsub__(self, day: datetime.date) -> datetime.date:
        return add_to_date(day, -self)

    def __mul__(self, factor: Number) -> Duration:
        """Months times a fraction keep their whole months; the part of a month left over becomes days (30 a month)."""
        if isinstance(factor, Fraction) and isinstance(self.days, int):  # the same in whole numbers: one Fraction
            p, q = factor.numerator, factor.denominator
            scaled = self.months * p
            whole = scaled // q if scaled >= 0 else -(-scaled // q)  # toward zero, as int() is
            return _duration(whole, Fraction(self.days * p + (scaled - whole * q) * 30, q))
        months = self.months * factor
        whole = int(months)
        return _duration(whole, self.days * factor + (months - whole) * 30)

    def __rmul__(self, factor: Number) -> Duration:
        return self * factor

    @overload
    def __truediv__(self, other: Duration) -> Fraction: ...
    @overload
    def __truediv__(self, other: Number) -> Duration: ...
    def __truediv__(self, other: Duration | Number) -> Fraction | Duration:
        if isinstance(other, Duration):
            return Fraction(self.total_days) / other.total_days
        return self * (1 / Fraction(other))

    @property
    def text(self) -> str:
        """ "2 years 6 months 15 days", "1 month", "0 days"; "minus 3 days" below zero (`duration_text`)."""
        return duration_text(self.months, self.days)

    def __str__(self) -> str:
        return self.text

    @staticmethod
    def parse(text: str) -> Duration:
        """ "3 years 6 months", "120 days", "1 year, 2 weeks and 3 days", or ISO 8601 "P3Y6M", "P120D"."""
        cleaned = text.strip().lower()
        iso = _ISO_DURATION.fullmatch(cleaned)
        if iso and any(iso.groups()):
            if any(len(g or "") > MAX_DIGITS for g in iso.groups()):
                raise ValueError(f"{_shown(text)} has a number of more than {MAX_DIGITS} digits")
            years, months, weeks, days = (int(g or 0) for g in iso.groups())
            return Duration(years * 12 + months, weeks * 7 + days)
        words = re.sub(r",|\band\b", " ", cleaned).split()
        if not words or len(words) % 2 or not all(n.isdigit() and n.isascii() for n in words[::2]):
            raise ValueError(f'{_shown(text)} is not a duration such as "3 years 6 months" or "120 days"')
        if any(len(n) > MAX_DIGITS for n in words[::2]):
            raise ValueError(f"{_shown(text)} has a number of more than {MAX_DIGITS} digits")
        months = days = 0
        for number, unit in zip(words[::2], words[1::2], strict=True):
            size = _UNITS.get(unit.rstrip("s") if unit != "days" else "day")
            if size is None:
                raise ValueError(f"{_shown(text)}: '{unit}' is not years, months, weeks or days")
            months, days = months + int(number) * size[0], days + int(number) * size[1]
        return Duration(months, days)


# [0-9], not \d: \d takes every script's digits ("٣", "𝟑"), and a case's numbers are written as JSON writes them.
_ISO_DURATION: Final = re.compile(r"p(?:([0-9]+)y)?(?:([0-9]+)m)?(?:([0-9]+)w)?(?:([0-9]+)d)?")
_UNITS: Final = {"year": (12, 0), "month": (1, 0), "week": (0, 7), "day": (0, 1)}


def _duration(months: int, days: Number) -> Duration:
    """A Duration in the normal form, with whole-number days stored as int, so equal durations print alike."""
    if isinstance(days, Fraction) and days.denominator == 1:
        days = days.numerator
    if (months > 0 and days < 0) or (months < 0 and days > 0):  # rare: the fast path is one test
        months, days = normal_duration(months, days)
    return Duration(months, days)


def normal_duration(months: int, days: Number) -> tuple[int, Number]:
    """The normal form of `months` and `days`: the same total (a month counting 30 days) with months and days never
    of opposite signs, borrowing as few whole months as it takes: 20 months and -15 days are 19 months 15 days, and
    1 month and -45 days are -15 days. Days are never turned into months (45 days stay 45 days, which on the calendar
    is not 1 month 15 days), so a duration in the normal form is left as it is."""
    if months > 0 and days < 0:
        borrow = min(months, -(days // 30))  # ceiling of -days / 30
        return months - borrow, days + 30 * borrow
    if months < 0 and days > 0:
        borrow = min(-months, -(-days // 30))
        return months + borrow, days - 30 * borrow
    return months, days


def duration_parts(months: int, days: Number) -> tuple[bool, int, int, Number]:
    """What a duration's text shows: below zero or not, then whole years, months and days of its normal form."""
    months, days = normal_duration(months, days)
    minus = months < 0 or days < 0
    if minus:
        months, days = -months, -days
    years, months = divmod(months, 12)
    return minus, years, months, days


def duration_text(months: int, days: Number) -> str:
    """ "2 years 6 months 15 days", "1 year 1 day", "0 days", "minus 3 days": the one text form of a duration, from
    the parts of its normal form (`duration_parts`; explanations write the same parts in the reader's language).
    Twelve months are "1 year"; days are never turned into months."""
    minus, years, whole_months, whole_days = duration_parts(months, days)
    parts = (_count(years, "year"), _count(whole_months, "month"), _count(whole_days, "day"))
    words = " ".join(p for p in parts if p)
    return ("minus " if minus else "") + (words or "0 days")


def _count(n: Number, unit: str) -> str:
    return "" if n == 0 else f"{decimal_text(n)} {unit}{'' if n == 1 else 's'}"


# ------------------------------------------------------------------ the calendar


def add_to_date(day: datetime.date, duration: Duration) -> datetime.date:
    """Calendar months first, keeping the day of the month or the month's last day (31 January + 1 month =
    28 February), then the days."""
    months, days = duration.months, duration.days
    if (months > 0 and days < 0) or (months < 0 and days > 0):  # one meaning: the value as its text shows it
        months, days = normal_duration(months, days)
    if isinstance(days, Fraction):
        raise ValueError(f"cannot add {days} days to a date: round the duration to whole days first")
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    if not datetime.MINYEAR <= year <= datetime.MAXYEAR:
        raise CalendarError(day, duration)
    moved = datetime.date(year, month + 1, min(day.day, _days_in_month(year, month + 1)))
    try:
        return moved + datetime.timedelta(days=days)
    except OverflowError:  # past the year 9999, or more days than a timedelta holds
        raise CalendarError(day, duration) from None


def whole_between(unit: str, start: datetime.date, end: datetime.date) -> int:
    """The whole years, months, weeks or days from `start` to `end`: the most n such that `start` plus n of them
    (on the calendar, as `add_to_date` moves) is on or before `end`; below zero when `end` is earlier. Born on 29
    February 2004, a person is 18 on 28 February 2022, as 29 February 2004 plus 18 years is 28 February 2022."""
    if end < start:
        return -whole_between(unit, end, start)
    if unit in ("days", "weeks"):
        return (end - start).days // (7 if unit == "weeks" else 1)
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_to_date(start, Duration(months, 0)) > end:
        months -= 1
    return months // 12 if unit == "years" else months


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return _MONTH_DAYS[month - 1]


_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def calendar_months_span(n: int) -> tuple[int, int]:
    """The fewest and the most days that `n` calendar months (n at least 0) span from any day, as dates move (the
    same day of the month, or the month's last day where it is shorter): 28 to 31 for one month, 365 or 366 for
    twelve. The calendar repeats every 400 years: 4800 months, 146097 days."""
    whole, rest = divmod(n, 4800)
    fewest, most = _spans_within_a_cycle(rest)
    return whole * 146097 + fewest, whole * 146097 + most


_SPANS: Final[dict[int, tuple[int, int]]] = {}  # by months (0 to 4799): at most 4800 pairs, each worked out once


def _spans_within_a_cycle(rest: int) -> tuple[int, int]:
    """calendar_months_span for fewer than 4800 months, remembered: a register may ask for the same few thousand."""
    if rest in _SPANS:
        return _SPANS[rest]
    cycle = 4800
    firsts = [0]  # the first day of each month, counted from 1 January 2000
    for k in range(cycle + rest):
        firsts.append(firsts[-1] + _days_in_month(2000 + k // 12, k % 12 + 1))
    fewest = most = firsts[rest]
    for m in range(cycle):
        span = firsts[m + rest] - firsts[m]
        start_month, end_month = firsts[m + 1] - firsts[m], firsts[m + rest + 1] - firsts[m + rest]
        # From the first day of the month: the whole span; from its last day, on a shorter last month: less.
        fewest, most = min(fewest, span - max(0, start_month - end_month)), max(most, span)
    _SPANS[rest] = (fewest, most)
    return fewest, most


def order_hangs_on_month(a: Duration, b: Duration) -> bool:
    """Whether `a` is at most `b` has one answer at 30 days to the month and another for calendar months from some
    day: the months by which they differ may be 28 to 31 days each (docs/language.md, "How a month is counted")."""
    months, days = a.months - b.months, a.days - b.days
    if months == 0:
        return False
    size, sign = abs(months), 1 if months > 0 else -1
    ends = sorted((sign * 28 * size + days, sign * 31 * size + days))
    if not ends[0] <= 0 < ends[1]:
        return False  # never within a month's reach of the other: one answer however long the months
    fewest, most = calendar_months_span(size)
    ends = sorted((sign * min(fewest, 30 * size) + days, sign * max(most, 30 * size) + days))
    return ends[0] <= 0 < ends[1]


def period_text(start: datetime.date, end: datetime.date) -> str:
    """ "from 2022-01-01 to 2022-12-31": a period of dates, both included, in ISO dates."""
    return f"from {start.isoformat()} to {end.isoformat()}"


# ------------------------------------------------------------------ numbers and money


def decimal_parts(value: Number, places: int = 0) -> tuple[bool, str, str] | None:
    """The exact decimal of `value` with at least `places` and at most `places` + 19 digits after the point: below
    zero or not, the whole digits and those after the point ("0", "75" for 0.75); None when it has no decimal so
    short (1/3, or 1/2**20). The one precision of every text form of a number: the module's JSON, a case file, an
    explanation. ValueError for a number of more digits than Python writes out (sys.get_int_max_str_digits())."""
    value = Fraction(value)
    for shown in range(places, places + 20):
        scaled = value * 10**shown
        if scaled.denominator == 1:
            digits = str(abs(scaled.numerator)).rjust(shown + 1, "0")
            return (value < 0, digits[:-shown], digits[-shown:]) if shown else (value < 0, digits, "")
    return None


def decimal_text(value: Number, places: int = 0) -> str:
    """Exact decimal digits ("0.75", "250000"), at least `places` after the point; "1/3" when no decimal is exact.

    ValueError for a number Python will not write out (more than sys.get_int_max_str_digits() digits, 4,300 unless
    changed): a statute's arithmetic can make one (a rate squared seven times), and no reader could use it."""
    value = Fraction(value)
    try:
        parts = decimal_parts(value, places)
        if parts is None:
            return f"{value.numerator}/{value.denominator}"
        minus, whole, part = parts
        return ("-" if minus else "") + whole + ("." + part if part else "")
    except ValueError:
        limit = sys.get_int_max_str_digits()
        raise ValueError(f"{approximate_text(value)} has more digits than can be written ({limit:,} at most)") from None


def number_text(value: Number) -> str:
    """The exact decimal, or for a number of more digits than Python writes out, its approximate size: a number as
    a message, a report or a case file shows it, which must not fail."""
    try:
        return decimal_text(value)
    except ValueError:
        return approximate_text(value)


def money_text(value: Number, currency: str | None = None) -> str:
    """An amount with at least cents: "250000.00", "-0.50"; with its currency when given: "250000.00 USD"."""
    shown = decimal_text(value, 2)
    return f"{shown} {currency}" if currency else shown


def percentage_text(value: Number) -> str:
    """A share as the drafter writes it: 3/20 is "15%", 1/8 "12.5%"."""
    return decimal_text(Fraction(value) * 100) + "%"


def approximate_text(value: Number) -> str:
    """A number of any size in a few characters, for messages: "a number of 8,000 digits (≈ 9.9999e+7999)"."""
    value = Fraction(value)
    whole_digits = len(str(int(abs(value)))) if abs(value) < 10**MAX_DIGITS else _power_of_ten(abs(value)) + 1
    if whole_digits <= 1:
        return scientific_text(value)
    return f"a number of {whole_digits:,} digits ({scientific_text(value)})"


def scientific_text(value: Number) -> str:
    """≈ and the first five digits of any number, however large or small, in no language: "≈ -3.3333e-5001"."""
    value = Fraction(value)
    if value == 0:
        return "0"
    size = abs(value)
    power = _power_of_ten(size)
    digits = str(round(size / Fraction(10) ** power * 10**4))  # from 10000 to 100000
    if len(digits) > 5:  # 9.99995 rounds up to 10.0000
        digits, power = "10000", power + 1
    return f"≈ {'-' if value < 0 else ''}{digits[0]}.{digits[1:]}e{power:+d}"


def _power_of_ten(size: Fraction) -> int:
    """The largest p with 10**p <= size (size > 0), found from the sizes of its parts without writing them out."""
    power = int((size.numerator.bit_length() - size.denominator.bit_length()) * 0.30103)
    while size >= Fraction(10) ** (power + 1):
        power += 1
    while size < Fraction(10) ** power:
        power -= 1
    return power


# ------------------------------------------------------------------ any value in a message


def _shown(value: object) -> str:
    """A value as a message shows it: the drafter's words for enumerations and durations, ISO dates."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        return number_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    if isinstance(value, int) and abs(value) >= 10**MAX_DIGITS:  # Python will not print one of over 4300 digits
        return approximate_text(value)
    shown = _SHORT.repr(value)  # not repr(): a list nested thousands deep would end in a RecursionError
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _short_repr() -> reprlib.Repr:
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother, short.maxlong = 3, 60, 60, 60
    return short


_SHORT: Final = _short_repr()


# ------------------------------------------------------------------ the errors a value can raise


class DecisionError(Exception):
    """The statute cannot decide this case."""


class UndecidedError(DecisionError):
    """No rule decides a definition that has no default and may not be left open, or a fact it needs is missing."""

    def __init__(self, definition: str, reason: str) -> None:
        self.definition, self.reason = definition, reason
        super().__init__(f"cannot decide the {definition}: {reason}")


class CalendarError(UndecidedError):
    """A date the statute works out for this case falls outside the calendar (the years 1 to 9999). Raised by the
    calendar above, so defined here with the decision errors it is one of (the runtime raises the others)."""

    def __init__(self, day: datetime.date, duration: Duration) -> None:
        shown = duration.text
        super().__init__("date", f"{day.isoformat()} plus {shown} falls outside the calendar (years 1 to 9999)")


# --- runtime: end ---


# Below the marker: text forms only the compiler writes (a report's figures), not copied into modules.


def rounded_text(value: Number, places: int, group: str = "") -> str:
    """`value` rounded to `places` decimals, halves away from zero, every place shown ("6.3" for 6.25 at one
    place), the whole digits grouped by three with `group` ("1,234.5") from four digits on."""
    scale = 10**places
    scaled = Fraction(value) * scale
    whole_units = (2 * abs(scaled.numerator) + scaled.denominator) // (2 * scaled.denominator)
    digits = str(whole_units).rjust(places + 1, "0")
    whole, part = (digits[:-places], digits[-places:]) if places else (digits, "")
    sign = "-" if scaled < 0 and whole_units else ""
    return sign + grouped(whole, group) + ("." + part if part else "")


def grouped(whole: str, separator: str, shortest: int = 4) -> str:
    """The digits `whole` in groups of three ("1,234,567"), when it has at least `shortest` of them."""
    if not separator or len(whole) < shortest:
        return whole
    head = len(whole) % 3 or 3
    return separator.join([whole[:head], *(whole[i : i + 3] for i in range(head, len(whole), 3))])
