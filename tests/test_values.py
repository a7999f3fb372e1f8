"""compiler/values.py: the one text form of each value, and the duration and calendar it writes; the generated
module carries the same code, so what is tested here is what a module writes."""

from __future__ import annotations

import datetime
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler import values
from compiler.backends.python.naming import BEGIN, END, runtime_parts
from compiler.backends.python.runtime_cases import parse_decimal
from compiler.explain.format import Locale, number_text

EN = Locale("en", {"minus": "minus"})

# ------------------------------------------------------------------ numbers and money


@pytest.mark.parametrize(
    ("value", "places", "text"),
    [
        (0, 0, "0"),
        (0, 2, "0.00"),
        (250000, 0, "250000"),
        (Fraction(3, 4), 0, "0.75"),
        (Fraction(-1, 2), 0, "-0.5"),
        (Fraction(-1, 200), 0, "-0.005"),
        (Fraction(25, 2), 2, "12.50"),
        (Fraction(1, 3), 0, "1/3"),
        (Fraction(-2, 3), 2, "-2/3"),
        (Fraction(1, 2**13), 0, "0.0001220703125"),  # 13 places: examples.py once wrote "1/8192"
        (Fraction(1, 2**19), 0, "0.0000019073486328125"),  # 19 places, the most
        (Fraction(1, 2**20), 0, "1/1048576"),  # 20 places: the fraction
        (Fraction(1, 2**20), 1, "0.00000095367431640625"),  # at least one place: up to 20
    ],
)
def test_a_decimal_as_written(value: int | Fraction, places: int, text: str) -> None:
    assert values.decimal_text(value, places) == text


def test_a_number_too_long_to_write_is_refused_by_the_module_and_approximated_in_messages() -> None:
    huge = Fraction(10**5000 - 1, 3)
    with pytest.raises(ValueError, match="more digits than can be written"):
        values.decimal_text(huge)
    assert values.number_text(huge) == "a number of 5,000 digits (≈ 3.3333e+4999)"
    assert values.number_text(Fraction(7, 4)) == "1.75"
    assert values.scientific_text(-Fraction(1, 3 * 10**5000)) == "≈ -3.3333e-5001"
    assert values.scientific_text(Fraction(999995, 100000)) == "≈ 1.0000e+1"  # 9.99995 rounds up


@pytest.mark.parametrize(
    ("value", "currency", "text"),
    [
        (0, None, "0.00"),
        (250000, "USD", "250000.00 USD"),
        (Fraction(-1, 2), "KZT", "-0.50 KZT"),
        (Fraction(12345, 1000), None, "12.345"),  # never rounded: rounding is the statute's to say
    ],
)
def test_money_with_its_currency(value: int | Fraction, currency: str | None, text: str) -> None:
    assert values.money_text(value, currency) == text


@pytest.mark.parametrize(
    ("value", "places", "group", "text"),
    [
        (Fraction(25, 4), 1, "", "6.3"),  # halves away from zero: float formatting said 6.2
        (Fraction(-25, 4), 1, "", "-6.3"),
        (Fraction(-1, 25), 1, "", "0.0"),  # no "-0.0"
        (Fraction(1, 3), 0, "", "0"),
        (Fraction(5, 2), 0, "", "3"),
        (Fraction(12345678, 10), 1, ",", "1,234,567.8"),
        (999, 2, ",", "999.00"),
        (1000, 0, ",", "1,000"),
    ],
)
def test_a_number_rounded_to_places(value: Fraction | int, places: int, group: str, text: str) -> None:
    assert values.rounded_text(value, places, group) == text


def test_digits_are_grouped_by_three_from_the_shortest_length() -> None:
    assert values.grouped("1234", ",") == "1,234"
    assert values.grouped("1234", " ", shortest=5) == "1234"
    assert values.grouped("12345", " ", shortest=5) == "12 345"
    assert values.grouped("1234567", "") == "1234567"


@given(st.fractions().filter(lambda x: values.decimal_parts(x) is not None))
def test_an_explanation_writes_the_digits_the_module_writes(value: Fraction) -> None:
    """Only the grouping and the decimal point are the reader's language: the precision is one."""
    assert number_text(value, EN).replace(",", "") == values.decimal_text(value)


def test_an_explanation_approximates_a_number_with_no_short_decimal() -> None:
    assert number_text(Fraction(274, 365), EN) == "274/365 (≈ 0.7507)"
    assert number_text(Fraction(1, 128), EN) == "0.0078125"  # 7 places: once "1/128 (≈ 0.0078)"


# ------------------------------------------------------------------ durations


@pytest.mark.parametrize(
    ("months", "days", "text"),
    [
        (0, 0, "0 days"),
        (0, 1, "1 day"),
        (12, 0, "1 year"),
        (12, 1, "1 year 1 day"),
        (13, 1, "1 year 1 month 1 day"),
        (30, 0, "2 years 6 months"),
        (0, 365, "365 days"),  # days never become months or years
        (20, -15, "1 year 7 months 15 days"),  # the normal form
        (1, -45, "minus 15 days"),
        (-14, 0, "minus 1 year 2 months"),
        (0, Fraction(15, 2), "7.5 days"),
    ],
)
def test_a_duration_as_written(months: int, days: int | Fraction, text: str) -> None:
    assert values.duration_text(months, days) == text
    assert values.Duration(months, days).text == text


def test_one_year_and_twelve_months_are_one_duration_and_360_days_another() -> None:
    year, twelve, days = values.Duration.parse("1 year"), values.Duration.parse("12 months"), values.Duration(0, 360)
    assert (year.months, year.days) == (twelve.months, twelve.days) == (12, 0) and twelve.text == "1 year"
    assert year == days  # ordered and compared at 30 days to the month
    assert year.text != days.text  # but written as given: the calendar tells them apart


def test_dates_move_on_the_calendar_across_leap_days() -> None:
    assert values.add_to_date(datetime.date(2020, 2, 29), values.Duration(12, 0)) == datetime.date(2021, 2, 28)
    assert values.add_to_date(datetime.date(2024, 1, 31), values.Duration(1, 0)) == datetime.date(2024, 2, 29)
    assert values.add_to_date(datetime.date(2024, 2, 28), values.Duration(0, 1)) == datetime.date(2024, 2, 29)
    assert values.calendar_months_span(12) == (365, 366)
    with pytest.raises(values.CalendarError, match="9999-12-31 plus 1 day falls outside the calendar"):
        values.add_to_date(datetime.date(9999, 12, 31), values.Duration(0, 1))
    assert issubclass(values.CalendarError, values.UndecidedError)  # the case is undecided, not a crash


def test_a_period_and_any_value_in_a_message() -> None:
    assert values.period_text(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)) == "from 2022-01-01 to 2022-12-31"
    shown = [values._shown(v) for v in (None, True, Fraction(1, 4), datetime.date(2022, 1, 5), values.Duration(3))]
    assert shown == ["nothing", "yes", "0.25", "2022-01-05", "3 months"]
    long = values._shown("x" * 100)
    assert "..." in long and len(long) <= 60


# ------------------------------------------------------------------ round trips through the readers


@given(st.integers(0, 10**6), st.integers(0, 10**6))
def test_a_duration_read_back_from_its_text_is_the_same(months: int, days: int) -> None:
    """What a module writes for a duration, a case reader reads back as the very months and days (a case file of
    results can be read as facts), and writes again the same."""
    text = values.duration_text(months, days)
    read = values.Duration.parse(text)
    assert (read.months, read.days) == (months, days) and read.text == text


@given(st.integers(-(10**12), 10**12))
def test_money_read_back_from_its_text_is_the_same(cents: int) -> None:
    amount = Fraction(cents, 100)
    text = values.money_text(amount)
    assert parse_decimal(text) == amount and values.money_text(parse_decimal(text)) == text


@given(st.fractions(min_value=-(10**12), max_value=10**12, max_denominator=10**6))
def test_a_number_read_back_from_its_text_is_the_same(value: Fraction) -> None:
    """Exact either way: a decimal, or the fraction where no short decimal is exact."""
    assert parse_decimal(values.decimal_text(value)) == value


def test_the_generated_module_carries_this_code_as_written() -> None:
    """One code, not two copies that could drift: the part of values.py between its markers is in every module."""
    source = Path(values.__file__).read_text(encoding="utf-8")
    body = source.split(BEGIN)[1].split(END)[0].strip("\n")
    _, runtime = runtime_parts()
    assert runtime.startswith(body)
