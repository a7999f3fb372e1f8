"""The reference interpreter's own values: calendar days, durations, money, enumeration values and records.

Written from docs/language.md (sections 10 and 11), not from the generated module's runtime, so that the two can be
checked against each other: nothing here imports compiler/backends. Written for clarity, not speed.

- A `Day` is a day of the proleptic Gregorian calendar, from 1 January 1 to 31 December 9999, counted by its
  ordinal (1 January 1 is day 1): the interpreter does its own calendar arithmetic.
- A `Duration` is kept in its normal form: whole months and days, both of one sign (a leftover part of a month is
  days, a month counting 30 days when months must become days). Added to a day: months first, staying on the same
  day of the month or its last day (31 January + 1 month = the last day of February), then days.
- `Money` is an exact amount; numbers are exact rationals (int and Fraction); no float anywhere.
- A `Cited` is the set of provisions a citation of another law names ("Article 111 part 3").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

Number = int | Fraction

DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
FIRST_YEAR, LAST_YEAR = 1, 9999
MONTH_AS_DAYS = 30  # the language's stated convention when months must become days (section 10)


class OutsideCalendar(Exception):
    """A day worked out falls before 1 January 1 or after 31 December 9999."""


def is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def days_in_month(year: int, month: int) -> int:
    return 29 if month == 2 and is_leap(year) else DAYS_IN_MONTH[month - 1]


def _days_before_year(year: int) -> int:
    previous = year - 1
    return 365 * previous + previous // 4 - previous // 100 + previous // 400


@dataclass(frozen=True, order=True)
class Day:
    """A calendar day. Ordered by (year, month, day), which is the calendar's order."""

    year: int
    month: int
    day: int

    def __post_init__(self) -> None:
        if not FIRST_YEAR <= self.year <= LAST_YEAR:
            raise OutsideCalendar(f"the year {self.year} is outside the calendar")
        if not 1 <= self.month <= 12 or not 1 <= self.day <= days_in_month(self.year, self.month):
            raise ValueError(f"{self.year}-{self.month}-{self.day} is not a day of the calendar")

    @staticmethod
    def from_iso(text: str) -> Day:
        """ "2022-01-05" (surrounding spaces allowed, as case files may carry them)."""
        parts = text.strip().split("-")
        if len(parts) != 3 or [len(p) for p in parts] != [4, 2, 2] or not all(p.isdigit() for p in parts):
            raise ValueError(f"{text!r} is not a date such as 2022-01-05")
        return Day(int(parts[0]), int(parts[1]), int(parts[2]))

    @property
    def ordinal(self) -> int:
        """1 for 1 January 1, counting every day since."""
        before = sum(days_in_month(self.year, m) for m in range(1, self.month))
        return _days_before_year(self.year) + before + self.day

    @staticmethod
    def from_ordinal(ordinal: int) -> Day:
        if ordinal < 1:
            raise OutsideCalendar(f"day {ordinal} is before 1 January 1")
        if ordinal > _days_before_year(LAST_YEAR + 1):
            raise OutsideCalendar(f"day {ordinal} is after 31 December 9999")
        year = max(FIRST_YEAR, ordinal // 366)  # a lower bound: no year has more than 366 days
        while _days_before_year(year + 1) < ordinal:
            year += 1
        left = ordinal - _days_before_year(year)
        month = 1
        while left > days_in_month(year, month):
            left -= days_in_month(year, month)
            month += 1
        return Day(year, month, left)

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"

    def plus_months(self, months: int) -> Day:
        """The same day of the month `months` later (or earlier), or that month's last day if it is shorter."""
        index = self.year * 12 + (self.month - 1) + months
        year, month = index // 12, index % 12 + 1
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise OutsideCalendar(f"{self.iso()} moved by {months} months leaves the calendar")
        return Day(year, month, min(self.day, days_in_month(year, month)))

    def plus_days(self, days: int) -> Day:
        return Day.from_ordinal(self.ordinal + days)

    def plus(self, duration: Duration) -> Day:
        """Months first, then days; a negative duration goes back the same way."""
        if Fraction(duration.days).denominator != 1:
            raise ValueError(f"cannot add {duration.days} days to a date: round the duration to whole days first")
        return self.plus_months(duration.months).plus_days(int(duration.days))

    def minus(self, other: Day) -> Duration:
        """The days from `other` to this day (negative when `other` is later)."""
        return Duration.of(0, self.ordinal - other.ordinal)

    def whole_units_to(self, unit: str, end: Day) -> int:
        """The whole years, months, weeks or days from this day to `end` (section 10): the most n such that this day
        plus n of them is on or before `end`; below zero, counted back from this day, when `end` is earlier."""
        if end < self:
            return -end.whole_units_to(unit, self)
        if unit in ("days", "weeks"):
            days = end.ordinal - self.ordinal
            return days if unit == "days" else days // 7
        step = 12 if unit == "years" else 1
        n = ((end.year - self.year) * 12 + end.month - self.month) // step  # lands in end's month or before it
        while self.plus_months(n * step) > end:
            n -= 1
        return n


def _toward_zero(value: Fraction) -> int:
    return value.numerator // value.denominator if value >= 0 else -((-value.numerator) // value.denominator)


@dataclass(frozen=True)
class Duration:
    """A length of time in its normal form: whole months and days, both zero or above, or both zero or below.

    Build one with `Duration.of`, which normalises. While a computation is under way days may be a fraction ("a
    third of 10 days"); the checker makes the drafter round such a value before it is kept or shown.
    """

    months: int
    days: Number

    @staticmethod
    def of(months: Number, days: Number) -> Duration:
        """The normal form of `months` and `days` of any signs: a part of a month becomes days (30 a month); days
        below zero borrow whole months; the sign of the whole goes on both parts."""
        months_exact, days_exact = Fraction(months), Fraction(days)
        whole = _toward_zero(months_exact)
        days_exact += (months_exact - whole) * MONTH_AS_DAYS
        total = whole * MONTH_AS_DAYS + days_exact
        if total < 0:
            return -Duration.of(-whole, -days_exact)
        if days_exact < 0:
            borrowed = -((days_exact / MONTH_AS_DAYS).__floor__())  # whole months enough to lift the days to zero
            whole, days_exact = whole - borrowed, days_exact + borrowed * MONTH_AS_DAYS
        if whole < 0:
            whole, days_exact = 0, days_exact + whole * MONTH_AS_DAYS
        return Duration(whole, _simplest(days_exact))

    @property
    def total_days(self) -> Fraction:
        """For comparing and ordering: a month counts as 30 days (docs/language.md, section 10)."""
        return Fraction(self.months * MONTH_AS_DAYS) + self.days

    def __neg__(self) -> Duration:
        return Duration(-self.months, -self.days)

    def plus(self, other: Duration) -> Duration:
        return Duration.of(self.months + other.months, Fraction(self.days) + other.days)

    def minus(self, other: Duration) -> Duration:
        return self.plus(-other)

    def times(self, factor: Number) -> Duration:
        """Whole months stay months; the part of a month left over becomes days."""
        return Duration.of(Fraction(self.months) * factor, Fraction(self.days) * factor)

    def same_length(self, other: Duration) -> bool:
        return self.total_days == other.total_days

    def text(self) -> str:
        """ "2 years 6 months 15 days", "1 month", "0 days"; "minus 3 days" below zero."""
        if self.total_days < 0:
            return "minus " + (-self).text()
        years, months = divmod(self.months, 12)
        parts = [_count(years, "year"), _count(months, "month"), _count(self.days, "day")]
        return " ".join(p for p in parts if p) or "0 days"


def _simplest(value: Fraction) -> Number:
    return value.numerator if value.denominator == 1 else value


def _count(n: Number, unit: str) -> str:
    return "" if n == 0 else f"{decimal_text(n)} {unit}{'' if n == 1 else 's'}"


@dataclass(frozen=True, order=True)
class Money:
    amount: Fraction


@dataclass(frozen=True)
class EnumValue:
    """A value of an enumeration: its place in the declared order (for 'at least') and the drafter's words."""

    enum: str
    position: int
    ident: str
    text: str


@dataclass(frozen=True)
class Period:
    start: Day
    end: Day


@dataclass(eq=False)
class Record:
    """One record of a case: its kind (the record's ident) and its facts by field ident; None for a missing one.

    Compared by identity, as the records of a list are distinct even when their facts are alike."""

    kind: str
    facts: dict[str, object]
    id: str | int | None = None  # a record of a list may carry one (ir.Checked.takes_id): data, never a fact


# ------------------------------------------------------------------ citations
# Read from a case and written back by the interpreter's own code: the oracle compiler/citations.py (which the
# generated module carries) is tested against. A citation is the set of provisions it names, each an (article,
# sub-article, suffix, part) tuple, part 0 standing for the whole article (docs/language.md, "Citations of another
# law"). One provision is within a set when the set names it or names its whole article.
_LATIN = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies")  # 2 to 9
_ONE = re.compile(r"article (\d+)(?:\.(\d+))?(?: ([a-z]+))?(?: part (\d+))?")


@dataclass(frozen=True)
class Cited:
    items: frozenset[tuple[int, int, int, int]]

    def within(self, *others: Cited) -> bool:
        named = frozenset().union(*(other.items for other in others))
        return all(item in named or (item[0], item[1], item[2], 0) in named for item in self.items)

    def text(self) -> str:
        """ "Article 228.1 part 3", "Article 111 parts 1 to 4", "Article 106 parts 1, 2 and 5", "Article 3 bis"."""
        whole = {item[:3] for item in self.items if item[3] == 0}
        out = []
        for key in sorted({item[:3] for item in self.items}):
            head = f"Article {key[0]}{f'.{key[1]}' if key[1] else ''}{f' {_LATIN[key[2] - 2]}' if key[2] else ''}"
            parts = [] if key in whole else sorted(item[3] for item in self.items if item[:3] == key)
            out.append(head + _parts_text(parts))
        return ", ".join(out)


def _parts_text(parts: list[int]) -> str:
    if not parts:
        return ""
    words: list[str] = []
    start = 0
    while start < len(parts):
        end = start
        while end + 1 < len(parts) and parts[end + 1] == parts[end] + 1:
            end += 1
        if end - start >= 2:
            words.append(f"{parts[start]} to {parts[end]}")
        else:
            words.extend(str(p) for p in parts[start : end + 1])
        start = end + 1
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f" {'part' if len(parts) == 1 else 'parts'} {listed}"


def read_cited(raw: object) -> Cited:
    """One offence as a case gives it: "Article 228.1 part 3" (the module's reader has already refused any other
    shape, with its reason)."""
    assert isinstance(raw, str), raw
    found = _ONE.fullmatch(" ".join(raw.lower().split()))
    assert found is not None, raw
    article, sub, latin, part = found.groups()
    suffix = _LATIN.index(latin) + 2 if latin else 0
    return Cited(frozenset({(int(article), int(sub or 0), suffix, int(part or 0))}))


Value = bool | int | Fraction | Money | Day | Duration | Period | EnumValue | Record | tuple[Record, ...] | str | Cited


# ------------------------------------------------------------------ rounding and text


def round_whole(value: Number, mode: str) -> int:
    """Rounding goes by size, as drafters mean it: down toward zero, up away from zero, half up to the nearest
    with halves away from zero."""
    size = abs(Fraction(value))
    whole = size.numerator // size.denominator
    rest = size - whole
    match mode:
        case "down":
            rounded = whole
        case "up":
            rounded = whole + (1 if rest else 0)
        case "half up":
            rounded = whole + (1 if rest >= Fraction(1, 2) else 0)
        case _:
            raise ValueError(f"unknown rounding {mode!r}")
    return rounded if value >= 0 else -rounded


def round_places(value: Number, places: int, mode: str) -> Fraction:
    scale = 10**places
    return Fraction(round_whole(Fraction(value) * scale, mode), scale)


def round_duration(value: Duration, unit: str, mode: str) -> Duration:
    """To whole days (of the normal form, months kept), or to whole months or years of the whole length."""
    if value.total_days < 0:
        return -round_duration(-value, unit, mode)
    match unit:
        case "days":
            return Duration.of(value.months, round_whole(value.days, mode))
        case "months":
            return Duration.of(round_whole(value.total_days / MONTH_AS_DAYS, mode), 0)
        case "years":
            return Duration.of(12 * round_whole(value.total_days / (12 * MONTH_AS_DAYS), mode), 0)
    raise ValueError(f"cannot round a duration to {unit!r}")


def decimal_text(value: Number, places: int = 0) -> str:
    """Exact decimal digits, at least `places` after the point ("0.75", "250000.00"); "n/d" when no decimal of up
    to `places` + 19 places is exact (a third)."""
    exact = Fraction(value)
    sign = "-" if exact < 0 else ""
    size = abs(exact)
    for shown in range(places, places + 20):
        scaled = size * 10**shown
        if scaled.denominator == 1:
            digits = str(scaled.numerator).rjust(shown + 1, "0")
            if shown == 0:
                return sign + digits
            return f"{sign}{digits[:-shown]}.{digits[-shown:]}"
    return f"{exact.numerator}/{exact.denominator}"
