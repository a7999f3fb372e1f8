"""Issue 11, section 6, beyond the arguments themselves: any statute name compiles to a module its tests can import;
Ctrl-C during a run with workers gives one line, exit 130 and no partial results; `statute report` exits 1 when rows
are rejected, as `statute run --out` does; `statute check -q` prints errors only."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from compiler.commands import cli
from compiler.foundation.atomic import PARTIAL

ROOT = Path(__file__).resolve().parent.parent.parent
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
CASES = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
IRC = ROOT / "statutes" / "us_irc_121.statute"
SHADOWING = ("random", "math", "decimal", "hypothesis")


def statute(*argv: str) -> int:
    try:
        return cli.main(list(argv))
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1


# ------------------------------------------------------------------ statute names that are module names


def test_a_statute_named_after_a_module_compiles_to_one_its_tests_can_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    build = tmp_path / "build"
    for name in SHADOWING:
        shutil.copy(IRC, tmp_path / f"{name}.statute")
        assert statute("compile", str(tmp_path / f"{name}.statute"), "-o", str(build)) == 0
    assert capsys.readouterr().out.splitlines() == [
        line for name in SHADOWING for line in (f"wrote {build / f'{name}_.py'}", f"wrote {build / f'test_{name}_.py'}")
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STATUTE_", "PYTEST_"))}
    tests = [f"test_{name}_.py" for name in SHADOWING]
    result = subprocess.run(  # as the project's own suite runs generated tests, from their folder
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(build), *tests],
        capture_output=True,
        text=True,
        cwd=build,
        env={**env, "STATUTE_EXAMPLES": "20"},
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert f"{5 * len(SHADOWING)} passed" in result.stdout


def test_names_that_shadow_nothing_are_kept() -> None:
    from compiler.model.idents import module_name

    assert module_name("kz_amnesty_2022") == "kz_amnesty_2022"
    assert module_name("us_irc_121") == "us_irc_121"
    assert module_name("Random") == "random_"  # a file system that ignores case would still shadow random
    assert module_name("pytest") == "pytest_"
    assert module_name("random numbers") == "random_numbers"


# ------------------------------------------------------------------ Ctrl-C during a run with workers


def _results_begun(folder: Path) -> bool:
    """The run's temporary results file holds something: the workers' results are coming in. (The run also makes
    and removes a probe file to see that the folder is writable: a file gone by the time it is looked at is none.)"""
    for path in folder.iterdir():
        try:
            if path.name.endswith(PARTIAL) and not path.name.startswith(".write-test") and path.stat().st_size:
                return True
        except FileNotFoundError:
            continue
    return False


def test_ctrl_c_during_a_run_with_workers_exits_130_with_one_line_and_no_partial_results(tmp_path: Path) -> None:
    register = tmp_path / "register.jsonl"
    register.write_bytes(CASES.read_bytes() * 2000)  # 300,000 rows: seconds of work, so Ctrl-C lands mid-run
    out = tmp_path / "out"
    out.mkdir()
    results = out / "r.jsonl"
    results.write_text("the results of an earlier run\n", encoding="utf-8")
    argv = ["run", str(AMNESTY), "--cases", str(register), "--out", str(results), "--workers", "2"]
    run = subprocess.Popen(  # a session of its own: Ctrl-C reaches the whole process group, workers included
        [sys.executable, "-m", "compiler.commands.cli", *argv],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _results_begun(out):
            assert run.poll() is None and time.monotonic() < deadline, "the run ended before it could be interrupted"
            time.sleep(0.01)
        os.killpg(run.pid, signal.SIGINT)
        stdout, stderr = run.communicate(timeout=60)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.communicate()
    assert (run.returncode, stdout, stderr) == (130, "", "statute: interrupted\n")
    assert sorted(p.name for p in out.iterdir()) == ["r.jsonl"]  # no temporary file, no rejects file
    assert results.read_text(encoding="utf-8") == "the results of an earlier run\n"


# ------------------------------------------------------------------ report's exit code; check -q


def test_report_exits_1_when_rows_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "a", "role": "wizard"}\nnot json\n', encoding="utf-8")
    page = tmp_path / "report.html"
    assert statute("report", str(AMNESTY), "--cases", str(cases), "--out", str(page)) == 1
    assert "2 rows, 0 decided, 2 rejected" in capsys.readouterr().out
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")  # written all the same, as run --out
    some = tmp_path / "some.jsonl"
    some.write_text(CASES.read_text(encoding="utf-8") + "not json\n", encoding="utf-8")
    assert statute("report", str(AMNESTY), "--cases", str(some), "--out", str(page)) == 1
    assert statute("report", str(AMNESTY), "--cases", str(CASES), "--out", str(page)) == 0


WARNED = (
    "Each case is about a person.\nA person has:\n  - sentence: duration;\n  - age: whole number.\n"
    "Outcome the result: duration.\nArticle 1. Test\nRule: the result is the sentence.\n"
)


def test_check_quiet_prints_errors_only(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warned = tmp_path / "warned.statute"
    warned.write_text(WARNED, encoding="utf-8")
    broken = tmp_path / "broken.statute"
    broken.write_text(WARNED.replace("is the sentence", "is the sentense"), encoding="utf-8")
    assert statute("check", str(warned)) == 0
    out, err = capsys.readouterr()
    assert "warned.statute: ok: 1 article" in out and "warning: the fact 'age'" in err
    assert statute("check", "-q", str(warned)) == 0
    assert capsys.readouterr() == ("", "")
    assert statute("check", "-q", str(warned), str(broken)) == 1
    out, err = capsys.readouterr()
    assert out == "" and "error: 'sentense' is not defined" in err and "warning" not in err
