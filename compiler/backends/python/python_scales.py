"""A scale in generated Python: a module-level function per scale ("def contribution_scale(base: Fraction) ->
Fraction"), one test per bracket from the lowest, each returning what the brackets up to it give, as running totals
worked out here: a marginal rate's bracket is the total of the brackets below it plus its rate of the slice over its
lower threshold. The reference interpreter (compiler/interpret/scales.py) takes each slice apart instead."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from compiler.backends.python import naming
from compiler.backends.python.python_literals import annotation, value_code
from compiler.backends.python.python_text import Writer
from compiler.model import ir
from compiler.model.kinds import Kind


def scale_function(scale: ir.Scale) -> str:
    """The name of the module's function for `scale`."""
    return naming.name(scale.ident)


def write_scales(w: Writer, checked: ir.Checked) -> None:
    for scale in checked.scales:
        _write_scale(w, checked, scale)


def _write_scale(w: Writer, checked: ir.Checked, scale: ir.Scale) -> None:
    base_type = "Fraction | int" if scale.base.kind is not Kind.MONEY else annotation(scale.base)
    w.line()
    w.line()
    with w.block(f"def {scale_function(scale)}(base: {base_type}) -> {annotation(scale.result)}:"):
        doc = [f"The {scale.label}, {scale.kind.value}:"]
        doc += [f"    {checked.words(b.span)}" for b in scale.brackets]
        w.docstring([*doc, "A base below the first bracket falls in none: the scale gives zero."])
        first = scale.brackets[0]
        below = "<" if first.lower_included else "<="
        with w.block(f"if base {below} {_threshold(first.lower, scale, checked)}:"):
            w.line(f"return {value_code(0, scale.result, checked)}")
        below_total = Fraction(0)
        for b in scale.brackets:
            result = _result(scale, b, below_total, checked)
            if b.upper is None:
                w.line(f"return {result}")
                break
            with w.block(f"if base {'<=' if b.upper_included else '<'} {_threshold(b.upper, scale, checked)}:"):
                w.line(f"return {result}")
            below_total += b.value * (b.upper - b.lower) if scale.kind.rates else b.value
    w.line()


def _result(scale: ir.Scale, b: ir.Bracket, below: Fraction, checked: ir.Checked) -> str:
    """What a base in bracket `b` gives; `below`: the total of the brackets below it, for marginal scales."""
    rate = value_code(b.value, ir.NUMBER, checked)
    match scale.kind:
        case ir.ScaleKind.MARGINAL_RATES:
            slice_ = "base" if b.lower == 0 else f"(base - {_threshold(b.lower, scale, checked)})"
            part = f"{slice_} * {rate}"
            return part if below == 0 else f"{value_code(below, scale.result, checked)} + {part}"
        case ir.ScaleKind.MARGINAL_AMOUNTS:
            return value_code(below + b.value, scale.result, checked)
        case ir.ScaleKind.SINGLE_RATES:
            return f"base * {rate}"
        case ir.ScaleKind.SINGLE_AMOUNTS:
            return value_code(b.value, scale.result, checked)
        case _:
            assert_never(scale.kind)


def _threshold(value: Fraction, scale: ir.Scale, checked: ir.Checked) -> str:
    """A threshold as a literal: a whole threshold as an int, which compares with a Fraction exactly."""
    return str(int(value)) if value.denominator == 1 else value_code(value, ir.NUMBER, checked)
