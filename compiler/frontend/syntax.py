"""The syntax tree of a statute file: what the drafter wrote, with a Span on every node.

The statements, the articles they stand in and the statute are here; the names, types, literals and expressions
they are made of are in compiler.frontend.syntax_expr and are given here under the same names, so that every stage reads
the whole tree as `syntax`. Nothing here knows what a name means; the checker (compiler/check/check.py) resolves names
and types."""

from __future__ import annotations

from dataclasses import dataclass

from compiler.frontend.diagnostics import Span
from compiler.frontend.syntax_expr import *  # noqa: F403  (every name, type, literal and expression node, here too)
from compiler.frontend.syntax_expr import DateLit, Expr, Literal, Name, Ref, TypeExpr

# ------------------------------------------------------------------ statements


@dataclass(frozen=True)
class Note:
    kind: str  # note, assumption, source
    text: str
    span: Span


@dataclass(frozen=True)
class Article:
    kind: str  # Article or Section
    number: str
    title: str
    span: Span
    text: tuple[str, ...] = ()  # the law's sentences quoted in the article

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"

    @property
    def heading(self) -> str:
        return f"{self.kind} {self.number}. {self.title}"


@dataclass(frozen=True)
class Provenance:
    """Where a statement stands in the law: its article, the law text quoted before it, its notes."""

    article: Article | None = None
    quote: str | None = None
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True)
class Header:
    key: str  # title, jurisdiction, passed, approved, signed, adopted, published, locale, currency
    value: str
    date: DateLit | None
    span: Span


@dataclass(frozen=True)
class InForce:
    date: DateLit | None
    parameter: Ref | None
    span: Span


@dataclass(frozen=True)
class Field:
    name: Name
    type: TypeExpr
    optional: bool
    span: Span


@dataclass(frozen=True)
class RecordDecl:
    name: Name
    fields: tuple[Field, ...]
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class CaseDecl:
    record: Name
    span: Span


@dataclass(frozen=True)
class Parameter:
    name: Name
    value: Expr
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class ScaleBracket:
    """One bracket of a scale: "4% over 6,000 EUR up to 12,400 EUR". An edge is None where the drafter left it out
    (the first bracket's lower edge, the last one's upper edge); `lower_included` is true for "from", false for "over"
    and "above"; `upper_included` true for "up to", false for "below" and "under"."""

    value: Literal
    lower: Literal | None
    lower_included: bool
    upper: Literal | None
    upper_included: bool
    span: Span


@dataclass(frozen=True)
class ScaleDecl:
    """ "Scale the contribution scale, marginal rates: 2% up to 6,000 EUR; ...": `kind` is one of "marginal rates",
    "marginal amounts", "single rates", "single amounts" (the drafter's words, made plural and lower case)."""

    name: Name
    kind: str
    kind_span: Span
    brackets: tuple[ScaleBracket, ...]
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class Declaration:
    """ "Outcome ..." (part of the decision) or "Definition ..." (a derived value)."""

    kind: str  # outcome or definition
    name: Name
    type: TypeExpr
    optional: bool
    default: Expr | None
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class ArticleRef:
    """ "Article 2" or, with `through`, the range "Articles 2 to 7" (the checker replaces it by the headings from
    the first to the last in the file's order: compiler/check/article_ranges.py)."""

    kind: str  # Article or Section
    number: str
    span: Span
    through: str | None = None

    @property
    def label(self) -> str:
        return f"{self.kind} {self.number}"


@dataclass(frozen=True)
class Rule:
    """'Rule: <target> is [not] <value> if <condition> unless <exception>.'"""

    overrides: tuple[ArticleRef, ...]  # empty for a plain rule; "Exception to Articles 2 and 3" otherwise
    target: Name
    negated: bool
    value: Expr
    condition: Expr | None
    unless: Expr | None
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class FactValue:
    """One fact of an example: a literal, an enumeration word, or a list of records."""

    value: Literal | Name | tuple[tuple[Fact, ...], ...]
    span: Span


@dataclass(frozen=True)
class Fact:
    name: Name
    value: FactValue
    span: Span


@dataclass(frozen=True)
class RecordChange:
    """ "charge 2: (gravity: grave)": changes of one record of a list the base example gives, numbered from 1 as the
    base gives them."""

    record: Name  # the record's kind: "charge"
    number: int
    changes: tuple[Change, ...]
    span: Span


@dataclass(frozen=True)
class RecordAdded:
    """ "another charge: (offence: ...; ...)": a record put after those of the base example, every fact given."""

    record: Name
    facts: tuple[Fact, ...]
    span: Span


@dataclass(frozen=True)
class FactRemoved:
    """ "without the sentence" (an optional fact the base gives, now missing) or "without charge 2" (a record)."""

    name: Name
    number: int | None
    span: Span


# One change after "but:": a fact given anew (a Fact), a record changed, added or left out.
Change = Fact | RecordChange | RecordAdded | FactRemoved


@dataclass(frozen=True)
class BaseExample:
    """ "as in example "title", but: <changes>": the example whose facts this one starts from."""

    title: str
    title_span: Span
    changes: tuple[Change, ...]
    span: Span


@dataclass(frozen=True)
class Expectation:
    target: Ref
    value: Expr | None  # None with conflict=True
    conflict: bool
    span: Span
    number: int | None = None  # "the charge measure of charge 2": which record, from 1 in the facts' order
    named: str | None = None  # 'the age of the child "Eille"': which record, by the id the facts give it
    negated: bool = False  # "the record is not sealed": a yes/no value named by a whole sentence, expected no


@dataclass(frozen=True)
class Example:
    title: str
    articles: tuple[ArticleRef, ...]
    facts: tuple[Fact, ...]  # empty when the facts are those of `base` with its changes
    expectations: tuple[Expectation, ...]
    span: Span
    provenance: Provenance = Provenance()
    base: BaseExample | None = None


@dataclass(frozen=True)
class Guarantee:
    """ "Guarantee "title" (Article 5): if <premise> then <conclusion>." -- must hold for every case."""

    title: str
    articles: tuple[ArticleRef, ...]
    premise: Expr | None
    conclusion: Expr
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class GuaranteeOff:
    """ "Guarantee off (Article 4): "reason"." -- switches off the guarantees derived from those exceptions."""

    articles: tuple[ArticleRef, ...]
    reason: str
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class Requirement:
    """ "Requirement "title" (Article 1): if <premise> then <condition>." -- what the facts of every case must
    satisfy; a case that breaks it is rejected when it is read (compiler/check/requirements.py)."""

    title: str
    articles: tuple[ArticleRef, ...]
    premise: Expr | None
    condition: Expr
    span: Span
    provenance: Provenance = Provenance()


@dataclass(frozen=True)
class FormulaInput:
    name: Name  # without its article: "income"
    type: TypeExpr
    span: Span


@dataclass(frozen=True)
class FormulaCase:
    """One line of a formula: its value, and the condition under which it is the result (None: "otherwise", or
    the formula's only value)."""

    value: Expr
    condition: Expr | None
    span: Span


@dataclass(frozen=True)
class Formula:
    """ "Formula the two-bracket tax of an income: money, given a threshold: money, ..., gives money: ..." -- a
    named computation of its inputs; the first case whose condition holds gives the result."""

    name: Name  # "two-bracket tax"
    inputs: tuple[FormulaInput, ...]
    of_input: bool  # the first input follows the name after "of" ("of an income"); otherwise all follow "given"
    result: TypeExpr
    cases: tuple[FormulaCase, ...]
    span: Span
    provenance: Provenance = Provenance()


Statement = (
    Header
    | InForce
    | RecordDecl
    | CaseDecl
    | Parameter
    | ScaleDecl
    | Declaration
    | Rule
    | Example
    | Guarantee
    | GuaranteeOff
    | Requirement
    | Formula
)


@dataclass(frozen=True)
class Statute:
    file: str
    source: str
    statements: tuple[Statement, ...]
    articles: tuple[Article, ...]
