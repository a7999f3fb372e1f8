"""The z3 side of the differential tests (issue 12, section 3): where the prover encodes a statute, the outcomes z3
gives a case with every fact fixed are the generated module's (and so the interpreter's: tests/test_differential.py).

For every statute in statutes/ and tests/statutes/ (and the differential probes) that the prover encodes, CASES
cases are drawn by the strategies of tests/test_differential.py (seed 0, toward month ends, leap days and the
thresholds of every comparison), each also with its optional facts left out. Each is decided by the module and by
the interpreter, and its facts are fixed in the encoding (tests/z3_differential.py): z3 must give the same
outcomes, and no other model; where the module stops (a conflict, an undecided value, an error), the encoding's
outcome must not be ok. A timeout is counted as one, never as agreement, and a statute with too many is a failure.
The regression corpus of tests/data/differential/ is replayed here too, and a disagreement found is kept there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

pytest.importorskip("z3")

from compiler.driver.guarantee_testing import harness, same_cases_everywhere
from tests.differential import (
    ROOT,
    at_month_ends,
    compiled,
    corpus,
    interpreter_outcome,
    module_outcome,
)
from tests.fuzz.cases import valid_cases
from tests.fuzz.statutes import GeneratedStatute, statutes
from tests.fuzz.support import json_safe, through_pipeline
from tests.test_differential import STATUTES as ALL_STATUTES
from tests.z3_differential import Z3Answer, agrees, prover_for, without_optional, z3_answer

CASES = 30  # per statute, each also with its optional facts left out: z3 calls are slow
MOST_TIMEOUTS = CASES // 4
# The probe without its record inside a record, which the prover does not encode: its arithmetic, for z3.
STATUTES = [*ALL_STATUTES, ROOT / "tests" / "data" / "differential" / "probe_z3.statute"]


def _name(path: Path) -> str:
    return path.stem


@pytest.mark.parametrize("path", STATUTES, ids=_name)
def test_z3_gives_the_module_s_outcomes_on_drawn_cases(path: Path) -> None:
    checked, module = compiled(path)
    prover = prover_for(checked)
    if prover is None:
        pytest.skip("the prover does not encode every outcome of this statute")
    strategy = at_month_ends(checked, harness(checked, module)["cases"]())
    counts = {"agree": 0, "timeout": 0, "too long": 0}
    wrong: list[str] = []

    @seed(0)
    @settings(
        max_examples=CASES,
        database=None,
        deadline=None,
        phases=(Phase.explicit, Phase.generate),
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def each(drawn: dict[str, Any]) -> None:
        for case in (drawn, without_optional(checked, drawn)):
            by_module = module_outcome(module, case)
            assert by_module == interpreter_outcome(checked, case) or by_module[0] == "crash"
            _tally(by_module, z3_answer(prover, case), case, counts, wrong)

    with same_cases_everywhere():
        each()
    assert not wrong, f"{len(wrong)} cases where z3 disagrees ({counts}); the first:\n{wrong[0]}"
    assert counts["timeout"] <= MOST_TIMEOUTS, counts
    assert counts["agree"] >= CASES, counts


@pytest.mark.parametrize("path", STATUTES, ids=_name)
def test_z3_gives_the_module_s_outcomes_on_the_examples(path: Path) -> None:
    """The statutes' own examples, written to reach every rule (conflicts and gaps of the faulty variants
    included), each also with its optional facts left out."""
    checked, module = compiled(path)
    prover = prover_for(checked)
    if prover is None:
        pytest.skip("the prover does not encode every outcome of this statute")
    counts = {"agree": 0, "timeout": 0, "too long": 0}
    wrong: list[str] = []
    for example in checked.examples:
        for case in (example.case, without_optional(checked, example.case)):
            _tally(module_outcome(module, case), z3_answer(prover, case), case, counts, wrong)
    assert not wrong, f"{len(wrong)} cases where z3 disagrees ({counts}); the first:\n{wrong[0]}"
    assert counts["timeout"] <= len(checked.examples) // 2, counts


def _shown(case: dict[str, Any], by_module: tuple[str, object], answer: Z3Answer) -> str:
    return f"module: {by_module}\nz3:     {answer}\ncase: {json.dumps(case, ensure_ascii=False)}"


def _z3_corpus() -> list[Any]:
    """The differential regression corpus (tests/data/differential/*.jsonl), where the prover encodes the statute,
    with z3's own finds (z3.jsonl)."""
    params = []
    for statute, case, found, _ in corpus():
        params.append(pytest.param(statute, case, id=f"{Path(statute).stem}: {found}"))
    return params


@pytest.mark.parametrize(("statute", "case"), _z3_corpus())
def test_z3_regression_corpus(statute: str, case: dict[str, Any]) -> None:
    checked, module = compiled(ROOT / statute)
    prover = prover_for(checked)
    if prover is None:
        pytest.skip("the prover does not encode every outcome of this statute")
    by_module = module_outcome(module, case)
    assert by_module == interpreter_outcome(checked, case)
    answer = z3_answer(prover, case)
    assert agrees(by_module, answer) is True, _shown(case, by_module, answer)


FUZZED_STATUTES = 30


@settings(max_examples=FUZZED_STATUTES, derandomize=True, database=None, deadline=None, phases=(Phase.generate,))
@given(statutes(), st.data())
def test_z3_gives_the_module_s_outcomes_on_fuzzed_statutes(statute: GeneratedStatute, data: st.DataObject) -> None:
    """Statutes drawn by the typed statute generator of tests/fuzz that the checker accepts and the prover encodes,
    on a few cases each."""
    outcome = through_pipeline(statute.text, statute.file, examples_pass=False)
    if outcome.module is None or outcome.checked is None:
        return
    prover = prover_for(outcome.checked)
    if prover is None:
        return
    for drawn in data.draw(st.lists(valid_cases(outcome.checked), min_size=1, max_size=3)):
        case = json_safe(drawn)
        try:
            outcome.module.load_case(case)
        except outcome.module.CaseError:
            continue  # the fuzz suite's finding (tests/fuzz), not compared here
        by_module = module_outcome(outcome.module, case)
        if by_module[0] == "crash":
            continue  # the differential test's finding
        answer = z3_answer(prover, case)
        assert agrees(by_module, answer) is not False, f"{_shown(case, by_module, answer)}\nstatute:\n{statute.text}"


def _tally(by_module: Any, answer: Any, case: dict[str, Any], counts: dict[str, int], wrong: list[str]) -> None:
    """Count z3's answer on `case`: agreeing, a timeout or a case too long for the encoding, or a disagreement kept
    to show."""
    verdict = agrees(by_module, answer)
    if verdict is None:
        counts[answer.kind] += 1
    elif verdict:
        counts["agree"] += 1
    else:
        wrong.append(_shown(case, by_module, answer))
