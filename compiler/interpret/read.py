"""A case, as a JSON case file carries it, read into the interpreter's own values; and the checked model's literals
and parameters turned into them.

The case is read after the generated module's `load_case` accepted it (that reader says what is wrong with a bad
case); here each fact is read again, independently, by docs/language.md section 13: ISO dates, durations in words
or ISO 8601, exact decimals, an enumeration's words whatever their capitals and the/a/an.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from fractions import Fraction
from typing import assert_never

from compiler.citations import CitedProvisions
from compiler.interpret.values import Cited, Day, Duration, EnumValue, Money, Period, Record, Value, read_cited
from compiler.model import ir
from compiler.model.kinds import Kind

_UNIT_SIZES = {"year": (12, 0), "month": (1, 0), "week": (0, 7), "day": (0, 1)}
_PERCENT = re.compile(r"\s*([+-]?[0-9]+(?:\.[0-9]+)?)\s*%\s*")
_ISO = re.compile(r"p(?:(\d+)y)?(?:(\d+)m)?(?:(\d+)w)?(?:(\d+)d)?")


def words_key(text: str) -> str:
    """What two spellings of an enumeration value share: small letters, '_' as a space, no the/a/an."""
    return " ".join(w for w in text.lower().replace("_", " ").split() if w not in {"the", "a", "an"})


def enum_values(checked: ir.Checked, ident: str) -> tuple[EnumValue, ...]:
    enum = checked.enum(ident)
    return tuple(EnumValue(enum.ident, i, v.ident, v.text) for i, v in enumerate(enum.values))


def read_case(checked: ir.Checked, data: Mapping[str, object]) -> Record:
    """The case record of `data` (a top-level "id" that is not a field names the case and is left out)."""
    return _record(checked, checked.root, data)


def _record(checked: ir.Checked, ident: str, data: object) -> Record:
    assert isinstance(data, Mapping), f"a {ident} is an object, not {data!r}"
    definition = checked.record(ident)
    facts: dict[str, object] = {}
    for f in definition.fields:
        raw = data.get(f.ident)
        facts[f.ident] = None if raw is None else _fact(checked, f.type, raw)
    element_id = data.get("id") if checked.takes_id(ident) else None
    assert element_id is None or type(element_id) in (str, int), element_id  # the module's reader checked it
    return Record(ident, facts, element_id if isinstance(element_id, str | int) else None)


def _fact(checked: ir.Checked, t: ir.Type, raw: object) -> object:
    match t.kind:
        case Kind.LIST:
            assert isinstance(raw, list | tuple)
            return tuple(_record(checked, t.name or "", item) for item in raw)
        case Kind.RECORD:
            return _record(checked, t.name or "", raw)
        case Kind.BOOL | Kind.INT | Kind.TEXT:
            return raw
        case Kind.NUMBER:
            return _decimal(raw)
        case Kind.MONEY:
            return Money(_decimal(raw))
        case Kind.PERCENTAGE:
            return parse_percentage(raw)
        case Kind.DATE:
            assert isinstance(raw, str | datetime.date)
            return Day.from_iso(raw if isinstance(raw, str) else raw.isoformat())
        case Kind.DURATION:
            assert isinstance(raw, str)
            return parse_duration(raw)
        case Kind.ENUM:
            assert isinstance(raw, str)
            wanted = words_key(raw)
            return next(v for v in enum_values(checked, t.name or "") if words_key(v.text) == wanted)
        case Kind.CITATION:
            return read_cited(raw)
        case Kind.PERIOD:
            raise ValueError(f"a case cannot give {t.describe()}")
        case _:
            assert_never(t.kind)


def parse_percentage(raw: object) -> Fraction:
    """ "15%", "12.5%": the share it names (3/20, 1/8), as a case file writes a percentage."""
    assert isinstance(raw, str), raw
    found = _PERCENT.fullmatch(raw)
    assert found is not None, raw
    return Fraction(found.group(1)) / 100


def _decimal(raw: object) -> Fraction:
    if isinstance(raw, float):
        return Fraction(repr(raw))  # as the number is written, not its binary approximation
    assert isinstance(raw, int | str), raw
    return Fraction(raw.strip() if isinstance(raw, str) else raw)


def parse_duration(text: str) -> Duration:
    """ "3 years 6 months", "120 days", "1 year, 2 weeks and 3 days", or ISO 8601 "P3Y6M"."""
    cleaned = text.strip().lower()
    iso = _ISO.fullmatch(cleaned)
    if iso and any(iso.groups()):
        years, months, weeks, days = (int(g or 0) for g in iso.groups())
        return Duration.of(12 * years + months, 7 * weeks + days)
    words = re.sub(r",|\band\b", " ", cleaned).split()
    months = days = 0
    for number, unit in zip(words[::2], words[1::2], strict=True):
        size = _UNIT_SIZES[unit.removesuffix("s")]
        months, days = months + int(number) * size[0], days + int(number) * size[1]
    return Duration.of(months, days)


# ------------------------------------------------------------------ the checked model's values


def model_value(checked: ir.Checked, value: ir.Value, t: ir.Type) -> Value:
    """A literal or parameter of the checked model as the interpreter's value of type `t`."""
    if isinstance(value, bool):
        return value
    if isinstance(value, datetime.date):
        return _day(value)
    if isinstance(value, ir.Duration):
        return Duration.of(value.months, value.days)
    if isinstance(value, ir.Period):
        return Period(_day(value.start), _day(value.end))
    match t.kind:
        case Kind.MONEY:
            assert isinstance(value, int | Fraction)
            return Money(Fraction(value))
        case Kind.NUMBER | Kind.PERCENTAGE:
            assert isinstance(value, int | Fraction)
            return Fraction(value)
        case Kind.CITATION:
            assert isinstance(value, CitedProvisions)
            return Cited(frozenset(value.items))
        case Kind.ENUM if isinstance(value, str):
            wanted = words_key(value)
            return next(
                v for v in enum_values(checked, t.name or "") if value == v.ident or words_key(v.text) == wanted
            )
        case (
            Kind.BOOL
            | Kind.INT
            | Kind.DATE
            | Kind.DURATION
            | Kind.TEXT
            | Kind.PERIOD
            | Kind.ENUM
            | Kind.RECORD
            | Kind.LIST
        ):
            assert not isinstance(value, CitedProvisions)
            return value
        case _:
            assert_never(t.kind)


def _day(value: datetime.date) -> Day:
    return Day(value.year, value.month, value.day)
