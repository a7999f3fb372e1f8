"""The percentage type end to end (issue 13's worked example of a new type kind), one test or more per stage.

tests/statutes/income_tax_rate.statute takes a rate of money, compares percentages, adds and reduces them. A
percentage is exact (15% is 3/20), written as the drafter writes it ("15%", "12.5%", never 0.15) in case files
(JSON, CSV and Parquet alike: the text "15%"), in results, explanations (en and ru), proofs, reports and diffs.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from statute_snippets import VOCABULARY, checked, the_error

from compiler.check.check import check
from compiler.commands.cli import main
from compiler.driver.build import load_module
from compiler.frontend.parse import parse_file
from compiler.interpret.decide import decide
from compiler.model import ir
from compiler.model.kinds import Kind

ROOT = Path(__file__).resolve().parent
STATUTE = ROOT / "statutes" / "income_tax_rate.statute"
CASE = {"income": "1234.56", "disability_degree": "50%", "municipal_surcharge": "1.25%"}
DECIDED = {"tax_rate": "13.75%", "tax": "169.75"}
RATE = "  - rate: percentage from 0% to 50%.\n"


@pytest.fixture(scope="module")
def statute() -> ir.Checked:
    return check(parse_file(STATUTE))


# ------------------------------------------------------------------ compile: the checker


def test_a_percentage_field_literal_and_parameter_are_exact_percentages() -> None:
    result = checked("Parameter the threshold: 12.5%.\n", VOCABULARY.replace("  - rate: decimal;\n", RATE[:-2] + ";\n"))
    (threshold,) = (p for p in result.parameters if "threshold" in p.ident.lower())
    assert (threshold.type, threshold.value) == (ir.PERCENTAGE, Fraction(1, 8))
    assert result.record("Person").field("rate").type.kind is Kind.PERCENTAGE


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("the gain times 15% rounded down to whole cents", Kind.MONEY),  # a share of money is money
        ("15% plus 2.5%", Kind.PERCENTAGE),  # percentages add up
        ("15% times 50%", Kind.PERCENTAGE),  # a share of a share
        ("the age times 15%", Kind.NUMBER),  # of a number, a number
        ("15% divided by 5%", Kind.NUMBER),  # a ratio
    ],
)
def test_arithmetic_with_percentages(value: str, kind: Kind) -> None:
    declared = "decimal" if kind is Kind.NUMBER else kind.value
    body = f"Definition the figure: {declared}.\nRule: the figure is {value}.\n"
    if kind is Kind.MONEY:
        body = f"Rule: the limit is {value}.\n"
    result = checked(body)
    rule = next(r for d in result.definitions for r in d.rules)
    assert rule.value.type.kind is kind


def test_money_times_a_percentage_must_be_rounded() -> None:
    assert "say how to round it" in the_error("Rule: the limit is the gain times 15%.\n").message


def test_a_percentage_is_compared_with_a_percentage_or_a_number_but_not_with_money() -> None:
    checked("Rule: the person is covered if 15% is at least 0.1 and 15% is less than 20%.\n")
    assert (
        "cannot compare a percentage with an amount of money"
        in the_error("Rule: the person is covered if 15% is at least the gain.\n").message
    )


def test_a_number_is_not_a_percentage() -> None:
    """0.15 where a percentage is wanted would be read by a drafter as 0.15%: the checker refuses it."""
    vocabulary = VOCABULARY + "Definition the share: percentage.\n"
    assert (
        the_error("Rule: the share is 0.15.\n", vocabulary).message
        == "'share' is a percentage, but this rule gives a number"
    )


# ------------------------------------------------------------------ run: the module and the interpreter


def test_the_module_and_the_interpreter_decide_and_write_percentages(statute: ir.Checked) -> None:
    module = load_module(statute)
    assert module.decision_as_dict(module.decide(module.load_case(CASE))) == DECIDED
    assert decide(statute, CASE) == DECIDED


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("0.5", 'expected a percentage such as "15%" or "12.5%", not \'0.5\''),  # 0.5% or 50%? refused
        (50, 'expected a percentage such as "15%" or "12.5%", not 50'),
        ("150%", "must be from 0% to 100%, not 150%"),
    ],
)
def test_a_case_gives_a_percentage_as_text(statute: ir.Checked, given: object, reason: str) -> None:
    module = load_module(statute)
    with pytest.raises(module.CaseError, match=re.escape(reason)):
        module.load_case({**CASE, "disability_degree": given})


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_run_reads_percentages_from_every_case_file_form(tmp_path: Path, suffix: str) -> None:
    pytest.importorskip("pyarrow")
    cases = tmp_path / f"cases{suffix}"
    assert main(["synth", str(STATUTE), "--n", "30", "--out", str(cases)]) == 0
    out = tmp_path / "results.jsonl"
    assert main(["run", str(STATUTE), "--cases", str(cases), "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 30 and all(re.fullmatch(r"[0-9]+(\.[0-9]+)?%", row["tax_rate"]) for row in rows)
    interpreted = tmp_path / "interpreted.jsonl"
    main(["run", str(STATUTE), "--cases", str(cases), "--out", str(interpreted), "--engine", "interpreter"])
    assert interpreted.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")


# ------------------------------------------------------------------ schema and synth


def test_the_schema_asks_for_percentage_texts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", str(STATUTE)]) == 0
    field = json.loads(capsys.readouterr().out)["properties"]["disability_degree"]
    assert field["type"] == "string" and field["description"] == "disability degree (from 0% to 100%)"
    assert re.fullmatch(field["pattern"].strip("^$"), "12.5%") and not re.search(field["pattern"], "0.125")


def test_synth_draws_percentages_within_the_bounds(tmp_path: Path, statute: ir.Checked) -> None:
    out = tmp_path / "cases.jsonl"
    assert main(["synth", str(STATUTE), "--n", "50", "--out", str(out)]) == 0
    module = load_module(statute)
    for line in out.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        assert case["disability_degree"].endswith("%")
        assert 0 <= module.load_case(case).disability_degree <= 1


# ------------------------------------------------------------------ explain, prove, test, report, diff


@pytest.mark.parametrize(("lang", "shown"), [("en", "13.75%"), ("ru", "13,75%")])
def test_explanations_write_percentages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, shown: str
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    assert main(["explain", str(STATUTE), "--case", str(case), "--lang", lang]) == 0
    text = capsys.readouterr().out
    assert f"tax rate: {shown}" in text and ("(7,5%)" if lang == "ru" else "(7.5%)") in text
    assert "0.1375" not in text and "0,1375" not in text


def test_the_prover_proves_with_percentages_and_shows_a_counterexample_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("z3")
    text = STATUTE.read_text(encoding="utf-8")
    broken = tmp_path / "broken.statute"
    broken.write_text(text.replace("is at least 50% then", "is at least 40% then"), encoding="utf-8")
    main(["prove", str(broken)])
    report = capsys.readouterr().out
    assert "PROVED      The rate never exceeds 25%" in report
    assert "FAILS       Relief lowers the rate" in report and '"disability_degree": "4' in report


def test_the_property_tests_draw_percentages(tmp_path: Path, statute: ir.Checked) -> None:
    from compiler.backends.python.properties import property_tests_source

    assert '"municipal_surcharge": percentages(Fraction(0), Fraction(1, 20), 4, ' in property_tests_source(statute)
    assert main(["test", str(STATUTE), "--examples", "100"]) == 0


def test_report_and_diff_write_parameters_as_percentages(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.jsonl"
    main(["synth", str(STATUTE), "--n", "20", "--out", str(cases)])
    summary = tmp_path / "report.md"
    assert (
        main(
            [
                "report",
                str(STATUTE),
                "--cases",
                str(cases),
                "--out",
                str(tmp_path / "r.html"),
                "--markdown",
                str(summary),
            ]
        )
        == 0
    )
    assert "<td>standard rate</td><td>20%</td>" in (tmp_path / "r.html").read_text(encoding="utf-8")
    amended = tmp_path / "amended.statute"
    amended.write_text(STATUTE.read_text(encoding="utf-8").replace("rate: 20%.", "rate: 22.5%."), encoding="utf-8")
    capsys.readouterr()
    main(["diff", str(STATUTE), str(amended), "--cases", str(cases)])
    assert "parameter the standard rate: 20% -> 22.5%" in capsys.readouterr().out
