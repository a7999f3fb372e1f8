"""Parsing a statute article by article, keeping each article's syntax nodes in a cache folder.

Recompiling a 10,000-article statute after editing one article then parses that article only. A statute is cut
before every line that starts with an article heading ("Article 12. Title"); each part is parsed alone, and its
nodes are kept under the SHA-256 of its text, with spans relative to the part, so that an edit that moves the
articles after it (a line added, a word longer) still finds them: their spans are shifted when they are read back.

The result is the very syntax tree a whole parse gives: parts are only used when each one parses alone without any
problem and each part before a heading ends where a statement ends (a full stop, a quoted law text line, a
heading), so the heading starts a statement in the whole text too. Otherwise, and for any statute with an error,
the caller parses the whole text, so diagnostics are always those of a whole parse. A cache file that is missing,
unreadable, from another version of the compiler or of Lark, or holds anything but syntax nodes is not used.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
import os
import pickle
import re
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import Any

import lark

from compiler import syntax
from compiler.diagnostics import Span

# The HEADING terminal of grammar/statute.lark, at the start of a line.
_HEADING_LINE = re.compile(r"^(?:article|section)[ \t]+\d+[a-z]?(?:\([0-9a-z]+\))*\.", re.IGNORECASE | re.MULTILINE)
# Where a part may end for the next part's heading to start a statement in the whole text as well.
_CLEAN_ENDS = {"DOT", "QUOTE_LINE", "HEADING", None}
_ALLOWED = {("fractions", "Fraction"), ("datetime", "date")}


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
    store_path = cache_dir / f"{hashlib.sha256(str(Path(file).resolve()).encode()).hexdigest()[:24]}.parts"
    stored = _load(store_path)
    kept: dict[str, bytes] = {}
    items: list[Any] = []
    previous_end: str | None = None
    for chars, lines, text in parts(source):
        key = hashlib.sha256(text.encode()).hexdigest()
        blob = stored.get(key)
        part = _thaw(blob, file, lines, chars) if blob is not None else None
        if blob is None or part is None:
            part = parse_part(text, lines, chars)
            if part is None:
                return None
            blob = _freeze(part, lines, chars)
        if chars and previous_end not in _CLEAN_ENDS:
            return None
        previous_end = part.last_token
        kept[key] = blob
        items += part.items
    if kept != stored:
        _save(store_path, kept)
    return items


@cache
def _version() -> str:
    """Changes whenever the grammar, the builder or the syntax classes, Lark or Python change."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(f"{lark.__version__} {sys.version}".encode())
    for name in ("parse.py", "lark_build.py", "syntax.py", "diagnostics.py", "parse_cache.py"):
        digest.update((here / name).read_bytes())
    from compiler.parse import grammar_text

    digest.update(grammar_text().encode())
    return digest.hexdigest()


def _load(path: Path) -> dict[str, bytes]:
    try:
        with path.open("rb") as f:
            stored = _Reader(f, "", 0, 0).load()
    except Exception:  # missing, unreadable, truncated, or not ours: parse again
        return {}
    if not (isinstance(stored, tuple) and len(stored) == 2 and stored[0] == _version()):
        return {}
    parts: dict[str, bytes] = stored[1]
    return parts


def _save(path: Path, parts: dict[str, bytes]) -> None:
    """Written atomically; a cache that cannot be written is only a slower next compile."""
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                pickle.dump((_version(), parts), out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def _freeze(part: Part, lines_before: int, chars_before: int) -> bytes:
    out = io.BytesIO()
    _Writer(out, lines_before, chars_before).dump((part.items, part.last_token))
    return out.getvalue()


def _thaw(blob: bytes, file: str, lines_before: int, chars_before: int) -> Part | None:
    try:
        items, last_token = _Reader(io.BytesIO(blob), file, lines_before, chars_before).load()
    except Exception:
        return None
    return Part(items, last_token)


def _span_in_part(*position: int) -> Span:
    """Stands for a span in a written part: _Reader.find_class gives the reader's own _place instead."""
    raise NotImplementedError


def _unknown_span() -> Span:
    raise NotImplementedError


def _by_fields(cls: type) -> Callable[[Any], tuple[type, tuple[Any, ...]]]:
    names = [f.name for f in dataclasses.fields(cls)]
    return lambda node: (cls, tuple([getattr(node, name) for name in names]))


# Syntax nodes are written as their class and field values, and read back through __init__: reading them as an
# instance dictionary (pickle's default) made every node's dictionary real, doubling the objects to collect.
_BY_FIELDS = {
    cls: _by_fields(cls)
    for cls in vars(syntax).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == syntax.__name__
}


class _Writer(pickle.Pickler):
    """Spans are written relative to the part and without the file's name (a dispatch table entry, so that only
    spans cost a Python call)."""

    def __init__(self, out: io.BytesIO, lines_before: int, chars_before: int) -> None:
        super().__init__(out, protocol=pickle.HIGHEST_PROTOCOL)
        # partial, not a bound method: a pickler referring to itself would live until the cyclic collector runs
        relative = partial(_relative, lines_before, chars_before)
        self.dispatch_table: dict[type, Any] = {Span: relative, **_BY_FIELDS}


def _relative(lines: int, chars: int, span: Span) -> tuple[Any, tuple[int, ...]]:
    if span == Span.unknown(span.file):
        return _unknown_span, ()
    where = (span.line - lines, span.column, span.end_line - lines, span.end_column, span.start - chars)
    return _span_in_part, (*where, span.end - chars)


def _place(
    file: str, lines: int, chars: int, line: int, column: int, end_line: int, end_column: int, start: int, end: int
) -> Span:
    return Span(file, line + lines, column, end_line + lines, end_column, start + chars, end + chars)


class _Reader(pickle.Unpickler):
    """Reads syntax nodes only (no other class, so a planted file cannot run code), shifting spans into place."""

    def __init__(self, data: Any, file: str, lines_before: int, chars_before: int) -> None:
        super().__init__(data)
        self.place = partial(_place, file, lines_before, chars_before)
        self.unknown = partial(Span.unknown, file)

    def find_class(self, module: str, name: str) -> Any:
        if module == __name__ and name in {"_span_in_part", "_unknown_span"}:
            return self.place if name == "_span_in_part" else self.unknown
        found = super().find_class(module, name) if module == "compiler.syntax" or (module, name) in _ALLOWED else None
        if (module, name) in _ALLOWED or (isinstance(found, type) and dataclasses.is_dataclass(found)):
            return found
        raise pickle.UnpicklingError(f"{module}.{name} is not a syntax node")
