"""Running a generated module: the statute's own examples, and case files (JSON Lines or CSV).

A bad case never stops a run: it becomes a Rejected row naming the record and the field.
"""

from __future__ import annotations

import csv
import datetime
import enum
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler import ir
from compiler.examples import duration_text, json_value


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


@dataclass(frozen=True)
class Rejected:
    row: int
    case_id: str
    reason: str


def comparable(value: object) -> object:
    """A value from the generated module in the checker's terms, so examples compare like with like."""
    text = getattr(value, "text", None)
    if isinstance(value, enum.Enum) and isinstance(text, str):
        return text.lower()
    if value is None or isinstance(value, bool | int | str | Fraction | datetime.date):
        return value
    if hasattr(value, "months") and hasattr(value, "days"):
        return ir.Duration(int(value.months), value.days).total_days
    if isinstance(text, str):
        return text.lower()
    return value


def _expected(value: ir.Value | None) -> object:
    if isinstance(value, ir.Duration):
        return value.total_days
    if isinstance(value, str):
        return value.lower()
    return value


def _shown(value: object) -> str:
    if value is None:
        return "not decided"
    if isinstance(value, ir.Duration):
        return duration_text(value)
    if hasattr(value, "months") and hasattr(value, "days"):
        return str(getattr(value, "text", value))
    text = getattr(value, "text", None)
    return str(text) if isinstance(text, str) else str(json_value(value))  # type: ignore[arg-type]


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
    try:
        evaluation = module.Evaluation(case)
        for expected in example.expected:
            actual = getattr(evaluation, expected.definition)()
            if expected.conflict:
                yield f"expected a conflict in '{labels[expected.definition]}', got {_shown(actual)}"
            elif comparable(actual) != _expected(expected.value):
                yield (f"expected {labels[expected.definition]} to be {_shown(expected.value)}, got {_shown(actual)}")
    except module.ConflictError as exc:
        if not any(e.conflict for e in example.expected):
            yield f"conflict: {exc}"
    except module.UndecidedError as exc:
        yield f"undecided: {exc}"


# ------------------------------------------------------------------ case files


def read_cases(path: Path, checked: ir.Checked) -> Iterator[tuple[int, str, dict[str, Any] | str]]:
    """(row number, case id, the case or why it cannot be read) for each row of a JSON Lines or CSV file."""
    if path.suffix.lower() == ".csv":
        yield from _read_csv(path, checked)
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, f"row {number}", f"row {number} is not valid JSON ({exc.msg}, column {exc.colno})"
                continue
            if not isinstance(data, dict):
                yield number, f"row {number}", f"row {number} is not a JSON object"
                continue
            yield number, str(data.get("id", f"row {number}")), data


def _read_csv(path: Path, checked: ir.Checked) -> Iterator[tuple[int, str, dict[str, Any] | str]]:
    root = checked.record(checked.root)
    types = {f.ident: f.type for f in root.fields}
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            case: dict[str, Any] = {}
            problem = None
            for key, text in row.items():
                if key is None or text is None or text == "":
                    continue
                try:
                    case[key] = _csv_value(text, types.get(key))
                except ValueError as exc:
                    problem = f"row {number}, column '{key}': {exc}"
            case_id = str(case.pop("id", f"row {number}"))
            yield number, case_id, problem if problem else case


def _csv_value(text: str, type_: ir.Type | None) -> object:
    if type_ is None:
        return text
    if type_.kind == "bool":
        lowered = text.strip().lower()
        if lowered in {"true", "yes", "1"}:
            return True
        if lowered in {"false", "no", "0"}:
            return False
        raise ValueError(f"'{text}' is not yes or no")
    if type_.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a whole number") from None
    if type_.kind in {"list", "record"}:
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            raise ValueError("a list of records in a CSV cell must be written as JSON") from None
    return text


def decide_cases(
    module: ModuleType, rows: Iterable[tuple[int, str, dict[str, Any] | str]]
) -> Iterator[Decided | Rejected]:
    for number, case_id, data in rows:
        if isinstance(data, str):
            yield Rejected(number, case_id, data)
            continue
        try:
            case = module.load_case(data)
            yield Decided(number, case_id, case, module.decide(case))
        except module.CaseError as exc:
            yield Rejected(number, case_id, str(exc))
        except (module.ConflictError, module.UndecidedError) as exc:
            yield Rejected(number, case_id, str(exc))
