"""The runtime every generated module carries (compiler/backends/runtime.py), tested directly."""

from __future__ import annotations

import datetime
from fractions import Fraction

import pytest

from compiler.backends import runtime as rt
from compiler.backends import runtime_trace as rtt


def test_duration_arithmetic_and_order() -> None:
    D = rt.Duration
    assert D(12, 0) == D(0, 360) and hash(D(12, 0)) == hash(D(0, 360)) and D(1, 0) < D(0, 31)
    assert D(7, 0) * Fraction(1, 2) == D(3, 15) and (D(7, 0) * Fraction(1, 2)).days == 15
    assert D(42, 15) * Fraction(3, 4) == D(31, Fraction(105, 4)) and D(42, 15) - D(31, Fraction(105, 4)) == D(
        11, Fraction(-45, 4)
    )
    assert 2 * D(1, 10) == D(2, 20) and D(2, 20) / D(1, 10) == 2 and D(3, 0) / 3 == D(1, 0)
    assert (D(1, 0) - D(0, 40)).total_days == -10 and -D(1, 2) == D(-1, -2)
    assert [D(30, 15).text, D(12, 0).text, D(0, 0).text, D(0, 1).text, D(0, -3).text, D(16, -23).text] == [
        "2 years 6 months 15 days", "1 year", "0 days", "1 day", "minus 3 days", "1 year 3 months 7 days",
    ]  # fmt: skip
    assert D.parse("3 years 6 months") == D(42, 0) and D.parse("120 days") == D(0, 120)
    assert (
        D.parse("P3Y6M") == D(42, 0)
        and D.parse("p2w3d") == D(0, 17)
        and D.parse("1 year, 2 weeks and 3 days") == D(12, 17)
    )
    for bad in ["", "3", "three years", "2 fortnights", "P", "1.5 years"]:
        with pytest.raises(ValueError):
            D.parse(bad)


def test_dates_and_periods() -> None:
    D, day = rt.Duration, datetime.date
    assert day(2022, 1, 31) + D(1, 0) == day(2022, 2, 28) and day(2024, 1, 31) + D(1, 1) == day(2024, 3, 1)
    assert day(2022, 3, 1) - D(0, 1) == day(2022, 2, 28) and day(2022, 11, 2) + D(12, 0) == day(2023, 11, 2)
    assert rt.days_between(day(2022, 11, 2), day(2022, 3, 1)) == D(0, 246)
    with pytest.raises(ValueError, match="round"):
        rt.add_to_date(day(2022, 1, 1), D(0, Fraction(1, 2)))
    period = rt.Period(day(2022, 1, 4), day(2022, 1, 7))
    assert day(2022, 1, 4) in period and day(2022, 1, 7) in period and day(2022, 1, 8) not in period


def test_rounding() -> None:
    third, half = Fraction(1, 3), Fraction(5, 2)
    assert [rt.round_whole(x, m) for x in (half, -half) for m in rt.ROUNDING_MODES] == [2, 3, 3, -2, -3, -3]
    assert rt.round_whole(third, "up") == 1 and rt.round_whole(Fraction(2, 3), "half up") == 1
    assert rt.round_number(Fraction(1, 60), 2, "half up") == Fraction(2, 100) and rt.round_number(
        Fraction(1, 3), 2, "down"
    ) == Fraction(33, 100)
    D = rt.Duration
    assert rt.round_duration(D(11, Fraction(-45, 4)), "days", "down") == D(11, -12)  # 318.75 days -> 318
    assert rt.round_duration(D(1, 15), "months", "half up") == D(2, 0) and rt.round_duration(
        D(18, 0), "years", "down"
    ) == D(12, 0)
    assert rt.decimal_text(Fraction(3, 4)) == "0.75" and rt.money_text(250000) == "250000.00"
    assert rt.decimal_text(Fraction(-1, 8)) == "-0.125" and rt.decimal_text(Fraction(1, 3)) == "1/3"
    with pytest.raises(ValueError):
        rt.round_whole(third, "sideways")


def test_trace_expands_failed_rules() -> None:
    trace = rtt.Trace()
    trace.rules_failed(("r1", "r2"), (10, 20), "a", "b")
    trace.rules_failed(("r3",), (30,))
    assert trace.events == [
        rtt.TraceBeginRule("r1"), rtt.TraceCompare(10, "a", "b", False), rtt.TraceEndRule(False),
        rtt.TraceBeginRule("r2"), rtt.TraceCompare(20, "a", "b", False), rtt.TraceEndRule(False),
        rtt.TraceBeginRule("r3"), rtt.TraceTruth(30, False), rtt.TraceEndRule(False),
    ]  # fmt: skip
