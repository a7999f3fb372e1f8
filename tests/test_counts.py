"""A count of one is written with the singular ("1 row", never "1 rows") in every summary a command prints.

compiler/foundation/wording.py is the one helper; these tests run each command on one row (one article, one case) and
look for a plural after the count of one anywhere in what it prints or writes."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from compiler.commands import cli
from compiler.driver import build
from compiler.foundation.wording import counted, noun
from compiler.population import batch, diff, report

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
VARIANT = STATUTES / "kz_amnesty_2022_variant.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"
ONE_ARTICLE = (
    "Each case is about a person.\nA person has:\n  - sentence: duration;\n  - age: whole number.\n"
    "Outcome the result: duration.\nArticle 1. Test\nRule: the result is the sentence.\n"
)
# "1 rows", "1 cases", "1 articles", ...: a count of one before a plural noun.
ONE_PLURAL = re.compile(r"(?<![\d,.])1 (rows|cases|articles|rules|outcomes|examples|warnings|explanations)\b")


def _one_row(tmp_path: Path, row: int = 1) -> Path:
    one = tmp_path / "one.jsonl"
    one.write_text(CASES.read_text(encoding="utf-8").splitlines()[row] + "\n", encoding="utf-8")
    return one


def test_counted_agrees_with_the_count() -> None:
    assert [counted(n, "row") for n in (0, 1, 2, 1000)] == ["0 rows", "1 row", "2 rows", "1,000 rows"]
    assert counted(1, "does not", "do not") == "1 does not" and counted(3, "does not", "do not") == "3 do not"
    assert noun(1, "case") == "case" and noun(0, "case") == "cases"


def test_check_counts_one_article_rule_outcome_and_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    statute = tmp_path / "one.statute"
    statute.write_text(ONE_ARTICLE, encoding="utf-8")
    assert cli.main(["check", str(statute)]) == 0
    out = capsys.readouterr().out
    assert "ok: 1 article, 1 rule, 1 outcome, 0 examples, 1 warning" in out
    assert not ONE_PLURAL.search(out)


def test_run_counts_one_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["run", str(AMNESTY), "--cases", str(_one_row(tmp_path))]) == 0
    err = capsys.readouterr().err
    assert "1 case: 1 decided, 0 rejected" in err and not ONE_PLURAL.search(err)


def test_a_population_run_counts_one_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = _one_row(tmp_path)
    assert cli.main(["run", str(AMNESTY), "--cases", str(one), "--out", str(tmp_path / "r.jsonl")]) == 0
    err = capsys.readouterr().err
    assert "1 row: 1 decided, 0 rejected in" in err and not ONE_PLURAL.search(err)


def test_the_progress_line_counts_one_row() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    terminal = Terminal()
    progress = batch.Progress(terminal, 100)
    progress.last = -1.0
    progress.update(1, 0.01)
    assert "1 row " in terminal.getvalue() and not ONE_PLURAL.search(terminal.getvalue())


def test_the_report_counts_one_row(tmp_path: Path) -> None:
    made = report.make_report(build.check_file(AMNESTY), _one_row(tmp_path))
    assert made.tally.reduced_cases == 1, "the register's second case has its sentence reduced"
    summary = report.render(made, "summary.md.j2")
    assert "1 row, 1 decided, 0 rejected." in summary and "over 1 charge)" in summary
    page = report.render(made, "page.html.j2")
    assert "<b>1</b>row in" in page and "over the 1 charge of the decided cases where" in page
    assert not ONE_PLURAL.search(summary) and not ONE_PLURAL.search(page)


def test_the_report_counts_one_rejected_row(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(CASES.read_text(encoding="utf-8").splitlines()[0] + "\nnot json\n", encoding="utf-8")
    page = report.render(report.make_report(build.check_file(AMNESTY), bad), "page.html.j2")
    assert "1 row could not be decided" in page


def test_the_diff_counts_one_case(tmp_path: Path) -> None:
    one = _one_row(tmp_path)
    comparison = diff.compare(diff.load_version(str(AMNESTY)), diff.load_version(str(VARIANT)), one)
    text = diff.markdown(comparison)
    assert re.search(r"^1 case: [01] changes? outcome, [01] (does|do) not\.$", text, re.MULTILINE), text
    assert "1 change outcome" not in text and "1 do not" not in text and not ONE_PLURAL.search(text)


def test_synth_counts_one_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["synth", str(AMNESTY), "--n", "1", "--out", str(tmp_path / "r.jsonl")]) == 0
    assert "wrote 1 case to" in capsys.readouterr().err


def test_the_proof_report_counts_one_of_each() -> None:
    from compiler.prove.report import FAILS, NOT_DONE, Finding, GuaranteeResult, ProofReport, Witness, render_report

    def finding(check: str, status: str) -> Finding:
        return Finding(check, "the measure", ("article_1_rule_1 (Article 1, line 9)",), 9, status, "-", None, 0.0)

    witness = Witness({"age": 3}, True, "released")
    one = ProofReport(
        file="one.statute",
        title="One",
        max_list=3,
        timeout_s=30,
        guarantees=(GuaranteeResult("guarantee_1", "G", ("Article 1",), 9, FAILS, "", witness, 0.0),),
        findings=(
            *(finding(check, "found") for check in ("conflict", "gap", "never applies")),
            finding("gap", NOT_DONE),
            finding("conflict", "none"),
        ),
        seconds=0.0,
        evaluator_note="",
    )
    text = render_report(one)
    assert "Summary: 1 guarantee: 0 proved, 1 fails, 0 not proved, 0 unknown; 1 conflict, 1 gap, " in text
    assert "1 rule that never applies, no undecidable cases, 0 checks not completed;" in text
    assert "NOT DONE: 1 check was not done" in text and "1 further check (conflicts" in text
    assert not ONE_PLURAL.search(text)


def test_diagnostics_past_the_limit_count_one_of_each() -> None:
    from compiler.frontend.diagnostics import Span, error, render_all, warning

    span = Span("one.statute", 1, 1, 1, 2, 0, 1)
    shown = [error("first", span), error("second", span), warning("third", span)]
    text = render_all(shown, "x\n", limit=1)
    assert "... 1 more error and 1 more warning not shown" in text
