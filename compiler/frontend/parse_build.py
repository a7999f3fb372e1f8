"""The syntax tree builder: a method per grammar rule that makes compiler.frontend.syntax nodes, called by
compiler.frontend.lark_build as Lark reduces each rule (the fast builder; tests/test_parse.py checks it against Lark's
own tree)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from lark import Token

from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span
from compiler.frontend.lark_build import Node
from compiler.frontend.parse_build_formulas import FormulaBuild
from compiler.frontend.parse_build_scales import ScaleBuild
from compiler.frontend.parse_literals import (
    BadLiteral,
    heading_number,
    read_date,
    read_fraction_words,
    read_number,
    read_whole,
    unquote,
)


def span_of_token(token: Token, file: str) -> Span:
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


def _is(x: object, kind: str) -> bool:
    return isinstance(x, Token) and x.type == kind


class Build(FormulaBuild, ScaleBuild):
    """A method per grammar rule (or alias), called by compiler.frontend.lark_build with the rule's Node as `meta` and
    the values of the rule's children."""

    def __init__(self, file: str) -> None:
        self.file = file
        # Where the text being parsed starts in the file, when it is a part of it (compiler.frontend.parse_cache): a
        # part starts at a line start, so columns need no shift.
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
        span = span_of_token(token, self.file)
        if not self.lines_before and not self.chars_before:
            return span
        lines, chars = self.lines_before, self.chars_before
        return replace(
            span, line=span.line + lines, end_line=span.end_line + lines, start=span.start + chars, end=span.end + chars
        )

    # -- structure
    def heading(self, meta: Any, token: Token) -> tuple[str, Any]:
        match = re.match(r"(\w+)\s+([^.\n]+?)\.(.*)", str(token), re.S)
        assert match is not None  # the HEADING terminal guarantees the shape
        kind, number, title = match.groups()
        number = heading_number(number)
        title = title.strip().rstrip(".").strip()
        span = self._tok(token)
        if not title:
            raise BadLiteral(
                f"{kind.capitalize()} {number} has no title",
                span,
                f"write it after the number: '{kind.capitalize()} {number}. Title'",
            )
        return ("heading", s.Article(kind.capitalize(), number, title, span))

    def law_text(self, meta: Any, *lines: Token) -> tuple[str, Any]:
        text = " ".join(str(line).strip()[1:].strip() for line in lines)
        return ("quote", text)

    def note(self, meta: Any, kind: Token, text: Token) -> tuple[str, Any]:
        return ("note", s.Note(str(kind).lower(), unquote(str(text)), self._span(meta)))

    def header(self, meta: Any, key: Token, value: Token, date: Token | None = None) -> s.Header:
        span = self._span(meta)
        text = unquote(str(value)) if value.type == "STRING" else str(value)
        when = self.date(meta, date) if date is not None else None
        return s.Header(str(key).lower(), text, when, span)

    def in_force(self, meta: Any, _keyword: Token, value: Any) -> s.InForce:
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

    def citation_type(self, meta: Any, code: s.Name | None) -> s.CitationType:
        return s.CitationType(self._span(meta), code.text if code is not None else None)

    def date_type(self, meta: Any, bounds: s.Bounds | None) -> s.DateType:
        return s.DateType(self._span(meta), bounds)

    def duration_type(self, meta: Any, bounds: s.Bounds | None) -> s.DurationType:
        return s.DurationType(self._span(meta), bounds)

    def text_type(self, meta: Any) -> s.TextType:
        return s.TextType(self._span(meta))

    def enum_type(self, meta: Any, *values: s.Name) -> s.EnumType:
        return s.EnumType(tuple(values), self._span(meta))

    def list_type(self, meta: Any, element: s.Name, _each: Token | None, member: s.Name | None) -> s.ListType:
        return s.ListType(element, self._span(meta), member)

    def members_type(self, meta: Any, *parts: Any) -> s.MembersType:
        *roles, _each, member = parts
        return s.MembersType(tuple(roles), member, self._span(meta))

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
            elif isinstance(item, tuple):
                first, last = item
                span = self._tok(first)
                if last is not None:
                    end = self._tok(last)
                    span = replace(span, end_line=end.end_line, end_column=end.end_column, end=end.end)
                through = None if last is None else heading_number(str(last))
                refs.append(s.ArticleRef(kind, heading_number(str(first)), span, through))
        return tuple(refs)

    def article_span(self, meta: Any, first: Token, last: Token | None) -> tuple[Token, Token | None]:
        return (first, last)

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
        return s.FractionOf(read_fraction_words(str(words)), operand, self._span(meta))

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

    decl_ref = ref

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
        return s.DateLit(read_date(str(token), self._tok(token)), self._tok(token))

    def duration(self, meta: Any, *parts: Token) -> s.DurationLit:
        months = days = 0
        for number, unit in zip(parts[::2], parts[1::2], strict=False):
            n = read_whole(number, self._tok(number))
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
        return s.MoneyLit(read_number(str(number), self._tok(number)), str(currency), self._span(meta))

    def percent(self, meta: Any, number: Token) -> s.PercentLit:
        return s.PercentLit(read_number(str(number), self._tok(number)) / 100, self._span(meta))

    def number(self, meta: Any, number: Token) -> s.NumberLit:
        text = str(number)
        return s.NumberLit(read_number(text, self._tok(number)), "." not in text, self._span(meta))

    def fraction_words(self, meta: Any, words: Token) -> s.NumberLit:
        return s.NumberLit(read_fraction_words(str(words)), False, self._span(meta))

    def citation(self, meta: Any, token: Token) -> s.CitationLit:
        return s.CitationLit(" ".join(str(token).split()), self._tok(token))

    def text(self, meta: Any, token: Token) -> s.TextLit:
        return s.TextLit(unquote(str(token)), self._tok(token))

    def yes_no(self, meta: Any, token: Token) -> s.BoolLit:
        return s.BoolLit(str(token).lower() == "yes", self._tok(token))

    def period(self, meta: Any, start: Token, end: Token) -> s.PeriodLit:
        span = self._span(meta)
        first, last = read_date(str(start), self._tok(start)), read_date(str(end), self._tok(end))
        if last < first:
            raise BadLiteral("this period ends before it starts", span, "write the earlier date first")
        return s.PeriodLit(first, last, span)

    # -- examples
    def example(
        self,
        meta: Any,
        title: Any,
        refs: Any,
        facts: tuple[s.Fact, ...] | s.BaseExample,
        expectations: tuple[s.Expectation, ...],
    ) -> s.Example:
        text = unquote(str(title)) if isinstance(title, Token) else ""
        if isinstance(facts, s.BaseExample):
            return s.Example(text, refs or (), (), expectations, self._span(meta), base=facts)
        return s.Example(text, refs or (), facts, expectations, self._span(meta))

    def facts_as_in(self, meta: Any, title: Token, changes: tuple[s.Change, ...] | None) -> s.BaseExample:
        return s.BaseExample(unquote(str(title)), self._tok(title), changes or (), self._span(meta))

    def change_list(self, meta: Any, *changes: s.Change) -> tuple[s.Change, ...]:
        return tuple(changes)

    def record_change(self, meta: Any, record: s.Name, number: Token, changes: tuple[s.Change, ...]) -> s.RecordChange:
        return s.RecordChange(record, _record_number(number) or 0, changes, self._span(meta))

    def record_added(self, meta: Any, record: s.Name, facts: tuple[s.Fact, ...]) -> s.RecordAdded:
        return s.RecordAdded(record, facts, self._span(meta))

    def fact_removed(self, meta: Any, name: s.Name, number: Token | None) -> s.FactRemoved:
        return s.FactRemoved(name, _record_number(number), self._span(meta))

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

    def record_value(self, meta: Any, label: Token | None, facts: tuple[s.Fact, ...]) -> tuple[s.Fact, ...]:
        """A record's facts; a record named before them ("Eille" (...)) has the id a case file would give it."""
        if label is None:
            return facts
        span = self._tok(label)
        value: s.Expr
        if _is(label, "STRING"):
            value = s.TextLit(unquote(str(label)), span)
        else:
            text = str(label).replace(",", "")
            value = s.NumberLit(read_number(text, span), "." not in text, span)
        return (s.Fact(s.Name(("id",), span), s.FactValue(value, span), span), *facts)

    def expectations(self, meta: Any, *items: s.Expectation) -> tuple[s.Expectation, ...]:
        return tuple(items)

    def expected_value(
        self, meta: Any, ref: s.Ref, number: Token | None, negated: Token | None, value: s.Expr
    ) -> s.Expectation:
        named = unquote(str(number)) if number is not None and _is(number, "STRING") else None  # 'the child "Eille"'
        which = None if named is not None else _record_number(number)
        if negated is not None and isinstance(value, s.Ref) and value.name.key == "decided":
            # "the new sentence is not decided": an optional outcome left open, as "undecided" says
            span = self._tok(negated).to(value.span)
            open_ = s.Ref(s.Name(("not", *value.name.words), span), span)
            return s.Expectation(ref, open_, False, self._span(meta), which, named)
        return s.Expectation(ref, value, False, self._span(meta), which, named, negated is not None)

    def expected_conflict(self, meta: Any, ref: s.Ref, number: Token | None = None) -> s.Expectation:
        if number is not None and _is(number, "STRING"):
            return s.Expectation(ref, None, True, self._span(meta), None, unquote(str(number)))
        return s.Expectation(ref, None, True, self._span(meta), _record_number(number))

    def guarantee(self, meta: Any, title: Any, refs: Any, first: s.Expr, second: s.Expr | None = None) -> s.Guarantee:
        text = unquote(str(title)) if isinstance(title, Token) else ""
        premise, conclusion = (first, second) if second is not None else (None, first)
        return s.Guarantee(text, refs or (), premise, conclusion, self._span(meta))

    def requirement(
        self, meta: Any, keyword: Token, title: Any, refs: Any, first: s.Expr, second: s.Expr | None = None
    ) -> s.Requirement:
        text = unquote(str(title)) if isinstance(title, Token) else ""
        premise, condition = (first, second) if second is not None else (None, first)
        return s.Requirement(text, refs or (), premise, condition, self._span(meta))

    def guarantee_off(self, meta: Any, refs: tuple[s.ArticleRef, ...], reason: Token) -> s.GuaranteeOff:
        return s.GuaranteeOff(refs, unquote(str(reason)), self._span(meta))

    # -- words
    def _name(self, meta: Any, *words: Token) -> s.Name:
        return s.Name(tuple(str(w) for w in words), self._span(meta))

    name = _name
    numbered_name = _name
    decl_name = _name
    type_name = _name
    enum_name = _name


def statement_span(node: Node, file: str) -> Span:
    """The span of a statement's node in a whole file."""
    return Build(file)._span(node)


def _record_number(number: Token | None) -> int | None:
    """ "charge 2": a record's number in an expectation; a number that is not a whole one is 0, which the checker
    refuses with the record's name."""
    if number is None:
        return None
    text = str(number).replace(",", "")
    return int(text) if text.isdigit() and len(text) <= 12 else 0  # past 12 digits no list is that long
