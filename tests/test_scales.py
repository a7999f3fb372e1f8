"""Scales end to end (issue 14, item 3): "Scale the contribution scale, marginal rates: 2% up to 6,000 EUR; ..." and
"the contribution scale applied to the salary", one test or more per stage.

tests/statutes/social_contribution.statute holds a scale of each kind a benefit or contribution law uses (marginal
rates, single amounts, marginal amounts counted in children); tests/statutes/progressive_income_tax.statute marginal
rates written as decimals and single rates. The generated module, the reference interpreter, the prover and the
explanation each work a scale out their own way; here they must agree at every threshold, at zero and below it.
"""

from __future__ import annotations

import json
import re
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
import z3
from hypothesis import given, settings
from hypothesis import strategies as st
from statute_snippets import checked, parse_errors, parse_source, the_error, warnings_of

from compiler.check.check import check
from compiler.commands.cli import main
from compiler.driver.build import load_module
from compiler.explain.scales import total
from compiler.frontend import syntax as s
from compiler.frontend.parse import parse_file
from compiler.interpret.scales import apply_scale
from compiler.interpret.values import Money
from compiler.model import ir
from compiler.prove.scales import scale_term
from tests.differential import disagreement

ROOT = Path(__file__).resolve().parent
CONTRIBUTION = ROOT / "statutes" / "social_contribution.statute"
TAX = ROOT / "statutes" / "progressive_income_tax.statute"
BY_HAND = ROOT / "data" / "social_contribution_by_hand.statute"
SCALE = (
    "Scale the pay scale, marginal rates: 2% up to 6,000 EUR; 4% over 6,000 EUR up to 12,400 EUR; 8% over 12,400 EUR.\n"
)
APPLIED = "Rule: the limit is the pay scale applied to the gain rounded down to whole cents.\n"

CENT = Fraction(1, 100)
# Each threshold, a cent either side, zero and a base below it, for every scale of the two statutes.
EDGES = sorted(
    {Fraction(x) for x in (0, 1, 5000, 10000, 20000, 25000, 40000)}
    | {Fraction(t) + d for t in (6000, 12400, 10000, 20000, 25000, 40000) for d in (-CENT, Fraction(0), CENT)}
)


def _scales(path: Path) -> dict[str, ir.Scale]:
    return {s.ident: s for s in check(parse_file(path)).scales}


# ------------------------------------------------------------------ the checker


def test_a_scale_is_read_as_its_brackets() -> None:
    (scale,) = checked(SCALE + APPLIED).scales
    assert scale.kind is ir.ScaleKind.MARGINAL_RATES
    assert [(b.value, b.lower, b.lower_included, b.upper, b.upper_included) for b in scale.brackets] == [
        (Fraction(1, 50), 0, True, 6000, True),
        (Fraction(1, 25), 6000, False, 12400, True),
        (Fraction(2, 25), 12400, False, None, False),
    ]
    assert (scale.base.name, scale.result.name, scale.value) == ("EUR", "EUR", ir.PERCENTAGE)


@pytest.mark.parametrize(
    ("scale", "message", "hint"),
    [
        ("2% up to 6,000 EUR; 4% over 6,500 EUR", "a gap between 6000.00 EUR and 6500.00 EUR", "start this bracket"),
        ("2% up to 6,000 EUR; 4% over 5,000 EUR", "brackets overlap", "start this bracket at 6000.00 EUR"),
        ("2% up to 6,000 EUR; 4% from 6,000 EUR", "6000.00 EUR is in two brackets", "write 'over 6000.00 EUR'"),
        ("2% below 6,000 EUR; 4% over 6,000 EUR", "6000.00 EUR is in no bracket", "write 'from 6000.00 EUR'"),
        ("2% up to 6,000 EUR; 4% over 6,000 EUR up to 5,000 EUR; 8% over 5,000 EUR", "thresholds must increase", ""),
        ("2% up to 6,000 EUR; 4% over 6,000 EUR up to 9,000 EUR", "the last bracket ends", "leave out its end"),
        ("2% up to 6,000 EUR; 4% up to 9,000 EUR; 8% over 9,000 EUR", "does not say where it starts", "over"),
        ("2% up to 6,000 EUR; 4% over 6,000 EUR; 8% over 9,000 EUR", "only the last bracket can go on", "up to"),
        ("2% up to 6,000 EUR; 4% over 6,000 USD", "this threshold is an amount of money in USD", "same unit"),
        ("2% up to 6,000 EUR; 4% over 6 years", "this threshold is a duration", "same unit"),
        ("20 EUR up to 6,000 EUR; 40 EUR over 6,000 EUR", "takes rates such as 2% or 0.02", "marginal amounts"),
        ("2% up to 6%; 4% over 6%", "thresholds are amounts of money or numbers", "6,000 EUR"),
    ],
)
def test_a_faulty_scale_is_named_with_a_hint(scale: str, message: str, hint: str) -> None:
    d = the_error(f"Scale the pay scale, marginal rates: {scale}.\n{APPLIED}")
    assert message in d.message and hint in (d.hint or ""), (d.message, d.hint)


def test_a_scale_of_amounts_refuses_rates() -> None:
    d = the_error("Scale the pay scale, single amounts: 2% up to 6,000 EUR; 4% over 6,000 EUR.\n" + APPLIED)
    assert "takes amounts such as 300 EUR" in d.message and "single rates" in (d.hint or "")


@pytest.mark.parametrize(
    ("brackets", "message", "hint"),
    [
        ("marginal rates: 2% up to 6,000 EUR; 4% from 6,000 EUR to 9,000 EUR; 8% over 9,000 EUR", "not 'to'", "up to"),
        (
            "progressive rates: 2% up to 6,000 EUR; 4% over 6,000 EUR",
            "I did not expect 'progressive'",
            "single amounts",
        ),
    ],
)
def test_a_scale_that_does_not_parse_is_named_in_its_own_words(brackets: str, message: str, hint: str) -> None:
    [d, *others] = parse_errors(f"Scale the pay scale, {brackets}.\n{APPLIED}")
    assert message in d.message and hint in (d.hint or "") and not others, (d.message, d.hint)


def test_an_application_is_checked() -> None:
    d = the_error(SCALE + "Rule: the limit is the pay scale applied to the age rounded down to whole cents.\n")
    assert "is applied to an amount of money in EUR; this is a whole number" in d.message
    d = the_error(SCALE + "Rule: the limit is the pay scales applied to the gain rounded down to whole cents.\n")
    assert "'pay scales' is not a scale" in d.message and "pay scale" in (d.hint or "")
    d = the_error(SCALE + "Rule: the limit is the pay scale applied to the gain.\n")
    assert "can leave part of a cent; say how to round it" in d.message


def test_an_unused_scale_is_warned_of() -> None:
    assert "the scale 'pay scale' is never applied" in warnings_of(checked(SCALE))


def test_scale_words_stay_usable_inside_names() -> None:
    """'Scale' is a keyword only at the start of a line, so "the pay scale" and "the scale factor" are names."""
    factor = APPLIED.replace("gain", "gain times the scale factor")
    result = checked("Parameter the scale factor: 2.\n" + SCALE + factor)
    assert result.scales[0].label == "pay scale"


# ------------------------------------------------------------------ the module, the interpreter and the prover


@pytest.mark.parametrize("path", [CONTRIBUTION, TAX], ids=lambda p: p.stem)
def test_module_interpreter_prover_and_explanation_agree_at_every_threshold(path: Path) -> None:
    statute = check(parse_file(path))
    module = load_module(statute)
    for scale in statute.scales:
        function = getattr(module, scale.ident)
        for base in [*EDGES, Fraction(-500), Fraction(2), Fraction(3), Fraction(4), Fraction(5)]:
            by_module = function(base)
            by_interpreter = apply_scale(scale, Money(base) if scale.base.kind.value == "money" else base)
            assert getattr(by_interpreter, "amount", by_interpreter) == by_module, (scale.ident, base)
            assert total(scale, base) == by_module, (scale.ident, base)
            proved = z3.simplify(scale_term(scale, z3.RealVal(f"{base.numerator}/{base.denominator}")))
            assert Fraction(str(proved.as_fraction() if z3.is_rational_value(proved) else proved)) == by_module


def test_drawn_and_edge_cases_decide_alike_in_module_and_interpreter() -> None:
    statute = check(parse_file(CONTRIBUTION))
    module = load_module(statute)
    for salary in EDGES:
        for expenses, children in ((0, 0), (500, 2), (13000, 5)):
            case = {"salary": str(salary), "expenses": str(expenses), "children": children}
            assert disagreement(statute, module, case) is None, case


def test_the_scales_decide_as_the_brackets_written_by_hand() -> None:
    """The statute with scales and the one with every bracket written out decide every case alike."""
    with_scales = load_module(check(parse_file(CONTRIBUTION)))
    by_hand = load_module(check(parse_file(BY_HAND)))
    for salary in EDGES:
        for expenses in (0, 500, 6000, 20000):
            for children in range(7):
                case = {"salary": str(salary), "expenses": str(expenses), "children": children}
                decided = (repr(m.decide(m.load_case(case))) for m in (with_scales, by_hand))
                assert next(decided) == next(decided), case


@settings(max_examples=200, deadline=None)
@given(
    st.fractions(min_value=-1000, max_value=100_000, max_denominator=100),
    st.fractions(min_value=0, max_value=10_000, max_denominator=100),
)
def test_a_marginal_rate_scale_is_monotone_and_continuous(base: Fraction, step: Fraction) -> None:
    """Never less for a larger base, and never more than the top rate of the step: no jump at a threshold; in the
    generated module, the interpreter and the explanation's sum alike."""
    for scale, module in _MARGINAL_RATES:
        top = max(b.value for b in scale.brackets)
        ways = (
            getattr(module, scale.ident),
            lambda x, scale=scale: apply_scale(scale, Money(x)).amount,
            lambda x, scale=scale: total(scale, x),
        )
        for way in ways:
            low, high = way(base), way(base + step)
            assert low <= high <= low + top * step, (scale.ident, base, step)


def _marginal_rates() -> list[tuple[ir.Scale, Any]]:
    found = []
    for path in (CONTRIBUTION, TAX):
        statute = check(parse_file(path))
        module = load_module(statute)
        found += [(s, module) for s in statute.scales if s.kind is ir.ScaleKind.MARGINAL_RATES]
    return found


_MARGINAL_RATES = _marginal_rates()


def test_a_single_amount_scale_steps_at_its_thresholds() -> None:
    scale = _scales(CONTRIBUTION)["housing_allowance_scale"]
    at = {x: apply_scale(scale, Money(Fraction(x))) for x in (0, 9999, 10000, 19999, 20000, -1)}
    assert {x: v.amount for x, v in at.items() if isinstance(v, Money)} == {
        0: 300,
        9999: 300,
        10000: 150,
        19999: 150,
        20000: 0,
        -1: 0,
    }


# ------------------------------------------------------------------ the commands


def _explained(tmp_path: Path, statute: Path, case: dict[str, Any], *options: str) -> str:
    file = tmp_path / "case.json"
    file.write_text(json.dumps(case), encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["explain", str(statute), "--case", str(file), "--out", str(out), *options]) == 0
    return out.read_text(encoding="utf-8")


def test_the_explanation_goes_bracket_by_bracket(tmp_path: Path) -> None:
    case = {"salary": "13000", "expenses": "0", "children": 3}
    text = _explained(tmp_path, CONTRIBUTION, case)
    for line in (
        "the contribution scale applied to (the salary minus the expenses) (marginal rates), on 13,000.00 EUR:",
        "2% of the first 6,000.00 EUR = 120.00 EUR",
        "4% of the next 6,400.00 EUR = 256.00 EUR",
        "8% of the 600.00 EUR over 12,400.00 EUR = 48.00 EUR",
        "In all: 424.00 EUR",
        "13,000.00 EUR is in the bracket from 10,000.00 EUR below 20,000.00 EUR: 150.00 EUR",
        "the bracket from 1 up to 2 is reached: 100.00 EUR",
        "the bracket over 2 up to 4 is reached: 80.00 EUR",
    ):
        assert line in text, line
    russian = _explained(tmp_path, CONTRIBUTION, case, "--lang", "ru")
    assert "4% со следующих 6400,00 EUR = 256,00 EUR" in russian and "Итого: 424,00 EUR" in russian
    html = _explained(tmp_path, CONTRIBUTION, case, "--format", "html")
    assert "<li>2% of the first 6,000.00 EUR = 120.00 EUR</li>" in html
    markdown = _explained(tmp_path, CONTRIBUTION, case, "--format", "markdown")
    assert "    - 8% of the 600.00 EUR over 12,400.00 EUR = 48.00 EUR" in markdown


def test_the_explanation_says_a_base_below_the_first_bracket_gives_zero(tmp_path: Path) -> None:
    text = _explained(tmp_path, CONTRIBUTION, {"salary": "1000", "expenses": "1500", "children": 0})
    assert "-500.00 EUR is below the first bracket (up to 6,000.00 EUR): the scale gives 0.00 EUR" in text


@pytest.mark.parametrize("path", [CONTRIBUTION, TAX], ids=lambda p: p.stem)
def test_statute_test_and_prove_pass(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(path)]) == 0
    assert main(["prove", str(path)]) == 0
    assert "0 fail, 0 not proved, 0 unknown" in capsys.readouterr().out


def test_prove_finds_a_broken_guarantee_through_a_scale(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "broken.statute"
    text = CONTRIBUTION.read_text(encoding="utf-8").replace(
        "the salary times 8% rounded up", "the salary times 4% rounded up"
    )
    broken.write_text(text, encoding="utf-8")
    main(["prove", str(broken)])
    out = capsys.readouterr().out
    assert "FAILS" in out and "confirmed by the evaluator" in out


def test_a_scale_is_law_not_a_fact_of_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    """The schema and synthetic registers describe a case's facts: a scale is law, and none of them."""
    assert main(["schema", str(CONTRIBUTION)]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert set(schema["properties"]) == {"id", "salary", "expenses", "children"}


def test_the_scales_of_the_language_reference_parse_as_written() -> None:
    docs = (ROOT.parent / "docs" / "language.md").read_text(encoding="utf-8")
    [block] = [b for b in re.findall(r"```statute\n(.*?)```", docs, re.S) if "\nScale the family" in b]
    statements = parse_source(block).statements
    kinds = [x.kind for x in statements if isinstance(x, s.ScaleDecl)]
    assert kinds == ["marginal rates", "marginal amounts", "single rates", "single amounts"]


def test_diff_names_a_changed_scale_and_finds_the_hand_written_brackets_alike(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.jsonl"
    rows = [{"id": f"c{i}", "salary": str(x), "expenses": "0", "children": i % 7} for i, x in enumerate(EDGES)]
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert main(["diff", str(BY_HAND), str(CONTRIBUTION), "--cases", str(cases)]) == 0
    assert f"{len(rows)} cases: 0 change outcome" in capsys.readouterr().out
    amended = tmp_path / "amended.statute"
    amended.write_text(CONTRIBUTION.read_text(encoding="utf-8").replace("  8% over 12,400", "  9% over 12,400"))
    assert main(["diff", str(CONTRIBUTION), str(amended), "--cases", str(cases)]) == 0
    out = capsys.readouterr().out
    assert "- scale the contribution scale: marginal rates: 2% up to 6,000 EUR;" in out
    assert "12,400 EUR; 8% over 12,400 EUR -> marginal rates:" in out and "contribution higher" in out


# The three scales of openfisca-country-template 8.2.0 as they stand from 2017 (its parameters), in this language; its
# own tests' bases and expected values (tests/data/country_template, the `template` work of issue 14).
COUNTRY_TEMPLATE = """\
Currency: EUR.
Each case is about a household.
A household has:
  - salary: money;
  - income: money.
Scale the social security contribution scale, marginal rates:
  2% up to 6,000 EUR; 6% over 6,000 EUR up to 12,400 EUR; 12% over 12,400 EUR.
Scale the meal price scale, single amounts:
  0 EUR below 250 EUR; 1 EUR from 250 EUR below 500 EUR; 2 EUR from 500 EUR below 1,000 EUR;
  4 EUR from 1,000 EUR below 2,000 EUR; 8 EUR from 2,000 EUR.
Scale the swimming pool scale, marginal amounts:
  0 EUR up to 249 EUR; 1 EUR over 249 EUR up to 499 EUR; 1 EUR over 499 EUR up to 999 EUR; 2 EUR over 999 EUR.
Outcome the contribution: money.
Outcome the meal price: money.
Outcome the swimming pool access: money.
Rule: the contribution is the social security contribution scale applied to the salary rounded down to whole cents.
Rule: the meal price is the meal price scale applied to the income.
Rule: the swimming pool access is the swimming pool scale applied to the income.
"""


@pytest.mark.parametrize(
    ("scale", "bases", "expected"),
    [
        ("social_security_contribution_scale", [2000, 15000], [40, 816]),
        ("meal_price_scale", [0, 1, 250, 499, 500, 3000], [0, 0, 1, 1, 2, 8]),
        ("swimming_pool_scale", [0, 249, 250, 499, 500, 1000], [0, 0, 1, 1, 2, 4]),
    ],
)
def test_the_country_template_scales_give_its_tests_values(scale: str, bases: list[int], expected: list[int]) -> None:
    statute = check(parse_source(COUNTRY_TEMPLATE))
    module = load_module(statute)
    (found,) = (x for x in statute.scales if x.ident == scale)
    assert [getattr(module, scale)(Fraction(b)) for b in bases] == expected
    assert [apply_scale(found, Money(Fraction(b))) for b in bases] == [Money(Fraction(e)) for e in expected]


def test_what_would_change_the_decision_tries_the_nearest_thresholds_of_a_scale(tmp_path: Path) -> None:
    text = _explained(tmp_path, CONTRIBUTION, {"salary": "13000", "expenses": "0", "children": 3})
    assert "Had the children been 2 instead of 3, the family supplement would have been 100.00 EUR" in text


def test_a_scale_inside_a_formula_is_decided_proved_and_explained(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    statute = ROOT / "data" / "scale_in_formula.statute"
    checked_statute = check(parse_file(statute))
    module = load_module(checked_statute)
    for x in EDGES:
        assert disagreement(checked_statute, module, {"salary": str(x), "bonus": str(x)}) is None, x
    assert main(["prove", str(statute)]) == 0
    assert "1 proved" in capsys.readouterr().out
    text = _explained(tmp_path, statute, {"salary": "13000", "bonus": "5000"})
    assert "      8% of the 600.00 EUR over 12,400.00 EUR = 48.00 EUR" in text
