"""The trace a generated module records when asked to: what one decision looked at, for explanations.

Part of the runtime every generated module carries (see runtime.py): the part between the markers is copied into
the module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Final

from compiler.backends.python.runtime import T

# --- runtime: begin ---


@dataclasses.dataclass(frozen=True, slots=True)
class TraceEnter:
    """A definition starts being computed; `subject` is the record for a record's definition, else None.

    A case-level definition is computed once per case: its events appear at its first use only."""

    definition: str
    subject: object


@dataclasses.dataclass(frozen=True, slots=True)
class TraceLeave:
    """The definition entered last is decided: its value and the rules that gave it (none: the default)."""

    value: object
    rules: tuple[str, ...]


@dataclasses.dataclass(frozen=True, slots=True)
class TraceBeginRule:
    """A rule's condition starts being tested. Rules overridden by a rule that applied are not tested."""

    rule: str


@dataclasses.dataclass(frozen=True, slots=True)
class TraceEndRule:
    """The rule begun last applied or not."""

    applied: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TraceCompare:
    """A comparison, one-of or within test at `atom` (the offset of its words in the statute) was decided.

    `right` is the tuple of values for one-of, the Period for within, the (low, high) pair for between."""

    atom: int
    left: object
    right: object
    result: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TraceTruth:
    """A yes/no at `atom` was decided: a predicate, a yes/no fact or parameter, is given, any/every/no."""

    atom: int
    value: bool


@dataclasses.dataclass(frozen=True, slots=True)
class TraceElement:
    """The quantifier, count or aggregate at `atom` looks at element `index` (from 0) of its list; the events up
    to the next TraceElement of the same atom, or its own event, are about this element."""

    atom: int
    index: int
    element: object


TraceEvent = TraceEnter | TraceLeave | TraceBeginRule | TraceEndRule | TraceCompare | TraceTruth | TraceElement


class Trace:
    """What one decision looked at, in order, as a flat list of events (see the Trace* classes).

    Pass one to `decide`; a decision without a trace records nothing and costs nothing extra. Events are kept in a
    compact log while deciding and built on each access to `events`: the generated code appends its entries itself
    (`log`), with no Python call; the methods below write the same entries.

    Order: a definition's Enter, then what it looks at, then its Leave. A definition used inside a condition is
    entered and left before the Compare or Truth that uses its value; one that every rule of a definition needs
    first may be entered before the first rule begins. Within a rule (BeginRule .. EndRule) the atoms appear as
    evaluated: conditions short-circuit as written ("a and b" does not test b when a fails). A rule is not begun
    when a rule that prevails over it applied, or when a rule that applied excludes it (both test the same fact
    and ask incompatible things of it). When a test that every rule of a definition makes fails, each rule shows
    that one test, failed, and no other.
    """

    __slots__ = ("_log", "begin_rule", "end_rule", "log")

    log: Callable[[object], None]
    """Appends an entry: a tuple whose first item says what it is (see _ENTRIES), read back by `events`."""
    begin_rule: Callable[[str], None]
    """A rule's condition starts being tested (BeginRule)."""
    end_rule: Callable[[bool], None]
    """The rule begun last applied or not (EndRule)."""

    def __init__(self) -> None:
        log: list[Any] = []
        self._log = log
        # Every entry is written by the list's own append: the two commonest are a rule's name (a BeginRule) and a
        # flag (an EndRule); every other is a tuple whose first item says what it is.
        self.log = self.begin_rule = self.end_rule = log.append

    @property
    def events(self) -> list[TraceEvent]:
        events: list[TraceEvent] = []
        for entry in self._log:
            kind = type(entry)
            if kind is str:
                events.append(TraceBeginRule(entry))
            elif kind is not tuple:
                events.append(TraceEndRule(entry))
            elif entry[0] == "failed":
                events += _failed_rules(*entry[1:])
            else:
                events.append(_ENTRIES[entry[0]](*entry[1:]))
        return events

    def enter(self, definition: str, subject: object) -> None:
        self._log.append(("enter", definition, subject))

    def leave(self, value: object, rules: tuple[str, ...]) -> None:
        self._log.append(("leave", value, rules))

    def compare(self, atom: int, left: object, right: object, result: bool) -> bool:
        self.log(("compare", atom, left, right, result))
        return result

    def truth(self, atom: int, value: bool) -> bool:
        self.log(("truth", atom, value))
        return value

    def rules_failed(self, rules: tuple[str, ...], atoms: tuple[int, ...], *operands: object) -> None:
        """Each of `rules` was begun and failed on the test they all make (its copy in each rule at `atoms`):
        a comparison of `operands` (left, right), or a yes/no without them. Recorded as one entry, read back as
        BeginRule, Compare or Truth, EndRule for each rule."""
        self._log.append(("failed", rules, atoms, operands))

    def each(self, atom: int, elements: Iterable[T]) -> Iterator[T]:
        for index, element in enumerate(elements):
            self._log.append(("element", atom, index, element))
            yield element


def _enter(definition: str, subject: object = None) -> TraceEnter:
    return TraceEnter(definition, subject)  # ("enter", name): a case's definition, a constant the compiler folds


def _decided(value: object, rules: tuple[str, ...], applied: tuple[bool, ...]) -> TraceLeave:
    return TraceLeave(value, deciding_rules(rules, *applied))  # worked out when read, not while deciding


# The log's tuple entries by their first item, and the event each is read back as (with the rest as arguments).
_ENTRIES: Final[dict[str, Callable[..., TraceEvent]]] = {
    "enter": _enter,
    "leave": TraceLeave,
    "decided": _decided,
    "compare": TraceCompare,
    "truth": TraceTruth,
    "element": TraceElement,
}


def _failed_rules(rules: tuple[str, ...], atoms: tuple[int, ...], operands: tuple[object, ...]) -> list[TraceEvent]:
    events: list[TraceEvent] = []
    for rule, atom in zip(rules, atoms, strict=True):
        if operands:
            left, right = operands
            events += [TraceBeginRule(rule), TraceCompare(atom, left, right, False), TraceEndRule(False)]
        else:
            events += [TraceBeginRule(rule), TraceTruth(atom, False), TraceEndRule(False)]
    return events


def deciding_rules(rules: tuple[str, ...], *applied: bool) -> tuple[str, ...]:
    """The rules among `rules` whose flag in `applied` is set."""
    return tuple([rule for rule, yes in zip(rules, applied, strict=True) if yes])  # a list is built faster


# --- runtime: end ---
