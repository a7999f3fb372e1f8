"""Expressions of the checked model -> solver terms, following the evaluator's order of evaluation.

`reach` is the condition under which the evaluator evaluates an expression at all (`and`/`or` and `any`/`every`
stop early, rules are skipped): it decides which errors can happen, and which definitions a decision needs.
`None` means the expression is not part of deciding a case (a guarantee), so nothing is recorded as needed.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from fractions import Fraction
from typing import Any

import z3

from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.prove import calendar
from compiler.prove.arithmetic import normal_duration, round_duration, round_real, scale, times
from compiler.prove.calendar import Z3
from compiler.prove.domain import Domain, ListVars, RecordVars
from compiler.prove.scales import scale_term
from compiler.prove.terms import (
    FALSE,
    TRUE,
    Sort,
    Term,
    Unsupported,
    choose,
    equal,
    ordering_key,
    placeholder,
    sort_of,
    to_int,
    to_real,
    total_days,
    within,
)

Env = Mapping[str, RecordVars]
DefLookup = Callable[[str, "RecordVars | None", "Z3 | None"], Term]

_CMP: dict[str, Callable[[Z3, Z3], Z3]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _and(reach: Z3 | None, *more: Z3) -> Z3 | None:
    return None if reach is None else z3.And(reach, *more)


class Encoder:
    def __init__(self, checked: ir.Checked, domain: Domain, definition: DefLookup) -> None:
        self.checked = checked
        self.domain = domain
        self.definition = definition
        self.inputs: list[dict[str, Term]] = []  # the inputs of the formulas being put in place, innermost last

    def expr(self, e: ir.Expr, env: Env, reach: Z3 | None) -> Term:
        method: Callable[[Any, Env, Z3 | None], Term] = getattr(self, "_" + type(e).__name__.lower())
        return method(e, env, reach)

    # ---------------------------------------------------------------- values

    def _lit(self, e: ir.Lit, env: Env, reach: Z3 | None) -> Term:
        return literal(e.value, e.type)

    def _enumlit(self, e: ir.EnumLit, env: Env, reach: Z3 | None) -> Term:
        values = [v.ident for v in self.checked.enum(e.enum).values]
        return Term(Sort.ENUM, z3.IntVal(values.index(e.value) + 1))

    def _paramref(self, e: ir.ParamRef, env: Env, reach: Z3 | None) -> Term:
        return literal(self.checked.parameter(e.ident).value, e.type)

    def _rootref(self, e: ir.RootRef, env: Env, reach: Z3 | None) -> Term:
        return Term(Sort.RECORD, self.domain.root)

    def _varref(self, e: ir.VarRef, env: Env, reach: Z3 | None) -> Term:
        if e.var not in env:
            raise Unsupported(e.span, f"'{self.checked.words(e.span)}' names a record the prover cannot place")
        return Term(Sort.RECORD, env[e.var])

    def _fieldref(self, e: ir.FieldRef, env: Env, reach: Z3 | None) -> Term:
        subject = self.expr(e.subject, env, reach)
        record: RecordVars = subject.value
        if e.field in record.lists:
            return Term(Sort.LIST, record.lists[e.field], subject.ok)
        if e.field not in record.fields:
            what = "a list inside a list element" if e.type.kind is Kind.LIST else "a record inside a record"
            raise Unsupported(e.span, f"{what}: '{self.checked.words(e.span)}'")
        fv = record.fields[e.field]
        return Term(sort_of(e.type.kind), fv.value, subject.ok, fv.present)

    def _defref(self, e: ir.DefRef, env: Env, reach: Z3 | None) -> Term:
        subject: RecordVars | None = None
        if e.subject is not None:
            subject_term = self.expr(e.subject, env, reach)
            subject = subject_term.value
            if subject is self.domain.root:
                subject = None
        return self.definition(e.definition, subject, reach)

    # ---------------------------------------------------------------- formulas

    def _inputref(self, e: ir.InputRef, env: Env, reach: Z3 | None) -> Term:
        return self.inputs[-1][e.input]

    def _call(self, e: ir.Call, env: Env, reach: Z3 | None) -> Term:
        """A formula put in place: its cases over the inputs' terms, the first whose condition holds chosen, as the
        evaluator tries them; an error in a case counts only where that case is reached."""
        formula = self.checked.formula(e.formula)
        args = [self.expr(a, env, reach) for a in e.args]
        ok_parts = [a.usable for a in args]
        sort = sort_of(formula.type.kind)
        self.inputs.append({i.ident: Term(a.sort, a.value) for i, a in zip(formula.inputs, args, strict=True)})
        try:
            going = TRUE  # no case before this one applied, and each condition so far was worked out
            chosen: list[tuple[Z3, Term]] = []
            for case in formula.cases:
                here = z3.And(*ok_parts, going)
                if case.condition is not None:
                    test = self.expr(case.condition, env, _and(reach, here))
                    ok_parts.append(z3.Implies(going, test.usable))
                    applies: Z3 = test.value
                else:
                    applies = TRUE
                value = _as_sort(self.expr(case.value, env, _and(reach, z3.And(here, applies))), sort)
                ok_parts.append(z3.Implies(z3.And(going, applies), value.usable))
                chosen.append((z3.And(going, applies), value))
                going = z3.And(going, z3.Not(applies))
        finally:
            self.inputs.pop()
        result = chosen[-1][1]
        for condition, value in reversed(chosen[:-1]):
            result = choose(condition, value, result)
        return Term(sort, result.value, z3.And(*ok_parts))

    # ---------------------------------------------------------------- arithmetic

    def _arith(self, e: ir.Arith, env: Env, reach: Z3 | None) -> Term:
        left = self.expr(e.left, env, reach)
        right = self.expr(e.right, env, reach)
        ok = z3.And(left.usable, right.usable)
        sorts = (left.sort, right.sort)
        if e.op in ir.WHOLE_UNITS:
            return Term(Sort.INT, calendar.whole_between(e.op, left.value, right.value), ok)
        if sorts in ((Sort.DATE, Sort.DURATION), (Sort.DURATION, Sort.DATE)):
            date, duration = (left, right) if left.sort is Sort.DATE else (right, left)
            sign = -1 if e.op == "-" else 1
            months, days = duration.value
            whole_days = z3.BoolVal(True) if z3.is_int(days) else z3.IsInt(days)  # else the evaluator refuses
            result, in_range = calendar.add_duration(date.value, to_int(months), to_int(days), sign)
            return Term(Sort.DATE, result, z3.And(ok, whole_days, in_range))
        if sorts == (Sort.DATE, Sort.DATE):
            return Term(Sort.DURATION, (z3.IntVal(0), left.value - right.value), ok)
        if sorts == (Sort.DURATION, Sort.DURATION):
            if e.op == "/":
                divisor = total_days(right.value)
                return Term(Sort.REAL, to_real(total_days(left.value)) / to_real(divisor), z3.And(ok, divisor != 0))
            sign = 1 if e.op == "+" else -1
            months, days = (a + sign * b for a, b in zip(left.value, right.value, strict=True))
            return Term(Sort.DURATION, normal_duration(months, days), ok)
        if Sort.DURATION in sorts:
            duration, factor = (left, right) if left.sort is Sort.DURATION else (right, left)
            if e.op == "/":
                f = to_real(factor.value)
                return Term(Sort.DURATION, scale(duration.value, 1 / f), z3.And(ok, f != 0))
            return Term(Sort.DURATION, scale(duration.value, factor.value), ok)
        if e.op == "/":
            return Term(Sort.REAL, to_real(left.value) / to_real(right.value), z3.And(ok, right.value != 0))
        op: dict[str, Callable[[Z3, Z3], Z3]] = {
            "+": lambda a, b: a + b,
            "-": lambda a, b: a - b,
            "*": times,
        }
        value = op[e.op](left.value, right.value)
        return Term(sort_of(e.type.kind), value, ok)

    def _round(self, e: ir.Round, env: Env, reach: Z3 | None) -> Term:
        operand = self.expr(e.operand, env, reach)
        if operand.sort is Sort.INT:
            return operand
        if operand.sort is Sort.DURATION:
            return Term(Sort.DURATION, round_duration(operand.value, e.mode, e.unit), operand.ok, operand.present)
        step = {"cents": Fraction(1, 100), "units": Fraction(1)}.get(e.unit)
        if step is None and e.unit.startswith("places:"):
            step = Fraction(1, 10 ** int(e.unit.split(":")[1]))
        if step is None:
            raise Unsupported(e.span, f"rounding to {e.unit}")
        scaled = to_real(operand.value) / to_real(literal(step, ir.NUMBER).value)
        if e.type.kind is Kind.INT:  # a decimal to a whole number
            return Term(Sort.INT, round_real(scaled, e.mode), operand.ok, operand.present)
        whole = to_real(round_real(scaled, e.mode)) * literal(step, ir.NUMBER).value
        return Term(Sort.REAL, whole, operand.ok, operand.present)

    def _scaleapplied(self, e: ir.ScaleApplied, env: Env, reach: Z3 | None) -> Term:
        base = self.expr(e.base, env, reach)
        return Term(sort_of(e.type.kind), scale_term(e.scale, base.value), base.usable)

    def _minmax(self, e: ir.MinMax, env: Env, reach: Z3 | None) -> Term:
        left = self.expr(e.left, env, reach)
        right = self.expr(e.right, env, reach)
        a, b = ordering_key(left), ordering_key(right)
        take_left = a <= b if e.kind == "least" else a >= b
        chosen = choose(take_left, left, right)
        sort = Sort.REAL if Sort.REAL in (left.sort, right.sort) else left.sort  # an int and a real: a real
        return Term(sort, chosen.value, z3.And(left.usable, right.usable))

    # ---------------------------------------------------------------- conditions

    def _cmp(self, e: ir.Cmp, env: Env, reach: Z3 | None) -> Term:
        left = self.expr(e.left, env, reach)
        right = self.expr(e.right, env, reach)
        ok = z3.And(left.usable, right.usable)
        if e.op in {"==", "!="}:
            same = equal(left, right)
            return Term(Sort.BOOL, same if e.op == "==" else z3.Not(same), ok)
        return Term(Sort.BOOL, _CMP[e.op](ordering_key(left), ordering_key(right)), ok)

    def _oneof(self, e: ir.OneOf, env: Env, reach: Z3 | None) -> Term:
        operand = self.expr(e.operand, env, reach)
        values = [self.expr(v, env, reach) for v in e.values]
        if operand.sort is Sort.CITATION:
            found = within(operand, values)
        else:
            found = z3.Or(*(equal(operand, v) for v in values))
        ok = z3.And(operand.usable, *(v.usable for v in values))
        return Term(Sort.BOOL, z3.Not(found) if e.negated else found, ok)

    def _within(self, e: ir.Within, env: Env, reach: Z3 | None) -> Term:
        operand = self.expr(e.operand, env, reach)
        if e.period is not None:
            period = self.expr(e.period, env, reach)
            low, high, ok = period.value[0], period.value[1], z3.And(operand.usable, period.usable)
        else:
            assert e.low is not None and e.high is not None
            lo, hi = self.expr(e.low, env, reach), self.expr(e.high, env, reach)
            low, high, ok = ordering_key(lo), ordering_key(hi), z3.And(operand.usable, lo.usable, hi.usable)
        x = ordering_key(operand)
        inside = z3.And(low <= x, x <= high)
        return Term(Sort.BOOL, z3.Not(inside) if e.negated else inside, ok)

    def _known(self, e: ir.Known, env: Env, reach: Z3 | None) -> Term:
        operand = self.expr(e.operand, env, reach)
        return Term(Sort.BOOL, z3.Not(operand.present) if e.negated else operand.present, operand.ok)

    def _note(self, e: ir.NotE, env: Env, reach: Z3 | None) -> Term:
        operand = self.expr(e.operand, env, reach)
        return Term(Sort.BOOL, z3.Not(operand.value), operand.usable)

    def _and(self, e: ir.And, env: Env, reach: Z3 | None) -> Term:
        return self._chain(e.items, env, reach, stop_on=False)

    def _or(self, e: ir.Or, env: Env, reach: Z3 | None) -> Term:
        return self._chain(e.items, env, reach, stop_on=True)

    def _chain(self, items: tuple[ir.Expr, ...], env: Env, reach: Z3 | None, stop_on: bool) -> Term:
        """`and` stops at the first false item, `or` at the first true one; later items are not evaluated."""
        going = TRUE  # every item so far evaluated without error and did not stop the chain
        ok_parts: list[Z3] = []
        for item in items:
            t = self.expr(item, env, _and(reach, going))
            ok_parts.append(z3.Implies(going, t.usable))
            going = z3.And(going, t.usable, _continues(t.value, stop_on))
        value = z3.Not(going) if stop_on else going
        return Term(Sort.BOOL, value, z3.And(*ok_parts))

    # ---------------------------------------------------------------- lists

    def slots(self, source: ir.Expr, env: Env, reach: Z3 | None) -> tuple[list[tuple[RecordVars, Z3]], Z3]:
        """Each slot of the list `source` with the condition under which it holds a record, in order, and what
        must hold for no error. A group of roles ("the members") is its roles' slots one after the other."""
        t = self.expr(source, env, reach)
        if t.sort is not Sort.LIST:
            raise Unsupported(source.span, f"'{self.checked.words(source.span)}' as a list")
        lists: tuple[ListVars, ...] = t.value if isinstance(t.value, tuple) else (t.value,)
        return [(slot, i < lv.length) for lv in lists for i, slot in enumerate(lv.slots)], t.ok

    def _members(self, e: ir.Members, env: Env, reach: Z3 | None) -> Term:
        """The roles' lists, in order: a tuple of ListVars where a role is one (slots() walks them)."""
        terms = [self.expr(r, env, reach) for r in e.roles]
        if any(t.sort is not Sort.LIST for t in terms):
            raise Unsupported(e.span, f"'{self.checked.words(e.span)}' as a list")
        return Term(Sort.LIST, tuple(t.value for t in terms), z3.And(TRUE, *(t.ok for t in terms)))

    def _inrole(self, e: ir.InRole, env: Env, reach: Z3 | None) -> Term:
        """ "the person is a child": a slot belongs to one role, so the answer is known for each slot."""
        subject = self.expr(e.subject, env, reach)
        role = self.expr(e.role, env, reach)
        if subject.sort is not Sort.RECORD or role.sort is not Sort.LIST:
            raise Unsupported(e.span, f"'{self.checked.words(e.span)}'")
        lists: tuple[ListVars, ...] = role.value if isinstance(role.value, tuple) else (role.value,)
        held = any(slot is subject.value for lv in lists for slot in lv.slots)
        return Term(Sort.BOOL, z3.BoolVal(held), z3.And(subject.ok, role.ok))

    def _quant(self, e: ir.Quant, env: Env, reach: Z3 | None) -> Term:
        slots, ok = self.slots(e.source, env, reach)
        stop_on = e.kind != "every"  # any/no stop at the first element that holds, every at the first that fails
        going = TRUE
        ok_parts = [ok]
        for slot, exists in slots:
            here = z3.And(going, exists)
            body = self.expr(e.body, {**env, e.var: slot}, _and(reach, here))
            ok_parts.append(z3.Implies(here, body.usable))
            going = z3.And(going, z3.Or(z3.Not(exists), z3.And(body.usable, _continues(body.value, stop_on))))
        found = z3.Not(going)
        value = {"any": found, "no": going, "every": going}[e.kind]
        return Term(Sort.BOOL, value, z3.And(*ok_parts))

    def _elements(
        self, source: ir.Expr, var: str, where: ir.Expr | None, env: Env, reach: Z3 | None
    ) -> tuple[list[tuple[RecordVars, Z3]], list[Z3]]:
        """Each slot with the condition under which it counts, and what must hold for no error."""
        slots, ok = self.slots(source, env, reach)
        counted: list[tuple[RecordVars, Z3]] = []
        ok_parts = [ok]
        for slot, exists in slots:
            if where is None:
                counted.append((slot, exists))
                continue
            w = self.expr(where, {**env, var: slot}, _and(reach, exists))
            ok_parts.append(z3.Implies(exists, w.usable))
            counted.append((slot, z3.And(exists, w.value)))
        return counted, ok_parts

    def _counte(self, e: ir.CountE, env: Env, reach: Z3 | None) -> Term:
        counted, ok_parts = self._elements(e.source, e.var, e.where, env, reach)
        return Term(Sort.INT, z3.Sum(*(z3.If(c, 1, 0) for _, c in counted)), z3.And(*ok_parts))

    def _agg(self, e: ir.Agg, env: Env, reach: Z3 | None) -> Term:
        counted, ok_parts = self._elements(e.source, e.var, e.where, env, reach)
        values: list[tuple[Term, Z3]] = []
        for slot, counts in counted:
            v = self.expr(e.value, {**env, e.var: slot}, _and(reach, counts))
            ok_parts.append(z3.Implies(counts, v.usable))
            values.append((v, counts))
        sort = sort_of(e.type.kind)
        if e.kind == "total":
            if sort is Sort.DURATION:
                total: Any = tuple(z3.Sum(*(z3.If(c, v.value[k], 0) for v, c in values)) for k in (0, 1))
            else:
                total = z3.Sum(*(z3.If(c, v.value, 0) for v, c in values))
            return Term(sort, total, z3.And(*ok_parts))
        best = placeholder(sort)
        seen = FALSE
        for v, counts in values:  # the first of equal values, as max() and min() give it
            better = (
                ordering_key(v) > ordering_key(best) if e.kind == "greatest" else ordering_key(v) < ordering_key(best)
            )
            best = choose(z3.And(counts, z3.Or(z3.Not(seen), better)), v, best)
            seen = z3.Or(seen, counts)
        return Term(sort, best.value, z3.And(*ok_parts, seen))


# ------------------------------------------------------------------ helpers


def literal(value: ir.Value, type_: ir.Type) -> Term:
    if isinstance(value, bool):
        return Term(Sort.BOOL, z3.BoolVal(value))
    if isinstance(value, ir.Duration):
        return Term(Sort.DURATION, (z3.IntVal(value.months), z3.IntVal(value.days)))
    if isinstance(value, ir.Period):
        return Term(Sort.PERIOD, (z3.IntVal(value.start.toordinal()), z3.IntVal(value.end.toordinal())))
    if isinstance(value, datetime.date):
        return Term(Sort.DATE, z3.IntVal(value.toordinal()))
    if isinstance(value, str):
        return Term(Sort.TEXT, z3.StringVal(value))
    if isinstance(value, CitedProvisions):
        return Term(Sort.CITATION, tuple(tuple(z3.IntVal(n) for n in item) for item in value.items))
    if isinstance(value, int) and type_.kind is Kind.INT:
        return Term(Sort.INT, z3.IntVal(value))
    fraction = Fraction(value)
    return Term(Sort.REAL, z3.RealVal(f"{fraction.numerator}/{fraction.denominator}"))


def _as_sort(term: Term, sort: Sort) -> Term:
    """A whole number where a formula gives a number or money: the same value, as a real."""
    if term.sort is Sort.INT and sort is Sort.REAL:
        return Term(Sort.REAL, to_real(term.value), term.ok, term.present)
    return term


def _continues(value: Z3, stop_on: bool) -> Z3:
    return z3.Not(value) if stop_on else value
