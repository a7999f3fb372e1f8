"""Parsing a statute article by article, keeping each article's syntax nodes in a cache folder.

Recompiling a 10,000-article statute after editing one article then parses that article only. A statute is cut
before every line that starts with an article heading ("Article 12. Title"); each part is parsed alone, and its
nodes are kept under the SHA-256 of its text, with spans relative to the part, so that an edit that moves the
articles after it (a line added, a word longer) still finds them: their spans are shifted when they are read back.

The result is the very syntax tree a whole parse gives: parts are only used when each one parses alone without any
problem and each part before a heading ends where a statement ends (a full stop, a quoted law text line, a
heading), so the heading starts a statement in the whole text too. Otherwise, and for any statute with an error,
the caller parses the whole text, so diagnostics are always those of a whole parse.

A cache can only make a run faster, never change its result, whoever wrote the folder. The nodes are kept as plain
JSON (compiler/frontend/syntax_json.py), never as a pickle, and read back with each node's class and field values
checked. Each cache file carries the version of the compiler and an HMAC-SHA256 of its content under a key private to
the user (kept in the user's own cache folder, 0600, never in the cache folder itself): a file another user planted,
copied from someone else's cache, damaged or from another version of the compiler is not used, and every part is parsed
again. The folder itself is used only when it is the user's own and no one else can write to it; a new one is made 0700.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import stat
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import lark

from compiler.foundation.atomic import OutputError, write_file
from compiler.frontend import syntax_json
from compiler.frontend.grammar import grammar_text

# The HEADING terminal of grammar/statute.lark, at the start of a line.
_HEADING_LINE = re.compile(
    r"^(?:article|section)[ \t]+\d+[a-z]?(?:\([0-9a-z]+\))*"
    r"(?:[ \t]+(?:bis|ter|quater|quinquies|sexies|septies|octies|novies))?\.",
    re.IGNORECASE | re.MULTILINE,
)
# Where a part may end for the next part's heading to start a statement in the whole text as well.
_CLEAN_ENDS = {"DOT", "QUOTE_LINE", "HEADING", None}
_MAGIC = "statute parse cache 2"
_KEY_BYTES = 32


@dataclass(frozen=True)
class Part:
    """One part's statements (the parser's values, before they are grouped under articles) and its last token."""

    items: list[Any]
    last_token: str | None


ParsePart = Callable[[str, int, int], Part | None]  # text, lines and characters before it -> Part or None


def parts(text: str) -> list[tuple[int, int, str]]:
    """(characters before, lines before, text) of each part: the text before the first heading, then each article."""
    starts = [m.start() for m in _HEADING_LINE.finditer(text)]
    if not starts or starts[0] != 0:
        starts.insert(0, 0)
    found, lines = [], 0
    for i, start in enumerate(starts):
        if i:
            lines += text.count("\n", starts[i - 1], start)
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        found.append((start, lines, text[start:end]))
    return found


def cached_items(source: str, file: str, cache_dir: Path, parse_part: ParsePart) -> list[Any] | None:
    """The statute's statements, parsed part by part with the cache; None when the whole text must be parsed."""
    key = _user_key()
    if isinstance(key, str) or unusable(cache_dir) is not None:
        return None  # said once by the command (cache_option); parsed whole, as without a cache
    store_path = cache_dir / f"{hashlib.sha256(str(Path(file).resolve()).encode()).hexdigest()[:24]}.parts"
    stored = _load(store_path, key)
    kept: dict[str, str] = {}
    items: list[Any] = []
    previous_end: str | None = None
    for chars, lines, text in parts(source):
        digest = hashlib.sha256(text.encode()).hexdigest()
        entry = stored.get(digest)
        part = _thaw(entry, text, file, lines, chars) if entry is not None else None
        if entry is None or part is None:
            part = parse_part(text, lines, chars)
            if part is None:
                return None
            entry = _freeze(part, lines, chars)
        if chars and previous_end not in _CLEAN_ENDS:
            return None
        previous_end = part.last_token
        kept[digest] = entry
        items += part.items
    if kept != stored:
        _save(store_path, key, kept)
    return items


def cache_option(text: str) -> Path | None:
    """`--cache DIR` as the command line gives it: the folder, or None (said on stderr) when it cannot be used."""
    folder = Path(text)
    problem = unusable(folder)
    if problem is None:
        key = _user_key()
        problem = key if isinstance(key, str) else None
    if problem is not None:
        print(f"statute: not using the cache folder {text}: {problem}; parsing without it", file=sys.stderr)
        return None
    return folder


def unusable(folder: Path) -> str | None:
    """Why `folder` may not hold a parse cache (made 0700 when missing), or None when it may."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        return _private_problem(folder.stat(), writable_only=True)
    except OSError as exc:
        return f"it cannot be made or read ({exc.strerror or exc})"


def _private_problem(found: os.stat_result, writable_only: bool) -> str | None:
    if not stat.S_ISDIR(found.st_mode):
        return "it is not a folder"
    if found.st_uid != os.geteuid():
        return "it belongs to another user"
    if found.st_mode & (0o022 if writable_only else 0o077):
        if writable_only:
            return "other users can write to it: use a folder only you can write to"
        return "other users can open it (chmod 700)"
    return None


@cache
def _version() -> str:
    """Changes whenever the grammar, the builder or the syntax classes, Lark or Python change."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{lark.__version__} {sys.version}".encode())
    for name in (
        "parse.py",
        "parse_build.py",
        "parse_literals.py",
        "parse_errors.py",
        "lark_build.py",
        "syntax.py",
        "syntax_expr.py",
        "syntax_json.py",
        "diagnostics.py",
        "parse_cache.py",
    ):
        digest.update((here / name).read_bytes())
    digest.update(grammar_text().encode())
    return digest.hexdigest()


def _key_folder() -> Path:
    """The user's own cache folder (XDG), where the key lives: never the --cache folder, which may be shared."""
    base = os.environ.get("XDG_CACHE_HOME", "")
    return (Path(base) if os.path.isabs(base) else Path.home() / ".cache") / "statute-compiler"


def _user_key() -> bytes | str:
    """The user's secret key for the caches' HMACs, made at first use; or why there is none."""
    try:
        folder = _key_folder()
    except (RuntimeError, KeyError):  # no home folder to keep the key in
        return "there is no home folder to keep the cache's key in (set XDG_CACHE_HOME)"
    path = folder / "cache-key"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        problem = _private_problem(folder.stat(), writable_only=False)
        if problem is not None:
            return f"the key folder {folder}: {problem}"
        if not path.exists():
            _make_key(path)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        with os.fdopen(fd, "rb") as f:
            found = os.fstat(f.fileno())
            key = f.read(_KEY_BYTES + 1)
    except OSError as exc:
        return f"the key {path} cannot be made or read ({exc.strerror or exc})"
    except OutputError as exc:  # from the writer, which names the file
        return f"the key cannot be made: {exc}"
    if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid() or found.st_mode & 0o077:
        return f"the key {path} is not a file of this user that only this user can read"
    return key if len(key) == _KEY_BYTES else f"the key {path} is damaged (delete it: a new one is made)"


def _make_key(path: Path) -> None:
    """Written whole by the one atomic writer, private (0600: a secret), and linked in place, not renamed over: a
    concurrent run that made it first keeps its key, and both read that one whole."""
    write_file(path, os.urandom(_KEY_BYTES), mode=0o600, keep_existing=True)


def _mac(key: bytes, body: bytes) -> str:
    return hmac.new(key, body, hashlib.sha256).hexdigest()


def _load(path: Path, key: bytes) -> dict[str, str]:
    """The entries of a cache file (part's SHA-256 -> its nodes as JSON text), or none unless this user's compiler,
    this version, wrote it."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)  # no symlink, and a FIFO does not block
        with os.fdopen(fd, "rb") as f:
            found = os.fstat(f.fileno())
            if not stat.S_ISREG(found.st_mode) or found.st_uid != os.geteuid():
                return {}
            data = f.read()
    except OSError:  # missing or unreadable: parse again
        return {}
    body, _, mac = data.rstrip(b"\n").rpartition(b"\n")
    if not hmac.compare_digest(mac, _mac(key, body).encode()):
        return {}
    lines = body.decode("utf-8", errors="replace").split("\n")
    if lines[:2] != [_MAGIC, _version()] or not all("\t" in line for line in lines[2:]):
        return {}
    return dict(line.split("\t", 1) for line in lines[2:])


def _save(path: Path, key: bytes, entries: dict[str, str]) -> None:
    """Written atomically; a cache that cannot be written is only a slower next compile."""
    lines = [_MAGIC, _version(), *(f"{digest}\t{entry}" for digest, entry in entries.items())]
    body = "\n".join(lines).encode("utf-8")
    # The one atomic writer of the tool (compiler/foundation/atomic.py), with the user's umask as every output: the
    # folder is private (0700), and the HMAC, not the mode, is what keeps a planted file from being used.
    with contextlib.suppress(OutputError):
        write_file(path, body + b"\n" + _mac(key, body).encode() + b"\n")


def _freeze(part: Part, lines_before: int, chars_before: int) -> str:
    data = [part.last_token, syntax_json.encode_items(part.items, lines_before, chars_before)]
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def _thaw(entry: str, text: str, file: str, lines_before: int, chars_before: int) -> Part | None:
    """The part's nodes from its entry, or None when they are not what a parse of `text` could give."""
    where = syntax_json.Part(file, lines_before, chars_before, len(text), text.count("\n") + 1)
    try:
        last_token, items = json.loads(entry)
        if not (last_token is None or (type(last_token) is str and last_token.isupper())):
            return None
        return Part(syntax_json.decode_items(items, where), last_token)
    except (ValueError, RecursionError):  # not JSON, not nodes (syntax_json.Invalid), or nested past reading
        return None
