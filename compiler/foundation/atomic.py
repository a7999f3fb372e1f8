"""The one way the tool writes files: whole or not at all, with the user's umask.

A file is written under a hidden temporary name beside its target (`.NAME.PID-RANDOM.statute-partial`, never
mistaken for output) and renamed over the target only once it is complete; on any failure (an exception, a full
disk, a rename that fails) the temporary file is removed and the target is left as it was. A temporary file left
behind by a process that was killed (kill -9 cannot be caught) is removed by the next write of the same target.
Files that belong together (`statute compile`'s module and tests, `statute report`'s page and summary) are written
as a group (AtomicGroup): all of them replaced, or none. A folder of files (`statute run --explain DIR`) is built
the same way, as one unit: in a hidden sibling folder renamed into place, with a marker file saying the tool wrote
it, so that a later run may replace it and never replaces a folder the tool did not write.

Files get mode 0666 and folders 0777 less the user's umask, as any program's ordinary output does (the parse cache's
files too: their folder is private); the one exception is a secret, the parse cache's key, made 0600. A file's
content is flushed to the disk (fsync) before it is renamed into place, so that a crash soon after leaves the old
file or the new one, never an empty one. Every file the tool writes goes through here.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path
from types import TracebackType
from typing import IO, Any

PARTIAL = ".statute-partial"  # the end of every temporary name: hidden, and plainly not output
FOLDER_MARKER = ".statute-folder"  # in every folder written as one unit: the tool may replace it
_MARKER_TEXT = "Written by statute as one unit: the next run writing here replaces the whole folder.\n"
_NAME_PART = 64  # bytes of the target's name kept in a temporary name (file names are at most 255 bytes)


class OutputError(Exception):
    """An output that cannot or must not be written; its text is the one-line message for the user."""


def describe(exc: OSError) -> str:
    """An OSError as the end of a one-line message: its reason, without Python's [Errno n]."""
    return exc.strerror or str(exc)


def temp_path(target: Path, kind: str = "") -> Path:
    """A fresh hidden name beside `target`, bounded in length, naming the process that writes it."""
    return target.with_name(f"{_prefix(target)}{os.getpid()}-{secrets.token_hex(4)}{kind}{PARTIAL}")


def _prefix(target: Path) -> str:
    """The start of every temporary name for `target`: its name cut to a few bytes (not characters: a name of
    4-byte characters near the limit would make a temporary name too long), never inside a character."""
    return "." + os.fsencode(target.name)[:_NAME_PART].decode("utf-8", "ignore") + "."


def remove_stale(target: Path) -> None:
    """Remove temporary files and folders for `target` left by processes that no longer run (kill -9)."""
    prefix = _prefix(target)
    try:
        entries = [e for e in os.scandir(target.parent) if e.name.startswith(prefix) and e.name.endswith(PARTIAL)]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not _running(int(pid)):
            with contextlib.suppress(OSError):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def make_folders(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot make the folder {folder}: {describe(exc)}") from None


def _create(path: Path, binary: bool, mode: int = 0o666) -> IO[Any]:
    """A new file at `path` (never an existing one, nor through a planted link), `mode` less the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), mode)
    return os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")


def _close(handle: IO[Any]) -> None:
    """Close a finished temporary file with its content on the disk: the last buffered write (a full disk may show
    only here) and an fsync, before it is renamed over a target."""
    with handle:
        handle.flush()
        os.fsync(handle.fileno())


class AtomicFile:
    """A file written beside `path` and moved into place on success; removed on any failure or interruption.

    `handle` is the open file; `write` writes to it. Every failure to write (through `write`), close or rename is an
    OutputError naming `path`. `mode` 0o600 makes a private file (a secret); the umask applies in any case. With
    `keep_existing`, a file already at `path` is kept and the new one dropped (linked into place, never renamed
    over): two runs making the same file at once both end up reading the first one's."""

    def __init__(self, path: Path, binary: bool = False, mode: int = 0o666, keep_existing: bool = False) -> None:
        self.path, self.keep_existing = path, keep_existing
        make_folders(path.parent)
        remove_stale(path)
        self.tmp = temp_path(path)
        try:
            self.handle: IO[Any] = _create(self.tmp, binary, mode)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {describe(exc)}") from None

    def write(self, content: str | bytes) -> None:
        try:
            self.handle.write(content)
        except OSError as exc:  # a full disk, for one
            raise OutputError(f"cannot write {self.path}: {describe(exc)}") from None

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is not None:
                self.handle.close()
            else:
                _close(self.handle)
                self._put_in_place()
        except OSError as error:
            self.tmp.unlink(missing_ok=True)
            if kind is None:
                raise OutputError(f"cannot write {self.path}: {describe(error)}") from None
        except BaseException:
            self.tmp.unlink(missing_ok=True)
            raise
        else:
            if kind is not None:
                self.tmp.unlink(missing_ok=True)

    def _put_in_place(self) -> None:
        if not self.keep_existing:
            os.replace(self.tmp, self.path)
            return
        with contextlib.suppress(FileExistsError):  # another run made it first: theirs is kept
            os.link(self.tmp, self.path)
        self.tmp.unlink()


def write_file(path: Path, content: str | bytes, mode: int = 0o666, keep_existing: bool = False) -> None:
    """Write `content` to `path` atomically (see AtomicFile): text as UTF-8 with the line ends it holds; the file
    gets `mode` less the umask."""
    with AtomicFile(path, binary=isinstance(content, bytes), mode=mode, keep_existing=keep_existing) as out:
        out.write(content)


class AtomicGroup:
    """Files that belong together (a module and its tests, a report page and its summary), written as one: all or
    none of them replaced.

    `write` puts each file's whole content in a temporary file beside its target; only when the block ends without
    an error are the temporary files renamed over their targets, one after another. A failure while writing any of
    them (an exception, a full disk) removes them all and leaves every target as it was; a rename that fails puts
    back the targets already renamed over (their old content was kept under a temporary name by a hard link, or a
    copy where links are not allowed). Not covered: a kill -9 between two renames, a window of microseconds; its
    temporary files are removed by the next write of the same targets, as for one file."""

    def __init__(self) -> None:
        self._files: list[tuple[Path, Path]] = []  # (temporary file, target), in the order written

    def write(self, path: Path, content: str | bytes, mode: int = 0o666) -> Path:
        """Write `content` (text as UTF-8) to a temporary file for `path`; returns `path`."""
        assert all(path != target for _, target in self._files), path
        make_folders(path.parent)
        remove_stale(path)
        tmp = temp_path(path)
        try:
            handle = _create(tmp, binary=isinstance(content, bytes), mode=mode)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {describe(exc)}") from None
        self._files.append((tmp, path))
        try:
            try:
                handle.write(content)
            finally:
                _close(handle)
        except OSError as exc:
            raise OutputError(f"cannot write {path}: {describe(exc)}") from None
        return path

    def __enter__(self) -> AtomicGroup:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if kind is None:
                self._commit()
        finally:
            for tmp, _ in self._files:
                tmp.unlink(missing_ok=True)

    def _commit(self) -> None:
        done: list[tuple[Path, Path | None]] = []  # targets renamed over, and their old content (None: was new)
        kept: list[Path] = []
        target = self._files[0][1] if self._files else Path()
        try:
            for tmp, target in self._files:
                old = _keep(target)
                kept += [old] if old is not None else []
                os.replace(tmp, target)
                done.append((target, old))
        except BaseException as exc:  # a failed rename, or an interruption between two: put the others back
            for renamed, old in reversed(done):
                with contextlib.suppress(OSError):
                    if old is not None:
                        os.replace(old, renamed)
                    else:
                        renamed.unlink()
            if isinstance(exc, OSError):
                raise OutputError(f"cannot write {target}: {describe(exc)}") from None
            raise
        finally:
            for old in kept:
                old.unlink(missing_ok=True)


def _keep(target: Path) -> Path | None:
    """The present content of `target` under a temporary name (a hard link, or a copy), or None if it is new."""
    if not os.path.lexists(target):
        return None
    old = temp_path(target, "-old")
    try:
        os.link(target, old, follow_symlinks=False)
    except OSError:  # a file system without hard links: a copy, which is as good for putting it back
        shutil.copy2(target, old, follow_symlinks=False)
    return old


def is_own_folder(folder: Path) -> bool:
    """Whether `folder` was written as one unit by this tool (it holds the marker) and may be replaced whole."""
    return (folder / FOLDER_MARKER).is_file()


def replaceable(folder: Path) -> bool:
    """Whether `folder` may be replaced whole: it does not exist, is empty, or the tool wrote it."""
    return not folder.exists() or (folder.is_dir() and (is_own_folder(folder) or not any(folder.iterdir())))


def not_replaceable(label: str) -> OutputError:
    return OutputError(f"{label} holds files statute did not write: name a new or empty folder")


class AtomicFolder:
    """A folder of files built in a hidden sibling folder and renamed into place as one unit on success.

    An existing folder at `path` is replaced only when it is empty or the tool wrote it (is_own_folder); files are
    added with `write`. On any failure the partial folder is removed and `path` is left as it was."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not replaceable(path):
            raise not_replaceable(str(path))
        make_folders(path.parent)
        remove_stale(path)
        self.tmp = temp_path(path)
        try:
            self.tmp.mkdir(0o777)
        except OSError as exc:
            raise OutputError(f"cannot write the folder {path}: {describe(exc)}") from None

    def write(self, name: str, content: str) -> Path:
        """Write the file `name` into the folder; returns where it will be once the folder is in place."""
        assert "/" not in name and name not in {"", ".", "..", FOLDER_MARKER}, name
        return self._put(name, content)

    def _put(self, name: str, content: str) -> Path:
        try:
            out = _create(self.tmp / name, binary=False)
            try:
                out.write(content)
            finally:
                _close(out)
        except OSError as exc:
            raise OutputError(f"cannot write {self.path / name}: {describe(exc)}") from None
        return self.path / name

    def __enter__(self) -> AtomicFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            return
        try:
            self._put(FOLDER_MARKER, _MARKER_TEXT)
            self._swap()
        except BaseException:
            shutil.rmtree(self.tmp, ignore_errors=True)
            raise

    def _swap(self) -> None:
        """Rename the built folder over `path`; an old one is moved aside first (a rename cannot replace a folder
        that holds files) and removed after."""
        old = temp_path(self.path, "-old") if self.path.exists() else None
        try:
            if old is not None:
                os.rename(self.path, old)
            try:
                os.rename(self.tmp, self.path)
            except OSError:
                if old is not None:
                    os.rename(old, self.path)  # put the old folder back
                raise
        except OSError as exc:
            raise OutputError(f"cannot write the folder {self.path}: {describe(exc)}") from None
        if old is not None and old.is_symlink():  # DIR was a link to a folder: the link goes, not what it names
            old.unlink()
        elif old is not None:
            shutil.rmtree(old, ignore_errors=True)
