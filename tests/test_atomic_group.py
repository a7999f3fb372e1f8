"""Files written as a pair (compiler/foundation/atomic.py AtomicGroup): `statute compile`'s module and tests, `statute
report`'s page and summary. When the second file cannot be written, or cannot be renamed into place, the first is
left as it was: never a new module beside old tests, or a new page beside an old summary."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import IO, Any

import pytest

from compiler.commands import cli
from compiler.foundation import atomic

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"
LAW = (
    "Each case is about a person.\nA person has:\n  - sentence: duration.\n"
    "Outcome the result: duration.\nArticle 1. Test\nRule: the result is the sentence{}.\n"
)


class _FullDisk:
    """A file whose every write fails as on a full disk."""

    def __init__(self, handle: IO[Any]) -> None:
        self.handle = handle

    def write(self, content: object) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def flush(self) -> None:
        self.handle.flush()

    def fileno(self) -> int:
        return self.handle.fileno()

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()


def _disk_full_for(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    """Writes of the temporary file for `name` fail as on a full disk; every other write works."""
    create = atomic._create

    def failing(path: Path, binary: bool, mode: int = 0o666) -> Any:
        handle = create(path, binary, mode)
        return _FullDisk(handle) if path.name.startswith(f".{name}.") else handle

    monkeypatch.setattr(atomic, "_create", failing)


def _rename_fails_for(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    replace = os.replace

    def failing(source: Any, target: Any) -> None:
        if Path(target).name == name:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        replace(source, target)

    monkeypatch.setattr(atomic.os, "replace", failing)


def _contents(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("failure", [_disk_full_for, _rename_fails_for])
def test_compile_writes_the_module_and_its_tests_or_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failure: Any
) -> None:
    statute, out = tmp_path / "law.statute", tmp_path / "build"
    statute.write_text(LAW.format(""), encoding="utf-8")
    assert cli.main(["compile", str(statute), "-o", str(out)]) == 0
    before = _contents(out)
    assert sorted(before) == ["law.py", "test_law.py"]
    statute.write_text(LAW.format(" plus 1 day"), encoding="utf-8")
    capsys.readouterr()
    failure(monkeypatch, "test_law.py")
    assert cli.main(["compile", str(statute), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"statute: cannot write {out / 'test_law.py'}: ") and err.count("\n") == 1
    assert _contents(out) == before, "the module was replaced although its tests were not"
    monkeypatch.undo()
    assert cli.main(["compile", str(statute), "-o", str(out)]) == 0
    assert _contents(out)["law.py"] != before["law.py"]


@pytest.mark.parametrize("failure", [_disk_full_for, _rename_fails_for])
def test_report_writes_the_page_and_its_summary_or_neither(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], failure: Any
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    page, summary = out / "report.html", out / "summary.md"
    one = tmp_path / "one.jsonl"
    one.write_text(CASES.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    command = ["report", str(AMNESTY), "--out", str(page), "--markdown", str(summary), "--cases"]
    assert cli.main([*command, str(one)]) == 0
    before = _contents(out)
    capsys.readouterr()
    failure(monkeypatch, "summary.md")
    assert cli.main([*command, str(CASES)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"statute: cannot write {summary}: ") and err.count("\n") == 1
    assert _contents(out) == before, "the page was replaced although its summary was not"


def test_a_failed_group_leaves_new_targets_absent_and_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = tmp_path / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    _rename_fails_for(monkeypatch, "last.txt")
    with pytest.raises(atomic.OutputError, match=r"cannot write .*last\.txt"), atomic.AtomicGroup() as files:
        files.write(tmp_path / "new.txt", "new")
        files.write(kept, "replaced")
        files.write(tmp_path / "last.txt", b"bytes")
    assert _contents(tmp_path) == {"kept.txt": b"old"}
    with pytest.raises(KeyError), atomic.AtomicGroup() as files:
        files.write(tmp_path / "new.txt", "new")
        raise KeyError("an error before the end of the block")
    assert _contents(tmp_path) == {"kept.txt": b"old"}


def test_a_group_writes_every_file_with_the_users_umask(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        with atomic.AtomicGroup() as files:
            files.write(tmp_path / "a.txt", "a")
            files.write(tmp_path / "b.bin", b"b", mode=0o600)
    finally:
        os.umask(mask)
    assert _contents(tmp_path) == {"a.txt": b"a", "b.bin": b"b"}
    assert (tmp_path / "a.txt").stat().st_mode & 0o777 == 0o640
    assert (tmp_path / "b.bin").stat().st_mode & 0o777 == 0o600


def test_a_file_kept_if_existing_is_never_replaced(tmp_path: Path) -> None:
    """The parse cache's key: a run that finds the key made by another run meanwhile keeps that one."""
    target = tmp_path / "key"
    atomic.write_file(target, b"first", mode=0o600, keep_existing=True)
    atomic.write_file(target, b"second", mode=0o600, keep_existing=True)
    assert target.read_bytes() == b"first" and [p.name for p in tmp_path.iterdir()] == ["key"]
    atomic.write_file(target, b"third")
    assert target.read_bytes() == b"third"
