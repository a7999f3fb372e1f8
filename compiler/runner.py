"""Running a generated module: the statute's own examples, and case files (JSON Lines or CSV).

A bad case never stops a run: it becomes a Rejected row naming the record and the field.
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler import ir
from compiler.casefiles import case_data, read_rows, root_types
from compiler.examples import duration_text, json_value
from compiler.inert import visible


@dataclass(frozen=True)
class ExampleResult:
    example: ir.ExampleDef
    failures: tuple[str, ...]  # one line per outcome that came out other than expected

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass(frozen=True)
class Decided:
    row: int
    case_id: str
    case: Any
    decision: Any
    trace: Any = None  # the evaluation trace, when the run recorded one


@dataclass(frozen=True)
class Rejected:
    row: int
    case_id: str
    reason: str  # one line, or one problem a line: a line break from the case itself is shown as ⏎ (compiler.inert)
    case: Any = None  # the case as read, when it was read but not decided (a conflict, a gap): it can be explained


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
    return value


def _shown(value: object, type_: ir.Type) -> str:
    if value is None:
        return "not decided"
    if isinstance(value, ir.Duration):
        return duration_text(value)
    if hasattr(value, "months") and hasattr(value, "days"):
        return str(getattr(value, "text", value))
    text = getattr(value, "text", None)
    return str(text) if isinstance(text, str) else str(json_value(value, type_))  # type: ignore[arg-type]


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
            actual = getattr(evaluation, expected.definition)()
            if expected.conflict:
                found = _shown(actual, types[expected.definition])
                yield f"expected a conflict in '{labels[expected.definition]}', got {found}"
            elif comparable(actual) != _expected(expected.value):
                shown, found = (_shown(v, types[expected.definition]) for v in (expected.value, actual))
                yield f"expected {labels[expected.definition]} to be {shown}, got {found}"
    except module.ConflictError as exc:
        if not any(e.conflict for e in example.expected):
            yield f"conflict: {exc}"
    except module.UndecidedError as exc:
        yield f"undecided: {exc}"


# ------------------------------------------------------------------ case files


def read_cases(path: Path, checked: ir.Checked) -> Iterator[tuple[int, str, dict[str, Any] | str]]:
    """(row number, case id, the case or why it cannot be read) for each row of a JSON Lines, CSV or Parquet file.

    A row that cannot be read (not UTF-8, not JSON, nested too deeply, a number too long) becomes its reason, naming
    the row: one bad row never stops the others. The rows are read as population runs read them (casefiles).
    """
    types = root_types(checked)
    for number, raw in read_rows(path):
        case_id, data = case_data(number, raw, types)
        yield number, case_id, data if isinstance(data, dict) else _naming_the_row(number, data)


def _naming_the_row(number: int, reason: str) -> str:
    """casefiles' reason for a row, as a sentence about the row: "row 3 is not valid JSON (...)"."""
    if reason.startswith(("column ", "cell ", "the id ")):
        return f"row {number}, {reason}"
    if reason.startswith(("holds ", "cannot ", "gives ", "has ")):
        return f"row {number} {reason}"
    return f"row {number} is {reason}"


def decide_cases(
    module: ModuleType, rows: Iterable[tuple[int, str, dict[str, Any] | str]]
) -> Iterator[Decided | Rejected]:
    for number, case_id, data in rows:
        if isinstance(data, str):
            yield Rejected(number, case_id, visible(data))
            continue
        case = None
        try:
            case = module.load_case(data)
            decision = module.decide(case)
            module.decision_as_dict(decision)  # a decision that cannot be written is this row's problem, found here
            yield Decided(number, case_id, case, decision)
        except module.CaseError as exc:
            yield Rejected(number, case_id, case_error_text(exc))
        except (module.ConflictError, module.UndecidedError) as exc:
            yield Rejected(number, case_id, visible(str(exc)), case)
        except Exception as exc:  # an evaluator failure, a number too long to write: this row only
            yield Rejected(number, case_id, visible(f"row {number} cannot be decided: {type(exc).__name__}: {exc}"))


def case_error_text(exc: Exception) -> str:
    """A CaseError's message, one problem a line as the module writes it; a line break from the case (in a field's
    name, say) is shown as ⏎, so that only the module's own line breaks start a line."""
    problems = getattr(exc, "problems", ())
    if not problems:
        return visible(str(exc))
    head = str(exc).split("\n", 1)[0]
    return "\n".join([visible(head), *(f"  {visible(str(p))}" for p in problems)])
