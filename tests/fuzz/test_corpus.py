"""The regression corpus (tests/fuzz/corpus/): every crash the fuzz suites found, kept as the input that found it.

A statute says what must come of it in `# expect:` lines: `compiled`, or `refused "<words of a diagnostic>"`.
A case file `<statute>.cases.jsonl` beside it goes through `statute run` (compiler.driver.runner) and a population run
(compiler.population.batch): every row is decided or rejected, none is lost and nothing else escapes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from compiler.backends.python.generated import GeneratedRowDecider
from compiler.driver import build
from compiler.population import batch, batch_workers
from compiler.population.batch_rows import Decided, Rejected, decide_rows, read_cases
from fuzz.support import CORPUS, decide, through_pipeline

STATUTES = sorted(CORPUS.glob("*.statute"))
CASE_FILES = sorted(CORPUS.glob("*.cases.jsonl"))
_EXPECT = re.compile(r'^# expect: (compiled|refused "(.*)")$', re.MULTILINE)


@pytest.mark.parametrize("path", STATUTES, ids=lambda p: p.stem)
def test_corpus_statute(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    expectations = _EXPECT.findall(text)
    outcome = through_pipeline(text, str(path))
    if not expectations:
        return  # a helper of another suite (many_articles_vocabulary): it only has to go through cleanly
    for kind, words in expectations:
        if kind == "compiled":
            assert outcome.stage == "compiled", [d.message for d in outcome.diagnostics]
            assert outcome.module is not None and outcome.checked is not None
            for example in outcome.checked.examples:
                assert decide(outcome.module, example.case) == "decided"
        else:
            assert outcome.stage in {"parse", "check"}, outcome.stage
            assert any(words in d.message for d in outcome.diagnostics if d.is_error), [
                d.message for d in outcome.diagnostics
            ]


def test_every_corpus_statute_says_what_it_guards_against() -> None:
    for path in STATUTES:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# "), path.name


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.name.split(".")[0])
def test_corpus_case_file(path: Path, tmp_path: Path) -> None:
    checked = build.check_file(path.with_name(path.name.split(".")[0] + ".statute"))
    module = build.load_module(checked)
    rows = sum(1 for line in path.read_bytes().split(b"\n") if line.strip())
    results = list(decide_rows(GeneratedRowDecider(module), read_cases(path, checked), shown=True))
    assert len(results) == rows
    assert all(isinstance(r, Decided | Rejected) for r in results)
    summary = batch.run_file(
        batch_workers.make_job(checked, "jsonl"), path, tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    )
    assert summary.rows == rows == summary.decided + summary.rejected
    reasons = " ".join(r.reason for r in results if isinstance(r, Rejected))
    for words in ("falls outside the calendar", "more than 40 digits", "nested too deeply", "not UTF-8"):
        assert words in reasons, words
