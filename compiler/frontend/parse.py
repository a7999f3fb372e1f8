"""Statute text -> syntax tree: the entry points. Lark parses with grammar/statute.lark (compiler.frontend.grammar, its
tables from compiler.frontend.parse_tables); compiler.frontend.parse_build makes compiler.frontend.syntax nodes as it
goes (compiler.frontend.lark_build calls it).

Parse errors become diagnostics in a drafter's words. After an error the parser blanks out the broken statement
and tries again, so one run reports every broken statement, not just the first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from functools import cache
from pathlib import Path
from typing import Any, cast

from lark import Lark, Token
from lark.exceptions import UnexpectedInput
from lark.grammar import Rule

from compiler.foundation.gcpause import paused_gc
from compiler.frontend import parse_tables
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, Span, StatuteError, error
from compiler.frontend.grammar import grammar_text
from compiler.frontend.lark_build import Failed, Node, Shape, callbacks, shapes
from compiler.frontend.parse_build import Build
from compiler.frontend.parse_cache import Part, cached_items
from compiler.frontend.parse_errors import blank_spans, blank_statement, error_offset, syntax_diagnostic, too_deep
from compiler.frontend.parse_literals import BadLiteral

MAX_ERRORS = 20


@cache
def parser() -> Lark:
    # The LALR tables come from the package (compiler/frontend/parse_tables.json), never from a cache in a shared
    # folder. Positions are not propagated by Lark: compiler.frontend.lark_build gives every node its span while
    # building it.
    return parse_tables.build(grammar_text())


@cache
def _shapes() -> dict[Rule, Shape]:
    return shapes(parser())


def parse(source: str, file: str = "<statute>", cache_dir: Path | None = None) -> s.Statute:
    """Parse a whole statute; raise StatuteError with every syntax error found.

    With `cache_dir`, each article's syntax nodes are kept there and reused while its text is unchanged
    (compiler.frontend.parse_cache); the result is the same, and a statute with any error is parsed whole, as without.
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
            deep = too_deep(statements, file)
            if not deep:
                if bad is not None:
                    raise bad  # the first, as a separate pass over the tree would have met it
                items = [statement.value for statement in statements]
                break
            diagnostics.extend(deep)
            text = blank_spans(text, [d.span for d in deep])
            continue
        except UnexpectedInput as exc:
            diagnostic = syntax_diagnostic(exc, text, file)
            diagnostics.append(diagnostic)
            offset = error_offset(exc, text)
            stops_before = diagnostic.message.startswith("the statement before")
        except BadLiteral as exc:
            diagnostics.append(exc.diagnostic)
            offset = exc.diagnostic.span.start
            stops_before = False
        blanked = blank_statement(text, offset, stops_before)
        if blanked == text:  # nothing left to skip: the rest of the file is the broken statement
            break
        text = blanked
    else:
        raise StatuteError(diagnostics)
    if diagnostics:
        raise StatuteError(sorted(diagnostics, key=lambda d: (d.span.start, d.message)))
    return _assemble(file, source, items)


def _statements(text: str, file: str) -> tuple[list[Node], BadLiteral | None]:
    """Parse and build every statement; with the first literal that means nothing, if any (building stops there).

    A statement nested too deep is reported before that literal, as it was when the tree was built before the
    syntax nodes: the builder goes on counting depth after a BadLiteral.
    """
    failed = Failed((BadLiteral,))
    session = parser().parse_interactive(text)  # the one way to give Lark callbacks for one parse only
    session.parser_state.parse_conf.callbacks = cast(Any, callbacks(_shapes(), Build(file), failed))
    resume: Callable[[], Node] = session.resume_parse
    start = resume()
    bad = failed.error
    assert bad is None or isinstance(bad, BadLiteral)
    return start.value, bad


class _Parts:
    """Parses parts of one statute file, each starting at a line start, with the builder's callbacks made once."""

    def __init__(self, file: str) -> None:
        self.build = Build(file)
        self.failed = Failed((BadLiteral,))
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
        if self.failed.error is not None or too_deep(statements, self.build.file):
            return None
        assert session.lexer_thread.state is not None
        last: Token | None = session.lexer_thread.state.last_token
        return Part([statement.value for statement in statements], last.type if last is not None else None)


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
