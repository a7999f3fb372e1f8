"""Parse errors in a drafter's words, and how the parser goes on after one.

Lark's UnexpectedInput becomes a Diagnostic naming what was found and what could stand there; the broken statement
is then blanked out (its line breaks kept, so positions do not move) and the file parsed again, so that one run
reports every broken statement.
"""

from __future__ import annotations

import re
import unicodedata

from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from compiler.frontend.diagnostics import Diagnostic, Span, error
from compiler.frontend.lark_build import Node
from compiler.frontend.parse_build import span_of_token, statement_span

# How deep one statement may nest (brackets, 'any ... where', a chain of 'plus'...). The real statutes reach 10; the
# stages after parsing walk the tree recursively, and Python refuses generated code nested much deeper, so a
# statement past this is refused here, with its position, before anything recurses into it.
MAX_NESTING = 100
_FRIENDLY = {
    "DOT": "a full stop",
    "COLON": "':'",
    "SEMICOLON": "';'",
    "COMMA": "','",
    "LPAR": "'('",
    "RPAR": "')'",
    "WORD": "a name",
    "NUMBER": "a number",
    "DATE": "a date such as 4 January 2022",
    "STRING": 'a quoted text such as "..."',
    "IS": "'is'",
    "IF": "'if'",
    "HEADING": "an article heading",
    "ARTICLE_NUMBER": "an article number",
    "CITATION": "a citation such as Article 111 part 3",
    "MINUS": "'-' starting a field",
}
_STATEMENT_STARTS = {"RULE", "EXCEPTION", "PARAMETER", "HEADING", "EXAMPLE", "DECL_KIND", "QUOTE_LINE", "GUARANTEE"}
_STATEMENT_STARTS.add("REQUIREMENT")


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")  # as Lark counts lines: a stray carriage return or U+2028 does not end one
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def error_offset(exc: UnexpectedInput, text: str) -> int:
    if isinstance(exc, UnexpectedToken) and exc.token.type == "$END":
        return len(text)
    if isinstance(exc, UnexpectedToken) and exc.token.start_pos is not None:
        return int(exc.token.start_pos)
    if isinstance(exc, UnexpectedCharacters) and exc.pos_in_stream is not None:
        return int(exc.pos_in_stream)
    return _offset(text, exc.line, exc.column) if exc.line > 0 else len(text)


def _expected_words(expected: set[str]) -> str:
    words = sorted({_FRIENDLY.get(e, f"'{e.lower()}'") for e in expected if not e.startswith("__")})
    if len(words) > 6:
        words = [*words[:6], "..."]
    return ", ".join(words)


def syntax_diagnostic(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    """Lark's error as a drafter reads it: what was found where, and what could stand there."""
    if isinstance(exc, UnexpectedCharacters):
        return _unreadable(exc, text, file)
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        end_line = text.count("\n") + 1
        last = text.rstrip()
        line = last.count("\n") + 1
        column = len(last) - (last.rfind("\n") + 1) + 1
        span = Span(file, line, max(column, 1), end_line, column + 1, len(last), len(last))
        return error("the statute ends in the middle of a statement", span, "finish the statement with a full stop")
    assert isinstance(exc, UnexpectedToken)
    return _unexpected(exc, text, file)


def _unreadable(exc: UnexpectedCharacters, text: str, file: str) -> Diagnostic:
    """A character no token starts with; an invisible one named, as it came from a word processor."""
    pos = exc.pos_in_stream or 0
    ch = text[pos] if pos < len(text) else ""
    span = Span(file, exc.line, exc.column, exc.line, exc.column + 1, pos, pos + 1)
    if ch and not ch.isprintable():  # pasted from a word processor: a no-break space, a line separator ...
        name = unicodedata.name(ch, "a control character")
        return error(
            f"I cannot read the invisible character U+{ord(ch):04X} ({name}) here",
            span,
            "replace it with an ordinary space or line break, or delete it",
        )
    return error(
        f"I cannot read {ch!r} here",
        span,
        f"expected {_expected_words(set(exc.allowed or ()))}" if exc.allowed else None,
    )


def _unexpected(exc: UnexpectedToken, text: str, file: str) -> Diagnostic:
    """A token the grammar does not allow here: 'and' and 'or' mixed, a missing full stop, a word of the language
    inside a name, or else what could stand here."""
    token = exc.token
    span = span_of_token(token, file)
    expected = set(exc.expected or ())
    previous = getattr(exc, "token_history", None) or []
    kind = token.type
    if kind in {"OR", "AND"} and ({"OR", "AND"} - {kind}) & expected:
        return error(
            f"'and' and 'or' are mixed here without brackets: '{token}' could join either side",
            span,
            "put brackets around the part that belongs together, e.g. '(a or b) and c'",
        )
    if "DOT" in expected and (kind in _STATEMENT_STARTS or token.column == 1):
        return error(
            f"the statement before '{str(token).split()[0]}' is not finished",
            span,
            "end each statement with a full stop",
        )
    prev = previous[-1] if previous else None
    before = text[: token.start_pos or 0].rstrip()
    after_word = prev.type == "WORD" if prev is not None else bool(before) and (before[-1].isalpha())
    if after_word and token.type not in {"WORD", "$END"} and str(token).isalpha():
        return error(
            f"'{token}' is a word of the statute language and cannot stand inside a name here",
            span,
            f"rephrase the name without '{token}' (for example 'reduction of sentence' for 'sentence reduced'),"
            f" or check the sentence: expected {_expected_words(expected)}",
        )
    if prev is not None and prev.type not in {"WORD", "NUMBER", "STRING"} and str(prev).isalpha():
        return error(
            f"I did not expect '{token}' after '{prev}'",
            span,
            f"'{prev}' is a word of the statute language; if it is part of a name, rephrase the name"
            f" (for example 'reduction of sentence' for 'sentence reduced'); expected {_expected_words(expected)}",
        )
    return error(f"I did not expect '{token}' here", span, f"expected {_expected_words(expected)}")


# A full stop ends a statement only when the next statement starts after it (examples hold two full stops).
_NEXT_STATEMENT = re.compile(
    r"\.(?=\s*(?:$|#|>|(?:rule|exception|parameter|article|section|example|outcome|definition|guarantee|a|an|each"
    r"|requirement|title|jurisdiction|passed|approved|signed|adopted|published|in\s+force|locale|currency|note"
    r"|assumption|source)\b))",
    re.IGNORECASE,
)


def blank_statement(text: str, offset: int, stops_before: bool = False) -> str:
    """Replace the statement around `offset` by spaces (keeping line breaks) so parsing can go on after it.

    With `stops_before`, the statement ends just before `offset` (a new statement began where a full stop was due).
    """
    ends = [m.end() for m in _NEXT_STATEMENT.finditer(text)]
    before = [e for e in ends if e <= offset]
    start = before[-1] if before else 0
    after = [e for e in ends if e > offset]
    end = offset if stops_before and offset > start else (after[0] if after else len(text))
    if end <= start:
        end = len(text)
    blanked = re.sub(r"[^\n]", " ", text[start:end])
    return text[:start] + blanked + text[end:]


def too_deep(statements: list[Node], file: str) -> list[Diagnostic]:
    """A diagnostic for each statement nested deeper than MAX_NESTING (the builder counts the depth as it goes)."""
    found: list[Diagnostic] = []
    for statement in statements:
        if statement.depth > MAX_NESTING:
            span = statement_span(statement, file)
            found.append(
                error(
                    f"this statement is nested more than {MAX_NESTING} levels deep, more than the compiler reads",
                    span,
                    "split it: give an inner part its own Definition, and use that name here",
                )
            )
    return found


def blank_spans(text: str, spans: list[Span]) -> str:
    """`text` with each span replaced by spaces, line breaks kept, so that positions after it do not move."""
    for span in spans:
        text = text[: span.start] + re.sub(r"[^\n]", " ", text[span.start : span.end]) + text[span.end :]
    return text


# ------------------------------------------------------------------ tree -> syntax
