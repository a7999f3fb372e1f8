"""How a compared value moves with the facts it is worked out from, for the search for changes (counterfactual.py).

A comparison's operand is a fact, a sum or difference of facts, or a definition worked out from them ("the age of the
person is at least 18", where the age is the whole years from the birth date to a day): the search follows each to
the facts it reads and tries the values of each fact around the one at which the comparison turns. Whole years,
months, weeks or days between two dates move in steps: the values tried are the dates on either side of each step
near the threshold. Every value is only a candidate: the search decides each changed case again.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator, Mapping
from fractions import Fraction

from compiler.citations import CitedProvisions
from compiler.explain.dates import add_units
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import children, walk
from compiler.values import whole_between

__all__ = ["whole_between"]  # counterfactual.py reads it from here, with the other moves

Term = ir.FieldRef | ir.DefRef | ir.Arith
Number = int | Fraction


def terms(e: ir.Expr, sign: int = 1) -> Iterator[tuple[Term, int]]:
    """The facts, definitions and whole years (months, weeks, days) between dates that a value moves with: (term,
    sign), the sign 1 or -1 where it moves one for one, 0 where it moves otherwise (no threshold can be read for it)."""
    if isinstance(e, ir.FieldRef | ir.DefRef) or (isinstance(e, ir.Arith) and e.op in ir.WHOLE_UNITS):
        yield e, sign
    elif isinstance(e, ir.Arith) and e.op in {"+", "-"}:
        yield from terms(e.left, sign)
        yield from terms(e.right, sign if e.op == "+" else -sign)
    elif isinstance(e, ir.Arith | ir.MinMax | ir.Round | ir.Call):
        for part in children(e):
            if isinstance(part, ir.FieldRef):
                yield part, 0


def step_edges(
    unit: str, start: datetime.date, end: datetime.date, target: int, moving_start: bool
) -> list[datetime.date]:
    """Values of the moving date on either side of where the whole years (...) from `start` to `end` become
    `target`: for the start, the last day that gives `target` and the day after; for the end, the first day that
    gives it and the day before."""
    one = datetime.timedelta(days=1)
    out: list[datetime.date] = []
    try:
        if moving_start:
            edge = add_units(end, unit, -target)
            out += [edge, edge + one] if edge is not None else []
        else:
            edge = add_units(start, unit, target)
            out += [edge, edge - one] if edge is not None else []
    except OverflowError:
        pass
    return out


def edges_given(old: object, edges: list[datetime.date]) -> list[object]:
    """The values to try for a fact, whatever its value: the edges of a step worked out beforehand."""
    return list(edges)


def around_threshold(old: object, sign: int, other: object, operand: object) -> list[object]:
    """Values of a fact near where its comparison turns: the other side (or a period's ends), one unit either side."""
    if old is None or isinstance(old, bool) or other is None:
        return []
    targets = list(other) if isinstance(other, tuple) else [other]
    out: list[object] = []
    for target in targets:
        there, here, start = as_number(target), as_number(operand), as_number(old)
        if not sign or there is None or here is None or start is None:
            continue
        middle = start + sign * (there - here)
        size = step_unit(old)
        out += [value_like(old, middle + k * size) for k in (-1, 0, 1)]
    return [v for v in out if v is not None]


def around_scale(old: object, thresholds: tuple[Fraction, ...]) -> list[object]:
    """Values of a fact a scale is applied to, at its thresholds, the nearest first, each with one unit either side
    (where a single amount changes, or a marginal rate starts). Every threshold, not only the nearest: the nearest
    may change nothing (the edge of a bracket taxed at nothing, two brackets of one amount), and a scale has few."""
    start = as_number(old)
    if start is None or isinstance(old, bool):
        return []
    size = step_unit(old)
    near = sorted(thresholds, key=lambda t: (abs(t - start), t))
    out = [value_like(old, t + k * size) for t in near for k in (-1, 0, 1)]
    return [v for v in out if v is not None]


def scale_thresholds(scale: ir.Scale) -> tuple[Fraction, ...]:
    """The edges of a scale's brackets, in order: where what it gives can change."""
    return tuple(sorted({x for b in scale.brackets for x in (b.lower, b.upper) if x is not None}))


MAX_CITED = 24  # citations tried for one fact, the nearest first: a list may name hundreds of parts


def cited_in_tests(checked: ir.Checked) -> dict[tuple[str, str], tuple[CitedProvisions, ...]]:
    """For each citation fact (record, field), the provisions the statute's rules test it against with "is one of" or
    "is" (a list written in the rule or a parameter), each as a citation of its own, in the order first written:
    the values a search tries for it. Only provisions the statute names: no other citation is invented."""
    found: dict[tuple[str, str], dict[tuple[int, int, int, int], None]] = {}
    for definition in checked.definitions:
        for rule in definition.rules:
            for part in (rule.condition, rule.value):
                for e in walk(part):
                    if _tests_a_citation_fact(e):
                        assert isinstance(e, ir.OneOf) and isinstance(e.operand, ir.FieldRef)
                        items = found.setdefault((e.operand.record, e.operand.field), {})
                        for value in e.values:
                            items.update(dict.fromkeys(_cited_items(checked, value)))
    return {key: tuple(CitedProvisions((item,)) for item in items) for key, items in found.items()}


def _tests_a_citation_fact(e: ir.Expr) -> bool:
    """ "the offence is one of ...": a citation fact tested against citations."""
    return isinstance(e, ir.OneOf) and isinstance(e.operand, ir.FieldRef) and e.operand.type.kind is Kind.CITATION


def _cited_items(checked: ir.Checked, e: ir.Expr) -> tuple[tuple[int, int, int, int], ...]:
    value = checked.parameter(e.ident).value if isinstance(e, ir.ParamRef) else getattr(e, "value", None)
    return value.items if isinstance(value, CitedProvisions) else ()


def around_citation(old: object, offered: tuple[CitedProvisions, ...]) -> list[object]:
    """The citations to try for a citation fact: those the statute tests it against, other than its own value, the
    nearest first (another part of its article before another article; then the nearest article), at most
    MAX_CITED."""
    items: tuple[tuple[int, int, int, int], ...] = getattr(old, "items", ())
    here = items[0] if items else None

    def nearness(c: CitedProvisions) -> tuple[int, int, tuple[int, int, int, int]]:
        item = c.items[0]
        if here is None:
            return (1, 0, item)
        return (0 if item[:3] == here[:3] else 1, abs(item[0] - here[0]), item)

    out: list[object] = [c for c in sorted(offered, key=nearness) if c.items != items]
    return out[:MAX_CITED]


def as_number(value: object) -> Number | None:
    """A date as its day number, a duration as its days (a month counting 30), a number as itself; else None."""
    if isinstance(value, datetime.date):
        return value.toordinal()
    if hasattr(value, "total_days"):
        value = value.total_days
    if isinstance(value, int | Fraction) and not isinstance(value, bool):
        return value
    return None


def step_unit(value: object) -> Number:
    if isinstance(value, Fraction):
        return Fraction(1, 100)
    return 1


def value_like(old: object, number: Number) -> object | None:
    """`number` (days, or the number itself) as a value of the same kind as `old`."""
    if isinstance(old, datetime.date):
        try:
            return datetime.date.fromordinal(int(number))
        except (ValueError, OverflowError):
            return None
    old_months = getattr(old, "months", None)
    if hasattr(old, "total_days") and isinstance(old_months, int):
        months = old_months if number >= old_months * 30 else 0
        days = number - months * 30
        duration: Callable[[int, Number], object] = type(old)  # the module's Duration(months, days)
        return duration(months, int(days) if Fraction(days).denominator == 1 else days)
    if isinstance(old, int):
        return int(number)
    return Fraction(number)


def enum_members(value: object) -> list[object]:
    """The members of the enumeration `value` is one of, in the declared order."""
    members = getattr(type(value), "__members__", {})
    return list(members.values()) if isinstance(members, Mapping) else []


def within_bounds(value: object, field: ir.FieldDef) -> bool:
    """Whether `value` is a value the field may take: within its bounds, absent only when it is optional."""
    if value is None:
        return field.optional
    low, high = as_number(field.low), as_number(field.high)
    number = as_number(value)
    if number is None:
        return True
    if hasattr(value, "total_days") and number < 0:
        return False
    return (low is None or number >= low) and (high is None or number <= high)


def change_size(field: ir.FieldDef, old: object, new: object) -> float:
    """How big a change from `old` to `new` is: 0 none, 1 the whole range of the field."""
    if new is None or old is None:
        return 0.75
    if isinstance(old, bool):
        return 0.5
    if field.type.kind is Kind.CITATION:  # another part of the same article is a lesser change than another article
        before_items, after_items = getattr(old, "items", ()), getattr(new, "items", ())
        same = {i[:3] for i in before_items} == {i[:3] for i in after_items}
        return 0.25 if same else 0.5
    if field.type.kind is Kind.ENUM:
        members = enum_members(old)
        return abs(members.index(new) - members.index(old)) / len(members)
    low, high = as_number(field.low), as_number(field.high)
    before, after = as_number(old), as_number(new)
    assert before is not None and after is not None, "a fact moved is a number, a date or a duration"
    size = float(high - low) if low is not None and high is not None and high > low else max(abs(float(before)), 1.0)
    return min(1.0, abs(float(after - before)) / float(size))
