"""What a generated statute module runs on besides its values: periods, date differences, rounding, what the
module knows about its statute, and the errors a decision can raise.

The runtime is four modules: compiler/values.py (durations, the calendar, the text form of every value and the
decision errors the calendar raises), this one, runtime_trace.py (the trace) and runtime_cases.py (reading a case).
The Python backend copies the part of each between its two `runtime:` marker lines into every generated module, in
that order, so that the module imports nothing but the standard library. Those parts may use only the standard
library imports above them (the generated module's header repeats them) and each other's names (imported above the
markers, for typing and tests). Every name they define is reserved: a statute's names never take one
(naming.MODULE_NAMES).

Arithmetic is exact: whole numbers are `int`, other numbers and money `Fraction`, never `float`.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
from collections.abc import Iterable
from fractions import Fraction
from typing import Final, TypeVar

from compiler.values import DecisionError, Duration, Number, UndecidedError, _duration, _shown, period_text

# --- runtime: begin ---

T = TypeVar("T")
ROUNDING_MODES: Final = ("down", "up", "half up")


class _Unset(enum.Enum):
    """The state of a definition not yet computed in this evaluation."""

    UNSET = 0


_UNSET: Final = _Unset.UNSET

# ------------------------------------------------------------------ periods and dates


@dataclasses.dataclass(frozen=True, slots=True)
class Period:
    """The dates from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    @property
    def text(self) -> str:
        return period_text(self.start, self.end)


def differ(a: object, b: object) -> bool:
    """Whether two rules' values disagree: exactly, a duration by the months and days of its normal form, so that
    "6 months" and "180 days" disagree (on the calendar they differ), though `==` counts a month as 30 days."""
    if isinstance(a, Duration) and isinstance(b, Duration):
        return a.months != b.months or a.days != b.days
    return a != b


def days_between(later: datetime.date, earlier: datetime.date) -> Duration:
    """`later` minus `earlier`, in days (negative when `later` is earlier)."""
    return Duration(0, (later - earlier).days)


# ------------------------------------------------------------------ rounding


def _round_floor(value: Number, mode: str) -> int:
    """Round on the number line: down = floor, up = ceiling, half up = nearest with halves going up. In whole
    numbers (a Fraction's denominator is above 0): no Fraction is made."""
    n, d = (value, 1) if isinstance(value, int) else (value.numerator, value.denominator)
    if mode == "down":
        return n // d
    if mode == "up":
        return -(-n // d)
    if mode == "half up":
        return (2 * n + d) // (2 * d)
    raise ValueError(f"unknown rounding mode {mode!r}; expected one of {', '.join(ROUNDING_MODES)}")


def round_whole(value: Number, mode: str) -> int:
    """Round to a whole number. Modes go by size, as drafters mean them: "down" toward zero, "up" away from zero,
    "half up" to the nearest with halves away from zero (-2.5 -> -3)."""
    if value < 0:
        return -_round_floor(-value, mode)
    return _round_floor(value, mode)


def round_number(value: Number, places: int, mode: str) -> Fraction:
    """Round to `places` decimal places (2 for cents, 0 for whole units)."""
    scale = 10**places
    return Fraction(round_whole(value * scale, mode), scale)


def round_duration(value: Duration, unit: str, mode: str) -> Duration:
    """Round to whole days, months or years, by the duration's total size (see `round_whole` for the modes)."""
    if unit == "days" and value.months >= 0 and value.days >= 0:  # the usual case: no sign to take out
        return Duration(value.months, _round_floor(value.days, mode))
    sign = -1 if value.total_days < 0 else 1
    if unit == "days":
        return _duration(value.months, sign * _round_floor(sign * value.days, mode))
    months = value.months + Fraction(value.days) / 30
    if unit == "months":
        return Duration(round_whole(months, mode), 0)
    if unit == "years":
        return Duration(12 * round_whole(months / 12, mode), 0)
    raise ValueError(f"cannot round a duration to {unit!r}")


def given(value: T | None, definition: str, reason: str) -> T:
    """`value`, which must be known for `definition` to be decided."""
    if value is None:
        raise UndecidedError(definition, reason)
    return value


# ------------------------------------------------------------------ what the module knows about its statute


@dataclasses.dataclass(frozen=True, slots=True)
class StatuteInfo:
    title: str
    file: str
    header: tuple[tuple[str, str], ...]  # (key, text) as the drafter wrote them: ("signed", "the President, ...")


@dataclasses.dataclass(frozen=True, slots=True)
class RuleInfo:
    ident: str  # "article_2_rule_1"
    definition: str  # the ident of what it decides
    article: str  # "Article 2", or "the statute"
    heading: str  # "Article 2. Release for ..."
    quote: str | None  # the law's sentence the rule models
    words: str  # the rule as the drafter wrote it
    line: int


@dataclasses.dataclass(frozen=True, slots=True)
class DefinitionInfo:
    ident: str
    label: str  # "amnesty measure"
    kind: str  # outcome, definition or predicate
    heading: str


@dataclasses.dataclass(frozen=True, slots=True)
class GuaranteeInfo:
    """What the statute guarantees for every case: written by the drafter, or derived from an exception."""

    ident: str  # "guarantee_1", or "article_5_rule_4_excludes" for one derived from that exception
    title: str
    articles: tuple[str, ...]  # the articles it protects
    derived_from: str | None  # the exception rule it is derived from
    line: int


# ------------------------------------------------------------------ errors


class ConflictError(DecisionError):
    """Two rules, neither prevailing over the other, both apply and give different values."""

    def __init__(self, definition: str, first: RuleInfo, first_value: object, second: RuleInfo, second_value: object):
        self.definition, self.first, self.second = definition, first, second
        self.first_value, self.second_value = first_value, second_value
        super().__init__(
            f"conflict deciding the {definition}: {first.ident} ({first.article}, line {first.line}) gives "
            f"{_shown(first_value)}, but {second.ident} ({second.article}, line {second.line}) gives "
            f"{_shown(second_value)}; neither prevails over the other"
        )


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a case: where ("person.charges[2]", counted from 0), which field, and why."""

    path: str
    field: str  # "" when the record itself is wrong
    reason: str

    def __str__(self) -> str:
        return f"{self.path}.{self.field}: {self.reason}" if self.field else f"{self.path}: {self.reason}"


class CaseError(ValueError):
    """A case that cannot be read, with every problem found in it."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(f"the case has {count} problem{'' if count == 1 else 's'}:{lines}")


# --- runtime: end ---
