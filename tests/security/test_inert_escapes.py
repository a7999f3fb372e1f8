"""The escapes of compiler.foundation.inert one by one, and the Markdown escape as GitHub renders it wherever a template
places a value (issue 11, section 5; the commands that use them are tested in test_inert.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from compiler.foundation.inert import csv_cell, markdown, visible
from tests.security.test_inert import github_html

# ------------------------------------------------------------------ the escapes themselves


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("a\x1b[2Jb", "a␛[2Jb"),
        ("x\ny\r\nz\rw", "x⏎y⏎z⏎w"),
        ("\x9b31m \u202eevil", "\ufffd31m \ufffdevil"),
        ("\x00\x7f\t", "␀␡ "),
        ("line\u2028sep\x85nel", "line⏎sep⏎nel"),
        ("5\u00a0000 ₸, می\u200cخواهم", "5\u00a0000 ₸, می\u200cخواهم"),  # no-break space and joiner are text
    ],
)
def test_visible_shows_each_control_as_one_character(text: str, shown: str) -> None:
    assert visible(text) == shown


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("![i](http://e/i.png)", "!\\[i\\](http\\://e/i.png)"),
        ("see www.evil.example", "see www\\.evil.example"),
        ("_www.evil.example", "\\_www\\.evil.example"),
        ("    code", "&#32;   code"),  # four spaces would start a code block
        ("<script>&amp;", "&lt;script>&amp;amp;"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("> quote", "\\> quote"),
        ("1. first", "1\\. first"),
        ("-5.00 USD", "-5.00 USD"),  # an amount starts no list
        ("---", "\\---"),
        ("*bold* _em_ ~~gone~~ `code` a|b $x$", "\\*bold\\* \\_em\\_ \\~\\~gone\\~\\~ \\`code\\` a\\|b \\$x\\$"),
        ("kz_amnesty_2022 and 1.5 USD", "kz_amnesty_2022 and 1.5 USD"),  # nothing to escape
        ("a\n## The decision", "a⏎\\#\\# The decision"),
    ],
)
def test_markdown_escapes_what_would_become_markup(text: str, escaped: str) -> None:
    assert markdown(text) == escaped


@pytest.mark.parametrize(
    ("text", "cell"),
    [
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "⏎=1"),  # a lone carriage return would end the row: shown
        ("-5.00", "-5.00"),
        ("-12", "-12"),
        ("-1/3", "-1/3"),
        ("minus 3 days", "minus 3 days"),
        ("two\nlines\r\nkept", "two\nlines\r\nkept"),
        ("esc\x1b[2J", "esc␛[2J"),
    ],
)
def test_csv_cells_are_never_formulas(text: str, cell: str) -> None:
    assert csv_cell(text) == cell


# ------------------------------------------------------------------ wherever a template places a value


CONTEXTS = {  # how the templates place a value, and the elements GitHub should make of the line
    "- {}": ["ul", "li"],
    "{}": ["p"],
    "- **label**: {}": ["ul", "li", "strong"],
    "## {}": ["h2"],
    "x {} y": ["p"],
    "> {}": ["blockquote", "p"],
}
PIECES_OF_MARKUP = [*"-+=*_~`[]()!<>&#|$:/@\\ \t\n", "http://", "www.", "javascript:", "<script>", "](", "!["]
MARKUP = st.sampled_from(
    [*PIECES_OF_MARKUP, "&amp;", "---", "1. ", "- ", "    ", "<http://a.b>", "ftp://", "[^1]", "[x]: http://e", "$x$"]
)


@settings(max_examples=300, deadline=None, database=None)
@given(st.lists(st.one_of(MARKUP, st.text(alphabet="abcW. 1", max_size=3)), max_size=10).map("".join))
def test_github_makes_nothing_of_an_escaped_value_wherever_a_template_places_it(text: str) -> None:
    if not markdown(text).strip():
        return  # a blank value: nothing to render
    for context, elements in CONTEXTS.items():
        html = github_html(context.format(markdown(text)))
        # GitHub makes a mail link of an e-mail address whatever escapes it holds: the one link allowed (README)
        html = re.sub(r'<a href="(mailto|xmpp):[^"]*">', "", html)
        assert sorted(re.findall(r"<(\w+)", html)) == sorted(elements), (context, markdown(text), html)
