"""One calendar and one duration arithmetic (issue 12, section 1): the normal form of a duration, its one text form,
the same value in the runtime, the explanation and the prover's encoding, and the algebra's properties."""

from __future__ import annotations

import datetime
import functools
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import values
from compiler.backends.python import runtime as rt
from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.explain.decision import explain
from compiler.explain.format import duration_text
from compiler.explain.render import locale_for, render
from compiler.model import ir

ROOT = Path(__file__).parent.parent
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"

# Case KZ-0009 of the amnesty register with age at the act 30, the charge ordinary and the sentence begun on
# 18 March 2022 (issue 12): 6 years 6 months reduced by three quarters is 19.5 months, 1 year 7 months 15 days, which
# from 18 March 2022 ends on 2 November 2023: exactly one year after the entry into force, so Article 4 releases
# ("no more than one year of the sentence left to serve"). Held as 20 months less 15 days it ended on 3 November.
KZ_0009_VARIANT = {
    "role": "civilian",
    "age_at_act": 30,
    "relapse": "without relapse",
    "charges": [
        {
            "offence": "Article 272 part 1 (organisation of mass riots)",
            "gravity": "grave",
            "category": "ordinary",
            "circumstances": "in the riots",
            "act_date": "2022-01-06",
            "proven": True,
            "stage": "serving sentence",
            "sentence": "6 years 6 months",
            "sentence_start": "2022-03-18",
        }
    ],
}


@functools.cache
def amnesty() -> tuple[ir.Checked, ModuleType]:
    checked = build.check_file(AMNESTY)
    return checked, build.load_module(checked)


def test_kz_0009_variant_on_the_threshold_is_released_under_article_4() -> None:
    _, module = amnesty()
    case = module.load_case(KZ_0009_VARIANT)
    evaluation = module.Evaluation(case)
    reduced = evaluation.charge_reduced_sentence(case.charges[0])
    assert (reduced.months, reduced.days) == (19, 15)
    assert datetime.date(2022, 3, 18) + reduced == datetime.date(2023, 11, 2)
    decision = module.decide(case)
    assert decision.amnesty_measure.text == "released from punishment"
    # Time served on the day of entry into force, the lesser of it and the reduced sentence (Article 4's Note).
    assert decision.charges[0].new_sentence.text == "229 days"


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_explanation_shows_the_value_the_decision_used(lang: str) -> None:
    """One value for one sentence: the explanation writes the reduced sentence as `statute run` does, and the date
    it reaches is the date the decision compared."""
    checked, module = amnesty()
    locale = locale_for(lang, AMNESTY)
    explanation = explain(
        checked, GeneratedEvaluator(checked, module), module.load_case(KZ_0009_VARIANT), locale, "kz_0009_variant"
    )
    text = render(explanation, "text", locale)
    if lang == "en":
        assert "the reduced sentence of the charge (1 year 7 months 15 days), that is 2 November 2023, is on or" in text
        assert "amnesty measure: released from punishment" in text
    else:
        assert "1 год 7 месяцев 15 дней" in text and "2 ноября 2023 г." in text
    assert "-15" not in text and "8 months" not in text and "8 месяцев" not in text


# ------------------------------------------------------------------ the normal form


@pytest.mark.parametrize(
    ("months", "days", "normal", "text"),
    [
        (20, -15, (19, 15), "1 year 7 months 15 days"),
        (1, -45, (0, -15), "minus 15 days"),
        (0, 45, (0, 45), "45 days"),
        (-3, 10, (-2, -20), "minus 2 months 20 days"),
        (12, -360, (0, 0), "0 days"),
        (14, 0, (14, 0), "1 year 2 months"),
        (2, Fraction(-1, 2), (1, Fraction(59, 2)), "1 month 29.5 days"),
    ],
)
def test_one_normal_form_and_one_text(months: int, days: int | Fraction, normal: tuple[int, int], text: str) -> None:
    assert values.normal_duration(months, days) == normal
    assert values.Duration(months, days).text == text
    assert duration_text(months, days, locale_for("en", AMNESTY)) == text  # the explanation's English is run's
    if isinstance(days, int):
        assert ir.Duration(months, days).text == text
        assert ir.Duration.normal(months, days) == ir.Duration(*normal)


def test_every_producer_returns_the_normal_form() -> None:
    d = values.Duration
    assert (d(78, 0) - d(58, 15)).months == 19  # subtraction
    assert (d(1, 0) + d(0, -45)).days == -15  # addition
    assert ((d(78, 0) * Fraction(1, 4)).months, (d(78, 0) * Fraction(1, 4)).days) == (19, 15)  # a fraction
    assert (-d(20, -15)).months == -19  # negation
    rounded = rt.round_duration(d(3, Fraction(-91, 2)), "days", "down")  # rounding
    assert (rounded.months, rounded.days) == (1, 14)  # 44.5 days in all, down to whole days
    # A value made directly in another form still reaches the date its text names.
    assert datetime.date(2022, 3, 18) + d(20, -15) == datetime.date(2023, 11, 2)


def test_reduced_by_for_a_duration_keeps_the_part_that_remains() -> None:
    """`A reduced by F` of a duration is 1 - F of A (docs/language.md, section 10), not A minus F of A."""
    d = values.Duration
    for months in range(0, 400, 7):
        for days in (0, 1, 15, 29, 40):
            for share in (Fraction(3, 4), Fraction(1, 2), Fraction(1, 3)):
                remaining = d(months, days) * (1 - share)
                assert remaining.months == int(months * (1 - share))
                assert remaining.days >= 0


# ------------------------------------------------------------------ properties of the algebra

raw = st.tuples(st.integers(-500, 500), st.integers(-20_000, 20_000))
normal_parts = st.tuples(st.integers(0, 400), st.integers(0, 2_000))
days_in_2000_to_2100 = st.dates(datetime.date(2000, 1, 1), datetime.date(2100, 12, 31))


@given(raw)
def test_the_normal_form_is_idempotent_keeps_the_total_and_has_one_sign(parts: tuple[int, int]) -> None:
    months, days = values.normal_duration(*parts)
    assert values.normal_duration(months, days) == (months, days)
    assert months * 30 + days == parts[0] * 30 + parts[1]
    assert not (months > 0 > days or days > 0 > months)
    if not (parts[0] > 0 > parts[1] or parts[1] > 0 > parts[0]):
        assert (months, days) == parts  # already normal: left as it is


@given(normal_parts)
def test_the_normal_form_is_unique_its_text_reads_back_as_itself(parts: tuple[int, int]) -> None:
    value = values.Duration(*parts)
    again = values.Duration.parse(value.text)
    assert (again.months, again.days) == parts


@given(raw, raw)
def test_arithmetic_returns_the_normal_form(a: tuple[int, int], b: tuple[int, int]) -> None:
    x, y = values.Duration(*values.normal_duration(*a)), values.Duration(*values.normal_duration(*b))
    for result in (x + y, x - y, -x, x * Fraction(1, 4), x * 3):
        assert values.normal_duration(result.months, result.days) == (result.months, result.days)
    assert ((x + y) - y).total_days == x.total_days


@given(normal_parts, normal_parts)
def test_adding_then_subtracting_a_duration_gives_the_duration_back(a: tuple[int, int], b: tuple[int, int]) -> None:
    x, y = values.Duration(*a), values.Duration(*b)
    back = (x + y) - y
    assert (back.months, back.days) == a


@given(days_in_2000_to_2100, normal_parts, normal_parts)
def test_ordering_of_durations_agrees_with_the_dates_they_reach(
    start: datetime.date, a: tuple[int, int], b: tuple[int, int]
) -> None:
    """Where the order does not hang on how long a month is (both in days, both in months, or one no longer in each
    part), the longer duration reaches the later date (or the same one, when months end on a month's last day)."""
    x, y = values.Duration(*a), values.Duration(*b)
    if a[0] <= b[0] and a[1] <= b[1]:
        assert start + x <= start + y
    if a[0] == b[0] == 0 or (a[1] == b[1] == 0):
        assert (x < y) == (start + x < start + y)


@given(days_in_2000_to_2100, st.integers(0, 600), st.integers(0, 3_000))
def test_adding_then_subtracting_from_a_date_round_trips_where_the_calendar_allows(
    start: datetime.date, months: int, days: int
) -> None:
    in_days, in_months = values.Duration(0, days), values.Duration(months, 0)
    assert (start + in_days) - in_days == start  # days: always
    if start.day <= 28:  # every month has the day: no end of month to clamp to
        assert (start + in_months) - in_months == start
    else:
        assert (start + in_months) - in_months <= start


@given(days_in_2000_to_2100, days_in_2000_to_2100)
def test_the_days_between_two_dates_lead_from_one_to_the_other(first: datetime.date, second: datetime.date) -> None:
    between = rt.days_between(second, first)
    assert (between.months, between.days) == (0, (second - first).days)
    assert first + between == second


def test_the_provers_normal_form_is_the_runtimes() -> None:
    """`statute prove` encodes a sum or difference of durations in the same normal form, so the date it reaches is
    the date the evaluator reaches (20 months less 15 days from 18 March 2022 is 2 November 2023 in both)."""
    z3 = pytest.importorskip("z3")
    from compiler.prove.arithmetic import normal_duration
    from compiler.prove.calendar import add_duration

    m, d, x = z3.Ints("m d x")
    months, days = normal_duration(m, d)
    reached, _ = add_duration(x, months, days, 1)
    start = datetime.date(2022, 3, 18)
    for raw_months in (-40, -13, -1, 0, 1, 2, 20, 77):
        for raw_days in (-900, -61, -45, -30, -15, -1, 0, 1, 15, 29, 30, 31, 45, 400):
            bound = [(m, z3.IntVal(raw_months)), (d, z3.IntVal(raw_days)), (x, z3.IntVal(start.toordinal()))]
            got = tuple(z3.simplify(z3.substitute(v, *bound)).as_long() for v in (months, days))
            assert got == values.normal_duration(raw_months, raw_days), (raw_months, raw_days)
            on = z3.simplify(z3.substitute(reached, *bound)).as_long()
            assert datetime.date.fromordinal(on) == start + values.Duration(raw_months, raw_days)


def test_the_explanation_shows_how_a_reduced_sentence_was_reached() -> None:
    """The value before rounding, where the rounding changed it (docs/language.md's own example, 5 years 1 month)."""
    checked, module = amnesty()
    locale = locale_for("en", AMNESTY)
    charge = {**KZ_0009_VARIANT["charges"][0], "sentence": "5 years 1 month"}  # type: ignore[dict-item]
    case = module.load_case({**KZ_0009_VARIANT, "charges": [charge]})
    text = render(
        explain(checked, GeneratedEvaluator(checked, module), case, locale, "five_years_one_month"), "text", locale
    )
    assert (
        "the sentence of the charge (5 years 1 month) reduced by the amnesty reduction of the charge (0.75), that is"
        " 1 year 3 months 7.5 days,"
        " rounded down to whole days, that is 1 year 3 months 7 days"
    ) in text
    case = module.load_case(KZ_0009_VARIANT)  # nothing to round: said once
    text = render(
        explain(checked, GeneratedEvaluator(checked, module), case, locale, "kz_0009_variant"), "text", locale
    )
    assert "(0.75) rounded down to whole days, that is 1 year 7 months 15 days" in text


# ------------------------------------------------------------------ how a month is counted (the checker asks)

MONTHS_VOCABULARY = """\
Each case is about a person.
A person has:
  - sentence: duration;
  - sentence end: date;
  - time served: duration.
Parameter the release date: 2 November 2022.
Parameter the short term: 6 months.
Parameter the remission: 0 days.
Outcome the release: one of released, kept; by default kept.
Outcome the new sentence: duration, optional.
"""


def month_check(body: str) -> list[str]:
    """The checker's errors on a statute of MONTHS_VOCABULARY and `body` (none: an empty list)."""
    from compiler.frontend.diagnostics import StatuteError
    from tests.statute_snippets import checked

    try:
        checked(body, MONTHS_VOCABULARY)
    except StatuteError as error:
        return [f"{d.message} | {d.hint}" for d in error.diagnostics if d.is_error]
    return []


def test_less_than_six_months_left_with_181_days_left_asks_how_a_month_counts() -> None:
    """Issue 12: 181 days left is not less than six months at 30 days to the month, but from 1 January six calendar
    months are exactly 181 days: the checker refuses to choose and shows both readings."""
    body = "Rule: the release is released if the sentence end minus the release date is less than the short term.\n"
    [found] = month_check(body)
    assert "comparing a duration in days with the short term: the answer depends on how long a month is" in found
    assert "'counting a month as 30 days'" in found and "calendar month, 28 to 31 days" in found
    stated = body.replace("the short term.", "the short term counting a month as 30 days.")
    assert month_check(stated) == []
    as_dates = "Rule: the release is released if the sentence end is before the release date plus the short term.\n"
    assert month_check(as_dates) == []  # dates: months are calendar months, nothing to say


@pytest.mark.parametrize(
    "body",
    [
        "Rule: the new sentence is the lesser of the sentence and the sentence end minus the release date.\n",
        "Rule: the release is released if the time served is at least the sentence.\n",
        "Rule: the release is released if the sentence is at most 400 days.\n",
        "Rule: the release is released if the sentence is between 1 year and 400 days.\n",
        "Rule: the new sentence is the greater of the sentence times three quarters rounded down to whole days"
        " and 6 months.\n",
    ],
)
def test_months_meeting_days_must_say_how_a_month_counts(body: str) -> None:
    assert any("depends on how long a month is" in e for e in month_check(body)), body
    stated = body.replace(".\n", " counting a month as 30 days.\n")
    assert month_check(stated) == []


@pytest.mark.parametrize(
    "body",
    [
        "Rule: the release is released if the sentence end minus the release date is less than 181 days.\n",
        "Rule: the release is released if the sentence times one half rounded down to whole months"
        " is at least 1 year.\n",
        "Rule: the release is released if the short term is at most 1 year.\n",
        "Rule: the release is released if the sentence is more than the remission.\n",  # zero goes with anything
    ],
)
def test_comparisons_that_do_not_hang_on_a_month_need_nothing(body: str) -> None:
    assert month_check(body) == []


# ------------------------------------------------------------------ a decimal to a whole number


WHOLE_NUMBER_STATUTE = """\
Title: "Whole years".
Each case is about a person.
A person has:
  - days served: duration from 0 days to 3650 days.
Outcome the years served: whole number.
Article 1. Years
Rule: the years served is the days served divided by 365 days counting a month as 30 days rounded down to whole units.
Example "729 days are one whole year" (Article 1):
  Facts: days served: 729 days.
  Expected: the years served is 1.
Example "730 days are two" (Article 1):
  Facts: days served: 730 days.
  Expected: the years served is 2.
"""


def test_a_decimal_rounded_to_whole_units_is_a_whole_number(tmp_path: Path) -> None:
    from compiler.driver.runner import run_examples

    path = tmp_path / "whole.statute"
    path.write_text(WHOLE_NUMBER_STATUTE, encoding="utf-8")
    checked = build.check_file(path)
    [outcome] = [d for d in checked.definitions if d.ident == "years_served"]
    assert outcome.rules[0].value.type == ir.INT
    module = build.load_module(checked)
    assert all(not r.failures for r in run_examples(checked, module))
    decision = module.decide(module.load_case({"days_served": "1094 days"}))
    assert decision.years_served == 2 and isinstance(decision.years_served, int)


# ------------------------------------------------------------------ whole years between two dates (an age)

AGE_STATUTE = """\
Title: "Ages".
Each case is about a person.
A person has:
  - birth date: date from 1 January 1950 to 31 December 2020;
  - act date: date from 1 January 2000 to 31 December 2030.
Outcome the treatment: one of minor, adult; by default adult.
Definition the age at the act: whole number.
Article 1. Minors
Rule: the age at the act is the whole years from the birth date to the act date.
Rule: the treatment is minor if the age at the act is less than 18.
Example "Born on 29 February 2004, eighteen on 28 February 2022" (Article 1):
  Facts: birth date: 29 February 2004; act date: 28 February 2022.
  Expected: the age at the act is 18; the treatment is adult.
Example "Born on 1 March 2004, still seventeen on 28 February 2022" (Article 1):
  Facts: birth date: 1 March 2004; act date: 28 February 2022.
  Expected: the age at the act is 17; the treatment is minor.
Example "Eighteen on the birthday" (Article 1):
  Facts: birth date: 6 January 2004; act date: 6 January 2022.
  Expected: the age at the act is 18; the treatment is adult.
"""


def test_the_whole_years_from_a_birth_date_is_an_age_on_the_calendar(tmp_path: Path) -> None:
    """Born on 29 February 2004: 18 on 28 February 2022 (29 February 2004 plus 18 years, as dates move); born on
    1 March 2004: still 17 that day. The explanation shows the dates and the age."""
    from compiler.driver.runner import run_examples

    path = tmp_path / "ages.statute"
    path.write_text(AGE_STATUTE, encoding="utf-8")
    checked = build.check_file(path)
    module = build.load_module(checked)
    assert [r.failures for r in run_examples(checked, module)] == [(), (), ()]
    locale = locale_for("en", path)
    case = module.load_case({"birth_date": "2004-03-01", "act_date": "2022-02-28"})
    text = render(explain(checked, GeneratedEvaluator(checked, module), case, locale, "age"), "text", locale)
    assert "the whole years from the birth date (1 March 2004) to the act date (28 February 2022), that is 17" in text


@given(days_in_2000_to_2100, days_in_2000_to_2100)
def test_whole_years_and_months_are_the_most_that_fit(start: datetime.date, end: datetime.date) -> None:
    months = values.whole_between("months", start, end)
    years = values.whole_between("years", start, end)
    if end >= start:
        assert start + values.Duration(months, 0) <= end < start + values.Duration(months + 1, 0)
        assert start + values.Duration(12 * years, 0) <= end < start + values.Duration(12 * years + 12, 0)
    else:
        assert (months, years) == (
            -values.whole_between("months", end, start),
            -values.whole_between("years", end, start),
        )


def test_the_provers_whole_years_and_months_are_the_runtimes() -> None:
    z3 = pytest.importorskip("z3")
    from compiler.prove.calendar import whole_between

    a, b = z3.Ints("a b")
    terms = {unit: whole_between(unit, a, b) for unit in ("years", "months")}
    births = [
        datetime.date(2004, 2, 29),
        datetime.date(2004, 3, 1),
        datetime.date(2000, 1, 31),
        datetime.date(2010, 8, 15),
    ]
    for born in births:
        for on in [
            datetime.date(2022, 2, 28),
            datetime.date(2022, 3, 1),
            datetime.date(2010, 8, 14),
            datetime.date(1999, 12, 31),
        ]:
            for unit, term in terms.items():
                bound = [(a, z3.IntVal(born.toordinal())), (b, z3.IntVal(on.toordinal()))]
                got = z3.simplify(z3.substitute(term, *bound)).as_long()
                assert got == values.whole_between(unit, born, on), (unit, born, on)
