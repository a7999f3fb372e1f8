"""Issue 11, section 2 and the path items of section 6: no input is ever destroyed, no output clobbered, and every
output path problem is one line `statute: ...` (exit 1) found before any work is done, with nothing written.

Each test runs the real command (compiler.commands.cli.main, or a subprocess where a process must be killed) in a folder
of its own holding a copy of the amnesty statute and 20 of its cases.
"""

from __future__ import annotations

import errno
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.commands.cli import main

ROOT = Path(__file__).resolve().parents[2]
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
VARIANT = ROOT / "statutes" / "kz_amnesty_2022_variant.statute"
CASES = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
ONE_CASE = ROOT / "tests" / "data" / "explain" / "kz_adult_organiser.json"
pytestmark = pytest.mark.usefixtures("work")  # every test in a folder of its own, the current one


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder (the current one) holding law.statute, new.statute, in.jsonl (20 cases) and case.json."""
    (tmp_path / "law.statute").write_bytes(AMNESTY.read_bytes())
    (tmp_path / "new.statute").write_bytes(VARIANT.read_bytes())
    (tmp_path / "in.jsonl").write_text("".join(CASES.read_text(encoding="utf-8").splitlines(True)[:20]))
    (tmp_path / "case.json").write_bytes(ONE_CASE.read_bytes())
    (tmp_path / "afile").write_text("a file, not a folder\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def snapshot(folder: Path) -> dict[str, bytes | None]:
    """Every file and folder under `folder` with its bytes (None for a folder): what 'nothing written' compares."""
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
        if not p.is_symlink()
    }


def statute(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def assert_refused(result: tuple[int, str, str], *words: str) -> None:
    """Exit 1, nothing on standard output, and one line `statute: ...` saying what is wrong."""
    code, out, err = result
    assert code == 1, err
    assert out == ""
    assert err.startswith("statute: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    for word in words:
        assert word in err, err


def untouched(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    """`statute`, which must leave every file of the folder as it was: nothing destroyed, nothing written."""
    before = snapshot(Path.cwd())
    result = statute(capsys, *argv)
    assert snapshot(Path.cwd()) == before
    return result


# ------------------------------------------------------------------ an output never overwrites an input


class TestOutputsNeverOverwriteInputs:
    def test_run_rejects_naming_the_case_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = statute(
            capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "o.jsonl", "--rejects", "in.jsonl"
        )
        assert_refused(result, "--rejects in.jsonl", "the input in.jsonl")

    def test_run_out_naming_the_case_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "in.jsonl"), "--out")

    def test_run_out_and_rejects_naming_one_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = statute(
            capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "r.jsonl", "--rejects", "r.jsonl"
        )
        assert_refused(result, "--rejects r.jsonl is the same file as --out r.jsonl")

    def test_run_out_naming_the_statute(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "law.jsonl").symlink_to("law.statute")  # a results name that is the statute, through a link
        assert_refused(untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "law.jsonl"))

    def test_run_out_through_a_symbolic_link_to_the_cases(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "link.jsonl").symlink_to(work / "in.jsonl")
        result = untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "link.jsonl")
        assert_refused(result, "the input in.jsonl")

    def test_run_rejects_through_a_hard_link_to_the_cases(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        os.link(work / "in.jsonl", work / "hard.jsonl")
        result = statute(
            capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "o.jsonl", "--rejects", "hard.jsonl"
        )
        assert_refused(result, "--rejects hard.jsonl", "the input in.jsonl")

    def test_run_default_rejects_naming_the_cases(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        # --out r.jsonl writes its rejects to r.rejects.jsonl: here the case file
        (work / "r.rejects.jsonl").write_bytes((work / "in.jsonl").read_bytes())
        result = untouched(capsys, "run", "law.statute", "--cases", "r.rejects.jsonl", "--out", "r.jsonl")
        assert_refused(result, "r.rejects.jsonl")

    def test_run_explain_folder_holding_the_cases(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--explain", "."), "--explain .")

    def test_report_out_naming_the_case_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "report", "law.statute", "--cases", "in.jsonl", "--out", "in.jsonl"), "--out")

    def test_report_markdown_naming_the_case_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = statute(
            capsys, "report", "law.statute", "--cases", "in.jsonl", "--out", "r.html", "--markdown", "in.jsonl"
        )
        assert_refused(result, "--markdown in.jsonl")

    def test_report_out_and_markdown_naming_one_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = untouched(
            capsys, "report", "law.statute", "--cases", "in.jsonl", "--out", "r.md", "--markdown", "r.md"
        )
        assert_refused(result, "same file")

    def test_explain_out_naming_the_statute(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = untouched(capsys, "explain", "law.statute", "--case", "case.json", "--out", "law.statute")
        assert_refused(result, "--out law.statute", "the input law.statute")

    def test_explain_out_naming_the_case(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "explain", "law.statute", "--case", "case.json", "--out", "case.json"))

    def test_diff_out_naming_the_new_statute(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        # --out must end in .md or .json (an argument checked first); a link of that name to the statute is refused
        (work / "new.md").symlink_to("new.statute")
        result = untouched(capsys, "diff", "law.statute", "new.statute", "--cases", "in.jsonl", "--out", "new.md")
        assert_refused(result, "--out new.md")

    def test_synth_out_naming_the_statute(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "law.jsonl").symlink_to("law.statute")
        assert_refused(untouched(capsys, "synth", "law.statute", "--n", "3", "--out", "law.jsonl"), "--out law.jsonl")

    def test_compile_module_naming_the_statute(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        # a statute kept as rules.py compiles to the module rules.py: in its own folder, itself
        (work / "rules.py").write_bytes((work / "law.statute").read_bytes())
        assert_refused(untouched(capsys, "compile", "rules.py", "-o", "."), "the module", "the input rules.py")


# ------------------------------------------------------------------ run --explain DIR: one folder, written whole


def _explain_run(capsys: pytest.CaptureFixture[str], cases: str, folder: str, *more: str) -> tuple[int, str, str]:
    return statute(capsys, "run", "law.statute", "--cases", cases, "--format", "jsonl", "--explain", folder, *more)


def _cases_with_ids(work: Path, name: str, ids: list[str]) -> str:
    """A case file of the first cases of in.jsonl, with these ids."""
    import json

    lines = (work / "in.jsonl").read_text(encoding="utf-8").splitlines()
    rows = [json.dumps({**json.loads(line), "id": case_id}) for line, case_id in zip(lines, ids, strict=False)]
    (work / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return name


def test_explain_folder_a_user_wrote_is_refused(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    """A case id README overwrote the user's README.md; now a folder the tool did not write is refused whole."""
    (work / "docs").mkdir()
    (work / "docs" / "README.md").write_text("the user's own notes\n")
    cases = _cases_with_ids(work, "readme.jsonl", ["README", "other"])
    before = snapshot(work)
    assert_refused(_explain_run(capsys, cases, "docs", "--explain-format", "markdown"), "--explain docs")
    assert snapshot(work) == before


def test_explain_folder_is_replaced_whole(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    """Explanations of an earlier run do not stay beside the new ones, and the index lists every file."""
    first = _cases_with_ids(work, "first.jsonl", ["A-1", "A-2", "A-3"])
    assert _explain_run(capsys, first, "out")[0] == 0
    second = _cases_with_ids(work, "second.jsonl", ["B-1", "B-2"])
    assert _explain_run(capsys, second, "out")[0] == 0
    names = sorted(p.name for p in (work / "out").iterdir() if not p.name.startswith("."))
    assert names == ["B-1.html", "B-2.html", "index.html"]
    index = (work / "out" / "index.html").read_text(encoding="utf-8")
    assert 'href="B-1.html"' in index and 'href="B-2.html"' in index
    assert not [p for p in work.iterdir() if p.name.startswith(".out")]  # nothing left beside the folder


def test_explain_long_and_colliding_ids(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    """An id of 242+ characters crashed the run half way (a file name too long) and left no index."""
    long_a, long_b = "x" * 300 + "a", "x" * 300 + "b"  # the same after any cut: the names must still differ
    cases = _cases_with_ids(work, "long.jsonl", [long_a, long_b, "index", "Index", "a/b", "a_b"])
    code, _, err = _explain_run(capsys, cases, "out")
    assert code == 0, err
    files = sorted(p.name for p in (work / "out").iterdir() if not p.name.startswith("."))
    assert len(files) == 7 and "index.html" in files
    assert len({f.lower() for f in files}) == 7
    assert all(len(f.encode()) <= 120 for f in files)
    index = (work / "out" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{f}"' in index for f in files if f != "index.html")


def test_explain_naming_a_file_is_refused_before_any_result_is_printed(
    capsys: pytest.CaptureFixture[str], work: Path
) -> None:
    before = snapshot(work)
    assert_refused(_explain_run(capsys, "in.jsonl", "afile"), "--explain afile", "not a folder")
    assert snapshot(work) == before


# ------------------------------------------------------------------ temporary files and modes


class FullDisk:
    """An open file on a full disk: every write fails with ENOSPC (or, `on_close`, the last one, on closing)."""

    def __init__(self, real: Any, on_close: bool) -> None:
        self.real = real
        self.on_close = on_close

    def write(self, data: Any) -> int:
        if self.on_close:
            return int(self.real.write(data))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:  # the rest of a file object, for pyarrow's writer
        return getattr(self.real, name)

    def close(self) -> None:
        self.real.close()
        if self.on_close:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __enter__(self) -> FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@pytest.fixture(params=[False, True], ids=["on-write", "on-close"])
def full_disk(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    real_fdopen = os.fdopen
    monkeypatch.setattr(os, "fdopen", lambda *a, **k: FullDisk(real_fdopen(*a, **k), request.param))


@pytest.mark.parametrize(
    "argv",
    [
        ["compile", "law.statute", "-o", "build"],
        ["explain", "law.statute", "--case", "case.json", "--out", "e.txt"],
        ["run", "law.statute", "--cases", "in.jsonl", "--out", "r.jsonl"],
        ["run", "law.statute", "--cases", "in.jsonl", "--out", "r.parquet"],
        ["report", "law.statute", "--cases", "in.jsonl", "--out", "r.html"],
        ["run", "law.statute", "--cases", "in.jsonl", "--format", "jsonl", "--explain", "out"],
        ["synth", "law.statute", "--n", "3", "--out", "s.csv"],
        ["diff", "law.statute", "new.statute", "--cases", "in.jsonl", "--out", "d.json"],
    ],
    ids=["compile", "explain", "run", "run-parquet", "report", "run-explain", "synth", "diff"],
)
@pytest.mark.usefixtures("full_disk")
def test_a_full_disk_is_a_message_and_leaves_nothing(
    capsys: pytest.CaptureFixture[str], work: Path, argv: list[str]
) -> None:
    before = {p.name for p in work.iterdir()}
    code, _, err = statute(capsys, *argv)
    assert code == 1
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("statute: cannot write") and "No space left on device" in last, err
    left = {p.name for p in work.iterdir()} - before
    assert left <= {"build"}  # compile makes its folder first
    assert not any((work / "build").iterdir()) if left else True


def test_a_failed_rename_leaves_no_temporary_file(
    capsys: pytest.CaptureFixture[str], work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (work / "r.html").write_text("the previous report\n")

    def no_rename(src: Any, dst: Any) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(os, "replace", no_rename)
    code, _, err = statute(capsys, "report", "law.statute", "--cases", "in.jsonl", "--out", "r.html")
    assert code == 1 and "Traceback" not in err
    assert err.splitlines()[-1] == "statute: cannot write r.html: Permission denied", err
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []
    assert (work / "r.html").read_text() == "the previous report\n"


def test_a_temporary_file_left_by_kill_9_is_hidden_and_removed_by_the_next_run(work: Path) -> None:
    command = [sys.executable, "-m", "compiler.commands.cli", "synth", "law.statute", "--out", "big.jsonl"]
    process = subprocess.Popen([*command, "--n", "50000000"], cwd=work, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not [p for p in work.iterdir() if p.name.startswith(".big") and p.stat().st_size > 0]:
            assert time.monotonic() < deadline and process.poll() is None
            time.sleep(0.05)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    [left] = [p.name for p in work.iterdir() if p.name.startswith(".big")]
    assert left.startswith(".big.jsonl.") and left.endswith(".statute-partial")
    assert not (work / "big.jsonl").exists()
    subprocess.run([*command, "--n", "3"], cwd=work, check=True, capture_output=True)
    assert [p.name for p in work.iterdir() if "big" in p.name] == ["big.jsonl"]


def test_a_long_output_name_gets_a_temporary_name_that_fits(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    name = "\N{GRINNING FACE}" * 60 + ".jsonl"  # 246 bytes: a valid name, but not with a suffix added
    assert statute(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", name, "--rejects", "r.jsonl")[0] == 0
    assert (work / name).is_file()


def test_a_temporary_file_of_a_running_process_is_left_alone(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    """Only what a dead process left is cleaned up: another run writing the same target is not disturbed."""
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as alive:
        try:
            theirs = work / f".r.jsonl.{alive.pid}-0123abcd.statute-partial"
            theirs.write_text("another run, still writing\n")
            assert statute(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "r.jsonl")[0] == 0
            assert theirs.read_text() == "another run, still writing\n"
        finally:
            alive.kill()


@pytest.fixture
def umask_027() -> Iterator[None]:
    before = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(before)


@pytest.mark.usefixtures("umask_027")
def test_every_file_gets_the_users_umask(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    commands = [
        ["compile", "law.statute", "-o", "build"],
        ["explain", "law.statute", "--case", "case.json", "--out", "e.txt"],
        ["run", "law.statute", "--cases", "in.jsonl", "--out", "r.jsonl"],
        ["run", "law.statute", "--cases", "in.jsonl", "--format", "jsonl", "--explain", "out"],
        ["report", "law.statute", "--cases", "in.jsonl", "--out", "r.html", "--markdown", "r.md"],
        ["synth", "law.statute", "--n", "3", "--out", "s.jsonl"],
        ["diff", "law.statute", "new.statute", "--cases", "in.jsonl", "--out", "d.md"],
    ]
    inputs = set(os.listdir(work))
    for argv in commands:
        statute(capsys, *argv)
    written = [p for p in work.rglob("*") if p.relative_to(work).parts[0] not in inputs]
    assert {p.name for p in written} >= {"law.py", "e.txt", "r.jsonl", "r.html", "s.jsonl", "d.md", "index.html"}
    modes = {str(p.relative_to(work)): oct(stat.S_IMODE(p.stat().st_mode)) for p in written}
    assert modes == {name: "0o750" if (work / name).is_dir() else "0o640" for name in modes}


# ------------------------------------------------------------------ path problems: one line, before any work


def _read_only_folder(work: Path) -> Path:
    """A folder no file can be created in: chmod for a user, /sys for root (who ignores permissions)."""
    if os.geteuid() == 0:
        return Path("/sys")
    folder = work / "locked"
    folder.mkdir(mode=0o555)
    return folder


class TestPathProblemsFirst:
    def test_run_out_in_a_read_only_folder(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        out = _read_only_folder(work) / "r.jsonl"
        result = untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", out)
        assert_refused(result, f"cannot write {out}")

    def test_run_out_under_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "afile/r.jsonl")
        assert_refused(result, "afile is a file, not a folder")

    def test_run_out_naming_a_folder(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "w.jsonl").mkdir()
        result = untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--out", "w.jsonl")
        assert_refused(result, "--out w.jsonl is a folder")

    def test_run_explain_naming_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "run", "law.statute", "--cases", "in.jsonl", "--explain", "afile"), "afile")

    def test_run_cases_of_an_unknown_kind(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "cases.txt").write_bytes((work / "in.jsonl").read_bytes())
        result = untouched(capsys, "run", "law.statute", "--cases", "cases.txt")
        assert_refused(result, "unknown file type '.txt'")

    def test_run_out_of_an_unknown_kind(self, capsys: pytest.CaptureFixture[str]) -> None:
        # a bad argument (tests/security/test_arguments.py): exit 2 with argparse's usage, nothing read or written
        before = snapshot(Path.cwd())
        with pytest.raises(SystemExit) as stopped:
            main(["run", "law.statute", "--cases", "in.jsonl", "--out", "r.txt"])
        out, err = capsys.readouterr()
        assert (stopped.value.code, out) == (2, "")
        assert "unknown file type '.txt'" in err and "Traceback" not in err
        assert snapshot(Path.cwd()) == before

    def test_compile_to_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "compile", "law.statute", "-o", "afile"), "-o afile is a file, not a folder")

    def test_compile_to_proc(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "compile", "law.statute", "-o", "/proc/nope"), "cannot write /proc/nope")

    def test_explain_out_under_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = untouched(capsys, "explain", "law.statute", "--case", "case.json", "--out", "afile/e.txt")
        assert_refused(result, "afile is a file, not a folder")

    def test_explain_out_naming_a_folder(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "folder").mkdir()
        result = untouched(capsys, "explain", "law.statute", "--case", "case.json", "--out", "folder")
        assert_refused(result, "--out folder is a folder")

    def test_diff_out_under_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        result = untouched(capsys, "diff", "law.statute", "new.statute", "--cases", "in.jsonl", "--out", "afile/d.md")
        assert_refused(result, "afile is a file, not a folder")

    def test_synth_out_under_a_file(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert_refused(untouched(capsys, "synth", "law.statute", "--n", "3", "--out", "afile/s.jsonl"), "afile")

    def test_report_out_naming_a_folder(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        (work / "w").mkdir()
        assert_refused(untouched(capsys, "report", "law.statute", "--cases", "in.jsonl", "--out", "w"), "--out w")

    def test_report_markdown_in_a_read_only_folder(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        md = _read_only_folder(work) / "r.md"
        result = untouched(capsys, "report", "law.statute", "--cases", "in.jsonl", "--out", "r.html", "--markdown", md)
        assert_refused(result, f"cannot write {md}")

    def test_explain_out_naming_a_pipe(self, capsys: pytest.CaptureFixture[str], work: Path) -> None:
        # renaming a finished file over a named pipe (or a device: /dev/null, for root) would replace it
        os.mkfifo(work / "pipe")
        result = untouched(capsys, "explain", "law.statute", "--case", "case.json", "--out", "pipe")
        assert_refused(result, "--out pipe is not an ordinary file")


def test_report_into_a_folder_in_a_subprocess_leaves_nothing(work: Path) -> None:
    """As a user runs it: IsADirectoryError and a `.w.<random>.part` file left behind, before."""
    (work / "w").mkdir()
    before = snapshot(work)
    command = [
        sys.executable,
        "-m",
        "compiler.commands.cli",
        "report",
        "law.statute",
        "--cases",
        "in.jsonl",
        "--out",
        "w",
    ]
    result = subprocess.run(command, cwd=work, capture_output=True, text=True)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == "statute: --out w is a folder: name a file\n"
    assert snapshot(work) == before
