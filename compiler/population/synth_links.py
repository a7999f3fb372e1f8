"""Links between the facts of a synthetic case (compiler/population/synth.py): a fact drawn from facts generated before
it, as a drafter or a statistician states it, so that a register holds no case a court could not have (a sentence
that starts before the act it punishes, an act before the person's fourteenth birthday, an age that does not fit the
dates). By example::

    "sentence_start": {"after": "the act date of every charge", "by": "1 month to 2 years"}
    "act_date":       {"after": "the birth date", "by": "14 years to 70 years"}
    "age_at_act":     {"years from": "the birth date", "to": "the act date"}
    "days_used":      {"at most": "the days owned"}
    "refund":         {"at most": "the tax paid", "by": [0, 500]}

`after` and `before` move a date; `at least` and `at most` a duration, an amount or a number; `by` is how far (a
range of durations for dates and durations, of numbers otherwise), and without it the value is drawn anywhere between
the other fact and the field's declared bound. `years from` / `months from` / `days from` ... `to` give the whole
years (months, days) between two dates, as a whole number or a duration ("to the act date of every charge": to the
earliest, so that the figure holds for every one). A phrase names a field by its words or its
identifier, of the record being generated or one enclosing it ("the birth date"), or of the records of a list
generated before: "of every charge" (every one of them: after the latest date, at most the least amount) or "of any
charge" (at least one of them: after the earliest). When the other fact is not given, the field is drawn as if
unlinked. Every phrase is checked when the profile is read."""

from __future__ import annotations

import datetime
import difflib
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, assert_never

from compiler.interpret.read import parse_duration
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population.synth_values import Gen, ProfileError, Scope
from compiler.values import Duration, add_to_date, duration_text, number_text, whole_between

MOVES = ("after", "before", "at least", "at most")
SPANS = {"years from": "years", "months from": "months", "days from": "days"}
KEYS = (*MOVES, *SPANS)
_WORDS = {"every": "every", "each": "every", "all": "every", "any": "any", "some": "any"}


def is_link(spec: Mapping[str, Any]) -> bool:
    return any(key in spec for key in KEYS)


@dataclass(frozen=True)
class Anchor:
    """The other fact of a link: its kind and its values in a case being built (several for "of every charge")."""

    field: ir.FieldDef
    values: Callable[[Scope], list[Any]]
    every: bool  # "of every charge" (or a single fact); False for "of any charge"

    @property
    def kind(self) -> Kind:
        return self.field.type.kind

    @property
    def described(self) -> str:
        return f"the {self.field.label} ({self.field.type.describe()})"


def link(
    checked: ir.Checked, f: ir.FieldDef, spec: Mapping[str, Any], visible: set[str], plain: Gen, where: str
) -> Gen:
    """A generator for `f` linked as `spec` says, falling back to `plain` when the other fact is not given."""
    keys = [k for k in KEYS if k in spec]
    if len(keys) > 1:
        raise ProfileError(f"{where}: one link per field, not {' and '.join(map(repr, keys))}")
    key = keys[0]
    unknown = sorted(set(spec) - {key, "by", "to", "given", "given_if"})
    if unknown:
        raise ProfileError(f"{where}: a link ({key!r}) takes 'by', 'given' and 'given_if', not {unknown[0]!r}")
    if key in SPANS:
        return _span(checked, f, spec, key, visible, plain, where)
    anchor = resolve(checked, str(spec[key]), visible, f"{where}: {key!r}")
    _same_kind(f, anchor, key, where)
    window = _window(f, spec, key, where)
    later = key in ("after", "at least")
    # After every charge's act: after the latest one; at most every charge's amount: at most the least one.
    pick = max if later == anchor.every else min

    def linked(rng: random.Random, scope: Scope) -> Any:
        values = anchor.values(scope)
        return window(rng, pick(values)) if values else plain(rng, scope)

    return linked


def _span(
    checked: ir.Checked, f: ir.FieldDef, spec: Mapping[str, Any], key: str, visible: set[str], plain: Gen, where: str
) -> Gen:
    if "by" in spec:
        raise ProfileError(f"{where}: {key!r} counts the time between two dates: it takes no 'by'")
    if "to" not in spec:
        raise ProfileError(
            f'{where}: {key!r} needs "to": the later date, e.g. {{"{key}": "the birth date", "to": ...}}'
        )
    start = resolve(checked, str(spec[key]), visible, f"{where}: {key!r}")
    end = resolve(checked, str(spec["to"]), visible, f"{where}: 'to'")
    for anchor, name in ((start, key), (end, "to")):
        if anchor.kind is not Kind.DATE:
            raise ProfileError(f"{where}: {name!r} names {anchor.described}, but {key!r} counts between dates")
    if f.type.kind is not Kind.INT and f.type.kind is not Kind.DURATION:
        raise ProfileError(f"{where}: {key!r} gives a whole number or a duration; the {f.label} is neither")
    unit = SPANS[key]

    def counted(rng: random.Random, scope: Scope) -> Any:
        starts, ends = start.values(scope), end.values(scope)
        if not starts or not ends:
            return plain(rng, scope)
        # The span that holds for every charge named: from the latest start to the earliest end ("of any": widest).
        n = whole_between(unit, (max if start.every else min)(starts), (min if end.every else max)(ends))
        if f.type.kind is Kind.INT:
            return n
        return duration_text(12 * n if unit == "years" else n if unit == "months" else 0, n if unit == "days" else 0)

    return counted


def _same_kind(f: ir.FieldDef, anchor: Anchor, key: str, where: str) -> None:
    kind = f.type.kind
    if key in ("after", "before") and (kind is not Kind.DATE or anchor.kind is not Kind.DATE):
        raise ProfileError(
            f"{where}: {key!r} moves a date from a date; here the {f.label} ({f.type.describe()}) from "
            f"{anchor.described} ('at least' and 'at most' link durations, amounts and numbers)"
        )
    if key in ("at least", "at most"):
        if kind is Kind.DATE:
            raise ProfileError(f"{where}: a date is 'after' or 'before' another, not {key!r}")
        fits = (kind is Kind.DURATION and anchor.kind is Kind.DURATION) or (_amount(kind) and _amount(anchor.kind))
        if not fits:
            raise ProfileError(f"{where}: the {f.label} ({f.type.describe()}) cannot be {key} {anchor.described}")


def _amount(kind: Kind) -> bool:
    """An amount or a number, which 'at least' and 'at most' move by numbers."""
    match kind:
        case Kind.INT | Kind.NUMBER | Kind.MONEY:
            return True
        case (
            Kind.BOOL
            | Kind.PERCENTAGE
            | Kind.DATE
            | Kind.DURATION
            | Kind.TEXT
            | Kind.PERIOD
            | Kind.ENUM
            | Kind.RECORD
            | Kind.LIST
            | Kind.CITATION
        ):
            return False
        case _:
            assert_never(kind)


# ------------------------------------------------------------------ how far: the window of a moved value


def _window(f: ir.FieldDef, spec: Mapping[str, Any], key: str, where: str) -> Callable[[random.Random, Any], Any]:
    """Draws the linked value from the other fact's value: moved by `by` (or up to the field's bound), kept within
    the field's bounds (when the two disagree the bound wins: a case outside the vocabulary is no case at all)."""
    forward = key in ("after", "at least")
    match f.type.kind:
        case Kind.DATE | Kind.DURATION:
            by = _durations(spec["by"], where) if "by" in spec else None
            return _calendar_window(f, by, forward, where)
        case Kind.INT | Kind.NUMBER | Kind.MONEY:
            span = _numbers(spec["by"], where) if "by" in spec else None
            return _number_window(f, span, forward, where)
        case _:
            raise ProfileError(f"{where}: {key!r} links dates, durations, amounts and numbers")


def _calendar_window(
    f: ir.FieldDef, by: tuple[Duration, Duration] | None, forward: bool, where: str
) -> Callable[[random.Random, Any], Any]:
    is_date = f.type.kind is Kind.DATE
    low = _ordinal(f.low) if f.low is not None else None
    high = _ordinal(f.high) if f.high is not None else None
    if by is None and (high if forward else low) is None:
        raise ProfileError(f"{where}: the {f.label} has no declared bound to draw up to: say how far with 'by'")

    def moved(value: Any, d: Duration) -> int:
        if is_date:
            return add_to_date(value, d if forward else Duration(-d.months, -d.days)).toordinal()
        return int(value.total_days + (d.total_days if forward else -d.total_days))

    def draw(rng: random.Random, value: Any) -> Any:
        anchor = value.toordinal() if is_date else int(value.total_days)
        if by is None:
            first, last = (anchor, high) if forward else (low, anchor)
        else:
            first, last = sorted((moved(value, by[0]), moved(value, by[1])))
        first, last = _within(first, last, low, high)
        n = rng.randint(first, last) if first <= last else first
        if is_date:
            return datetime.date.fromordinal(n).isoformat()
        return duration_text(0, n)

    return draw


def _number_window(
    f: ir.FieldDef, span: tuple[Fraction, Fraction] | None, forward: bool, where: str
) -> Callable[[random.Random, Any], Any]:
    whole = f.type.kind is Kind.INT
    low = Fraction(f.low) if isinstance(f.low, int | Fraction) else (Fraction(0) if not forward else None)
    high = Fraction(f.high) if isinstance(f.high, int | Fraction) else None
    if span is None and forward and high is None:
        raise ProfileError(f"{where}: the {f.label} has no declared upper bound: say how far with 'by'")

    def draw(rng: random.Random, anchor: Fraction) -> Any:
        if span is None:
            first, last = (anchor, high) if forward else (low, anchor)
        else:
            first, last = (anchor + span[0], anchor + span[1]) if forward else (anchor - span[1], anchor - span[0])
        first, last = _within(first, last, low, high)
        if last < first:
            last = first
        if whole:
            return rng.randint(_ceil(first), max(_ceil(first), int(last // 1)))
        cents = rng.randint(_ceil(first * 100), max(_ceil(first * 100), int(last * 100 // 1)))
        return number_text(Fraction(cents, 100))

    return draw


def _within(first: Any, last: Any, low: Any, high: Any) -> tuple[Any, Any]:
    if low is not None:
        first, last = max(first, low), max(last, low)
    if high is not None:
        first, last = min(first, high), min(last, high)
    return first, last


def _ceil(x: Fraction) -> int:
    return -(-x.numerator // x.denominator)


def _ordinal(bound: Any) -> int:
    if isinstance(bound, datetime.date):
        return bound.toordinal()
    assert isinstance(bound, ir.Duration)
    return int(bound.total_days)


def _pair(spec: Any, where: str) -> tuple[Any, Any]:
    if isinstance(spec, str) and " to " in spec:
        first, last = spec.split(" to ", 1)
        return first, last
    if isinstance(spec, list) and len(spec) == 2:
        return spec[0], spec[1]
    raise ProfileError(f"{where}: 'by' is a range such as \"1 month to 2 years\" or [low, high]")


def _durations(spec: Any, where: str) -> tuple[Duration, Duration]:
    first, last = _pair(spec, where)
    try:
        low, high = _duration(first), _duration(last)
    except (ValueError, KeyError):
        raise ProfileError(
            f"{where}: 'by' {spec!r} is not a range of durations such as \"1 month to 2 years\""
        ) from None
    if high.total_days < low.total_days:
        raise ProfileError(f"{where}: 'by' {spec!r} runs backwards: the shorter duration comes first")
    return low, high


def _duration(text: Any) -> Duration:
    """A duration as a case or a profile writes it ("1 year 6 months", "P3Y"), in whole days."""
    parsed = parse_duration(str(text))
    return Duration(parsed.months, int(parsed.days))


def _numbers(spec: Any, where: str) -> tuple[Fraction, Fraction]:
    first, last = _pair(spec, where)
    try:
        low, high = Fraction(str(first).replace(",", "").strip()), Fraction(str(last).replace(",", "").strip())
    except ValueError:
        raise ProfileError(f"{where}: 'by' {spec!r} is not a range of numbers such as [0, 500]") from None
    if high < low:
        raise ProfileError(f"{where}: 'by' {spec!r} runs backwards: the smaller number comes first")
    return low, high


# ------------------------------------------------------------------ the other fact: a phrase in the drafter's words


def resolve(checked: ir.Checked, phrase: str, visible: set[str], where: str) -> Anchor:
    """The fact `phrase` names: "the sentence start", "the act date of every charge", "act_date of any charge"."""
    words = phrase.strip().lower()
    words = words.removeprefix("the ")
    name, _, owner = words.partition(" of ")
    if not owner or owner.split(" ", 1)[0] == "the":  # "the birth date (of the person)": a fact of this case
        f = _field(name, [f for r in checked.records for f in r.fields if f.ident in visible], phrase, where)
        kind, ident = f.type.kind, f.ident
        return Anchor(f, lambda scope: _given([_lookup(scope, ident)], kind), True)
    quantifier, _, element = owner.partition(" ")
    if quantifier not in _WORDS or not element:
        raise ProfileError(f"{where}: {phrase!r}: say 'of every {element or owner}' or 'of any {element or owner}'")
    lists = [f for r in checked.records for f in r.fields if f.type.kind is Kind.LIST and f.ident in visible]
    chosen = [f for f in lists if element in _list_names(checked, f)]
    if not chosen:
        seen = ", ".join(sorted({_element(checked, f).label for f in lists})) or "none"
        raise ProfileError(
            f"{where}: {phrase!r}: no list of {element!r} is generated before this field (lists: {seen})"
        )
    items, record = chosen[0].ident, _element(checked, chosen[0])
    f = _field(name, list(record.fields), phrase, where, record.label)
    kind, ident = f.type.kind, f.ident

    def values(scope: Scope) -> list[Any]:
        return _given([item.get(ident) for item in _lookup(scope, items) or []], kind)

    return Anchor(f, values, _WORDS[quantifier] == "every")


def _field(name: str, fields: list[ir.FieldDef], phrase: str, where: str, owner: str = "") -> ir.FieldDef:
    for f in fields:
        if name in (f.label.lower(), f.ident.lower(), f.ident.replace("_", " ").lower()):
            return f
    labels = [f.label for f in fields]
    near = difflib.get_close_matches(name, labels, 1)
    hint = f" (did you mean '{near[0]}'?)" if near else ""
    if owner:
        raise ProfileError(f"{where}: {phrase!r}: a {owner} has no field '{name}'{hint}")
    raise ProfileError(
        f"{where}: {phrase!r}: no field '{name}' of this record or one enclosing it is generated before this one"
        f"{hint} (see 'order')"
    )


def _element(checked: ir.Checked, f: ir.FieldDef) -> ir.RecordDef:
    assert f.type.name is not None
    return checked.record(f.type.name)


def _list_names(checked: ir.Checked, f: ir.FieldDef) -> set[str]:
    record = _element(checked, f)
    return {record.label.lower(), record.ident.lower(), f.label.lower(), f.ident.lower()}


def _lookup(scope: Scope, name: str) -> Any:
    for record in reversed(scope):
        if name in record:
            return record[name]
    return None


def _given(raw: list[Any], kind: Kind) -> list[Any]:
    """The values given, as the window compares them: dates, durations, numbers."""
    out: list[Any] = []
    for value in raw:
        if value is None:
            continue
        match kind:
            case Kind.DATE:
                out.append(datetime.date.fromisoformat(str(value)))
            case Kind.DURATION:
                out.append(_duration(value))
            case Kind.INT | Kind.NUMBER | Kind.MONEY:
                out.append(Fraction(str(value)))
            case _:
                out.append(value)
    return out
