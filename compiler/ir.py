"""The checked statute: every name resolved, every expression typed. The backends read only this.

Rules stay in default-logic form: each definition lists its rules, and each rule knows which rules prevail over it.
Expressions carry their Span so explanations can quote the drafter's words; `Checked.words(span)` gives them.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from typing import Final, assert_never

from compiler.diagnostics import Diagnostic, Span
from compiler.kinds import Kind, Naming, Traits, traits
from compiler.syntax import Article, Note
from compiler.values import duration_text, normal_duration

# ------------------------------------------------------------------ types


@dataclass(frozen=True)
class Type:
    """A kind (compiler/kinds.py) and, for the kinds that take one, a name.

    `name` is the currency for money (optional), the enumeration's ident for enum, the record's ident for record and
    list.
    """

    kind: Kind
    name: str | None = None

    @property
    def traits(self) -> Traits:
        return traits(self.kind)

    def describe(self) -> str:
        """How a drafter would say the type: 'a date', 'an amount of money in USD'."""
        words = self.traits.words
        match self.traits.naming:
            case Naming.NONE:
                return words
            case Naming.OPTIONAL:
                return f"{words} in {self.name}" if self.name else words
            case Naming.REQUIRED:
                named = words.format(name=re.sub(r"(?<!^)(?=[A-Z])", " ", self.name or "").lower())
                return re.sub(r"^a (?=[aeiou])", "an ", named)  # "an offence", as "a charge"
            case _:
                assert_never(self.traits.naming)


BOOL = Type(Kind.BOOL)
INT = Type(Kind.INT)
NUMBER = Type(Kind.NUMBER)
DATE = Type(Kind.DATE)
DURATION = Type(Kind.DURATION)
TEXT = Type(Kind.TEXT)
PERIOD = Type(Kind.PERIOD)
PERCENTAGE = Type(Kind.PERCENTAGE)


@dataclass(frozen=True)
class Duration:
    """A length of time as the law states it: whole months and days. A year is 12 months.

    Made by `Duration.normal` when computed, so that it is in the one normal form (months and days never of opposite
    signs): the compiler and every generated module share that rule and its text form, from compiler/values.py, which
    the generated module carries."""

    months: int = 0
    days: int = 0

    @staticmethod
    def normal(months: int, days: int) -> Duration:
        whole_months, whole_days = normal_duration(months, days)
        return Duration(whole_months, int(whole_days))

    @property
    def text(self) -> str:
        """ "1 year 7 months 15 days", "0 days", "minus 3 days": the one text form (values.duration_text)."""
        return duration_text(self.months, self.days)

    @property
    def total_days(self) -> int:
        """For comparing and ordering: a month counts as 30 days (the language's stated convention)."""
        return self.months * 30 + self.days


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date


Value = bool | int | Fraction | datetime.date | Duration | Period | str

# ------------------------------------------------------------------ vocabulary


@dataclass(frozen=True)
class EnumValue:
    ident: str  # UPPER_SNAKE
    text: str  # the drafter's words: "especially grave"
    span: Span


@dataclass(frozen=True)
class EnumDef:
    ident: str  # PascalCase class name
    label: str  # what it is the type of: "gravity"
    values: tuple[EnumValue, ...]
    span: Span


@dataclass(frozen=True)
class FieldDef:
    ident: str  # snake_case attribute and JSON key
    label: str  # the drafter's words: "act date"
    type: Type
    optional: bool
    low: Value | None
    high: Value | None
    span: Span
    # A duration checked against its bounds at 30 days to the month ("counting a month as 30 days" after them);
    # otherwise a case's duration whose place against a bound hangs on a month's length is refused.
    thirty_day_bounds: bool = False


@dataclass(frozen=True)
class RecordDef:
    ident: str  # PascalCase class name
    label: str  # "person"
    fields: tuple[FieldDef, ...]
    span: Span

    def field(self, ident: str) -> FieldDef:
        return next(f for f in self.fields if f.ident == ident)


# ------------------------------------------------------------------ expressions


@dataclass(frozen=True)
class Lit:
    value: Value
    type: Type
    span: Span


@dataclass(frozen=True)
class EnumLit:
    enum: str
    value: str  # the EnumValue ident
    type: Type
    span: Span


@dataclass(frozen=True)
class ParamRef:
    ident: str
    type: Type
    span: Span


@dataclass(frozen=True)
class RootRef:
    """The record the case is about ("the person")."""

    type: Type
    span: Span


@dataclass(frozen=True)
class VarRef:
    """The element a quantifier or aggregate is looking at ("the charge" in "any charge where ...")."""

    var: str
    type: Type
    span: Span


@dataclass(frozen=True)
class FieldRef:
    subject: Expr  # RootRef, VarRef, or another FieldRef of record type
    record: str
    field: str
    type: Type
    optional: bool
    span: Span


@dataclass(frozen=True)
class DefRef:
    """A use of a definition, outcome or predicate; `subject` is the record for record-level definitions."""

    definition: str
    subject: Expr | None
    type: Type
    span: Span


# The units of "the whole years (months, weeks, days) from A to B": an Arith whose op is one of these counts them
# from the date `left` to the date `right` (a whole number).
WHOLE_UNITS: Final = frozenset({"years", "months", "weeks", "days"})


@dataclass(frozen=True)
class Arith:
    op: str  # + - * /, or one of WHOLE_UNITS: the whole years (...) from the date `left` to the date `right`
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True)
class Round:
    operand: Expr
    mode: str  # down, up, half up
    unit: str  # days, months, cents, units, or places:N
    type: Type
    span: Span


@dataclass(frozen=True)
class MinMax:
    kind: str  # least or greatest
    left: Expr
    right: Expr
    type: Type
    span: Span


@dataclass(frozen=True)
class Cmp:
    op: str  # == != < <= > >=
    left: Expr
    right: Expr
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class OneOf:
    operand: Expr
    values: tuple[Expr, ...]
    negated: bool
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class Within:
    """ "is within <period>" (period set, low/high None) or "is between <low> and <high>" (period None)."""

    operand: Expr
    low: Expr | None
    high: Expr | None
    period: Expr | None
    negated: bool
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class Known:
    operand: Expr
    negated: bool
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class And:
    items: tuple[Expr, ...]
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class Or:
    items: tuple[Expr, ...]
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class NotE:
    operand: Expr
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class Quant:
    kind: str  # any, every, no
    source: Expr  # a list-valued FieldRef
    var: str
    body: Expr
    span: Span
    type: Type = BOOL


@dataclass(frozen=True)
class CountE:
    source: Expr
    var: str
    where: Expr | None
    span: Span
    type: Type = INT


@dataclass(frozen=True)
class Agg:
    kind: str  # greatest, least, total
    source: Expr
    var: str
    value: Expr
    where: Expr | None
    type: Type
    span: Span


Expr = (
    Lit
    | EnumLit
    | ParamRef
    | RootRef
    | VarRef
    | FieldRef
    | DefRef
    | Arith
    | Round
    | MinMax
    | Cmp
    | OneOf
    | Within
    | Known
    | And
    | Or
    | NotE
    | Quant
    | CountE
    | Agg
)

# Atoms are the leaves a trace records: comparisons, tests, and yes/no facts used as conditions.
ATOMS = (Cmp, OneOf, Within, Known, Quant, DefRef, FieldRef, ParamRef)

# ------------------------------------------------------------------ decisions


@dataclass(frozen=True)
class Citation:
    """Where a rule or declaration stands in the law."""

    article: Article | None
    quote: str | None
    notes: tuple[Note, ...]

    @property
    def label(self) -> str:
        return self.article.label if self.article else "the statute"

    @property
    def heading(self) -> str:
        return self.article.heading if self.article else "the statute"


@dataclass(frozen=True)
class ParameterDef:
    ident: str  # UPPER_SNAKE module constant
    label: str
    type: Type
    value: Value
    span: Span
    citation: Citation


@dataclass(frozen=True)
class RuleDef:
    ident: str  # unique, e.g. "article_2_rule_1"
    definition: str
    citation: Citation
    condition: Expr | None
    value: Expr
    overridden_by: tuple[str, ...]  # rules that prevail over this one, transitively
    span: Span
    prevailing: tuple[str, ...] = ()  # rules that prevail over this one directly: the exceptions to its article


@dataclass(frozen=True)
class Definition:
    """An outcome, a derived value, or a yes/no predicate, with the rules that decide it."""

    ident: str  # snake_case function name
    label: str  # "amnesty measure", "charge is connected with the events"
    kind: str  # outcome, definition, predicate
    owner: str | None  # record ident for "a charge is ..."; None for the case as a whole
    type: Type
    optional: bool
    default: Expr | None
    rules: tuple[RuleDef, ...]  # prevailing rules before the rules they override
    span: Span
    citation: Citation


@dataclass(frozen=True)
class Expected:
    definition: str
    value: Value | None  # None means "not decided" for optional outcomes
    conflict: bool
    span: Span


@dataclass(frozen=True)
class ExampleDef:
    title: str
    articles: tuple[str, ...]
    case: dict[str, object]  # the case as JSON would carry it
    expected: tuple[Expected, ...]
    span: Span


@dataclass(frozen=True)
class GuaranteeDef:
    """Something that must hold for every case: written by the drafter, or derived from an exclusion.

    It holds for a case when `premise` is false or `conclusion` is true.
    """

    ident: str  # snake_case, e.g. "guarantee_1" or "article_5_rule_4_excludes"
    title: str  # a sentence a drafter reads: "No one convicted of terrorism is released."
    articles: tuple[str, ...]  # the articles it protects
    premise: Expr | None
    conclusion: Expr
    derived_from: str | None  # the exception rule it was derived from, if derived
    span: Span


@dataclass(frozen=True)
class Shown:
    """A part of a requirement's message: the drafter's words, and the value they name (None for a literal, whose
    words are its value)."""

    words: str
    value: Expr | None


@dataclass(frozen=True)
class RequirementDef:
    """What the facts of every case must satisfy (compiler/requirements.py): a case is rejected when `premise` holds
    and `condition` does not, for the case or, with `each`, for one element of that list (checked one by one).
    Where working either out needs a fact the case does not give, the requirement holds.

    The message shows `shown`: two parts joined by `joint` ("is before") when the condition is a comparison, or each
    fact it reads ("the stage is serving sentence; the sentence start is not given")."""

    ident: str  # requirement_1
    title: str
    article: str  # the article it cites: "Article 1"
    premise: Expr | None
    each: Quant | None  # "every charge where ...": `condition` is then its body ("no charge ...": its denial)
    path: str  # where a problem is: "person", or the list of `each`, "person.charges"
    condition: Expr
    shown: tuple[Shown, ...]
    joint: str | None
    span: Span


@dataclass(frozen=True)
class SwitchedOff:
    """A derived guarantee the drafter switched off, with the stated reason."""

    rule: str
    reason: str
    span: Span


@dataclass(frozen=True)
class Checked:
    file: str
    source: str
    module: str  # the generated module's name
    title: str
    header: tuple[tuple[str, str], ...]  # (key, text) as written, dates included
    locale: str
    in_force: str | None  # a date (ISO) or a parameter ident
    root: str  # record ident
    records: tuple[RecordDef, ...]
    enums: tuple[EnumDef, ...]
    parameters: tuple[ParameterDef, ...]
    definitions: tuple[Definition, ...]  # each after those it uses
    outcomes: tuple[str, ...]  # definition idents, in declaration order
    examples: tuple[ExampleDef, ...]
    articles: tuple[Article, ...]
    guarantees: tuple[GuaranteeDef, ...] = ()
    switched_off: tuple[SwitchedOff, ...] = ()
    requirements: tuple[RequirementDef, ...] = ()
    warnings: tuple[Diagnostic, ...] = field(default=())

    def words(self, span: Span) -> str:
        """The drafter's own words at `span`, on one line."""
        return " ".join(self.source[span.start : span.end].split())

    def record(self, ident: str) -> RecordDef:
        return next(r for r in self.records if r.ident == ident)

    def enum(self, ident: str) -> EnumDef:
        return next(e for e in self.enums if e.ident == ident)

    def definition(self, ident: str) -> Definition:
        return self._definitions_by_ident[ident]

    @cached_property
    def _definitions_by_ident(self) -> dict[str, Definition]:
        """Built once: the backends look a definition up at every use, and a scan made generating quadratic."""
        return {d.ident: d for d in reversed(self.definitions)}  # reversed: the first of a name wins, as before

    def rule(self, ident: str) -> RuleDef:
        return self._rules_by_ident[ident]

    @cached_property
    def _rules_by_ident(self) -> dict[str, RuleDef]:
        """Built once: a guarantee derived from an exclusion looks its rule up (a scan was quadratic)."""
        return {r.ident: r for d in reversed(self.definitions) for r in reversed(d.rules)}

    def parameter(self, ident: str) -> ParameterDef:
        return next(p for p in self.parameters if p.ident == ident)
