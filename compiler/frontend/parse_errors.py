"""Parse errors in a drafter's words, and how the parser goes on after one.

Lark's UnexpectedInput becomes a Diagnostic naming what was found and what could stand there; the broken statement
is then blanked out (its line breaks kept, so positions do not move) and the file parsed again, so that one run
reports every broken statement.
"""

from __future__ import annotations

import re
import unicodedata

from lark import Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from compiler.frontend import reserved
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
    "SCALE_KIND": "'marginal rates', 'marginal amounts', 'single rates' or 'single amounts'",
    "LOWER_EDGE": "'over', 'above' or 'from' and a threshold",
    "UPPER_EDGE": "'up to', 'below' or 'under' and a threshold",
    "APPLIED_TO": "'applied to'",
    "NAME_NUMBER": "a number inside a name",
    "ORDINAL": "an ordinal such as 14th",
    "IN_FORCE": "'in force'",
}
_STATEMENT_STARTS = {"RULE", "EXCEPTION", "PARAMETER", "HEADING", "EXAMPLE", "DECL_KIND", "QUOTE_LINE", "GUARANTEE"}
_STATEMENT_STARTS.update({"REQUIREMENT", "SCALE", "IN_FORCE"})


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
    if "UPPER_EDGE" in expected and str(token).lower() in {"to", "and"}:
        return error(
            f"a scale's bracket ends with 'up to' (the threshold in the bracket) or 'below' (left out), not '{token}'",
            span,
            "write '4% over 6,000 EUR up to 12,400 EUR', or '4% from 6,000 EUR below 12,400 EUR'",
        )
    prev = previous[-1] if previous else None
    before = text[: token.start_pos or 0].rstrip()
    named = _word_in_a_name(token, expected, text, file)
    if named is not None:
        return named
    after_word = prev.type == "WORD" if prev is not None else bool(before) and (before[-1].isalpha())
    if after_word and token.type not in {"WORD", "$END"} and str(token).isalpha():
        why = reserved.in_rules(str(token))
        starts = f": in a rule it starts {why.starts}, as in '{why.example}'" if why is not None else ""
        return error(
            f"'{token}' cannot stand inside a name here{starts}",
            span,
            f"rename the name without '{token}' (for example 'reduction of sentence' for 'sentence reduced'),"
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


_NAME_WORD = re.compile(r"([^\W\d_][\w'’-]*|\d+(st|nd|rd|th))\s*$", re.IGNORECASE)
_JOINTS = frozenset({"the", "a", "an", "of"})
_AFTER_THE = re.compile(r"\bthe\s+([^\W\d_]+)", re.IGNORECASE)


def _word_in_a_name(token: Token, expected: set[str], text: str, file: str) -> Diagnostic | None:
    """The word that broke a name, blamed where it stands rather than the token after it: a number at a name's end
    ("the amnesty of 2012"), a word of the language after a name's word ("sentence reduced if ..."), a calculation's
    word first after 'the' ("the total income is ..."). None if the error is not about a name."""
    start = token.start_pos or 0
    before = text[:start]
    last = _NAME_WORD.search(before)
    numeric = re.fullmatch(r"\d[\d,.]*", str(token)) is not None
    if numeric and last is not None and not expected & {"NUMBER", "ARTICLE_NUMBER"}:
        ahead = re.match(r"\s*([^\W\d_]+)", text[token.end_pos or start :])
        ends = f"; '{ahead.group(1)}' ends the name here" if ahead and reserved.in_rules(ahead.group(1)) else ""
        return error(
            f"'{token}' cannot end a name: a number stands in a name only before one of its words{ends}",
            span_of_token(token, file),
            "put the number before a word of the name, as in 'the 2012 amnesty' or 'article 228.1 offences'; in a rule,"
            " 'of' before a number gives a formula its input ('the half of 300 EUR')",
        )
    if last is None:
        return None
    if expected <= {"AMONG", "OF"}:  # "the total income is ...": 'total' began an aggregate
        firsts = [m for m in _AFTER_THE.finditer(before) if reserved.first_word(m.group(1)) is not None]
        if firsts:
            word, at = firsts[-1].group(1), firsts[-1].start(1)
            why = reserved.first_word(word)
            assert why is not None
            return error(
                f"'{word}' cannot be the first word of a name after 'the':"
                f" it starts {why.starts}, as in '{why.example}'",
                _span_at(text, file, at, len(word)),
                f"choose another first word ('overall income' for 'total income'), or check the sentence:"
                f" expected {_expected_words(expected)}",
            )
    word = last.group(1)
    at = last.start(1)
    earlier = _NAME_WORD.search(before[:at])
    why = reserved.in_rules(word)
    in_name = earlier is not None and earlier.group(1).lower() not in _JOINTS | reserved.RULE_WORDS
    if why is None or not in_name:
        return None
    return error(
        f"'{word}' cannot stand inside a name here: in a rule it starts {why.starts}, as in '{why.example}'",
        _span_at(text, file, at, len(word)),
        f"rename the name without '{word}' (for example 'reduction of sentence' for 'sentence reduced'); or, if"
        f" '{word}' was meant so, check what follows it: expected {_expected_words(expected)}",
    )


def _span_at(text: str, file: str, start: int, length: int) -> Span:
    line = text.count("\n", 0, start) + 1
    column = start - (text.rfind("\n", 0, start) + 1) + 1
    return Span(file, line, column, line, column + length, start, start + length)


# A full stop ends a statement only when the next statement starts after it (examples hold two full stops).
_NEXT_STATEMENT = re.compile(
    r"\.(?=\s*(?:$|#|>|(?:rule|exception|parameter|article|section|example|outcome|definition|guarantee|a|an|each"
    r"|requirement|scale|title|jurisdiction|passed|approved|signed|adopted|published|in\s+force|locale|currency|note"
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
