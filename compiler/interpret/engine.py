"""The reference interpreter as an Evaluator (compiler/model/evaluator.py), where the generated module is one: for
`statute run --engine interpreter`, the differential tests, and any reader of the protocol.

A case is read by another evaluator first (the generated module's, for its messages about a bad case: the record,
the field, "did you mean"); the interpreter then reads the accepted case itself, as run.py does, and decides it with
its own values. Its trace holds the definitions it decides and the rules it tests, not the conditions inside a rule.

`InterpreterRowDecider` puts the interpreter in the one loop deciding rows (compiler/population/batch_rows.py), as a
RowDecider, where GeneratedRowDecider puts the module: `statute run --engine interpreter`, with or without --out.
"""

from __future__ import annotations

import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from compiler.interpret import decide as deciding
from compiler.interpret import errors
from compiler.interpret.evaluate import Evaluator as Walker
from compiler.interpret.evaluate import Scope
from compiler.interpret.read import read_case
from compiler.interpret.requirements import BrokenRequirements
from compiler.interpret.values import EnumValue, Record
from compiler.model import ir
from compiler.model.evaluator import (
    CannotWorkOut,
    Conflict,
    Decision,
    Evaluator,
    Failed,
    Stop,
    Traced,
    TraceEvent,
    Undecided,
)
from compiler.model.kinds import Kind


@dataclass(frozen=True)
class Accepted:
    """A case the reader accepted, as the case file gave it, and as the interpreter reads it."""

    data: Mapping[str, object]
    record: Record | None = None


class InterpreterEvaluator:
    """The reference interpreter of `checked`; `reader` reads (and refuses) cases for it."""

    def __init__(self, checked: ir.Checked, reader: Evaluator) -> None:
        self.checked, self.reader = checked, reader

    @property
    def outcomes(self) -> Mapping[str, ir.Type]:
        return self.reader.outcomes

    def read_case(self, data: Mapping[str, object]) -> Accepted:
        self.reader.read_case(data)  # raises CaseRejected, with the reader's messages
        return Accepted(data, read_case(self.checked, data))

    def decide(self, case: object) -> Decision | Stop:
        return self._decided(case, None)

    def decide_traced(self, case: object) -> Traced:
        events: list[TraceEvent] = []
        return Traced(self._decided(case, events), tuple(events))

    def _decided(self, case: object, events: list[TraceEvent] | None) -> Decision | Stop:
        try:
            values = deciding.outcome_values(self._decision(case, events))
        except (errors.Conflict, errors.Undecided, ArithmeticError) as exc:
            return _stop(exc)
        return Decision(values, lambda: deciding.as_json(self.checked, values))

    def work_out(self, case: object, definition: str) -> Traced:
        events: list[TraceEvent] = []
        try:
            result: Decision | Stop = Decision({definition: self._decision(case, events).definition(definition)}, dict)
        except (errors.Conflict, errors.Undecided, ArithmeticError) as exc:
            result = _stop(exc)
        return Traced(result, tuple(events))

    def value(self, case: object, e: ir.Expr) -> object:
        decision = self._decision(case, None)
        try:
            found = Walker(self.checked, decision.case, decision).maybe(e, Scope("guarantee"))
        except (errors.Conflict, errors.Undecided) as exc:
            raise CannotWorkOut(str(exc)) from exc
        return found.text if isinstance(found, EnumValue) else found

    def stops_in(self, case: object, d: ir.Definition) -> tuple[Stop, ...]:
        decision = self._decision(case, None)
        subjects: list[Record | None] = [None]
        if d.owner is not None:
            lists = [f for f in self.checked.record(self.checked.root).fields if f.type.kind is Kind.LIST]
            subjects = [x for f in lists if f.type.name == d.owner for x in _records(decision.case.facts[f.ident])]
        stops: list[Stop] = []
        for subject in subjects:
            try:
                decision.definition(d.ident, subject)
            except (errors.Conflict, errors.Undecided, ArithmeticError) as exc:
                stops.append(_stop(exc))
        return tuple(stops)

    def _decision(self, case: object, events: list[TraceEvent] | None) -> deciding.Decision:
        assert isinstance(case, Accepted) and case.record is not None, "a case this evaluator's read_case gave"
        return deciding.Decision(self.checked, case.record, events=events)


def _records(value: object) -> tuple[Record, ...]:
    return tuple(x for x in value if isinstance(x, Record)) if isinstance(value, tuple) else ()


def _stop(exc: Exception) -> Stop:
    text = f"{type(exc).__name__}: {exc}"
    match exc:
        case errors.Conflict():
            return Conflict(exc.definition, exc.first.ident, exc.first_value, exc.second.ident, exc.second_value, text)
        case errors.Undecided():
            return Undecided(exc.definition, exc.reason, text)
    return Failed(text)


class InterpreterRowDecider:
    """The reference interpreter as a RowDecider (compiler/model/evaluator.py), for the one loop deciding rows
    (`statute run --engine interpreter`, with or without --out): the generated `module`'s reader refuses a bad case,
    with its messages; the interpreter reads an accepted case again itself, checks the statute's requirements
    (BrokenRequirements, one of case_errors) and decides. Its decision is the one decision_as_dict gives already;
    its trace is a list of the events it records (definitions and rules, as InterpreterEvaluator's)."""

    def __init__(self, checked: ir.Checked, module: types.ModuleType) -> None:
        self.checked = checked
        # The module's reader of the fields alone: the requirements are the interpreter's to check (decide).
        self._read: Callable[[Mapping[str, object]], object] = getattr(module, "read_case", module.load_case)
        self.case_errors: tuple[type[Exception], ...] = (module.CaseError, BrokenRequirements)

    def load_case(self, data: Mapping[str, object]) -> Accepted:
        self._read(data)  # raises the module's CaseError, with its messages
        return Accepted(data)

    def decide(self, case: object, trace: object = None) -> dict[str, object]:
        assert isinstance(case, Accepted), "a case this decider's load_case gave"
        return deciding.decide(self.checked, case.data, _events(trace))

    def decision_as_dict(self, decision: object) -> dict[str, object]:
        assert isinstance(decision, dict), "a decision this decider's decide gave"
        return decision

    def new_trace(self) -> list[TraceEvent]:
        return []

    def trace_events(self, trace: object) -> tuple[TraceEvent, ...]:
        return tuple(_events(trace) or ())

    def stop(self, exc: Exception) -> Stop:
        return _stop(exc)


def _events(trace: object) -> list[TraceEvent] | None:
    assert trace is None or isinstance(trace, list), "a trace this decider's new_trace gave"
    return trace
