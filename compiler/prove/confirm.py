"""Re-running the prover's witness cases in the generated evaluator, so that no finding rests on the encoding alone.

A guarantee's counterexample is confirmed when the evaluator reads the case, and the guarantee's premise holds and
its conclusion fails there, both computed by the evaluator's own definitions (the few connectives around them are
interpreted here, with the evaluator's runtime values). A conflict or gap witness is confirmed when the evaluator
stops on it with a ConflictError or UndecidedError for that definition.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from types import ModuleType
from typing import Any

from compiler import ir
from compiler.kinds import Kind
from compiler.prove.report import Witness


class _Stop(Exception):
    """The evaluator could not compute a value the guarantee needs (it raised, or a fact is missing)."""


@dataclass(frozen=True)
class Confirmer:
    checked: ir.Checked
    module: ModuleType | None
    note: str = ""

    @staticmethod
    def for_statute(checked: ir.Checked) -> Confirmer:
        try:
            from compiler.build import load_module

            return Confirmer(checked, load_module(checked))
        except Exception as exc:  # no backend yet, or it failed on this statute: say so, never pretend
            why = f"{type(exc).__name__}: {exc}"
            return Confirmer(
                checked, None, f"the Python evaluator could not be loaded ({why}); witnesses are not re-run"
            )

    def decision(self, case: dict[str, object]) -> str:
        return self.decided(case)[1]

    def decided(self, case: dict[str, object]) -> tuple[bool, str]:
        """Whether the evaluator decides `case`, and its decision as JSON or the error it stops with (any error of
        deciding: a conflict, an undecided value, a date beyond the calendar, a division by zero)."""
        assert self.module is not None
        m = self.module
        try:
            decided = m.decide(m.load_case(case))
        except (m.CaseError, m.DecisionError, ArithmeticError, ValueError) as exc:
            return False, f"{type(exc).__name__}: {exc}"
        as_dict = m.decision_as_dict(decided) if hasattr(m, "decision_as_dict") else decided
        return True, json.dumps(as_dict, ensure_ascii=False, default=str)

    def guarantee(self, g: ir.GuaranteeDef, case: dict[str, object]) -> Witness:
        if self.module is None:
            return Witness(case, None, "")
        m = self.module
        try:
            loaded = m.load_case(case)
        except m.CaseError as exc:
            return Witness(case, False, f"it refuses the case: {exc}", False)
        reading = _Interpreter(self.checked, m, loaded)
        try:
            premise = True if g.premise is None else reading.value(g.premise, {})
            conclusion = reading.value(g.conclusion, {})
        except _Stop as exc:
            return Witness(case, False, f"it cannot work out the guarantee: {exc}", False)
        decided, said = self.decided(case)
        # A case the evaluator cannot decide breaks no decision: deciding it reports the problem instead (the prover
        # then looks for a counterexample the evaluator decides).
        return Witness(case, premise is True and conclusion is False and decided, said, decided)

    def stops(self, case: dict[str, object]) -> Witness:
        """Confirm that the evaluator cannot decide `case` (it raises rather than deciding)."""
        if self.module is None:
            return Witness(case, None, "")
        decided, said = self.decided(case)
        return Witness(case, not decided, said, decided)

    def error(self, d: ir.Definition, case: dict[str, object], kind: str) -> Witness:
        """Confirm a conflict (kind 'conflict') or a gap ('gap') in `d`."""
        if self.module is None:
            return Witness(case, None, "")
        m = self.module
        wanted = m.ConflictError if kind == "conflict" else m.UndecidedError
        try:
            loaded = m.load_case(case)
        except m.CaseError as exc:
            return Witness(case, False, f"it refuses the case: {exc}", False)
        evaluation = m.Evaluation(loaded)
        method = getattr(evaluation, d.ident)
        subjects = [None] if d.owner is None else _elements(self.checked, loaded, d.owner)
        for subject in subjects:
            try:
                method() if subject is None else method(subject)
            except wanted as exc:
                ours = getattr(exc, "definition", None) == d.label
                if ours and (kind == "conflict" or str(getattr(exc, "reason", "")).startswith("no rule applies")):
                    decided, said = self.decided(case)
                    return Witness(case, True, said, decided)
            except (m.DecisionError, ArithmeticError, ValueError):
                continue
        decided, said = self.decided(case)
        return Witness(case, False, said, decided)


def _elements(checked: ir.Checked, loaded: Any, record: str) -> list[Any]:
    root = checked.record(checked.root)
    out: list[Any] = []
    for f in root.fields:
        if f.type.kind is Kind.LIST and f.type.name == record:
            out.extend(getattr(loaded, f.ident))
    return out


class _Interpreter:
    """A guarantee's expression over the evaluator's case and definitions, with the runtime's own values."""

    def __init__(self, checked: ir.Checked, module: ModuleType, case: Any) -> None:
        self.checked = checked
        self.m = module
        self.case = case
        self.evaluation = module.Evaluation(case)

    def value(self, e: ir.Expr, env: dict[str, Any]) -> Any:
        method: Callable[[Any, dict[str, Any]], Any] = getattr(self, "_" + type(e).__name__.lower(), self._other)
        return method(e, env)

    def given(self, e: ir.Expr, env: dict[str, Any]) -> Any:
        v = self.value(e, env)
        if v is None:
            raise _Stop(f"'{self.checked.words(e.span)}' is not given")
        return v

    def _other(self, e: ir.Expr, env: dict[str, Any]) -> Any:
        raise _Stop(f"cannot re-run '{self.checked.words(e.span)}' outside the evaluator")

    def _lit(self, e: ir.Lit, env: dict[str, Any]) -> Any:
        return self.runtime_value(e.value)

    def _paramref(self, e: ir.ParamRef, env: dict[str, Any]) -> Any:
        return self.runtime_value(self.checked.parameter(e.ident).value)

    def _enumlit(self, e: ir.EnumLit, env: dict[str, Any]) -> Any:
        return next(v.text for v in self.checked.enum(e.enum).values if v.ident == e.value)

    def _rootref(self, e: ir.RootRef, env: dict[str, Any]) -> Any:
        return self.case

    def _varref(self, e: ir.VarRef, env: dict[str, Any]) -> Any:
        return env[e.var]

    def _fieldref(self, e: ir.FieldRef, env: dict[str, Any]) -> Any:
        return self.plain(getattr(self.value(e.subject, env), e.field))

    def _defref(self, e: ir.DefRef, env: dict[str, Any]) -> Any:
        method = getattr(self.evaluation, e.definition)
        try:
            if e.subject is None or isinstance(e.subject, ir.RootRef):
                return self.plain(method())
            return self.plain(method(self.value(e.subject, env)))
        except self.m.DecisionError as exc:
            raise _Stop(str(exc)) from exc

    def _arith(self, e: ir.Arith, env: dict[str, Any]) -> Any:
        left, right = self.given(e.left, env), self.given(e.right, env)
        lk, rk = e.left.type.kind, e.right.type.kind
        if e.op == "-" and lk is rk is Kind.DATE:
            return self.m.days_between(left, right)
        if e.op in ir.WHOLE_UNITS:
            return self.m.whole_between(e.op, left, right)
        if e.op == "/" and lk is rk is Kind.INT:
            return Fraction(left, right)
        if e.op == "+" and lk is Kind.DURATION and rk is Kind.DATE:
            left, right = right, left
        ops: dict[str, Callable[[Any, Any], Any]] = {
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": lambda a, b: a * b,
            "/": lambda a, b: a / b,
        }
        return ops[e.op](left, right)

    def _round(self, e: ir.Round, env: dict[str, Any]) -> Any:
        value = self.given(e.operand, env)
        if e.type.kind is Kind.DURATION:
            return self.m.round_duration(value, e.unit, e.mode)
        if e.type.kind is Kind.INT:
            return self.m.round_whole(value, e.mode)
        places = int(e.unit.split(":")[1]) if e.unit.startswith("places:") else {"cents": 2, "units": 0}[e.unit]
        return self.m.round_number(value, places, e.mode)

    def _minmax(self, e: ir.MinMax, env: dict[str, Any]) -> Any:
        left, right = self.given(e.left, env), self.given(e.right, env)
        if isinstance(left, str) and e.left.type.kind is Kind.ENUM:
            a, b = self.rank(e.left.type, left), self.rank(e.left.type, right)
            return left if (a <= b if e.kind == "least" else a >= b) else right
        return min(left, right) if e.kind == "least" else max(left, right)

    def _agg(self, e: ir.Agg, env: dict[str, Any]) -> Any:
        elements = self.given(e.source, env)
        chosen = [x for x in elements if e.where is None or self.given(e.where, {**env, e.var: x})]
        values = [self.given(e.value, {**env, e.var: x}) for x in chosen]
        if e.kind == "total":
            return sum(values, self.m.Duration(0, 0) if e.type.kind is Kind.DURATION else 0)
        if not values:
            raise _Stop(f"'{self.checked.words(e.span)}': there are none")
        if e.type.kind is Kind.ENUM:
            ranked = sorted(values, key=lambda v: self.rank(e.type, v))
            return ranked[-1] if e.kind == "greatest" else ranked[0]
        return max(values) if e.kind == "greatest" else min(values)

    def _cmp(self, e: ir.Cmp, env: dict[str, Any]) -> bool:
        left, right = self.given(e.left, env), self.given(e.right, env)
        if isinstance(left, str) and e.left.type.kind is Kind.ENUM:
            left, right = self.rank(e.left.type, left), self.rank(e.left.type, right)
        ops: dict[str, Callable[[Any, Any], bool]] = {
            "==": lambda a, b: bool(a == b),
            "!=": lambda a, b: bool(a != b),
            "<": lambda a, b: bool(a < b),
            "<=": lambda a, b: bool(a <= b),
            ">": lambda a, b: bool(a > b),
            ">=": lambda a, b: bool(a >= b),
        }
        return ops[e.op](left, right)

    def _oneof(self, e: ir.OneOf, env: dict[str, Any]) -> bool:
        operand = self.given(e.operand, env)
        found = any(operand == self.given(v, env) for v in e.values)
        return not found if e.negated else found

    def _within(self, e: ir.Within, env: dict[str, Any]) -> bool:
        x = self.given(e.operand, env)
        if e.period is not None:
            period = self.given(e.period, env)
            inside = bool(period.start <= x <= period.end)
        else:
            assert e.low is not None and e.high is not None
            low, high = self.given(e.low, env), self.given(e.high, env)
            if isinstance(x, str) and e.operand.type.kind is Kind.ENUM:
                x, low, high = (self.rank(e.operand.type, v) for v in (x, low, high))
            inside = bool(low <= x <= high)
        return not inside if e.negated else inside

    def _known(self, e: ir.Known, env: dict[str, Any]) -> bool:
        present = self.value(e.operand, env) is not None
        return not present if e.negated else present

    def _note(self, e: ir.NotE, env: dict[str, Any]) -> bool:
        return not self.given(e.operand, env)

    def _and(self, e: ir.And, env: dict[str, Any]) -> bool:
        return all(self.given(i, env) for i in e.items)

    def _or(self, e: ir.Or, env: dict[str, Any]) -> bool:
        return any(self.given(i, env) for i in e.items)

    def _quant(self, e: ir.Quant, env: dict[str, Any]) -> bool:
        elements = self.given(e.source, env)
        holds = (bool(self.given(e.body, {**env, e.var: x})) for x in elements)
        if e.kind == "every":
            return all(holds)
        found = any(holds)
        return found if e.kind == "any" else not found

    def _counte(self, e: ir.CountE, env: dict[str, Any]) -> int:
        elements = self.given(e.source, env)
        return sum(1 for x in elements if e.where is None or self.given(e.where, {**env, e.var: x}))

    def plain(self, v: Any) -> Any:
        """A runtime value in the interpreter's terms: enumeration members as their words, lists as tuples."""
        text = getattr(v, "text", None)
        if isinstance(text, str) and not isinstance(v, self.m.Duration) and not hasattr(v, "start"):
            return text
        if isinstance(v, list):
            return tuple(v)
        return v

    def rank(self, t: ir.Type, text: str) -> int:
        assert t.name is not None
        words = [v.text.lower() for v in self.checked.enum(t.name).values]
        return words.index(text.lower())

    def runtime_value(self, value: ir.Value) -> Any:
        if isinstance(value, ir.Duration):
            return self.m.Duration(value.months, value.days)
        if isinstance(value, ir.Period):
            return self.m.Period(value.start, value.end)
        if isinstance(value, bool | int | Fraction | str | datetime.date):
            return value
        raise _Stop(f"cannot re-run the value {value!r}")
