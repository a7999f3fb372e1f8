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


# ------------------------------------------------------------------ roles, groups, a member's role

HOUSEHOLD = ROOT / "statutes" / "household_benefit.statute"
VOCABULARY = """\
Each case is about a household.
A household has:
  - month: date;
  - adults: list of person, each an adult;
  - children: list of person, each a child;
  - vehicles: list of vehicle;
  - members: the adults and the children, each a member.
A person has:
  - age: whole number;
  - salary: money.
A vehicle has:
  - value: money.
"""
FAMILY = {
    "id": "h1",
    "month": "2017-01-01",
    "adults": [
        {"id": "Phil", "birth_date": "1981-01-15", "salary": "250", "disabled": False},
        {"id": "Saz", "birth_date": "1982-01-15", "salary": "250", "disabled": False},
    ],
    "children": [{"id": "Eille", "birth_date": "2012-01-15", "salary": "0", "disabled": True}],
}
FAMILY_DECIDED = {
    "household_income": "500.00",
    "parenting_allowance": "500.00",
    "eldest_age": 35,
    "members_with_income": 2,
    "adults": [
        {"id": "Phil", "age": 35, "basic_income": "600.00", "entitlement": "basic income"},
        {"id": "Saz", "age": 34, "basic_income": "600.00", "entitlement": "basic income"},
    ],
    "children": [{"id": "Eille", "age": 4, "basic_income": "150.00", "entitlement": "child supplement"}],
}


def _errors(body: str, vocabulary: str = VOCABULARY) -> list[tuple[str, str | None]]:
    from compiler.check.check import check
    from compiler.frontend.diagnostics import StatuteError
    from compiler.frontend.parse import parse

    try:
        check(parse(vocabulary + body, "test.statute"))
    except StatuteError as exc:
        return [(d.message, d.hint) for d in exc.diagnostics if d.severity.value == "error"]
    return []


@pytest.fixture(scope="module")
def household() -> ir.Checked:
    return _checked(HOUSEHOLD)


def test_a_role_has_its_noun_and_a_group_its_roles(household: ir.Checked) -> None:
    root = household.record(household.root)
    assert (root.field("adults").member, root.field("children").member) == ("adult", "child")
    (group,) = root.groups
    assert (group.ident, group.member, group.roles, group.record) == (
        "members",
        "member",
        ("adults", "children"),
        "Person",
    )
    assert "members" not in [f.ident for f in root.fields]  # no fact
    assert [g.key for g in household.record_outcomes] == ["adults", "children"]


@pytest.mark.parametrize(
    "rule",
    [
        "Rule: the x is yes if any adult where the age of the adult is less than 6.",
        "Rule: the x is yes if every child where the age of the child is less than 18.",
        "Rule: the x is yes if no child is a member.",
        "Rule: the x is yes if the number of children is 2 and the number of adults where the age is at least 18 is 1.",
        "Rule: the x is yes if the greatest age among the children is less than 6.",
        "Rule: the x is yes if any member where (the member is a child and the age of the member is 3).",
        "Rule: the x is yes if the total salary among the members is at least 10 EUR.",
        "Rule: the x is yes if any adults where the age of the person is 30.",  # named as before: by the list
    ],
)
def test_a_role_and_a_group_are_read_by_quantifiers_counts_and_aggregates(rule: str) -> None:
    assert _errors("Outcome the x: yes or no; by default no.\n" + rule) == []


@pytest.mark.parametrize(
    ("body", "message", "hint"),
    [
        (
            "Rule: the x is yes if any person where the age of the person is 3.",
            "'person' names the members of adults and of children",
            "say 'any adult', 'any child' or 'any member'",
        ),
        (
            "Rule: the x is yes if any vehicle where the vehicle is a child.",
            "a vehicle is never a child: those are persons",
            None,
        ),
    ],
)
def test_a_person_in_two_roles_must_be_named_by_role(body: str, message: str, hint: str | None) -> None:
    assert _errors("Outcome the x: yes or no; by default no.\n" + body) == [(message, hint)]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("each a child;", "each an adult;"),
            "'adult' already names one of the adults: a role's noun must be a word of its own",
        ),
        (
            ("each a child;", "each a person;"),
            "'person' is the name of a kind of record: a role's noun must be a word of its own",
        ),
        (("each a child;", "each a month;"), "'month' is the name of a fact: a role's noun must be a word of its own"),
        (
            ("the adults and the children", "the adults and the vehicles"),
            "adults hold persons but vehicles hold vehicles: members must be of one kind",
        ),
        (("the adults and the children", "the adults and the kids"), "'kids' is not a list of a household"),
        (("the adults and the children", "the adults and the adults"), "'adults' is named twice in this group"),
        (
            ("each a member.", "each a member, optional."),
            "'members' is a group of roles, never given: it cannot be optional",
        ),
    ],
)
def test_a_role_or_group_that_cannot_be_is_refused(change: tuple[str, str], message: str) -> None:
    vocabulary = VOCABULARY.replace(*change)
    assert vocabulary != VOCABULARY
    found = _errors("Outcome the x: money.\nRule: the x is the total salary among the adults.", vocabulary)
    assert [m for m, _ in found] == [message]


def test_module_and_interpreter_decide_each_member_in_its_role(household: ir.Checked) -> None:
    module = load_module(household)
    case = {k: v for k, v in FAMILY.items() if k != "id"}
    assert module.decision_as_dict(module.decide(module.load_case(case))) == FAMILY_DECIDED
    assert decide(household, case) == FAMILY_DECIDED


@pytest.mark.parametrize("engine", ["module", "interpreter"])
def test_the_greatest_among_the_members_is_undecided_only_when_every_role_is_empty(
    household: ir.Checked, engine: str
) -> None:
    """'the eldest age is the greatest age among the members': from the children when there is no adult."""
    only_children = {**FAMILY, "adults": []}
    module = load_module(household)

    def eldest(case: dict[str, object]) -> object:
        if engine == "interpreter":
            return decide(household, case)["eldest_age"]
        return module.decision_as_dict(module.decide(module.load_case(case)))["eldest_age"]

    assert eldest(only_children) == 4
    assert eldest({**FAMILY, "children": []}) == 35
    assert eldest({**FAMILY, "adults": [], "children": []}) is None


def test_a_members_role_decides_the_role_test(household: ir.Checked) -> None:
    """'the person is an adult': a child of 20 gets no basic income, an adult of 20 does (the same facts)."""
    person = {"birth_date": "1997-01-01", "salary": "0", "disabled": False}
    swapped = {**FAMILY, "adults": [person], "children": [dict(person)]}
    module = load_module(household)
    for shown in (decide(household, swapped), module.decision_as_dict(module.decide(module.load_case(swapped)))):
        assert [r["basic_income"] for r in shown["adults"]] == ["600.00"]
        assert [r["basic_income"] for r in shown["children"]] == ["0.00"]


def test_members_is_no_fact_of_a_case(household: ir.Checked, capsys: pytest.CaptureFixture[str]) -> None:
    module = load_module(household)
    with pytest.raises(module.CaseError) as caught:
        module.load_case({**FAMILY, "members": []})
    assert [str(p) for p in caught.value.problems] == ["household.members: is not a field of this record"]
    assert main(["schema", str(HOUSEHOLD)]) == 0
    assert "members" not in json.loads(capsys.readouterr().out)["properties"]


def test_synthetic_cases_never_give_the_members(tmp_path: Path) -> None:
    out = tmp_path / "cases.jsonl"
    assert main(["synth", str(HOUSEHOLD), "--n", "30", "--out", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 30 and all("members" not in r and "adults" in r and "children" in r for r in rows)


@pytest.mark.parametrize(
    ("fmt", "wanted"),
    [
        (
            "text",
            [
                'adult "Phil": ✗',
                'child "Eille": ✓',
                "✓ the age of the member (4) is less than 6",
                'Why the basic income of child "Eille" is 150.00 EUR',
                "✓ the person is a child",
                "✗ the person is a child",  # why an adult does not get the child supplement
                # a change that changes a member's outcome only, said
                'Had the child "Eille" not been disabled, the basic income of child "Eille" would have been 0.00 EUR'
                " instead of 150.00 EUR",
            ],
        ),
        ("markdown", ['**basic income of adult "Saz"**: 600.00 EUR']),
        ("html", ['id="why-person_basic_income-of-1-in-children"', 'id="why-person_basic_income-of-1-in-adults"']),
    ],
)
def test_an_explanation_names_each_member_by_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str, wanted: list[str]
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(FAMILY), encoding="utf-8")
    assert main(["explain", str(HOUSEHOLD), "--case", str(case), "--format", fmt]) == 0
    out = capsys.readouterr().out
    for text in wanted:
        assert text in out
    assert "person 1" not in out and 'person "' not in out


def test_an_explanation_in_russian_keeps_the_drafters_nouns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    plain = {**FAMILY, "adults": [{k: v for k, v in a.items() if k != "id"} for a in FAMILY["adults"]]}  # type: ignore[attr-defined]
    case.write_text(json.dumps(plain), encoding="utf-8")
    assert main(["explain", str(HOUSEHOLD), "--case", str(case), "--format", "text", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "basic income (adult 2)" in out and 'basic income (child "Eille")' in out


def test_a_diff_names_each_member_by_role(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    changed = tmp_path / "changed.statute"
    changed.write_text(HOUSEHOLD.read_text().replace("child supplement: 150 EUR", "child supplement: 200 EUR"))
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(FAMILY) + "\n", encoding="utf-8")
    assert main(["diff", str(HOUSEHOLD), str(changed), "--cases", str(cases)]) == 0
    out = capsys.readouterr().out
    assert 'child "Eille": basic income higher' in out


def test_a_report_counts_each_role(tmp_path: Path) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps(FAMILY) + "\n" + json.dumps({**FAMILY, "id": "h2", "children": []}) + "\n")
    summary = tmp_path / "report.md"
    args = [
        "report",
        str(HOUSEHOLD),
        "--cases",
        str(cases),
        "--out",
        str(tmp_path / "r.html"),
        "--markdown",
        str(summary),
    ]
    assert main(args) == 0
    text = summary.read_text(encoding="utf-8")
    adults = text.split("## Adults by entitlement (all 4 in the decided cases)")[1].split("##")[0]
    children = text.split("## Children by entitlement (all 1 in the decided cases)")[1].split("##")[0]
    assert "| basic income | 4 | 100.0% |" in adults and "| child supplement | 1 | 100.0% |" in children


# ------------------------------------------------------------------ the prover


def test_the_prover_walks_the_members_and_pins_a_witness_as_role_arrays(tmp_path: Path) -> None:
    from compiler.commands.prove import confirmer
    from compiler.prove.prover import prove

    statute = tmp_path / "household.statute"
    statute.write_text(
        HOUSEHOLD.read_text()
        + '\nGuarantee "No child gets the child supplement" (Article 2):\n'
        + "  no child where the basic income of the child is the child supplement.\n"
        + '\nGuarantee "The members with income are at most the adults" (Article 1):\n'
        + "  the members with income is at most the number of adults.\n",
        encoding="utf-8",
    )
    checked = _checked(statute)
    report = prove(checked, max_list=3, timeout_s=30, confirmer=confirmer(checked))
    verdicts = {g.title: g for g in report.guarantees}
    assert verdicts["A child never receives the basic income amount"].status == "proved"
    assert verdicts["Nothing for a household above the ceiling"].status == "proved"
    supplement = verdicts["No child gets the child supplement"].witness
    assert verdicts["No child gets the child supplement"].status == "fails" and supplement is not None
    assert supplement.confirmed and "members" not in supplement.case
    children = supplement.case["children"]
    assert isinstance(children, list) and any(c["disabled"] for c in children)
    income = verdicts["The members with income are at most the adults"].witness
    assert income is not None and income.confirmed
    assert isinstance(income.case["children"], list) and len(income.case["children"]) >= 1


# ------------------------------------------------------------------ examples naming members


def test_an_example_names_members_and_expects_their_values(household: ir.Checked) -> None:
    first = household.examples[0]
    assert [a.get("id") for a in first.case["adults"]] == ["Phil", "Saz"]  # type: ignore[union-attr]
    named = {(e.definition, e.element) for e in first.expected if e.element is not None}
    assert ("person_age", ("children", 0)) in named and ("person_basic_income", ("adults", 1)) in named
    assert main(["test", str(HOUSEHOLD)]) == 0


@pytest.mark.parametrize(
    ("facts", "expectation", "message"),
    [
        (
            'children: "Eille" (age: 4; salary: 0 EUR)',
            'the x of the child "Bob" is yes',
            "no child is named \"Bob\" in 'children'",
        ),
        (
            'children: "Eille" (age: 4; salary: 0 EUR)',
            "the x of child 2 is yes",
            "there is no child 2: the facts give 1 in 'children'",
        ),
        (
            'children: "A" (age: 4; salary: 0 EUR), "A" (age: 5; salary: 0 EUR)',
            "the x of child 1 is yes",
            'two of the children are named "A"',
        ),
        (
            'children: "Eille" (age: 4; salary: 0 EUR)',
            "the x of person 1 is yes",
            "a household has 2 lists of person: which one is meant?",
        ),
        (
            "children: none; members: (age: 4; salary: 0 EUR)",
            "the x of adult 1 is yes",
            "'members' is a group of roles, not a fact: give the records of 'adults' and 'children'",
        ),
    ],
)
def test_an_example_naming_a_member_wrongly_is_refused(facts: str, expectation: str, message: str) -> None:
    body = (
        "Outcome the x of a person: yes or no; by default no.\n"
        "Rule: the x of a person is yes if the person is a child.\n"
        f'Example "e":\n  Facts: month: 1 January 2020; adults: none; vehicles: none; {facts}.\n'
        f"  Expected: {expectation}.\n"
    )
    assert [m for m, _ in _errors(body)] == [message]


def test_an_example_expecting_a_wrong_member_value_fails(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    wrong = tmp_path / "wrong.statute"
    wrong.write_text(
        HOUSEHOLD.read_text().replace('the age of the child "Eille" is 4', 'the age of the child "Eille" is 5')
    )
    assert main(["test", str(wrong)]) == 1
    out = capsys.readouterr().out
    assert 'age of child "Eille"' in out and "5" in out


def test_the_documented_household_checks_and_decides() -> None:
    """docs/language.md's household (section 6, "Households: members in roles") is a statute that works."""
    from compiler.check.check import check
    from compiler.frontend.parse import parse

    docs = (ROOT.parent / "docs" / "language.md").read_text(encoding="utf-8")
    source = docs.split("### Households: members in roles")[1].split("```statute\n")[1].split("```")[0]
    checked = check(parse(source, "households.statute"))
    person = {"birth_date": "2015-03-01", "salary": "0", "disabled": False}
    case = {
        "month": "2017-01-01",
        "adults": [{**person, "birth_date": "1980-01-01", "salary": "900"}],
        "children": [person],
    }
    module = load_module(checked)
    shown = module.decision_as_dict(module.decide(module.load_case(case)))
    assert shown == decide(checked, case)
    assert (shown["household_income"], shown["parenting_allowance"]) == ("900.00", "500.00")
    assert [a["basic_income"] for a in shown["adults"]] == ["600.00"]


def test_the_grammar_reads_roles_groups_and_named_records() -> None:
    from compiler.frontend import syntax as s
    from compiler.frontend.parse import parse

    statute = parse(
        "Each case is about a household.\n"
        "A household has:\n"
        "  - kind: one of single, each other, couple;\n"  # ', each' inside an enumeration stays a value
        "  - adults: list of person, each an adult, optional;\n"
        "  - children: list of person;\n"
        "  - members: the adults and the children, each a member;\n"
        "  - everyone: the adults, the children.\n"
        "A person has:\n  - age: whole number.\n"
        'Example: Facts: kind: single; adults: "Phil" (age: 30), 7 (age: 2); children: none.\n'
        '  Expected: the x of the adult "Phil" is 1; conflict in the x of adult 2.\n',
        "t.statute",
    )
    record = next(st for st in statute.statements if isinstance(st, s.RecordDecl))
    kind, adults, _, members, everyone = (f.type for f in record.fields)
    assert isinstance(kind, s.EnumType) and [v.text for v in kind.values] == ["single", "each other", "couple"]
    assert isinstance(adults, s.ListType) and adults.member is not None and adults.member.text == "adult"
    assert record.fields[1].optional
    assert isinstance(members, s.MembersType) and [r.text for r in members.roles] == ["adults", "children"]
    assert members.member is not None and members.member.text == "member"
    assert isinstance(everyone, s.MembersType) and everyone.member is None
    example = next(st for st in statute.statements if isinstance(st, s.Example))
    named = example.facts[1].value.value
    assert isinstance(named, tuple)
    assert [(f.name.text, f.value.value) for f in named[0][:1]] == [("id", s.TextLit("Phil", named[0][0].span))]
    first, second = example.expectations
    assert (first.named, first.number, second.named, second.number) == ("Phil", None, None, 2)


@pytest.mark.parametrize("fmt", ["table", "csv", "jsonl"])
def test_a_hostile_id_stays_inert_in_results(tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    cases = tmp_path / "cases.jsonl"
    hostile = "=1+1\x1b[31m<b>\r\n"
    cases.write_text(json.dumps({**CLAIM, "children": [{**CHILDREN[0], "id": hostile}]}) + "\n", encoding="utf-8")
    assert main(["run", str(CHILD_BENEFIT), "--cases", str(cases), "--format", fmt]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\r" not in out and "1+1" in out
    assert "\n=1+1" not in out and ",=1+1" not in out  # no cell starts a formula


@pytest.mark.parametrize(
    ("declaration", "message"),
    [
        ("Outcome the x: the adults and the children.", "a group of roles is a field of a record, not the type of 'x'"),
        (
            "Definition the y: list of person, each a grown.",
            "a role (', each a ...') is a field of a record, not the type of 'y'",
        ),
        (
            "Formula the f of an amount: list of person, each a grown, gives money:\n  1 EUR.",
            "a role (', each a ...') is a field of a record, not the type of 'amount'",
        ),
    ],
)
def test_a_role_or_group_is_only_a_field(declaration: str, message: str) -> None:
    found = _errors(declaration + "\nOutcome the z: money.\nRule: the z is the total salary among the members.\n")
    assert [m for m, _ in found] == [message]


def test_the_fast_json_lines_path_keeps_each_cases_own_ids(tmp_path: Path) -> None:
    """Decisions alike but for their records' ids are not written alike (the fast path keys a decision's JSON)."""
    cases = tmp_path / "cases.jsonl"
    rows = [
        {**CLAIM, "id": f"c{n}", "children": [{**c, "id": f"{c.get('name')}-{n}"} for c in CHILDREN]} for n in range(3)
    ]
    rows.append({**CLAIM, "id": "plain", "children": [{k: v for k, v in c.items() if k != "id"} for c in CHILDREN]})
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "results.jsonl"
    assert main(["run", str(CHILD_BENEFIT), "--cases", str(cases), "--out", str(out)]) == 0
    written = [json.loads(line) for line in out.read_text().splitlines()]
    assert [[r.get("id") for r in row["children"]] for row in written] == [
        ["Ann-0", "Bob-0", "Cid-0"],
        ["Ann-1", "Bob-1", "Cid-1"],
        ["Ann-2", "Bob-2", "Cid-2"],
        [None, None, None],
    ]
