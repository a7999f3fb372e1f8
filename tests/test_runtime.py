"""The runtime every generated module carries (compiler/backends/python/runtime.py), tested directly."""

from __future__ import annotations

import datetime
import functools
import json
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from fuzz.cases import HOSTILE_VALUES, hostile_cases, valid_cases
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler import values
from compiler.backends.python import naming
from compiler.backends.python import runtime as rt
from compiler.backends.python import runtime_cases as rtc
from compiler.backends.python import runtime_trace as rtt
from compiler.backends.python.python_reader import reader_name
from compiler.driver import build
from compiler.model import ir


def test_duration_arithmetic_and_order() -> None:
    D = values.Duration
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
    D, day = values.Duration, datetime.date
    assert day(2022, 1, 31) + D(1, 0) == day(2022, 2, 28) and day(2024, 1, 31) + D(1, 1) == day(2024, 3, 1)
    assert day(2022, 3, 1) - D(0, 1) == day(2022, 2, 28) and day(2022, 11, 2) + D(12, 0) == day(2023, 11, 2)
    assert rt.days_between(day(2022, 11, 2), day(2022, 3, 1)) == D(0, 246)
    with pytest.raises(ValueError, match="round"):
        values.add_to_date(day(2022, 1, 1), D(0, Fraction(1, 2)))
    period = rt.Period(day(2022, 1, 4), day(2022, 1, 7))
    assert day(2022, 1, 4) in period and day(2022, 1, 7) in period and day(2022, 1, 8) not in period


def test_rounding() -> None:
    third, half = Fraction(1, 3), Fraction(5, 2)
    assert [rt.round_whole(x, m) for x in (half, -half) for m in rt.ROUNDING_MODES] == [2, 3, 3, -2, -3, -3]
    assert rt.round_whole(third, "up") == 1 and rt.round_whole(Fraction(2, 3), "half up") == 1
    assert rt.round_number(Fraction(1, 60), 2, "half up") == Fraction(2, 100) and rt.round_number(
        Fraction(1, 3), 2, "down"
    ) == Fraction(33, 100)
    D = values.Duration
    assert rt.round_duration(D(11, Fraction(-45, 4)), "days", "down") == D(11, -12)  # 318.75 days -> 318
    assert rt.round_duration(D(1, 15), "months", "half up") == D(2, 0) and rt.round_duration(
        D(18, 0), "years", "down"
    ) == D(12, 0)
    assert values.decimal_text(Fraction(3, 4)) == "0.75" and values.money_text(250000) == "250000.00"
    assert values.decimal_text(Fraction(-1, 8)) == "-0.125" and values.decimal_text(Fraction(1, 3)) == "1/3"
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


# ------------------------------------------------------------------ the fast case readers (python_reader.py)


def test_known_texts_keep_only_right_texts() -> None:
    D = values.Duration
    known = rtc.KnownTexts(rtc.parse_duration, D(0, 0), D(12, 0))
    assert known["3 months"] == D(3, 0) and "3 months" in known
    for wrong in ["2 years", "three", 5, None]:
        with pytest.raises(rtc.UnusualCase):
            known[wrong]
    assert known[D(1, 0)] == D(1, 0) and list(known) == ["3 months"], "only texts are kept"
    with pytest.raises(TypeError):
        known[["a list"]]  # no dict key: the fast readers leave it to the careful ones too


_FAST_STATUTES = sorted(Path(__file__).parent.parent.glob("statutes/*.statute"))


@functools.cache
def _fast_and_careful(path: Path) -> tuple[ir.Checked, ModuleType]:
    checked = build.check_file(path)
    return checked, build.load_module(checked)


@pytest.mark.parametrize("path", _FAST_STATUTES, ids=lambda p: p.stem)
@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(data=st.data())
def test_the_fast_reader_builds_only_what_the_careful_one_would(path: Path, data: st.DataObject) -> None:
    checked, module = _fast_and_careful(path)
    case = data.draw(st.one_of(valid_cases(checked), hostile_cases(checked)))
    if isinstance(case, dict):
        case = {key: value for key, value in case.items() if key != "id"}
    problems: list[Any] = []
    careful = getattr(module, reader_name(naming.name(checked.root)).replace("_read_", "_load_", 1))
    expected = careful(case, "case", problems)
    try:
        fast = getattr(module, reader_name(naming.name(checked.root)))(case)
    except (KeyError, TypeError, module.UnusualCase):
        return
    assert not problems and fast == expected and repr(fast) == repr(expected)
    assert module.load_case(case) == expected


def test_load_case_reads_a_plain_case_fast_and_a_wrong_one_carefully() -> None:
    _, module = _fast_and_careful(Path(__file__).parent.parent / "statutes" / "kz_amnesty_2022.statute")
    case = json.loads(
        (Path(__file__).parent.parent / "statutes" / "kz_amnesty_2022.cases.jsonl").read_text().split("\n")[0]
    )
    assert module.load_case(case) == module._read_person({k: v for k, v in case.items() if k != "id"})
    for field, value, reason in [
        ("age_at_act", True, "expected a whole number, not yes"),
        ("age_at_act", 101, "must be from 14 to 100, not 101"),
        ("role", " Civilian ", None),  # the drafter's words, spelt otherwise: the careful reader takes them
        ("charges.sentence", "2 fortnights", "'2 fortnights': 'fortnights' is not years, months, weeks or days"),
    ]:
        if field.startswith("charges."):  # a fact of the first charge
            broken = {**case, "charges": [{**case["charges"][0], field.split(".")[1]: value}]}
        else:
            broken = {**case, field: value}
        if reason is None:
            assert module.load_case(broken) == module.load_case(case)
            continue
        with pytest.raises(module.CaseError) as refused:
            module.load_case(broken)
        [problem] = refused.value.problems
        where = ("person.charges[0]", "sentence") if field.startswith("charges.") else ("person", field)
        assert (problem.path, problem.field) == where and reason in problem.reason


def test_the_fast_reader_agrees_on_every_field_of_a_register_set_to_odd_values() -> None:
    root = Path(__file__).parent.parent / "statutes"
    _, module = _fast_and_careful(root / "kz_amnesty_2022.statute")
    lines = (root / "kz_amnesty_2022.cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [{k: v for k, v in json.loads(line).items() if k != "id"} for line in lines[:10]]
    odd = [*HOSTILE_VALUES, 1, 1.0, 30.0, False, "grave", "2022-01-05", "1 year", "P1Y", [], {}, [{}]]
    tried = fast_read = 0
    for case in cases:
        variants = [{**case, key: value} for key in case for value in odd]
        variants += [{k: v for k, v in case.items() if k != key} for key in case] + [{**case, "extra": 1}]
        if case["charges"]:
            charge = case["charges"][0]
            variants += [{**case, "charges": [{**charge, key: value}]} for key in charge for value in odd]
        for variant in variants:
            problems: list[Any] = []
            expected = module._load_person(variant, "person", problems)
            tried += 1
            try:
                fast = module._read_person(variant)
            except (KeyError, TypeError, module.UnusualCase):
                continue
            fast_read += 1
            assert not problems and repr(fast) == repr(expected), variant
    assert tried > 2_500 and fast_read > 250


def test_trace_reads_back_the_entries_generated_code_logs() -> None:
    trace = rtt.Trace()
    trace.log(("enter", "gravest_gravity"))  # a case's definition: no subject
    trace.begin_rule("r1")
    trace.log(("compare", 10, 3, 4, True))
    trace.end_rule(True)
    trace.log(("element", 20, 0, "a"))
    trace.log(("truth", 20, False))
    trace.log(("decided", 7, ("r1", "r2", "r3"), (True, False, True)))
    trace.log(("leave", 8, ()))
    assert trace.events == [
        rtt.TraceEnter("gravest_gravity", None), rtt.TraceBeginRule("r1"), rtt.TraceCompare(10, 3, 4, True),
        rtt.TraceEndRule(True), rtt.TraceElement(20, 0, "a"), rtt.TraceTruth(20, False),
        rtt.TraceLeave(7, ("r1", "r3")), rtt.TraceLeave(8, ()),
    ]  # fmt: skip


def test_duration_times_a_fraction_and_rounding_in_whole_numbers() -> None:
    """The whole-number shortcuts give what the Fraction arithmetic they replace gives, value and type."""
    D = values.Duration
    for months in (-25, -1, 0, 1, 7, 96, 360):
        for days in (-40, -1, 0, 3, 29, 400):
            for factor in (Fraction(3, 4), Fraction(-1, 2), Fraction(5, 3), Fraction(1, 7), Fraction(2)):
                months_times = months * factor
                whole = int(months_times)
                expected_days = days * factor + (months_times - whole) * 30
                expected = values.normal_duration(whole, expected_days)  # every product is in the normal form
                product = D(months, days) * factor
                assert (product.months, product.days) == expected, (months, days, factor)
                assert isinstance(product.days, int) == (Fraction(expected_days).denominator == 1)
    for n in range(-30, 31):
        value = Fraction(n, 4)
        assert rt._round_floor(value, "down") == int(value // 1) and rt._round_floor(value, "up") == -int(-value // 1)
        assert rt._round_floor(value, "half up") == int((value + Fraction(1, 2)) // 1)
    assert [values._days_in_month(y, 2) for y in (1900, 2000, 2023, 2024)] == [28, 29, 28, 29]
    assert rt.round_duration(D(2, Fraction(31, 2)), "days", "down") == D(2, 15)
