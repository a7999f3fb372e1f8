"""The `statute` command end to end, in a subprocess as a user runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
CASES = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"


def statute(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "compiler.commands.cli", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


def test_help_everywhere() -> None:
    assert statute("--help").returncode == 0
    for command in ("check", "compile", "run", "test", "schema"):
        result = statute(command, "--help")
        assert result.returncode == 0, command
        assert "usage: statute" in result.stdout


def test_usage_error_exits_2() -> None:
    assert statute().returncode == 2
    assert statute("run", str(AMNESTY)).returncode == 2  # --cases is required


def test_check_ok_statutes() -> None:
    result = statute("check", str(AMNESTY), str(ROOT / "statutes" / "us_irc_121.statute"))
    assert result.returncode == 0, result.stderr
    assert "kz_amnesty_2022.statute: ok" in result.stdout


def test_check_broken_statute_prints_a_positioned_diagnostic_and_no_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.statute"
    broken.write_text(
        "Each case is about a person.\nA person has:\n  - sentence: duration.\n"
        "Outcome the result: duration.\nArticle 1. Test\nRule: the result is the sentense.\n",
        encoding="utf-8",
    )
    result = statute("check", str(broken))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert f"{broken}:6:25: error: 'sentense' is not defined in this statute" in result.stderr
    assert "did you mean 'sentence'?" in result.stderr
    assert "in Article 1. Test" in result.stderr
    assert "^^^^^^^^" in result.stderr


@pytest.mark.parametrize(
    "text",
    ["", "\x00\x01garbage", "Rule: (((((", "Article", "Each case is about a nobody.", '\ufeffTitle: "x".'],
)
def test_check_never_prints_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "x.statute"
    path.write_text(text, encoding="utf-8")
    result = statute("check", str(path))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr


def test_check_missing_file_exits_1() -> None:
    result = statute("check", "no/such.statute")
    assert result.returncode == 1
    assert "no such statute file" in result.stderr


def test_no_colour_unless_a_terminal(tmp_path: Path) -> None:
    broken = tmp_path / "b.statute"
    broken.write_text("Rule: x is y if a and b or c.\n", encoding="utf-8")
    assert "\x1b[" not in statute("check", str(broken)).stderr
    assert "\x1b[" not in statute("check", str(broken), env={"NO_COLOR": "1"}).stderr


def test_compile_writes_the_module(tmp_path: Path) -> None:
    result = statute("compile", str(AMNESTY), "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kz_amnesty_2022.py").is_file()


def test_the_article_cache_gives_the_same_module_and_sees_an_edit(tmp_path: Path) -> None:
    plain, cached, cache = tmp_path / "plain", tmp_path / "cached", tmp_path / "cache"
    assert statute("compile", str(AMNESTY), "-o", str(plain)).returncode == 0
    for _ in range(2):  # the first run fills the cache, the second reads it
        assert statute("compile", str(AMNESTY), "-o", str(cached), "--cache", str(cache)).returncode == 0
        assert (cached / "kz_amnesty_2022.py").read_bytes() == (plain / "kz_amnesty_2022.py").read_bytes()
    assert any(cache.iterdir())
    edited = tmp_path / "kz_amnesty_2022.statute"
    edited.write_text(
        AMNESTY.read_text(encoding="utf-8").replace(
            "the gravity of the charge is at most", "the gravity of the charge is at mots", 1
        ),
        encoding="utf-8",
    )
    result = statute("check", str(edited), "--cache", str(cache))
    assert result.returncode == 1 and "mots" in result.stderr


def test_test_runs_the_examples() -> None:
    result = statute("test", str(AMNESTY))
    assert result.returncode == 0, result.stdout
    assert "examples: 49 passed, 0 failed" in result.stdout


def test_test_reports_a_failing_example(tmp_path: Path) -> None:
    text = AMNESTY.read_text(encoding="utf-8").replace(
        "Expected: the amnesty measure is released from punishment;",
        "Expected: the amnesty measure is excluded;",
        1,
    )
    wrong = tmp_path / "wrong.statute"
    wrong.write_text(text, encoding="utf-8")
    result = statute("test", str(wrong))
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "expected amnesty measure to be excluded, got released from punishment" in result.stdout


def test_run_jsonl_and_csv() -> None:
    result = statute("run", str(AMNESTY), "--cases", str(CASES), "--format", "jsonl")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 150
    assert rows[0]["id"] == "KZ-0001"
    assert {"amnesty_measure", "charges"} <= set(rows[0])
    assert set(rows[0]["charges"][0]) == {"charge_measure", "new_sentence"}
    result = statute("run", str(AMNESTY), "--cases", str(CASES), "--format", "csv")
    assert result.stdout.splitlines()[0] == "id,amnesty_measure,charges.id,charges.charge_measure,charges.new_sentence"


def test_run_with_bad_rows_decides_the_others_and_names_record_and_field() -> None:
    bad = ROOT / "tests" / "data" / "amnesty_bad_rows.jsonl"
    result = statute("run", str(AMNESTY), "--cases", str(bad), "--format", "jsonl")
    assert result.returncode == 1
    decided = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(decided) == 8
    assert "person.charges[0].gravity" in result.stderr
    assert "BAD-0003" in result.stderr and "stage" in result.stderr
    assert "is not valid JSON" in result.stderr
    assert "12 cases: 8 decided, 4 rejected" in result.stderr


def test_schema_is_json_schema() -> None:
    result = statute("schema", str(AMNESTY))
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    charge = schema["properties"]["charges"]["items"]
    if "$ref" in charge:
        charge = schema["$defs"][charge["$ref"].rsplit("/", 1)[-1]]
    assert charge["properties"]["stage"]["enum"][0] == "under investigation"
    assert "charges" in schema["required"]
