"""Synthetic registers' leaves (compiler/population/synth.py): one value of a plain type, drawn as a profile asks (a
constant, weights, a normal or uniform distribution, a range of dates, months or days) or plainly within the field's
declared bounds, and every value a profile names checked against the statute's vocabulary."""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
import re
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any, assert_never

from compiler.citations import CitedProvisions, citation_text, cited, parse_citation
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import find_all
from compiler.values import duration_text, number_text, percentage_text

Scope = list[dict[str, Any]]  # the records being built, innermost last
Gen = Callable[[random.Random, Scope], Any]
_PERCENT = re.compile(r"\s*[+-]?[0-9]+(\.[0-9]+)?\s*%\s*")  # as the case reader takes it


class ProfileError(ValueError):
    """A profile that does not fit the statute's vocabulary; the message names the profile and the key."""


def leaf(checked: ir.Checked, f: ir.FieldDef, spec: Mapping[str, Any], where: str) -> Gen:
    if "value" in spec:
        constant = checked_value(checked, f, spec["value"], where)
        return lambda rng, scope: constant
    if "weights" in spec:
        values = [checked_value(checked, f, _from_key(k, f), where) for k in spec["weights"]]
        choose = weighted([float(w) for w in spec["weights"].values()], where)
        return lambda rng, scope: values[choose(rng)]
    match f.type.kind:
        case Kind.ENUM:
            assert f.type.name is not None
            texts = [v.text for v in checked.enum(f.type.name).values]
            return lambda rng, scope: texts[rng.randrange(len(texts))]
        case Kind.BOOL:
            return lambda rng, scope: rng.random() < 0.5
        case Kind.TEXT:
            label = f.label
            return lambda rng, scope: f"{label} {rng.randrange(1, 1000)}"
        case Kind.DATE:
            return _date_gen(f, spec, where)
        case Kind.DURATION:
            return _duration_gen(f, spec, where)
        case Kind.INT:
            low, high = (f.low, f.high) if f.low is not None else (0, 100)
            return number_gen(spec or {"uniform": [low, high]}, where, int, low, high)
        case Kind.NUMBER | Kind.MONEY:
            return _decimal_gen(f, spec, where, 10_000)
        case Kind.PERCENTAGE:
            return _percentage_gen(f, spec, where)
        case Kind.CITATION:
            return citation_gen(checked)
        case Kind.PERIOD | Kind.RECORD | Kind.LIST:
            raise ProfileError(f"{where}: cannot generate {f.type.describe()}")
        case _:
            assert_never(f.type.kind)


def _decimal_gen(f: ir.FieldDef, spec: Mapping[str, Any], where: str, largest: int) -> Gen:
    """Decimals to the cent, within the field's bounds (or from 0 to `largest`), in case-file form."""
    low, high = (f.low, f.high) if f.low is not None else (0, largest)
    number = number_gen(
        spec or {"uniform": [low, high]}, where, lambda x: Fraction(round(float(x) * 100), 100), low, high
    )
    return lambda rng, scope: number_text(number(rng, scope))


def _percentage_gen(f: ir.FieldDef, spec: Mapping[str, Any], where: str) -> Gen:
    """Percentages to a hundredth of a percent, within the field's bounds (or from 0% to 100%), in case-file form
    ("12.5%"). A profile's distribution gives percent figures: {"uniform": [10, 20]} is from 10% to 20%."""
    low, high = Fraction(0), Fraction(100)
    if isinstance(f.low, int | Fraction) and isinstance(f.high, int | Fraction):
        low, high = Fraction(f.low) * 100, Fraction(f.high) * 100
    figure = number_gen(
        spec or {"uniform": [low, high]}, where, lambda x: Fraction(round(float(x) * 100), 100), low, high
    )
    return lambda rng, scope: percentage_text(figure(rng, scope) / 100)


def number_gen(
    spec: Mapping[str, Any], where: str, make: Callable[[Any], Any], low: Any = None, high: Any = None
) -> Gen:
    def clip(value: Any) -> Any:
        value = make(value)
        if low is not None and value < low:
            return make(low)
        if high is not None and value > high:
            return make(high)
        return value

    if "weights" in spec:
        values = [clip(k) for k in spec["weights"]]
        choose = weighted([float(w) for w in spec["weights"].values()], where)
        return lambda rng, scope: values[choose(rng)]
    if "normal" in spec:
        mean, sd = (float(x) for x in spec["normal"])

        def truncated(rng: random.Random, scope: Scope) -> Any:
            # Drawn again when outside the bounds: clipping would pile the tail up on the bound itself.
            for _ in range(20):
                value = make(rng.gauss(mean, sd))
                if (low is None or value >= low) and (high is None or value <= high):
                    return value
            return clip(mean)

        return truncated
    if "uniform" in spec:
        lo, hi = spec["uniform"]
        if make is int:
            return lambda rng, scope: clip(rng.randint(int(lo), int(hi)))
        return lambda rng, scope: clip(rng.uniform(float(lo), float(hi)))
    if "value" in spec:
        constant = clip(spec["value"])
        return lambda rng, scope: constant
    raise ProfileError(f"{where}: expected one of 'weights', 'normal', 'uniform', 'value'")


def _date_gen(f: ir.FieldDef, spec: Mapping[str, Any], where: str) -> Gen:
    if "date" in spec:
        first, last = (_date(x, where) for x in spec["date"])
    elif isinstance(f.low, datetime.date) and isinstance(f.high, datetime.date):
        first, last = f.low, f.high
    else:
        first, last = datetime.date(2020, 1, 1), datetime.date(2025, 12, 31)
    start, span = first.toordinal(), (last - first).days
    return lambda rng, scope: datetime.date.fromordinal(start + rng.randint(0, span)).isoformat()


def _duration_gen(f: ir.FieldDef, spec: Mapping[str, Any], where: str) -> Gen:
    if "days" in spec:
        lo, hi = (int(x) for x in spec["days"])
        return lambda rng, scope: duration_text(0, rng.randint(lo, hi))
    if "months" in spec:
        lo, hi = (int(x) for x in spec["months"])
    elif isinstance(f.low, ir.Duration) and isinstance(f.high, ir.Duration):
        lo, hi = -(-f.low.total_days // 30), f.high.total_days // 30
    else:
        lo, hi = 0, 120
    return lambda rng, scope: duration_text(rng.randint(lo, hi), 0)


def weighted(weights: list[float], where: str) -> Callable[[random.Random], int]:
    if not weights or any(w < 0 for w in weights) or sum(weights) <= 0:
        raise ProfileError(f"{where}: weights must be positive numbers")
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]
    last = len(weights) - 1
    return lambda rng: min(bisect.bisect_right(cumulative, rng.random() * total), last)


def checked_value(checked: ir.Checked, f: ir.FieldDef, value: Any, where: str) -> Any:
    """A profile's value for `f` in case-file form, or ProfileError naming what is wrong."""
    match f.type.kind:
        case Kind.ENUM:
            assert f.type.name is not None
            texts = [v.text for v in checked.enum(f.type.name).values]
            if value not in texts:
                raise ProfileError(f"{where}: {value!r} is not a {f.label} (one of: {', '.join(texts)})")
            return value
        case Kind.BOOL:
            if not isinstance(value, bool):
                raise ProfileError(f"{where}: {value!r} is not yes or no")
            return value
        case Kind.DATE:
            return _date(value, where).isoformat()
        case Kind.INT:
            return int(value)
        case Kind.PERCENTAGE:
            if not isinstance(value, str) or _PERCENT.fullmatch(value) is None:
                raise ProfileError(f'{where}: {value!r} is not a percentage such as "15%"')
            return value
        case Kind.CITATION:
            try:
                return parse_citation(value, single=True).text
            except ValueError as exc:
                raise ProfileError(f"{where}: {exc}") from None
        case Kind.NUMBER | Kind.MONEY | Kind.DURATION | Kind.TEXT | Kind.PERIOD | Kind.RECORD | Kind.LIST:
            return value
        case _:
            assert_never(f.type.kind)


def _from_key(key: str, f: ir.FieldDef) -> Any:
    """Weights are JSON object keys, so always text: 'yes'/'no' for yes-or-no fields, digits for numbers."""
    match f.type.kind:
        case Kind.BOOL:
            return {"yes": True, "no": False, "true": True, "false": False}.get(key.lower(), key)
        case Kind.INT:
            return int(key)
        case (
            Kind.NUMBER
            | Kind.MONEY
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
            return key
        case _:
            assert_never(f.type.kind)


def citation_gen(checked: ir.Checked) -> Gen:
    """Plausible citations, as a charge would give its offence: mostly a provision the statute itself cites (one of
    the parts a list names, or a part of an article it names whole), now and then the article without its part or
    the article next to a cited one, so that a register holds cases on both sides of every list."""
    named = sorted({item for value in cited_values(checked) for item in value.items}) or [(1, 0, 0, 0)]

    def draw(rng: random.Random, scope: Scope) -> str:
        article, sub, suffix, part = named[rng.randrange(len(named))]
        roll = rng.random()
        if roll < 0.15:
            article = max(1, article + rng.choice((-1, 1)))
        if part == 0 and roll < 0.7:
            part = rng.randrange(1, 5)
        elif roll > 0.9:
            part = 0
        return citation_text(cited([(article, sub, suffix, part)]))

    return draw


def cited_values(checked: ir.Checked) -> list[CitedProvisions]:
    """Every citation the statute writes: in its rules and guarantees, and its parameters' values."""
    found = [lit.value for lit in find_all(checked, ir.Lit) if isinstance(lit.value, CitedProvisions)]
    return found + [p.value for p in checked.parameters if isinstance(p.value, CitedProvisions)]


def _date(text: Any, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(str(text))
    except ValueError:
        raise ProfileError(f'{where}: {text!r} is not a date such as "2022-01-05"') from None
