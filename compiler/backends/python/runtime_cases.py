"""Reading a case from JSON-like data: every field checked, every problem reported at once.

Part of the runtime every generated module carries (see runtime.py): the part between the markers is copied into
the module.
"""

from __future__ import annotations

import datetime
import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from fractions import Fraction
from typing import Any, Final, Protocol, TypeVar

from compiler.backends.python.runtime import Problem, T
from compiler.values import MAX_DIGITS, Duration, _duration, _shown, order_hangs_on_month

# --- runtime: begin ---

F = TypeVar("F")
R = TypeVar("R")
N = TypeVar("N", int, Fraction)


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

    def __init__(
        self, data: object, path: str, problems: list[Problem], fields: tuple[str, ...], named: bool = False
    ) -> None:
        """`named`: a record of a list, which may carry an "id" besides its fields (element_id reads it)."""
        self.path, self.problems = path, problems
        self.data: Mapping[Any, object]
        # A plain dict first: an isinstance check against the Mapping ABC costs as much as reading a field.
        if type(data) is dict or isinstance(data, Mapping):
            self.data = data
        else:
            self.data = {}
            problems.append(
                Problem(path, "", f"expected an object with the fields {', '.join(fields)}, not {_shown(data)}")
            )
            self.problems = []  # its fields are all missing; saying so again would only hide the real problem
        for key in self.data:
            if key not in fields and not (named and key == "id"):
                problems.append(
                    Problem(path, str(key), "is not a field of this record" + _did_you_mean(str(key), fields))
                )

    def _note(self, key: str, reason: str) -> None:
        self.problems.append(Problem(self.path, key, reason))

    # required and optional parse in place rather than through a shared helper: they run once per field of every
    # row of a register, and a call less per field is a tenth of reading a case.
    def required(self, key: str, parse: Callable[[object], T], fallback: T) -> T:
        raw = self.data.get(key)
        if raw is None:
            self._note(key, "is required but missing")
            return fallback
        try:
            return parse(raw)
        except ValueError as exc:
            self._note(key, str(exc))
            return fallback

    def optional(self, key: str, parse: Callable[[object], T]) -> T | None:
        raw = self.data.get(key)
        if raw is None:
            return None
        try:
            return parse(raw)
        except ValueError as exc:
            self._note(key, str(exc))
            return None

    def required_between(
        self,
        key: str,
        parse: Callable[[object], O],
        low: O,
        high: O,
        calendar: bool = False,
        shown: Callable[[O], str] | None = None,
    ) -> O:
        return self._in_range(key, self.required(key, parse, low), low, high, calendar, shown)

    def optional_between(
        self,
        key: str,
        parse: Callable[[object], O],
        low: O,
        high: O,
        calendar: bool = False,
        shown: Callable[[O], str] | None = None,
    ) -> O | None:
        value = self.optional(key, parse)
        return None if value is None else self._in_range(key, value, low, high, calendar, shown)

    def _in_range(
        self, key: str, value: O, low: O, high: O, calendar: bool, shown: Callable[[O], str] | None = None
    ) -> O:
        """`value`, or a problem noted when it is outside [low, high] or, with `calendar` (a duration whose bounds do
        not say how a month counts), when its place against a bound hangs on a month's length. `shown` writes the
        values in the message where a value's own form would mislead (a percentage: 150%, not 1.5)."""
        if calendar and isinstance(value, Duration) and isinstance(low, Duration) and isinstance(high, Duration):
            for bound, hangs in ((low, order_hangs_on_month(low, value)), (high, order_hangs_on_month(value, high))):
                if hangs:
                    self._note(key, _month_hangs(value, low, high, bound))
                    return low
        return self._out_of_range(key, value, low, high, shown or _shown) if value < low or high < value else value

    def _out_of_range(self, key: str, value: O, low: O, high: O, shown: Callable[[O], str]) -> O:
        self._note(key, f"must be from {shown(low)} to {shown(high)}, not {shown(value)}")
        return low

    def records(self, key: str, load: Callable[[object, str, list[Problem]], R]) -> tuple[R, ...]:
        raw = self.data.get(key)
        if raw is None:
            self._note(key, "is required but missing (give [] for none)")
        elif not isinstance(raw, list | tuple):
            self._note(key, f"expected a list of records, not {_shown(raw)}")
        else:
            records = tuple(
                load(item, _element_path(f"{self.path}.{key}[{i}]", item), self.problems) for i, item in enumerate(raw)
            )
            self._unique_ids(key, raw)
            return records
        return ()

    def element_id(self) -> str | int | None:
        """The id a record of a list may carry (a text or a whole number, like a case's): data, never a fact."""
        raw = self.data.get("id")
        if raw is None or type(raw) is str or type(raw) is int:
            return raw
        self._note("id", f"must be a text or a whole number, not {_shown(raw)}")
        return None

    def _unique_ids(self, key: str, raw: list[object] | tuple[object, ...]) -> None:
        first: dict[object, int] = {}
        for i, item in enumerate(raw):
            ident = item.get("id") if type(item) is dict else None
            if type(ident) is str or type(ident) is int:
                if ident in first:
                    where = _element_path(f"{self.path}.{key}[{i}]", item)
                    reason = f"is the id of {key}[{first[ident]}] too: each must be its own"
                    self.problems.append(Problem(where, "id", reason))
                else:
                    first[ident] = i

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


def _element_path(path: str, item: object) -> str:
    """ "household.adults[1] (Javier)": a record of a list by its place, and its id when it carries one."""
    ident = item.get("id") if type(item) is dict else None
    if type(ident) is str or type(ident) is int:
        shown = str(ident) if len(str(ident)) <= 40 else str(ident)[:37] + "..."
        return f"{path} ({shown})"
    return path


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(f"expected true or false, not {_shown(value)}")


def parse_int(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return _not_huge(value)
    raise ValueError(f"expected a whole number, not {_shown(value)}")


def _not_huge(value: N) -> N:
    """`value`, unless it has more than MAX_DIGITS digits (in its numerator or denominator)."""
    parts = (value.numerator, value.denominator) if isinstance(value, Fraction) else (value,)
    if any(abs(part) >= 10**MAX_DIGITS for part in parts):
        raise ValueError(f"a number of more than {MAX_DIGITS} digits is not a fact of a case")
    return value


# [0-9], not \d: \d takes every script's digits ("١٠٠", "𝟏𝟎𝟎"), which Fraction reads as 100; a number is written as
# JSON writes it, in the digits 0 to 9, on every path (docs/population.md).
_PERCENT: Final = re.compile(r"\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*%\s*")
_DECIMAL: Final = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?|[+-]?[0-9]+/[1-9][0-9]*")


def parse_decimal(value: object) -> Fraction:
    """An exact number: an int, a string such as "250000.00", "-0.5" or "3/4", or a float read as it prints."""
    if isinstance(value, int) and not isinstance(value, bool):
        return Fraction(_not_huge(value))
    if isinstance(value, float) and value - value == 0:  # finite
        return _not_huge(Fraction(repr(value)))
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        if sum(c.isdigit() for c in value) > MAX_DIGITS:
            raise ValueError(f"a number of more than {MAX_DIGITS} digits is not a fact of a case")
        return Fraction(value.strip())
    raise ValueError(f'expected a number such as "250000.00", not {_shown(value)}')


def parse_percentage(value: object) -> Fraction:
    """A percentage as a case file writes it, the text "15%" or "12.5%": the share it names (3/20, 1/8). A bare
    number is refused, as 15 could mean 15% or 1500%."""
    if isinstance(value, str):
        found = _PERCENT.fullmatch(value)
        if found is not None:
            if sum(c.isdigit() for c in value) > MAX_DIGITS:
                raise ValueError(f"a number of more than {MAX_DIGITS} digits is not a fact of a case")
            return Fraction(found.group(1)) / 100
    raise ValueError(f'expected a percentage such as "15%" or "12.5%", not {_shown(value)}')


def parse_text(value: object) -> str:
    if isinstance(value, str):
        return value
    raise ValueError(f"expected a text, not {_shown(value)}")


# A register repeats a few hundred days and durations over and over: each text is parsed once and its (immutable)
# value kept, up to this many texts of each kind, so that the memory stays flat however long the register.
_PARSED_TEXTS_KEPT: Final = 4096
_DATES_BY_TEXT: Final[dict[str, datetime.date]] = {}
_DURATIONS_BY_TEXT: Final[dict[str, Duration]] = {}
_DATE_TEXT: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def parse_date(value: object) -> datetime.date:
    if isinstance(value, str):
        day = _DATES_BY_TEXT.get(value)
        if day is None:
            day = _date_from_text(value)
            if len(_DATES_BY_TEXT) < _PARSED_TEXTS_KEPT:
                _DATES_BY_TEXT[value] = day
        return day
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    raise ValueError(f'expected a date such as "2022-01-05", not {_shown(value)}')


def _date_from_text(value: str) -> datetime.date:
    if _DATE_TEXT.fullmatch(value.strip()):
        try:
            return datetime.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{_shown(value)} is not a day of the calendar") from None
    raise ValueError(f'expected a date such as "2022-01-05", not {_shown(value)}')


def parse_duration(value: object) -> Duration:
    if isinstance(value, str):
        duration = _DURATIONS_BY_TEXT.get(value)
        if duration is None:
            duration = Duration.parse(value)
            if len(_DURATIONS_BY_TEXT) < _PARSED_TEXTS_KEPT:
                _DURATIONS_BY_TEXT[value] = duration
        return duration
    if isinstance(value, Duration):  # made by a caller, perhaps not in the normal form every value is in
        return _duration(value.months, value.days)
    raise ValueError(f'expected a duration such as "3 years 6 months" or "120 days", not {_shown(value)}')


class UnusualCase(Exception):
    """Raised by a generated module's fast readers (`_read_<record>`) at anything not plainly right; `load_case`
    then reads the case again with the careful readers, which say what is wrong."""


# The largest whole number a case may give, plus one (see _not_huge): the fast readers compare with it.
WHOLE_LIMIT: Final = 10**MAX_DIGITS


class KnownTexts(dict[object, O]):
    """The texts of one field already read and found in range, with their values: the fast readers' one lookup.

    A value not yet known is parsed and checked here: kept when it is a text (at most _PARSED_TEXTS_KEPT, so memory
    stays flat), UnusualCase when it is not right. A register repeats a few hundred dates and durations.
    """

    __slots__ = ("calendar", "high", "low", "parse")

    def __init__(
        self, parse: Callable[[object], O], low: O | None = None, high: O | None = None, calendar: bool = False
    ) -> None:
        super().__init__()
        self.parse, self.low, self.high, self.calendar = parse, low, high, calendar

    def __missing__(self, raw: object) -> O:
        try:
            value = self.parse(raw)
        except ValueError:
            raise UnusualCase from None
        if self.low is not None and self.high is not None and (value < self.low or self.high < value):
            raise UnusualCase
        low, high = self.low, self.high
        if self.calendar and _hangs_on_month(value, low, high):
            raise UnusualCase  # the careful reader says why (Reader._in_range)
        if type(raw) is str and len(self) < _PARSED_TEXTS_KEPT:
            self[raw] = value
        return value


def _hangs_on_month(value: object, low: object, high: object) -> bool:
    """A duration whose place against one of its bounds hangs on a month's length."""
    if not (isinstance(value, Duration) and isinstance(low, Duration) and isinstance(high, Duration)):
        return False
    return order_hangs_on_month(low, value) or order_hangs_on_month(value, high)


def _month_hangs(value: Duration, low: Duration, high: Duration, bound: Duration) -> str:
    """Both readings of a duration whose place against a bound hangs on a month's length, for a problem."""
    within = "within" if low <= value <= high else "outside"
    other = "outside" if within == "within" else "within"
    unit = "months" if bound.months else "days"
    return (
        f"{value.text} against the bound {bound.text} depends on how long a month is: at 30 days to the month it is "
        f"{within} {low.text} to {high.text}, with calendar months (28 to 31 days) it may be {other}; give it in "
        f"{unit}, as the bound is, or the statute must say 'counting a month as 30 days' after the field's bounds"
    )


def enum_parser(values: Iterable[W]) -> Callable[[object], W]:
    """A parser taking the drafter's words for a value, ignoring case, extra spaces and the/a/an."""
    by_words = {words_key(v.text): v for v in values}
    # Most cases give the drafter's exact words: one lookup, without normalising them first.
    by_text = {v.text: v for v in by_words.values()}

    def parse(value: object) -> W:
        if isinstance(value, str):
            found = by_text.get(value)
            if found is None:
                found = by_words.get(words_key(value))
            if found is not None:
                return found
        for member in by_words.values():
            if value is member:  # given by Python code
                return member
        choices = ", ".join(v.text for v in by_words.values())
        hint = _did_you_mean(words_key(value), by_words) if isinstance(value, str) else ""
        raise ValueError(f"{_shown(value)} is not one of: {choices}{hint}")

    return parse


# --- runtime: end ---
