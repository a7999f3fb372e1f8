"""Writing generated Python safely: a writer that tracks indentation and wraps long conditions, identifiers checked
once more, and statute text made harmless in docstrings and comments (literal values as Python expressions are in
python_literals.py).

Nothing a drafter writes reaches a generated module except through `checked_ident` (naming.py), `repr`, `doc_line`
or `comment_line`.
"""

from __future__ import annotations

import ast
import keyword
import re
import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

WIDTH = 120
DOC_WIDTH = 100

# Precedence of Python expressions, for parentheses only where they are needed.
OR, AND, NOT, CMP, ADD, MUL, UNARY, ATOM = 2, 3, 4, 5, 9, 10, 11, 14

# ------------------------------------------------------------------ identifiers and text


_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


# What doc_line changes: most lines have none of it, and are kept as they are without three passes over them.
_DOC_ESCAPED = re.compile(r'[\\"\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]')


def doc_line(text: str) -> str:
    """One line of a docstring: no backslash, no control character, no triple quote survives as itself."""
    if not _DOC_ESCAPED.search(text):
        return text
    text = _UNSAFE.sub(_escape, text.replace("\\", "\\\\"))
    return re.sub(r'"(?="|$)', r'\\"', text)  # no run of quotes, and none touching the closing quotes


def at_most_two_blank_lines(text: str) -> str:
    """`re.sub(r"\\n{3,}", "\\n\\n\\n", text)`: each run of four newlines or more shortened to three. A large module
    has almost none, and looking for one is far quicker than the regular expression's pass over every newline."""
    while "\n\n\n\n" in text:
        text = text.replace("\n\n\n\n", "\n\n\n")  # a run of k >= 4 loses k // 4 each time, and never gets below 3
    return text


def comment_line(text: str) -> str:
    """Text for a `#` comment: one line, printable characters only."""
    return "".join(c if c.isprintable() else " " for c in " ".join(text.split()))


def unquoted(text: str) -> str:
    """Statute text without the quotation marks it was written in ('"On Amnesty"' -> 'On Amnesty')."""
    text = " ".join(text.split())
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def snake(words: str) -> str | None:
    """A local variable name from a drafter's words ("law officer" -> "law_officer"), or None."""
    name = "_".join(re.findall(r"[a-z0-9]+", words.lower()))
    return name if name.isidentifier() and not keyword.iskeyword(name) else None


# ------------------------------------------------------------------ code and the writer


@dataclass(frozen=True)
class Code:
    """A Python expression, its precedence, and its parts, so that a long one can be wrapped over lines.

    `kind` says how the parts are laid out when it is: "ops" one a line after the first, each led by `joiner` (and,
    or, a comparison or arithmetic operator); "call" as the arguments of `head(...)`, each with a comma; "lines"
    inside `head(...)` without commas (a generator); "prefix" as its one part between `head` and `tail`
    (`not (...)`, `(left := ...)`).
    """

    text: str
    prec: int = ATOM
    parts: tuple[Code, ...] = ()
    joiner: str = ""
    kind: str = "ops"
    head: str = ""
    tail: str = ""


def joined(parts: tuple[Code, ...], joiner: str, prec: int) -> Code:
    return Code(f" {joiner} ".join(p.text for p in parts), prec, parts, joiner)


def call(head: str, *args: Code | str) -> Code:
    """`head(args)`; not for a lone generator argument (see `generator`)."""
    parts = tuple(a if isinstance(a, Code) else Code(a) for a in args)
    return Code(f"{head}({', '.join(p.text for p in parts)})", ATOM, parts, kind="call", head=head)


def tuple_of(items: list[Code]) -> Code:
    comma = "," if len(items) == 1 else ""
    return Code(f"({', '.join(i.text for i in items)}{comma})", ATOM, tuple(items), kind="call")


def generator(head: str, *parts: str) -> Code:
    """`head(item for x in xs if c)`; `head` "" for a parenthesised generator."""
    return Code(f"{head}({' '.join(parts)})", ATOM, tuple(Code(p) for p in parts), kind="lines", head=head)


def walrus(name: str, value: Code) -> Code:
    """`(name := value)`: a traced comparison keeps its operands for the Trace."""
    return Code(f"({name} := {value.text})", ATOM, (value,), kind="prefix", head=f"({name} := ", tail=")")


def negation(inner: Code) -> Code:
    inner = paren(inner, CMP + 1)
    return Code(f"not {inner.text}", NOT, (inner,) if inner.parts else (), kind="prefix", head="not ")


def paren(code: Code, above: int) -> Code:
    """`code` in parentheses if its precedence is below `above`."""
    if code.prec >= above:
        return code
    if code.kind == "prefix":  # `not x` keeps its brackets when wrapped: `(not x) == y` is not `not x == y`
        return Code(f"({code.text})", ATOM, (code,), kind="prefix", head="(", tail=")")
    return Code(f"({code.text})", ATOM, code.parts, code.joiner, code.kind, code.head, code.tail)


def string(text: str) -> str:
    """A string literal, double-quoted when repr() allows it; always one that evaluates to `text`."""
    if text.isprintable() and not ('"' in text or "'" in text or "\\" in text):
        return f'"{text}"'  # what the lines below make of it, found without them: repr() would escape nothing
    literal = repr(text)
    if literal.startswith("'"):
        swapped = '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
        # Without a backslash in repr's literal the swap is plainly right; only escapes need the proof, which
        # compiles the literal and was a third of generating a large module.
        if "\\" not in literal or ast.literal_eval(swapped) == text:
            return swapped
    return literal


# A run of whole words up to DOC_WIDTH - 10 characters (it ends where a word starts, or at the end), else one word.
_CHUNKS = re.compile(rf"(?s:.{{1,{DOC_WIDTH - 10}}}(?:(?<=\s)(?=\S)|\Z))|\S+\s*|\s+")


def long_string(text: str) -> Code:
    """A string literal that, when too long for its line, is written as adjacent literals one a line."""
    if len(text) <= DOC_WIDTH - 10:
        return Code(string(text))
    # Each chunk as many words (with the white space after them) as fit in DOC_WIDTH - 10, or one longer word.
    chunks = _CHUNKS.findall(text)
    return Code(string(text), ATOM, tuple(Code(string(c)) for c in chunks) if len(chunks) > 1 else ())


def _render(code: Code, column: int, indent: int, after: int = 0) -> list[str]:
    """`code` on one line if it fits from `column` with `after` characters after it, else its parts over lines (see
    Code)."""
    if not code.parts or column + len(code.text) + after <= WIDTH:
        return [code.text]
    if code.kind == "prefix":
        lines = _render(code.parts[0], column + len(code.head), indent, after + len(code.tail))
        lines[0] = code.head + lines[0]  # one at a time: when the part fits on one line, both are the same line
        lines[-1] += code.tail
        return lines
    lines = [code.head + "("]
    for i, part in enumerate(code.parts):
        prefix = f"{code.joiner} " if i and code.joiner else ""
        sub = _render(part, indent + 4 + len(prefix), indent + 4, 1 if code.kind == "call" else 0)
        if code.kind == "call":
            sub[-1] += ","
        lines += ["    " + prefix + sub[0]] + ["    " + line for line in sub[1:]]
    return [*lines, ")"]


def wrap(text: str, width: int, indent: str = "", hanging: str = "") -> list[str]:
    """`textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging)`, line for line, made here for
    the common case: words between single spaces, none longer than a line, and no hyphen (textwrap breaks after
    one). The docstrings of a large statute's module wrap hundreds of thousands of paragraphs."""
    first, rest = width - len(indent), width - len(hanging)
    if "-" in text or " ".join(text.split()) != text or not text:
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging)
    if len(text) <= first:
        return [indent + text]
    if max(map(len, text.split(" "))) > min(first, rest):
        return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging)  # a word to break
    # Each line as many words as fit: up to the last space within its room (textwrap drops it and the next line's).
    lines: list[str] = []
    prefix, room, start = indent, first, 0
    while len(text) - start > room:
        end = text.rfind(" ", start, start + room + 1)
        if end <= start:  # cannot be, as no word is longer than a line; never loop for ever if it were
            return textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging)
        lines.append(prefix + text[start:end])
        prefix, room, start = hanging, rest, end + 1
    lines.append(prefix + text[start:])
    return lines


class Writer:
    """Lines of Python at the current indentation."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 0

    def line(self, text: str = "") -> None:
        self.lines.append("    " * self.depth + text if text else "")

    @contextmanager
    def block(self, header: str) -> Iterator[None]:
        self.line(header)
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    @contextmanager
    def block_on(self, head: str, code: Code) -> Iterator[None]:
        """A block whose header `head <code>:` is wrapped like a statement when too long."""
        self.statement(head, code, ":")
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    def statement(self, head: str, code: Code, tail: str = "") -> None:
        """`head + code + tail`, the code wrapped at its and/or items when the line would be too long."""
        indent = 4 * self.depth
        lines = _render(code, indent + len(head) + len(tail), indent)
        lines[0] = head + lines[0]
        lines[-1] += tail
        self.lines.extend(" " * indent + text for text in lines)

    def docstring(self, paragraphs: list[str]) -> None:
        """A docstring from paragraphs of plain text; a paragraph starting with spaces keeps them as its indent."""
        pad = "    " * self.depth
        lines: list[str] = []
        for paragraph in paragraphs:
            indent = " " * (len(paragraph) - len(paragraph.lstrip(" ")))
            width = max(DOC_WIDTH - len(pad), 40)
            hanging = indent + "  " if indent else ""
            wrapped = wrap(paragraph.strip(), width, indent, hanging)
            lines.extend(wrapped or [""])
        body = [doc_line(line) for line in lines]
        text = body[0].lstrip() + "".join("\n" + (pad + line if line else "") for line in body[1:])
        if len(body) > 1:
            text += "\n" + pad
        self.line(f'"""{text}"""')

    def comment(self, text: str) -> None:
        width = max(WIDTH - 4 * self.depth - 2, 40)
        for piece in wrap(comment_line(text), width) or [""]:
            self.line(f"# {piece}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"
