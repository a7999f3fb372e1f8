"""The statutes in statutes/: each example through the generated module, golden modules, determinism, safety."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from golden import assert_golden

from compiler.driver import build
from compiler.driver.runner import run_examples

ROOT = Path(__file__).resolve().parent.parent
STATUTES = sorted((ROOT / "statutes").glob("*.statute"))
FLAGSHIPS = [ROOT / "statutes" / "kz_amnesty_2022.statute", ROOT / "statutes" / "us_irc_121.statute"]


def _example_params() -> list[object]:
    params = []
    for path in STATUTES:
        checked = build.check_file(path)
        for example in checked.examples:
            params.append(pytest.param(path, example.span.line, id=f"{path.stem}:{example.span.line}"))
    return params


@pytest.mark.parametrize(("path", "line"), _example_params())
def test_statute_example(path: Path, line: int) -> None:
    checked = build.check_file(path)
    module = build.load_module(checked)
    results = [r for r in run_examples(checked, module) if r.example.span.line == line]
    assert len(results) == 1
    assert results[0].passed, "\n".join(results[0].failures)


def test_flagships_have_the_examples_the_issue_asks_for() -> None:
    amnesty = build.check_file(FLAGSHIPS[0])
    assert len(amnesty.examples) >= 25
    covered = {a for e in amnesty.examples for a in e.articles}
    assert {"Article 1", "Article 2", "Article 3", "Article 4", "Article 5"} <= covered
    assert any(len(e.case["charges"]) > 1 for e in amnesty.examples)  # type: ignore[arg-type]
    assert len(build.check_file(FLAGSHIPS[1]).examples) >= 10


@pytest.mark.parametrize("path", FLAGSHIPS, ids=lambda p: p.stem)
def test_generated_module_matches_golden(path: Path, update_golden: bool) -> None:
    source = build.module_source(build.check_file(path))
    assert_golden(f"modules/{path.stem}.py", source, update_golden)


@pytest.mark.parametrize("path", FLAGSHIPS, ids=lambda p: p.stem)
def test_generated_module_is_deterministic_across_hash_seeds(path: Path, tmp_path: Path) -> None:
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [sys.executable, "-m", "compiler.commands.cli", "compile", str(path), "-o", str(out)],
            check=True,
            env=env,
            cwd=ROOT,
            capture_output=True,
        )
        outputs.append((out / f"{build.check_file(path).module}.py").read_bytes())
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("path", FLAGSHIPS, ids=lambda p: p.stem)
def test_generated_module_runs_with_the_standard_library_alone(path: Path, tmp_path: Path) -> None:
    checked = build.check_file(path)
    module_path = build.write_module(checked, tmp_path)
    example = checked.examples[0]
    script = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); import importlib; "
        f"m = importlib.import_module({checked.module!r}); "
        "print(json.dumps(m.decision_as_dict(m.decide(m.load_case(json.loads(sys.argv[2]))))))"
    )
    import json

    result = subprocess.run(
        [sys.executable, "-I", "-S", "-c", script, str(module_path.parent), json.dumps(example.case)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert checked.outcomes[0] in result.stdout
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in (node.names if isinstance(node, ast.Import) else [ast.alias(node.module or "")])
    }
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


@pytest.mark.slow
@pytest.mark.parametrize("path", FLAGSHIPS, ids=lambda p: p.stem)
def test_generated_module_passes_mypy_strict(path: Path, tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    module_path = build.write_module(build.check_file(path), tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(module_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout
