"""Values known without a case: literals, parameters, and arithmetic on them.

Used for parameter values, example expectations, and the "this rule can never apply" warning.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from typing import Any

from compiler.check.symbols import Symbols
from compiler.frontend.diagnostics import Span
from compiler.model import ir

_NOWHERE = Span.unknown("")

_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def constant_value(e: ir.Expr, sym: Symbols) -> ir.Value | None:
    """The value of `e` if it needs no fact of a case; None otherwise. Enumeration values come back as text."""
    if isinstance(e, ir.Lit):
        return e.value
    if isinstance(e, ir.ParamRef):
        return next((p.value for p in sym.parameters.values() if p.ident == e.ident), None)
    if isinstance(e, ir.EnumLit):
        return next(v.text for v in sym.enums[e.enum].values if v.ident == e.value)
    if isinstance(e, ir.Arith):
        left, right = constant_value(e.left, sym), constant_value(e.right, sym)
        return _arith(e.op, left, right)
    if isinstance(e, ir.NotE):
        inner = constant_value(e.operand, sym)
        return (not inner) if isinstance(inner, bool) else None
    if isinstance(e, ir.Cmp):
        left, right = constant_value(e.left, sym), constant_value(e.right, sym)
        if left is None or right is None or type(left) is not type(right) or isinstance(left, ir.Duration):
            return None
        return bool(_COMPARE[e.op](left, right))
    return None


def _arith(op: str, left: ir.Value | None, right: ir.Value | None) -> ir.Value | None:
    numbers = (int, Fraction)
    if isinstance(left, bool) or isinstance(right, bool):
        return None
    if isinstance(left, numbers) and isinstance(right, numbers):
        if op == "+":
            return left + right
        if op == "-":
            return left - right
        if op == "*":
            return left * right
        return Fraction(left) / right if right else None
    if isinstance(left, ir.Duration) and isinstance(right, ir.Duration) and op in "+-":
        sign = 1 if op == "+" else -1
        return ir.Duration.normal(left.months + sign * right.months, left.days + sign * right.days)
    return None


def never_holds(e: ir.Expr, sym: Symbols) -> bool:
    """True when inspection alone shows the condition is always false.

    A parameter that switches a rule off is a drafter's choice, not a mistake, so only literals count here.
    """
    if constant_value(e, Symbols(enums=sym.enums)) is False:
        return True
    if isinstance(e, ir.And):
        if any(never_holds(i, sym) for i in e.items):
            return True
        return _contradictory_equalities(e.items)
    if isinstance(e, ir.Or):
        return all(never_holds(i, sym) for i in e.items)
    return False


def _contradictory_equalities(items: tuple[ir.Expr, ...]) -> bool:
    """ "the stage is on trial and the stage is serving sentence": one fact cannot hold two values."""
    seen: dict[ir.Expr, ir.Expr] = {}
    for item in items:
        if isinstance(item, ir.Cmp) and item.op == "==" and isinstance(item.right, ir.EnumLit):
            key = _strip_spans(item.left)
            if key in seen and seen[key] != _strip_spans(item.right):
                return True
            seen[key] = _strip_spans(item.right)
    return False


def _strip_spans(e: ir.Expr) -> ir.Expr:
    if isinstance(e, ir.FieldRef):
        return ir.FieldRef(_strip_spans(e.subject), e.record, e.field, e.type, e.optional, _NOWHERE)
    if isinstance(e, (ir.RootRef, ir.VarRef, ir.EnumLit, ir.ParamRef)):
        return replace(e, span=_NOWHERE)
    return e
