"""A formula where a rule used it, explained as a definition is: "↳ formula two-bracket tax: 72,000.00 USD", the
formula's own words, each case's condition tested with the inputs' values written in, and the case that gave the
value, "the breakpoint (100,000.00 USD) times the lower rate (20%) plus ..., that is 72,000.00 USD".

The inputs' values are those of the call (the facts, parameters and definitions it gives them); which case applied
and the result are asked of the decider being explained (its value of the condition with the call's values in place
of the inputs, and its value of the call), so the explanation cannot disagree with the decision. A call inside a
record's rule (a charge's) reads its record, which the decider's value of an expression does not take: it is shown
with its inputs and result in the rule's words only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from compiler.explain.conditions import DefinitionValue, Scope, Wording
from compiler.explain.model import Condition, Derived, RuleReason
from compiler.model import ir
from compiler.model.walk import rebuilt, walk

_LISTS = (ir.Quant, ir.CountE, ir.Agg)


class Formulas:
    """The formulas a rule's value or condition uses, each explained once where it is used."""

    def __init__(self, checked: ir.Checked, wording: Wording, anchor: Callable[[str], str]) -> None:
        self.checked, self.wording, self.anchor = checked, wording, anchor

    def derived(self, e: ir.Expr, scope: Scope, lookup: DefinitionValue) -> tuple[Derived, ...]:
        out: list[Derived] = []
        for call in _calls(e):
            found = self._call(call, scope, lookup)
            if found is not None:
                out.append(found)
        return tuple(out)

    def _call(self, call: ir.Call, scope: Scope, lookup: DefinitionValue) -> Derived | None:
        formula = self.checked.formula(call.formula)
        values: dict[str, object] = {}
        for arg, given in zip(call.args, formula.inputs, strict=True):
            found, value = self.wording.calculated(arg, scope, lookup)
            if not found:
                return None
            values[given.ident] = value
        found, result = self.wording.called(call)
        if not found:
            return None
        inner = Scope(scope.case, scope.subject, scope.bound, values)
        args = {given.ident: arg for given, arg in zip(formula.inputs, call.args, strict=True)}

        def in_place(node: ir.Expr) -> ir.Expr | None:
            return args[node.input] if isinstance(node, ir.InputRef) else None

        conditions: list[Condition] = []
        applied = formula.cases[-1]
        for case in formula.cases[:-1]:
            assert case.condition is not None  # only the last case has none (compiler/check/formulas.py)
            worked, held = self.wording.called_condition(rebuilt(case.condition, in_place))
            if not worked or not isinstance(held, bool):
                return None
            conditions.append(Condition("atom", self.wording.with_values(case.condition, inner, lookup), held))
            if held:
                applied = case
                break
        reason = RuleReason(
            ident=formula.ident,
            article=formula.citation.label,
            heading=formula.citation.heading,
            quote=formula.citation.quote,
            words=self.checked.words(formula.span),
            value=self.wording.value(applied.value, result, inner, lookup),
            status="applied",
            conditions=tuple(conditions),
            failed=(),
            set_aside_by=(),
            derived=(),
            exception=False,
            worked_out=True,
        )
        label = self.wording.locale.words["formula"].format(label=formula.label)
        shown = self.wording.shown(result, formula.type)
        return Derived(formula.ident, label, self.anchor(formula.ident), "formula", shown, False, (reason,), (), None)


def _calls(e: ir.Expr) -> Iterator[ir.Call]:
    """The calls of `e` outside any list it walks (inside, a call reads each element: see the module's docstring)."""
    for node in walk(e, prune=lambda n: isinstance(n, _LISTS)):
        if isinstance(node, ir.Call):
            yield node
