"""Definitions as default logic in the solver, one instance per case (or per list slot for a record's definitions).

A rule applies when its condition holds and no rule that prevails over it applies; the value is that of the
applying rules when they agree, else the default (no for a yes/no fact, missing for an optional value), else the
evaluator stops: undecided. As the reference interpreter decides (docs/language.md section 7, which the generated
Evaluation follows): rules are evaluated in the checked order (prevailing rules first), a rule overridden by an
applying rule is skipped unevaluated, every other rule's condition is evaluated, left to right, even after a rule
applied (a yes/no whose rules all say yes included: its module stops at the first rule that applies only where no
later rule may stop the decision, compiler/backends/python/stops.py).

Whether two rules conflict is asked in one formula linear in the rules (`any_conflict`: some applying rule's value
differs from the first applying rule's); the pairs, quadratic in the rules, are built only for a definition where
a conflict may exist, to name the two rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import z3

from compiler.check.scopes import subject_scope
from compiler.model import ir
from compiler.model.walk import find_all
from compiler.prove.calendar import Z3
from compiler.prove.domain import Domain, RecordVars
from compiler.prove.encode import Encoder
from compiler.prove.terms import FALSE, TRUE, Sort, Term, Unsupported, choose, equal, placeholder, sort_of


@dataclass(frozen=True)
class RuleTerms:
    rule: ir.RuleDef
    condition: Term
    applies: Z3  # the evaluator takes this rule's value
    skipped: Z3  # the evaluator does not look at this rule
    prevailed: Z3  # a rule that prevails over this one applies
    value: Term

    @property
    def can_apply(self) -> Z3:
        """Its condition holds and no rule prevailing over it applies (whether or not the evaluator looks)."""
        return z3.And(z3.Not(self.prevailed), self.condition.usable, self.condition.value)


@dataclass(frozen=True)
class Conflict:
    first: ir.RuleDef
    second: ir.RuleDef
    when: Z3  # both apply, both values evaluate, and the values differ


@dataclass(frozen=True)
class Instance:
    definition: ir.Definition
    subject: RecordVars | None
    demanded: Z3  # deciding the case's outcomes evaluates this definition here
    rules: tuple[RuleTerms, ...]
    any_conflict: Z3  # two applying rules give different values (linear in the rules)
    decided: Z3  # some rule applies
    evaluable: Z3  # every condition looked at and every applying value evaluates without error
    term: Term  # the definition's value, with ok = no error of any kind (conflict and undecided included)

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        """Each pair of rules that may both apply with different values (quadratic: asked only when needed)."""
        return tuple(_conflicts(list(self.rules)))


@dataclass
class Model:
    """The statute in the solver: the case's variables and every definition instance built so far."""

    checked: ir.Checked
    domain: Domain
    instances: dict[tuple[str, str], Instance | Unsupported] = field(default_factory=dict)
    demand_sites: dict[tuple[str, str], list[Z3]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.encoder = Encoder(self.checked, self.domain, self.lookup)

    def lookup(self, ident: str, subject: RecordVars | None, reach: Z3 | None) -> Term:
        """A use of a definition in an expression (recording, when `reach` is given, that it is needed there)."""
        found = self.instance(ident, subject)
        if reach is not None:
            self.demand_sites.setdefault(_key(ident, subject), []).append(reach)
        return found.term

    def instance(self, ident: str, subject: RecordVars | None) -> Instance:
        key = _key(ident, subject)
        if key not in self.instances:
            try:
                self.instances[key] = self._build(self.checked.definition(ident), subject)
            except Unsupported as exc:
                self.instances[key] = exc
        found = self.instances[key]
        if isinstance(found, Unsupported):
            raise found
        return found

    def demand_constraints(self) -> list[Z3]:
        """Each `demanded` flag equals the disjunction of the places that need it; outcomes are always needed."""
        out: list[Z3] = []
        for key, inst in self.instances.items():
            if isinstance(inst, Unsupported):
                continue
            if inst.definition.kind == "outcome":
                out.append(inst.demanded == TRUE)
            else:
                out.append(inst.demanded == z3.Or(FALSE, *self.demand_sites.get(key, [])))
        return out

    # ---------------------------------------------------------------- building one instance

    def _build(self, d: ir.Definition, subject: RecordVars | None) -> Instance:
        demanded = z3.Bool(f"needed:{d.ident}:{subject.key if subject else ''}")
        env: dict[str, RecordVars] = {}
        if d.owner is not None:
            assert subject is not None
            env[subject_scope(self.checked.record(d.owner))[1].ident] = subject
        rules: list[RuleTerms] = []
        applies: dict[str, Z3] = {}
        for r in d.rules:
            prevailed = z3.Or(FALSE, *(applies[o] for o in r.overridden_by if o in applies))
            skipped = prevailed
            looked_at = z3.And(demanded, z3.Not(skipped))
            condition = (
                self.encoder.expr(r.condition, env, looked_at) if r.condition is not None else Term(Sort.BOOL, TRUE)
            )
            applies[r.ident] = z3.And(z3.Not(skipped), condition.usable, condition.value)
            value = self.encoder.expr(r.value, env, z3.And(demanded, applies[r.ident]))
            rules.append(RuleTerms(r, condition, applies[r.ident], skipped, prevailed, value))
        any_conflict = _any_conflict(rules, sort_of(d.type.kind))
        evaluable = z3.And(
            TRUE,
            *(z3.Or(rt.skipped, rt.condition.usable) for rt in rules),
            *(z3.Implies(rt.applies, rt.value.ok if d.optional else rt.value.usable) for rt in rules),
        )
        decided = z3.Or(FALSE, *(rt.applies for rt in rules))
        fallback, fallback_ok = self._fallback(d, env, z3.And(demanded, z3.Not(decided)))
        result = fallback
        for rt in reversed(rules):  # the first applying rule's value (they agree when there is no conflict)
            result = choose(rt.applies, rt.value, result)
        ok = z3.And(evaluable, z3.Not(any_conflict), z3.Or(decided, fallback_ok))
        term = Term(sort_of(d.type.kind), result.value, ok, result.present)
        return Instance(d, subject, demanded, tuple(rules), any_conflict, decided, evaluable, term)

    def _fallback(self, d: ir.Definition, env: dict[str, RecordVars], reach: Z3) -> tuple[Term, Z3]:
        """The value when no rule applies, and whether that is a value at all (not undecided)."""
        sort = sort_of(d.type.kind)
        if d.default is not None:
            default = self.encoder.expr(d.default, env, reach)
            return default, default.usable
        if d.kind == "predicate":
            return Term(Sort.BOOL, FALSE), TRUE
        missing = placeholder(sort)
        if d.optional:
            return Term(sort, missing.value, TRUE, FALSE), TRUE
        return missing, FALSE


def _key(ident: str, subject: RecordVars | None) -> tuple[str, str]:
    return ident, subject.key if subject is not None else ""


def _differ(a: Term, b: Term) -> Z3:
    """Two rules' values disagree: exactly, a duration by its months and days (as the runtime's `differ`)."""
    exact = a.sort is Sort.DURATION
    same = z3.And(a.value[0] == b.value[0], a.value[1] == b.value[1]) if exact else equal(a, b)
    return z3.Or(a.present != b.present, z3.And(a.present, b.present, z3.Not(same)))


def _any_conflict(rules: list[RuleTerms], sort: Sort) -> Z3:
    """Some two rules both apply, their values evaluate, and the values differ: the same as the disjunction of the
    pairs' `when` (a pair that differs differs from the first of the applying rules, which is in a pair with each),
    in a formula linear in the rules. Rules one of which prevails over the other never both apply."""
    first = placeholder(sort)
    for rt in reversed(rules):
        first = choose(z3.And(rt.applies, rt.value.ok), rt.value, first)
    return z3.Or(FALSE, *(z3.And(rt.applies, rt.value.ok, _differ(rt.value, first)) for rt in rules))


def _conflicts(rules: list[RuleTerms]) -> list[Conflict]:
    out: list[Conflict] = []
    for i, a in enumerate(rules):
        for b in rules[i + 1 :]:
            if a.rule.ident in b.rule.overridden_by or b.rule.ident in a.rule.overridden_by:
                continue
            when = z3.And(a.applies, b.applies, a.value.ok, b.value.ok, _differ(a.value, b.value))
            if not z3.is_false(z3.simplify(when)):
                out.append(Conflict(a.rule, b.rule, when))
    return out


def mentions_parameter(r: ir.RuleDef) -> bool:
    """Whether the rule's condition uses a parameter (a drafter's switch, not necessarily a mistake)."""
    return next(find_all(r.condition, ir.ParamRef), None) is not None


def may_be_undecided(d: ir.Definition) -> bool:
    """Whether deciding `d` can leave it without a value: no default, not optional, not a predicate."""
    return d.default is None and not d.optional and d.kind != "predicate"
