"""A generated module seen through the typed evaluator protocol (compiler/model/evaluator.py).

The module is loaded at run time, so nothing about it is known to mypy: this wrapper is the one place its names are
read (`decide`, `Trace`, `Evaluation`, its errors), and what it gives back is typed. The module stays standalone and
unchanged: it keeps writing its compact trace log, which `events_from_log` reads once, when events are asked for.

    evaluator = GeneratedEvaluator(checked, build.load_module(checked))
    decider = GeneratedRowDecider(build.load_module(checked))   # for the one loop deciding rows (RowDecider)
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from compiler.backends.python import naming
from compiler.backends.python.generated_values import ModuleValues
from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.evaluator import (
    CaseRejected,
    Conflict,
    Decision,
    Failed,
    Reject,
    Stop,
    Traced,
    TraceEvent,
    Undecided,
    events_from_log,
)
from compiler.model.kinds import Kind


class _Decide(Protocol):
    """The module's decide: the case, and a Trace to record in (None: none)."""

    def __call__(self, case: object, trace: object = None, /) -> object: ...


class GeneratedEvaluator:
    """The generated module `module` of `checked` as an ExplainableEvaluator."""

    def __init__(self, checked: ir.Checked, module: types.ModuleType) -> None:
        self.checked, self.module = checked, module
        self._outcomes = {ident: checked.definition(ident).type for ident in checked.outcomes}

    @property
    def outcomes(self) -> Mapping[str, ir.Type]:
        return self._outcomes

    def read_case(self, data: Mapping[str, object]) -> object:
        m = self.module
        try:
            case: object = m.load_case(data)
            return case
        except m.CaseError as exc:
            problems = [Reject(p.path, p.field, p.reason) for p in exc.problems]
            raise CaseRejected(str(exc), problems) from exc

    def decide(self, case: object) -> Decision | Stop:
        return self._decided(case, None)

    def decide_traced(self, case: object) -> Traced:
        trace = self.module.Trace()
        return Traced(self._decided(case, trace), self.events(trace))

    def _decided(self, case: object, trace: object) -> Decision | Stop:
        m = self.module
        try:
            return self.decision(m.decide(case, trace))
        except (m.DecisionError, ArithmeticError, ValueError) as exc:
            return self.stop(exc)

    def work_out(self, case: object, definition: str) -> Traced:
        m = self.module
        trace = m.Trace()
        result: Decision | Stop
        try:
            value = getattr(m.Evaluation(case, trace), naming.name(definition))()
        except (m.DecisionError, ArithmeticError, ValueError) as exc:
            result = self.stop(exc)
        else:
            result = Decision({definition: value}, dict)
        return Traced(result, self.events(trace))

    def value(self, case: object, e: ir.Expr) -> object:
        return ModuleValues(self.checked, self.module, case).value(e, {})

    def stops_in(self, case: object, d: ir.Definition) -> tuple[Stop, ...]:
        m = self.module
        method = getattr(m.Evaluation(case), naming.name(d.ident))
        subjects = [None] if d.owner is None else _elements(self.checked, case, d.owner)
        stops: list[Stop] = []
        for subject in subjects:
            try:
                method() if subject is None else method(subject)
            except (m.DecisionError, ArithmeticError, ValueError) as exc:
                stops.append(self.stop(exc))
        return tuple(stops)

    def with_fact(self, case: object, path: Sequence[str | int], value: object) -> object:
        if isinstance(value, CitedProvisions):  # a citation the statute names, as the model holds it: the module's own
            value = self.module.CitedProvisions(value.items)
        return replace_fact(case, tuple(path), value)

    def breaks_requirements(self, case: object) -> bool:
        broken = getattr(self.module, "broken_requirements", None)  # a module without requirements has none
        return broken is not None and bool(broken(case))

    # -------------------------------------------------------------- typed views of the module's own objects

    def decision(self, decided: object) -> Decision:
        """The module's Decision as a typed one."""
        values: dict[str, object] = {ident: getattr(decided, naming.name(ident)) for ident in self._outcomes}
        for group in self.checked.record_outcomes:
            values[group.key] = tuple(
                {o.key: getattr(r, naming.attribute(o.key)) for o in group.outcomes}
                for r in getattr(decided, naming.attribute(group.key))
            )
        return Decision(values, lambda: self.module.decision_as_dict(decided))

    def events(self, trace: object) -> tuple[TraceEvent, ...]:
        """The events of a module's Trace, read from its log."""
        return trace_events(trace)

    def stop(self, exc: Exception) -> Stop:
        """Why the module stopped, from the error it raised."""
        return module_stop(self.module, exc)

    def rule_words(self, rule: str) -> tuple[str, str] | None:
        """The article of `rule` and its words, as the module's RULES table holds them; None for no such rule."""
        info = self.module.RULES.get(rule)
        return None if info is None else (str(info.article), str(info.words))


class GeneratedRowDecider:
    """The generated module `module` as a RowDecider (compiler/model/evaluator.py), for the one loop deciding rows.

    Its load_case, decide, decision_as_dict and Trace are the module's own functions and class, bound here once, not
    wrapped: deciding a row through this object calls exactly what calling the module did."""

    __slots__ = ("case_errors", "decide", "decision_as_dict", "load_case", "module", "new_trace")

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module
        self.load_case: Callable[[Mapping[str, object]], object] = module.load_case
        self.decide: _Decide = module.decide
        self.decision_as_dict: Callable[[object], dict[str, object]] = module.decision_as_dict
        self.new_trace: Callable[[], object] = module.Trace
        self.case_errors: tuple[type[Exception], ...] = (module.CaseError,)

    def trace_events(self, trace: object) -> tuple[TraceEvent, ...]:
        return trace_events(trace)

    def stop(self, exc: Exception) -> Stop:
        return module_stop(self.module, exc)


def trace_events(trace: object) -> tuple[TraceEvent, ...]:
    """The events of a generated module's Trace, read from its log."""
    return events_from_log(getattr(trace, "_log"))  # noqa: B009  the runtime's compact log, read here only


def module_stop(module: types.ModuleType, exc: Exception) -> Stop:
    """Why the generated `module` stopped deciding, from the error it raised."""
    text = f"{type(exc).__name__}: {exc}"
    if isinstance(exc, module.ConflictError):
        return Conflict(exc.definition, exc.first.ident, exc.first_value, exc.second.ident, exc.second_value, text)
    if isinstance(exc, module.UndecidedError):
        return Undecided(exc.definition, exc.reason, text)
    return Failed(text)


def _elements(checked: ir.Checked, case: object, record: str) -> list[object]:
    """The elements of the case's lists of `record`."""
    out: list[object] = []
    for f in checked.record(checked.root).fields:
        if f.type.kind is Kind.LIST and f.type.name == record:
            out.extend(getattr(case, naming.attribute(f.ident)))
    return out


def replace_fact(record: object, path: tuple[str | int, ...], value: object) -> object:
    """The record with the fact at `path` replaced by `value` (records are frozen: each level is rebuilt)."""
    assert isinstance(path[0], str) and dataclasses.is_dataclass(record) and not isinstance(record, type)
    key = naming.attribute(path[0])
    if len(path) == 1:
        return dataclasses.replace(record, **{key: value})
    inner = getattr(record, key)
    if isinstance(path[1], int):
        index = path[1]
        items = list(inner)
        items[index] = replace_fact(items[index], path[2:], value) if len(path) > 2 else value
        return dataclasses.replace(record, **{key: tuple(items)})
    return dataclasses.replace(record, **{key: replace_fact(inner, path[1:], value)})
