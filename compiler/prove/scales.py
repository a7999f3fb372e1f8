"""A scale in the solver: piecewise linear, an if-then-else chain over the brackets from the lowest (docs/language.md,
section 10). A marginal scale's bracket gives the total of the brackets below it plus its own part, as the generated
module does; the reference interpreter, which takes each slice apart, is the check on both."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

import z3

from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.prove.calendar import Z3
from compiler.prove.terms import to_real


def scale_term(scale: ir.Scale, base: Z3) -> Z3:
    """The scale's result for the solver term `base` (an int or a real)."""
    x = to_real(base)
    whole = scale.result.kind is Kind.INT
    parts: list[tuple[ir.Bracket, Z3]] = []
    below = Fraction(0)
    for b in scale.brackets:
        parts.append((b, _part(scale.kind, b, below, x, whole)))
        if b.upper is not None:
            below += b.value * (b.upper - b.lower) if scale.kind.rates else b.value
    term = parts[-1][1]
    for b, part in reversed(parts[:-1]):
        assert b.upper is not None  # only the last bracket goes on without end
        up_to = x <= _real(b.upper) if b.upper_included else x < _real(b.upper)
        term = z3.If(up_to, part, term)
    first = scale.brackets[0]
    under = x < _real(first.lower) if first.lower_included else x <= _real(first.lower)
    return z3.If(under, _value(Fraction(0), whole), term)


def _part(kind: ir.ScaleKind, b: ir.Bracket, below: Fraction, x: Z3, whole: bool) -> Z3:
    match kind:
        case ir.ScaleKind.MARGINAL_RATES:
            return _real(below) + _real(b.value) * (x - _real(b.lower))
        case ir.ScaleKind.MARGINAL_AMOUNTS:
            return _value(below + b.value, whole)
        case ir.ScaleKind.SINGLE_RATES:
            return _real(b.value) * x
        case ir.ScaleKind.SINGLE_AMOUNTS:
            return _value(b.value, whole)
        case _:
            assert_never(kind)


def _real(value: Fraction) -> Z3:
    return z3.RealVal(f"{value.numerator}/{value.denominator}")


def _value(value: Fraction, whole: bool) -> Z3:
    return z3.IntVal(int(value)) if whole else _real(value)
