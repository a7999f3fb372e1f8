"""What would change a decision (compiler/explain/counterfactual.py, moves.py) for the constructs of issue 14:
citations (another citation the statute tests the fact against), scales applied to a value worked out from facts
(followed back to the facts), and the facts and outcomes of each record of a list (named by their record). Every
change proposed is one the generated module decides otherwise."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.explain.decision import explain
from compiler.explain.model import Change, Explanation
from compiler.explain.render import change_sentence, locale_for, render
from compiler.model import ir
from compiler.model.evaluator import Decision
from compiler.population.synth import Generator

ROOT = Path(__file__).resolve().parent
JOBSEEKER = ROOT / "statutes" / "jobseeker_allowance.statute"
CONTRIBUTION = ROOT / "statutes" / "social_contribution.statute"
INCOME_TAX = ROOT / "statutes" / "progressive_income_tax.statute"
CHARGES = ROOT / "data" / "charge_outcomes.statute"
SCALE_IN_FORMULA = ROOT / "data" / "scale_in_formula.statute"
CHILD_BENEFIT = ROOT / "statutes" / "child_benefit.statute"


@functools.cache
def _statute(path: Path) -> tuple[ir.Checked, Any]:
    checked = build.check_file(path)
    return checked, build.load_module(checked)


def _explained(path: Path, data: dict[str, object], lang: str = "en") -> tuple[Explanation, GeneratedEvaluator, Any]:
    checked, module = _statute(path)
    evaluator = GeneratedEvaluator(checked, module)
    case = module.load_case(data)
    return explain(checked, evaluator, case, locale_for(lang)), evaluator, case


def _change(explanation: Explanation, path: tuple[str | int, ...]) -> Change:
    found = [c for c in explanation.changes if c.path == path]
    assert found, f"no change of {path}: {[c.path for c in explanation.changes]}"
    return found[0]


def _decides_otherwise(evaluator: GeneratedEvaluator, case: object, change: Change) -> bool:
    before, after = evaluator.decide(case), evaluator.decide(evaluator.with_fact(case, change.path, change.value))
    assert isinstance(before, Decision) and isinstance(after, Decision)
    return before.shown != after.shown


# ------------------------------------------------------------------ citations


def test_a_citation_of_a_record_is_changed_to_one_the_rule_tests_and_named_by_its_record() -> None:
    data = {
        "age": 40,
        "months_insured": 30,
        "dismissal_ground": "Article 52 part 2",
        "convictions": [{"offence": "Article 190", "spent": True}, {"offence": "Article 100", "spent": False}],
    }
    explanation, evaluator, case = _explained(JOBSEEKER, data)
    change = _change(explanation, ("convictions", 1, "offence"))
    assert change.fact == "the offence of conviction 2"
    # the barring offence nearest Article 100 among those Article 3 tests: Article 189 part 3
    assert (change.old, change.new) == ("Article 100", "Article 189 part 3")
    assert change.outcomes == (("allowance", "reduced allowance", "allowance refused"),)
    assert _decides_otherwise(evaluator, case, change)


def test_an_absent_citation_is_given_one_of_the_listed_citations() -> None:
    data = {"age": 40, "months_insured": 30, "convictions": []}
    explanation, evaluator, case = _explained(JOBSEEKER, data)
    change = _change(explanation, ("dismissal_ground",))
    assert change.new in {"Article 3 bis", "Article 49", "Article 50 part 1", "Article 50 part 2"}
    assert change.outcomes[0][2] == "full allowance" and "Article 1" in change.articles
    assert _decides_otherwise(evaluator, case, change)
    russian, _, _ = _explained(JOBSEEKER, data, "ru")
    assert "статья 3 bis" in render(russian, "text", locale_for("ru"))


def test_no_citation_outside_the_statutes_lists_is_proposed() -> None:
    data = {"age": 40, "months_insured": 30, "dismissal_ground": "Article 7", "convictions": []}
    explanation, _, _ = _explained(JOBSEEKER, data)
    listed = {"Article 3 bis", "Article 49", "Article 50 part 1", "Article 50 part 2", "Article 56"}
    listed |= {"Article 52 part 1", "Article 52 part 2", "Article 52 part 3", "Article 52.1", "Article 54 part 2"}
    grounds = [c.new for c in explanation.changes if c.path == ("dismissal_ground",)]
    assert grounds and set(grounds) <= listed | {"not given"}


# ------------------------------------------------------------------ scales applied to a value worked out


def test_a_scale_applied_to_a_difference_moves_each_fact_of_it() -> None:
    data = {"salary": "13000", "expenses": "250.50", "children": 5}
    explanation, evaluator, case = _explained(CONTRIBUTION, data)
    # the contribution scale is applied to (the salary minus the expenses): at its threshold of 12,400 EUR
    salary, expenses = _change(explanation, ("salary",)), _change(explanation, ("expenses",))
    assert (salary.new, expenses.new) == ("12,650.51 EUR", "599.99 EUR")
    assert salary.outcomes == expenses.outcomes == (("contribution", "403.96 EUR", "376.00 EUR"),)
    assert _decides_otherwise(evaluator, case, salary) and _decides_otherwise(evaluator, case, expenses)


def test_a_scale_applied_to_a_definition_is_followed_to_its_facts() -> None:
    # the income tax scale is applied to the taxable income, a definition: the income less the allowance; the
    # allowance is read nowhere else, so only following the definition finds a change of it
    data = {"income": "20000", "allowance": "5000"}
    explanation, evaluator, case = _explained(INCOME_TAX, data)
    allowance = _change(explanation, ("allowance",))
    # the taxable income at 10,000.01 EUR: 0.2 of the cent over the bracket taxed at nothing rounds to nothing
    assert allowance.new == "9,999.99 EUR"
    assert allowance.outcomes == (("income tax", "1,000.00 EUR", "0.00 EUR"),)
    assert _decides_otherwise(evaluator, case, allowance)


def test_a_scale_a_formula_applies_to_its_input_is_followed_to_the_fact_the_rule_gives_it() -> None:
    # "the contribution is the levy of the salary", the levy being the contribution scale applied to the amount:
    # before, the search found no change at all
    explanation, evaluator, case = _explained(SCALE_IN_FORMULA, {"salary": "13000", "bonus": "5000"})
    salary, bonus = _change(explanation, ("salary",)), _change(explanation, ("bonus",))
    assert (salary.new, bonus.new) == ("12,400.01 EUR", "5,999.99 EUR")
    assert salary.outcomes == (("contribution", "424.00 EUR", "376.00 EUR"),)
    assert bonus.outcomes == (("bonus contribution", "100.00 EUR", "119.99 EUR"),)
    assert _decides_otherwise(evaluator, case, salary) and _decides_otherwise(evaluator, case, bonus)


# ------------------------------------------------------------------ the outcomes of each record


def test_a_change_that_changes_only_a_records_outcomes_names_them_by_their_record() -> None:
    data = {"cooperated": True, "charges": [{"gravity": "minor"}, {"gravity": "medium", "term": "2 years"}]}
    explanation, evaluator, case = _explained(CHARGES, data)
    change = _change(explanation, ("cooperated",))
    assert change.outcomes == (
        ("charge measure of charge 2", "reduced", "kept"),
        ("new term of charge 2", "1 year", "2 years"),
    )
    assert _decides_otherwise(evaluator, case, change)
    words = locale_for("en").words
    assert change_sentence(change, words) == (
        "Had the person not been cooperated, the charge measure of charge 2 would have been kept instead of reduced "
        "and the new term of charge 2 would have been 2 years instead of 1 year (under Article 1)."
    )
    russian, _, _ = _explained(CHARGES, data, "ru")
    text = render(russian, "text", locale_for("ru"))
    assert "«charge measure (charge 2)» было бы kept (а не reduced)" in text


def test_a_records_outcomes_follow_the_cases_outcomes_in_a_change() -> None:
    data = {
        "residence": "resident",
        "income": "30000",
        "children": [
            {"name": "Ann", "age": 17, "in_education": False, "disabled": False},
            {"name": "Bob", "age": 30, "in_education": False, "disabled": False},
        ],
    }
    explanation, _, _ = _explained(CHILD_BENEFIT, data)
    change = _change(explanation, ("children", 0, "age"))
    assert change.fact == "the age of child 1 (Ann)"
    assert [label for label, _, _ in change.outcomes] == [
        "amount paid",
        "eligible children",
        "eligibility of child 1 (Ann)",
        "benefit of child 1 (Ann)",
    ]
    for fmt in ("text", "markdown", "html"):
        assert "the benefit of child 1 (Ann) would have been 0.00 EUR instead of 250.00 EUR" in render(
            explanation, fmt, locale_for("en")
        )


def test_a_change_of_every_records_outcomes_names_a_few_and_counts_the_others() -> None:
    child = {"age": 5, "in_education": False, "disabled": False}
    data = {
        "residence": "resident",
        "income": "30000",
        "children": [{"name": f"child {i}", **child} for i in range(7)],
    }
    explanation, _, _ = _explained(CHILD_BENEFIT, data)
    income = _change(explanation, ("income",))
    # 2 outcomes of the case and 14 of the children change: the case's, then RECORD_CHANGES_SHOWN of the children's
    assert [label for label, _, _ in income.outcomes] == [
        "amount paid",
        "eligible children",
        "eligibility of child 1 (child 0)",
        "benefit of child 1 (child 0)",
        "eligibility of child 2 (child 1)",
        "benefit of child 2 (child 1)",
    ]
    assert income.more_outcomes == "10"
    sentence = change_sentence(income, locale_for("en").words)
    assert sentence.endswith(
        "and other outcomes of the case's records would have changed too (10 more) (under Article 4, Article 2)."
    )
    russian, _, _ = _explained(CHILD_BENEFIT, data, "ru")
    assert "изменились бы и другие результаты по записям дела (ещё 10)" in render(russian, "markdown", locale_for("ru"))


# ------------------------------------------------------------------ every change proposed changes the decision


def _outcomes_shown(decision: Decision) -> int:
    """How many values a decision shows: each case outcome, and each outcome of each record."""
    count = 0
    for value in decision.shown.values():
        count += sum(len(r) for r in value) if isinstance(value, list) else 1
    return count


def _differences(before: Decision, after: Decision) -> int:
    count = 0
    for key, value in before.shown.items():
        other = after.shown[key]
        if isinstance(value, list) and isinstance(other, list):
            count += sum(r[k] != s[k] for r, s in zip(value, other, strict=True) for k in r)
        else:
            count += value != other
    return count


@settings(max_examples=30, deadline=None)
@given(
    path=st.sampled_from([JOBSEEKER, CONTRIBUTION, INCOME_TAX, SCALE_IN_FORMULA, CHARGES, CHILD_BENEFIT]),
    seed=st.integers(0, 10_000),
)
def test_every_change_proposed_changes_the_decision_and_names_each_changed_outcome(path: Path, seed: int) -> None:
    checked, module = _statute(path)
    data = dict(next(iter(Generator(checked).cases(1, seed))))
    data.pop("id", None)
    evaluator = GeneratedEvaluator(checked, module)
    case = module.load_case(data)
    before = evaluator.decide(case)
    if not isinstance(before, Decision):
        return  # a conflict or a gap: nothing to change
    explanation = explain(checked, evaluator, case, locale_for("en"))
    assert _outcomes_shown(before) >= 1
    for change in explanation.changes:
        after = evaluator.decide(evaluator.with_fact(case, change.path, change.value))
        assert isinstance(after, Decision)
        assert after.shown != before.shown, change
        more = int(change.more_outcomes.replace(",", "")) if change.more_outcomes else 0
        assert len(change.outcomes) + more == _differences(before, after), change
