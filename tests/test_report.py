"""The impact report (compiler.population.report): exact figures from traces, a self-contained page, and a real
browser."""

from __future__ import annotations

import argparse
import collections
import re
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from compiler.commands import report as report_commands
from compiler.driver import build
from compiler.model import ir
from compiler.population import report
from compiler.population.casefiles import case_data, read_rows, root_types

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"
BAD_ROWS = Path(__file__).parent / "data" / "amnesty_bad_rows.jsonl"


@pytest.fixture(scope="module")
def checked() -> ir.Checked:
    return build.check_file(AMNESTY)


@pytest.fixture(scope="module")
def amnesty_report(checked: ir.Checked) -> report.Report:
    return report.make_report(checked, CASES)


def test_the_figures_match_a_case_by_case_count(checked: ir.Checked, amnesty_report: report.Report) -> None:
    module = build.load_module(checked)
    measures: collections.Counter[str] = collections.Counter()
    charges: collections.Counter[str] = collections.Counter()
    removed = Fraction(0)
    for number, raw in read_rows(CASES):
        _, data = case_data(number, raw, root_types(checked))
        assert isinstance(data, dict)
        case = module.load_case(data)
        decision = module.decide(case)
        measures[decision.amnesty_measure.text] += 1
        for charge, decided in zip(case.charges, decision.charges, strict=True):  # each charge's sentence
            if charge.sentence is not None and decided.new_sentence is not None:
                removed += Fraction(charge.sentence.months - decided.new_sentence.months, 12)
                removed += Fraction(charge.sentence.days - decided.new_sentence.days) / Fraction(36525, 100)
            charges[decided.charge_measure.text] += 1
    tally = amnesty_report.tally
    assert tally.values["amnesty_measure"] == measures
    assert tally.record_values["charges.charge_measure"] == charges
    assert tally.reduced_years == removed and removed > 100
    assert sum(tally.deciding["amnesty_measure"].values()) == amnesty_report.summary.decided == 150
    assert sum(tally.deciding["charge_measure"].values()) == tally.records["charges"] == charges.total() > 150


def test_the_deciding_article_is_read_from_the_trace(amnesty_report: report.Report) -> None:
    """Each charge's measure is decided by the article of its own gravity and stage, or Article 5; the person's by
    Article 9, which reads the charges'."""
    charts = {c.title.split(" (all ")[0]: c for c in amnesty_report.charts}
    by_article = {b.label: b.count for b in charts["Article that decided the charge measure of each charge"].bars}
    by_measure = {b.label: b.count for b in charts["Charges by charge measure"].bars}
    person = {b.label: b.count for b in charts["Article that decided the amnesty measure"].bars}
    assert person == {"Article 9": 150}
    assert by_article["Article 5"] == by_measure["excluded"]
    assert by_article[report.DEFAULT] == by_measure["outside the amnesty"]
    assert by_article["Article 2"] + by_article["Article 4"] + by_article["Article 3"] == sum(
        by_measure[m]
        for m in (
            "criminal case terminated",
            "released from punishment",
            "conviction expunged",
            "reduction of sentence",
            "reduction at sentencing",
        )
    )
    exceptions = charts["Exceptions that applied to charges"].bars
    relapse = next(b for b in exceptions if "relapse" in b.detail)
    assert relapse.count > 0 and relapse.label == "Article 5, rule 4"
    [person_excluded] = charts["Exceptions that applied"].bars
    assert person_excluded.label == "Article 9, rule 2" and person_excluded.count == person_excluded_cases(charts)


def person_excluded_cases(charts: dict[str, report.Chart]) -> int:
    return next(b.count for b in charts["Cases by amnesty measure"].bars if b.label == "excluded")


def test_workers_give_the_same_figures(checked: ir.Checked, amnesty_report: report.Report) -> None:
    parallel = report.make_report(checked, CASES, workers=2)
    assert parallel.tally.values == amnesty_report.tally.values
    assert parallel.tally.deciding == amnesty_report.tally.deciding
    assert parallel.tally.applied == amnesty_report.tally.applied
    assert parallel.tally.reduced_years == amnesty_report.tally.reduced_years


def test_the_page_is_self_contained(amnesty_report: report.Report) -> None:
    page = report.render(amnesty_report, "page.html.j2")
    assert page.startswith("<!DOCTYPE html>") and page.count("<svg") == len(amnesty_report.charts) == 13
    assert "<script" not in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "@import" not in page and "url(" not in page
    assert "Impact of On Amnesty in connection with the events of January 2022" in page
    assert "released from punishment" in page


def test_the_page_escapes_the_drafters_words(tmp_path: Path) -> None:
    statute = tmp_path / "tricky.statute"
    statute.write_text(
        'Title: "Rules <script>alert(1)</script> & more".\nEach case is about a person.\n'
        "A person has:\n  - age: whole number from 0 to 120.\n"
        "Outcome the status: one of child, adult; by default child.\n\n"
        "Article 1. Adults <b>bold</b>\nRule: the status is adult if the age is at least 18.\n",
        encoding="utf-8",
    )
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"age": 30}\n{"age": 3}\n', encoding="utf-8")
    page = report.render(report.make_report(build.check_file(statute), cases), "page.html.j2")
    assert "<script>" not in page and "&lt;script&gt;" in page and "&amp; more" in page
    assert "<b>bold</b>" not in page


def test_rejected_rows_are_counted_and_shown(checked: ir.Checked) -> None:
    bad = report.make_report(checked, BAD_ROWS)
    assert (bad.summary.rows, bad.summary.decided, bad.summary.rejected) == (12, 8, 4)
    page = report.render(bad, "page.html.j2")
    assert "Rejected rows" in page and "person.charges[0].gravity" in page
    summary = report.render(bad, "summary.md.j2")
    assert "12 rows, 8 decided, 4 rejected (3 invalid, 1 unreadable)" in summary


def test_the_report_command_writes_the_page_and_prints_markdown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    parser = argparse.ArgumentParser()
    report_commands.add_report_arguments(parser)
    out, md = tmp_path / "report.html", tmp_path / "summary.md"
    args = parser.parse_args([str(AMNESTY), "--cases", str(CASES), "--out", str(out), "--markdown", str(md)])
    assert report_commands.report_command(args) == 0
    printed = capsys.readouterr().out
    assert printed == md.read_text(encoding="utf-8")
    assert "## Cases by amnesty measure" in printed and "| released from punishment |" in printed
    assert "Years of sentence removed: **" in printed
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_a_real_browser_shows_the_decisions(amnesty_report: report.Report, tmp_path: Path) -> None:
    browser = shutil.which("chromium")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install chromium): the page was not checked in a browser")
    page = tmp_path / "report.html"
    page.write_text(report.render(amnesty_report, "page.html.j2"), encoding="utf-8")
    command = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--dump-dom",
        page.as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "Cases by amnesty measure" in dom
    assert "released from punishment" in dom and "excluded" in dom
    assert dom.count("<rect") >= 7 and "years of sentence removed" in dom
