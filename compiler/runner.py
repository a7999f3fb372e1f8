"""Running a generated module: the statute's own examples, and case files (JSON Lines or CSV).

A bad case never stops a run: it becomes a Rejected row naming the record and the field.
"""

from __future__ import annotations

import csv
import datetime
import enum
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler import ir
from compiler.casefiles import csv_cell
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
    trace: Any = None  # the evaluation trace, when the run recorded one


@dataclass(frozen=True)
class Rejected:
    row: int
    case_id: str
    reason: str
    case: Any = None  # the case as read, when it was read but not decided (a conflict, a gap): it can be explained


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
    """(row number, case id, the case or why it cannot be read) for each row of a JSON Lines or CSV file.

    A row that cannot be read (not UTF-8, not JSON, nested too deeply, a number too long) becomes its reason: one
    bad row never stops the others.
    """
    if path.suffix.lower() == ".csv":
        yield from _read_csv(path, checked)
        return
    with path.open("rb") as lines:
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            data = json_object(raw.removeprefix(b"\xef\xbb\xbf") if number == 1 else raw, f"row {number}")
            if isinstance(data, str):
                yield number, f"row {number}", data
                continue
            yield number, str(data.get("id", f"row {number}")), data


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def json_object(raw: bytes | str, row: str) -> dict[str, Any] | str:
    """The JSON object `raw` holds, or why it cannot be read (naming `row`)."""
    data, problem = _loads(raw, row)
    if problem is not None:
        return problem
    if not isinstance(data, dict):
        return f"{row} is not a JSON object"
    return data


def _loads(raw: bytes | str, row: str) -> tuple[Any, str | None]:
    """(the JSON value `raw` holds, None), or (None, why it cannot be read)."""
    try:
        data = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)
    except UnicodeDecodeError:
        return None, f"{row} is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, f"{row} is not valid JSON ({exc.msg}, column {exc.colno})"
    except RecursionError:  # how the json module refuses arrays and objects nested thousands deep
        return None, f"{row} is nested too deeply to read"
    except ValueError:  # how the json module refuses a number of more than sys.get_int_max_str_digits() digits
        return None, f"{row} holds a number with too many digits to read"
    escaped = b"\\u" in raw if isinstance(raw, bytes) else "\\u" in raw
    if escaped and _LONE_SURROGATE.search(json.dumps(data, ensure_ascii=False)):  # no file could hold it as text
        return None, f"{row} holds a \\u escape that is no character (half of a surrogate pair)"
    return data, None


def _read_csv(path: Path, checked: ir.Checked) -> Iterator[tuple[int, str, dict[str, Any] | str]]:
    root = checked.record(checked.root)
    types = {f.ident: f.type for f in root.fields}
    # utf-8-sig: spreadsheets start their CSV with a byte-order mark; surrogateescape: a byte that is not UTF-8
    # spoils only its own row, which is then refused.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.DictReader(handle)
        number = 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a cell past csv.field_size_limit(), for one
                number += 1
                yield number, f"row {number}", f"row {number} cannot be read as CSV ({exc})"
                continue
            number += 1
            yield _csv_case(number, row, types)


def _csv_case(number: int, row: dict[str | Any, str | Any], types: dict[str, ir.Type]) -> tuple[int, str, Any]:
    case: dict[str, Any] = {}
    problem = None
    for key, text in row.items():
        if key is None or text is None or text == "":
            continue
        if _LONE_SURROGATE.search(key + text):
            return number, f"row {number}", f"row {number} is not UTF-8 text"
        try:
            case[key] = _csv_value(text, types.get(key))
        except ValueError as exc:
            problem = f"row {number}, column '{key}': {exc}"
    case_id = str(case.pop("id", f"row {number}"))
    return number, case_id, problem if problem else case


def _csv_value(text: str, type_: ir.Type | None) -> object:
    return text if type_ is None else csv_cell(text, type_)


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
            yield Rejected(number, case_id, str(exc), case)
