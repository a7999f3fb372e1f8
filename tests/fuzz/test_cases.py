"""Suite 4: case data inside each statute's schema and outside it: wrong types, missing and extra fields, huge
numbers, far dates, deep nesting, 10,000-element lists, invalid JSON lines.

The generated loader returns a decision or a validation error naming the record and the field; deciding raises only
the statute's documented errors; a run over a case file (compiler.driver.runner and compiler.population.batch) keeps
rows in = decided + rejected. Nothing else may escape.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.backends.python.generated import GeneratedRowDecider
from compiler.driver import build
from compiler.frontend.diagnostics import StatuteError
from compiler.model import ir
from compiler.population import batch, batch_workers
from compiler.population.batch_rows import Decided, Rejected, decide_rows, read_cases
from fuzz.cases import HOSTILE_VALUES, hostile_cases, valid_cases
from fuzz.support import CORPUS, STATUTE_FILES, decide, fuzz_settings, json_safe, tally


@cache
def _compiled() -> dict[str, tuple[ir.Checked, ModuleType]]:
    found = {}
    for path in [*STATUTE_FILES, *sorted(CORPUS.glob("*.statute"))]:
        try:
            checked = build.check_file(path)
        except StatuteError:
            continue  # the corpus holds statutes that must be refused, too
        found[path.name] = (checked, build.load_module(checked))
    return found


def _names() -> list[str]:
    return sorted(_compiled())


def test_every_statute_compiles_for_the_case_suites() -> None:
    assert {"kz_amnesty_2022.statute", "us_irc_121.statute"} <= set(_names())
    assert len(_names()) >= 6


def _root_path(checked: ir.Checked) -> str:
    return checked.record(checked.root).label.lower().replace(" ", "_")


def _assert_named(exc: Exception, checked: ir.Checked) -> None:
    problems = getattr(exc, "problems", ())
    assert problems, f"a case error that names nothing: {exc}"
    for p in problems:
        assert p.path and p.reason, p
        assert str(p).startswith(p.path), p


@pytest.mark.parametrize("name", _names())
@fuzz_settings(40)
@given(data=st.data())
def test_cases_from_the_schema_are_decided(name: str, data: st.DataObject) -> None:
    checked, module = _compiled()[name]
    case = json_safe(data.draw(valid_cases(checked)))
    case.pop("id", None)
    result = decide(module, case)
    tally("4 case data", f"schema: {result}")
    assert result != "invalid", case


@pytest.mark.parametrize("name", _names())
@fuzz_settings(40)
@given(data=st.data())
def test_cases_outside_the_schema_are_refused_by_field(name: str, data: st.DataObject) -> None:
    checked, module = _compiled()[name]
    case = data.draw(hostile_cases(checked))
    try:
        loaded = module.load_case(case)
    except module.CaseError as exc:
        _assert_named(exc, checked)
        tally("4 case data", "hostile: invalid")
        return
    assert loaded is not None
    result = decide(module, case)
    tally("4 case data", f"hostile: {result}")


def _hostile_lines(checked: ir.Checked, valid: list[dict[str, Any]]) -> list[str]:
    """JSON lines a register could hold: good cases, and every way a line can be bad."""
    lines = [json.dumps(case, ensure_ascii=False) for case in valid]
    lines += ["{", "[]", "null", '"text"', "1", "{}", '{"id": 1}', "\ufeff{}", '{"a": NaN}', '{"a": Infinity}']
    lines += ["[" * 100_000 + "]" * 100_000, '{"x": ' + "[" * 5_000 + "]" * 5_000 + "}", "9" * 5_000]
    lines += ['{"id": ' + "9" * 4_000 + "}", "\x00", '{"id": "\\ud800"}', "{" + '"a": 1, ' * 10_000 + '"b": 2}']
    for value in HOSTILE_VALUES:
        for case in valid[:1]:
            for key in list(case)[:3]:
                try:
                    lines.append(json.dumps({**case, key: value}, ensure_ascii=False))
                except (ValueError, RecursionError):
                    continue
    return lines


@pytest.mark.parametrize("name", _names())
@fuzz_settings(5)
@given(data=st.data())
def test_a_register_run_keeps_every_row(
    name: str, data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    checked, module = _compiled()[name]
    valid = [json_safe(data.draw(valid_cases(checked))) for _ in range(5)]
    lines = _hostile_lines(checked, valid)
    folder = tmp_path_factory.mktemp("register")
    cases = folder / "cases.jsonl"
    cases.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = sum(1 for line in lines if line.strip())

    results = list(decide_rows(GeneratedRowDecider(module), read_cases(cases, checked), shown=True))  # `statute run`
    decided = sum(isinstance(r, Decided) for r in results)
    rejected = sum(isinstance(r, Rejected) for r in results)
    assert decided + rejected == len(results) == rows
    tally("4 case data", "register rows (statute run)", rows)

    job = batch_workers.make_job(checked, "jsonl")  # population runs
    out = folder / "results.jsonl"
    summary = batch.run_file(job, cases, out, folder / "rejects.jsonl")
    assert summary.rows == rows == summary.decided + summary.rejected
    written = out.read_text(encoding="utf-8").split("\n")  # JSON Lines: only a line feed ends a row
    assert len(written) - 1 == summary.decided
    tally("4 case data", "register rows (batch)", rows)


def test_a_csv_register_keeps_every_row(tmp_path: Path) -> None:
    checked, module = _compiled()["kz_amnesty_2022.statute"]
    fields = [f.ident for f in checked.record(checked.root).fields]
    cells = ["", "yes", "maybe", "9" * 5_000, "[" * 5_000, "2022-02-30", "\x00", "<script>", '"', "1e400", "-1"]
    quoted = ['"' + cell.replace('"', '""') + '"' for cell in cells]
    rows = [",".join(quoted[(i + j) % len(cells)] for j in range(len(fields))) for i in range(40)]
    path = tmp_path / "cases.csv"
    path.write_text("id," + ",".join(fields) + "\n" + "\n".join(f"R{i}," + r for i, r in enumerate(rows)) + "\n")
    results = list(decide_rows(GeneratedRowDecider(module), read_cases(path, checked), shown=True))
    assert len(results) == len(rows)
    summary = batch.run_file(
        batch_workers.make_job(checked, "jsonl"), path, tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    )
    assert summary.rows == len(rows) == summary.decided + summary.rejected
    tally("4 case data", "register rows (csv)", 2 * len(rows))


def test_a_case_with_ten_thousand_records_in_a_list_is_decided() -> None:
    _, module = _compiled()["kz_amnesty_2022.statute"]
    register = STATUTE_FILES[0].parent / "kz_amnesty_2022.cases.jsonl"
    rows = [json.loads(line) for line in register.read_text(encoding="utf-8").splitlines()]
    case = next(row for row in rows if row["charges"])
    case = {**case, "charges": case["charges"] * 10_000}
    case.pop("id")
    assert decide(module, case) in {"decided", "undecided", "conflict"}
    broken = {**case, "charges": [{"gravity": "grav"}] * 10_000}
    with pytest.raises(module.CaseError) as refused:
        module.load_case(broken)
    assert len(refused.value.problems) >= 10_000
    assert str(refused.value.problems[-1]).startswith("person.charges[9999].")
    tally("4 case data", "lists of 10,000 records", 2)
