"""Where an answer hangs on how long a month is, the drafter says how to count it (issue 12, section 1;
docs/language.md, "How a month is counted"): beyond comparisons and `the lesser of`, the greatest or least of a list
of durations, a duration divided by a duration, the `any X is ...` shorthand, an example's expected duration and a
fact's declared bounds. Each test shows the check biting (refused without the words) and what it accepts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.driver import build
from compiler.driver.runner import run_examples
from compiler.frontend.diagnostics import StatuteError
from compiler.interpret.examples import example_failures
from tests.statute_snippets import checked

VOCABULARY = """\
Title: "Months and days".
Each case is about a person.
A person has:
  - sentence: duration;
  - start: date;
  - end: date;
  - charges: list of charge.
A charge has:
  - term: duration;
  - proven: yes or no.
Parameter the short term: 6 months.
Parameter the long term: 400 days.
Definition the longest term: duration.
Definition the ratio: decimal.
Outcome the release: one of released, kept; by default kept.
"""


def errors(body: str) -> list[str]:
    """The checker's errors on a statute of VOCABULARY and `body`, as 'message | hint' (none: an empty list)."""
    try:
        checked(body, VOCABULARY)
    except StatuteError as error:
        return [f"{d.message} | {d.hint}" for d in error.diagnostics if d.is_error]
    return []


# ------------------------------------------------------------------ the greatest or least of a list


@pytest.mark.parametrize("kind", ["greatest", "least"])
def test_the_greatest_or_least_of_durations_in_months_or_days_asks_how_a_month_counts(kind: str) -> None:
    """One charge's term may be 6 months and another's 181 days: which is greater hangs on a month's length."""
    body = f"Rule: the longest term is the {kind} term among the charges.\n"
    [found] = errors(body)
    assert f"taking the {kind} of durations that may be in months or days: which it is depends on how long" in found
    assert f"'the {kind} ... among the charges counting a month as 30 days'" in found
    assert errors(body.replace("charges.", "charges counting a month as 30 days.")) == []
    with_where = "charges counting a month as 30 days where the charge is proven."
    assert errors(body.replace("charges.", with_where)) == []


def test_the_total_of_durations_needs_no_words() -> None:
    """A total adds months to months and days to days: the same whatever a month's length."""
    assert errors("Rule: the longest term is the total term among the charges.\n") == []


# ------------------------------------------------------------------ a duration divided by a duration


@pytest.mark.parametrize(
    "ratio",
    [
        "the sentence divided by 730 days",
        "the sentence divided by the short term",
        "(the end minus the start) divided by the short term",
        "(1 year 15 days) divided by 2 years",
    ],
)
def test_a_ratio_of_months_and_days_asks_how_a_month_counts(ratio: str) -> None:
    body = f"Rule: the ratio is {ratio}.\n"
    [found] = errors(body)
    assert "the answer depends on how long a month is" in found and found.startswith("dividing ")
    assert "say 'counting a month as 30 days' after the division" in found
    assert errors(f"Rule: the ratio is {ratio} counting a month as 30 days.\n") == []


@pytest.mark.parametrize(
    "ratio",
    [
        "(the end minus the start) divided by 730 days",  # days by days
        "the short term divided by 2 years",  # months by months
        "the long term divided by 2 weeks",  # a week is 7 days
    ],
)
def test_a_ratio_in_one_unit_needs_no_words(ratio: str) -> None:
    assert errors(f"Rule: the ratio is {ratio}.\n") == []


def test_the_words_after_a_division_inside_a_comparison_belong_to_the_division() -> None:
    """A ratio is a number, so the comparison of it never hangs on a month: the words can only be the division's."""
    body = (
        "Rule: the release is released if 0.5 is at most the sentence divided by 730 days"
        " counting a month as 30 days.\n"
    )
    assert errors(body) == []


# ------------------------------------------------------------------ the `any X is ...` shorthand


def test_the_shorthand_cannot_compare_a_duration_so_the_long_form_carries_the_check() -> None:
    """`any charge is ...` tests the element itself, a record: it can name a yes/no fact or a predicate of the
    charge, never compare a duration. A comparison of a charge's term is written in the long form (`any charge
    where ...`) or in the predicate's own rule, and is checked there."""
    [shorthand] = errors("Rule: the release is released if any charge is at least 181 days.\n")
    assert "cannot be 'at least' anything" in shorthand or "cannot compare" in shorthand
    long_form = "Rule: the release is released if any charge where the term is at least 181 days.\n"
    [found] = errors(long_form)
    assert "comparing the term with 181 days: the answer depends on how long a month is" in found
    assert errors(long_form.replace("days.", "days counting a month as 30 days.")) == []
    predicate = "Rule: a charge is long if the term of the charge is at least 181 days.\n"
    assert any("depends on how long a month is" in e for e in errors(predicate))
    stated = predicate.replace("days.", "days counting a month as 30 days.")
    assert errors(stated + "Rule: the release is released if any charge is long.\n") == []


# ------------------------------------------------------------------ an example's expected duration

EXPECTED_STATUTE = """\
Title: "Expected durations".
Each case is about a person.
A person has:
  - days served: duration from 0 days to 3650 days counting a month as 30 days.
Outcome the credit: duration.
Article 1. Credit
Rule: the credit is the days served.
Example "720 days are not two years" (Article 1):
  Facts: days served: 720 days.
  Expected: the credit is 2 years.
Example "720 days are 720 days" (Article 1):
  Facts: days served: 720 days.
  Expected: the credit is 720 days.
Example "The same value written another way" (Article 1):
  Facts: days served: 1 year 7 months 15 days.
  Expected: the credit is 19 months 15 days.
"""


def test_an_expected_duration_is_the_decided_one_exactly(tmp_path: Path) -> None:
    """An example compares the expected duration with the decided one by months and days of the normal form: exact,
    so nothing in it hangs on a month's length. At 30 days to the month `2 years` was `720 days`; on the calendar two
    years are 730 or 731 days, so the example once passed on one reading of a month only. Module and interpreter."""
    path = tmp_path / "expected.statute"
    path.write_text(EXPECTED_STATUTE, encoding="utf-8")
    found = build.check_file(path)
    results = run_examples(found, build.load_module(found))
    assert [r.failures for r in results] == [("expected credit to be 2 years, got 720 days",), (), ()]
    assert [list(example_failures(found, e)) for e in found.examples] == [
        ["expected credit to be 2 years, got 720 days"],
        [],
        [],
    ]


# ------------------------------------------------------------------ a fact's declared bounds

BOUNDED = """\
Title: "Bounded terms".
Each case is about a person.
A person has:
  - term: duration from 0 days to 6 months;
  - sentence: duration from 0 days to 30 years{words}.
Outcome the release: one of released, kept; by default kept.
Article 1. Release
Rule: the release is released if the term is at most 1 month counting a month as 30 days
  and the sentence is at most 1 year counting a month as 30 days.
"""


@pytest.fixture(scope="module")
def bounded(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object]:
    folder = tmp_path_factory.mktemp("bounded")
    modules = []
    for words in ("", " counting a month as 30 days"):
        path = folder / f"bounded{len(modules)}.statute"
        path.write_text(BOUNDED.format(words=words), encoding="utf-8")
        modules.append(build.load_module(build.check_file(path)))
    return modules[0], modules[1]


def _refusal(module: object, term: str, sentence: str) -> str:
    """The case reader's problem with a case (the empty text when it takes the case)."""
    try:
        module.load_case({"term": term, "sentence": sentence})  # type: ignore[attr-defined]
    except module.CaseError as exc:  # type: ignore[attr-defined]
        return str(exc)
    return ""


def test_a_value_whose_place_against_a_bound_hangs_on_a_month_is_refused(bounded: tuple[object, object]) -> None:
    """181 days against `to 6 months`: above it at 30 days to the month (180), within it with calendar months
    (181 to 184 days). 10 years 1 day against `to 30 years` is within on every reading, as 10,700 days are (30 years
    are 10,800 days at 30 to the month, 10,956 to 10,958 on the calendar); 10,900 days are not."""
    plain, _ = bounded
    found = _refusal(plain, "181 days", "1 year")
    assert "181 days against the bound 6 months depends on how long a month is" in found
    assert "at 30 days to the month it is outside 0 days to 6 months" in found and "may be within" in found
    assert "'counting a month as 30 days' after the field's bounds" in found
    assert _refusal(plain, "6 months", "10 years 1 day") == ""
    assert _refusal(plain, "100 days", "10700 days") == ""
    assert "10900 days against the bound 30 years depends on how long a month is" in _refusal(
        plain, "0 days", "10900 days"
    )
    assert "5 months 30 days against the bound 6 months" in _refusal(plain, "5 months 30 days", "0 days")


def test_bounds_that_count_a_month_as_30_days_check_the_value_so(bounded: tuple[object, object]) -> None:
    _, stated = bounded
    assert _refusal(stated, "0 days", "10900 days").endswith("must be from 0 days to 30 years, not 10900 days")
    assert _refusal(stated, "0 days", "10800 days") == ""
    assert "depends on how long a month is" in _refusal(stated, "181 days", "0 days")  # the term's bounds say nothing


def test_an_examples_fact_against_a_bound_is_checked_as_a_case_is() -> None:
    body = (
        'Example "A term of 181 days":\n  Facts: term: 181 days; sentence: 1 year.\n  Expected: the release is kept.\n'
    )
    try:
        checked(BOUNDED.format(words="") + body, "")
    except StatuteError as error:
        [found] = [d.message for d in error.diagnostics if d.is_error]
    else:
        raise AssertionError("the example's fact was accepted")
    assert found == "'term': 181 days against the bound 6 months depends on how long a month is"


def test_bounds_whose_order_hangs_on_a_month_say_how_to_count_it() -> None:
    vocabulary = 'Title: "T".\nEach case is about a person.\nA person has:\n  - term: duration from 1 month to 30 days'
    rule = ".\nOutcome the x: whole number; by default 0.\nRule: the x is 1 if the term is at most 30 days.\n"
    try:
        checked(rule, vocabulary)
    except StatuteError as error:
        found = [d.message for d in error.diagnostics if d.is_error]
    assert "whether 1 month is below 30 days depends on how long a month is" in found
    accepted = checked(
        rule.replace("at most 30 days.", "at most 30 days counting a month as 30 days."),
        vocabulary + " counting a month as 30 days",
    )
    assert accepted.records[0].fields[0].thirty_day_bounds


def test_the_documented_spans_of_calendar_months() -> None:
    """docs/language.md, "How a month is counted": the figures its table and its note give."""
    from fractions import Fraction

    from compiler import values

    assert [values.calendar_months_span(n) for n in (1, 6, 12, 360)] == [
        (28, 31),
        (181, 184),
        (365, 366),
        (10956, 10958),
    ]
    assert values.Duration(0, 548) / values.Duration(24, 0) == Fraction(548, 720)
    assert values.order_hangs_on_month(values.Duration(0, 181), values.Duration(6, 0))
    assert not values.order_hangs_on_month(values.Duration(120, 1), values.Duration(360, 0))


def test_the_case_schema_says_how_stated_bounds_count_a_month(tmp_path: Path) -> None:
    from compiler.population.schema import case_schema

    path = tmp_path / "bounded.statute"
    path.write_text(BOUNDED.format(words=" counting a month as 30 days"), encoding="utf-8")
    properties = case_schema(build.check_file(path))["properties"]
    assert properties["sentence"]["description"] == "sentence (from 0 days to 30 years counting a month as 30 days)"
    assert properties["term"]["description"] == "term (from 0 days to 6 months)"


# ------------------------------------------------------------------ two rules that give durations in months and days

TWO_TERMS = """\
Title: "Two terms".
Each case is about a person.
A person has:
  - minor: yes or no;
  - first offence: yes or no.
Outcome the term: duration.

Article 1. Terms
Rule: the term is 6 months if the person is minor.
Rule: the term is 180 days if the person is first offence.
Rule: the term is 1 year if the person is not minor and the person is not first offence.
"""


def test_two_rules_giving_months_and_days_conflict_in_the_module_the_interpreter_and_z3(tmp_path: Path) -> None:
    """6 months and 180 days are the same at 30 days to the month but not on the calendar: two rules giving them
    disagree (docs/language.md section 7, conflicts), in every evaluator alike; the same value from both agrees."""
    from tests.differential import compiled, interpreter_outcome, module_outcome
    from tests.z3_differential import prover_for, z3_answer

    path = tmp_path / "two_terms.statute"
    path.write_text(TWO_TERMS, encoding="utf-8")
    checked_statute, module = compiled(path)
    prover = prover_for(checked_statute)
    assert prover is not None
    both = {"minor": True, "first_offence": True}
    assert module_outcome(module, both)[0] == "conflict"
    assert interpreter_outcome(checked_statute, both)[0] == "conflict"
    assert z3_answer(prover, both).kind == "stops"

    agreeing = tmp_path / "agreeing.statute"
    agreeing.write_text(TWO_TERMS.replace("is 180 days if", "is 6 months if"), encoding="utf-8")
    checked_statute, module = compiled(agreeing)
    assert module_outcome(module, both) == ("decided", {"term": "6 months"})
    assert interpreter_outcome(checked_statute, both)[0] == "decided"
