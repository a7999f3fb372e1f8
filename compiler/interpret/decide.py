"""Deciding a case by default logic (docs/language.md section 7), one definition at a time.

For each outcome, definition or predicate:

1. its rules are looked at in the checked model's order, where a rule comes after every rule that prevails over it;
   a rule is set aside, its condition not even tested, when a rule that prevails over it has applied (an exception
   prevails over the rules about the same thing in the articles it names, and through them over theirs);
2. the rules that apply must agree: two that give different values, neither prevailing over the other, are a
   conflict;
3. when no rule applies, the value is the default; else not decided for an optional value; else no for a
   predicate; else the case cannot be decided.

A case's definitions are decided once and kept; a record's definitions ("a charge is ...") are decided at each use.
Given a list of `events`, a Decision records the definitions it decides and the rules it tests, as the events of
compiler/model/evaluator.py (no condition inside a rule: those are the generated module's to report).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import assert_never

from compiler.interpret.errors import Conflict, Undecided
from compiler.interpret.evaluate import Evaluator, Scope, same
from compiler.interpret.read import read_case
from compiler.interpret.requirements import BrokenRequirements, broken_requirements
from compiler.interpret.values import Cited, Day, Duration, EnumValue, Money, Period, Record, decimal_text
from compiler.model import ir
from compiler.model.evaluator import DefinitionDecided, DefinitionEntered, RuleBegun, RuleEnded, TraceEvent
from compiler.model.kinds import Kind

NO_RULE = "no rule applies and it has no default"


@dataclass
class Decision:
    """One case being decided by the interpreter: ask it for any definition by its ident."""

    checked: ir.Checked
    case: Record
    decided: dict[str, object] = field(default_factory=dict)  # the case's definitions decided so far
    events: list[TraceEvent] | None = None  # where to record how it decides; None: not recorded

    def definition(self, ident: str, subject: Record | None = None) -> object:
        if subject is None and ident in self.decided:
            return self.decided[ident]
        d = self.checked.definition(ident)
        if self.events is not None:
            self.events.append(DefinitionEntered(ident, subject))
        value, rules = self._decide(d, Scope(d.label, subject))
        if self.events is not None:
            self.events.append(DefinitionDecided(value, rules))
        if subject is None:
            self.decided[ident] = value
        return value

    def _decide(self, d: ir.Definition, scope: Scope) -> tuple[object, tuple[str, ...]]:
        """The value of `d` and the rules that gave it (none: its default, or no value)."""
        evaluator = Evaluator(self.checked, self.case, self)
        applied: list[tuple[ir.RuleDef, object]] = []
        for rule in d.rules:
            if any(r.ident in rule.overridden_by for r, _ in applied):
                continue  # an exception that prevails over it applied
            if not self._applies(evaluator, rule, scope):
                continue
            # An optional value may be decided as "not decided" by a rule whose value is a missing fact.
            value = evaluator.maybe(rule.value, scope) if d.optional else evaluator.value(rule.value, scope)
            if applied and not same(applied[-1][1], value):
                raise Conflict(d.label, applied[-1][0], applied[-1][1], rule, value)
            applied.append((rule, value))
        if applied:
            return applied[-1][1], tuple(r.ident for r, _ in applied)
        if d.default is not None:
            return (evaluator.maybe(d.default, scope) if d.optional else evaluator.value(d.default, scope)), ()
        if d.optional:
            return None, ()
        if d.kind == "predicate":
            return False, ()
        raise Undecided(d.label, NO_RULE)

    def _applies(self, evaluator: Evaluator, rule: ir.RuleDef, scope: Scope) -> bool:
        if self.events is not None:
            self.events.append(RuleBegun(rule.ident))
        applies = rule.condition is None or evaluator.holds(rule.condition, scope)
        if self.events is not None:
            self.events.append(RuleEnded(applies))
        return applies


def decide(
    checked: ir.Checked, data: Mapping[str, object], events: list[TraceEvent] | None = None
) -> dict[str, object]:
    """Every outcome of the statute for the case `data` (as a JSON case file carries it, already accepted by the
    generated module's load_case), as the generated module's `decision_as_dict` gives it; how it was decided is
    recorded in `events` unless None.

    Raises BrokenRequirements when the case breaks a requirement of the statute (it is not decided), Conflict or
    Undecided when it cannot be decided."""
    case = read_case(checked, data)
    problems = broken_requirements(checked, case)
    if problems:
        raise BrokenRequirements(problems)
    return as_json(checked, outcome_values(Decision(checked, case, events=events)))


def outcome_values(decision: Decision) -> dict[str, object]:
    """Every outcome of the statute, as the interpreter holds it: the case's in the order declared, then under each
    list whose records get outcomes, a mapping of their keys to their values for each record, in the case's order."""
    values: dict[str, object] = {ident: decision.definition(ident) for ident in decision.checked.outcomes}
    for group in decision.checked.record_outcomes:
        records = decision.case.facts[group.key]
        assert isinstance(records, tuple), records
        values[group.key] = tuple(
            ({"id": r.id} if r.id is not None else {})
            | {o.key: decision.definition(o.definition, r) for o in group.outcomes}
            for r in records
            if isinstance(r, Record)
        )
    return values


def as_json(checked: ir.Checked, values: Mapping[str, object]) -> dict[str, object]:
    shown = {ident: json_value(values[ident], checked.definition(ident).type) for ident in checked.outcomes}
    for group in checked.record_outcomes:
        records = values[group.key]
        assert isinstance(records, tuple), records
        shown[group.key] = [
            ({"id": r["id"]} if "id" in r else {})
            | {o.key: json_value(r[o.key], checked.definition(o.definition).type) for o in group.outcomes}
            for r in records
        ]
    return shown


def json_value(value: object, t: ir.Type) -> object:
    """A decided value as JSON carries it: words for enumerations and durations, ISO dates, exact decimals."""
    if value is None:
        return None
    match t.kind:
        case Kind.ENUM:
            assert isinstance(value, EnumValue), value
            return value.text
        case Kind.DURATION:
            assert isinstance(value, Duration), value
            return value.text()
        case Kind.DATE:
            assert isinstance(value, Day), value
            return value.iso()
        case Kind.MONEY:
            assert isinstance(value, Money), value
            return decimal_text(value.amount, 2)
        case Kind.PERIOD:
            assert isinstance(value, Period), value
            return {"start": value.start.iso(), "end": value.end.iso()}
        case Kind.BOOL | Kind.TEXT:
            return value
        case Kind.PERCENTAGE:
            assert isinstance(value, int | Fraction), value
            return decimal_text(Fraction(value) * 100) + "%"
        case Kind.INT | Kind.NUMBER:
            assert isinstance(value, int | Fraction), value
            return value if t.kind is Kind.INT and isinstance(value, int) else decimal_text(value)
        case Kind.CITATION:
            assert isinstance(value, Cited), value
            return value.text()
        case Kind.RECORD | Kind.LIST:
            raise AssertionError(f"an outcome is never {t.describe()}")
        case _:
            assert_never(t.kind)
