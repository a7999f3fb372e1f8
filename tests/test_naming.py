"""What a case file calls a fact is the drafter's word alone, even a word Python keeps for itself ("class", "int",
"return", "sum"): the checked model keeps the word as its key, and the Python backend's naming pass
(compiler/backends/python/naming.py) gives the generated module identifiers of its own (`class_`, `sum_`)."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from compiler.backends.python import naming
from compiler.driver.build import check_file, load_module, module_source

ROOT = Path(__file__).resolve().parent.parent
STATUTE = ROOT / "tests" / "statutes" / "python_words.statute"
WORDS = ("class", "int", "return", "sum")
CASE = {"class": 3, "int": 4, "return": True, "sum": "12.50"}


def test_the_model_keeps_the_drafters_words_as_keys() -> None:
    checked = check_file(STATUTE)
    assert tuple(f.ident for f in checked.record(checked.root).fields) == WORDS
    assert checked.outcomes == ("total", "type")


def test_the_module_names_them_apart_from_python() -> None:
    source = module_source(check_file(STATUTE))
    record = source.split("class Filer:")[1].split("\n\n\n")[0]
    # A keyword cannot be an attribute, a type's name would hide the type; `sum` hides nothing on a record.
    assert [line.split(":")[0].strip() for line in record.splitlines() if line.startswith("    ") and ": " in line][
        -4:
    ] == ["class_", "int_", "return_", "sum"]
    assert "def type_(self)" in source  # the outcome "type": a method may not hide the builtin from the module
    assert naming.name("sum") == "sum_" and naming.name("charges") == "charges"


def test_the_modules_readers_and_decisions_use_the_drafters_words() -> None:
    module = load_module(check_file(STATUTE))
    fast = module.read_case(CASE) if hasattr(module, "read_case") else module.load_case(CASE)
    careful = module._load_filer(CASE, "filer", problems := [])  # the careful reader, as load_case falls back to it
    assert fast == careful and not problems
    assert (fast.class_, fast.int_, fast.return_, fast.sum) == (3, 4, True, Fraction(25, 2))
    assert module.decision_as_dict(module.decide(fast)) == {"total": "12.50", "type": 7}
    with pytest.raises(module.CaseError, match=r"\bclass\b"):
        module.load_case({**CASE, "class": 12})


def _statute(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compiler.commands.cli", *args], capture_output=True, text=True, cwd=ROOT
    )


@pytest.mark.parametrize("engine", ["module", "interpreter"])
def test_run_and_schema_use_the_drafters_words(tmp_path: Path, engine: str) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"id": 1, **CASE}) + "\n", encoding="utf-8")
    result = _statute("run", str(STATUTE), "--cases", str(cases), "--format", "jsonl", "--engine", engine)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"id": "1", "total": "12.50", "type": 7}
    schema = json.loads(_statute("schema", str(STATUTE)).stdout)
    assert set(WORDS) <= set(schema["properties"]) and set(WORDS) <= set(schema["required"])
