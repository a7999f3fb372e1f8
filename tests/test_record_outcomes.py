"""Outcomes that belong to each record of a list (docs/language.md section 6, "Outcomes of each record"), end to end,
on tests/statutes/child_benefit.statute (a benefit decided for each child) and on the snippets' charges.

A record's outcome is declared "Outcome the benefit of a child: ...", concluded by rules about "a child", read by
quantifiers and aggregates ("the number of children where the eligibility is eligible"), and given in the results
under the list's key, in the case's order; an example expects it as "the benefit of child 2 is 250 EUR".
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

import pytest
from statute_snippets import checked, the_error

from compiler.commands.cli import main
from compiler.driver.build import load_module
from compiler.driver.runner import run_examples
from compiler.interpret.decide import decide
from compiler.interpret.examples import example_failures
from compiler.model import ir

ROOT = Path(__file__).resolve().parent
STATUTE = ROOT / "statutes" / "child_benefit.statute"
CASE = {
    "id": "c1",
    "residence": "resident",
    "income": "20000",
    "children": [
        {"name": "Ann", "age": 10, "in_education": False, "disabled": True},
        {"name": "Bob", "age": 22, "in_education": True, "disabled": False},
        {"name": "Cid", "age": 22, "in_education": False, "disabled": False},
    ],
}
DECIDED = {
    "amount_paid": "600.00",
    "eligible_children": 2,
    "children": [
        {"eligibility": "eligible", "benefit": "350.00"},
        {"eligibility": "eligible", "benefit": "250.00"},
        {"eligibility": "too old", "benefit": "0.00"},
    ],
}
MEASURE = (
    "Outcome the charge measure of a charge: one of terminated, reduced, none; by default none.\n"
    "Rule: the charge measure of a charge is terminated if the gravity of the charge is at most medium.\n"
)


@pytest.fixture(scope="module")
def statute() -> ir.Checked:
    from compiler.check.check import check
    from compiler.frontend.parse import parse_file

    return check(parse_file(STATUTE))


# ------------------------------------------------------------------ the checker


def test_a_record_outcome_is_given_under_its_list(statute: ir.Checked) -> None:
    assert statute.outcomes == ("amount_paid", "eligible_children")
    (group,) = statute.record_outcomes
    assert (group.key, group.record) == ("children", "Child")
    assert [o.key for o in group.outcomes] == ["eligibility", "benefit"]
    assert statute.definition(group.outcomes[0].definition).owner == "Child"


@pytest.mark.parametrize(
    "condition",
    [
        "the number of charges where the charge measure is terminated is at least 1",
        "any charge where the charge measure is terminated",
        "every charge where the charge measure of the charge is terminated",
        "no charge where the charge measure is reduced",
    ],
)
def test_quantifiers_and_counts_read_a_record_outcome(condition: str) -> None:
    result = checked(MEASURE + f"Rule: the measure is released if {condition}.\n")
    assert [o.key for g in result.record_outcomes for o in g.outcomes] == ["charge_measure"]


@pytest.mark.parametrize(
    ("condition", "message", "hint"),
    [
        (
            "the charge measure is terminated",
            "is decided for each charge, and no charge is in hand",
            "any charge where",
        ),
        ("the charge measure of any charge is terminated", "is decided for each charge", "the number of charges"),
        ("any charge is terminated", "says when a charge is 'terminated'", "where the charge measure is terminated"),
    ],
)
def test_a_record_outcome_read_without_its_record_is_explained(condition: str, message: str, hint: str) -> None:
    error = the_error(MEASURE + f"Rule: the measure is released if {condition}.\n")
    assert message in error.message and hint in (error.hint or "")


def test_a_record_outcome_needs_a_list_of_that_record() -> None:
    vocabulary = "Each case is about a person.\nA person has:\n  - age: whole number.\nA pet has:\n  - kind: text.\n"
    error = the_error("Outcome the fee of a pet: whole number; by default 0.\n", vocabulary)
    assert "decided for each pet of a list of the case, but a person has no list of pet" in error.message


def test_an_outcome_named_as_the_list_is_refused() -> None:
    error = the_error(MEASURE + "Outcome the charges: whole number; by default 0.\n")
    assert "has the name of the list 'charges'" in error.message


# ------------------------------------------------------------------ examples


def test_an_example_expects_the_outcome_of_each_record(statute: ir.Checked) -> None:
    example = next(e for e in statute.examples if e.title.startswith("Each child is decided"))
    assert [e.element for e in example.expected][:2] == [("children", 0), ("children", 0)]
    assert all(r.passed for r in run_examples(statute, load_module(statute)))
    assert all(not list(example_failures(statute, e)) for e in statute.examples)


def test_an_example_expecting_a_wrong_record_outcome_fails_in_module_and_interpreter(statute: ir.Checked) -> None:
    example = next(e for e in statute.examples if e.title.startswith("Each child is decided"))
    child_2 = example.expected[3]  # the benefit of child 2 is 250 EUR, expected of child 1
    wrong = dataclasses.replace(child_2, element=("children", 0))
    changed = dataclasses.replace(example, expected=(wrong,))
    with_wrong = dataclasses.replace(statute, examples=(changed,))
    (result,) = run_examples(with_wrong, load_module(statute))
    assert result.failures == ("expected benefit of child 1 to be 250, got 350",)
    assert list(example_failures(with_wrong, changed)) == ["expected benefit of child 1 to be 250, got 350"]


@pytest.mark.parametrize(
    ("expectation", "message", "hint"),
    [
        ("the charge measure is terminated", "is decided for each charge: say for which one", "of charge 1 is"),
        (
            "the charge measure of charge 3 is terminated",
            "there is no charge 3: the facts give 2",
            "charge 1, charge 2",
        ),
        ("the gravity measure of charge 1 is terminated", "is not an outcome or definition of a charge", None),
        ("the measure of person 1 is released", "does not name a record of a list of the case", None),
    ],
)
def test_an_expectation_about_a_record_is_checked(expectation: str, message: str, hint: str | None) -> None:
    charge = "(gravity: minor; act date: 5 January 2022; proven: no)"
    facts = (
        'role: civilian; stage: on trial; age: 30; gain: 0 EUR; rate: 1; name: "A"; cooperated: no; '
        f"charges: {charge}, {charge}"
    )
    error = the_error(MEASURE + f'Example "x":\n  Facts: {facts}.\n  Expected: {expectation}.\n')
    assert message in error.message, error.message
    assert hint is None or hint in (error.hint or "")


# ------------------------------------------------------------------ decisions and results


def test_module_and_interpreter_give_each_record_its_outcomes(statute: ir.Checked) -> None:
    module = load_module(statute)
    case = {k: v for k, v in CASE.items() if k != "id"}
    assert module.decision_as_dict(module.decide(module.load_case(case))) == DECIDED
    assert decide(statute, case) == DECIDED


@pytest.mark.parametrize("engine", ["module", "interpreter"])
def test_run_prints_each_records_outcomes(tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CASE) + "\n", encoding="utf-8")
    for fmt in ("jsonl", "csv", "table"):
        main(["run", str(STATUTE), "--cases", str(cases), "--format", fmt, "--engine", engine])
        out = capsys.readouterr().out
        if fmt == "jsonl":
            assert json.loads(out) == {"id": "c1", **DECIDED}
        elif fmt == "csv":
            (row,) = csv.DictReader(io.StringIO(out))
            assert json.loads(row["children.benefit"]) == ["350.00", "250.00", "0.00"]
            assert row["amount_paid"] == "600.00" and "children" not in row
        else:
            assert "children.eligibility" in out and "eligible; eligible; too old" in out


@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_a_population_run_nests_each_records_outcomes(tmp_path: Path, suffix: str) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CASE) + "\n" + json.dumps({**CASE, "id": "c2", "children": []}) + "\n")
    out = tmp_path / f"results.{suffix}"
    assert main(["run", str(STATUTE), "--cases", str(cases), "--out", str(out)]) == 0
    if suffix == "jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
    elif suffix == "csv":
        rows = list(csv.DictReader(io.StringIO(out.read_text())))
        assert json.loads(rows[0]["children.eligibility"]) == ["eligible", "eligible", "too old"]
        assert json.loads(rows[1]["children.eligibility"]) == []
        return
    else:
        import pyarrow.parquet as pq

        rows = pq.read_table(out).to_pylist()
        for record in rows[0]["children"]:  # a column for the records' ids: null where the case gives none
            assert record.pop("id") is None
    assert rows[0] == {"id": "c1", **DECIDED}
    assert rows[1]["children"] == []


# ------------------------------------------------------------------ explanations, reports, diffs


@pytest.mark.parametrize(
    ("lang", "fmt", "wanted"),
    [
        ("en", "text", ["benefit of child 1 (Ann): 350.00 EUR", "Why the eligibility of child 3 (Cid) is too old"]),
        (
            "ru",
            "markdown",
            ["**benefit (child 1 (Ann))**: 350,00 EUR", "Почему «eligibility (child 2 (Bob))» — eligible"],
        ),
        ("en", "html", ['id="why-child_benefit-of-1"', 'id="why-child_benefit-of-3"']),
    ],
)
def test_the_explanation_says_which_record_got_what_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, fmt: str, wanted: list[str]
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({k: v for k, v in CASE.items() if k != "id"}), encoding="utf-8")
    assert main(["explain", str(STATUTE), "--case", str(case), "--format", fmt, "--lang", lang]) == 0
    out = capsys.readouterr().out
    for text in wanted:
        assert text in out
    if fmt == "text":  # the disabled child's own rule, with its conditions
        why = out.split("Why the benefit of child 1 (Ann) is 350.00 EUR")[1].split("Why the eligibility of child 2")[0]
        assert "the basic amount plus the disability supplement" in why and "✓ the child is disabled" in why


def _register(tmp_path: Path) -> Path:
    cases = tmp_path / "cases.jsonl"
    rows = [{**CASE, "id": f"c{i}", "children": CASE["children"][: i % 4]} for i in range(6)]  # type: ignore[index]
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return cases  # 0+1+2+3+0+1 = 7 children: 6 eligible, 1 too old


def test_the_report_counts_the_records_as_well_as_the_cases(tmp_path: Path) -> None:
    summary = tmp_path / "report.md"
    cases = _register(tmp_path)
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
    text = summary.read_text(encoding="utf-8")
    table = text.split("## Children by eligibility (all 7 in the decided cases)")[1].split("##")[0]
    assert (
        "| children | share |" in table and "| eligible | 6 | 85.7% |" in table and "| too old | 1 | 14.3% |" in table
    )


def test_the_diff_shows_each_records_changes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = tmp_path / "changed.statute"
    changed.write_text(STATUTE.read_text().replace("age limit: 18.", "age limit: 23."), encoding="utf-8")
    assert main(["diff", str(STATUTE), str(changed), "--cases", str(_register(tmp_path))]) == 0
    out = capsys.readouterr().out
    assert "child 3: eligibility too old -> eligible; child 3: benefit higher" in out
    assert "the eligibility of child 3 is too old" in out and "the eligibility of child 3 is eligible" in out
