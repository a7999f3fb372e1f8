"""Untrusted text made inert in every output: on a terminal, in a text file, in Markdown and in CSV.

Case values (ids, text facts, field names) and the statute's own words (titles, headings, quoted law, example titles)
reach many outputs. None of them may act on what shows them:

- `visible` is the one sanitiser for everything the tool prints as text (a terminal, a text stream, a text file). A
  line break inside a value becomes ⏎, so that a value can never begin a line of its own (a line a reader would take
  for the tool's: a fake heading, a fake decision); every other control character becomes a visible sign, one
  character for one, so that nothing drives the terminal and columns under a caret stay where they were.
- `markdown` escapes a value for Markdown on top of that, so that it cannot become a link, an image, HTML, a heading,
  a list or emphasis where the Markdown is shown.
- `csv_cell` guards a CSV cell against being run as a spreadsheet formula (OWASP's advice), and against characters
  that would act on a terminal showing the file.
- `json_text` writes JSON on one line that no reader takes for two and no terminal obeys.
- `escaped` applies one of these to every text of an explanation, before a template places them: a template adds
  only its own words and layout.

HTML needs none of this beyond `visible`: Jinja's autoescape makes every value text there.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import operator
import re
import unicodedata
from collections.abc import Callable
from typing import Any, Final, TypeVar

T = TypeVar("T")

LINE_BREAK: Final = "\u23ce"  # ⏎: a line break inside a value
REPLACEMENT: Final = "\ufffd"  # �: a character that is invisible or acts on the display, other than a C0 control

# What str.splitlines (and so many editors and readers) takes for a line break.
_BREAKS: Final = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
# Controls of the direction of text ("Trojan Source"): they reorder what follows them on the line.
_BIDI: Final = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible, but part of how some texts are written (joiners in Persian, Indic scripts and emoji sequences; the soft
# hyphen of a word processor): kept.
_KEPT: Final = frozenset("\u200c\u200d\u00ad")


@functools.lru_cache(maxsize=4096)
def _sign(char: str) -> str:
    """What `visible` shows for one character that is not plainly printable."""
    if char in _BREAKS:
        return LINE_BREAK
    if char == "\t":
        return " "
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ␛ for escape, ␀ for NUL, ␇ for the bell
    if code == 0x7F:
        return "\u2421"  # ␡
    if char in _BIDI:
        return REPLACEMENT
    if char in _KEPT or unicodedata.category(char) == "Zs":  # spaces (no-break, thin, ...) are text
        return char
    return REPLACEMENT  # C1 controls, other format characters, surrogates, unassigned and private-use characters


def visible(text: str) -> str:
    """`text` safe to print as (part of) one line: a line break becomes ⏎ (a CR LF pair one ⏎), a tab a space, a
    C0 control its control picture (ESC ␛, NUL ␀), DEL ␡, and a C1 control, a direction override or another
    invisible character U+FFFD; spaces, joiners and everything printable stay as they are."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else _sign(c) for c in text.replace("\r\n", "\n"))


def visible_lines(text: str) -> str:
    """A text of the tool's own lines, each made `visible`: its line feeds are kept, any other break is shown."""
    return "\n".join(visible(line) for line in text.split("\n"))


# ------------------------------------------------------------------ Markdown

# Characters that start Markdown (CommonMark and GitHub's) anywhere in a line: backslash-escaped, which every
# renderer shows as the character itself. < and & become entities: they could start HTML or an entity (so a > can
# close no tag; it is escaped only where it would start a quotation, below).
_MARKDOWN: Final = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "[": "\\[",
        "]": "\\]",
        "#": "\\#",
        "|": "\\|",
        "~": "\\~",
        "$": "\\$",
        "&": "&amp;",
        "<": "&lt;",
    }
)
# An underscore between two letters or digits cannot start emphasis (kz_amnesty_2022 stays as it is); others can.
_UNDERSCORE: Final = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
# What GitHub makes a link of without any markup: "https://...", "ftp://...", "www....".
_BARE_LINK: Final = re.compile(r"(?<=[A-Za-z0-9])(?=://)|(?<=[wW]{3})(?=\.)")
# What starts a block at the start of a value placed at the start of a line: a list item, a quotation, a setext
# underline, a rule ("- x", "+ x", "> x", "1. x", "==", "---"); "-5.00" starts none of them and stays as it is.
_BLOCK_START: Final = re.compile(r"^(?:[-+=](?=[-+=\s]|$)|>|\d{1,9}(?=[.)](?:\s|$)))")


# Anything the escapes below would change (a little more): most texts hold none of it and are only made visible.
_MARKUP: Final = re.compile(r"[\\`*\[\]#|~$&<_]|://|[wW]{3}\.|^(?:[-+=> ]|\d{1,9}[.)])")


def markdown(text: str) -> str:
    """`text` as Markdown shows it, word for word: no link, image, HTML, heading, list, table cell or emphasis can
    come of it, and it stays on its line (see `visible`)."""
    shown = visible(text)
    if not _MARKUP.search(shown):
        return shown
    escaped = _UNDERSCORE.sub(r"\\_", shown.translate(_MARKDOWN))
    escaped = _BARE_LINK.sub("\\\\", escaped)
    escaped = _BLOCK_START.sub(lambda m: m.group() + "\\" if m.group()[0].isdigit() else "\\" + m.group(), escaped)
    # Four spaces at the start of a line make a code block; a space cannot be escaped, but its entity is no space.
    return "&#32;" + escaped[1:] if escaped.startswith(" ") else escaped


# ------------------------------------------------------------------ CSV

_CELL_BREAKS: Final = frozenset(("\n", "\r\n", "\t"))
_CELL_SPLIT: Final = re.compile("(\r\n|\n|\t)")
_FORMULA_START: Final = frozenset("=+-@\t\r")
_NUMBER: Final = re.compile(r"-?[0-9]+(?:\.[0-9]+)?(?:/[0-9]+)?")  # numbers and amounts as the tool writes them


def csv_cell(text: str) -> str:
    """A text cell as a CSV file holds it. One that begins with =, +, -, @, a tab or a carriage return would be
    run as a formula by a spreadsheet: a single quote goes before it (OWASP), which a spreadsheet shows as text. A
    number or an amount ("-12", "-5.00", "-1/3") is a value, not a formula: it stays as it is. A line feed (or a
    CR LF pair) and a tab stay, CSV quoting carries them; any other control character or direction override,
    which would act on a terminal showing the file or split the row, is written as `visible` shows it."""
    if not text.isprintable():
        text = "".join(part if part in _CELL_BREAKS else visible(part) for part in _CELL_SPLIT.split(text))
    if text[:1] in _FORMULA_START and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


# ------------------------------------------------------------------ whole values


def escaped(value: T, escape: Callable[[str], str]) -> T:
    """`value` with `escape` applied to every text in it: in tuples, and in the fields of (frozen) dataclasses,
    such as an explanation."""
    return _Escaper(escape).of(value)


class _Escaper:
    """One walk of `escaped`: an explanation repeats its texts (rule words, headings), each escaped once."""

    def __init__(self, escape: Callable[[str], str]) -> None:
        self.escape = escape
        self.seen: dict[str, str] = {}

    def of(self, value: T) -> T:
        # Each branch gives back the very object it was given when nothing in it changes (see below).
        kind: type = type(value)
        if kind is str or isinstance(value, str):
            text: str = value  # type: ignore[assignment]
            shown = self.seen.get(text)
            if shown is None:
                shown = self.seen[text] = self.escape(text)
            return value if shown == text else shown  # type: ignore[return-value]
        if kind is tuple:
            items = tuple([self.of(v) for v in value])  # type: ignore[attr-defined]
            return value if all(map(operator.is_, items, value)) else items  # type: ignore[call-overload, return-value]
        names = _field_names(kind)
        if names:  # a dataclass. Only the fields that change are replaced: a value the explanation carries from the
            # generated module (a duration, a record) holds no text to escape and is kept as it is.
            changes = {}
            for name in names:
                old = getattr(value, name)
                if (new := self.of(old)) is not old:
                    changes[name] = new
            return dataclasses.replace(value, **changes) if changes else value  # type: ignore[type-var]
        return value


@functools.lru_cache(maxsize=256)
def _field_names(cls: type) -> tuple[str, ...]:
    """The fields of a dataclass; none for any other type."""
    return tuple(f.name for f in dataclasses.fields(cls)) if dataclasses.is_dataclass(cls) else ()


# Characters json.dumps leaves as they are that Python's str.splitlines (and some editors) take for a line break: a
# JSON Lines row holding one would read as two rows there. And the C1 controls, which some terminals obey as ESC
# sequences, and the direction overrides, which reorder what a terminal or an editor shows after them. Written as
# \u escapes, which every JSON reader reads back as they were.
_LINE_BREAKS = str.maketrans(
    {c: f"\\u{ord(c):04x}" for c in [*map(chr, range(0x80, 0xA0)), *"\u2028\u2029\u061c\u200e\u200f"]}
    | {chr(c): f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
)


def json_text(value: Any, indent: int | None = None) -> str:
    """`value` as JSON on one line (or indented, for a person to read): UTF-8 text as it is, but nothing any reader
    takes for a line break, nor anything a terminal would obey."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text if text.isascii() else text.translate(_LINE_BREAKS)
