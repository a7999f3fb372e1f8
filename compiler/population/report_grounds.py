"""Each exception of an impact report broken down by its ground (compiler/population/report.py).

An exception decides an outcome (Article 5 of the amnesty: "the amnesty measure is excluded if the person is covered
and any charge is disqualifying", and a second exclusion for a relapse). For each outcome, the report counts the
cases each exception (or each set of exceptions together) decided, read from the rules the decision's trace names,
so exactly. Within an exception, it counts the grounds: the values of the categories the exception tests, found in
the trace of the exception's own evaluation ("category of the charge: terrorist", "relapse: dangerous relapse").

Which tests are an exception's grounds is read from the statute once: the tests written in the exception itself and
in the rules of the definitions it reaches (a charge is disqualifying, a charge is an excluded crime), less what
every rule of the outcome refers to alike ("the person is covered" is no ground of exclusion: every measure needs
it). Only tests of an enumeration that held are counted; each ground once per case. A definition is traced where it
is first worked out, so a ground worked out before the exception was tested (by a rule that prevails over it) is not
seen again within it."""

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


def ground_settings(checked: ir.Checked) -> GroundSettings:
    exceptions: set[str] = set()
    tests: dict[str, dict[int, str]] = {}
    for outcome in checked.outcomes:
        d = checked.definition(outcome)
        prevailing = {p for r in d.rules for p in r.overridden_by}
        shared = set.intersection(*(_refs(r) for r in d.rules)) if d.rules else set()
        for rule in (r for r in d.rules if r.ident in prevailing):
            exceptions.add(rule.ident)
            grounds = [rule, *_reached(checked, _refs(rule) - shared)]
            tests[rule.ident] = {atom: words for g in grounds for atom, words in _enum_tests(checked, g)}
    return GroundSettings(frozenset(exceptions), tests)


def _refs(rule: ir.RuleDef) -> set[str]:
    return {n.definition for n in walk.find_all(rule.condition, ir.DefRef)}


def _reached(checked: ir.Checked, start: set[str]) -> list[ir.RuleDef]:
    """The rules of the definitions `start` names and of those their conditions name, transitively."""
    seen, todo, out = set(start), list(start), []
    while todo:
        for rule in checked.definition(todo.pop()).rules:
            out.append(rule)
            for name in _refs(rule) - seen:
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
        definitions: list[str] = []
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
                        held.setdefault(rule, set()).update(frame)
                case Compared(atom=atom, left=left, result=True):
                    words = next((tests[r][atom] for r in open_rules if atom in tests.get(r, {})), None)
                    if words is not None:
                        frames[-1].add(f"{words}: {getattr(left, 'text', left)}")
                case DefinitionDecided(rules=rules):
                    definition = definitions.pop()
                    deciding = tuple(r for r in rules if r in self.settings.exceptions)
                    if deciding and definition in outcomes:
                        self.deciding[definition][deciding] += 1
                        for rule in deciding:
                            self.grounds[rule].update(held.get(rule, ()))
                case DefinitionEntered(definition=name):
                    definitions.append(name)
                case Compared() | Tested() | ElementVisited():
                    pass
                case _:
                    assert_never(event)

    def merge(self, other: GroundTally) -> None:
        for outcome, counts in other.deciding.items():
            self.deciding[outcome].update(counts)
        for rule, found in other.grounds.items():
            self.grounds[rule].update(found)
