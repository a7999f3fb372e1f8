"""Households of persons in roles (docs/language.md, "Households: members in roles"; docs/design/households.md), end
to end: ids on the records of a list, role nouns, the members group, a member's role, and examples naming members.

Tried on tests/statutes/household_benefit.statute (a household of adults and children) and on
tests/statutes/child_benefit.statute (a claimant's children), in every command.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from compiler.commands.cli import main
from compiler.driver.build import load_module
from compiler.interpret.decide import decide
from compiler.model import ir

ROOT = Path(__file__).resolve().parent
CHILD_BENEFIT = ROOT / "statutes" / "child_benefit.statute"
CHILDREN = [
    {"id": "Eille", "name": "Ann", "age": 10, "in_education": False, "disabled": True},
    {"name": "Bob", "age": 22, "in_education": True, "disabled": False},
    {"id": 7, "name": "Cid", "age": 22, "in_education": False, "disabled": False},
]
CLAIM = {"id": "c1", "residence": "resident", "income": "20000", "children": CHILDREN}


def _checked(path: Path) -> ir.Checked:
    from compiler.check.check import check
    from compiler.frontend.parse import parse_file

    return check(parse_file(path))


@pytest.fixture(scope="module")
def child_benefit() -> ir.Checked:
    return _checked(CHILD_BENEFIT)


# ------------------------------------------------------------------ ids on the records of a list


def test_each_records_id_comes_first_in_its_outcomes_in_both_engines(child_benefit: ir.Checked) -> None:
    module = load_module(child_benefit)
    case = {k: v for k, v in CLAIM.items() if k != "id"}
    shown = module.decision_as_dict(module.decide(module.load_case(case)))
    assert shown["children"] == [
        {"id": "Eille", "eligibility": "eligible", "benefit": "350.00"},
        {"eligibility": "eligible", "benefit": "250.00"},
        {"id": 7, "eligibility": "too old", "benefit": "0.00"},
    ]
    assert list(shown["children"][0]) == ["id", "eligibility", "benefit"]
    assert decide(child_benefit, case) == shown


def test_an_id_is_no_fact_and_changes_no_outcome(child_benefit: ir.Checked) -> None:
    module = load_module(child_benefit)
    plain = {**CLAIM, "children": [{k: v for k, v in c.items() if k != "id"} for c in CHILDREN]}
    named = module.decision_as_dict(module.decide(module.load_case(CLAIM)))
    unnamed = module.decision_as_dict(module.decide(module.load_case(plain)))
    assert [{k: v for k, v in r.items() if k != "id"} for r in named["children"]] == unnamed["children"]
    assert all("id" not in r for r in unnamed["children"])


@pytest.mark.parametrize(
    ("children", "problems"),
    [
        (
            [{**CHILDREN[0], "id": "A"}, {**CHILDREN[1], "id": "A"}],
            ["claimant.children[1] (A).id: is the id of children[0] too: each must be its own"],
        ),
        ([{**CHILDREN[0], "id": True}], ["claimant.children[0].id: must be a text or a whole number, not yes"]),
        ([{**CHILDREN[0], "id": 1.5}], ["claimant.children[0].id: must be a text or a whole number, not 1.5"]),
        (
            [{**CHILDREN[0], "id": "Javier", "age": "old"}],
            ["claimant.children[0] (Javier).age: expected a whole number, not 'old'"],
        ),
    ],
)
def test_a_bad_or_repeated_id_is_refused_naming_the_record(
    child_benefit: ir.Checked, children: list[dict[str, object]], problems: list[str]
) -> None:
    module = load_module(child_benefit)
    with pytest.raises(module.CaseError) as caught:
        module.load_case({**CLAIM, "children": children})
    assert [str(p) for p in caught.value.problems] == problems


def test_the_same_id_in_two_lists_is_no_repetition(child_benefit: ir.Checked) -> None:
    module = load_module(child_benefit)
    assert module.load_case({**CLAIM, "children": [{**CHILDREN[0], "id": 1}, {**CHILDREN[1], "id": "1"}]})


@pytest.mark.parametrize("engine", ["module", "interpreter"])
@pytest.mark.parametrize("suffix", ["jsonl", "csv", "parquet"])
def test_results_echo_each_records_id(tmp_path: Path, engine: str, suffix: str) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CLAIM) + "\n", encoding="utf-8")
    out = tmp_path / f"results.{suffix}"
    assert main(["run", str(CHILD_BENEFIT), "--cases", str(cases), "--out", str(out), "--engine", engine]) == 0
    if suffix == "jsonl":
        (row,) = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r.get("id") for r in row["children"]] == ["Eille", None, 7]
    elif suffix == "csv":
        (flat,) = csv.DictReader(io.StringIO(out.read_text()))
        assert json.loads(flat["children.id"]) == ["Eille", None, 7]
        assert list(flat)[3:6] == ["children.id", "children.eligibility", "children.benefit"]
    else:
        import pyarrow.parquet as pq

        (row,) = pq.read_table(out).to_pylist()
        assert [r["id"] for r in row["children"]] == ["Eille", None, "7"]  # one type per column: text


def test_the_schema_lets_a_record_of_a_list_carry_an_id(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", str(CHILD_BENEFIT)]) == 0
    schema = json.loads(capsys.readouterr().out)
    child = schema["$defs"]["Child"]
    assert next(iter(child["properties"])) == "id" and child["properties"]["id"]["type"] == ["string", "integer"]
    assert "id" not in child["required"]


@pytest.mark.parametrize(
    ("fmt", "wanted"),
    [
        ("text", ['benefit of child "Eille": 350.00 EUR', "benefit of child 2 (Bob): 250.00 EUR", 'child "7":']),
        ("markdown", ['**benefit of child "Eille"**: 350.00 EUR']),
        ("html", ["<strong>benefit of child &#34;Eille&#34;</strong>"]),
    ],
)
def test_an_explanation_names_a_record_by_its_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, wanted: list[str]
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CLAIM), encoding="utf-8")
    assert main(["explain", str(CHILD_BENEFIT), "--case", str(case), "--format", fmt]) == 0
    out = capsys.readouterr().out
    for text in wanted:
        assert text in out


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_a_hostile_id_stays_inert_in_explanations(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    hostile = "<script>x</script>\x1b[31m[a](http://e)\n=cmd|' /C calc'!A0"
    case = tmp_path / "case.json"
    case.write_text(json.dumps({**CLAIM, "children": [{**CHILDREN[0], "id": hostile}]}), encoding="utf-8")
    assert main(["explain", str(CHILD_BENEFIT), "--case", str(case), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\n=cmd" not in out and "calc" in out  # shown as data, on its line
    if fmt != "text":
        assert "<script>x" not in out  # no markup
    if fmt == "markdown":
        assert "](http:" not in out  # no link


def test_a_diff_names_a_record_by_its_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = tmp_path / "changed.statute"
    changed.write_text(CHILD_BENEFIT.read_text().replace("age limit: 18.", "age limit: 23."), encoding="utf-8")
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(CLAIM) + "\n", encoding="utf-8")
    assert main(["diff", str(CHILD_BENEFIT), str(changed), "--cases", str(cases)]) == 0
    out = capsys.readouterr().out
    assert 'child "7": eligibility too old -> eligible' in out
    assert 'the eligibility of child "7" is eligible' in out
