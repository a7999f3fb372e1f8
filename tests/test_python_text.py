"""The code writer's text helpers (compiler/backends/python/python_text.py): each fast path gives exactly what the plain
way it replaces gives, so that the generated modules stay byte for byte the same."""

from __future__ import annotations

import ast
import re
import textwrap

from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.backends.python.python_text import (
    _UNSAFE,
    ATOM,
    DOC_WIDTH,
    Code,
    _escape,
    at_most_two_blank_lines,
    doc_line,
    long_string,
    string,
    wrap,
)

PROPERTY = settings(max_examples=2000, deadline=None, derandomize=True)
# Words, spaces and what makes textwrap (or the other helpers) take their careful way: hyphens, tabs, newlines,
# white space that is not a space, quotes, backslashes, control characters, very long words.
_WORDS = ["a", "bc", "word", "é", " ", " ", "  ", "x" * 30, "y" * 95]
_ODD = ["-", "--", "\t", "\n", "\u3000", "\xa0", "\x1c", '"', "'", "\\", "\x00", "\x7f", "\x85", "\u2028"]
_ODD += ["\ufeff", "\ud800"]
_PIECES = st.sampled_from([*_WORDS, *_ODD])
_TEXTS = st.lists(_PIECES, max_size=60).map("".join)
# Words between single spaces (the fast way), some of them hyphenated or too long for a line (the careful way).
_PLAIN_WORDS = st.sampled_from(["a", "bc", "word", "é", "x" * 30, "well-known", "a-b-c", "y" * 95])
_PLAIN = st.lists(_PLAIN_WORDS, max_size=40).map(" ".join)


@PROPERTY
@given(
    st.one_of(_TEXTS, _PLAIN),
    st.integers(1, 120),
    st.sampled_from(["", "    ", "      "]),
    st.sampled_from(["", "  ", "    ", "      ", "        "]),
)
def test_wrap_is_textwrap(text: str, width: int, indent: str, hanging: str) -> None:
    if width > max(len(indent), len(hanging)):
        expected = textwrap.wrap(text, width, initial_indent=indent, subsequent_indent=hanging)
        assert wrap(text, width, indent, hanging) == expected


def _chunked(text: str) -> Code:
    """long_string as it was first written: words added to a chunk while it stays within DOC_WIDTH - 10."""
    chunks = [""]
    for token in re.findall(r"\S+\s*|\s+", text):
        if chunks[-1] and len(chunks[-1]) + len(token) > DOC_WIDTH - 10:
            chunks.append("")
        chunks[-1] += token
    return Code(string(text), ATOM, tuple(Code(string(c)) for c in chunks) if len(chunks) > 1 else ())


@PROPERTY
@given(st.one_of(_TEXTS, _PLAIN))
def test_long_string_chunks_as_before(text: str) -> None:
    assert long_string(text) == _chunked(text)


@PROPERTY
@given(st.one_of(_TEXTS, st.text(max_size=12)))
def test_string_is_a_literal_of_the_text(text: str) -> None:
    literal = repr(text)
    if literal.startswith("'"):
        swapped = '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
        literal = swapped if ast.literal_eval(swapped) == text else literal
    assert string(text) == literal and ast.literal_eval(string(text)) == text


@PROPERTY
@given(st.one_of(_TEXTS, st.text(max_size=12)))
def test_doc_line_escapes_as_before(text: str) -> None:
    expected = re.sub(r'"(?="|$)', r'\\"', _UNSAFE.sub(_escape, text.replace("\\", "\\\\")))
    assert doc_line(text) == expected


@PROPERTY
@given(st.lists(st.sampled_from(["\n", "\n", "\n", "a", " ", "b\n"]), max_size=40).map("".join))
def test_blank_lines_collapsed_as_by_the_regular_expression(text: str) -> None:
    assert at_most_two_blank_lines(text) == re.sub(r"\n{3,}", "\n\n\n", text)
