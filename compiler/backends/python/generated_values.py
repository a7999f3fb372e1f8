"""A model expression worked out over a case with a generated module's own definitions and runtime values: what
`GeneratedEvaluator.value` gives, so that prove's confirmation re-runs a guarantee in the module, not in the prover.

Only the few connectives around the module's definitions are interpreted here (comparisons, and/or/not, counts,
totals, arithmetic on the module's dates, durations and decimals, its rounding); each definition is the module's.
Enumeration values are compared as their words, ranked in the declared order.
"""

from __future__ import annotations

import datetime
import operator
import types
from collections.abc import Callable, Iterable
from fractions import Fraction

from compiler.backends.python import naming
from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.evaluator import CannotWorkOut
from compiler.model.kinds import Kind

Env = dict[str, object]

_ARITHMETIC: dict[str, Callable[[object, object], object]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}
# The module's values are compared by their own operators (dates, its Duration, decimals): looked up by name, as
# typeshed's signatures of the ordering functions ask for a statically ordered type.
_COMPARE: dict[str, Callable[[object, object], object]] = {
    op: getattr(operator, name)
    for op, name in {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}.items()
}


class ModuleValues:
    """An expression's value over `case`, with `module`'s definitions and runtime."""

    def __init__(self, checked: ir.Checked, module: types.ModuleType, case: object) -> None:
        self.checked = checked
        self.m = module
        self.case = case
        self.evaluation = module.Evaluation(case)

    def value(self, e: ir.Expr, env: Env) -> object:
        method: Callable[[ir.Expr, Env], object] = getattr(self, "_" + type(e).__name__.lower(), self._other)
        return method(e, env)

    def given(self, e: ir.Expr, env: Env) -> object:
        v = self.value(e, env)
        if v is None:
            raise CannotWorkOut(f"'{self.checked.words(e.span)}' is not given")
        return v

    def _elements(self, e: ir.Expr, env: Env) -> Iterable[object]:
        elements = self.given(e, env)
        assert isinstance(elements, tuple | list)
        return elements

    def _other(self, e: ir.Expr, env: Env) -> object:
        raise CannotWorkOut(f"cannot re-run '{self.checked.words(e.span)}' outside the evaluator")

    def _lit(self, e: ir.Lit, env: Env) -> object:
        return self.runtime_value(e.value)

    def _paramref(self, e: ir.ParamRef, env: Env) -> object:
        return self.runtime_value(self.checked.parameter(e.ident).value)

    def _enumlit(self, e: ir.EnumLit, env: Env) -> object:
        return next(v.text for v in self.checked.enum(e.enum).values if v.ident == e.value)

    def _rootref(self, e: ir.RootRef, env: Env) -> object:
        return self.case

    def _varref(self, e: ir.VarRef, env: Env) -> object:
        return env[e.var]

    def _fieldref(self, e: ir.FieldRef, env: Env) -> object:
        return self.plain(getattr(self.value(e.subject, env), naming.attribute(e.field)))

    def _defref(self, e: ir.DefRef, env: Env) -> object:
        method = getattr(self.evaluation, naming.name(e.definition))
        try:
            if e.subject is None or isinstance(e.subject, ir.RootRef):
                return self.plain(method())
            return self.plain(method(self.value(e.subject, env)))
        except self.m.DecisionError as exc:
            raise CannotWorkOut(str(exc)) from exc

    def _call(self, e: ir.Call, env: Env) -> object:
        """The module's own function for the formula, on its inputs as the module holds them."""
        formula = self.checked.formula(e.formula)
        args = [self.runtime_input(self.given(a, env), i.type) for a, i in zip(e.args, formula.inputs, strict=True)]
        function = getattr(self.m, naming.ident(e.formula, "the formula"))
        return self.plain(function(*args))

    def runtime_input(self, value: object, t: ir.Type) -> object:
        """A value as the module's functions take it: an enumeration's words as its member."""
        if t.kind is not Kind.ENUM or not isinstance(value, str):
            return value
        assert t.name is not None
        member = next(v.ident for v in self.checked.enum(t.name).values if v.text.lower() == value.lower())
        return getattr(getattr(self.m, naming.ident(t.name, "the enumeration")), member)

    def _arith(self, e: ir.Arith, env: Env) -> object:
        left, right = self.given(e.left, env), self.given(e.right, env)
        lk, rk = e.left.type.kind, e.right.type.kind
        if e.op == "-" and lk is rk is Kind.DATE:
            return self.m.days_between(left, right)
        if e.op in ir.WHOLE_UNITS:
            return self.m.whole_between(e.op, left, right)
        if e.op == "/" and lk is rk is Kind.INT:
            assert isinstance(left, int) and isinstance(right, int)
            return Fraction(left, right)
        if e.op == "+" and lk is Kind.DURATION and rk is Kind.DATE:
            left, right = right, left
        return _ARITHMETIC[e.op](left, right)

    def _round(self, e: ir.Round, env: Env) -> object:
        value = self.given(e.operand, env)
        if e.type.kind is Kind.DURATION:
            return self.m.round_duration(value, e.unit, e.mode)
        if e.type.kind is Kind.INT:
            return self.m.round_whole(value, e.mode)
        places = int(e.unit.split(":")[1]) if e.unit.startswith("places:") else {"cents": 2, "units": 0}[e.unit]
        return self.m.round_number(value, places, e.mode)

    def _minmax(self, e: ir.MinMax, env: Env) -> object:
        left, right = self.given(e.left, env), self.given(e.right, env)
        if isinstance(left, str) and isinstance(right, str) and e.left.type.kind is Kind.ENUM:
            a, b = self.rank(e.left.type, left), self.rank(e.left.type, right)
            return left if (a <= b if e.kind == "least" else a >= b) else right
        return right if _better(e.kind, right, left) else left  # as min and max: the first of equal values

    def _agg(self, e: ir.Agg, env: Env) -> object:
        chosen = [x for x in self._elements(e.source, env) if e.where is None or self.given(e.where, {**env, e.var: x})]
        values = [self.given(e.value, {**env, e.var: x}) for x in chosen]
        if e.kind == "total":
            total: object = self.m.Duration(0, 0) if e.type.kind is Kind.DURATION else 0
            for v in values:
                total = operator.add(total, v)
            return total
        if not values:
            raise CannotWorkOut(f"'{self.checked.words(e.span)}': there are none")
        if e.type.kind is Kind.ENUM:
            ranked = sorted(values, key=lambda v: self.rank(e.type, str(v)))
            return ranked[-1] if e.kind == "greatest" else ranked[0]
        best = values[0]
        for v in values[1:]:  # the first of equal values is kept, as max and min do
            if _better(e.kind, v, best):
                best = v
        return best

    def _cmp(self, e: ir.Cmp, env: Env) -> bool:
        left, right = self.given(e.left, env), self.given(e.right, env)
        if isinstance(left, str) and isinstance(right, str) and e.left.type.kind is Kind.ENUM:
            left, right = self.rank(e.left.type, left), self.rank(e.left.type, right)
        return bool(_COMPARE[e.op](left, right))

    def _oneof(self, e: ir.OneOf, env: Env) -> bool:
        operand = self.given(e.operand, env)
        if e.operand.type.kind is Kind.CITATION:  # the module's own test: within, not equal
            cited_within: Callable[[object, object], bool] = getattr(self.m, "cited_within")  # noqa: B009
            found = cited_within(operand, tuple(self.given(v, env) for v in e.values))
            return not found if e.negated else found
        found = any(operand == self.given(v, env) for v in e.values)
        return not found if e.negated else found

    def _within(self, e: ir.Within, env: Env) -> bool:
        x = self.given(e.operand, env)
        if e.period is not None:
            period = self.given(e.period, env)
            low, high = getattr(period, "start"), getattr(period, "end")  # noqa: B009  the module's Period
        else:
            assert e.low is not None and e.high is not None
            low, high = self.given(e.low, env), self.given(e.high, env)
            if isinstance(x, str) and e.operand.type.kind is Kind.ENUM:
                x, low, high = (self.rank(e.operand.type, str(v)) for v in (x, low, high))
        inside = bool(_COMPARE["<="](low, x)) and bool(_COMPARE["<="](x, high))
        return not inside if e.negated else inside

    def _known(self, e: ir.Known, env: Env) -> bool:
        present = self.value(e.operand, env) is not None
        return not present if e.negated else present

    def _note(self, e: ir.NotE, env: Env) -> bool:
        return not self.given(e.operand, env)

    def _and(self, e: ir.And, env: Env) -> bool:
        return all(self.given(i, env) for i in e.items)

    def _or(self, e: ir.Or, env: Env) -> bool:
        return any(self.given(i, env) for i in e.items)

    def _quant(self, e: ir.Quant, env: Env) -> bool:
        holds = (bool(self.given(e.body, {**env, e.var: x})) for x in self._elements(e.source, env))
        if e.kind == "every":
            return all(holds)
        found = any(holds)
        return found if e.kind == "any" else not found

    def _counte(self, e: ir.CountE, env: Env) -> int:
        elements = self._elements(e.source, env)
        return sum(1 for x in elements if e.where is None or self.given(e.where, {**env, e.var: x}))

    def plain(self, v: object) -> object:
        """A runtime value in the interpreter's terms: enumeration members as their words, lists as tuples."""
        text = getattr(v, "text", None)
        if (
            isinstance(text, str)
            and not isinstance(v, self.m.Duration | self.m.CitedProvisions)
            and not hasattr(v, "start")
        ):
            return text
        if isinstance(v, list):
            return tuple(v)
        return v

    def rank(self, t: ir.Type, text: str) -> int:
        assert t.name is not None
        words = [v.text.lower() for v in self.checked.enum(t.name).values]
        return words.index(text.lower())

    def runtime_value(self, value: ir.Value) -> object:
        if isinstance(value, ir.Duration):
            return self.m.Duration(value.months, value.days)
        if isinstance(value, ir.Period):
            return self.m.Period(value.start, value.end)
        if isinstance(value, CitedProvisions):
            return self.m.CitedProvisions(value.items)
        if isinstance(value, bool | int | Fraction | str | datetime.date):
            return value
        raise CannotWorkOut(f"cannot re-run the value {value!r}")


def _better(kind: str, new: object, best: object) -> bool:
    """Whether `new` replaces `best` in a `kind` ("least" or "greatest") of values, as min and max compare."""
    return bool(_COMPARE["<"](new, best) if kind == "least" else _COMPARE[">"](new, best))
