"""A straightforward tree-walking evaluator of the checked statute (compiler.model.ir), for benchmark 1.

It decides a case by walking each rule's expression tree at every evaluation, dispatching on the node's class:
what a statute interpreter does if it compiles nothing. It works on the generated module's case objects and uses
the module's runtime (Duration, add_to_date, round_duration ...) for the arithmetic, so that the three evaluators
of the benchmark agree value for value and differ only in how they get to the answer.
"""

from __future__ import annotations

import datetime
import operator
import types
import typing
from collections.abc import Callable
from fractions import Fraction
from typing import Any

from compiler.model import ir
from compiler.model.kinds import Kind

_UNSET = object()
_CMP: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


class Undecided(Exception):
    pass


class Conflict(Exception):
    pass


class TreeWalker:
    def __init__(self, checked: ir.Checked, module: types.ModuleType) -> None:
        self.checked = checked
        self.module = module
        self.definitions = {d.ident: d for d in checked.definitions}
        self.outcomes = checked.outcomes
        self.params = {p.ident: self.value(p.value) for p in checked.parameters}
        # The name a record-level definition's rules use for their record ("the charge").
        self.subject_var = {d.ident: _free_var(d) for d in checked.definitions if d.owner is not None}

    def value(self, v: ir.Value) -> Any:
        """A checker's constant as the runtime holds it."""
        if isinstance(v, ir.Duration):
            return self.module.Duration(v.months, v.days)
        if isinstance(v, ir.Period):
            return self.module.Period(v.start, v.end)
        return v

    def decide(self, case: Any) -> dict[str, Any]:
        """The case's outcomes, and each record's under its list's key, as the generated module's Decision holds
        them."""
        run = _Run(self, case)
        decided: dict[str, Any] = {o: run.definition(o, None) for o in self.outcomes}
        for group in self.checked.record_outcomes:
            decided[group.key] = [
                {o.key: run.definition(o.definition, record) for o in group.outcomes}
                for record in getattr(case, group.key)
            ]
        return decided


def _free_var(d: ir.Definition) -> str | None:
    for rule in d.rules:
        for expr in (rule.condition, rule.value):
            found = _free_in(expr, set())
            if found:
                return found
    return None


_NODES = typing.get_args(ir.Expr)


def _free_in(e: object, bound: set[str]) -> str | None:
    if not isinstance(e, _NODES):
        return None
    if isinstance(e, ir.VarRef):
        return None if e.var in bound else e.var
    if isinstance(e, ir.Quant | ir.CountE | ir.Agg):
        inner = bound | {e.var}
        parts: list[object] = [e.source]
        parts += [e.body] if isinstance(e, ir.Quant) else [e.where] + ([e.value] if isinstance(e, ir.Agg) else [])
        for i, part in enumerate(parts):
            found = _free_in(part, bound if i == 0 else inner)
            if found:
                return found
        return None
    for name in ("subject", "left", "right", "operand", "low", "high", "period"):
        found = _free_in(getattr(e, name, None), bound)
        if found:
            return found
    for item in list(getattr(e, "items", ())) + list(getattr(e, "values", ())):
        found = _free_in(item, bound)
        if found:
            return found
    return None


class _Run:
    """One case: memoised case-level definitions, and the walk itself."""

    def __init__(self, walker: TreeWalker, case: Any) -> None:
        self.w = walker
        self.case = case
        self.memo: dict[str, Any] = {}

    def definition(self, ident: str, subject: Any) -> Any:
        if subject is None and ident in self.memo:
            return self.memo[ident]
        d = self.w.definitions[ident]
        env = {self.w.subject_var[ident]: subject} if subject is not None and d.owner is not None else {}
        value: Any = _UNSET
        applied: set[str] = set()
        for rule in d.rules:
            if applied.intersection(rule.overridden_by):
                continue
            if rule.condition is None or self.eval(rule.condition, env):
                found = self.eval(rule.value, env)
                if value is not _UNSET and found != value:
                    raise Conflict(ident)
                value = found
                applied.add(rule.ident)
        if value is _UNSET:
            if d.default is not None:
                value = self.eval(d.default, env)
            elif d.type.kind is Kind.BOOL:
                value = False
            elif d.optional:
                value = None
            else:
                raise Undecided(ident)
        if subject is None:
            self.memo[ident] = value
        return value

    def eval(self, e: ir.Expr, env: dict[str, Any]) -> Any:  # one branch per node class, most frequent first
        kind = e.__class__
        if kind is ir.FieldRef:
            return getattr(self.eval(e.subject, env), e.field)  # type: ignore[union-attr]
        if kind is ir.VarRef:
            return env[e.var]  # type: ignore[union-attr]
        if kind is ir.RootRef:
            return self.case
        if kind is ir.And:
            return all(self.eval(i, env) for i in e.items)  # type: ignore[union-attr]
        if kind is ir.Or:
            return any(self.eval(i, env) for i in e.items)  # type: ignore[union-attr]
        if kind is ir.NotE:
            return not self.eval(e.operand, env)  # type: ignore[union-attr]
        if kind is ir.Cmp:
            left, right = self.known(e.left, env), self.known(e.right, env)  # type: ignore[union-attr]
            return _CMP[e.op](left, right)  # type: ignore[union-attr]
        if kind is ir.OneOf:
            found = self.known(e.operand, env) in [self.eval(v, env) for v in e.values]  # type: ignore[union-attr]
            return found != e.negated  # type: ignore[union-attr]
        if kind is ir.Within:
            return self.within(e, env)  # type: ignore[arg-type]
        if kind is ir.Known:
            return (self.eval(e.operand, env) is not None) != e.negated  # type: ignore[union-attr]
        if kind is ir.DefRef:
            subject = None if e.subject is None else self.eval(e.subject, env)  # type: ignore[union-attr]
            return self.definition(e.definition, subject)  # type: ignore[union-attr]
        if kind is ir.ParamRef:
            return self.w.params[e.ident]  # type: ignore[union-attr]
        if kind is ir.EnumLit:
            return getattr(self.w.module, e.enum)[e.value]  # type: ignore[union-attr]
        if kind is ir.Lit:
            return self.w.value(e.value)  # type: ignore[union-attr]
        if kind in (ir.Quant, ir.CountE, ir.Agg):
            return self.over(e, env)  # type: ignore[arg-type]
        if kind is ir.Arith:
            return self.arith(e, env)  # type: ignore[arg-type]
        if kind is ir.Round:
            return self.round(e, env)  # type: ignore[arg-type]
        if kind is ir.MinMax:
            left, right = self.known(e.left, env), self.known(e.right, env)  # type: ignore[union-attr]
            return (min if e.kind == "least" else max)(left, right)  # type: ignore[union-attr]
        raise TypeError(f"cannot walk {kind.__name__}")

    def known(self, e: ir.Expr, env: dict[str, Any]) -> Any:
        value = self.eval(e, env)
        if value is None:
            raise Undecided("a fact that is not given")
        return value

    def within(self, e: ir.Within, env: dict[str, Any]) -> bool:
        value = self.known(e.operand, env)
        if e.period is not None:
            inside = value in self.eval(e.period, env)
        else:
            assert e.low is not None and e.high is not None
            inside = self.known(e.low, env) <= value <= self.known(e.high, env)
        return inside != e.negated

    def over(self, e: ir.Quant | ir.CountE | ir.Agg, env: dict[str, Any]) -> Any:
        items = self.eval(e.source, env)
        inner = dict(env)

        def each(test: ir.Expr | None) -> Any:
            for item in items:
                inner[e.var] = item
                if test is None or self.eval(test, inner):
                    yield item

        if isinstance(e, ir.Quant):
            results = (self.eval(e.body, inner) for _ in each(None))
            if e.kind == "any":
                return any(results)
            if e.kind == "every":
                return all(results)
            return not any(results)
        if isinstance(e, ir.CountE):
            return sum(1 for _ in each(e.where))
        values = [self.eval(e.value, inner) for _ in each(e.where)]
        if e.kind == "total":
            zero = self.w.module.Duration(0, 0) if e.type.kind is Kind.DURATION else 0
            return sum(values, zero)
        if not values:
            raise Undecided("an aggregate over no elements")
        return max(values) if e.kind == "greatest" else min(values)

    def arith(self, e: ir.Arith, env: dict[str, Any]) -> Any:
        left, right = self.known(e.left, env), self.known(e.right, env)
        if e.op in ir.WHOLE_UNITS:
            return self.w.module.whole_between(e.op, left, right)
        if e.op == "+":
            return left + right
        if e.op == "-":
            if isinstance(left, datetime.date) and isinstance(right, datetime.date):
                return self.w.module.days_between(left, right)
            return left - right
        if e.op == "*":
            return left * right
        return left / right if not isinstance(left, int) else Fraction(left) / right

    def round(self, e: ir.Round, env: dict[str, Any]) -> Any:
        value = self.known(e.operand, env)
        module = self.w.module
        if e.type.kind is Kind.DURATION:
            return module.round_duration(value, e.unit, e.mode)
        if e.type.kind is Kind.INT:
            return module.round_whole(value, e.mode)
        places = 2 if e.unit == "cents" else int(e.unit.split(":")[1]) if e.unit.startswith("places:") else 0
        return module.round_number(value, places, e.mode)
