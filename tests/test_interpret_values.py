"""The reference interpreter's own values (compiler/interpret/values.py): the calendar semantics of issue 12
section 1 as a table, and its arithmetic checked against the generated module's runtime where the two semantics
agree (durations already in normal form), on values weighted toward month ends and leap days."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import values
from compiler.backends.python import runtime
from compiler.interpret.read import parse_duration
from compiler.interpret.values import Day, Duration, decimal_text, round_duration, round_places, round_whole


def day(text: str) -> Day:
    return Day.from_iso(text)


@pytest.mark.parametrize(
    ("start", "duration", "reached"),
    [
        ("2023-01-31", "1 month", "2023-02-28"),  # the end of a shorter month
        ("2024-01-31", "1 month", "2024-02-29"),  # a leap year
        ("2024-02-29", "1 year", "2025-02-28"),
        ("2023-01-31", "1 month 1 day", "2023-03-01"),  # months first, then days
        ("2022-03-18", "1 year 7 months 15 days", "2023-11-02"),  # issue 12: the KZ-0009 edge, on the threshold
        ("2022-11-02", "1 year", "2023-11-02"),
        ("2021-12-31", "60 days", "2022-03-01"),
    ],
)
def test_a_day_plus_a_duration_goes_months_first(start: str, duration: str, reached: str) -> None:
    assert day(start).plus(parse_duration(duration)) == day(reached)
    assert day(reached).plus(-parse_duration(duration)) <= day(start)  # going back may land earlier: 28 Feb - 1 month


@pytest.mark.parametrize(
    ("months", "days", "normal", "text"),
    [
        (20, -15, (19, 15), "1 year 7 months 15 days"),  # the reduced sentence of issue 12
        (-1, 10, (0, -20), "minus 20 days"),  # 10 days minus a month
        (0, 45, (0, 45), "45 days"),  # days are not turned into months
        (Fraction(61, 4), 0, (15, Fraction(15, 2)), "1 year 3 months 7.5 days"),  # a quarter of a month is days
        (0, 0, (0, 0), "0 days"),
    ],
)
def test_the_normal_form(months: int | Fraction, days: int, normal: tuple[int, int], text: str) -> None:
    d = Duration.of(months, days)
    assert (d.months, d.days) == normal and d.text() == text
    assert Duration.of(d.months, d.days) == d  # idempotent


def test_five_years_one_month_reduced_by_three_quarters() -> None:
    sentence = parse_duration("5 years 1 month")
    reduced = sentence.minus(sentence.times(Fraction(3, 4)))
    assert (reduced.months, reduced.days) == (15, Fraction(15, 2))
    assert round_duration(reduced, "days", "down").text() == "1 year 3 months 7 days"
    assert round_duration(reduced, "days", "up").text() == "1 year 3 months 8 days"


def test_lengths_compare_a_month_as_30_days_and_days_between_are_days() -> None:
    assert parse_duration("1 year").same_length(parse_duration("360 days"))
    assert parse_duration("1 month").total_days < parse_duration("31 days").total_days
    assert day("2024-03-01").minus(day("2024-02-28")) == Duration(0, 2)


# ------------------------------------------------------------------ against the runtime, where they agree

_EDGE_DAYS = st.sampled_from([1, 28, 29, 30, 31]).flatmap(
    lambda d: (
        st.tuples(st.integers(1, 9990), st.integers(1, 12))
        .filter(lambda ym: d <= values._days_in_month(ym[0], ym[1]))
        .map(lambda ym: datetime.date(ym[0], ym[1], d))
    )
)
DATES = st.one_of(st.dates(datetime.date(1, 1, 1), datetime.date(9990, 12, 31)), _EDGE_DAYS)
NUMBERS = st.fractions(min_value=-1000, max_value=1000, max_denominator=400)
MODES = st.sampled_from(["down", "up", "half up"])


@settings(max_examples=300, derandomize=True, database=None)
@given(DATES, st.integers(0, 120), st.integers(0, 400))
def test_calendar_agrees_with_the_runtime_on_normal_durations(start: datetime.date, months: int, days: int) -> None:
    mine = Day(start.year, start.month, start.day)
    assert mine.ordinal == start.toordinal() and Day.from_ordinal(start.toordinal()) == mine
    theirs = values.add_to_date(start, values.Duration(months, days))
    assert mine.plus(Duration.of(months, days)).iso() == theirs.isoformat()


@settings(max_examples=300, derandomize=True, database=None)
@given(st.integers(-500, 500), st.integers(-20000, 20000))
def test_duration_text_agrees_with_the_runtime(months: int, days: int) -> None:
    assert Duration.of(months, days).text() == values.Duration(months, days).text


@settings(max_examples=300, derandomize=True, database=None)
@given(NUMBERS, MODES, st.integers(0, 4))
def test_rounding_and_decimals_agree_with_the_runtime(value: Fraction, mode: str, places: int) -> None:
    assert round_whole(value, mode) == runtime.round_whole(value, mode)
    assert round_places(value, places, mode) == runtime.round_number(value, places, mode)
    assert decimal_text(value, places) == values.decimal_text(value, places)


@settings(max_examples=300, derandomize=True, database=None)
@given(st.integers(0, 400), st.integers(0, 400), NUMBERS, MODES, st.sampled_from(["days", "months", "years"]))
def test_duration_times_a_fraction_and_rounding_agree_in_length(
    months: int, days: int, factor: Fraction, mode: str, unit: str
) -> None:
    mine, theirs = Duration.of(months, days).times(factor), values.Duration(months, days) * factor
    assert mine.total_days == theirs.total_days
    assert round_duration(mine, unit, mode).total_days == runtime.round_duration(theirs, unit, mode).total_days


def test_a_whole_number_divided_by_another_is_a_decimal() -> None:
    from compiler.interpret.evaluate import arithmetic

    assert arithmetic("/", 5, 2) == Fraction(5, 2)
    assert arithmetic("*", 3, Duration.of(1, 10)) == Duration(3, 30)


def test_the_interpreter_shares_nothing_with_the_generated_modules_runtime() -> None:
    """Its independence is the point of the differential tests: no module of compiler/interpret imports the
    backends, whose runtime every generated module carries."""
    import ast
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "compiler" / "interpret"
    imported = set()
    for source in package.glob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module)
            elif isinstance(node, ast.Import):
                imported.update(alias.name for alias in node.names)
    assert len(list(package.glob("*.py"))) >= 6
    assert not [name for name in imported if name.startswith("compiler.backends")], imported
