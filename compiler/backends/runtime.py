"""What a generated statute module runs on: exact durations, periods and rounding, the errors a decision can raise,
the trace explanations are built from, and the reading of a case from JSON-like data.

The Python backend copies the part of this file between the two `runtime:` marker lines into every generated
module, so that the module imports nothing but the standard library. That part may use only the imports above it
(the generated module's header repeats them) and must not define names a statute could also use (see
python_names.RUNTIME_NAMES, which is read from this file).

Arithmetic is exact: whole numbers are `int`, other numbers and money `Fraction`, never `float`.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import enum
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from fractions import Fraction
from typing import Any, Final, Protocol, TypeVar, overload

# --- runtime: begin ---

T = TypeVar("T")
F = TypeVar("F")
R = TypeVar("R")
Number = int | Fraction
ROUNDING_MODES: Final = ("down", "up", "half up")


class _Unset(enum.Enum):
    """The state of a definition not yet computed in this evaluation."""

    UNSET = 0


_UNSET: Final = _Unset.UNSET

# ------------------------------------------------------------------ durations, periods, dates


@dataclasses.dataclass(frozen=True, slots=True, eq=False)
class Duration:
    """A length of time as the law counts it: whole months (a year is 12) and days.

    Durations are equal and ordered by their total days, a month counting as 30 days: "1 year" == "360 days" and
    "1 month" < "31 days". Added to a date, months are calendar months (see `add_to_date`). While a computation is
    under way days may be a Fraction ("a third of 10 days"); the checker makes the drafter round such a result, and a
    duration added to a date or shown to a person must have whole days.
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
        """ "2 years 6 months 15 days", "1 month", "0 days"; "minus 3 days" below zero."""
        if self.total_days < 0:
            return "minus " + (-self).text
        years, months = divmod(self.months, 12) if self.months >= 0 else (0, self.months)
        parts = [_count(years, "year"), _count(months, "month")]
        if self.days < 0:
            parts.append("minus " + _count(-self.days, "day"))
        else:
            parts.append(_count(self.days, "day"))
        return " ".join(p for p in parts if p) or "0 days"

    def __str__(self) -> str:
        return self.text

    @staticmethod
    def parse(text: str) -> Duration:
        """ "3 years 6 months", "120 days", "1 year, 2 weeks and 3 days", or ISO 8601 "P3Y6M", "P120D"."""
        cleaned = text.strip().lower()
        iso = _ISO_DURATION.fullmatch(cleaned)
        if iso and any(iso.groups()):
            years, months, weeks, days = (int(g or 0) for g in iso.groups())
            return Duration(years * 12 + months, weeks * 7 + days)
        words = re.sub(r",|\band\b", " ", cleaned).split()
        if not words or len(words) % 2 or not all(n.isdigit() and n.isascii() for n in words[::2]):
            raise ValueError(f'{_shown(text)} is not a duration such as "3 years 6 months" or "120 days"')
        months = days = 0
        for number, unit in zip(words[::2], words[1::2], strict=True):
            size = _UNITS.get(unit.rstrip("s") if unit != "days" else "day")
            if size is None:
                raise ValueError(f"{_shown(text)}: '{unit}' is not years, months, weeks or days")
            months, days = months + int(number) * size[0], days + int(number) * size[1]
        return Duration(months, days)


_ISO_DURATION: Final = re.compile(r"p(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?")
_UNITS: Final = {"year": (12, 0), "month": (1, 0), "week": (0, 7), "day": (0, 1)}


def _duration(months: Number, days: Number) -> Duration:
    """A Duration with whole-number parts stored as int, so equal durations print alike."""
    if isinstance(days, Fraction) and days.denominator == 1:
        days = days.numerator
    return Duration(int(months), days)


def _count(n: Number, unit: str) -> str:
    return "" if n == 0 else f"{decimal_text(n)} {unit}{'' if n == 1 else 's'}"


@dataclasses.dataclass(frozen=True, slots=True)
class Period:
    """The dates from `start` to `end`, both included."""

    start: datetime.date
    end: datetime.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, datetime.date) and self.start <= day <= self.end

    @property
    def text(self) -> str:
        return f"from {self.start.isoformat()} to {self.end.isoformat()}"


def add_to_date(day: datetime.date, duration: Duration) -> datetime.date:
    """Calendar months first, keeping the day of the month or the month's last day (31 January + 1 month =
    28 February), then the days."""
    if isinstance(duration.days, Fraction):
        raise ValueError(f"cannot add {duration.days} days to a date: round the duration to whole days first")
    year, month = divmod(day.year * 12 + day.month - 1 + duration.months, 12)
    moved = datetime.date(year, month + 1, min(day.day, _days_in_month(year, month + 1)))
    return moved + datetime.timedelta(days=duration.days)


def _days_in_month(year: int, month: int) -> int:
    if month == 12:
        return 31
    return (datetime.date(year, month + 1, 1) - datetime.date(year, month, 1)).days


def days_between(later: datetime.date, earlier: datetime.date) -> Duration:
    """`later` minus `earlier`, in days (negative when `later` is earlier)."""
    return Duration(0, (later - earlier).days)


# ------------------------------------------------------------------ rounding and showing numbers


def _round_floor(value: Number, mode: str) -> int:
    """Round on the number line: down = floor, up = ceiling, half up = nearest with halves going up."""
    if mode == "down":
        return int(value // 1)
    if mode == "up":
        return -int(-value // 1)
    if mode == "half up":
        return int((value + Fraction(1, 2)) // 1)
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
    sign = -1 if value.total_days < 0 else 1
    if unit == "days":
        return Duration(value.months, sign * _round_floor(sign * value.days, mode))
    months = value.months + Fraction(value.days) / 30
    if unit == "months":
        return Duration(round_whole(months, mode), 0)
    if unit == "years":
        return Duration(12 * round_whole(months / 12, mode), 0)
    raise ValueError(f"cannot round a duration to {unit!r}")


def decimal_text(value: Number, places: int = 0) -> str:
    """Exact decimal digits ("0.75", "250000"), at least `places` after the point; "1/3" when no decimal is exact."""
    value = Fraction(value)
    for shown in range(places, places + 20):
        scaled = value * 10**shown
        if scaled.denominator == 1:
            digits = str(abs(scaled.numerator)).rjust(shown + 1, "0")
            whole, part = (digits[:-shown], digits[-shown:]) if shown else (digits, "")
            return ("-" if value < 0 else "") + whole + ("." + part if part else "")
    return f"{value.numerator}/{value.denominator}"


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
        return decimal_text(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = getattr(value, "text", None)
    if isinstance(text, str):
        return text
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


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


# ------------------------------------------------------------------ the trace


@dataclasses.dataclass(frozen=True, slots=True)
class TraceEnter:
    """A definition starts being computed; `subject` is the record for a record's definition, else None.

    A case-level definition is computed once per case: its events appear at its first use only."""

    definition: str
    subject: object


@dataclasses.dataclass(frozen=True, slots=True)
class TraceLeave:
    """The definition entered last is decided: its value and the rules that gave it (none: the default)."""

    value: object
    rules: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class TraceBeginRule:
    """A rule's condition starts being tested. Rules overridden by a rule that applied are not tested."""

    rule: str


@dataclasses.dataclass(frozen=True, slots=True)
class TraceEndRule:
    """The rule begun last applied or not."""

    applied: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TraceCompare:
    """A comparison, one-of or within test at `atom` (the offset of its words in the statute) was decided.

    `right` is the tuple of values for one-of, the Period for within, the (low, high) pair for between."""

    atom: int
    left: object
    right: object
    result: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TraceTruth:
    """A yes/no at `atom` was decided: a predicate, a yes/no fact or parameter, is given, any/every/no."""

    atom: int
    value: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TraceElement:
    """The quantifier, count or aggregate at `atom` looks at element `index` (from 0) of its list; the events up
    to the next TraceElement of the same atom, or its own event, are about this element."""

    atom: int
    index: int
    element: object


TraceEvent = TraceEnter | TraceLeave | TraceBeginRule | TraceEndRule | TraceCompare | TraceTruth | TraceElement


class Trace:
    """What one decision looked at, in order, as a flat list of events (see the Trace* classes).

    Pass one to `decide`; evaluation without a trace records nothing and costs nothing extra. Atoms are compared or
    tested with their events emitted after their operands' own events, so a definition used inside a condition has
    its Enter..Leave before the Truth or Compare that uses its value. Conditions short-circuit as written ("a and b"
    does not test b when a fails) and the trace shows only what was tested.
    """

    __slots__ = ("events",)

    def __init__(self) -> None:
        self.events: list[TraceEvent] = []

    def enter(self, definition: str, subject: object) -> None:
        self.events.append(TraceEnter(definition, subject))

    def leave(self, value: object, rules: tuple[str, ...]) -> None:
        self.events.append(TraceLeave(value, rules))

    def begin_rule(self, rule: str) -> None:
        self.events.append(TraceBeginRule(rule))

    def end_rule(self, applied: bool) -> None:
        self.events.append(TraceEndRule(applied))

    def compare(self, atom: int, left: object, right: object, result: bool) -> bool:
        self.events.append(TraceCompare(atom, left, right, result))
        return result

    def truth(self, atom: int, value: bool) -> bool:
        self.events.append(TraceTruth(atom, value))
        return value

    def each(self, atom: int, elements: Iterable[T]) -> Iterator[T]:
        for index, element in enumerate(elements):
            self.events.append(TraceElement(atom, index, element))
            yield element


def deciding_rules(rules: tuple[str, ...], *applied: bool) -> tuple[str, ...]:
    """The rules among `rules` whose flag in `applied` is set."""
    return tuple(rule for rule, yes in zip(rules, applied, strict=True) if yes)


# ------------------------------------------------------------------ reading a case


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


class _Worded(Protocol):
    @property
    def text(self) -> str: ...


O = TypeVar("O", bound=_Ordered)  # noqa: E741
W = TypeVar("W", bound=_Worded)
_ARTICLES: Final = frozenset({"the", "a", "an"})


def words_key(text: str) -> str:
    """What two spellings of a value share: lower case, '_' as a space, no extra spaces, no the/a/an."""
    return " ".join(w for w in text.lower().replace("_", " ").split() if w not in _ARTICLES)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class CaseReader:
    """Reads the fields of one record of a case, noting every problem instead of stopping at the first.

    A missing or wrong required field gives its `fallback`, so the record can still be built; `load_case` raises
    CaseError when any problem was noted, and such a record is never used.
    """

    __slots__ = ("data", "path", "problems")

    def __init__(self, data: object, path: str, problems: list[Problem], fields: tuple[str, ...]) -> None:
        self.path, self.problems = path, problems
        self.data: Mapping[Any, object] = data if isinstance(data, Mapping) else {}
        if not isinstance(data, Mapping):
            problems.append(
                Problem(path, "", f"expected an object with the fields {', '.join(fields)}, not {_shown(data)}")
            )
            self.problems = []  # its fields are all missing; saying so again would only hide the real problem
        for key in self.data:
            if key not in fields:
                problems.append(
                    Problem(path, str(key), "is not a field of this record" + _did_you_mean(str(key), fields))
                )

    def _note(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.path, key, reason))

    def _parse(self, key: str, raw: object, parse: Callable[[object], T], fallback: F) -> T | F:
        try:
            return parse(raw)
        except ValueError as exc:
            self._note(key, str(exc))
            return fallback

    def required(self, key: str, parse: Callable[[object], T], fallback: T) -> T:
        raw = self.data.get(key)
        if raw is None:
            self._note(key, "is required but missing")
            return fallback
        return self._parse(key, raw, parse, fallback)

    def optional(self, key: str, parse: Callable[[object], T]) -> T | None:
        raw = self.data.get(key)
        return None if raw is None else self._parse(key, raw, parse, None)

    def required_between(self, key: str, parse: Callable[[object], O], low: O, high: O) -> O:
        return self._between(key, self.required(key, parse, low), low, high)

    def optional_between(self, key: str, parse: Callable[[object], O], low: O, high: O) -> O | None:
        value = self.optional(key, parse)
        return None if value is None else self._between(key, value, low, high)

    def _between(self, key: str, value: O, low: O, high: O) -> O:
        if value < low or high < value:
            self._note(key, f"must be from {_shown(low)} to {_shown(high)}, not {_shown(value)}")
            return low
        return value

    def records(self, key: str, load: Callable[[object, str, list[Problem]], R]) -> tuple[R, ...]:
        raw = self.data.get(key)
        if raw is None:
            self._note(key, "is required but missing (give [] for none)")
        elif not isinstance(raw, list | tuple):
            self._note(key, f"expected a list of records, not {_shown(raw)}")
        else:
            return tuple(load(item, f"{self.path}.{key}[{i}]", self.problems) for i, item in enumerate(raw))
        return ()

    def optional_records(self, key: str, load: Callable[[object, str, list[Problem]], R]) -> tuple[R, ...] | None:
        return None if self.data.get(key) is None else self.records(key, load)

    def record(self, key: str, load: Callable[[object, str, list[Problem]], R]) -> R:
        raw = self.data.get(key)
        if raw is None:
            self._note(key, "is required but missing")
            return load({}, f"{self.path}.{key}", [])
        return load(raw, f"{self.path}.{key}", self.problems)

    def optional_record(self, key: str, load: Callable[[object, str, list[Problem]], R]) -> R | None:
        return None if self.data.get(key) is None else self.record(key, load)


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, not {_shown(value)}")


def parse_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError(f"expected a whole number, not {_shown(value)}")


_DECIMAL: Final = re.compile(r"[+-]?\d+(\.\d+)?|[+-]?\d+/[1-9]\d*")


def parse_decimal(value: object) -> Fraction:
    """An exact number: an int, a string such as "250000.00", "-0.5" or "3/4", or a float read as it prints."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(value)
    if isinstance(value, float) and value - value == 0:  # finite
        return Fraction(repr(value))
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        return Fraction(value.strip())
    raise ValueError(f'expected a number such as "250000.00", not {_shown(value)}')


def parse_text(value: object) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"expected a text, not {_shown(value)}")


def parse_date(value: object) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{_shown(value)} is not a day of the calendar") from None
    raise ValueError(f'expected a date such as "2022-01-05", not {_shown(value)}')


def parse_duration(value: object) -> Duration:
    if isinstance(value, Duration):
        return value
    if isinstance(value, str):
        return Duration.parse(value)
    raise ValueError(f'expected a duration such as "3 years 6 months" or "120 days", not {_shown(value)}')


def enum_parser(values: Iterable[W]) -> Callable[[object], W]:
    """A parser taking the drafter's words for a value, ignoring case, extra spaces and the/a/an."""
    by_words = {words_key(v.text): v for v in values}

    def parse(value: object) -> W:
        if isinstance(value, str) and words_key(value) in by_words:
            return by_words[words_key(value)]
        for member in by_words.values():
            if value is member:  # given by Python code
                return member
        choices = ", ".join(v.text for v in by_words.values())
        hint = _did_you_mean(words_key(value), by_words) if isinstance(value, str) else ""
        raise ValueError(f"{_shown(value)} is not one of: {choices}{hint}")

    return parse


# --- runtime: end ---
