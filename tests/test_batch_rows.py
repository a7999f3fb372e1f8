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
from compiler.interpret.engine import InterpreterRowDecider
from compiler.model import ir
from compiler.population import batch, batch_workers
from compiler.population.batch_rows import Decided, ReadRow, Rejected, decide_rows, read_cases
from compiler.population.register import write_register
from compiler.population.report import ImpactTally, settings_for
from tests.test_batch import CONFLICTING

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


def test_the_modules_decider_calls_the_modules_own_functions(checked: ir.Checked) -> None:
    """GeneratedRowDecider adds no call per row: what the loop calls through it is the module's own load_case,
    decide, decision_as_dict and Trace, bound once (so the fast JSON Lines path costs per row what the module does)."""
    module = build.load_module(checked)
    decider = GeneratedRowDecider(module)
    assert decider.load_case is module.load_case and decider.decide is module.decide
    assert decider.decision_as_dict is module.decision_as_dict and decider.new_trace is module.Trace
    assert decider.case_errors == (module.CaseError,)


def _hard_rows(statute: Path) -> list[ReadRow]:
    """Rows of every kind the loop tells apart: decided, invalid, unreadable, conflict (the disagreeing statute) or
    undecided (the amnesty, a serving officer's case without its sentence)."""
    if statute != AMNESTY:
        ages: list[object] = [10, 19, 30, "x"]
        return [*[(n, f"P{n}", {"age": age}) for n, age in enumerate(ages, 1)], (5, "row 5", "not valid JSON")]
    cases: list[dict[str, object]] = [{**case} for case in _cases_with_a_bad_row()]
    del cases[1]["charges"][0]["sentence"]  # type: ignore[index]
    return [(n, str(case.pop("id")), case) for n, case in enumerate(cases, 1)]


@pytest.mark.parametrize("trace", [False, True])
@pytest.mark.parametrize("which", ["amnesty", "disagreeing"])
def test_the_interpreter_decides_and_rejects_each_row_as_the_module_does(
    tmp_path: Path, which: str, trace: bool
) -> None:
    """The two RowDeciders in the one loop, row by row: the same decisions as JSON, and the same rejects (kind,
    field, reason, and the case kept for a conflict or a gap), with the trace on and off."""
    statute = AMNESTY
    if which == "disagreeing":
        statute = tmp_path / "disagreeing.statute"
        statute.write_text(CONFLICTING, encoding="utf-8")
    checked = build.check_file(statute)
    module = build.load_module(checked)
    deciders = [GeneratedRowDecider(module), InterpreterRowDecider(checked, module)]
    by_module, by_interpreter = (decide_rows(d, _hard_rows(statute), trace, shown=True) for d in deciders)
    kinds = {r.kind for r in by_module if isinstance(r, Rejected)}
    assert kinds == ({"invalid", "undecided"} if statute == AMNESTY else {"invalid", "conflict", "unreadable"})
    for one, other in zip(by_module, by_interpreter, strict=True):
        assert type(one) is type(other) and (one.row, one.case_id) == (other.row, other.case_id)
        if isinstance(one, Decided):
            assert isinstance(other, Decided) and one.shown == other.shown
            assert (one.trace is None, other.trace is None) == (not trace, not trace)
        else:
            assert isinstance(other, Rejected) and (one.record(), one.reason) == (other.record(), other.reason)
            assert (one.case is None) == (other.case is None) == (one.kind not in ("conflict", "undecided"))


def test_a_report_reads_the_same_figures_from_the_interpreters_trace(checked: ir.Checked) -> None:
    """The interpreter's trace, read as typed events (RowDecider.trace_events), gives a report's tally the figures
    the module's gives: the values counted, the rules deciding each outcome, the case's rules that applied, the
    figures of derived values and the exceptions that decided."""
    module = build.load_module(checked)
    settings = settings_for(checked)
    figures = []
    for decider in (GeneratedRowDecider(module), InterpreterRowDecider(checked, module)):
        tally = ImpactTally(settings)
        for result in decide_rows(decider, read_cases(CASES, checked), trace=True):
            assert isinstance(result, Decided)
            tally.add(decider, result.case, result.decision, result.trace)
        sums = {key: (f.overall, f.by_measure) for key, f in tally.figures.items()}
        # The grounds of an exception come from the module's trace alone: the interpreter's records no tests.
        figures.append((tally.values, tally.deciding, tally.applied, sums, tally.grounds.deciding, tally.reduced_years))
    assert figures[0] == figures[1] and sum(figures[0][2].values()) > 150
    assert figures[0][3]["sentence-charge_new_sentence"][0].cases > 40 and figures[0][4]["charge_measure"]
    assert figures[0][3]["charge_reduced_sentence"][0].cases > 15  # a record's definition, read from each trace
