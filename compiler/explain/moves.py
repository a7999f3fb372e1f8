"""How a compared value moves with the facts it is worked out from, for the search for changes (counterfactual.py).

A comparison's operand is a fact, a sum or difference of facts, or a definition worked out from them ("the age of the
person is at least 18", where the age is the whole years from the birth date to a day): the search follows each to
the facts it reads and tries the values of each fact around the one at which the comparison turns. Whole years,
months, weeks or days between two dates move in steps: the values tried are the dates on either side of each step
near the threshold. Every value is only a candidate: the search decides each changed case again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

from compiler import ir
from compiler.explain.dates import add_units, whole_between
from compiler.walk import children

__all__ = ["whole_between"]  # counterfactual.py reads it from here, with the other moves

Term = ir.FieldRef | ir.DefRef | ir.Arith


def terms(e: ir.Expr, sign: int = 1) -> Iterator[tuple[Term, int]]:
    """The facts, definitions and whole years (months, weeks, days) between dates that a value moves with: (term,
    sign), the sign 1 or -1 where it moves one for one, 0 where it moves otherwise (no threshold can be read for it)."""
    if isinstance(e, ir.FieldRef | ir.DefRef) or (isinstance(e, ir.Arith) and e.op in ir.WHOLE_UNITS):
        yield e, sign
    elif isinstance(e, ir.Arith) and e.op in {"+", "-"}:
        yield from terms(e.left, sign)
        yield from terms(e.right, sign if e.op == "+" else -sign)
    elif isinstance(e, ir.Arith | ir.MinMax | ir.Round):
        for part in children(e):
            if isinstance(part, ir.FieldRef):
                yield part, 0


def step_edges(unit: str, start: datetime.date, end: datetime.date, target: int, moving_start: bool) -> list[Any]:
    """Values of the moving date on either side of where the whole years (...) from `start` to `end` become
    `target`: for the start, the last day that gives `target` and the day after; for the end, the first day that
    gives it and the day before."""
    one = datetime.timedelta(days=1)
    out: list[Any] = []
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


def edges_given(old: Any, edges: list[Any]) -> list[Any]:
    """The values to try for a fact, whatever its value: the edges of a step worked out beforehand."""
    return edges


def around_threshold(old: Any, sign: int, other: Any, operand: Any) -> list[Any]:
    """Values of a fact near where its comparison turns: the other side (or a period's ends), one unit either side."""
    if old is None or isinstance(old, bool) or other is None:
        return []
    targets = list(other) if isinstance(other, tuple) else [other]
    out: list[Any] = []
    for target in targets:
        there, here = as_number(target), as_number(operand)
        if not sign or there is None or here is None:
            continue
        middle = as_number(old) + sign * (there - here)
        size = step_unit(old)
        out += [value_like(old, middle + k * size) for k in (-1, 0, 1)]
    return [v for v in out if v is not None]


def as_number(value: Any) -> Any:
    if isinstance(value, datetime.date):
        return value.toordinal()
    if hasattr(value, "total_days"):
        return value.total_days
    if isinstance(value, int | Fraction) and not isinstance(value, bool):
        return value
    return None


def step_unit(value: Any) -> Any:
    if isinstance(value, Fraction):
        return Fraction(1, 100)
    return 1


def value_like(old: Any, number: Any) -> Any:
    """`number` (days, or the number itself) as a value of the same kind as `old`."""
    if isinstance(old, datetime.date):
        try:
            return datetime.date.fromordinal(int(number))
        except (ValueError, OverflowError):
            return None
    if hasattr(old, "total_days"):
        months = old.months if number >= old.months * 30 else 0
        days = number - months * 30
        return type(old)(months, int(days) if Fraction(days).denominator == 1 else days)
    if isinstance(old, int):
        return int(number)
    return Fraction(number)
