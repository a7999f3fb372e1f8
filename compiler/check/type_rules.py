"""Which types go together: a value where another is wanted, the type of arithmetic, and when money or a duration
must be rounded. Each asks the traits table (compiler/model/kinds.py) or matches on the kind."""

from __future__ import annotations

from typing import assert_never

from compiler.check.scopes import CheckFailure
from compiler.frontend.diagnostics import Span, error
from compiler.model import ir
from compiler.model.kinds import Kind, Naming, fits_into


def fits(actual: ir.Type, wanted: ir.Type) -> bool:
    """A value of type `actual` may stand where `wanted` is asked: the same type, a whole number for a number, or an
    amount of money whose currency is left open on either side."""
    if actual == wanted:
        return True
    if actual.kind is not wanted.kind:
        return fits_into(actual.kind, wanted.kind)
    return actual.traits.naming is Naming.OPTIONAL and (actual.name is None or wanted.name is None)


def comparable(left: ir.Type, right: ir.Type) -> bool:
    return fits(left, right) or fits(right, left)


def arith_type(op: str, lt: ir.Type, rt: ir.Type) -> ir.Type | None:
    """The type of `lt op rt`, or None when the language gives the operation no meaning."""
    lk, rk = lt.kind, rt.kind
    match lk:
        case Kind.INT | Kind.NUMBER:
            if rt.traits.numeric:
                return ir.INT if lk is rk is Kind.INT and op != "/" else ir.NUMBER
            return rt if op == "*" and rt.traits.scaled is not None else None
        case Kind.PERCENTAGE:
            return _percentage_arith(op, rt)
        case Kind.MONEY:
            if rk is Kind.MONEY and comparable(lt, rt):
                return lt if op in "+-" else (ir.NUMBER if op == "/" else None)
            return lt if op in "*/" and rt.traits.numeric else None
        case Kind.DURATION:
            if rk is Kind.DURATION:
                return {"+": ir.DURATION, "-": ir.DURATION, "/": ir.NUMBER}.get(op)
            if rk is Kind.DATE:
                return ir.DATE if op == "+" else None
            return lt if op in "*/" and rt.traits.numeric else None
        case Kind.DATE:
            if rk is Kind.DURATION and op in "+-":
                return ir.DATE
            return ir.DURATION if rk is Kind.DATE and op == "-" else None
        case Kind.BOOL | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            return None
        case _:
            assert_never(lk)


def _percentage_arith(op: str, rt: ir.Type) -> ir.Type | None:
    """A percentage with another: percentages add up and take a share of each other (50% of 30% is 15%); of a
    number it is a number, of money money and of a duration a duration, as a number's would be (and must be rounded
    likewise); divided by a number it is a smaller percentage, by a percentage a ratio."""
    match rt.kind:
        case Kind.PERCENTAGE:
            return ir.NUMBER if op == "/" else ir.PERCENTAGE
        case Kind.INT | Kind.NUMBER:
            return ir.PERCENTAGE if op == "/" else ir.NUMBER
        case Kind.MONEY | Kind.DURATION:
            return rt if op == "*" else None
        case Kind.BOOL | Kind.DATE | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            return None
        case _:
            assert_never(rt.kind)


def inexact(e: ir.Expr) -> bool:
    """True when money or a duration may carry a part of a cent or of a day, so it must be rounded."""
    if isinstance(e, ir.Round):
        return False
    if isinstance(e, ir.Arith):
        if e.type.traits.scaled is not None and e.op in "*/":
            multiplier = e.right if e.left.type.kind is e.type.kind else e.left
            return multiplier.type.kind is not Kind.INT or e.op == "/"
        return inexact(e.left) or inexact(e.right)
    if isinstance(e, ir.MinMax):
        return inexact(e.left) or inexact(e.right)
    return False


def require_exact(e: ir.Expr, span: Span) -> None:
    scaled = e.type.traits.scaled
    if inexact(e) and scaled is not None:
        what, unit = scaled.what, scaled.unit
        raise CheckFailure(
            error(
                f"multiplying or dividing {what} by a fraction can leave part of a {unit[:-1]}; say how to round it",
                span,
                f"add 'rounded down to whole {unit}' (or 'rounded up', 'rounded half up')",
            )
        )
