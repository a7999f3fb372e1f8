"""Each exception of an impact report broken down by its ground (compiler/population/report.py).

An exception decides an outcome (Article 5 of the amnesty: "the charge measure of a charge is excluded if the charge
is covered and any charge is disqualifying", and a second exclusion for a relapse). For each outcome, the report
counts the cases (for an outcome each record gets, the records) each exception (or each set of exceptions together)
decided, read from the rules the decision's trace names, so exactly. Within an exception, it counts the grounds: the
values of the categories the exception tests, found in the trace of the exception's own evaluation ("category of the
charge: terrorist", "relapse: dangerous relapse").

Which tests are an exception's grounds is read from the statute once: the tests written in the exception itself and
in the rules of the definitions it reaches (a charge is disqualifying, a charge is an excluded crime), less what it
refers to alike with every rule it prevails over ("the charge is covered" is no ground of exclusion: every measure it
sets aside needs it too). Where it reaches a definition that has exceptions of its own (the person's exclusion reads
"the charge measure is excluded"), only those exceptions are followed, by the same rule. Only tests of an
enumeration that held are counted; each ground once per case, or per record. A case's definition is traced where it
is first worked out, so a ground worked out before the exception was tested (by a rule that prevails over it) is not
seen again within it.

An outcome each record gets (the charge measure of each charge) is counted for each record, once, where the trace
first decides it for that record (a record's definitions may be worked out again where they are read again); its
exception's grounds are those found wherever the exception applied in the case ("any charge is disqualifying" holds
for every charge of the person alike)."""

from __future__ import annotations

import collections
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import assert_never

from compiler.model import ir, walk
from compiler.model.evaluator import (
    Compared,
    DefinitionDecided,
    DefinitionEntered,
    ElementVisited,
    RuleBegun,
    RuleEnded,
    Tested,
    TraceEvent,
)
from compiler.model.kinds import Kind


@dataclass(frozen=True)
class GroundSettings:
    """Small and picklable, for the workers: the exception rules of case-level outcomes, and for each the offsets of
    its grounds' tests (the `atom` of a trace's Compared event) with the words tested."""

    exceptions: frozenset[str] = frozenset()
    tests: Mapping[str, Mapping[int, str]] = field(default_factory=dict)
    # the case's definitions each exception reads among its grounds ("the person is disqualified"): worked out once
    # for the case, they leave no trace where read again, so their grounds are recalled where the exception applies
    reads: Mapping[str, frozenset[str]] = field(default_factory=dict)


def ground_settings(checked: ir.Checked) -> GroundSettings:
    exceptions: set[str] = set()
    tests: dict[str, dict[int, str]] = {}
    reads: dict[str, frozenset[str]] = {}
    record_outcomes = [o.definition for g in checked.record_outcomes for o in g.outcomes]
    for outcome in (*checked.outcomes, *record_outcomes):
        d = checked.definition(outcome)
        prevailing = {p for r in d.rules for p in r.overridden_by}
        for rule in (r for r in d.rules if r.ident in prevailing):
            exceptions.add(rule.ident)
            overridden = [r for r in d.rules if rule.ident in r.overridden_by]
            shared = set.intersection(*(_refs(r) for r in (rule, *overridden)))
            grounds = [rule, *_reached(checked, _refs(rule) - shared)]
            tests[rule.ident] = {atom: words for g in grounds for atom, words in _enum_tests(checked, g)}
            reads[rule.ident] = frozenset(n for n in _refs(rule) - shared if checked.definition(n).owner is None)
    return GroundSettings(frozenset(exceptions), tests, reads)


def _refs(rule: ir.RuleDef) -> set[str]:
    return {n.definition for n in walk.find_all(rule.condition, ir.DefRef)}


def _reached(checked: ir.Checked, start: set[str]) -> list[ir.RuleDef]:
    """The rules of the definitions `start` names and of those their conditions name, transitively. Where a
    definition has exceptions ("the charge measure is excluded" read by an exclusion of the person), its grounds
    are those of its exceptions alone, less what all its rules refer to alike, as for an outcome's own exceptions:
    the general rules it would otherwise apply and their common tests (the charge is covered) are no ground."""
    seen, todo, out = set(start), list(start), []
    while todo:
        d = checked.definition(todo.pop())
        prevailing = {p for r in d.rules for p in r.overridden_by}
        rules = [r for r in d.rules if r.ident in prevailing] if prevailing else list(d.rules)
        shared = set.intersection(*(_refs(r) for r in d.rules)) if prevailing else set()
        for rule in rules:
            out.append(rule)
            for name in _refs(rule) - shared - seen:
                seen.add(name)
                todo.append(name)
    return out


def _enum_tests(checked: ir.Checked, rule: ir.RuleDef) -> Iterable[tuple[int, str]]:
    for node in walk.walk(rule.condition):
        if isinstance(node, ir.OneOf) and node.operand.type.kind is Kind.ENUM:
            yield node.span.start, checked.words(node.operand.span)
        elif isinstance(node, ir.Cmp) and node.left.type.kind is Kind.ENUM:
            yield node.span.start, checked.words(node.left.span)


class GroundTally:
    """Cases by the exceptions that decided each outcome, and by each exception's grounds; mergeable."""

    def __init__(self, settings: GroundSettings) -> None:
        self.settings = settings
        self.deciding: dict[str, collections.Counter[tuple[str, ...]]] = collections.defaultdict(collections.Counter)
        self.grounds: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)

    def read(self, events: Iterable[TraceEvent], outcomes: Collection[str]) -> None:
        """One case's trace; `outcomes` are the definitions whose deciding exceptions are counted. A test's ground
        counts only when every rule it was tested in applied: a charge tested and found not to disqualify is no
        ground of the exclusion another charge brought."""
        tests = self.settings.tests
        open_rules: list[str] = []
        frames: list[set[str]] = []  # the grounds found in each open rule and in the rules that applied within it
        held: dict[str, set[str]] = {}  # grounds of the exceptions that applied
        found: dict[str, set[str]] = {}  # the grounds each of the case's definitions was worked out on
        definitions: list[tuple[str, object]] = []  # the definitions being worked out, each with its record or None
        decided: set[tuple[str, int]] = set()  # the records' outcomes counted
        for event in events:
            match event:
                case RuleBegun(rule=rule):
                    open_rules.append(rule)
                    frames.append(set())
                case RuleEnded(applied=applied):
                    rule, frame = open_rules.pop(), frames.pop()
                    if applied and frames:
                        frames[-1] |= frame
                    if applied and rule in self.settings.exceptions:
                        recalled = (found.get(d, set()) for d in self.settings.reads.get(rule, ()))
                        held.setdefault(rule, set()).update(frame, *recalled)
                case Compared(atom=atom, left=left, result=True):
                    words = next((tests[r][atom] for r in open_rules if atom in tests.get(r, {})), None)
                    if words is not None:
                        frames[-1].add(f"{words}: {getattr(left, 'text', left)}")
                case DefinitionDecided(rules=rules):
                    definition, subject = definitions.pop()
                    frame = frames.pop()  # the definition's own: what its rules that applied were found on
                    if frames:
                        frames[-1] |= frame
                    if subject is None:
                        found[definition] = frame
                    else:
                        if (definition, id(subject)) in decided:
                            continue  # worked out again where it is read again: counted once
                        decided.add((definition, id(subject)))
                    deciding = tuple(r for r in rules if r in self.settings.exceptions)
                    if deciding and definition in outcomes:
                        self.deciding[definition][deciding] += 1
                        for rule in deciding:
                            self.grounds[rule].update(held.get(rule, ()))
                case DefinitionEntered(definition=name, subject=subject):
                    definitions.append((name, subject))
                    frames.append(set())
                case Compared() | Tested() | ElementVisited():
                    pass
                case _:
                    assert_never(event)

    def merge(self, other: GroundTally) -> None:
        for outcome, counts in other.deciding.items():
            self.deciding[outcome].update(counts)
        for rule, found in other.grounds.items():
            self.grounds[rule].update(found)
