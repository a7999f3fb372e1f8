"""What a decider offers, typed: the protocol the generated module (through backends/generated.py) and the reference
interpreter (interpret/engine.py) both satisfy, and the trace events readers get, as frozen dataclasses.

explain, prove's confirmation and diff read a decider through `Evaluator`, never through `Any`:

    evaluator.read_case(data)       the case, or CaseRejected naming each problem (where, which field, why)
    evaluator.decide(case)          a Decision (each outcome's value, and as JSON carries it), or why it stops
    evaluator.decide_traced(case)   the same, with the events of how it was reached
    evaluator.work_out(case, name)  one definition of the case, traced: a rule set aside, would it have applied?
    evaluator.value(case, expr)     a model expression over the case, with the decider's own values (a guarantee)

The generated module stays standalone and records its trace as a compact log of bare entries (a rule's name, a flag,
tuples tagged by their first item: compiler/backends/python/runtime_trace.py); `events_from_log` turns a log into the
events below once, when an explanation asks for them, so that deciding with a trace costs no more than before.

Population runs (the one loop deciding rows, compiler/population/batch_rows.py, and what it feeds: the fast JSON
Lines path, reports, diffs) read a decider through `RowDecider`: the decider's own calls, with nothing built per row
beyond what the decider builds, so that the fast path's cost per row stays the decider's own:

    decider.load_case(data)              the case, or one of decider.case_errors
    decider.decide(case, trace)          the decider's own decision (trace: None, or what new_trace gave)
    decider.decision_as_dict(decision)   the decision as JSON carries it
    decider.stop(exc)                    why deciding stopped, typed, from what decide raised
    decider.trace_events(trace)          the events of a trace from new_trace()
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from compiler.model import ir

# ------------------------------------------------------------------ trace events


@dataclass(frozen=True, slots=True)
class DefinitionEntered:
    """A definition starts being computed; `subject` is the record for a record's definition, else None. A case's
    definition is computed once: its events appear at its first use only."""

    definition: str
    subject: object


@dataclass(frozen=True, slots=True)
class DefinitionDecided:
    """The definition entered last is decided: its value and the rules that gave it (none: the default)."""

    value: object
    rules: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RuleBegun:
    """A rule's condition starts being tested (a rule set aside by one that prevails over it is not begun)."""

    rule: str


@dataclass(frozen=True, slots=True)
class RuleEnded:
    """The rule begun last applied or not."""

    applied: bool


@dataclass(frozen=True, slots=True)
class Compared:
    """A comparison, one-of or within test at `atom` (the offset of its words in the statute): its operands and
    result. `right` is the tuple of values for one-of, the period for within, the (low, high) pair for between."""

    atom: int
    left: object
    right: object
    result: bool


@dataclass(frozen=True, slots=True)
class Tested:
    """A yes/no at `atom` was decided: a predicate, a yes/no fact or parameter, is given, any/every/no."""

    atom: int
    value: bool


@dataclass(frozen=True, slots=True)
class ElementVisited:
    """The quantifier, count or aggregate at `atom` looks at element `index` (from 0) of its list."""

    atom: int
    index: int
    element: object


TraceEvent = DefinitionEntered | DefinitionDecided | RuleBegun | RuleEnded | Compared | Tested | ElementVisited


class UnknownTraceEntry(ValueError):
    """The log holds an entry this module cannot read: the runtime writes a tag `LOG_TAGS` does not list."""


def _failed(rules: tuple[str, ...], atoms: tuple[int, ...], operands: tuple[object, ...]) -> list[TraceEvent]:
    """Rules that each began and failed on the one test they all make: a comparison of `operands`, or a yes/no."""
    events: list[TraceEvent] = []
    for rule, atom in zip(rules, atoms, strict=True):
        if operands:
            left, right = operands
            events += [RuleBegun(rule), Compared(atom, left, right, False), RuleEnded(False)]
        else:
            events += [RuleBegun(rule), Tested(atom, False), RuleEnded(False)]
    return events


def _entered(definition: str, subject: object = None) -> DefinitionEntered:
    return DefinitionEntered(definition, subject)  # ("enter", name): a case's definition, a constant folded


def _decided(value: object, rules: tuple[str, ...], applied: tuple[bool, ...]) -> DefinitionDecided:
    return DefinitionDecided(value, tuple([rule for rule, yes in zip(rules, applied, strict=True) if yes]))


# The log's tuple entries by their first item (the rest are the arguments), as runtime_trace.py writes them, each
# read as one event; a rule's name (str) and a flag (bool) stand alone, and "failed" stands for several rules
# (_failed). tests/test_evaluator.py fails when the runtime writes a tag not listed.
LOG_TAGS: Final[Mapping[str, Callable[..., TraceEvent]]] = {
    "enter": _entered,
    "leave": DefinitionDecided,
    "decided": _decided,
    "compare": Compared,
    "truth": Tested,
    "element": ElementVisited,
}
FAILED: Final = "failed"


def events_from_log(log: Iterable[object]) -> tuple[TraceEvent, ...]:
    """The events of a generated module's trace log, in order."""
    events: list[TraceEvent] = []
    append = events.append
    for entry in log:
        if isinstance(entry, str):  # the commonest entries first: a rule begun, a rule's flag
            append(RuleBegun(entry))
        elif isinstance(entry, bool):
            append(RuleEnded(entry))
        elif isinstance(entry, tuple) and entry and (read := LOG_TAGS.get(entry[0])) is not None:
            append(read(*entry[1:]))
        elif isinstance(entry, tuple) and entry and entry[0] == FAILED:
            events += _failed(*entry[1:])
        else:
            raise UnknownTraceEntry(f"a trace entry this reader does not know: {entry!r:.80}")
    return tuple(events)


# ------------------------------------------------------------------ decisions and why one stops


class Decision:
    """One case decided: each outcome's value as the decider holds it, and as JSON carries it (`shown`)."""

    __slots__ = ("_shown", "_write", "values")

    def __init__(self, values: Mapping[str, object], write: Callable[[], Mapping[str, object]]) -> None:
        self.values = values
        self._write = write
        self._shown: Mapping[str, object] | None = None

    @property
    def shown(self) -> Mapping[str, object]:
        """Written when first asked for, as explaining a decision does not need it: ValueError when a value cannot
        be written (a number of more digits than Python writes)."""
        if self._shown is None:
            self._shown = self._write()
        return self._shown


@dataclass(frozen=True)
class Conflict:
    """Two rules of equal standing apply and give different values (`definition` is its label)."""

    definition: str
    first_rule: str
    first_value: object
    second_rule: str
    second_value: object
    text: str  # "ConflictError: conflict deciding the ...": the error's class and message


@dataclass(frozen=True)
class Undecided:
    """A value the decision needs cannot be worked out; `definition` is its label."""

    definition: str
    reason: str
    text: str


@dataclass(frozen=True)
class Failed:
    """The decider failed otherwise: a division by zero, a number too long to write."""

    text: str


Stop = Conflict | Undecided | Failed


@dataclass(frozen=True)
class Traced:
    """A decision (or why it stopped) and the events of how it was reached."""

    result: Decision | Stop
    events: tuple[TraceEvent, ...]


@dataclass(frozen=True)
class Reject:
    """One thing wrong with a case: where ("person.charges[2]", counted from 0), which field ("" for the record
    itself), why."""

    path: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}.{self.field}: {self.reason}" if self.field else f"{self.path}: {self.reason}"


class CaseRejected(ValueError):
    """A case that cannot be read, with every problem found in it; its message is the decider's own."""

    def __init__(self, message: str, problems: Sequence[Reject]) -> None:
        self.problems = tuple(problems)
        super().__init__(message)


class CannotWorkOut(Exception):
    """`Evaluator.value` cannot work out an expression: a fact not given, a definition that stops."""


# ------------------------------------------------------------------ the protocol


class Evaluator(Protocol):
    """A decider of a statute's cases: the generated module (backends/generated.py's GeneratedEvaluator) or the
    reference interpreter (interpret/engine.py's InterpreterEvaluator). A case is the decider's own object."""

    @property
    def outcomes(self) -> Mapping[str, ir.Type]:
        """The statute's outcomes in the order declared, each with its type."""
        ...

    def read_case(self, data: Mapping[str, object]) -> object:
        """The case `data` gives, as a JSON case file carries it (its requirements are checked): CaseRejected
        otherwise."""
        ...

    def decide(self, case: object) -> Decision | Stop: ...

    def decide_traced(self, case: object) -> Traced: ...

    def work_out(self, case: object, definition: str) -> Traced:
        """One case-level definition of `case`, decided on a trace of its own (a Decision of that one value)."""
        ...

    def value(self, case: object, e: ir.Expr) -> object:
        """The value of `e` (a guarantee's premise, say) over `case`, with the decider's own definitions and values;
        enumeration values as their words. Raises CannotWorkOut."""
        ...

    def stops_in(self, case: object, d: ir.Definition) -> tuple[Stop, ...]:
        """Why deciding `d` stops for `case`, once for each record of a record's definition that stops (none: it is
        decided)."""
        ...


class CaseEditor(Protocol):
    """What the search for changes (explain/counterfactual.py) asks of a decider besides deciding: a case with one
    fact changed, and the requirements a case breaks. Cases are records whose facts are read by attribute."""

    def with_fact(self, case: object, path: Sequence[str | int], value: object) -> object: ...

    def breaks_requirements(self, case: object) -> bool: ...


class ExplainableEvaluator(Evaluator, CaseEditor, Protocol):
    """A decider explain can explain: its trace holds each condition tested (the generated module's does)."""


class RowDecider(Protocol):
    """What the one loop deciding rows (compiler/population/batch_rows.py) asks of a decider: the generated module's
    own functions (backends/python/generated.py's GeneratedRowDecider binds them once, so that a row costs no call
    more than the module's) or the reference interpreter (interpret/engine.py's InterpreterRowDecider). A case, a
    decision and a trace are the decider's own objects, handed back to it."""

    case_errors: tuple[type[Exception], ...]
    """What load_case (or decide, for a requirement the interpreter checks while deciding) raises for a case that
    cannot be decided as given; each has `problems` (each with path, field and reason) when it names them."""

    def load_case(self, data: Mapping[str, object], /) -> object:
        """The case `data` gives, as a JSON case file carries it: one of case_errors otherwise."""
        ...

    def decide(self, case: object, trace: object = None, /) -> object:
        """The decision of `case` (recorded in `trace`, one new_trace gave, unless None): raises one of case_errors,
        or an exception `stop` says why of."""
        ...

    def decision_as_dict(self, decision: object, /) -> dict[str, object]:
        """The decision as JSON carries it: ValueError when a value cannot be written (a number too long)."""
        ...

    def new_trace(self) -> object: ...

    def trace_events(self, trace: object, /) -> tuple[TraceEvent, ...]: ...

    def stop(self, exc: Exception, /) -> Stop:
        """Why deciding stopped, from the exception decide raised: a Conflict, an Undecided, or Failed."""
        ...
