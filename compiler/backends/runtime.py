"""What a generated statute module runs on: exact numbers and their rounding and text, and the errors a decision can
raise.

The runtime is four modules: this one (numbers, rounding, errors), runtime_calendar.py (durations, periods,
dates), runtime_trace.py (the trace) and runtime_cases.py (reading a case). The Python backend copies the part of
each between its two `runtime:` marker lines into every generated module, in that order, so that the module imports
nothing but the standard library. Those parts may use only the standard library imports above them (the generated
module's header repeats them) and each other's names (imported from the modules before them above the markers, for
typing and tests). Every name they define is reserved: a statute's names never take one (naming.MODULE_NAMES).

Arithmetic is exact: whole numbers are `int`, other numbers and money `Fraction`, never `float`.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import reprlib
import sys
from collections.abc import Iterable
from fractions import Fraction
from typing import Final, TypeVar

# --- runtime: begin ---

T = TypeVar("T")
Number = int | Fraction
ROUNDING_MODES: Final = ("down", "up", "half up")
# The most digits a number in a case may have: no fact is larger, and Python will not print an int of over 4300.
MAX_DIGITS: Final = 40


class _Unset(enum.Enum):
    """The state of a definition not yet computed in this evaluation."""

    UNSET = 0


_UNSET: Final = _Unset.UNSET

# ------------------------------------------------------------------ rounding and showing numbers


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


def decimal_text(value: Number, places: int = 0) -> str:
    """Exact decimal digits ("0.75", "250000"), at least `places` after the point; "1/3" when no decimal is exact.

    ValueError for a number Python will not write out (more than sys.get_int_max_str_digits() digits, 4,300 unless
    changed): a statute's arithmetic can make one (a rate squared seven times), and no reader could use it."""
    value = Fraction(value)
    try:
        for shown in range(places, places + 20):
            scaled = value * 10**shown
            if scaled.denominator == 1:
                digits = str(abs(scaled.numerator)).rjust(shown + 1, "0")
                whole, part = (digits[:-shown], digits[-shown:]) if shown else (digits, "")
                return ("-" if value < 0 else "") + whole + ("." + part if part else "")
        return f"{value.numerator}/{value.denominator}"
    except ValueError:
        limit = sys.get_int_max_str_digits()
        raise ValueError(f"{approximate_text(value)} has more digits than can be written ({limit:,} at most)") from None


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


def money_text(value: Number) -> str:
    """An amount with at least cents: "250000.00"."""
    return decimal_text(value, 2)


def given(value: T | None, definition: str, reason: str) -> T:
    """`value`, which must be known for `definition` to be decided."""
    if value is None:
        raise UndecidedError(definition, reason)
    return value


def _shown(value: object) -> str:
    """A value as a message shows it: the drafter's words for enumerations and durations, ISO dates."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Fraction):
        try:
            return decimal_text(value)
        except ValueError:
            return approximate_text(value)
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


class DecisionError(Exception):
    """The statute cannot decide this case."""


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


class UndecidedError(DecisionError):
    """No rule decides a definition that has no default and may not be left open, or a fact it needs is missing."""

    def __init__(self, definition: str, reason: str) -> None:
        self.definition, self.reason = definition, reason
        super().__init__(f"cannot decide the {definition}: {reason}")


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
