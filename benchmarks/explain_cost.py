"""What explanations cost: `python benchmarks/explain_cost.py` (add `--quick` for fewer repeats).

On the 150 cases of statutes/kz_amnesty_2022.cases.jsonl, per case:
1. deciding with the trace off (`decide(case)`) and on (`decide(case, Trace())`), best of many timeit repeats;
2. building the explanation from the trace (reasons only, then with the search for changes);
3. rendering it as text, Markdown and HTML.

Figures for the notes, never asserts; the test suite does not run this.
"""

from __future__ import annotations

import json
import statistics
import sys
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compiler.backends.python.generated import GeneratedEvaluator  # noqa: E402
from compiler.driver import build  # noqa: E402
from compiler.explain.conditions import AtomIndex  # noqa: E402
from compiler.explain.decision import explain  # noqa: E402
from compiler.explain.render import locale_for, render  # noqa: E402


def per_case(run: Callable[[], object], cases: int, repeat: int, number: int) -> float:
    """Microseconds per case: the best of `repeat` timings of `number` runs over all cases."""
    best = min(timeit.repeat(run, repeat=repeat, number=number))
    return best / number / cases * 1e6


def main(quick: bool) -> None:
    statute = ROOT / "statutes" / "kz_amnesty_2022.statute"
    checked = build.check_file(statute)
    module = build.load_module(checked)
    lines = (ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [module.load_case(json.loads(line)) for line in lines]
    n = len(cases)
    repeat, number = (5, 20) if quick else (30, 100)
    decide, trace = module.decide, module.Trace

    def off() -> None:
        for case in cases:
            decide(case)

    def on() -> None:
        for case in cases:
            decide(case, trace())

    off_us = per_case(off, n, repeat, number)
    on_us = per_case(on, n, repeat, number)
    events = statistics.mean(len(_traced(module, c)) for c in cases)
    print(f"{n} cases, best of {repeat} x {number} runs")
    print(f"decide, trace off: {off_us:8.1f} us/case")
    print(f"decide, trace on:  {on_us:8.1f} us/case  ({on_us / off_us:.2f}x; {events:.0f} events a case on average)")

    locale, index, evaluator = locale_for("en"), AtomIndex(checked), GeneratedEvaluator(checked, module)
    small = max(1, repeat // 5)
    reasons = per_case(
        lambda: [explain(checked, evaluator, c, locale, search=False, index=index) for c in cases], n, small, 3
    )
    full = per_case(lambda: [explain(checked, evaluator, c, locale, index=index) for c in cases], n, small, 3)
    print(f"explanation from the trace:         {reasons / 1000:6.2f} ms/case")
    print(f"  with the search for changes:      {full / 1000:6.2f} ms/case")
    made = [explain(checked, evaluator, c, locale, index=index) for c in cases]
    for fmt in ("text", "markdown", "html"):
        render(made[0], fmt, locale)  # compile the templates once
        cost = per_case(lambda fmt=fmt: [render(e, fmt, locale) for e in made], n, small, 3)
        print(f"render {fmt:<8}                     {cost / 1000:6.2f} ms/case")


def _traced(module: object, case: object) -> list[object]:
    recorder = module.Trace()  # type: ignore[attr-defined]
    module.decide(case, recorder)  # type: ignore[attr-defined]
    return list(recorder.events)


if __name__ == "__main__":
    main("--quick" in sys.argv)
