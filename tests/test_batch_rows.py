"""The one loop that decides rows (compiler.population.batch_rows): `statute run`, population runs (the fast JSON Lines
path and the general one), reports and diffs all decide through it, and rows in = decided + rejected in every format."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest

from compiler.backends.python.generated import GeneratedRowDecider
from compiler.commands.cli import main
from compiler.driver import build
from compiler.model import ir
from compiler.population import batch, batch_workers
from compiler.population.batch_rows import Decided, Rejected, decide_rows, read_cases
from compiler.population.register import write_register

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"


@pytest.fixture(scope="module")
def checked() -> ir.Checked:
    return build.check_file(AMNESTY)


def _cases_with_a_bad_row(n: int = 6, bad: int = 3) -> list[dict[str, Any]]:
    """The amnesty's first `n` cases, row `bad` with a role the statute does not know."""
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()[:n]]
    cases[bad - 1] = {**cases[bad - 1], "role": "astronaut"}
    return cases


def test_only_the_loop_calls_the_modules_decide_for_rows(
    checked: ir.Checked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A spy in the generated module's `decide` notes who calls it: `statute run` (with and without --out, JSON
    Lines and CSV results: the fast path and the general one), `statute report` and `statute diff` all decide their
    rows in compiler.population.batch_rows, and nowhere else."""
    module = build.load_module(checked)  # the module every command of this process loads (build caches it)
    real = module.decide
    callers: set[tuple[str, str]] = set()

    def spy(case: Any, trace: Any = None) -> Any:
        caller = sys._getframe(1)
        callers.add((caller.f_globals["__name__"], caller.f_code.co_name))
        return real(case, trace)

    monkeypatch.setattr(module, "decide", spy)
    cases = tmp_path / "cases.jsonl"
    write_register(cases, _cases_with_a_bad_row(), checked)
    runs = [
        ["run", str(AMNESTY), "--cases", str(cases), "--format", "jsonl"],
        ["run", str(AMNESTY), "--cases", str(cases), "--out", str(tmp_path / "r.jsonl")],
        ["run", str(AMNESTY), "--cases", str(cases), "--out", str(tmp_path / "r.csv")],
        ["report", str(AMNESTY), "--cases", str(cases), "--out", str(tmp_path / "report.html")],
    ]
    for argv in runs:
        assert main(argv) == 1, argv  # the bad row is rejected, the others decided
        capsys.readouterr()
        assert ("compiler.population.batch_rows", "decide_rows") in callers, argv
        assert {name for name, _ in callers} == {"compiler.population.batch_rows"}, (argv, callers)
        callers.clear()
    assert main(["diff", str(AMNESTY), str(AMNESTY), "--cases", str(cases)]) == 0
    assert ("compiler.population.batch_rows", "decide_rows") in callers
    assert {name for name, _ in callers} == {"compiler.population.batch_rows"}, callers


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_rows_in_are_decided_plus_rejected_with_the_bad_rows_row_field_and_reason(
    checked: ir.Checked, tmp_path: Path, suffix: str
) -> None:
    """In each format, one bad row among good ones: rejected with its row, its field and the reason, the others
    decided, by `statute run` (the loop over read_cases) and by population runs alike."""
    if suffix == ".parquet":
        pytest.importorskip("pyarrow", reason="Parquet support is optional: pip install pyarrow")
    cases = tmp_path / f"cases{suffix}"
    write_register(cases, _cases_with_a_bad_row(), checked)
    module = build.load_module(checked)
    results = list(decide_rows(GeneratedRowDecider(module), read_cases(cases, checked), shown=True))
    decided = [r for r in results if isinstance(r, Decided)]
    [rejected] = [r for r in results if isinstance(r, Rejected)]
    assert len(results) == 6 == len(decided) + 1
    line = 3 + (suffix == ".csv")  # the number a person finds it by: a CSV file's header is its line 1
    assert (rejected.row, rejected.kind, rejected.field) == (line, "invalid", "person.role")
    assert "astronaut" in rejected.detail and "astronaut" in rejected.reason
    for out in ("jsonl", "csv"):  # the fast JSON Lines path and the general one
        job = batch_workers.make_job(checked, out)
        summary = batch.run_file(job, cases, tmp_path / f"r.{out}", tmp_path / f"r.{out}.rejects.jsonl")
        assert (summary.rows, summary.decided, summary.rejected) == (6, 5, 1)
        [record] = [json.loads(line) for line in (tmp_path / f"r.{out}.rejects.jsonl").read_text().splitlines()]
        assert record == rejected.record()
