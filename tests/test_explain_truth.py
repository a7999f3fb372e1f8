"""Explanations that cannot drift from the decision (issue 12, section 2): each test a statute that once made the
explanation crash, drop an outcome, give no reason, or miss a change that flips the decision."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.backends.python.generated import replace_fact as replace
from compiler.driver import build
from compiler.explain.decision import explain
from compiler.explain.model import Explanation
from compiler.explain.render import locale_for, render


def _explained(tmp_path: Path, text: str, data: dict[str, Any]) -> tuple[Any, Any, Explanation]:
    path = tmp_path / "statute.statute"
    path.write_text(text, encoding="utf-8")
    checked = build.check_file(path)
    module = build.load_module(checked)
    case = module.load_case(data)
    return module, case, explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en"))


# docs/language.md, section 9: the repeat offender rule, with an outcome that asks it.
REPEAT_OFFENDER = """Each case is about a person.
A person has:
  - charges: list of charge.
A charge has:
  - gravity: one of minor, medium, grave, especially grave.

Outcome the measure: one of released, refused; by default refused.

Article 1. Repeat offenders

Rule: the person is a repeat offender if the number of charges where the gravity is grave is at least 2.
Rule: the measure is released if not the person is a repeat offender.
"""


def test_a_count_with_where_compared_is_explained(tmp_path: Path) -> None:
    """`the number of <list> where <condition> is at least N` once made the traced form read the loop's variable
    outside its loop (NameError): the explanation crashed on docs/language.md's own example."""
    charges = [{"gravity": "grave"}, {"gravity": "grave"}, {"gravity": "minor"}]
    module, case, explanation = _explained(tmp_path, REPEAT_OFFENDER, {"charges": charges})
    assert module.decide(case).measure.name == "REFUSED"
    text = render(explanation, "text", locale_for("en"))
    assert "the number of charges where the gravity is grave (2) is at least 2" in text
    assert [o.value for o in explanation.outcomes] == ["refused"]
    change = explanation.changes[0]
    assert module.decide(replace(case, change.path, change.value)).measure.name == "RELEASED"


# The tax due is declared first but uses the allowance, declared after it: the allowance is worked out inside it.
OUT_OF_ORDER = """Each case is about a person.
A person has:
  - income: money in EUR from 0 EUR to 1,000,000 EUR.

Outcome the tax due: money in EUR; by default 0 EUR.
Outcome the allowance: money in EUR; by default 0 EUR.

Article 1. Allowance

Rule: the allowance is 100 EUR if the income is at least 1,000 EUR.

Article 2. Tax

Rule: the tax due is the income minus the allowance if the income is at least 500 EUR.
"""


def test_outcomes_declared_out_of_dependency_order_are_all_explained(tmp_path: Path) -> None:
    """An outcome worked out while deciding one declared before it was left out of "The decision"."""
    module, case, explanation = _explained(tmp_path, OUT_OF_ORDER, {"income": "2000"})
    decision = module.decide(case)
    assert (decision.tax_due, decision.allowance) == (1900, 100)
    assert [(o.ident, o.value) for o in explanation.outcomes] == [
        ("tax_due", "1,900.00 EUR"),
        ("allowance", "100.00 EUR"),
    ]
    assert [r.ident for r in explanation.outcomes[1].because] == ["article_1_rule_1"]
    html = render(explanation, "html", locale_for("en"))
    assert html.count('id="why-allowance"') == 1  # its own section; the one on the way is why-allowance-2
    change = next(c for c in explanation.changes if c.path == ("income",))
    assert ("allowance", "100.00 EUR", "0.00 EUR") in change.outcomes


def test_a_skipped_rule_of_not_x_gives_its_reason() -> None:
    """The 121(c) rule (`if the sale is not reported on a joint return and ...`), skipped because 121(b)(2)
    applied on a joint return: its `not` was applied twice, so "does not apply, because:" listed nothing."""
    root = Path(__file__).parent.parent
    checked = build.check_file(root / "statutes" / "us_irc_121.statute")
    module = build.load_module(checked)
    data = json.loads((Path(__file__).parent / "data" / "explain" / "irc_joint_return.json").read_text("utf-8"))
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case(data), locale_for("en"))
    rules = [r for o in explanation.outcomes for a in o.why_not for r in a.rules if r.ident == "section_121_c_rule_6"]
    assert [r.status for r in rules] == ["failed"]
    assert [(c.text, c.held) for c in rules[0].failed] == [("the sale is not reported on a joint return", False)]


# A person's age is a per-person definition, worked out from the birth date; a per-person rule compares it.
AGE_OF_EACH_PERSON = """Each case is about a household.
A household has:
  - members: list of person.
A person has:
  - birth date: date from 1 January 1900 to 31 December 2030;
  - stated years: whole number from 0 to 120.

Definition the age of a person: whole number.
Definition the stated age of a person: whole number.
Outcome the benefit: one of granted, refused; by default refused.

Article 1. Adults

Rule: the age of a person is the whole years from the birth date of the person to 1 January 2024.
Rule: the stated age of a person is the stated years of the person plus 1.
Rule: a person is an adult if the age of the person is at least 18 and the stated age of the person is at least 18.
Rule: the benefit is granted if every person is an adult.
"""


def test_a_change_reaching_the_rule_through_a_per_record_definition_is_found(tmp_path: Path) -> None:
    """Changing a fact that reaches the rule through a per-person definition flips the decision, but the
    explanation said that no single change would."""
    members = [{"birth_date": "1990-05-01", "stated_years": 40}, {"birth_date": "2000-01-01", "stated_years": 30}]
    module, case, explanation = _explained(tmp_path, AGE_OF_EACH_PERSON, {"members": members})
    found = {c.path: c for c in explanation.changes}
    assert found, "no single change was found"
    for change in explanation.changes:
        assert module.decide(replace(case, change.path, change.value)).benefit.name == "REFUSED"
    birth = found.get(("members", 1, "birth_date")) or found.get(("members", 0, "birth_date"))
    # the smallest change of a birth date: the day after the one that makes the person 18 on 1 January 2024
    assert birth is not None and birth.new == "2 January 2006"
    assert any(p[-1] == "stated_years" and found[p].new == "16" for p in found)


def _irc_joint_return() -> Explanation:
    root = Path(__file__).parent.parent
    checked = build.check_file(root / "statutes" / "us_irc_121.statute")
    module = build.load_module(checked)
    data = json.loads((Path(__file__).parent / "data" / "explain" / "irc_joint_return.json").read_text("utf-8"))
    return explain(checked, GeneratedEvaluator(checked, module), module.load_case(data), locale_for("en"))


def test_a_rule_that_could_not_have_applied_is_not_said_to_be_set_aside() -> None:
    """121(b)(3) (the excluded gain is 0 USD if the sale is barred) was printed "set aside" on a joint return
    where the sale is not barred: it could not have applied anyway; and 121(b)(2) was said to prevail over it."""
    explanation = _irc_joint_return()
    excluded = explanation.outcomes[0]
    rules = {r.ident: r for a in excluded.why_not for r in a.rules}
    barred = rules["section_121_b_3_rule_1"]
    assert barred.status == "failed" and barred.set_aside_by == ()
    assert [(c.text, c.held) for c in barred.failed] == [("the sale is barred for the taxpayer", False)]
    assert "Section 121(b)(3)" not in excluded.prevails_over


CHAIN = """Each case is about a person.
A person has:
  - age: whole number from 14 to 100;
  - crime: one of ordinary crime, listed crime;
  - recidivist: yes or no.

Outcome the measure: one of released, partly released, refused; by default refused.

Article 1. Release of minors

Rule: the measure is released if the age is less than 18.

Article 2. Listed crimes

Exception to Article 1: the measure is refused if the crime is listed crime.

Article 3. Minors with a listed crime

Exception to Article 2: the measure is partly released if the age is less than 18 and the crime is listed crime.

Article 4. Recidivists

Exception to Article 3: the measure is refused if the person is recidivist.
"""


def test_an_exception_is_said_to_prevail_only_over_the_articles_it_names(tmp_path: Path) -> None:
    """Article 4 names Article 3 alone: it was said to prevail over the general rule of Articles 1, 2 and 3."""
    case = {"age": 16, "crime": "listed crime", "recidivist": True}
    _, _, explanation = _explained(tmp_path, CHAIN, case)
    measure = explanation.outcomes[0]
    assert measure.value == "refused" and measure.prevails_over == ("Article 3",)
    rules = {r.ident: r for a in measure.why_not for r in a.rules}
    assert rules["article_3_rule_1"].status == "set aside"  # a minor with a listed crime: it would have applied
    text = render(explanation, "text", locale_for("en"))
    assert "Article 4 prevails over the general rule of Article 3 on the measure" in text
    adult = {"age": 30, "crime": "listed crime", "recidivist": True}
    _, _, explanation = _explained(tmp_path, CHAIN, adult)
    rules = {r.ident: r for a in explanation.outcomes[0].why_not for r in a.rules}
    assert rules["article_3_rule_1"].status == "failed"  # an adult: Article 3 could not have applied
    assert explanation.outcomes[0].prevails_over == ()


def test_every_explained_above_points_to_an_explanation_on_the_page() -> None:
    """A definition explained in full only inside the part of a failed rule that is not shown was then said to be
    "explained above" (kz_relapse: the gravest gravity): every link of a golden page reaches an anchor of it."""
    import re

    pages = sorted((Path(__file__).parent / "golden" / "explain").glob("*.html"))
    assert len(pages) == 30  # 14 flagship cases and contribution_scales, in en and ru
    for page in pages:
        html = page.read_text("utf-8")
        anchors = set(re.findall(r'id="([^"]+)"', html))
        assert set(re.findall(r'href="#([^"]+)"', html)) <= anchors, page.name
