"""Which rules can never apply together: one condition requires of a fact what the other forbids.

"the stage is serving sentence" and "the stage is one of under investigation, on trial"; "the gravest gravity is at
most medium" and "... at least grave"; "X" and "not X"; "X is given" and "X is not given". Only the top-level
"and" items of two conditions are compared, and only such tests of the very same fact, so the answer is certain:
when one of the rules applied, the other would not. The Python backend uses this to skip a rule that a rule which
applied excludes, and to leave out conflict checks between rules that cannot both apply.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from compiler import ir

_ORDER = {"<": lambda i, k: i < k, "<=": lambda i, k: i <= k, ">": lambda i, k: i > k, ">=": lambda i, k: i >= k}


def exclusive(a: ir.Expr | None, b: ir.Expr | None, checked: ir.Checked) -> bool:
    """True when conditions `a` and `b` can never both hold."""
    if a is None or b is None:
        return False
    return any(_contradict(x, y, checked) for x in _conjuncts(a) for y in _conjuncts(b))


def first_conjunct(e: ir.Expr | None) -> ir.Expr | None:
    """What is tested first when `e` is: its first "and" item."""
    return None if e is None else _conjuncts(e)[0]


def same(a: ir.Expr, b: ir.Expr) -> bool:
    """The same expression, wherever in the statute it is written."""
    return shape(a) == shape(b)


def shape(e: Any) -> Any:
    """A value equal for two expressions that differ only in their spans."""
    if isinstance(e, tuple):
        return tuple(shape(x) for x in e)
    if dataclasses.is_dataclass(e) and hasattr(e, "span"):
        return (type(e).__name__, *(shape(getattr(e, f.name)) for f in dataclasses.fields(e) if f.name != "span"))
    return e


def _conjuncts(e: ir.Expr) -> list[ir.Expr]:
    if isinstance(e, ir.And):
        return [x for item in e.items for x in _conjuncts(item)]
    return [e]


def _contradict(x: ir.Expr, y: ir.Expr, checked: ir.Checked) -> bool:
    if isinstance(x, ir.NotE) and same(x.operand, y) or isinstance(y, ir.NotE) and same(y.operand, x):
        return True
    ax, ay = _allowed(x, checked), _allowed(y, checked)
    if ax is None or ay is None or ax[0] != ay[0] or not same(ax[1], ay[1]):
        return False
    return not ax[2] & ay[2]


def _allowed(e: ir.Expr, checked: ir.Checked) -> tuple[str, ir.Expr, frozenset[str]] | None:
    """What `e` asks of a fact: whether it is given ("known"), or which enumeration values it may take ("value")."""
    if isinstance(e, ir.NotE):
        inner = _allowed(e.operand, checked)
        return None if inner is None else (inner[0], inner[1], _domain(inner, checked) - inner[2])
    if isinstance(e, ir.Known):
        return "known", e.operand, frozenset({"missing" if e.negated else "given"})
    if isinstance(e, ir.OneOf) and e.operand.type.kind == "enum":
        values = frozenset(v.value for v in e.values if isinstance(v, ir.EnumLit))
        if len(values) != len(e.values):
            return None
        test = ("value", e.operand, values)
        return (*test[:2], _domain(test, checked) - values) if e.negated else test
    if isinstance(e, ir.Cmp) and isinstance(e.right, ir.EnumLit) and e.left.type.kind == "enum":
        order = [v.ident for v in checked.enum(e.right.enum).values]
        k = order.index(e.right.value)
        if e.op == "==":
            return "value", e.left, frozenset({e.right.value})
        if e.op == "!=":
            return "value", e.left, frozenset(order) - {e.right.value}
        return "value", e.left, frozenset(v for i, v in enumerate(order) if _ORDER[e.op](i, k))
    return None


def _domain(test: tuple[str, ir.Expr, frozenset[str]], checked: ir.Checked) -> frozenset[str]:
    kind, subject, _ = test
    if kind == "value" and subject.type.name:
        return frozenset(v.ident for v in checked.enum(subject.type.name).values)
    return frozenset({"given", "missing"})
