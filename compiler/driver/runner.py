"""Running a generated module on the statute's own examples (`statute test`). Case files are decided in the one
loop of compiler/population/batch_rows.py, through a RowDecider; examples read the module itself, as neither evaluator
protocol offers what they ask: each expected definition alone, from one `Evaluation` of the case (a row decides every
outcome at once, and Evaluator.work_out keeps a trace of each definition it works out)."""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from types import ModuleType

from compiler.backends.python import naming
from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.value_forms import expected_record, shown_value


@dataclass(frozen=True)
class ExampleResult:
    example: ir.ExampleDef
    failures: tuple[str, ...]  # one line per outcome that came out other than expected

    @property
    def passed(self) -> bool:
        return not self.failures


def comparable(value: object) -> object:
    """A value from the generated module in the checker's terms, so examples compare like with like."""
    text = getattr(value, "text", None)
    if isinstance(value, enum.Enum) and isinstance(text, str):
        return text.lower()
    if value is None or isinstance(value, bool | int | str | Fraction | datetime.date):
        return value
    if hasattr(value, "months") and hasattr(value, "days"):
        return (int(value.months), value.days)  # exactly, as _expected: nothing hangs on a month's length
    if isinstance(text, str):
        return text.lower()
    return value


def _expected(value: ir.Value | None) -> object:
    """An expected duration is its normal form's months and days: `2 years` is not `720 days`, which on the calendar
    is another length (docs/language.md, section 12), so an example never depends on how long a month is."""
    if isinstance(value, ir.Duration):
        return (value.months, value.days)
    if isinstance(value, str):
        return value.lower()
    if isinstance(value, CitedProvisions):  # as the module's own, whose text `comparable` takes
        return value.text.lower()
    return value


def _shown(value: object, type_: ir.Type) -> str:
    if value is None:
        return "not decided"
    if isinstance(value, ir.Duration):
        return value.text
    if hasattr(value, "months") and hasattr(value, "days"):
        return str(getattr(value, "text", value))
    text = getattr(value, "text", None)
    return str(text) if isinstance(text, str) else shown_value(value, type_)  # type: ignore[arg-type]


def run_examples(checked: ir.Checked, module: ModuleType) -> list[ExampleResult]:
    results = []
    for example in checked.examples:
        results.append(ExampleResult(example, tuple(_example_failures(checked, module, example))))
    return results


def _example_failures(checked: ir.Checked, module: ModuleType, example: ir.ExampleDef) -> Iterator[str]:
    try:
        case = module.load_case(example.case)
    except module.CaseError as exc:
        yield f"the example's facts were refused: {exc}"
        return
    labels = {d.ident: d.label for d in checked.definitions}
    types = {d.ident: d.type for d in checked.definitions}  # what the values are: 15% is not 0.15
    try:
        evaluation = module.Evaluation(case)
        for expected in example.expected:
            method, label = getattr(evaluation, naming.name(expected.definition)), labels[expected.definition]
            if expected.element is None:
                actual = method()
            else:  # "the charge measure of charge 2"
                key, index = expected.element
                actual = method(getattr(case, naming.attribute(key))[index])
                label = f"{label} of {expected_record(checked, expected, example.case)}"
            if expected.conflict:
                found = _shown(actual, types[expected.definition])
                yield f"expected a conflict in '{label}', got {found}"
            elif comparable(actual) != _expected(expected.value):
                shown, found = (_shown(v, types[expected.definition]) for v in (expected.value, actual))
                yield f"expected {label} to be {shown}, got {found}"
    except module.ConflictError as exc:
        if not any(e.conflict for e in example.expected):
            yield f"conflict: {exc}"
    except module.UndecidedError as exc:
        yield f"undecided: {exc}"
