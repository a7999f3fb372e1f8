"""Every output path of a command checked before the command does any work, so that a run never fails half way for
want of a place to write, and an output never overwrites an input or another output.

Each command with outputs calls `check_outputs` first, with its inputs (the statute, the cases, ...) and its outputs
by flag. An output must be creatable (its nearest existing folder is a folder we may write in, tried by creating and
removing a hidden file there), must not be a folder when a file is wanted or a file when a folder is, and must not be
the same file as an input or another output: the same path, a symbolic link to it, or a hard link to it (compared by
resolved path and by device and inode). A folder written as one unit (run --explain) must hold no input or other
output, and must be new, empty, or one the tool wrote.

Names that differ only in letter case (`R.jsonl`, `r.jsonl`), or in how an accented letter is encoded, are one file
on a file system that ignores case or normalises names (macOS and Windows by default): an output so named beside
another output or an input is refused on every file system alike, as a bad combination of arguments (NameClash,
exit 2), so that a command line does the same on every machine.
"""

from __future__ import annotations

import os
import stat
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from compiler.foundation.atomic import OutputError, describe, not_replaceable, replaceable, temp_path

PathArg = str | Path | None


class NameClash(OutputError):
    """Two names of one command line that are one file where letter case is ignored: a bad argument (exit 2)."""


@dataclass(frozen=True)
class _Place:
    label: str  # how the user named it: "--out r.jsonl", "the case file c.jsonl"
    path: Path
    resolved: Path
    inode: tuple[int, int] | None  # (device, inode) when it exists
    unit: bool = False  # a folder written as one unit (run --explain)

    def same(self, other: _Place) -> bool:
        return self.resolved == other.resolved or (self.inode is not None and self.inode == other.inode)

    def holds(self, other: _Place) -> bool:
        return other.resolved.is_relative_to(self.resolved) and other.resolved != self.resolved

    def folded(self) -> Path:
        """The resolved path as a file system that ignores case and normalises names may see it."""
        return Path(unicodedata.normalize("NFC", str(self.resolved)).casefold())


def _place(label: str, path: str | Path, unit: bool = False) -> _Place:
    file = Path(path)
    try:
        info = os.stat(file)
        inode: tuple[int, int] | None = (info.st_dev, info.st_ino)
    except OSError:
        inode = None
    return _Place(label, file, file.resolve(), inode, unit)


def check_outputs(
    inputs: Iterable[PathArg],
    files: Mapping[str, PathArg],
    folders: Mapping[str, PathArg] | None = None,
    units: Mapping[str, PathArg] | None = None,
) -> None:
    """Raise OutputError unless every output can be written without touching an input or another output.

    `files` and `folders` map a flag to the path it names (None: not given); `units` are folders replaced whole."""
    sources = [_place(f"the input {p}", p) for p in inputs if p is not None and str(p) != "-"]
    kinds = (("file", files), ("folder", folders or {}), ("unit", units or {}))
    wanted = [(flag, Path(p), kind) for kind, given in kinds for flag, p in given.items() if p is not None]
    places = [_place(f"{flag} {path}", path, unit=kind == "unit") for flag, path, kind in wanted]
    for i, here in enumerate(places):  # names first, before the disk is asked: the same answer on every disk
        for other in [*sources, *places[:i]]:
            _check_case(here, other)
    outputs: list[_Place] = []
    for (flag, path, kind), here in zip(wanted, places, strict=True):
        _check_writable(f"{flag} {path}", path, kind)
        for other in [*sources, *outputs]:
            if here.same(other):
                raise OutputError(f"{here.label} is the same file as {other.label}: name another file")
            if kind == "unit" and here.holds(other):
                raise OutputError(f"{here.label} holds {other.label}; it is written as one unit: name another folder")
            if other.holds(here):  # an output inside a folder written as one unit
                raise OutputError(f"{other.label} would hold {here.label}: name a file outside that folder")
        outputs.append(here)


def _check_case(here: _Place, other: _Place) -> None:
    """Refuse `here` where it would be `other`, or hold it or be held by it as a unit, only where case is ignored."""
    if here.resolved == other.resolved or here.holds(other) or other.holds(here):
        return  # not a matter of case: check_outputs says what is wrong, if anything is
    mine, theirs = here.folded(), other.folded()
    if mine == theirs or (here.unit and theirs.is_relative_to(mine)) or (other.unit and mine.is_relative_to(theirs)):
        raise NameClash(
            f"{here.label} and {other.label} differ only in letter case (or in how a letter is encoded), and are "
            "one file where case is ignored (macOS, Windows): name another file"
        )


def _check_writable(label: str, path: Path, kind: str) -> None:
    if path.exists():
        mode = path.stat().st_mode
        if kind == "file" and stat.S_ISDIR(mode):
            raise OutputError(f"{label} is a folder: name a file")
        if kind == "file" and not stat.S_ISREG(mode):
            raise OutputError(f"{label} is not an ordinary file: name a file")
        if kind != "file" and not stat.S_ISDIR(mode):
            raise OutputError(f"{label} is a file, not a folder")
        if kind == "unit" and not replaceable(path):
            raise not_replaceable(label)
    nearest = path if kind == "folder" and path.is_dir() else path.parent
    while not nearest.exists() and nearest != nearest.parent:
        nearest = nearest.parent
    if not nearest.is_dir():
        raise OutputError(f"{label}: {nearest} is a file, not a folder")
    # Trying is the only sure test: permissions, a read-only file system, a folder such as /proc, a root user.
    probe = temp_path(nearest / "write-test")
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        os.unlink(probe)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: no file can be made in {nearest}: {describe(exc)}") from None
