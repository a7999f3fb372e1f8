"""A test inside the operand of another test is traced where it is tested, and the outer test after it: the trace
of tests/fuzz/corpus/traced_comparison_inside_a_count.statute, event by event (the generated code logs such a
nested test through Trace.compare, the path no statute of statutes/ takes)."""

from __future__ import annotations

import dataclasses
from fractions import Fraction
from pathlib import Path

from compiler.driver import build

STATUTE = Path(__file__).parent / "fuzz" / "corpus" / "traced_comparison_inside_a_count.statute"


def test_a_comparison_inside_a_count_is_traced_before_the_count_is_compared() -> None:
    module = build.load_module(build.check_file(STATUTE))
    trace = module.Trace()
    decision = module.decide(module.load_case({"vanta": False, "tamber": [{"olm": 3}]}), trace)
    assert decision.sot == 250_000 == module.decide(module.load_case({"vanta": False, "tamber": [{"olm": 3}]})).sot
    shown = [
        (type(e).__name__, *[getattr(e, f.name) for f in dataclasses.fields(e) if f.name != "atom"])
        for e in trace.events
    ]
    assert shown == [
        ("TraceEnter", "sot", None),
        ("TraceBeginRule", "article_2_rule_1"),
        ("TraceElement", 0, module.Quib(olm=3)),
        ("TraceCompare", Fraction(0), Fraction(0), True),  # 0 USD is 0 USD, for the one quib
        ("TraceCompare", 1, 1, True),  # 1 is the number of quibs where ...
        ("TraceEndRule", True),
        ("TraceLeave", Fraction(250_000), ("article_2_rule_1",)),
    ]
