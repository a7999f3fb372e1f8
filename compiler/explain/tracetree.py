"""The flat list of Trace events of one decision, read back into the tree the evaluation walked.

A definition is an Enter .. Leave pair; inside it each rule tested is a BeginRule .. EndRule pair holding the atoms of
its condition (Compare and Truth events), each atom preceded by the definitions computed for its operands and, for a
quantifier, by the events of each element it looked at. Definitions computed for a rule's value come after its
EndRule. A decision stopped by a conflict or an undecided value leaves the last pairs open: they are read as far as
they go and marked incomplete.

The events are compiler/model/evaluator.py's, read once from a decider's trace: the same classes for every statute.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Element:
    """One element of a list a quantifier, count or aggregate looked at, and what was tested about it."""

    atom: int
    index: int
    element: object
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Atom:
    """One comparison or yes/no test: `left`/`right` for a comparison (None for a yes/no), and its result."""

    atom: int
    compare: bool
    left: object
    right: object
    result: bool
    definitions: tuple[DefinitionNode, ...]  # computed for its operands, just before it
    elements: tuple[Element, ...]  # for a quantifier: the elements it looked at, in order


@dataclass(frozen=True)
class RuleNode:
    rule: str
    applied: bool | None  # None: the decision stopped while its condition was tested
    atoms: tuple[Atom, ...]  # the atoms of its condition that were tested, in order (elements nested inside)
    definitions: tuple[DefinitionNode, ...]  # computed for its value, after the condition applied


@dataclass(frozen=True)
class DefinitionNode:
    definition: str
    subject: object  # the record for a record's definition, else None
    rules: tuple[RuleNode, ...]  # in the order tested
    value: object
    deciding: tuple[str, ...]  # the rules that gave the value; none: the default
    complete: bool  # False when the decision stopped inside it


Item = Atom | DefinitionNode


@dataclass(frozen=True)
class TraceTree:
    definitions: tuple[DefinitionNode, ...]  # the outcomes, in the order decided
    first: Mapping[str, DefinitionNode]  # each case-level definition where it was computed (it is cached after)


class _Reader:
    def __init__(self, events: Sequence[TraceEvent], inside: Callable[[int, int], bool]) -> None:
        self.events, self.at, self.inside = events, 0, inside
        self.first: dict[str, DefinitionNode] = {}

    def peek(self) -> TraceEvent | None:
        return self.events[self.at] if self.at < len(self.events) else None

    def definition(self) -> DefinitionNode:
        enter = self.events[self.at]
        assert isinstance(enter, DefinitionEntered)
        self.at += 1
        rules: list[RuleNode] = []
        loose: list[DefinitionNode] = []
        while (event := self.peek()) is not None:
            if isinstance(event, DefinitionDecided):
                self.at += 1
                return self._made(enter, rules, loose, event.value, event.rules, True)
            if isinstance(event, RuleBegun):
                rules.append(self.rule())
            elif isinstance(event, DefinitionEntered):
                made = self.definition()
                if rules and rules[-1].applied:
                    last = rules[-1]
                    rules[-1] = RuleNode(last.rule, last.applied, last.atoms, (*last.definitions, made))
                else:
                    loose.append(made)
            else:  # an atom outside any rule: not written by the backend; skipped rather than misread
                self.at += 1
        return self._made(enter, rules, loose, None, (), False)

    def _made(
        self,
        enter: DefinitionEntered,
        rules: list[RuleNode],
        loose: list[DefinitionNode],
        value: object,
        deciding: tuple[str, ...],
        complete: bool,
    ) -> DefinitionNode:
        if loose and rules:
            first = rules[0]
            rules[0] = RuleNode(first.rule, first.applied, first.atoms, (*loose, *first.definitions))
        node = DefinitionNode(enter.definition, enter.subject, tuple(rules), value, deciding, complete)
        if enter.subject is None and complete:
            self.first.setdefault(node.definition, node)
        return node

    def rule(self) -> RuleNode:
        begin = self.events[self.at]
        assert isinstance(begin, RuleBegun)
        self.at += 1
        items = self.items(lambda event: isinstance(event, RuleEnded | DefinitionDecided))
        end = self.peek()
        applied: bool | None = None
        if isinstance(end, RuleEnded):
            applied = bool(end.applied)
            self.at += 1
        atoms = tuple(i for i in items if isinstance(i, Atom))
        return RuleNode(begin.rule, applied, atoms, ())

    def items(self, stop: Callable[[TraceEvent], bool]) -> list[Item]:
        """Atoms (each with the definitions and elements before it) up to an event `stop` accepts."""
        out: list[Item] = []
        pending: list[DefinitionNode] = []
        elements: dict[int, list[Element]] = {}
        while (event := self.peek()) is not None:
            if stop(event):
                break
            match event:
                case DefinitionEntered():
                    pending.append(self.definition())
                case ElementVisited():
                    elements.setdefault(event.atom, []).append(self.element())
                case Compared() | Tested():
                    self.at += 1
                    out.append(_atom(event, tuple(pending), tuple(elements.pop(event.atom, ()))))
                    pending = []
                case _:
                    break
        out.extend(pending)
        return out

    def element(self) -> Element:
        event = self.events[self.at]
        assert isinstance(event, ElementVisited)
        self.at += 1
        atom = event.atom

        def ends(other: TraceEvent) -> bool:
            match other:
                case ElementVisited():
                    return other.atom == atom
                case Compared() | Tested():
                    return not self.inside(other.atom, atom)
            return isinstance(other, RuleEnded | DefinitionDecided | RuleBegun)

        return Element(atom, event.index, event.element, tuple(self.items(ends)))


def _atom(event: Compared | Tested, definitions: tuple[DefinitionNode, ...], elements: tuple[Element, ...]) -> Atom:
    if isinstance(event, Compared):
        return Atom(event.atom, True, event.left, event.right, bool(event.result), definitions, elements)
    return Atom(event.atom, False, None, None, bool(event.value), definitions, elements)


def read_trace(events: Sequence[TraceEvent], inside: Callable[[int, int], bool]) -> TraceTree:
    """The tree of `events`; `inside(a, b)` tells whether atom a stands inside the quantifier or aggregate b."""
    reader = _Reader(events, inside)
    outcomes: list[DefinitionNode] = []
    while (event := reader.peek()) is not None:
        if isinstance(event, DefinitionEntered):
            outcomes.append(reader.definition())
        else:
            reader.at += 1
    return TraceTree(tuple(outcomes), dict(reader.first))
