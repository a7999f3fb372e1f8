"""The statute's own examples, decided by the reference interpreter: each must come out as the drafter expects, as
it must from the generated module (compiler/driver/runner.py). An expected duration is the decided one exactly: the same
months and days of the normal form, as docs/language.md section 12 says (`2 years` is not `720 days`)."""

from __future__ import annotations

from collections.abc import Iterator

from compiler.interpret.decide import Decision
from compiler.interpret.errors import Conflict, Undecided, shown
from compiler.interpret.evaluate import same
from compiler.interpret.read import model_value, read_case
from compiler.interpret.values import Record
from compiler.model import ir
from compiler.model.value_forms import expected_record


def example_failures(checked: ir.Checked, example: ir.ExampleDef) -> Iterator[str]:
    """One line for each expected value the interpreter does not give; nothing when the example passes."""
    decision = Decision(checked, read_case(checked, example.case))
    try:
        for expected in example.expected:
            d = checked.definition(expected.definition)
            label, subject = d.label, None
            if expected.element is not None:  # "the charge measure of charge 2"
                key, index = expected.element
                records = decision.case.facts[key]
                assert isinstance(records, tuple) and isinstance(records[index], Record), records
                subject, label = records[index], f"{d.label} of {expected_record(checked, expected, example.case)}"
            actual = decision.definition(d.ident, subject)
            if expected.conflict:
                yield f"expected a conflict in '{label}', got {shown(actual)}"
                continue
            wanted = None if expected.value is None else model_value(checked, expected.value, d.type)
            if not _as_expected(actual, wanted):
                yield f"expected {label} to be {shown(wanted)}, got {shown(actual)}"
    except Conflict as exc:
        if not any(e.conflict for e in example.expected):
            yield f"conflict: {exc}"
    except Undecided as exc:
        yield f"undecided: {exc}"


def _as_expected(actual: object, wanted: object) -> bool:
    """As two rules' values agree: durations exactly, by months and days; other values as rules compare."""
    return same(actual, wanted)
