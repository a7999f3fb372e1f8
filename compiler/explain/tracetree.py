"""The flat list of Trace events of one decision, read back into the tree the evaluation walked.

A definition is an Enter .. Leave pair; inside it each rule tested is a BeginRule .. EndRule pair holding the atoms of
its condition (Compare and Truth events), each atom preceded by the definitions computed for its operands and, for a
quantifier, by the events of each element it looked at. Definitions computed for a rule's value come after its
EndRule. A decision stopped by a conflict or an undecided value leaves the last pairs open: they are read as far as
they go and marked incomplete.

Only the events' class names and fields are read, so the trees of any generated module can be read alike.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Element:
    """One element of a list a quantifier, count or aggregate looked at, and what was tested about it."""

    atom: int
    index: int
    element: Any
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Atom:
    """One comparison or yes/no test: `left`/`right` for a comparison (None for a yes/no), and its result."""

    atom: int
    compare: bool
    left: Any
    right: Any
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
    subject: Any  # the record for a record's definition, else None
    rules: tuple[RuleNode, ...]  # in the order tested
    value: Any
    deciding: tuple[str, ...]  # the rules that gave the value; none: the default
    complete: bool  # False when the decision stopped inside it


Item = Atom | DefinitionNode


@dataclass(frozen=True)
class TraceTree:
    definitions: tuple[DefinitionNode, ...]  # the outcomes, in the order decided
    first: Mapping[str, DefinitionNode]  # each case-level definition where it was computed (it is cached after)


class _Reader:
    def __init__(self, events: Sequence[Any], inside: Callable[[int, int], bool]) -> None:
        self.events, self.at, self.inside = events, 0, inside
        self.first: dict[str, DefinitionNode] = {}

    def peek(self) -> tuple[str, Any] | None:
        if self.at >= len(self.events):
            return None
        event = self.events[self.at]
        return type(event).__name__, event

    def definition(self) -> DefinitionNode:
        enter = self.events[self.at]
        self.at += 1
        rules: list[RuleNode] = []
        loose: list[DefinitionNode] = []
        while (next_ := self.peek()) is not None:
            kind, event = next_
            if kind == "TraceLeave":
                self.at += 1
                return self._made(enter, rules, loose, event.value, tuple(event.rules), True)
            if kind == "TraceBeginRule":
                rules.append(self.rule())
            elif kind == "TraceEnter":
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
        enter: Any,
        rules: list[RuleNode],
        loose: list[DefinitionNode],
        value: Any,
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
        self.at += 1
        items = self.items(lambda kind, event: kind in {"TraceEndRule", "TraceLeave"})
        next_ = self.peek()
        applied: bool | None = None
        if next_ is not None and next_[0] == "TraceEndRule":
            applied = bool(next_[1].applied)
            self.at += 1
        atoms = tuple(i for i in items if isinstance(i, Atom))
        return RuleNode(begin.rule, applied, atoms, ())

    def items(self, stop: Callable[[str, Any], bool]) -> list[Item]:
        """Atoms (each with the definitions and elements before it) up to an event `stop` accepts."""
        out: list[Item] = []
        pending: list[DefinitionNode] = []
        elements: dict[int, list[Element]] = {}
        while (next_ := self.peek()) is not None:
            kind, event = next_
            if stop(kind, event):
                break
            if kind == "TraceEnter":
                pending.append(self.definition())
            elif kind == "TraceElement":
                elements.setdefault(event.atom, []).append(self.element())
            elif kind in {"TraceCompare", "TraceTruth"}:
                self.at += 1
                compare = kind == "TraceCompare"
                out.append(
                    Atom(
                        event.atom,
                        compare,
                        event.left if compare else None,
                        event.right if compare else None,
                        bool(event.result if compare else event.value),
                        tuple(pending),
                        tuple(elements.pop(event.atom, ())),
                    )
                )
                pending = []
            else:
                break
        out.extend(pending)
        return out

    def element(self) -> Element:
        event = self.events[self.at]
        self.at += 1
        atom = event.atom

        def ends(kind: str, other: Any) -> bool:
            if kind == "TraceElement":
                return bool(other.atom == atom)
            if kind in {"TraceCompare", "TraceTruth"}:
                return not self.inside(other.atom, atom)
            return kind in {"TraceEndRule", "TraceLeave", "TraceBeginRule"}

        return Element(atom, event.index, event.element, tuple(self.items(ends)))


def read_trace(events: Sequence[Any], inside: Callable[[int, int], bool]) -> TraceTree:
    """The tree of `events`; `inside(a, b)` tells whether atom a stands inside the quantifier or aggregate b."""
    reader = _Reader(events, inside)
    outcomes: list[DefinitionNode] = []
    while (next_ := reader.peek()) is not None:
        if next_[0] == "TraceEnter":
            outcomes.append(reader.definition())
        else:
            reader.at += 1
    return TraceTree(tuple(outcomes), dict(reader.first))
