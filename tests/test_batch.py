"""Population runs (compiler.population.batch): streaming, rejects, rows in = decided + rejected, order with workers,
atomicity."""

from __future__ import annotations

import argparse
import dataclasses
import io
import json
from pathlib import Path

import pytest

from compiler.commands import run
from compiler.driver import build
from compiler.model import ir
from compiler.population import batch, batch_jsonl, batch_workers
from compiler.population.register import broken, write_register
from compiler.population.synth import Generator, load_profile

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"
BAD_ROWS = Path(__file__).parent / "data" / "amnesty_bad_rows.jsonl"


@pytest.fixture(scope="module")
def checked() -> ir.Checked:
    return build.check_file(AMNESTY)


@pytest.fixture(scope="module")
def job(checked: ir.Checked) -> batch_workers.Job:
    return batch_workers.make_job(checked, "jsonl")


def _decision_key(job: batch_workers.Job) -> object:
    return batch_jsonl.decision_key(job.columns, job.durations or ())


def _lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _register(checked: ir.Checked, path: Path, n: int, share: float = 0.0, seed: int = 7) -> None:
    generator = Generator(checked, load_profile(STATUTES / "kz_amnesty_2022.synth.json"))
    write_register(path, broken(generator.cases(n, seed), checked, share, seed), checked)


def test_every_case_of_the_amnesty_is_decided_in_order(
    checked: ir.Checked, job: batch_workers.Job, tmp_path: Path
) -> None:
    module = build.load_module(checked)
    summary = batch.run_file(job, CASES, tmp_path / "out.jsonl", tmp_path / "rejects.jsonl")
    assert (summary.rows, summary.decided, summary.rejected) == (150, 150, 0)
    results = _lines(tmp_path / "out.jsonl")
    cases = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in results] == [c["id"] for c in cases]
    for case, result in zip(cases, results, strict=True):
        decision = module.decide(module.load_case(case))
        assert result == {"id": case["id"], **module.decision_as_dict(decision)}
    assert (tmp_path / "rejects.jsonl").read_text() == ""


def test_bad_rows_go_to_the_rejects_file_with_row_field_and_reason(job: batch_workers.Job, tmp_path: Path) -> None:
    summary = batch.run_file(job, BAD_ROWS, tmp_path / "out.csv", tmp_path / "rejects.jsonl")
    rows_in = sum(1 for line in BAD_ROWS.read_text(encoding="utf-8").splitlines() if line.strip())
    assert summary.rows == rows_in == summary.decided + summary.rejected
    rejects = _lines(tmp_path / "rejects.jsonl")
    assert len(rejects) == summary.rejected == 4
    by_id = {r["id"]: r for r in rejects}
    assert by_id["BAD-0001"]["field"] == "person.charges[0].gravity"
    assert "serious" in str(by_id["BAD-0001"]["reason"])
    assert by_id["BAD-0002"]["field"] == "person.charges[0].act_date"
    assert by_id["BAD-0003"]["field"] == "person.charges[0].stage"
    assert by_id["row 9"] == {
        "row": 9,
        "id": "row 9",
        "kind": "unreadable",
        "field": None,
        "reason": by_id["row 9"]["reason"],
    }
    csv_rows = (tmp_path / "out.csv").read_text(encoding="utf-8").splitlines()
    assert csv_rows[0] == "id,amnesty_measure,charges" and len(csv_rows) == 1 + summary.decided


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_register_with_broken_rows_balances_and_workers_keep_input_order(
    checked: ir.Checked, job: batch_workers.Job, tmp_path: Path, suffix: str
) -> None:
    cases = tmp_path / f"cases{suffix}"
    _register(checked, cases, 2500, share=0.04)
    one = batch.run_file(
        batch_workers.make_job(checked, "jsonl"), cases, tmp_path / "one.jsonl", tmp_path / "one.rej.jsonl"
    )
    two = batch.run_file(
        batch_workers.make_job(checked, "jsonl"), cases, tmp_path / "two.jsonl", tmp_path / "two.rej.jsonl", workers=2
    )
    assert one.rows == 2500 == one.decided + one.rejected
    assert 40 <= one.rejected <= 160, "about 4% of rows were broken on purpose"
    assert (one.rows, one.decided, one.rejected) == (two.rows, two.decided, two.rejected)
    assert (tmp_path / "one.jsonl").read_bytes() == (tmp_path / "two.jsonl").read_bytes()
    assert (tmp_path / "one.rej.jsonl").read_bytes() == (tmp_path / "two.rej.jsonl").read_bytes()
    rejects = _lines(tmp_path / "one.rej.jsonl")
    assert all(set(r) == {"row", "id", "kind", "field", "reason"} and r["reason"] for r in rejects)
    assert [r["row"] for r in rejects] == sorted(r["row"] for r in rejects)


def test_an_undecided_outcome_is_a_reject_not_a_crash(job: batch_workers.Job, tmp_path: Path) -> None:
    case = json.loads(CASES.read_text(encoding="utf-8").splitlines()[1])  # a serving officer, grave charge
    del case["charges"][0]["sentence"]
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(case) + "\n" + CASES.read_text(encoding="utf-8").splitlines()[0] + "\n")
    summary = batch.run_file(job, cases, tmp_path / "out.jsonl", tmp_path / "rejects.jsonl")
    assert (summary.decided, summary.rejected) == (1, 1)
    [reject] = _lines(tmp_path / "rejects.jsonl")
    assert reject["kind"] == "undecided" and reject["row"] == 1 and "sentence" in str(reject["reason"])


CONFLICTING = """\
Title: "Two rules that disagree".
Each case is about a person.
A person has:
  - age: whole number from 0 to 120.
Outcome the status: one of child, adult; by default child.

Article 1. Adults
Rule: the status is adult if the age is at least 18.

Article 2. Minors
Rule: the status is child if the age is at most 20.
"""


def test_a_conflict_is_a_reject_naming_the_outcome(tmp_path: Path) -> None:
    statute = tmp_path / "conflict.statute"
    statute.write_text(CONFLICTING, encoding="utf-8")
    checked = build.check_file(statute)
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps({"id": f"P{age}", "age": age}) + "\n" for age in (10, 19, 30)))
    summary = batch.run_file(
        batch_workers.make_job(checked, "jsonl"), cases, tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    )
    assert (summary.rows, summary.decided, summary.rejected) == (3, 2, 1)
    [reject] = _lines(tmp_path / "rej.jsonl")
    assert reject["id"] == "P19" and reject["kind"] == "conflict" and reject["field"] == "status"
    assert "Article 1" in str(reject["reason"]) and "Article 2" in str(reject["reason"])


def test_an_interrupted_run_leaves_no_half_written_results(
    job: batch_workers.Job, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results, rejects = tmp_path / "out.jsonl", tmp_path / "out.rejects.jsonl"
    results.write_text("the previous results\n")
    real = batch_workers.process_chunk
    calls = []

    def interrupted(*args: object) -> batch_workers.ChunkResult:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch_workers, "CHUNK", 40)
    monkeypatch.setattr(batch_workers, "process_chunk", interrupted)
    with pytest.raises(KeyboardInterrupt):
        batch.run_file(job, CASES, results, rejects)
    assert results.read_text() == "the previous results\n"
    assert not rejects.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"], "no temporary file is left behind"


def test_progress_is_shown_on_a_terminal_only(
    job: batch_workers.Job, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(batch_workers, "CHUNK", 10)
    terminal, pipe = Terminal(), io.StringIO()
    progress = batch.Progress(terminal, 100)
    progress.last = -1.0
    progress.update(50, 0.5)
    assert "50 rows" in terminal.getvalue() and "50%" in terminal.getvalue()
    batch.run_file(job, CASES, tmp_path / "out.jsonl", None, progress=pipe)
    assert pipe.getvalue() == ""


def test_the_run_command_prints_counts_and_exits_1_when_rows_were_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    run.add_run_arguments(parser)
    out = tmp_path / "results.jsonl"
    args = parser.parse_args([str(AMNESTY), "--cases", str(BAD_ROWS), "--out", str(out), "--workers", "2"])
    assert run.population_run(args) == 1
    err = capsys.readouterr().err
    assert "12 rows: 8 decided, 4 rejected (3 invalid, 1 unreadable)" in err
    assert (tmp_path / "results.rejects.jsonl").exists()
    args = parser.parse_args([str(AMNESTY), "--cases", str(CASES), "--out", str(tmp_path / "r.jsonl")])
    assert run.population_run(args) == 0


def test_parquet_in_and_out(checked: ir.Checked, job: batch_workers.Job, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow", reason="Parquet support is optional: pip install pyarrow")
    import pyarrow.parquet as pq

    cases = tmp_path / "cases.parquet"
    _register(checked, cases, 300, share=0.05)
    parser = argparse.ArgumentParser()
    run.add_run_arguments(parser)
    out = tmp_path / "results.parquet"
    run.population_run(parser.parse_args([str(AMNESTY), "--cases", str(cases), "--out", str(out)]))
    table = pq.read_table(out)
    rejects = _lines(tmp_path / "results.rejects.jsonl")
    assert table.num_rows + len(rejects) == 300
    assert table.column_names == ["id", "amnesty_measure", "charges"]


def _odd_register(checked: ir.Checked, path: Path) -> None:
    """A register with good rows, broken ones, and every kind of line that reads otherwise than it looks."""
    _register(checked, path, 600, share=0.05)
    good = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(good[0])
    odd = [
        "",
        "   ",
        "\r",
        good[1] + "\r",  # a line ending CRLF
        json.dumps({**first, "id": "caf\u00e9 \u0416"}, ensure_ascii=False),
        json.dumps({**first, "id": "caf\u00e9 \u0416"}),  # \u escapes
        json.dumps({**first, "id": "statute-batch-separator"}),
        '{"id": "two values"}, {"id": "on one line"}',
        '{"id": "begins", "charges": [',
        '], "x": 1}',
        "[1, 2]",
        '"text"',
        '{"id": "\\ud800"}',
        json.dumps({**first, "id": None}),
        json.dumps({**first, "id": 17}),
        json.dumps({**first, "id": 'quote " and backslash \\'}),
        "\ufeff" + good[2],
        "{" + '"a": 1, ' * 5000 + '"b": 2}',
        "[" * 50_000 + "]" * 50_000,
    ]
    lines = good[:100] + odd + good[100:300] + odd[::-1] + good[300:]
    path.write_bytes("\n".join(lines).encode("utf-8") + b"\n\xff\xfe not UTF-8\n" + good[-1].encode())


def test_the_fast_path_writes_what_the_row_by_row_path_writes(
    checked: ir.Checked, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = tmp_path / "cases.jsonl"
    _odd_register(checked, cases)
    fast = batch_workers.make_job(checked, "jsonl")
    row_by_row = dataclasses.replace(fast, durations=None)  # process_chunk's general path, a row at a time
    outputs = {}
    runs = [
        ("rows", row_by_row, 1, batch_workers.PIECE),
        ("fast", fast, 1, batch_workers.PIECE),
        ("fast2", fast, 2, 4096),
    ]
    for name, job, workers, piece in [*runs, ("small", fast, 1, 700)]:
        monkeypatch.setattr(batch_workers, "PIECE", piece)
        summary = batch.run_file(job, cases, tmp_path / f"{name}.jsonl", tmp_path / f"{name}.rej.jsonl", workers)
        outputs[name] = (
            (summary.rows, summary.decided, summary.rejected),
            (tmp_path / f"{name}.jsonl").read_bytes(),
            (tmp_path / f"{name}.rej.jsonl").read_bytes(),
        )
    assert outputs["rows"] == outputs["fast"] == outputs["fast2"] == outputs["small"]
    (rows, decided, rejected), _, _ = outputs["rows"]
    assert rows == decided + rejected and rejected > 30
    assert [r["row"] for r in _lines(tmp_path / "rows.rej.jsonl")] == sorted(
        r["row"] for r in _lines(tmp_path / "rows.rej.jsonl")
    )


def test_pieces_cover_the_file_in_whole_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cases.jsonl"
    lines = [b"x" * n + b"\n" for n in (5, 0, 40, 3, 0, 0, 100, 7)] + [b"last, no line feed"]
    path.write_bytes(b"".join(lines))
    monkeypatch.setattr(batch_workers, "PIECE", 16)
    found = []
    for task, reach in batch_workers.tasks(path):
        assert isinstance(task, tuple)
        rows = batch_workers.piece_rows(*task)
        assert reach == task[1] + task[2]
        found += rows
    expected = [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]
    assert found == expected


def test_decisions_shown_otherwise_have_their_own_line() -> None:
    """A case-level duration outcome: the amnesty as it was before it decided each charge (its faulty variant keeps
    the person's new sentence), as the fast JSON Lines path keys only statutes without record outcomes."""
    checked = build.check_file(Path(__file__).parent / "statutes" / "amnesty_faulty_release.statute")
    job = batch_workers.make_job(checked, "jsonl")
    module = build.load_module(checked)
    release = module.AmnestyMeasure.REDUCTION_OF_SENTENCE
    year, days = (module.Decision(release, module.Duration(*parts)) for parts in [(12, 0), (0, 360)])
    assert year == days, "durations compare by their days"
    key = _decision_key(job)
    assert key(year) != key(days) and key(year) == key(module.Decision(release, module.Duration(12, 0)))
    assert key(module.Decision(release, None)) != key(year)
    both = _decision_key(dataclasses.replace(job, columns=("id", "new_sentence"), durations=("new_sentence",)))
    two = dataclasses.replace(job, columns=("id", "new_sentence", "amnesty_measure"), durations=("new_sentence",) * 2)
    assert both(year) != both(days) and _decision_key(two)(year) != _decision_key(two)(days)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_byte_order_mark_before_the_first_row_is_not_part_of_it(
    job: batch_workers.Job, tmp_path: Path, workers: int
) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_bytes(b"\xef\xbb\xbf" + CASES.read_bytes())  # as Notepad saves "UTF-8 with BOM"
    summary = batch.run_file(job, cases, tmp_path / "out.jsonl", tmp_path / "rejects.jsonl", workers)
    assert (summary.rows, summary.decided, summary.rejected) == (150, 150, 0)
    first = json.loads(CASES.read_text(encoding="utf-8").splitlines()[0])
    assert _lines(tmp_path / "out.jsonl")[0]["id"] == first["id"]


@pytest.mark.parametrize("workers", [1, 2])
def test_no_row_of_the_results_or_rejects_reads_as_two_lines(
    job: batch_workers.Job, tmp_path: Path, workers: int
) -> None:
    first, second = (json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines()[:2])
    odd_ids = ["line\u2028separator", "paragraph\u2029separator", "next\x85line"]
    rows = [{**first, "id": i} for i in odd_ids] + [{**second, "id": i + " bad", "age_at_act": "x"} for i in odd_ids]
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")  # \u escapes: one line each
    summary = batch.run_file(job, cases, tmp_path / "out.jsonl", tmp_path / "rejects.jsonl", workers)
    assert (summary.decided, summary.rejected) == (3, 3)
    for name, expected in (("out.jsonl", odd_ids), ("rejects.jsonl", [i + " bad" for i in odd_ids])):
        lines = (tmp_path / name).read_text(encoding="utf-8").splitlines()  # splits at U+2028, U+2029 and U+0085 too
        assert [json.loads(line)["id"] for line in lines] == expected
