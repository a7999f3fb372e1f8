"""The typed evaluator protocol (compiler/model/evaluator.py): the generated module and the reference interpreter both
satisfy it, and the trace log of the module reads back as the typed events, every entry the runtime writes."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import inspect
import json
import re
from pathlib import Path

import pytest

from compiler.backends.python import runtime_trace
from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.interpret.engine import InterpreterEvaluator
from compiler.model import ir
from compiler.model.evaluator import (
    FAILED,
    LOG_TAGS,
    CaseRejected,
    Conflict,
    Decision,
    DefinitionDecided,
    DefinitionEntered,
    Evaluator,
    ExplainableEvaluator,
    TraceEvent,
    UnknownTraceEntry,
    events_from_log,
)

ROOT = Path(__file__).resolve().parent.parent
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"


@functools.cache
def _evaluators() -> tuple[ir.Checked, GeneratedEvaluator, InterpreterEvaluator]:
    checked = build.check_file(AMNESTY)
    generated = GeneratedEvaluator(checked, build.load_module(checked))
    return checked, generated, InterpreterEvaluator(checked, generated)


def test_both_evaluators_satisfy_the_protocol() -> None:
    """Checked by mypy (tests are type-checked): an assignment to the Protocol type fails when a method is missing or
    its signature differs."""
    _, generated, interpreted = _evaluators()
    deciders: list[Evaluator] = [generated, interpreted]
    explainable: ExplainableEvaluator = generated
    assert len(deciders) == 2 and explainable.outcomes == interpreted.outcomes


def test_mypy_checks_those_assignments() -> None:
    """mypy --strict on this file (the project's mypy run covers compiler/ only): fails when either evaluator no
    longer satisfies the protocol."""
    api = pytest.importorskip("mypy.api")
    out, err, status = api.run(["--strict", "--no-error-summary", str(Path(__file__))])
    assert status == 0, out + err


def _definitions(events: tuple[TraceEvent, ...]) -> list[tuple[str, bool, tuple[str, ...]]]:
    """Each definition decided, in order: its name, whether it is the case's (not a record's), the deciding rules."""
    out, entered = [], []
    for event in events:
        if isinstance(event, DefinitionEntered):
            entered.append(event)
        elif isinstance(event, DefinitionDecided):
            enter = entered.pop()
            out.append((enter.definition, enter.subject is None, event.rules))
    return out


def test_the_module_and_the_interpreter_give_the_same_events_on_the_amnesty_examples() -> None:
    """The definitions each decides, in the same order, by the same rules, and the same decision. (The
    interpreter's trace holds no conditions: those are the module's to report.)"""
    checked, generated, interpreted = _evaluators()
    compared = 0
    for example in checked.examples:
        try:
            module_case = generated.read_case(example.case)
        except CaseRejected:
            continue
        by_module = generated.decide_traced(module_case)
        by_interpreter = interpreted.decide_traced(interpreted.read_case(example.case))
        assert _definitions(by_module.events) == _definitions(by_interpreter.events), example.title
        no_charge = not example.case.get("charges")  # a person with no charge: the person's measure alone
        assert len(_definitions(by_module.events)) >= (1 if no_charge else 3), example.title
        module_result, interpreter_result = by_module.result, by_interpreter.result
        if isinstance(module_result, Decision):
            assert isinstance(interpreter_result, Decision), example.title
            assert module_result.shown == interpreter_result.shown, example.title
        else:
            assert type(module_result) is type(interpreter_result), example.title
        compared += 1
    assert compared >= 40


def test_the_events_read_from_the_log_are_the_modules_own_events() -> None:
    """The one conversion (events_from_log) agrees field by field with the runtime's own reading of its log."""
    checked, generated, _ = _evaluators()
    module = generated.module
    for example in checked.examples:
        case = module.read_case(example.case)
        trace = module.Trace()
        with contextlib.suppress(module.DecisionError):
            module.decide(case, trace)
        own = [(type(e).__name__.removeprefix("Trace"), dataclasses.astuple(e)) for e in trace.events]
        ours = [dataclasses.astuple(e) for e in generated.events(trace)]
        assert [fields for _, fields in own] == ours, example.title


def _tags_written() -> set[str]:
    """Every tag the runtime writes as the first item of a log entry: the keys of its own table, and each
    `log(("tag", ...` or `append(("tag", ...` in the backends' sources and in a generated module."""
    checked, _, _ = _evaluators()
    sources = [p.read_text(encoding="utf-8") for p in (ROOT / "compiler" / "backends").glob("*.py")]
    sources.append(build.module_source(checked))
    written = {tag for text in sources for tag in re.findall(r"""(?:log|append)\(\(\s*["'](\w+)["']""", text)}
    return set(runtime_trace._ENTRIES) | written


def test_every_tag_the_runtime_writes_is_read() -> None:
    """Fails when the runtime (or the code it writes) logs an entry tag that events_from_log does not know."""
    assert _tags_written() - {*LOG_TAGS, FAILED} == set()
    assert {"enter", "leave", "decided", "compare", "truth", "element", "failed"} <= _tags_written()


def test_every_entry_shape_reads_back() -> None:
    log: list[object] = [
        ("enter", "a", None),
        ("enter", "b"),
        "rule_1",
        ("compare", 10, 1, 2, True),
        ("truth", 11, False),
        ("element", 12, 0, "x"),
        True,
        ("decided", 5, ("rule_1", "rule_2"), (True, False)),
        ("failed", ("rule_3", "rule_4"), (20, 21), (1, 2)),
        ("failed", ("rule_5",), (22,), ()),
        ("leave", 7, ("rule_1",)),
    ]
    events = events_from_log(log)
    assert [type(e).__name__ for e in events] == [
        "DefinitionEntered",
        "DefinitionEntered",
        "RuleBegun",
        "Compared",
        "Tested",
        "ElementVisited",
        "RuleEnded",
        "DefinitionDecided",
        *["RuleBegun", "Compared", "RuleEnded"] * 2,
        *["RuleBegun", "Tested", "RuleEnded"],
        "DefinitionDecided",
    ]
    assert events[7] == DefinitionDecided(5, ("rule_1",))
    with pytest.raises(UnknownTraceEntry):
        events_from_log([("shrug", 1)])


def test_a_conflict_is_a_typed_stop_from_both() -> None:
    checked = build.check_file(ROOT / "tests" / "statutes" / "explain_clemency_conflict.statute")
    generated = GeneratedEvaluator(checked, build.load_module(checked))
    interpreted = InterpreterEvaluator(checked, generated)
    data = json.loads((ROOT / "tests" / "data" / "explain" / "kz_conflict_serviceman.json").read_text("utf-8"))
    by_module = generated.decide(generated.read_case(data))
    by_interpreter = interpreted.decide(interpreted.read_case(data))
    assert isinstance(by_module, Conflict) and isinstance(by_interpreter, Conflict)
    assert {by_module.first_rule, by_module.second_rule} == {by_interpreter.first_rule, by_interpreter.second_rule}
    assert by_module.text.startswith("ConflictError: conflict deciding the")


def test_a_bad_case_is_rejected_with_where_which_field_and_why() -> None:
    _, generated, interpreted = _evaluators()
    for evaluator in (generated, interpreted):
        with pytest.raises(CaseRejected) as caught:
            evaluator.read_case({"age": "old"})
        assert caught.value.problems and all(p.path and p.reason for p in caught.value.problems)
    assert inspect.isclass(CaseRejected)


def test_prove_confirms_a_witness_in_whichever_evaluator_its_caller_passes() -> None:
    """confirm.py reads the protocol only: the reference interpreter confirms the counterexample the module does."""
    pytest.importorskip("z3")
    from compiler.prove.confirm import Confirmer
    from compiler.prove.prover import Prover
    from compiler.prove.report import FAILS

    checked = build.check_file(ROOT / "tests" / "statutes" / "amnesty_faulty_release.statute")
    generated = GeneratedEvaluator(checked, build.load_module(checked))
    guarantee = checked.guarantees[0]
    found = Prover(checked, 3, 30, Confirmer(checked, generated)).guarantee(guarantee)
    assert found.status == FAILS and found.witness is not None and found.witness.confirmed is True
    interpreted = Confirmer(checked, InterpreterEvaluator(checked, generated)).guarantee(guarantee, found.witness.case)
    assert interpreted.confirmed is True and interpreted.evaluator == found.witness.evaluator
