"""`statute test`'s property half: the guarantees, totality, no conflict, no gap, determinism and explanations,
checked in-process with Hypothesis on cases drawn from the statute's vocabulary.

The strategies and checks are those of the pytest module `statute compile` writes
(compiler/backends/python/properties.py): its source is generated and run here, so `statute test` checks exactly what
that module checks, plus that each decision's explanation (compiler/explain) gives the decision. Every check runs on the
same `examples` cases, drawn from a fixed `seed` (0 unless asked), so a run is reproducible. The case a check first
fails on is then shrunk by a second search for that check alone, which meets the same cases in the same order and
shrinks the failing one.

Hypothesis is needed here only: the CLI reaches this module through compiler/commands/guarantees.py, which says
what to install when it is missing.
"""

from __future__ import annotations

import contextlib
import sys
import time
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings

from compiler.backends.python import naming
from compiler.backends.python.properties import DEFAULT_EXAMPLES, DEFAULT_SEED, FIXED_CHECKS, property_tests_source
from compiler.model import ir

EXPLANATION = "explanation"
Case = dict[str, Any]
Check = Callable[[Case], "str | None"]

_TITLES = {
    "totality": "Totality: every valid case gets a decision, or a conflict or undecided outcome reported as such",
    "no_conflict": "No conflict: no two rules of equal rank both apply and disagree",
    "no_gap": "No gap: every outcome and definition a decision needs is decided, or has a default",
    "determinism": "Determinism: deciding again, or with a trace, gives the same result",
    EXPLANATION: "Explanations: each decision's explanation gives the decision",
}


@dataclass(frozen=True)
class CheckResult:
    name: str  # a guarantee's ident, or one of FIXED_CHECKS, or "explanation"
    title: str
    articles: tuple[str, ...]
    line: int | None  # of the guarantee in the statute
    derived_from: str | None  # the exception rule a derived guarantee comes from
    cases: int  # cases tried (when it fails: until it failed, shrinking included)
    seconds: float
    failure: str | None = None  # what the counterexample shows
    counterexample: Case | None = None  # the smallest case found, as a case file holds it

    @property
    def passed(self) -> bool:
        return self.failure is None


@dataclass(frozen=True)
class PropertyRun:
    file: str
    examples: int
    seed: int
    results: tuple[CheckResult, ...]
    seconds: float  # the whole run, shrinking included
    outcomes: dict[str, int] = field(default_factory=dict)  # how the totality run's cases ended: decided, ...
    undecided: tuple[str, Case] | None = None  # the first case stopped for a missing fact: reported, not failed

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)


class _Found(Exception):
    """Raised inside a Hypothesis test to stop at a failing case, which Hypothesis then shrinks."""


def harness(checked: ir.Checked, module: types.ModuleType) -> dict[str, Any]:
    """The namespace of the generated test module, run against the loaded evaluator `module`."""
    name = f"_properties_of{module.__name__}"
    if name not in sys.modules:  # dataclasses look their module up while building classes
        tests = types.ModuleType(name)
        tests.__file__ = f"<property tests of {checked.file}>"
        sys.modules[name] = tests
        try:
            source = property_tests_source(checked, import_name=module.__name__)
            exec(compile(source, tests.__file__, "exec"), tests.__dict__)
        except BaseException:
            del sys.modules[name]
            raise
    return sys.modules[name].__dict__


@contextlib.contextmanager
def same_cases_everywhere() -> Iterator[None]:
    """Hypothesis (since 6.131) also draws constants it finds in the source of the local modules loaded so far, so
    the same seed would draw other cases from `statute test` than from the test suite, which loads other modules.
    While this is active it draws no such constants: a seed gives the same cases in every process. (Private parts
    of Hypothesis; where they differ, nothing is changed.)"""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants
    except ImportError:
        yield
        return
    original = getattr(providers, "_get_local_constants", None)
    cache = getattr(providers, "CONSTANTS_CACHE", None)
    if original is None or cache is None or not hasattr(cache, "cache"):
        yield
        return
    cache.cache.clear()
    providers._get_local_constants = Constants  # an empty set of constants
    try:
        yield
    finally:
        providers._get_local_constants = original
        cache.cache.clear()


def _settings(examples: int) -> settings:
    return settings(
        max_examples=max(1, examples),
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),
        verbosity=Verbosity.quiet,
        print_blob=False,
    )


def _safely(check: Check, case: Case) -> str | None:
    try:
        return check(case)
    except Exception as exc:  # a check that cannot run on a case (such as a case load_case refuses) fails too
        return f"the check itself failed: {type(exc).__name__}: {exc}"


@dataclass
class Search:
    """One search: every check on every case drawn; the first failing case of each check."""

    cases: int = 0
    seconds: float = 0.0
    checking: dict[str, float] = field(default_factory=dict)  # seconds spent in each check
    first: dict[str, tuple[int, Case, str]] = field(default_factory=dict)  # check -> (case number, case, why)


def explore(strategy: Any, checks: dict[str, Check], examples: int, seed_value: int) -> Search:
    """Draw `examples` cases from `seed_value` and run every check on each (a check that failed is not run again)."""
    found = Search(checking=dict.fromkeys(checks, 0.0))

    @_settings(examples)
    @given(strategy)
    def test(case: Case) -> None:
        found.cases += 1
        for name, check in checks.items():
            if name not in found.first:
                start = time.perf_counter()
                failure = _safely(check, case)
                found.checking[name] += time.perf_counter() - start
                if failure is not None:
                    found.first[name] = (found.cases, case, failure)

    start = time.perf_counter()
    seed(seed_value)(test)()
    found.seconds = time.perf_counter() - start
    return found


def shrink(strategy: Any, check: Check, examples: int, seed_value: int) -> tuple[Case, str] | None:
    """The smallest case Hypothesis finds failing `check`, drawing from `seed_value` as `explore` does: the same
    cases in the same order up to the first failing one, which Hypothesis then shrinks."""
    found: list[tuple[Case, str]] = []

    @_settings(examples)
    @given(strategy)
    def test(case: Case) -> None:
        failure = _safely(check, case)
        if failure is not None:
            found[:] = [(case, failure)]
            raise _Found

    with contextlib.suppress(_Found):
        seed(seed_value)(test)()
    return found[0] if found else None


def run_properties(
    checked: ir.Checked,
    module: types.ModuleType,
    examples: int = DEFAULT_EXAMPLES,
    seed_value: int = DEFAULT_SEED,
    only: tuple[str, ...] = (),
) -> PropertyRun:
    """Every check of the statute (or those named in `only`) on `examples` cases drawn from `seed_value`; each
    failing check's case shrunk to the smallest found."""
    started = time.perf_counter()
    h = harness(checked, module)
    strategy = h["cases"]()
    outcomes: dict[str, int] = {}
    undecided: list[tuple[str, Case]] = []

    def totality(case: Case) -> str | None:
        kind, detail = h["outcome"](case)
        outcomes[kind] = outcomes.get(kind, 0) + 1
        if kind == "undecided" and not undecided:
            undecided.append((str(detail), case))
        return str(detail) if kind == "crash" else None

    checks = {name: check for name, check in _checks(checked, module, h, totality).items() if not only or name in only}
    with same_cases_everywhere():
        search = explore(strategy, checks, examples, seed_value)
    drawing = (search.seconds - sum(search.checking.values())) / max(1, search.cases)  # seconds per case drawn
    results = []
    for name, check in checks.items():
        number, case, failure = search.first.get(name, (search.cases, None, None))
        seconds = drawing * number + search.checking[name]
        if case is not None:
            start = time.perf_counter()
            with same_cases_everywhere():
                smallest = shrink(strategy, check, examples, seed_value)
            seconds += time.perf_counter() - start
            if smallest is not None:
                case, failure = smallest
            else:  # Hypothesis did not meet it again: the case as found
                failure = f"{failure} (the case as found; it could not be shrunk)"
        results.append(_result(checked, name, number, seconds, case, failure))
    first = undecided[0] if undecided else None
    seconds = time.perf_counter() - started
    return PropertyRun(
        checked.file, examples, seed_value, tuple(results), seconds, dict(sorted(outcomes.items())), first
    )


def _checks(checked: ir.Checked, module: types.ModuleType, h: dict[str, Any], totality: Check) -> dict[str, Check]:
    """Every check of the statute by name: one per guarantee, the fixed ones, and the explanations' when built."""
    checks: dict[str, Check] = {g.ident: _guarantee(h, g.ident) for g in checked.guarantees}
    fixed = {"totality": totality, "no_conflict": h["conflict"], "no_gap": h["gap"], "determinism": h["nondeterminism"]}
    checks.update((name, fixed[name]) for name in FIXED_CHECKS)
    explanation = _explanation_check(checked, module, h)
    if explanation is not None:
        checks[EXPLANATION] = explanation
    return checks


def _guarantee(h: dict[str, Any], ident: str) -> Check:
    broken: Callable[[str, Case], str | None] = h["broken"]
    return lambda case: broken(ident, case)


def _result(
    checked: ir.Checked, name: str, tried: int, seconds: float, case: Case | None, failure: str | None
) -> CheckResult:
    g = next((g for g in checked.guarantees if g.ident == name), None)
    if g is None:
        return CheckResult(name, _TITLES[name], (), None, None, tried, seconds, failure, case)
    return CheckResult(name, g.title, g.articles, g.span.line, g.derived_from, tried, seconds, failure, case)


def _explanation_check(checked: ir.Checked, module: types.ModuleType, h: dict[str, Any]) -> Check | None:
    """That the explanation of each case gives what `decide` gives; None when explanations are not built."""
    try:
        from compiler.backends.python.generated import GeneratedEvaluator
        from compiler.explain.conditions import AtomIndex
        from compiler.explain.decision import explain
        from compiler.explain.format import value_text
        from compiler.explain.render import locale_for
    except ImportError:
        return None
    locale = locale_for("en")
    index = AtomIndex(checked)
    evaluator = GeneratedEvaluator(checked, module)

    def check(case: Case) -> str | None:
        kind, decided = h["outcome"](case)
        if kind == "crash":
            return None  # totality reports it
        explanation = explain(checked, evaluator, module.load_case(case), locale, search=False, index=index)
        if kind == "conflict":
            return None if explanation.conflict is not None else "the decision is a conflict; the explanation is not"
        if kind in {"gap", "undecided"}:
            return None if explanation.undecided is not None else f"{decided}; the explanation gives a decision"
        shown = {o.ident: o.value for o in explanation.outcomes}
        for ident in checked.outcomes:
            d = checked.definition(ident)
            value = getattr(decided, naming.name(ident))
            undecided = value is None and d.optional
            expected = locale.words["not_decided"] if undecided else value_text(value, d.type, locale)
            if shown.get(ident) != expected:
                return f"the explanation gives the {d.label} as {shown.get(ident)!r}; the decision gives {expected!r}"
        return None

    return check
