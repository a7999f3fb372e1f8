"""A scale applied to a base, as the reference interpreter works it out: bracket by bracket, each slice of the base
taken apart (docs/language.md, section 10), never the generated module's running totals, so that the differential
tests compare two ways of reading the same table."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from compiler.interpret.values import Money
from compiler.model import ir
from compiler.model.kinds import Kind


def apply_scale(scale: ir.Scale, base: object) -> object:
    """The scale's result for `base` (Money or a number), as the interpreter's value of the scale's result type."""
    if isinstance(base, Money):
        amount = base.amount
    else:
        assert isinstance(base, int | Fraction)  # the checker let only money or numbers through
        amount = Fraction(base)
    match scale.kind:
        case ir.ScaleKind.MARGINAL_RATES:
            result = sum((b.value * _slice(b, amount) for b in scale.brackets), Fraction(0))
        case ir.ScaleKind.MARGINAL_AMOUNTS:
            result = sum((b.value for b in scale.brackets if _reached(b, amount)), Fraction(0))
        case ir.ScaleKind.SINGLE_RATES:
            result = next((b.value * amount for b in scale.brackets if _within(b, amount)), Fraction(0))
        case ir.ScaleKind.SINGLE_AMOUNTS:
            result = next((b.value for b in scale.brackets if _within(b, amount)), Fraction(0))
        case _:
            assert_never(scale.kind)
    if scale.result.kind is Kind.MONEY:
        return Money(result)
    return int(result) if scale.result.kind is Kind.INT else result


def _slice(b: ir.Bracket, amount: Fraction) -> Fraction:
    """The part of the base within the bracket: none below it, all of the bracket above it."""
    top = amount if b.upper is None else min(amount, b.upper)
    return max(Fraction(0), top - b.lower)


def _reached(b: ir.Bracket, amount: Fraction) -> bool:
    return amount > b.lower or (amount == b.lower and b.lower_included)


def _within(b: ir.Bracket, amount: Fraction) -> bool:
    if not _reached(b, amount):
        return False
    return b.upper is None or amount < b.upper or (amount == b.upper and b.upper_included)
