"""Suite 6: limits. A statute of 1 MB, statements nested 200 levels deep, a chain of 200 definitions, 10,000
articles: each compiles, or is refused with a clear message at its position, in bounded time and memory, and no
RecursionError (or any other traceback) escapes. Just inside the limits, the module also decides a case.
"""

from __future__ import annotations

import itertools
import resource
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from compiler.check.rules import MAX_CHAIN
from compiler.driver import build
from compiler.frontend.parse_errors import MAX_NESTING
from fuzz.support import CORPUS, ROOT, decide, tally, through_pipeline

VOCABULARY = (CORPUS / "many_articles_vocabulary.statute").read_text(encoding="utf-8")
LIST_VOCABULARY = """\
Each case is about a person.
A person has:
  - age: whole number from 14 to 100;
  - gain: money in USD;
  - cooperated: yes or no;
  - charges: list of charge.
A charge has:
  - gravity: one of minor, medium, grave;
  - proven: yes or no.
Outcome the measure: one of released, outside; by default outside.
Outcome the total: whole number; by default 0.
Outcome the amount: money in USD; by default 0 USD.
"""
CASE = {"age": 30, "gain": "100.00", "cooperated": True, "charges": [{"gravity": "grave", "proven": True}]}
MEMORY = 3 * 1024**3  # bytes of address space a compile may take


def _nested(shape: str, n: int) -> str:
    """A statement nested `n` levels deep, in one of the shapes a drafter could build."""
    return {
        "brackets": "Rule: the measure is released if " + "(" * n + "the age is at least 18" + ")" * n + ".",
        "not": "Rule: the measure is released if " + "not " * n + "the age is at least 18.",
        "plus": "Rule: the total is " + " plus ".join(["the age"] * n) + ".",
        "any where": "Rule: the measure is released if "
        + "any charge where (" * n
        + "the gravity is grave"
        + ")" * n
        + ".",
        "greater of": "Rule: the total is " + "the greater of the age and (" * n + "the age" + ")" * n + ".",
        "and or": "Rule: the measure is released if "
        + "".join("(the age is 1 or " if i % 2 else "(the age is 2 and " for i in range(n))
        + "the person is cooperated"
        + ")" * n
        + ".",
        "rounded": "Rule: the amount is "
        + "(" * n
        + "the gain times one third rounded down to whole cents"
        + ") times one half rounded up to whole cents" * n
        + ".",
    }[shape]


SHAPES = ["brackets", "not", "plus", "any where", "greater of", "and or", "rounded"]


@pytest.mark.parametrize("shape", SHAPES)
def test_nesting_200_levels_deep_is_refused_at_its_position(shape: str) -> None:
    text = LIST_VOCABULARY + _nested(shape, 200) + "\n"
    outcome = through_pipeline(text)  # positions are checked there
    tally("6 limits", f"nested 200: {outcome.stage}")
    if shape == "brackets":  # brackets around one test add no depth: it compiles
        assert outcome.stage == "compiled"
        return
    assert outcome.stage == "parse", outcome.stage
    (diagnostic,) = outcome.diagnostics
    assert diagnostic.message.startswith(f"this statement is nested more than {MAX_NESTING} levels deep")
    assert diagnostic.span.line == LIST_VOCABULARY.count("\n") + 1


def _deepest_accepted(build_text: Callable[[int], str]) -> int:
    low, high = 1, 3 * MAX_NESTING
    while low < high:  # the largest n the parser takes
        middle = (low + high + 1) // 2
        if through_pipeline(build_text(middle)).stage == "parse":
            high = middle - 1
        else:
            low = middle
    return low


@pytest.mark.parametrize("shape", SHAPES[1:])
def test_just_inside_the_nesting_limit_the_module_decides(shape: str) -> None:
    deepest = _deepest_accepted(lambda n: LIST_VOCABULARY + _nested(shape, n) + "\n")
    assert deepest >= MAX_NESTING // 2 - 5, deepest  # "rounded" nests two levels a step
    outcome = through_pipeline(LIST_VOCABULARY + _nested(shape, deepest) + "\n")
    assert outcome.stage == "compiled" and outcome.module is not None
    assert decide(outcome.module, CASE) == "decided"
    tally("6 limits", f"levels of {shape} compiled and decided", deepest)


def _chain(n: int) -> str:
    letters = "bcdfgjklmpqrvwxz"  # no vowels: no word of the language, no article
    words = ["step " + letters[i // len(letters)] + letters[i % len(letters)] for i in range(n)]
    lines = [f"Definition the {w}: whole number." for w in words]
    lines.append(f"Rule: the {words[0]} is the age.")
    lines += [f"Rule: the {w} is the {v} plus 1." for v, w in itertools.pairwise(words)]
    lines.append(f"Rule: the total is the {words[-1]}.")
    return LIST_VOCABULARY + "\n".join(lines) + "\n"


def test_a_chain_of_200_definitions_is_refused_and_one_of_100_decides() -> None:
    outcome = through_pipeline(_chain(200))
    assert outcome.stage == "check"
    assert any(f"a chain of more than {MAX_CHAIN} definitions" in d.message for d in outcome.diagnostics)
    outcome = through_pipeline(_chain(MAX_CHAIN - 1))
    assert outcome.stage == "compiled" and outcome.module is not None
    assert decide(outcome.module, CASE) == "decided"
    assert outcome.module.decide(outcome.module.load_case(CASE)).total == 30 + MAX_CHAIN - 2
    tally("6 limits", "definition chains", 2)


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def _compile(path: Path, out: Path, timeout: float = 150) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compiler.commands.cli", "compile", str(path), "-o", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=timeout,
        preexec_fn=_limited,
    )


def test_a_statute_of_one_megabyte_compiles_in_bounded_memory(tmp_path: Path) -> None:
    quote = "> " + "The convict's sentence is reduced as this article sets out, and the court so orders. " * 12 + "\n"
    body = "".join(
        f"Article {i}. Article number {i}\n\n{quote * 2}\nRule: the measure is released if the age is at least "
        f"{i % 80 + 14} and the person is cooperated.\n\n"
        for i in range(1, 1000)
    )
    path = tmp_path / "megabyte.statute"
    path.write_text(VOCABULARY + body, encoding="utf-8")
    assert path.stat().st_size >= 1_000_000
    result = _compile(path, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    checked = build.check_file(path)
    module = build.load_module(checked, (tmp_path / "megabyte.py").read_text(encoding="utf-8"))
    assert decide(module, {"role": "civilian", "age": 50, "cooperated": True}) == "decided"
    tally("6 limits", "statutes of 1 MB")


def test_ten_thousand_articles_compile_in_bounded_time_and_memory(tmp_path: Path) -> None:
    body = "".join(
        f"Article {i}. Release {i}\nRule: the measure is released if the age is at least {i % 80 + 14}.\n"
        for i in range(1, 10_001)
    )
    path = tmp_path / "many.statute"
    path.write_text(VOCABULARY + body, encoding="utf-8")
    result = _compile(path, tmp_path)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr and (tmp_path / "many.py").is_file()
    tally("6 limits", "statutes of 10,000 articles")


def test_a_broken_statute_of_ten_thousand_articles_gets_its_diagnostics(tmp_path: Path) -> None:
    body = "".join(
        f"Article {i}. Release {i}\nRule: the measure is released if the age is at least {i % 80 + 14}"
        + ("" if i % 997 else " and the agee is 3")
        + ".\n"
        for i in range(1, 10_001)
    )
    path = tmp_path / "broken.statute"
    path.write_text(VOCABULARY + body, encoding="utf-8")
    result = _compile(path, tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("error: 'agee' is not defined in this statute") == 10
    tally("6 limits", "broken statutes of 10,000 articles")
