"""Statute text -> syntax tree. Lark parses with grammar/statute.lark; _Build makes compiler.syntax nodes as it goes.

Parse errors become diagnostics in a drafter's words. After an error the parser blanks out the broken statement
and tries again, so one run reports every broken statement, not just the first.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, cast

from lark import Lark, Token
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.grammar import Rule

from compiler import parse_tables
from compiler import syntax as s
from compiler.diagnostics import Diagnostic, Span, StatuteError, error
from compiler.gcpause import paused_gc
from compiler.lark_build import Failed, Node, Shape, callbacks, shapes
from compiler.parse_cache import Part, cached_items

MAX_ERRORS = 20
# How deep one statement may nest (brackets, 'any ... where', a chain of 'plus'...). The real statutes reach 10; the
# stages after parsing walk the tree recursively, and Python refuses generated code nested much deeper, so a
# statement past this is refused here, with its position, before anything recurses into it.
MAX_NESTING = 100
# The most digits a number in a statute may have: Python reads whole numbers of at most 4,300 digits (its
# int_max_str_digits), and a parameter's products with a case's facts (of at most 40 digits) must still be written.
MAX_DIGITS = 4000
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
FRACTION_WORDS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
COUNT_WORDS = {"one": 1, "a": 1, "two": 2, "three": 3}


def grammar_text() -> str:
    here = Path(__file__).resolve().parent.parent / "grammar" / "statute.lark"
    if here.exists():
        return here.read_text(encoding="utf-8")
    return resources.files("compiler").joinpath("statute.lark").read_text(encoding="utf-8")


@cache
def parser() -> Lark:
    # The LALR tables come from the package (compiler/parse_tables.json), never from a cache in a shared folder.
    # Positions are not propagated by Lark: compiler.lark_build gives every node its span while building it.
    return parse_tables.build(grammar_text())


@cache
def _shapes() -> dict[Rule, Shape]:
    return shapes(parser())


class _Bad(Exception):
    """A literal that parses but means nothing ("31 February 2022")."""

    def __init__(self, message: str, span: Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.diagnostic = error(message, span, hint)


def parse(source: str, file: str = "<statute>", cache_dir: Path | None = None) -> s.Statute:
    """Parse a whole statute; raise StatuteError with every syntax error found.

    With `cache_dir`, each article's syntax nodes are kept there and reused while its text is unchanged
    (compiler.parse_cache); the result is the same, and a statute with any error is parsed whole, as without.
    """
    if source.startswith("\ufeff"):
        source = source[1:]  # a byte-order mark from Word: invisible in the drafter's editor, so not counted
    with paused_gc():
        if cache_dir is not None:
            items = cached_items(source, file, cache_dir, _Parts(file).items)
            if items is not None:
                return _assemble(file, source, items)
        return _parse(source, file)


def _parse(source: str, file: str) -> s.Statute:
    diagnostics: list[Diagnostic] = []
    text = source
    for _ in range(MAX_ERRORS):
        try:
            statements, bad = _statements(text, file)
            too_deep = _too_deep(statements, file)
            if not too_deep:
                if bad is not None:
                    raise bad  # the first, as a separate pass over the tree would have met it
                items = [statement.value for statement in statements]
                break
            diagnostics.extend(too_deep)
            text = _blank_spans(text, [d.span for d in too_deep])
            continue
        except UnexpectedInput as exc:
            diagnostic = _syntax_diagnostic(exc, text, file)
            diagnostics.append(diagnostic)
            offset = _error_offset(exc, text)
            stops_before = diagnostic.message.startswith("the statement before")
        except _Bad as exc:
            diagnostics.append(exc.diagnostic)
            offset = exc.diagnostic.span.start
            stops_before = False
        blanked = _blank_statement(text, offset, stops_before)
        if blanked == text:  # nothing left to skip: the rest of the file is the broken statement
            break
        text = blanked
    else:
        raise StatuteError(diagnostics)
    if diagnostics:
        raise StatuteError(sorted(diagnostics, key=lambda d: (d.span.start, d.message)))
    return _assemble(file, source, items)


def _statements(text: str, file: str) -> tuple[list[Node], _Bad | None]:
    """Parse and build every statement; with the first literal that means nothing, if any (building stops there).

    A statement nested too deep is reported before that literal, as it was when the tree was built before the
    syntax nodes: the builder goes on counting depth after a _Bad.
    """
    failed = Failed((_Bad,))
    session = parser().parse_interactive(text)  # the one way to give Lark callbacks for one parse only
    session.parser_state.parse_conf.callbacks = cast(Any, callbacks(_shapes(), _Build(file), failed))
    resume: Callable[[], Node] = session.resume_parse
    start = resume()
    bad = failed.error
    assert bad is None or isinstance(bad, _Bad)
    return start.value, bad


class _Parts:
    """Parses parts of one statute file, each starting at a line start, with the builder's callbacks made once."""

    def __init__(self, file: str) -> None:
        self.build = _Build(file)
        self.failed = Failed((_Bad,))
        self.callbacks = callbacks(_shapes(), self.build, self.failed)

    def items(self, text: str, lines_before: int, chars_before: int) -> Part | None:
        """The part's statements with their spans in the file, or None unless it parses alone without a problem."""
        self.build.lines_before, self.build.chars_before = lines_before, chars_before
        session = parser().parse_interactive(text)
        session.parser_state.parse_conf.callbacks = cast(Any, self.callbacks)
        resume: Callable[[], Node] = session.resume_parse
        try:
            statements: list[Node] = resume().value
        except UnexpectedInput:
            return None
        if self.failed.error is not None or _too_deep(statements, self.build.file):
            return None
        assert session.lexer_thread.state is not None
        last: Token | None = session.lexer_thread.state.last_token
        return Part([statement.value for statement in statements], last.type if last is not None else None)


# ------------------------------------------------------------------ error messages

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
    "MINUS": "'-' starting a field",
}
_STATEMENT_STARTS = {"RULE", "EXCEPTION", "PARAMETER", "HEADING", "EXAMPLE", "DECL_KIND", "QUOTE_LINE", "GUARANTEE"}
_STATEMENT_STARTS.add("REQUIREMENT")


def _span_of_token(token: Token, file: str) -> Span:
    line = token.line or 1
    column = token.column or 1
    return Span(
        file,
        line,
        column,
        token.end_line or line,
        token.end_column or column + len(str(token)),
        token.start_pos or 0,
        token.end_pos or 0,
    )


def _offset(text: str, line: int, column: int) -> int:
    lines = text.split("\n")  # as Lark counts lines: a stray carriage return or U+2028 does not end one
    return sum(len(x) + 1 for x in lines[: line - 1]) + column - 1


def _error_offset(exc: UnexpectedInput, text: str) -> int:
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


def _syntax_diagnostic(exc: UnexpectedInput, text: str, file: str) -> Diagnostic:
    if isinstance(exc, UnexpectedCharacters):
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
    if isinstance(exc, UnexpectedEOF) or (isinstance(exc, UnexpectedToken) and exc.token.type == "$END"):
        end_line = text.count("\n") + 1
        last = text.rstrip()
        line = last.count("\n") + 1
        column = len(last) - (last.rfind("\n") + 1) + 1
        span = Span(file, line, max(column, 1), end_line, column + 1, len(last), len(last))
        return error("the statute ends in the middle of a statement", span, "finish the statement with a full stop")
    assert isinstance(exc, UnexpectedToken)
    token = exc.token
    span = _span_of_token(token, file)
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


def _blank_statement(text: str, offset: int, stops_before: bool = False) -> str:
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


def _too_deep(statements: list[Node], file: str) -> list[Diagnostic]:
    """A diagnostic for each statement nested deeper than MAX_NESTING (the builder counts the depth as it goes)."""
    found: list[Diagnostic] = []
    for statement in statements:
        if statement.depth > MAX_NESTING:
            span = _Build(file)._span(statement)
            found.append(
                error(
                    f"this statement is nested more than {MAX_NESTING} levels deep, more than the compiler reads",
                    span,
                    "split it: give an inner part its own Definition, and use that name here",
                )
            )
    return found


def _blank_spans(text: str, spans: list[Span]) -> str:
    """`text` with each span replaced by spaces, line breaks kept, so that positions after it do not move."""
    for span in spans:
        text = text[: span.start] + re.sub(r"[^\n]", " ", text[span.start : span.end]) + text[span.end :]
    return text


# ------------------------------------------------------------------ tree -> syntax


def _is(x: object, kind: str) -> bool:
    return isinstance(x, Token) and x.type == kind


class _Build:
    """A method per grammar rule (or alias), called by compiler.lark_build with the rule's Node as `meta` and the
    values of the rule's children."""

    def __init__(self, file: str) -> None:
        self.file = file
        # Where the text being parsed starts in the file, when it is a part of it (compiler.parse_cache): a part
        # starts at a line start, so columns need no shift.
        self.lines_before = 0
        self.chars_before = 0

    def _span(self, meta: Node) -> Span:
        if meta.line is None:
            return Span.unknown(self.file)
        lines, chars = self.lines_before, self.chars_before
        return Span(
            self.file,
            meta.line + lines,
            meta.column,
            meta.end_line + lines,
            meta.end_column,
            meta.start_pos + chars,
            meta.end_pos + chars,
        )

    def _tok(self, token: Token) -> Span:
        span = _span_of_token(token, self.file)
        if not self.lines_before and not self.chars_before:
            return span
        lines, chars = self.lines_before, self.chars_before
        return replace(
            span, line=span.line + lines, end_line=span.end_line + lines, start=span.start + chars, end=span.end + chars
        )

    # -- structure
    def heading(self, meta: Any, token: Token) -> tuple[str, Any]:
        match = re.match(r"(\w+)\s+([^.\s]+)\.(.*)", str(token), re.S)
        assert match is not None  # the HEADING terminal guarantees the shape
        kind, number, title = match.groups()
        title = title.strip().rstrip(".").strip()
        span = self._tok(token)
        if not title:
            raise _Bad(
                f"{kind.capitalize()} {number} has no title",
                span,
                f"write it after the number: '{kind.capitalize()} {number}. Title'",
            )
        return ("heading", s.Article(kind.capitalize(), number, title, span))

    def law_text(self, meta: Any, *lines: Token) -> tuple[str, Any]:
        text = " ".join(str(line).strip()[1:].strip() for line in lines)
        return ("quote", text)

    def note(self, meta: Any, kind: Token, text: Token) -> tuple[str, Any]:
        return ("note", s.Note(str(kind).lower(), _unquote(str(text)), self._span(meta)))

    def header(self, meta: Any, key: Token, value: Token, date: Token | None = None) -> s.Header:
        span = self._span(meta)
        text = _unquote(str(value)) if value.type == "STRING" else str(value)
        when = self.date(meta, date) if date is not None else None
        return s.Header(str(key).lower(), text, when, span)

    def in_force(self, meta: Any, value: Any) -> s.InForce:
        if isinstance(value, s.Ref):
            return s.InForce(None, value, self._span(meta))
        return s.InForce(self.date(meta, value), None, self._span(meta))

    # -- vocabulary
    def case_decl(self, meta: Any, name: s.Name) -> s.CaseDecl:
        return s.CaseDecl(name, self._span(meta))

    def record_decl(self, meta: Any, name: s.Name, *fields: s.Field) -> s.RecordDecl:
        return s.RecordDecl(name, tuple(fields), self._span(meta))

    def field(self, meta: Any, name: s.Name, type_: s.TypeExpr, *rest: Any) -> s.Field:
        optional = any(_is(x, "OPTIONAL") for x in rest)
        return s.Field(name, type_, optional, self._span(meta))

    def bool_type(self, meta: Any) -> s.BoolType:
        return s.BoolType(self._span(meta))

    def int_type(self, meta: Any, bounds: s.Bounds | None) -> s.IntType:
        return s.IntType(self._span(meta), bounds)

    def decimal_type(self, meta: Any, bounds: s.Bounds | None) -> s.DecimalType:
        return s.DecimalType(self._span(meta), bounds)

    def money_type(self, meta: Any, currency: Token | None, bounds: s.Bounds | None) -> s.MoneyType:
        return s.MoneyType(self._span(meta), str(currency) if currency else None, bounds)

    def percentage_type(self, meta: Any, bounds: s.Bounds | None) -> s.PercentageType:
        return s.PercentageType(self._span(meta), bounds)

    def date_type(self, meta: Any, bounds: s.Bounds | None) -> s.DateType:
        return s.DateType(self._span(meta), bounds)

    def duration_type(self, meta: Any, bounds: s.Bounds | None) -> s.DurationType:
        return s.DurationType(self._span(meta), bounds)

    def text_type(self, meta: Any) -> s.TextType:
        return s.TextType(self._span(meta))

    def enum_type(self, meta: Any, *values: s.Name) -> s.EnumType:
        return s.EnumType(tuple(values), self._span(meta))

    def list_type(self, meta: Any, element: s.Name) -> s.ListType:
        return s.ListType(element, self._span(meta))

    def record_type(self, meta: Any, record: s.Name) -> s.RecordType:
        return s.RecordType(record, self._span(meta))

    def bounds(self, meta: Any, low: s.Literal, high: s.Literal, counting: Token | None) -> s.Bounds:
        return s.Bounds(low, high, self._span(meta), counting is not None)

    # -- named values and decisions
    def parameter(self, meta: Any, ref: s.Ref, value: s.Expr) -> s.Parameter:
        return s.Parameter(ref.name, value, self._span(meta))

    def outcome_decl(
        self, meta: Any, kind: Token, ref: s.Ref, type_: s.TypeExpr, optional: Token | None, default: s.Expr | None
    ) -> s.Declaration:
        return s.Declaration(str(kind).lower(), ref.name, type_, optional is not None, default, self._span(meta))

    # -- rules
    def rule(self, meta: Any, head: tuple[s.ArticleRef, ...], conclusion: Any, condition: Any, unless: Any) -> s.Rule:
        target, negated, value = conclusion
        return s.Rule(head, target, negated, value, condition, unless, self._span(meta))

    def plain_rule(self, meta: Any) -> tuple[s.ArticleRef, ...]:
        return ()

    def exception_rule(self, meta: Any, refs: tuple[s.ArticleRef, ...]) -> tuple[s.ArticleRef, ...]:
        return refs

    def article_refs(self, meta: Any, *items: Any) -> tuple[s.ArticleRef, ...]:
        kind = "Article"
        refs: list[s.ArticleRef] = []
        for item in items:
            if _is(item, "HEADING_REF"):
                kind = "Section" if str(item).lower().startswith("section") else "Article"
            elif isinstance(item, Token) and item.type == "ARTICLE_NUMBER":
                refs.append(s.ArticleRef(kind, str(item), self._tok(item)))
        return tuple(refs)

    def article_number(self, meta: Any, number: Token) -> Token:
        return number

    def conclusion(self, meta: Any, target: s.Name, negated: Token | None, value: s.Expr) -> tuple[Any, ...]:
        return (target, negated is not None, value)

    def target(self, meta: Any, name: s.Name) -> s.Name:
        return name

    # -- conditions
    def all_of(self, meta: Any, *items: s.Expr) -> s.AllOf:
        return s.AllOf(tuple(items), self._span(meta))

    def any_of(self, meta: Any, *items: s.Expr) -> s.AnyOf:
        return s.AnyOf(tuple(items), self._span(meta))

    def not_(self, meta: Any, operand: s.Expr) -> s.Not:
        return s.Not(operand, self._span(meta))

    def compare(self, meta: Any, left: s.Expr, test: s.IsTest) -> s.Compare:
        return s.Compare(left, test, self._span(meta))

    def compare_counting(self, meta: Any, left: s.Expr, test: s.IsTest, _counting: Token) -> s.Compare:
        return s.Compare(left, test, self._span(meta), thirty_day_months=True)

    def is_equal(self, meta: Any, negated: Token | None, value: s.Expr) -> s.IsEqual:
        return s.IsEqual(negated is not None, value, self._span(meta))

    def is_one_of(self, meta: Any, negated: Token | None, *values: s.Expr) -> s.IsOneOf:
        return s.IsOneOf(negated is not None, tuple(values), self._span(meta))

    def is_compared(self, meta: Any, comparator: Token, value: s.Expr) -> s.IsCompared:
        words = " ".join(str(comparator).lower().split())
        return s.IsCompared(words, value, self._span(meta))

    def is_within(self, meta: Any, negated: Token | None, period: s.Expr) -> s.IsWithin:
        return s.IsWithin(negated is not None, period, self._span(meta))

    def is_between(self, meta: Any, negated: Token | None, low: s.Expr, high: s.Expr) -> s.IsBetween:
        return s.IsBetween(negated is not None, low, high, self._span(meta))

    def is_known(self, meta: Any, negated: Token | None, _known: Token) -> s.IsKnown:
        return s.IsKnown(negated is not None, self._span(meta))

    # -- expressions
    def rounded(self, meta: Any, operand: s.Expr, *rest: Token) -> s.Rounded:
        mode = next(str(t) for t in rest if _is(t, "ROUNDING_MODE"))
        unit = next(str(t) for t in rest if _is(t, "ROUNDING_UNIT"))
        mode = " ".join(mode.lower().split())
        unit = " ".join(unit.lower().split())
        if mode == "to nearest":
            mode = "half up"
        return s.Rounded(operand, mode, unit, self._span(meta))

    def _binary(self, op: str, meta: Any, left: s.Expr, right: s.Expr) -> s.Binary:
        return s.Binary(op, left, right, self._span(meta))

    def plus(self, meta: Any, left: s.Expr, right: s.Expr) -> s.Binary:
        return self._binary("plus", meta, left, right)

    def minus(self, meta: Any, left: s.Expr, right: s.Expr) -> s.Binary:
        return self._binary("minus", meta, left, right)

    def reduced_by(self, meta: Any, left: s.Expr, right: s.Expr) -> s.Binary:
        return self._binary("reduced_by", meta, left, right)

    def times(self, meta: Any, left: s.Expr, right: s.Expr) -> s.Binary:
        return self._binary("times", meta, left, right)

    def divided(self, meta: Any, left: s.Expr, right: s.Expr) -> s.Binary:
        return self._binary("divided", meta, left, right)

    def divided_counting(self, meta: Any, left: s.Expr, right: s.Expr, _counting: Token) -> s.Binary:
        return replace(self._binary("divided", meta, left, right), thirty_day_months=True)

    def fraction_of(self, meta: Any, words: Token, operand: s.Expr) -> s.FractionOf:
        return s.FractionOf(_fraction_words(str(words)), operand, self._span(meta))

    def lesser_greater(self, meta: Any, word: Token, left: s.Expr, right: s.Expr) -> s.Extremum:
        kind = "least" if str(word).lower() in {"lesser", "shorter", "smaller"} else "greatest"
        return s.Extremum(kind, left, right, self._span(meta))

    def whole_between(self, meta: Any, units: Token, start: s.Expr, end: s.Expr) -> s.WholeBetween:
        return s.WholeBetween(str(units).lower().split()[1], start, end, self._span(meta))

    def lesser_greater_counting(
        self, meta: Any, word: Token, left: s.Expr, right: s.Expr, _counting: Token
    ) -> s.Extremum:
        return replace(self.lesser_greater(meta, word, left, right), thirty_day_months=True)

    def ref(self, meta: Any, name: s.Name) -> s.Ref:
        return s.Ref(name, self._span(meta))

    def quantified(self, meta: Any, quantifier: Token, collection: s.Name, body: Any) -> s.Quantified:
        span = self._span(meta)
        q = str(quantifier).lower()
        if isinstance(body, (s.IsEqual, s.IsOneOf, s.IsCompared, s.IsWithin, s.IsBetween, s.IsKnown)):
            return s.Quantified(q, collection, None, body, span)
        return s.Quantified(q, collection, body, None, span)

    def count(self, meta: Any, collection: s.Name, where: s.Expr | None) -> s.Count:
        return s.Count(collection, where, self._span(meta))

    def aggregate(
        self, meta: Any, kind: Token, value: s.Expr, collection: s.Name, counting: Token | None, where: s.Expr | None
    ) -> s.Aggregate:
        return s.Aggregate(str(kind).lower(), value, collection, where, self._span(meta), counting is not None)

    # -- literals
    def date(self, meta: Any, token: Token) -> s.DateLit:
        return s.DateLit(_date(str(token), self._tok(token)), self._tok(token))

    def duration(self, meta: Any, *parts: Token) -> s.DurationLit:
        months = days = 0
        for number, unit in zip(parts[::2], parts[1::2], strict=False):
            n = _whole(number, self._tok(number))
            u = str(unit).lower().rstrip("s")
            if u == "year":
                months += 12 * n
            elif u == "month":
                months += n
            elif u == "week":
                days += 7 * n
            else:
                days += n
        return s.DurationLit(months, days, self._span(meta))

    def money(self, meta: Any, number: Token, currency: Token) -> s.MoneyLit:
        return s.MoneyLit(_number(str(number), self._tok(number)), str(currency), self._span(meta))

    def percent(self, meta: Any, number: Token) -> s.PercentLit:
        return s.PercentLit(_number(str(number), self._tok(number)) / 100, self._span(meta))

    def number(self, meta: Any, number: Token) -> s.NumberLit:
        text = str(number)
        return s.NumberLit(_number(text, self._tok(number)), "." not in text, self._span(meta))

    def fraction_words(self, meta: Any, words: Token) -> s.NumberLit:
        return s.NumberLit(_fraction_words(str(words)), False, self._span(meta))

    def text(self, meta: Any, token: Token) -> s.TextLit:
        return s.TextLit(_unquote(str(token)), self._tok(token))

    def yes_no(self, meta: Any, token: Token) -> s.BoolLit:
        return s.BoolLit(str(token).lower() == "yes", self._tok(token))

    def period(self, meta: Any, start: Token, end: Token) -> s.PeriodLit:
        span = self._span(meta)
        first, last = _date(str(start), self._tok(start)), _date(str(end), self._tok(end))
        if last < first:
            raise _Bad("this period ends before it starts", span, "write the earlier date first")
        return s.PeriodLit(first, last, span)

    # -- examples
    def example(
        self, meta: Any, title: Any, refs: Any, facts: tuple[s.Fact, ...], expectations: tuple[s.Expectation, ...]
    ) -> s.Example:
        text = _unquote(str(title)) if isinstance(title, Token) else ""
        return s.Example(text, refs or (), facts, expectations, self._span(meta))

    def facts(self, meta: Any, facts: tuple[s.Fact, ...]) -> tuple[s.Fact, ...]:
        return facts

    def fact_list(self, meta: Any, *facts: s.Fact) -> tuple[s.Fact, ...]:
        return tuple(facts)

    def fact(self, meta: Any, name: s.Name, value: Any) -> s.Fact:
        span = self._span(meta)
        if isinstance(value, s.FactValue):
            return s.Fact(name, value, span)
        return s.Fact(name, s.FactValue(value, value.span), span)

    def enum_value(self, meta: Any, name: s.Name) -> s.FactValue:
        return s.FactValue(name, self._span(meta))

    def list_value(self, meta: Any, *records: tuple[s.Fact, ...]) -> s.FactValue:
        return s.FactValue(tuple(records), self._span(meta))

    def empty_list(self, meta: Any) -> s.FactValue:
        return s.FactValue((), self._span(meta))

    def record_value(self, meta: Any, facts: tuple[s.Fact, ...]) -> tuple[s.Fact, ...]:
        return facts

    def expectations(self, meta: Any, *items: s.Expectation) -> tuple[s.Expectation, ...]:
        return tuple(items)

    def expected_value(self, meta: Any, ref: s.Ref, value: s.Expr) -> s.Expectation:
        return s.Expectation(ref, value, False, self._span(meta))

    def expected_conflict(self, meta: Any, ref: s.Ref) -> s.Expectation:
        return s.Expectation(ref, None, True, self._span(meta))

    def guarantee(self, meta: Any, title: Any, refs: Any, first: s.Expr, second: s.Expr | None = None) -> s.Guarantee:
        text = _unquote(str(title)) if isinstance(title, Token) else ""
        premise, conclusion = (first, second) if second is not None else (None, first)
        return s.Guarantee(text, refs or (), premise, conclusion, self._span(meta))

    def requirement(
        self, meta: Any, keyword: Token, title: Any, refs: Any, first: s.Expr, second: s.Expr | None = None
    ) -> s.Requirement:
        text = _unquote(str(title)) if isinstance(title, Token) else ""
        premise, condition = (first, second) if second is not None else (None, first)
        return s.Requirement(text, refs or (), premise, condition, self._span(meta))

    def guarantee_off(self, meta: Any, refs: tuple[s.ArticleRef, ...], reason: Token) -> s.GuaranteeOff:
        return s.GuaranteeOff(refs, _unquote(str(reason)), self._span(meta))

    # -- words
    def _name(self, meta: Any, *words: Token) -> s.Name:
        return s.Name(tuple(str(w) for w in words), self._span(meta))

    name = _name
    enum_name = _name
    field_name = _name


def _unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def _number(text: str, span: Span) -> Fraction:
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_DIGITS:  # Python reads no more than 4,300; and products of such numbers must still be written
        raise _Bad(
            f"a number of {digits:,} digits: a statute's numbers have at most {MAX_DIGITS:,} digits",
            span,
            "check the number: a figure this long is likely a slip of the keyboard",
        )
    return Fraction(text.replace(",", ""))


def _whole(token: Token, span: Span) -> int:
    value = _number(str(token), span)
    if value.denominator != 1:
        raise _Bad(f"'{token}' is not a whole number", span, "durations count whole years, months, weeks or days")
    return int(value)


def _fraction_words(text: str) -> Fraction:
    count, part = text.lower().split()
    return Fraction(COUNT_WORDS[count], FRACTION_WORDS[part])


def _date(text: str, span: Span) -> datetime.date:
    try:
        if "-" in text:
            return datetime.date.fromisoformat(text)
        day, month, year = text.split()
        return datetime.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        raise _Bad(f"'{text}' is not a date in the calendar", span, "check the day and the month") from None


# ------------------------------------------------------------------ grouping statements under their articles


def _assemble(file: str, source: str, items: list[Any]) -> s.Statute:
    """Attach each statement to its article, the law text quoted just before it, and the notes after it."""
    texts: dict[int, list[str]] = {}
    current = -1
    for item in items:
        if isinstance(item, tuple) and item[0] == "heading":
            current += 1
        elif isinstance(item, tuple) and item[0] == "quote" and current >= 0:
            texts.setdefault(current, []).append(item[1])
    articles: list[s.Article] = []
    statements: list[Any] = []
    article: s.Article | None = None
    quote: str | None = None
    for item in items:
        if isinstance(item, tuple) and item[0] == "heading":
            article = replace(item[1], text=tuple(texts.get(len(articles), ())))
            articles.append(article)
            quote = None
        elif isinstance(item, tuple) and item[0] == "quote":
            quote = item[1] if quote is None else f"{quote} {item[1]}"
        elif isinstance(item, tuple) and item[0] == "note":
            if statements and hasattr(statements[-1], "provenance"):
                last = statements[-1]
                notes = (*last.provenance.notes, item[1])
                statements[-1] = replace(last, provenance=replace(last.provenance, notes=notes))
        else:
            if hasattr(item, "provenance"):
                item = replace(item, provenance=s.Provenance(article, quote, ()))
            statements.append(item)
            quote = None
    return s.Statute(file, source, tuple(statements), tuple(articles))


def parse_file(path: str | Path, cache_dir: Path | None = None) -> s.Statute:
    path = Path(path)
    try:
        source = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise StatuteError(
            [error(f"{path} is not UTF-8 text ({exc.reason})", Span.unknown(str(path)), "save the file as UTF-8")]
        ) from None
    return parse(source, str(path), cache_dir)
