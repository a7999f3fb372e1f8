"""Differential tests: the generated module and the reference interpreter (compiler/interpret) decide alike.

For every statute in statutes/ and tests/statutes/, CASES cases are drawn (seed 0, the same on every run) by the
strategies `statute test` uses, weighted toward the edges of every comparison (month ends, leap days, the ages and
day counts the rules compare with: compiler/backends/python/properties_edges.py); each is decided by both, and the two
must give the same decision dict, or the same conflict or undecided report, or both crash alike. A disagreement
found once is kept in tests/data/differential/*.jsonl and replayed here. The explanation of each of EXPLAINED_CASES
drawn cases must give the module's decision in its decision section (or its conflict or undecided report).

Disagreements that the calendar change of issue 12 section 1 will remove (tests/differential.py) mark the test as
an expected failure, not strict: once the runtime holds durations in their normal form, it passes.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from compiler.backends.python import naming
from compiler.backends.python.generated import GeneratedEvaluator
from compiler.backends.python.properties import strategy_name
from compiler.driver.guarantee_testing import harness, same_cases_everywhere
from compiler.driver.runner import run_examples
from compiler.explain.decision import explain
from compiler.explain.format import value_text
from compiler.explain.render import locale_for
from compiler.interpret.examples import example_failures
from tests.differential import (
    CALENDAR_REASON,
    CORPUS,
    ROOT,
    Disagreement,
    at_month_ends,
    compiled,
    corpus,
    disagreement,
    interpreter_outcome,
    module_outcome,
)
from tests.fuzz.cases import valid_cases
from tests.fuzz.statutes import GeneratedStatute, statutes
from tests.fuzz.support import json_safe, through_pipeline

CASES = 200
STATUTES = sorted(
    [*(ROOT / "statutes").glob("*.statute"), *(ROOT / "tests" / "statutes").glob("*.statute"), CORPUS / "probe.statute"]
)
REAL_STATUTES = [p for p in STATUTES if p.parent.name == "statutes" and p.parent.parent == ROOT]


def _name(path: Path) -> str:
    return path.stem


def _drawn_disagreements(path: Path, cases: int) -> tuple[int, list[Disagreement]]:
    checked, module = compiled(path)
    strategy = at_month_ends(checked, harness(checked, module)["cases"]())
    found: list[Disagreement] = []
    drawn = [0]

    @seed(0)
    @settings(
        max_examples=cases,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),  # no shrinking: every disagreement is kept and shown
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def each(case: dict[str, Any]) -> None:
        drawn[0] += 1
        d = disagreement(checked, module, case)
        if d is not None:
            found.append(d)

    with same_cases_everywhere():
        each()
    return drawn[0], found


@pytest.mark.parametrize("path", STATUTES, ids=_name)
def test_module_and_interpreter_agree_on_drawn_cases(path: Path) -> None:
    drawn, found = _drawn_disagreements(path, CASES)
    assert drawn >= CASES // 2, f"only {drawn} cases drawn"
    # The calendar change of issue 12 section 1 has landed: every disagreement is now a bug in one of the two.
    smallest = sorted(found, key=lambda d: len(json.dumps(d.case)))
    assert not smallest, f"{len(found)} of {drawn} cases disagree; the smallest:\n{smallest[0]}"


REQUIRING = [p for p in STATUTES if "\nRequirement" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", REQUIRING, ids=_name)
def test_module_and_interpreter_reject_alike_the_cases_that_break_a_requirement(path: Path) -> None:
    """Cases drawn without leaving out those that break a requirement: the module's load_case and the interpreter
    (each with its own check) reject the same ones with the same message, and decide the others alike."""
    checked, module = compiled(path)
    tests = harness(checked, module)
    anything = tests["cases_of"](tests[strategy_name(checked.record(checked.root))](), tests["EXAMPLE_CASES"])
    rejected, found = [0], []

    @seed(0)
    @settings(
        max_examples=CASES,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(at_month_ends(checked, anything, coherent=False))
    def each(case: dict[str, Any]) -> None:
        by_module = module_outcome(module, case)
        rejected[0] += by_module[0] == "rejected"
        if by_module != interpreter_outcome(checked, case):
            found.append(f"{json.dumps(case)}: module {by_module}, interpreter {interpreter_outcome(checked, case)}")

    with same_cases_everywhere():
        each()
    assert not found, f"{len(found)} cases judged otherwise; the first: {found[0]}"
    assert rejected[0] > 0, "no drawn case broke a requirement: no rejection was compared"


EXPLAINED_CASES = 60


@pytest.mark.parametrize("path", STATUTES, ids=_name)
def test_the_explanation_gives_the_decision_on_drawn_cases(path: Path) -> None:
    """The explanation's decision section (every outcome, in the order declared, as shown) is the module's decision,
    or a conflict or undecided report where the module reports one: on cases drawn as above (issue 12, section 2)."""
    checked, module = compiled(path)
    strategy = at_month_ends(checked, harness(checked, module)["cases"]())
    locale = locale_for("en")
    wrong: list[str] = []

    @seed(0)
    @settings(
        max_examples=EXPLAINED_CASES,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def each(case: dict[str, Any]) -> None:
        found = _explained_otherwise(checked, module, case, locale)
        if found is not None:
            wrong.append(found)

    with same_cases_everywhere():
        each()
    assert not wrong, f"{len(wrong)} cases explained otherwise than decided; the first: {wrong[0]}"


def _explained_otherwise(checked: Any, module: Any, case: dict[str, Any], locale: Any) -> str | None:
    """How the explanation of `case` differs from the module's decision, or None when it gives that decision."""
    kind, decided = module_outcome(module, case)
    if kind in {"crash", "rejected"}:
        return None  # a crash is the differential test's finding; a rejected case is not explained
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case(case), locale, search=False)
    if kind == "decided":
        assert isinstance(decided, dict)
        decision = module.decide(module.load_case(case))
        expected = [(o, _shown(checked, o, getattr(decision, naming.name(o)), locale)) for o in checked.outcomes]
        for group in checked.record_outcomes:  # then each record's outcomes, record by record
            for record in getattr(decision, naming.attribute(group.key)):
                expected += [
                    (o.definition, _shown(checked, o.definition, getattr(record, naming.attribute(o.key)), locale))
                    for o in group.outcomes
                ]
        shown = [(o.ident, o.value) for o in explanation.outcomes]
        if shown != expected or explanation.conflict or explanation.undecided:
            return f"{json.dumps(case)}: explained {shown}, decided {expected}"
    elif (kind == "conflict") != (explanation.conflict is not None) or (kind == "undecided") != bool(
        explanation.undecided
    ):
        return f"{json.dumps(case)}: the module reports {kind}, the explanation does not"
    return None


def _shown(checked: Any, outcome: str, value: object, locale: Any) -> str:
    definition = checked.definition(outcome)
    if value is None and definition.optional:
        return str(locale.words["not_decided"])
    return value_text(value, definition.type, locale)


def _corpus_params() -> list[Any]:
    params = []
    for statute, case, found, expected_failure in corpus():
        marks = []
        if expected_failure == "calendar":
            marks = [pytest.mark.xfail(strict=False, reason=CALENDAR_REASON)]
        params.append(pytest.param(statute, case, id=f"{Path(statute).stem}: {found}", marks=marks))
    return params


@pytest.mark.parametrize(("statute", "case"), _corpus_params())
def test_regression_corpus(statute: str, case: dict[str, Any]) -> None:
    """Each case kept: the module and the interpreter decide alike, and the explanation gives that decision."""
    checked, module = compiled(ROOT / statute)
    assert module_outcome(module, case) == interpreter_outcome(checked, case)
    assert _explained_otherwise(checked, module, case, locale_for("en")) is None


@pytest.mark.parametrize("path", STATUTES, ids=_name)
def test_interpreter_fails_the_examples_the_module_fails(path: Path) -> None:
    """The statutes' own examples: every one passes under the interpreter where it passes under the module, and
    the faulty variants of tests/statutes fail the same examples under both."""
    checked, module = compiled(path)
    by_module = {r.example.span.line for r in run_examples(checked, module) if not r.passed}
    by_interpreter = {ex.span.line for ex in checked.examples if list(example_failures(checked, ex))}
    assert by_interpreter == by_module
    if path in REAL_STATUTES:
        assert checked.examples and not by_interpreter


def test_run_with_the_interpreter_prints_what_the_module_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from compiler.commands.cli import main

    statute, cases = ROOT / "statutes" / "kz_amnesty_2022.statute", ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
    outputs = []
    for engine in ("module", "interpreter"):
        assert main(["run", str(statute), "--cases", str(cases), "--format", "jsonl", "--engine", engine]) == 0
        outputs.append(capsys.readouterr().out)
    assert outputs[0] == outputs[1] and outputs[0].count("\n") == 150


def _amnesty_register(path: Path, n: int, seed: int) -> None:
    """A synthetic register of the amnesty with a twentieth of its rows broken on purpose."""
    from compiler.population.register import broken, write_register
    from compiler.population.synth import Generator, load_profile, profile_path

    statute = ROOT / "statutes" / "kz_amnesty_2022.statute"
    checked = compiled(statute)[0]
    generator = Generator(checked, load_profile(profile_path(statute)))
    write_register(path, broken(generator.cases(n, seed), checked, 0.05, seed), checked)


@pytest.mark.parametrize(
    ("cases", "out", "workers"),
    [
        ("amnesty", "jsonl", 1),
        ("amnesty", "csv", 1),
        ("register.jsonl", "jsonl", 2),
        ("register.csv", "csv", 1),
        ("register.jsonl", "parquet", 1),
    ],
)
def test_the_interpreter_runs_a_population_as_the_module_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cases: str, out: str, workers: int
) -> None:
    """`statute run --engine interpreter --out FILE`: the very bytes of the module's results and rejects files, on
    the amnesty's case file and on registers with broken rows; rows in = decided + rejected."""
    from compiler.commands.cli import main

    if out == "parquet":
        pytest.importorskip("pyarrow")
    statute = ROOT / "statutes" / "kz_amnesty_2022.statute"
    source = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
    if cases != "amnesty":
        source = tmp_path / cases
        _amnesty_register(source, 600, seed=11)
    written: dict[str, tuple[bytes, bytes, str]] = {}
    for engine in ("module", "interpreter"):
        results = tmp_path / f"{engine}.{out}"
        argv = ["run", str(statute), "--cases", str(source), "--out", str(results), "--engine", engine]
        code = main([*argv, "--rejects", str(tmp_path / f"{engine}.rejects.jsonl"), "--workers", str(workers)])
        summary = capsys.readouterr().err.splitlines()[0]
        rejects = (tmp_path / f"{engine}.rejects.jsonl").read_bytes()
        assert code == (1 if rejects else 0)
        written[engine] = (results.read_bytes(), rejects, summary.split(" in ")[0])
    assert written["interpreter"] == written["module"]
    results, rejects, summary = written["interpreter"]
    rows = 150 if cases == "amnesty" else 600
    decided = int(summary.split(" decided")[0].split()[-1].replace(",", ""))
    if out != "parquet":
        assert results.count(b"\n") - (out == "csv") == decided  # a CSV file has a header line
    assert summary.startswith(f"{rows:,} rows: {decided:,} decided, {rows - decided:,} rejected")
    assert rejects.count(b"\n") == rows - decided and (cases == "amnesty") == (decided == rows)


def test_the_interpreter_cannot_explain(capsys: pytest.CaptureFixture[str]) -> None:
    """An explanation reads the generated module's trace, which the interpreter does not keep."""
    from compiler.commands.cli import main

    statute, cases = ROOT / "statutes" / "kz_amnesty_2022.statute", ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
    assert main(["run", str(statute), "--cases", str(cases), "--engine", "interpreter", "--explain", "explained"]) == 2
    assert capsys.readouterr().err.startswith("statute: --engine interpreter cannot explain")


FUZZED_STATUTES = 40


@settings(max_examples=FUZZED_STATUTES, derandomize=True, database=None, deadline=None, phases=(Phase.generate,))
@given(statutes(), st.data())
def test_module_and_interpreter_agree_on_fuzzed_statutes(statute: GeneratedStatute, data: st.DataObject) -> None:
    """Statutes drawn by the typed statute generator of tests/fuzz, those the checker accepts, on a few cases each."""
    outcome = through_pipeline(statute.text, statute.file, examples_pass=False)
    if outcome.module is None or outcome.checked is None:
        return
    for drawn in data.draw(st.lists(valid_cases(outcome.checked), min_size=1, max_size=5)):
        case = json_safe(drawn)
        try:
            outcome.module.load_case(case)
        except outcome.module.CaseError:
            continue  # a drawn case the module refuses is the fuzz suite's finding (tests/fuzz), not compared here
        found = disagreement(outcome.checked, outcome.module, case)
        assert found is None, f"{found}\nstatute:\n{statute.text}"
