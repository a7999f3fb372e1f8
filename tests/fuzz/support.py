"""What every fuzz suite shares: the profiles, the example budget, the pipeline run end to end, and the checks that
a diagnostic's position lies inside its file and renders the line it names."""

from __future__ import annotations

import ast
import collections
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, settings

from compiler.check.check import check
from compiler.driver import build
from compiler.driver.runner import run_examples
from compiler.frontend.diagnostics import Diagnostic, StatuteError, render
from compiler.frontend.parse import parse
from compiler.model import ir

ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parent / "corpus"
# The statutes of statutes/ and tests/ (the corpus's own are added by the suites that want them).
STATUTE_FILES = sorted((ROOT / "statutes").glob("*.statute")) + sorted(
    p for p in (ROOT / "tests").rglob("*.statute") if CORPUS not in p.parents
)

LONG = bool(os.environ.get("FUZZ_EXAMPLES"))
_SCALE = int(os.environ.get("FUZZ_EXAMPLES", "0") or 0)

settings.register_profile(
    "fuzz-ci",
    derandomize=True,
    deadline=None,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.register_profile(
    "fuzz-long",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
PROFILE = settings.get_profile("fuzz-long" if LONG else "fuzz-ci")


def examples(ci: int) -> int:
    """The number of examples for a suite: `ci` in CI; FUZZ_EXAMPLES, in proportion (ci 100 -> all of it), when set."""
    if not LONG:
        return ci
    return max(ci, _SCALE * ci // 100)


def fuzz_settings(ci: int) -> settings:
    return settings(PROFILE, max_examples=examples(ci))


# suite -> what happened -> how many times; printed at the end of the run (conftest.py)
TALLY: collections.defaultdict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)


def tally(suite: str, what: str, n: int = 1) -> None:
    TALLY[suite][what] += n


# ------------------------------------------------------------------ positions


def source_lines(source: str) -> list[str]:
    """The lines as the parser counts them: only '\\n' ends a line; a byte-order mark is not part of the text."""
    return source.removeprefix("\ufeff").split("\n")


def assert_positions_inside(diagnostics: Iterable[Diagnostic], source: str, file: str) -> None:
    """Each diagnostic names this file, a line and column that exist, offsets inside the text, and renders the line
    it names."""
    lines = source_lines(source)
    length = len(source.removeprefix("\ufeff"))
    for d in diagnostics:
        span = d.span
        where = f"{d.message!r} at {span}"
        assert span.file == file, where
        assert 1 <= span.line <= len(lines), where
        assert 1 <= span.column <= len(lines[span.line - 1]) + 1, where
        assert span.line <= span.end_line <= len(lines), where
        assert 0 <= span.start <= span.end <= length, where
        shown = render(d, source)
        assert shown.splitlines()[0].startswith(f"{file}:{span.line}:{span.column}: "), shown
        assert "\x1b" not in shown and "\r" not in shown and "\x00" not in shown, repr(shown)


# ------------------------------------------------------------------ the whole pipeline


class Unexpected(AssertionError):
    """A stage raised something other than its documented errors."""


@dataclass
class Outcome:
    """How far a statute got: 'parse', 'check' (refused with diagnostics there) or 'compiled'."""

    stage: str
    diagnostics: tuple[Diagnostic, ...] = ()
    checked: ir.Checked | None = None
    source: str = ""
    module: ModuleType | None = None
    decided: int = 0
    refused: collections.Counter[str] = field(default_factory=collections.Counter)
    example_failures: tuple[str, ...] = ()


# The lines compiler.driver.runner writes for an example that came out otherwise than expected: anything else (a
# traceback, an empty line, two lines in one) is a fault of the runner, whatever the statute's examples say.
EXAMPLE_FAILURE = re.compile(
    r"expected .+ to be .+, got .+|expected a conflict in '.+', got .+|the example's facts were refused: .+"
    r"|conflict: .+|undecided: .+"
)


def through_pipeline(text: str, file: str = "fuzz.statute", *, examples_pass: bool = True) -> Outcome:
    """Parse, check, compile, import, and run the statute's own examples; diagnostics are checked for position.

    A statute that compiles must pass its own examples, unless the caller says its examples were drawn or damaged
    at random (`examples_pass=False`): then each failure must be one of the runner's documented lines."""
    try:
        statute = parse(text, file)
    except StatuteError as exc:
        assert exc.diagnostics, "a StatuteError with nothing in it"
        assert_positions_inside(exc.diagnostics, text, file)
        return Outcome("parse", exc.diagnostics)
    try:
        checked = check(statute)
    except StatuteError as exc:
        assert any(d.is_error for d in exc.diagnostics), "refused without an error"
        assert_positions_inside(exc.diagnostics, text, file)
        return Outcome("check", exc.diagnostics)
    assert_positions_inside(checked.warnings, text, file)
    source = build.module_source(checked)
    ast.parse(source)
    module = build.load_module(checked, source)
    failures = tuple(line for result in run_examples(checked, module) for line in result.failures)
    for line in failures:
        assert EXAMPLE_FAILURE.fullmatch(line) and "\n" not in line, f"not a failure line of the runner: {line!r}"
    assert not examples_pass or not failures, f"the statute's own examples fail: {failures}"
    return Outcome("compiled", checked.warnings, checked, source, module, example_failures=failures)


def decide(module: ModuleType, data: object) -> str:
    """Load and decide one case the way `statute run` does: 'decided', or which documented error refused it."""
    try:
        case = module.load_case(data)
    except module.CaseError as exc:
        assert exc.problems and all(p.path for p in exc.problems), exc
        return "invalid"
    try:
        decision = module.decide(case)
        trace = module.Trace()
        assert module.decide(case, trace) == decision
    except module.ConflictError:
        return "conflict"
    except module.UndecidedError:
        return "undecided"
    json.dumps(module.decision_as_dict(decision), ensure_ascii=False)
    return "decided"


def json_safe(value: Any) -> Any:
    """`value` through a JSON round trip, as a case file would deliver it."""
    return json.loads(json.dumps(value, ensure_ascii=False))
