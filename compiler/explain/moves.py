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

from compiler.explain.dates import add_units
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import children
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
    if field.type.kind is Kind.ENUM:
        members = enum_members(old)
        return abs(members.index(new) - members.index(old)) / len(members)
    low, high = as_number(field.low), as_number(field.high)
    before, after = as_number(old), as_number(new)
    assert before is not None and after is not None, "a fact moved is a number, a date or a duration"
    size = float(high - low) if low is not None and high is not None and high > low else max(abs(float(before)), 1.0)
    return min(1.0, abs(float(after - before)) / float(size))
