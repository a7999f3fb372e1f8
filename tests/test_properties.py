"""Property tests from the statute's vocabulary: the strategies, the guarantee methods of the generated module, the
pytest module `statute compile` writes, and `statute test`'s in-process run.

The real statutes pass every check; the faulty variants of the amnesty (tests/statutes/) fail, each with a shrunk
counterexample that the evaluator confirms. `statute prove` catches the same variants (tests/test_prove.py).
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import subprocess
import sys
from collections import Counter
from contextlib import redirect_stdout
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, seed, settings

from compiler.backends.python.properties import property_tests_source
from compiler.backends.python.properties_edges import find_edges
from compiler.backends.python.python import generate
from compiler.commands.guarantees import add_property_arguments, property_test_command
from compiler.driver import build
from compiler.driver.guarantee_report import _trace, render_results
from compiler.driver.guarantee_testing import PropertyRun, harness, run_properties
from compiler.frontend.diagnostics import Style
from compiler.model import ir

ROOT = Path(__file__).resolve().parent.parent
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
IRC = ROOT / "statutes" / "us_irc_121.statute"
VARIANTS = Path(__file__).parent / "statutes"
FAULTY = VARIANTS / "amnesty_faulty_release.statute"
CONFLICT = VARIANTS / "amnesty_conflict.statute"
GAP = VARIANTS / "amnesty_gap.statute"
TORTURE_OFFICER = ROOT / "tests" / "data" / "explain" / "kz_torture_officer.json"

_LOADED: dict[Path, tuple[ir.Checked, ModuleType]] = {}
_RUNS: dict[Path, PropertyRun] = {}


def loaded(path: Path) -> tuple[ir.Checked, ModuleType]:
    if path not in _LOADED:
        checked = build.check_file(path)
        _LOADED[path] = checked, build.load_module(checked)
    return _LOADED[path]


def default_run(path: Path) -> PropertyRun:
    """`statute test`'s default run (1000 cases, seed 0), once per statute for the whole test session."""
    if path not in _RUNS:
        _RUNS[path] = run_properties(*loaded(path))
    return _RUNS[path]


def drawn(path: Path, count: int) -> list[dict[str, Any]]:
    """`count` cases from the statute's strategy, as `statute test` draws them."""
    checked, module = loaded(path)
    cases: list[dict[str, Any]] = []

    @seed(0)
    @settings(max_examples=count, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(harness(checked, module)["cases"]())
    def collect(case: dict[str, Any]) -> None:
        cases.append(case)

    collect()
    return cases


# ------------------------------------------------------------------ strategies


@pytest.mark.parametrize("path", [AMNESTY, IRC, FAULTY], ids=lambda p: p.stem)
def test_every_case_drawn_is_valid_and_round_trips_through_json(path: Path) -> None:
    _, module = loaded(path)
    cases = drawn(path, 300)
    refused = []
    for case in cases:
        try:
            module.load_case(json.loads(json.dumps(case)))
        except module.CaseError as exc:
            refused.append(f"{case}: {exc}")
    assert len(cases) == 300 and refused == [], refused[:3]


def test_the_edges_come_from_the_rules_the_bounds_and_the_guarantees() -> None:
    amnesty = find_edges(loaded(AMNESTY)[0])
    assert {datetime.date(2022, 1, 4), datetime.date(2022, 1, 7)} <= amnesty.of(("Charge", "act_date"))
    assert 18 in amnesty.of(("Person", "age_at_act"))
    assert datetime.date(2023, 11, 2) in amnesty.of(("Charge", "sentence_start"))  # entry into force plus 1 year
    assert {"SERVING_SENTENCE", "SENTENCE_SERVED"} <= amnesty.enums[("Charge", "stage")]
    assert "TERRORIST" in amnesty.enums[("Charge", "category")]  # from the guarantee
    assert {"MEDIUM", "GRAVE"} <= amnesty.enums[("Charge", "gravity")]  # through 'the gravest gravity'
    irc = find_edges(loaded(IRC)[0])
    assert ir.Duration(0, 730) in irc.of(("Sale", "days_owned"))
    assert ir.Duration(0, 1826) in irc.of(("Sale", "days_since_last_excluded_sale"))


def test_the_cases_drawn_reach_the_edges_and_every_outcome() -> None:
    _, module = loaded(AMNESTY)
    cases = drawn(AMNESTY, 500)
    act_dates = {c["act_date"] for case in cases for c in case["charges"]}
    assert {"2022-01-03", "2022-01-04", "2022-01-07", "2022-01-08"} <= act_dates  # the events period, +-1 day
    assert {17, 18, 19} <= {case["age_at_act"] for case in cases}
    assert {0, 1, 2, 3, 4} <= {len(case["charges"]) for case in cases}
    charges = [c for case in cases for c in case["charges"]]
    assert any("sentence" in c for c in charges) and any("sentence" not in c for c in charges)
    assert any("sentence" in c and c["sentence"].endswith("days") for c in charges)  # durations in days
    assert any("sentence" in c and "month" in c["sentence"] for c in charges)  # and in months
    measures: Counter[str] = Counter()
    for case in cases:
        try:
            measures[module.decide(module.load_case(case)).amnesty_measure.text] += 1
        except module.DecisionError:
            measures["undecided"] += 1
    assert len(set(measures) & {v.text for v in module.ChargeMeasure}) >= 6, measures  # of the 7 measures
    assert measures["outside the amnesty"] < 0.75 * len(cases), measures  # many cases reach the articles

    irc = drawn(IRC, 300)
    assert {"729 days", "730 days", "731 days"} <= {case["days_owned"] for case in irc}


# ------------------------------------------------------------------ the generated module's guarantees


def test_the_module_carries_each_guarantee_as_a_method_with_its_table() -> None:
    checked, module = loaded(AMNESTY)
    assert list(module.GUARANTEES) == [g.ident for g in checked.guarantees]
    info = module.GUARANTEES["guarantee_1"]
    assert (info.title, info.articles, info.derived_from, info.line) == (
        "No one convicted of terrorism is released",
        ("Article 5",),
        None,
        218,
    )
    assert module.GUARANTEES["article_5_rule_5_excludes"].derived_from == "article_5_rule_5"
    assert "No one convicted of terrorism is released (Article 5; line 218)" in module.Evaluation.guarantee_1.__doc__
    officer = module.load_case(json.loads(TORTURE_OFFICER.read_text(encoding="utf-8")))
    assert module.broken_guarantees(officer) == ()
    assert module.Evaluation(officer).article_5_rule_5_excludes() is True  # every charge of the officer keeps it


def test_a_guarantee_is_broken_only_where_the_evaluator_decides_its_premise_and_conclusion() -> None:
    _, faulty = loaded(FAULTY)
    officer = _first_format(json.loads(TORTURE_OFFICER.read_text(encoding="utf-8")))
    # released, though disqualified: Article 6 names Article 5, so the guarantees derived from Article 5 give way to it
    assert faulty.broken_guarantees(faulty.load_case(officer)) == ()
    officer["charges"][0]["category"] = "terrorist"
    assert faulty.broken_guarantees(faulty.load_case(officer)) == ("guarantee_1",)  # the written guarantee does not
    _, module = loaded(AMNESTY)
    data = json.loads(TORTURE_OFFICER.read_text(encoding="utf-8"))
    data["charges"][0].update(category="ordinary", circumstances="in the riots")
    del data["id"], data["charges"][0]["sentence_start"]  # Article 4 needs the sentence start to decide the release
    case = module.load_case(data)
    with pytest.raises(module.UndecidedError):
        module.Evaluation(case).article_4_rule_3_excludes()
    assert module.broken_guarantees(case) == ()  # deciding reports what cannot be decided, not the guarantee


def _first_format(case: dict[str, Any]) -> dict[str, Any]:
    """A one-charge case of today's amnesty as the faulty variants read it (they keep the first format: the stage,
    sentence and sentence start of the person)."""
    [charge] = case["charges"]
    moved = {k: charge.pop(k) for k in ("stage", "sentence", "sentence_start") if k in charge}
    return case | moved


# ------------------------------------------------------------------ statute test, in-process


@pytest.mark.parametrize("path", [AMNESTY, IRC], ids=["amnesty", "irc"])
def test_the_real_statutes_pass_every_check(path: Path) -> None:
    run = default_run(path)
    assert [(r.name, r.failure) for r in run.results if not r.passed] == []
    checked, _ = loaded(path)
    names = [r.name for r in run.results]
    assert names == [g.ident for g in checked.guarantees] + [
        "totality",
        "no_conflict",
        "no_gap",
        "determinism",
        "explanation",
    ]
    assert all(r.cases == 1000 for r in run.results)


def test_a_release_overriding_the_exclusions_breaks_the_article_5_guarantees() -> None:
    run = default_run(FAULTY)
    failed = {r.name: r for r in run.results if not r.passed}
    # the derived guarantees of Article 5 give way to Article 6, which names Article 5 (issue 12); the written one fails
    assert set(failed) == {"guarantee_1"}
    _, module = loaded(FAULTY)
    for name, result in failed.items():
        assert result.counterexample is not None
        case = module.load_case(result.counterexample)
        assert name in module.broken_guarantees(case)  # the evaluator confirms the counterexample
        assert len(result.counterexample["charges"]) == 1  # shrunk
    terrorism = failed["guarantee_1"].counterexample
    assert terrorism is not None and terrorism["charges"][0]["category"] == "terrorist"
    assert all(r.passed for r in run.results if r.name in {"guarantee_2", "guarantee_3", "totality"})


def test_a_guarantee_gives_way_to_the_exceptions_that_lawfully_prevail_over_it() -> None:
    """Article 3 of a chain of exceptions, overridden by Article 4 for a recidivist: the guarantee derived from
    Article 3 was reported broken by a recidivist minor with a listed crime, on a correct statute (issue 12)."""
    path = VARIANTS / "exception_chain_recidivist.statute"
    run = default_run(path)
    assert [(r.name, r.failure) for r in run.results if not r.passed] == []
    checked, module = loaded(path)
    case = module.load_case({"age": 16, "crime": "listed crime", "recidivist": True})
    assert module.decide(case).measure.name == "REFUSED" and module.broken_guarantees(case) == ()
    title = next(g.title for g in checked.guarantees if g.derived_from == "article_3_rule_1")
    assert title.endswith("unless an exception that prevails over it applies (Article 4)")


def _alternating_chain(articles: int) -> str:
    """Each article an exception to the one before, the grant 1 and 2 USD in turn: every exception is prevailed
    over by about half the chain with a value it sets aside."""
    out = ["Each case is about a person.\nA person has:\n  - age: whole number from 0 to 200.\n"
           "Outcome the grant: money in USD; by default 0 USD.\n\n"
           "Article 1. The grant\n\nRule: the grant is 1 USD if the age is at least 1.\n\n"]  # fmt: skip
    for n in range(2, articles + 1):
        out.append(f"Article {n}. Exception {n}\n\nException to Article {n - 1}: the grant is {n % 2 + 1} USD "
                   f"if the age is at least {n}.\n\n")  # fmt: skip
    return "".join(out)


def test_guarantees_in_a_long_chain_give_way_in_a_module_linear_in_the_chain(tmp_path: Path) -> None:
    """Past MAX_LISTED rules prevailing, a guarantee's method asks _prevailing_applies instead of writing out their
    conditions: no case breaks a guarantee, and the module grows with the chain, not with its square."""
    sizes = []
    for n in (60, 120):
        path = tmp_path / f"chain_{n}.statute"
        path.write_text(_alternating_chain(n), encoding="utf-8")
        checked = build.check_file(path)
        source = generate(checked)
        sizes.append(len(source))
        assert "_prevailing_applies(self, " in source
        module = build.load_module(checked)
        for age in range(0, n + 3):
            case = module.load_case({"age": age})
            assert module.decide(case).grant == (0 if age < 1 else 1 if age == 1 else min(age, n) % 2 + 1), age
            assert module.broken_guarantees(case) == (), age
    assert sizes[1] < 2.5 * sizes[0], sizes


def test_a_rule_without_an_exception_is_found_in_conflict() -> None:
    run = default_run(CONFLICT)
    assert [r.name for r in run.results if not r.passed] == ["no_conflict"]
    result = next(r for r in run.results if r.name == "no_conflict")
    assert "conflict deciding the amnesty measure" in str(result.failure) and "Article 6" in str(result.failure)
    _, module = loaded(CONFLICT)
    with pytest.raises(module.ConflictError):
        module.decide(module.load_case(result.counterexample))


def test_an_outcome_without_its_default_is_found_to_have_a_gap() -> None:
    run = default_run(GAP)
    assert [r.name for r in run.results if not r.passed] == ["no_gap"]
    result = next(r for r in run.results if r.name == "no_gap")
    case = result.counterexample
    assert case is not None and case["charges"] == [] and case["role"] == "civilian"  # shrunk: nobody is covered
    assert "sentence" not in case and "sentence_start" not in case
    assert "cannot decide the amnesty measure: no rule applies and it has no default" in str(result.failure)


def test_the_default_run_is_reproducible_and_the_seed_changes_it() -> None:
    checked, module = loaded(FAULTY)
    first = run_properties(checked, module, 150, 0, only=("guarantee_1",))
    again = run_properties(checked, module, 150, 0, only=("guarantee_1",))
    assert [(r.counterexample, r.failure, r.cases) for r in first.results] == [
        (r.counterexample, r.failure, r.cases) for r in again.results
    ]
    other = run_properties(checked, module, 150, 5, only=("guarantee_1",))
    assert other.results[0].cases != first.results[0].cases or other.results[0].counterexample is not None
    script = (
        "import json, sys; from compiler.driver import build; "
        "from compiler.driver.guarantee_testing import run_properties; "
        "c = build.check_file(sys.argv[1]); "
        "r = run_properties(c, build.load_module(c), 150, 0, only=('guarantee_1',)).results[0]; "
        "print(json.dumps([r.counterexample, r.failure, r.cases]))"
    )
    elsewhere = subprocess.run(  # another process, other modules loaded, another hash seed: the same cases
        [sys.executable, "-c", script, str(FAULTY)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "7"},
        check=True,
    )
    assert json.loads(elsewhere.stdout) == [
        first.results[0].counterexample,
        first.results[0].failure,
        first.results[0].cases,
    ]


def _statute_test(path: Path, *argv: str) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    parser.add_argument("-v", "--verbose", action="store_true")
    add_property_arguments(parser)
    args = parser.parse_args(list(argv))
    out = io.StringIO()
    with redirect_stdout(out):
        status = property_test_command(args, *loaded(path), Style())
    return status, out.getvalue()


def test_statute_test_prints_the_counterexample_the_guarantee_its_article_and_the_explanation() -> None:
    status, text = _statute_test(FAULTY, "--examples", "300")
    assert status == 1
    assert "FAIL guarantee_1: No one convicted of terrorism is released (Article 5; line 188)" in text
    start = text.index("as a case file:\n") + len("as a case file:\n")
    end = text.index("\n     the decision, explained:", start)
    case = json.loads(text[start:end])  # the counterexample is a case file as printed
    assert case["role"] in {"law enforcement officer", "serviceman"}
    assert "Why the amnesty measure is released from punishment" in text
    assert "Article 6. Clemency for those who suppressed the riots" in text
    assert text.rstrip().endswith("seed 0; " + text.rstrip().rsplit("seed 0; ", 1)[1])
    assert "failed (12 checks on up to 300 cases, seed 0;" in text


@pytest.mark.parametrize(("path", "check"), [(CONFLICT, "no_conflict"), (GAP, "no_gap")], ids=["conflict", "gap"])
def test_statute_test_reports_a_conflict_and_a_gap_with_their_counterexample(path: Path, check: str) -> None:
    text = render_results(default_run(path), *loaded(path), Style(), verbose=False)
    assert f"FAIL {check}:" in text
    assert "counterexample (the smallest case found" in text
    assert "the decision, explained:" in text
    assert "1 failed (11 checks on up to 1000 cases, seed 0;" in text


def test_statute_test_passes_on_the_real_statutes_and_says_what_it_checked() -> None:
    status, text = _statute_test(IRC, "-v", "--examples", "200", "--seed", "3")
    assert status == 0, text
    assert "pass section_121_b_2_rule_1_excludes: Section 121(b)(2)" in text
    assert "guarantees and properties: 6 passed, 0 failed (6 checks on up to 200 cases, seed 3;" in text
    assert _statute_test(AMNESTY, "--examples", "0") == (0, "")


def test_without_hypothesis_statute_test_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import compiler.commands.guarantees as command

    monkeypatch.setattr(command.importlib.util, "find_spec", lambda name: None)
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    assert _statute_test(AMNESTY)[0] == 1
    assert "pip install hypothesis" in err.getvalue()


def test_the_trace_stands_in_when_an_explanation_cannot_be_built() -> None:
    _, module = loaded(AMNESTY)
    officer = module.load_case(json.loads(TORTURE_OFFICER.read_text(encoding="utf-8")))
    lines = "\n".join(_trace(module, officer))
    assert "article_5_rule_5 (Article 5, line 193)" in lines
    assert "= excluded (by article_5_rule_5)" in lines
    assert "decided: {'amnesty_measure': 'excluded', 'charges': [{'charge_measure': 'excluded'" in lines


# ------------------------------------------------------------------ the pytest module statute compile writes


def _pytest(folder: Path, *files: str, examples: int = 200) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STATUTE_", "PYTEST_"))}
    env["STATUTE_EXAMPLES"] = str(examples)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(folder), *files],
        capture_output=True,
        text=True,
        cwd=folder,
        env=env,
    )


def test_the_generated_property_tests_pass_for_the_real_statutes(tmp_path: Path) -> None:
    for path in (AMNESTY, IRC):
        checked = build.check_file(path)
        build.write_module(checked, tmp_path)
        assert build.write_property_tests(checked, tmp_path).name == f"test_{checked.module}.py"
    result = _pytest(tmp_path, "test_kz_amnesty_2022.py", "test_us_irc_121.py", examples=100)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "16 passed" in result.stdout  # 7 + 1 guarantees, and 4 properties each


@pytest.mark.slow
def test_the_generated_property_tests_fail_on_each_faulty_variant(tmp_path: Path) -> None:
    for path in (FAULTY, CONFLICT, GAP):
        checked = build.check_file(path)
        build.write_module(checked, tmp_path)
        build.write_property_tests(checked, tmp_path)
    failing = [
        "test_amnesty_faulty_release.py::test_guarantee_1",
        "test_amnesty_conflict.py::test_no_conflict",
        "test_amnesty_gap.py::test_no_gap",
    ]
    # 1000 cases per test: the written guarantee (a terrorist officer released) is rarer than the derived one was
    result = _pytest(tmp_path, *failing, examples=1000)
    assert result.returncode == 1
    failed = {line.split(" ")[1] for line in result.stdout.splitlines() if line.startswith("FAILED ")}
    assert failed == set(failing), result.stdout[-3000:]
    assert '"category": "terrorist"' in result.stdout or '"category": "torture"' in result.stdout
    assert "Falsifying example" in result.stdout or "Failing test case" in result.stdout


@pytest.mark.slow
def test_the_generated_property_tests_pass_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    for path in (AMNESTY, IRC):
        checked = build.check_file(path)
        build.write_module(checked, tmp_path)
        build.write_property_tests(checked, tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "test_kz_amnesty_2022.py", "test_us_irc_121.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout


def test_the_generated_test_module_imports_only_hypothesis_the_evaluator_and_the_standard_library() -> None:
    import ast

    source = property_tests_source(loaded(AMNESTY)[0])
    tree = ast.parse(source)
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__", "hypothesis", "kz_amnesty_2022"}
    assert "compiler" not in source.split("# ---- strategies")[0]
    assert property_tests_source(loaded(AMNESTY)[0]) == source  # deterministic
