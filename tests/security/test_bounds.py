"""Bounded work on any input (issue 11, section 4): each attack of the issue, at a size where the old code was
clearly superlinear, checked by counting (operations, decisions, solver calls, bytes), never by timing.

- the search for changes of an explanation tries a bounded number of changes and says when it stopped early;
- a chain of exceptions compiles to a module linear in the chain, deciding as before;
- thousands of diagnostics: the source split once, at most MAX_SHOWN printed, the rest counted;
- a long quoted text is read in memory linear in it (the lexer's pattern kept a stack per character);
- `statute prove` stops within its time budget and reports the checks not done; no quadratic number of calls.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.backends.python.properties import property_tests_source
from compiler.backends.python.python import generate
from compiler.check.check import check
from compiler.driver import build
from compiler.explain.counterfactual import SEARCH_BUDGET
from compiler.explain.decision import CHANGES_SHOWN, explain
from compiler.explain.render import locale_for, render
from compiler.frontend.diagnostics import Span as DiagnosticSpan
from compiler.frontend.diagnostics import error, render_all
from compiler.frontend.parse import parse
from compiler.model import ir
from tests.security.hostile_bounds import (
    AMNESTY,
    amnesty_case,
    conflicting_rules,
    exception_chain,
    exclusive_rules,
    quoted_text,
    undefined_names,
)

ROOT = Path(__file__).resolve().parents[2]


def _checked(text: str, tmp_path: Path, name: str = "hostile") -> ir.Checked:
    path = tmp_path / f"{name}.statute"
    path.write_text(text, encoding="utf-8")
    return build.check_file(path)


# ------------------------------------------------------------------ the search for changes


@pytest.fixture(scope="module")
def amnesty() -> tuple[ir.Checked, ModuleType]:
    checked = build.check_file(AMNESTY)
    return checked, build.load_module(checked)


def _counted(module: ModuleType, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every decision the module makes from now on."""
    calls = [0]
    decide = module.decide

    def counting(*args: Any) -> Any:
        calls[0] += 1
        return decide(*args)

    monkeypatch.setattr(module, "decide", counting)
    return calls


@pytest.mark.parametrize("charges", [100, 300])
def test_the_search_for_changes_makes_a_bounded_number_of_decisions(
    amnesty: tuple[ir.Checked, ModuleType], monkeypatch: pytest.MonkeyPatch, charges: int
) -> None:
    """100 charges made 1,805 candidate changes, each decided (twice when it changed the decision): 2.4 s and
    123 MB, 1,600 charges > 300 s and > 12 GB. Now at most SEARCH_BUDGET are tried, whatever the case's size."""
    checked, module = amnesty
    case = module.load_case(amnesty_case(charges))
    calls = _counted(module, monkeypatch)
    explanation = explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en"))
    # the decision itself, each change tried (once more with a trace when it changes the decision), those shown
    assert calls[0] <= 1 + 2 * SEARCH_BUDGET + CHANGES_SHOWN
    assert explanation.changes_tried == SEARCH_BUDGET and explanation.search_stopped_early
    assert explanation.changes, "the budget still finds changes: each fact name is tried, the smallest first"


def test_a_case_within_the_budget_is_searched_in_full(amnesty: tuple[ir.Checked, ModuleType]) -> None:
    checked, module = amnesty
    case = module.load_case(amnesty_case(1))
    explanation = explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en"))
    assert explanation.changes and not explanation.search_stopped_early and explanation.changes_untried == 0
    text = render(explanation, "text", locale_for("en"))
    assert "stopped early" not in text


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_an_explanation_says_when_the_search_stopped_early(
    amnesty: tuple[ir.Checked, ModuleType], fmt: str, lang: str
) -> None:
    """With no change tried, nothing is found: the explanation must not claim that no change would change the
    decision, and must say that the search stopped, in every format and language."""
    checked, module = amnesty
    locale = locale_for(lang)
    explanation = explain(
        checked, GeneratedEvaluator(checked, module), module.load_case(amnesty_case(2)), locale, budget=0
    )
    assert explanation.changes == () and explanation.changes_untried > 0
    text = render(explanation, fmt, locale)
    stopped = locale.words["search_stopped"].format(tried=0, untried=explanation.changes_untried)
    assert stopped in text
    assert locale.words["no_change"] not in text


# ------------------------------------------------------------------ a chain of exceptions


def _module_sizes(articles: int, tmp_path: Path) -> tuple[int, int]:
    checked = _checked(exception_chain(articles), tmp_path, f"chain_{articles}")
    return len(generate(checked)), len(property_tests_source(checked))


def test_a_chain_of_exceptions_compiles_to_a_module_linear_in_the_chain(tmp_path: Path) -> None:
    """Each exception's test listed every rule above it, and each derived guarantee every value below it: 800
    articles made 27 MB of code and took 0.9 GB, 3,000 more than 11.5 GB."""
    module_100, tests_100 = _module_sizes(100, tmp_path)
    module_200, tests_200 = _module_sizes(200, tmp_path)
    assert module_200 < 2.5 * module_100, (module_100, module_200)
    assert tests_200 < 2.5 * tests_100, (tests_100, tests_200)


def test_a_long_chain_decides_and_keeps_its_guarantees_as_before(tmp_path: Path) -> None:
    """The same meaning: the highest exception that applies decides; each derived guarantee excludes exactly the
    values of the rules below its exception, unless an exception that lawfully prevails over it applies: a new
    exception on top giving a value from below breaks no guarantee (issue 12)."""
    n = 90  # past MAX_COMPARED rules (64), where the chain is written through each rule's direct exceptions
    checked = _checked(exception_chain(n), tmp_path, "chain")
    module = build.load_module(checked)
    for age in range(0, n + 5):
        case = module.load_case({"age": age})
        expected = min(age, n) if age >= 2 else 0
        assert module.decide(case).grant == expected, age
        assert module.broken_guarantees(case) == ()
    long = [g for g in checked.guarantees if isinstance(g.conclusion, ir.OneOf) and len(g.conclusion.values) > 16]
    assert long, "the long guarantees are written through _values_set_aside"
    for g in long:
        assert isinstance(g.conclusion, ir.OneOf) and g.derived_from is not None
        listed = sorted(v.value for v in g.conclusion.values if isinstance(v, ir.Lit))
        assert len(listed) == len(g.conclusion.values)
        assert sorted(module._values_set_aside(g.derived_from)) == listed  # type: ignore[type-var]
        assert len(g.title) < 300, "a title names ten values and counts the others"
    on_top = exception_chain(n) + (
        f"Article {n + 1}. On top\n\nException to Article {n}: the grant is 3 USD if the age is at least 195.\n"
    )
    on_top_checked = _checked(on_top, tmp_path, "chain_on_top")
    on_top_module = build.load_module(on_top_checked)
    case = on_top_module.load_case({"age": 196})
    assert on_top_module.decide(case).grant == 3 and on_top_module.broken_guarantees(case) == ()
    title = next(g.title for g in on_top_checked.guarantees if g.derived_from == f"article_{n}_rule_1")
    assert title.endswith(f"unless an exception that prevails over it applies (Article {n + 1})")


# ------------------------------------------------------------------ diagnostics


class _CountingSource(str):
    """A statute's text that counts how often it is split into lines."""

    splits = 0

    def removeprefix(self, prefix: str) -> str:
        type(self).splits += 1
        return str.removeprefix(self, prefix)


def test_thousands_of_diagnostics_split_the_source_once() -> None:
    """32,000 undefined names took 75 s: the whole source was split into lines once per diagnostic."""
    source = _CountingSource("".join(f"line {i}\n" for i in range(3000)))
    span = DiagnosticSpan("s.statute", 7, 1, 7, 5, 0, 4)
    diagnostics = [error(f"'x{i}' is not defined in this statute", span) for i in range(3000)]
    _CountingSource.splits = 0
    render_all(diagnostics, source)
    assert _CountingSource.splits <= 1


def test_the_diagnostics_printed_for_a_file_are_capped_with_a_count_of_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "undefined.statute"
    path.write_text(undefined_names(250), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "compiler.commands.cli", "check", str(path)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 1
    assert len(re.findall(r": error: ", run.stderr)) == 100
    assert "... 150 more errors not shown (at most 100 diagnostics are shown for a file)" in run.stderr
    assert run.stderr.rstrip().endswith("undefined.statute: 250 errors")
    assert "Traceback" not in run.stderr


# ------------------------------------------------------------------ a long quoted text


def test_a_long_quoted_text_is_read_in_memory_linear_in_it(tmp_path: Path) -> None:
    """A 2 MB quoted text took 1.5 GB to check: the lexer's pattern for a quoted text, a repeated group, kept a
    stack entry per character (0.5 MB: 405 MB). In a process of its own, the peak memory of a check of a 1 MB text
    beyond that of a check of a short one (which builds the parser, when no cache of it is at hand)."""
    short, long = tmp_path / "short.statute", tmp_path / "long.statute"
    short.write_text(quoted_text(100), encoding="utf-8")
    long.write_text(quoted_text(1_000_000), encoding="utf-8")
    script = (
        "import resource, sys\n"
        "from compiler.driver import build\n"
        "build.check_file(sys.argv[1])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        "build.check_file(sys.argv[2])\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(short), str(long)], capture_output=True, text=True, cwd=ROOT
    )
    assert run.returncode == 0, run.stderr
    before, after = (int(n) for n in run.stdout.split()[-2:])
    assert after - before < 150_000, f"{after - before} KB more to check a 1 MB quoted text"


def test_a_long_quoted_text_still_reads_as_one_text_with_its_escapes(tmp_path: Path) -> None:
    text = quoted_text(10_000).replace('is "the', 'is "\\"quoted\\" the')
    checked = check(parse(text, "quoted.statute"))
    (rule,) = checked.definition("grant").rules
    assert '"quoted" the amnesty' in repr(rule.condition)


# ------------------------------------------------------------------ statute prove


def test_prove_stops_within_its_budget_and_reports_the_checks_not_done(tmp_path: Path) -> None:
    pytest.importorskip("z3")
    from compiler.prove.prover import prove
    from compiler.prove.report import NOT_DONE, PROVED, render_report

    checked = _checked(exception_chain(5), tmp_path)
    report = prove(checked, budget_s=1e-9)
    assert report.guarantees and all(g.status == NOT_DONE for g in report.guarantees)
    assert all(f.status == NOT_DONE for f in report.findings)
    assert not any(g.status == PROVED for g in report.guarantees) and not report.all_well
    text = render_report(report)
    assert report.not_done > 1 and f"NOT DONE: {report.not_done} checks were not done" in text
    assert "PROVED" not in text


def test_prove_time_budget_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("z3")
    from compiler.commands.cli import main

    path = tmp_path / "chain.statute"
    path.write_text(exception_chain(4), encoding="utf-8")
    assert main(["prove", str(path), "--time-budget", "0.000001"]) == 1
    assert "NOT DONE" in capsys.readouterr().out
    for bad in ("nan", "inf", "0", "-3", "soon"):
        with pytest.raises(SystemExit) as exit_:
            main(["prove", str(path), "--time-budget", bad])
        assert exit_.value.code == 2 and "--time-budget" in capsys.readouterr().err


def test_prove_asks_no_quadratic_number_of_questions(tmp_path: Path) -> None:
    """400 mutually exclusive rules took 265 s: one solver call for each of the 79,800 pairs of rules. Whether any
    two conflict is now one question, linear in the rules."""
    pytest.importorskip("z3")
    from compiler.commands.prove import confirmer
    from compiler.prove.prover import Prover

    rules = 40
    checked = _checked(exclusive_rules(rules), tmp_path)
    prover = Prover(checked, 3, 30, confirmer(checked))
    findings = [f for d in checked.definitions for f in prover.findings(d)]
    assert not any(f.status == "found" for f in findings if f.check == "conflict")
    assert not any(f.status == "found" for f in findings if f.check == "never applies")
    assert prover.calls <= 4 * rules, prover.calls


def test_conflicts_are_still_named_pair_by_pair(tmp_path: Path) -> None:
    pytest.importorskip("z3")
    from compiler.prove.prover import prove

    report = prove(_checked(conflicting_rules(4), tmp_path))
    conflicts = [f for f in report.findings if f.check == "conflict" and f.status == "found"]
    assert len(conflicts) == 6 and all(len(f.rules) == 2 and f.witness is not None for f in conflicts)


def test_hostile_generators_write_what_they_say(tmp_path: Path) -> None:
    """The generators the measurements use (python tests/security/hostile_bounds.py DIR)."""
    assert len(json.dumps(amnesty_case(400))) > 60_000
    assert _checked(exclusive_rules(5), tmp_path, "bands").definition("grant").rules


def test_explain_changes_budget_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from compiler.commands.cli import main

    case = tmp_path / "case.json"
    case.write_text(json.dumps(amnesty_case(30)), encoding="utf-8")
    assert main(["explain", str(AMNESTY), "--case", str(case), "--changes-budget", "5"]) == 0
    assert "The search for changes stopped early: it tried 5 possible changes" in capsys.readouterr().out
    for bad in ("-1", "many", "1.5"):
        with pytest.raises(SystemExit) as exit_:
            main(["explain", str(AMNESTY), "--case", str(case), "--changes-budget", bad])
        assert exit_.value.code == 2 and "--changes-budget" in capsys.readouterr().err
