"""The fast JSON Lines path of population runs (compiler/population/batch_jsonl.py) for statutes whose records get
outcomes: each record's outcomes nested under its list's key, in the case's order, the same bytes as the row-by-row
path writes, rejects included, on drawn registers (absent facts, empty lists, durations equal by their days but
written otherwise, bad rows)."""

from __future__ import annotations

import dataclasses
import functools
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.driver import build
from compiler.model import ir
from compiler.population import batch, batch_jsonl, batch_workers
from compiler.population.register import broken, write_register
from compiler.population.synth import Generator

ROOT = Path(__file__).resolve().parent
CHARGES = ROOT / "data" / "charge_outcomes.statute"
CHILD_BENEFIT = ROOT / "statutes" / "child_benefit.statute"


@functools.cache
def _charges() -> ir.Checked:
    return build.check_file(CHARGES)


@pytest.fixture(scope="module")
def charges() -> ir.Checked:
    return _charges()


@pytest.fixture(scope="module")
def child_benefit() -> ir.Checked:
    return build.check_file(CHILD_BENEFIT)


def _both_paths(checked: ir.Checked, cases: Path, out: Path, workers: int = 1) -> dict[str, Any]:
    """What each path writes for `cases`: (rows, decided, rejected), the results' bytes and the rejects' bytes."""
    fast = batch_workers.make_job(checked, "jsonl")
    assert fast.durations is not None, "a statute whose records get outcomes takes the fast path"
    row_by_row = dataclasses.replace(fast, durations=None)  # process_chunk's general path, a row at a time
    written = {}
    for name, job in (("rows", row_by_row), ("fast", fast)):
        summary = batch.run_file(job, cases, out / f"{name}.jsonl", out / f"{name}.rej.jsonl", workers)
        assert summary.rows == summary.decided + summary.rejected
        written[name] = (
            (summary.rows, summary.decided, summary.rejected),
            (out / f"{name}.jsonl").read_bytes(),
            (out / f"{name}.rej.jsonl").read_bytes(),
        )
    return written


def _uses_the_fast_path(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A count of the chunks the fast path decides (batch_workers calls jsonl_chunk for each)."""
    calls: list[int] = []
    real = batch_workers.jsonl_chunk

    def counted(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(batch_workers, "jsonl_chunk", counted)
    return calls


# ------------------------------------------------------------------ drawn registers

TERMS = ["1 year", "360 days", "12 months", "2 years", "720 days", "3 months", "90 days"]

_charge = st.fixed_dictionaries(
    {"gravity": st.sampled_from(["minor", "medium", "grave"])},
    optional={
        "term": st.sampled_from(TERMS),
        "fine": st.sampled_from(["0", "100", "99.99", "10000"]),
        "act_date": st.sampled_from(["2022-01-05", "2021-12-31"]),
    },
)
_case = st.fixed_dictionaries({"cooperated": st.booleans(), "charges": st.lists(_charge, max_size=4)})
# Rows the case reader refuses: each must be rejected with its row, field and reason, and the others decided.
BAD_ROWS = (
    '{"cooperated": true, "charges": [{"gravity": "dreadful"}]}',
    '{"cooperated": true, "charges": [{"gravity": "minor", "term": "forever"}]}',
    '{"cooperated": "maybe", "charges": []}',
    '{"charges": []}',
    "not JSON",
)
_row = st.one_of(_case.map(json.dumps), st.sampled_from(BAD_ROWS))


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_row, min_size=1, max_size=60))
def test_drawn_registers_are_written_alike_by_both_paths(rows: list[str]) -> None:
    charges = _charges()
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        cases = out / "cases.jsonl"
        with_ids = [f'{{"id": "c{i}", {row[1:]}' if row.startswith("{") else row for i, row in enumerate(rows)]
        cases.write_text("".join(line + "\n" for line in with_ids))
        written = _both_paths(charges, cases, out)
        assert written["fast"] == written["rows"]
        (count, _, rejected), _, rejects = written["fast"]
        assert count == len(rows) and rejected == sum(1 for row in rows if row in BAD_ROWS)
        for reject in (json.loads(line) for line in rejects.decode().splitlines()):
            assert reject["row"] >= 1 and reject["reason"]
            assert reject["kind"] == "unreadable" or reject["field"]


def test_records_outcomes_are_nested_in_the_cases_order_by_the_fast_path(
    charges: ir.Checked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = tmp_path / "cases.jsonl"
    year = {"gravity": "medium", "term": "2 years"}
    days = {"gravity": "grave", "term": "3 years", "fine": "100"}
    rows = [
        {"id": "a", "cooperated": True, "charges": [year, days, {"gravity": "minor", "act_date": "2022-01-05"}]},
        {"id": "b", "cooperated": True, "charges": []},
        {"id": "c", "cooperated": True, "charges": [days, year]},  # the same records in the other order
        {"id": "d", "cooperated": False, "charges": [{"gravity": "grave", "term": "1080 days"}]},
        {"id": "e", "cooperated": False, "charges": [{"gravity": "grave", "term": "3 years"}]},  # equal by days
    ]
    cases.write_text("".join(json.dumps(row) + "\n" for row in rows))
    calls = _uses_the_fast_path(monkeypatch)
    written = _both_paths(charges, cases, tmp_path)
    assert calls and written["fast"] == written["rows"]
    results = [json.loads(line) for line in written["fast"][1].decode().splitlines()]
    assert [[c["new_term"] for c in r["charges"]] for r in results] == [
        ["1 year", "360 days", None],
        [],
        ["360 days", "1 year"],
        ["1080 days"],
        ["3 years"],
    ]
    assert results[0]["charges"][2] == {
        "charge_measure": "released",
        "new_term": None,
        "fine_due": "0.00",
        "act_recorded": "2022-01-05",
        "term_given": False,
    }


def test_the_key_tells_records_shown_otherwise_apart(charges: ir.Checked) -> None:
    module = build.load_module(charges)
    job = batch_workers.make_job(charges, "jsonl")
    key = batch_jsonl.decision_key(job.columns, job.durations or (), job.lists, job.list_durations)
    reduced = module.ChargeMeasure.REDUCED

    def decision(*terms: tuple[int, int] | None) -> Any:
        records = tuple(
            module.ChargeDecision(reduced, None if t is None else module.Duration(*t), 0, None, False) for t in terms
        )
        return module.Decision(0, records)

    year, days = decision((12, 0)), decision((0, 360))
    assert year == days, "durations compare by their days"
    assert key(year) != key(days) and key(year) == key(decision((12, 0)))
    assert key(decision()) != key(decision(None)) != key(decision(None, None))
    assert key(decision((12, 0), None)) != key(decision(None, (12, 0)))


@pytest.mark.parametrize("workers", [1, 2])
def test_a_synthetic_child_benefit_register_is_written_alike_by_both_paths(
    child_benefit: ir.Checked, tmp_path: Path, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = tmp_path / "cases.jsonl"
    generator = Generator(child_benefit)
    write_register(cases, broken(generator.cases(3000, 5), child_benefit, 0.02, 5), child_benefit)
    monkeypatch.setattr(batch_workers, "PIECE", 64 * 1024)  # several pieces, for the workers
    calls = _uses_the_fast_path(monkeypatch)
    written = _both_paths(child_benefit, cases, tmp_path, workers)
    assert written["fast"] == written["rows"]
    (rows, decided, rejected), results, rejects = written["fast"]
    assert rows == 3000 and rejected > 10 and decided == rows - rejected
    assert workers > 1 or calls, "one process: the fast path's chunks are counted here"
    assert all(json.loads(line)["field"] or json.loads(line)["kind"] == "unreadable" for line in rejects.splitlines())
    assert any(b'"children": []' in line or b'"children": [{' in line for line in results.splitlines())
