"""Declared names a rule could not write: refused where they are declared, naming the word.

A name being declared ends only at ':' or ',' (grammar/statute.lark), so "Parameter the sentence reduced: 3 days."
reads; but in a rule 'reduced' starts "reduced by", and "the sentence reduced" could never be used there. Saying so
at the declaration, with the word and what it starts (compiler/frontend/reserved.py), spares the drafter a syntax
error later in a rule that blames the word after it. A yes/no value may be named by a whole sentence with 'is' in
it ("the conviction is expunged"): rules read and conclude it so (compiler/check/expressions.py, rules.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.frontend import reserved
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, error


def check_declared_names(ctx: CheckContext) -> Passed[None]:
    found = Diagnostics()
    for name, yes_no, bare, article in _declared(ctx):
        problem = reserved.unusable_in_rules(name.words, yes_no, bare)
        if problem is None:
            continue
        index, why = problem
        word = name.words[index]
        where = "as the first word of a name" if index == 0 or why.word != word.lower() else "inside a name"
        found.add(
            error(
                f"'{word}' cannot stand {where} that a rule uses: in a rule it starts {why.starts}"
                f", as in '{why.example}'",
                _word_span(ctx.statute.source, name, index),
                _hint(name, word, yes_no),
            ),
            article,
        )
    return found.passed(None)


def _hint(name: s.Name, word: str, yes_no: bool) -> str:
    if word.lower() == "is" and not yes_no:
        return (
            f"only a yes/no value may be named by a sentence with 'is' in it; rename '{name.text}' without 'is' "
            "(the docs list the reserved words: docs/language.md, section 3)"
        )
    return (
        f"rename '{name.text}' without '{word}' (for example 'reduction of sentence' for 'sentence reduced', "
        "'overall income' for 'total income'); docs/language.md, section 3, lists the reserved words"
    )


def _declared(ctx: CheckContext) -> Iterator[tuple[s.Name, bool, bool, s.Article | None]]:
    """Each declared name a rule may need to write: (name, names a yes/no value, written without 'the', article)."""
    for statement in ctx.statute.statements:
        article = statement.provenance.article if hasattr(statement, "provenance") else None
        match statement:
            case s.RecordDecl(fields=fields):
                for field in fields:
                    yield field.name, isinstance(field.type, s.BoolType), False, article
                    yield from _values(field.type, article)
            case s.Parameter(name=name, value=value):
                yield name, isinstance(value, s.BoolLit), False, article
            case s.Declaration(name=name, type=type_):
                yield name, isinstance(type_, s.BoolType), False, article
                yield from _values(type_, article)
            case s.ScaleDecl(name=name):
                yield name, False, False, article
            case s.Formula(name=name, inputs=inputs, result=result):
                yield name, False, False, article
                yield from _values(result, article)
                for given in inputs:
                    yield given.name, isinstance(given.type, s.BoolType), False, article
                    yield from _values(given.type, article)
            case _:
                pass


def _values(type_: s.TypeExpr, article: s.Article | None) -> Iterator[tuple[s.Name, bool, bool, s.Article | None]]:
    if isinstance(type_, s.EnumType):
        for value in type_.values:
            yield value, False, True, article


def _word_span(source: str, name: s.Name, index: int) -> Span:
    """The span of the index-th word of `name` in the statute's text."""
    span = name.span
    text = source[span.start : span.end]
    offset = reserved.word_column(text, name.words, index)
    start = span.start + offset
    before = source[span.start : start]
    line = span.line + before.count("\n")
    column = (len(before) - before.rfind("\n")) if "\n" in before else span.column + len(before)
    length = len(name.words[index])
    return Span(span.file, line, column, line, column + length, start, start + length)
