"""Which parts of a condition may stop a decision: what the Python backend must not skip or move.

A condition is tested left to right, and a test that needs a fact the case does not give stops the decision
(docs/language.md section 7: "A rule that needs an optional fact the case does not give cannot be worked out
either"). So the generated module may leave a test out, or make it earlier than written, only where nothing the
reference interpreter would evaluate before it can stop: an optional fact or an optional definition used as a
value, a definition that may be undecided or in conflict, a division, a date moved by a duration (it may leave the
calendar, or be moved by a part of a day), the greatest or least of no values. The answer errs on the safe side:
"may stop" where it cannot tell.
"""

from __future__ import annotations

from typing import assert_never

from compiler.backends.python.analysis import conjuncts, exclusive, same_constant
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import shape

# Past this many rules, a definition's rules are not compared pair by pair: it may be in conflict.
MAX_PAIRS = 64


class Stops:
    """Whether expressions of `checked` may stop a decision; each definition's answer worked out once, in the
    checked order (each definition after those it uses)."""

    def __init__(self, checked: ir.Checked) -> None:
        self.checked = checked
        self.definitions: dict[str, bool] = {}
        self.formulas: dict[str, bool] = {}
        self._items: dict[int, tuple[ir.Expr, bool]] = {}  # whether an "and" item may stop, by its id
        for d in checked.definitions:
            self.definitions[d.ident] = self._definition(d)

    def expr(self, e: ir.Expr, needed: bool = True) -> bool:
        """Whether evaluating `e` may stop the decision; `needed`: its value must be given (not under `is given`)."""
        match e:
            case ir.Lit() | ir.EnumLit() | ir.ParamRef() | ir.RootRef() | ir.VarRef() | ir.InputRef():
                return False
            case ir.Call():
                return any(self.expr(a) for a in e.args) or self._formula(e.formula)
            case ir.FieldRef():
                return (needed and e.optional) or self.expr(e.subject)
            case ir.DefRef():
                subject = e.subject is not None and self.expr(e.subject)
                optional = self.checked.definition(e.definition).optional
                return subject or (needed and optional) or self.definitions.get(e.definition, True)
            case ir.Known():
                return self.expr(e.operand, needed=False)
            case ir.Arith():
                moves_a_date = Kind.DATE in (e.left.type.kind, e.right.type.kind) and e.op in {"+", "-"}
                dated = moves_a_date and e.left.type.kind != e.right.type.kind  # date minus date cannot stop
                return e.op == "/" or dated or self.expr(e.left) or self.expr(e.right)
            case ir.MinMax() | ir.Cmp():
                return self.expr(e.left) or self.expr(e.right)
            case ir.Round() | ir.NotE():
                return self.expr(e.operand)
            case ir.ScaleApplied():
                return self.expr(e.base)
            case ir.OneOf():
                return self.expr(e.operand) or any(self.expr(v) for v in e.values)
            case ir.Within():
                return any(self.expr(x) for x in (e.operand, e.low, e.high, e.period) if x is not None)
            case ir.And() | ir.Or():
                return any(self.expr(item) for item in e.items)
            case ir.Quant():
                return self.expr(e.source) or self.expr(e.body)
            case ir.Members():
                return any(self.expr(r) for r in e.roles)
            case ir.InRole():
                return self.expr(e.subject) or self.expr(e.role)
            case ir.CountE():
                return self.expr(e.source) or (e.where is not None and self.expr(e.where))
            case ir.Agg():
                where = e.where is not None and self.expr(e.where)
                return e.kind != "total" or self.expr(e.source) or where or self.expr(e.value)
        assert_never(e)

    def _formula(self, ident: str) -> bool:
        """Whether a formula's cases may stop (a division, a date moved): its inputs are given, being values."""
        if ident not in self.formulas:
            cases = self.checked.formula(ident).cases
            parts = [x for case in cases for x in (case.condition, case.value) if x is not None]
            self.formulas[ident] = any(self.expr(x) for x in parts)
        return self.formulas[ident]

    def leading(self, condition: ir.Expr) -> list[ir.Expr]:
        """The "and" items of `condition` that are reached with nothing before them that may stop: the items up to
        and including the first that may stop (that one is reached; whether it stops is its own affair)."""
        items = conjuncts(condition)
        for i, item in enumerate(items):
            if self.expr(item):
                return items[: i + 1]
        return items

    def leaves_out(self, a: ir.Expr | None, b: ir.Expr | None) -> bool:
        """When condition `a` held, condition `b` fails at a test that contradicts it, with nothing before that test
        that may stop: so a rule with condition `b` can be left out once a rule with condition `a` applied. A test
        of `b` that `a` made too held there, so it does not stop `b` either."""
        if a is None or b is None:
            return False
        held = {shape(x) for x in conjuncts(a)}
        for item in conjuncts(b):
            if exclusive(a, item, self.checked):
                return True
            if shape(item) not in held and self._stops(item):
                return False
        return False

    def _stops(self, item: ir.Expr) -> bool:
        """`expr(item)`, kept by the item's id: the pairs of a definition's rules ask it of the same items."""
        if id(item) not in self._items:
            self._items[id(item)] = (item, self.expr(item))  # the item kept, so that its id stays its own
        return self._items[id(item)][1]

    def may_stop_after_first(self, rules: tuple[ir.RuleDef, ...]) -> bool:
        """Whether `cond1 or cond2 ...`, which stops at the first rule that applies, may decide where the
        interpreter, looking at every rule, stops: a later rule's condition may stop, and an earlier rule may apply
        without leaving it out (`leaves_out`)."""
        for j, later in enumerate(rules[1:], start=1):
            if later.condition is None or not self.expr(later.condition):
                continue
            if not all(self.leaves_out(earlier.condition, later.condition) for earlier in rules[:j]):
                return True
        return False

    # ---------------------------------------------------------------- definitions

    def _definition(self, d: ir.Definition) -> bool:
        given = not d.optional  # an optional definition's rule may give a missing fact: it is then not decided
        for r in d.rules:
            if (r.condition is not None and self.expr(r.condition)) or self.expr(r.value, needed=given):
                return True
        if d.default is not None and self.expr(d.default, needed=given):
            return True
        always = any(r.condition is None and not r.overridden_by for r in d.rules)
        undecided = d.default is None and not d.optional and d.kind != "predicate" and not always
        return undecided or self._may_conflict(d)

    def _may_conflict(self, d: ir.Definition) -> bool:
        rules = d.rules
        if len(rules) > MAX_PAIRS:
            return not all(same_constant(r.value, rules[0].value) for r in rules)
        for i, a in enumerate(rules):
            for b in rules[i + 1 :]:
                if a.ident in b.overridden_by or b.ident in a.overridden_by or same_constant(a.value, b.value):
                    continue
                if not exclusive(a.condition, b.condition, self.checked):
                    return True
        return False
