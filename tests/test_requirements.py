"""Requirements (docs/language.md section 4): what the facts of a case must satisfy together.

The parser and the checker (a requirement reads only facts and parameters, an example must keep it), the generated
module and the reference interpreter rejecting the same cases with the same message, `statute run` / `report` /
`diff` counting such a row as rejected, and every drawer of cases (`statute test`, `statute synth`,
`statute prove`) giving only cases that keep them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compiler.commands.cli import main
from compiler.driver import build
from compiler.driver.build import check_statute as check
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import StatuteError
from compiler.frontend.parse import parse
from compiler.interpret.decide import decide
from compiler.interpret.read import read_case
from compiler.interpret.requirements import BrokenRequirements, broken_requirements
from compiler.model import ir

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "statutes" / "requirement_sentence_start.statute"
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"

VOCABULARY = """\
Each case is about a person.

A person has:
  - stage: one of on trial, serving sentence;
  - sentence start: date, optional;
  - charges: list of charge.

A charge has:
  - act date: date;
  - proven: yes or no.

Parameter the first day: 1 January 2020.

Outcome the measure: one of released, nothing; by default nothing.

Article 1. The facts of a case

"""
EVERY = (
    'Requirement "A sentence starts on or after the act" (Article 1):\n'
    "  every charge where the sentence start is on or after the act date.\n"
)
GIVEN = "Requirement: if the stage is serving sentence then the sentence start is given.\n"
NONE_BEFORE = "Requirement (Article 1): no charge where the act date is before the first day.\n"
RULE = "\nArticle 2. Release\n\nRule: the measure is released if the stage is serving sentence.\n"


def checked_text(text: str) -> ir.Checked:
    return check(parse(text, "test.statute"))


def errors_of(text: str) -> list[str]:
    with pytest.raises(StatuteError) as caught:
        checked_text(text)
    return [f"{d.span.line}:{d.span.column}: {d.message}" for d in caught.value.diagnostics if d.is_error]


def outcomes(checked: ir.Checked, case: dict[str, Any]) -> tuple[object, object]:
    """(the module's, the interpreter's): a decision, or the message rejecting the case."""
    module = build.load_module(checked)
    try:
        by_module: object = module.decision_as_dict(module.decide(module.load_case(case)))
    except module.CaseError as exc:
        by_module = str(exc)
    try:
        by_interpreter: object = decide(checked, case)
    except BrokenRequirements as exc:
        by_interpreter = str(exc)
    return by_module, by_interpreter


# ------------------------------------------------------------------ parsing and checking


def test_a_requirement_parses_with_its_title_articles_premise_and_condition() -> None:
    statute = parse(VOCABULARY + EVERY + GIVEN, "test.statute")
    first, second = [x for x in statute.statements if isinstance(x, s.Requirement)]
    assert (first.title, [a.label for a in first.articles], first.premise) == (
        "A sentence starts on or after the act",
        ["Article 1"],
        None,
    )
    assert (second.title, second.articles) == ("", ()) and second.premise is not None


def test_requirement_is_a_keyword_only_at_the_start_of_a_line() -> None:
    """Names such as section 121's 'the ownership requirement' stay names."""
    text = VOCABULARY + "Definition the ownership requirement: one of met, unmet; by default unmet.\n"
    text += "Rule: the ownership requirement is met if the stage is serving sentence.\n"
    assert any(d.label == "ownership requirement" for d in checked_text(text).definitions)
    assert build.check_file(ROOT / "statutes" / "us_irc_121.statute").requirements == ()


def test_the_checked_requirement_is_checked_element_by_element_and_cites_its_article() -> None:
    every, given, none = checked_text(VOCABULARY + EVERY + GIVEN + NONE_BEFORE + RULE).requirements
    assert (every.ident, every.article, every.path, every.each is not None) == (
        "requirement_1",
        "Article 1",
        "person.charges",
        True,
    )
    assert every.joint == "is before" and [p.words for p in every.shown] == ["the sentence start", "the act date"]
    assert (given.title, given.article, given.path, given.each, given.joint) == (
        "if the stage is serving sentence then the sentence start is given.",
        "Article 1",
        "person",
        None,
        None,
    )
    assert [p.words for p in given.shown] == ["the stage", "the sentence start"]
    assert none.each is not None and none.joint == "is before" and none.shown[1].value is not None


def test_a_requirement_may_not_read_what_the_statute_decides() -> None:
    text = VOCABULARY + "Rule: a charge is old if the act date is before 1 January 2021.\n"
    text += "Requirement (Article 1): no charge is old.\nRequirement: the measure is nothing.\n" + RULE
    found = errors_of(text)
    message = (
        "a requirement reads only the facts of a case and the parameters, but '{}' is decided by the statute's rules"
    )
    assert found == [f"19:39: {message.format('old')}", f"20:18: {message.format('measure')}"], found


def test_an_example_that_breaks_a_requirement_is_refused_with_its_position() -> None:
    example = (
        '\nExample "A sentence before the act":\n'
        "  Facts: stage: serving sentence; sentence start: 1 March 2021;\n"
        "    charges: (act date: 5 January 2022; proven: yes).\n"
        "  Expected: the measure is released.\n"
    )
    found = errors_of(VOCABULARY + EVERY + RULE + example)
    assert found == [
        "25:1: the example's facts are refused: person.charges[0]: breaks the requirement \"A sentence starts on or "
        'after the act" (Article 1): the sentence start 2021-03-01 is before the act date 2022-01-05'
    ], found


# ------------------------------------------------------------------ the module and the interpreter


CASES: list[tuple[dict[str, Any], object]] = [
    (  # the second charge breaks the first requirement
        {
            "stage": "on trial",
            "sentence_start": "2021-03-01",
            "charges": [{"act_date": "2020-06-01", "proven": True}, {"act_date": "2022-01-05", "proven": True}],
        },
        'the case has 1 problem:\n  person.charges[1]: breaks the requirement "A sentence starts on or after the act" '
        "(Article 1): the sentence start 2021-03-01 is before the act date 2022-01-05",
    ),
    (  # no sentence start: the first requirement holds, the second does not
        {"stage": "serving sentence", "charges": [{"act_date": "2022-01-05", "proven": True}]},
        'the case has 1 problem:\n  person: breaks the requirement "if the stage is serving sentence then the '
        'sentence start is given." (Article 1): the stage is serving sentence; the sentence start is not given',
    ),
    (  # two broken at once, the third by its first charge
        {"stage": "serving sentence", "charges": [{"act_date": "2019-12-31", "proven": False}]},
        'the case has 2 problems:\n  person: breaks the requirement "if the stage is serving sentence then the '
        'sentence start is given." (Article 1): the stage is serving sentence; the sentence start is not given\n'
        '  person.charges[0]: breaks the requirement "no charge where the act date is before the first day." '
        "(Article 1): the act date 2019-12-31 is before the first day 2020-01-01",
    ),
    (  # on the day of the act: kept
        {
            "stage": "serving sentence",
            "sentence_start": "2022-01-05",
            "charges": [{"act_date": "2022-01-05", "proven": True}],
        },
        {"measure": "released"},
    ),
]


@pytest.mark.parametrize(("case", "expected"), CASES)
def test_the_module_and_the_interpreter_reject_alike(case: dict[str, Any], expected: object) -> None:
    checked = checked_text(VOCABULARY + EVERY + GIVEN + NONE_BEFORE + RULE)
    assert outcomes(checked, case) == (expected, expected)


def test_a_statute_without_requirements_has_no_read_case_of_its_own() -> None:
    module = build.load_module(checked_text(VOCABULARY + RULE))
    assert not hasattr(module, "read_case") and not hasattr(module, "broken_requirements")


def test_the_amnesty_rejects_a_sentence_that_starts_before_the_act() -> None:
    """Issue 12 section 1: such a case was decided; now both engines reject it, naming the charge."""
    case = json.loads((ROOT / "tests" / "data" / "explain" / "kz_torture_officer.json").read_text(encoding="utf-8"))
    case["charges"][0]["sentence_start"] = "2022-01-05"
    checked = build.check_file(AMNESTY)
    by_module, by_interpreter = outcomes(checked, case)
    assert by_module == by_interpreter
    assert str(by_module).endswith("(Article 1): the sentence start 2022-01-05 is before the act date 2022-01-06")


# ------------------------------------------------------------------ the commands


def _rows(tmp_path: Path) -> Path:
    rows = [
        json.loads(line) for line in (ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl").read_text().splitlines()[:4]
    ]
    bad = dict(rows[1], id="BAD-1", charges=[dict(rows[1]["charges"][0], sentence_start="2022-01-01")])
    cases = tmp_path / "cases.jsonl"
    cases.write_text("".join(json.dumps(r) + "\n" for r in [*rows[:2], bad, *rows[2:]]), encoding="utf-8")
    return cases


def test_run_counts_a_row_that_breaks_a_requirement_as_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = _rows(tmp_path)
    for engine in ("module", "interpreter"):
        assert main(["run", str(AMNESTY), "--cases", str(cases), "--format", "jsonl", "--engine", engine]) == 1
        out, err = capsys.readouterr()
        assert out.count("\n") == 4 and "5 cases: 4 decided, 1 rejected" in err, err
        assert (
            'row 3 (BAD-1): the case has 1 problem:\n    person.charges[0]: breaks the requirement "A sentence' in err
        )
    results = tmp_path / "results.jsonl"
    assert main(["run", str(AMNESTY), "--cases", str(cases), "--out", str(results)]) == 1
    assert "5 rows: 4 decided, 1 rejected" in capsys.readouterr().err
    [reject] = [json.loads(line) for line in (tmp_path / "results.rejects.jsonl").read_text().splitlines()]
    assert (reject["row"], reject["kind"], reject["field"]) == (3, "invalid", "person.charges[0]")
    assert reject["reason"].startswith('breaks the requirement "A sentence starts on or after the act it punishes"')


def test_report_and_diff_count_it_as_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = _rows(tmp_path)
    markdown = tmp_path / "report.md"
    assert (
        main(
            [
                "report",
                str(AMNESTY),
                "--cases",
                str(cases),
                "--out",
                str(tmp_path / "r.html"),
                "--markdown",
                str(markdown),
            ]
        )
        == 1
    )
    assert "5 rows, 4 decided, 1 rejected" in markdown.read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["diff", str(AMNESTY), str(AMNESTY), "--cases", str(cases)]) == 0
    assert "rejected" in capsys.readouterr().out


def test_explain_says_why_the_case_is_rejected_in_one_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = json.loads(_rows(tmp_path).read_text().splitlines()[2])
    path = tmp_path / "case.json"
    path.write_text(json.dumps(case), encoding="utf-8")
    assert main(["explain", str(AMNESTY), "--case", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"statute: {path}: the case has 1 problem:\n  person.charges[0]: breaks the requirement")
    assert "Traceback" not in err and err.count("\n") == 2


# ------------------------------------------------------------------ drawing only coherent cases


def _without_requirement(tmp_path: Path) -> Path:
    text = SMALL.read_text(encoding="utf-8")
    start, end = text.index("Requirement "), text.index("Article 2.")
    path = tmp_path / SMALL.name
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    return path


def _counterexample(output: str) -> dict[str, Any]:
    """The first case file printed: from a line "{" to the "}" under it."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "{")
    indent = lines[start][: len(lines[start]) - 1]
    end = lines.index(indent + "}", start)
    return dict(json.loads("\n".join(lines[start : end + 1])))


def test_statute_test_draws_only_cases_that_keep_the_requirements(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The guarantee holds for every coherent case: drawn only such, statute test passes. Without the requirement,
    it fails on a case that breaks it (so the requirement, not luck, keeps the counterexamples out)."""
    assert main(["test", str(SMALL), "--examples", "300"]) == 0
    capsys.readouterr()
    assert main(["test", str(_without_requirement(tmp_path)), "--examples", "300"]) == 1
    case = _counterexample(capsys.readouterr().out)
    assert broken_requirements(build.check_file(SMALL), read_case(build.check_file(SMALL), case))


def test_statute_prove_assumes_the_requirements(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("z3")
    main(["prove", str(SMALL)])
    out = capsys.readouterr().out
    assert "PROVED      No sentence starts before an act it punishes" in out, out
    assert "NEVER APPLIES: the rule of Article 2 (line 29)" in out, out  # it applies only to incoherent cases
    assert main(["prove", str(_without_requirement(tmp_path))]) == 1
    out = capsys.readouterr().out
    assert "FAILS       No sentence starts before an act it punishes" in out, out
    case = _counterexample(out)
    assert broken_requirements(build.check_file(SMALL), read_case(build.check_file(SMALL), case))


def test_synth_draws_a_case_again_while_it_breaks_a_requirement() -> None:
    """The amnesty's realism profile, its sentence start drawn from a plain range of dates rather than linked to the
    act dates (as it was before links), draws cases whose sentence starts before an act: each is drawn again."""
    from compiler.population.synth import Generator, load_profile, profile_path

    checked = build.check_file(AMNESTY)
    profile = load_profile(profile_path(AMNESTY))
    profile["records"]["Charge"]["fields"]["sentence_start"] = {
        "given_if": {"stage": ["serving sentence", "sentence served"]},
        "date": ["2022-01-10", "2022-10-31"],
    }
    generator = Generator(checked, profile)
    cases = list(generator.cases(1500, 1))
    assert generator.redrawn > 0
    assert not [c["id"] for c in cases if broken_requirements(checked, read_case(checked, c))]


# ------------------------------------------------------------------ the reference's own example


def test_the_example_of_docs_language_md_checks_and_rejects_as_documented() -> None:
    docs = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```statute\n(.*?)```", docs, re.S) if "\nRequirement " in b]
    checked = checked_text(block)
    assert len(checked.requirements) == 2
    module = build.load_module(checked)
    shown = []
    for case in (
        {
            "stage": "on trial",
            "sentence_start": "2021-03-01",
            "charges": [{"act_date": "2020-01-05"}, {"act_date": "2022-01-05"}],
        },
        {"stage": "serving sentence", "charges": []},
    ):
        with pytest.raises(module.CaseError) as caught:
            module.load_case(case)
        shown.append(str(caught.value.problems[0]))
    for line in shown:
        assert line in docs, line


def test_each_record_is_checked_on_its_own_and_one_missing_a_fact_keeps_it() -> None:
    """A charge without its judgment date keeps the requirement; the charge after it that breaks it is still named
    (not the whole requirement held because the first charge lacked a fact)."""
    text = (
        "Each case is about a person.\nA person has:\n  - charges: list of charge.\n"
        "A charge has:\n  - act date: date;\n  - judged on: date, optional.\n"
        "Outcome the measure: one of released, nothing; by default nothing.\n"
        "Article 1. Coherence\n"
        "Requirement: every charge where the judged on is on or after the act date.\n"
        "Rule: the measure is released if the number of charges is at least 1.\n"
    )
    case = {"charges": [{"act_date": "2022-01-05"}, {"act_date": "2022-01-05", "judged_on": "2022-01-04"}]}
    expected = (
        'the case has 1 problem:\n  person.charges[1]: breaks the requirement "every charge where the judged on is '
        'on or after the act date." (Article 1): the judged on 2022-01-04 is before the act date 2022-01-05'
    )
    assert outcomes(checked_text(text), case) == (expected, expected)
    kept = {"charges": [{"act_date": "2022-01-05"}, {"act_date": "2022-01-05", "judged_on": "2022-01-05"}]}
    assert outcomes(checked_text(text), kept) == ({"measure": "released"}, {"measure": "released"})


def test_what_would_change_the_decision_never_breaks_a_requirement() -> None:
    """The smallest change that would change the decision is the act date moved to 1 June 2022, after the sentence
    start: a case the statute rejects, so it is no answer (statute explain proposed it before)."""
    from compiler.backends.python.generated import GeneratedEvaluator
    from compiler.explain.decision import explain
    from compiler.explain.render import locale_for

    text = VOCABULARY + EVERY + "\nArticle 2. Release\n\n"
    text += "Rule: the measure is released if every charge where the act date is before 1 June 2022.\n"
    checked = checked_text(text)
    module = build.load_module(checked)
    case = module.load_case(
        {
            "stage": "serving sentence",
            "sentence_start": "2022-01-10",
            "charges": [{"act_date": "2022-01-05", "proven": True}],
        }
    )
    changes = explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en")).changes
    assert all(change.path != ("charges", 0, "act_date") for change in changes), changes
