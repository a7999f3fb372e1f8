"""The syntax of values in a statute file: names, types, literals and expressions, with a Span on every node.

compiler.frontend.syntax holds the statements made of them and the statute, and gives these under its own name too, so
that a stage reads the whole syntax tree as `syntax`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction

from compiler.frontend.diagnostics import Span

ARTICLES = frozenset({"the", "a", "an"})


@dataclass(frozen=True)
class Name:
    """A run of words naming something: "the act date", "organisation of mass riots"."""

    words: tuple[str, ...]
    span: Span

    @property
    def text(self) -> str:
        """As the drafter wrote it, articles included."""
        return " ".join(self.words)

    @property
    def key(self) -> str:
        """What two spellings of the same name share: lower case, without the/a/an."""
        return " ".join(w.lower() for w in self.words if w.lower() not in ARTICLES)

    @property
    def segments(self) -> tuple[Name, ...]:
        """The name cut at each "of": "the gravity of the charge" -> ("the gravity", "the charge")."""
        parts: list[list[str]] = [[]]
        for word in self.words:
            if word.lower() == "of" and parts[-1]:
                parts.append([])
            else:
                parts[-1].append(word)
        return tuple(Name(tuple(p), self.span) for p in parts if p)


def join_names(names: tuple[Name, ...]) -> Name:
    words: list[str] = []
    for i, n in enumerate(names):
        if i:
            words.append("of")
        words.extend(n.words)
    return Name(tuple(words), names[0].span.to(names[-1].span))


# ------------------------------------------------------------------ types


@dataclass(frozen=True)
class Bounds:
    low: Literal
    high: Literal
    span: Span
    thirty_day_months: bool = False  # "counting a month as 30 days" follows: a case's duration is checked so


@dataclass(frozen=True)
class BoolType:
    span: Span


@dataclass(frozen=True)
class IntType:
    span: Span
    bounds: Bounds | None = None


@dataclass(frozen=True)
class DecimalType:
    span: Span
    bounds: Bounds | None = None


@dataclass(frozen=True)
class MoneyType:
    span: Span
    currency: str | None = None
    bounds: Bounds | None = None


@dataclass(frozen=True)
class PercentageType:
    span: Span
    bounds: Bounds | None = None


@dataclass(frozen=True)
class CitationType:
    """ "citation", "citation of the Penal Code": `code` names the law cited, or None."""

    span: Span
    code: str | None = None


@dataclass(frozen=True)
class DateType:
    span: Span
    bounds: Bounds | None = None


@dataclass(frozen=True)
class DurationType:
    span: Span
    bounds: Bounds | None = None


@dataclass(frozen=True)
class TextType:
    span: Span


@dataclass(frozen=True)
class EnumType:
    values: tuple[Name, ...]
    span: Span


@dataclass(frozen=True)
class ListType:
    element: Name
    span: Span
    member: Name | None = None  # a role: "list of person, each an adult" names one of its records "adult"


@dataclass(frozen=True)
class MembersType:
    """ "the adults and the children, each a member": a group of roles of the same record, not a fact."""

    roles: tuple[Name, ...]
    member: Name | None
    span: Span


@dataclass(frozen=True)
class RecordType:
    record: Name
    span: Span


TypeExpr = (
    BoolType
    | IntType
    | DecimalType
    | MoneyType
    | PercentageType
    | CitationType
    | DateType
    | DurationType
    | TextType
    | EnumType
    | ListType
    | MembersType
    | RecordType
)

# ------------------------------------------------------------------ literals


@dataclass(frozen=True)
class DateLit:
    value: datetime.date
    span: Span


@dataclass(frozen=True)
class DurationLit:
    months: int
    days: int
    span: Span


@dataclass(frozen=True)
class MoneyLit:
    amount: Fraction
    currency: str
    span: Span


@dataclass(frozen=True)
class NumberLit:
    """A number as written: whole ("24") or exact decimal/fraction ("0.25", "3/4" is a division)."""

    value: Fraction
    is_whole: bool
    span: Span


@dataclass(frozen=True)
class PercentLit:
    """ "15%", "12.5%": `value` is the exact share (3/20, 1/8)."""

    value: Fraction
    span: Span


@dataclass(frozen=True)
class CitationLit:
    """ "Article 111 part 3", "Article 255, Article 256 parts 1 to 3": the text as written (the checker reads it)."""

    text: str
    span: Span


@dataclass(frozen=True)
class TextLit:
    value: str
    span: Span


@dataclass(frozen=True)
class BoolLit:
    value: bool
    span: Span


@dataclass(frozen=True)
class PeriodLit:
    start: datetime.date
    end: datetime.date
    span: Span


Literal = DateLit | DurationLit | MoneyLit | NumberLit | PercentLit | CitationLit | TextLit | BoolLit | PeriodLit

# ------------------------------------------------------------------ expressions


@dataclass(frozen=True)
class Ref:
    """A name used in a rule: a field, parameter, definition, record, enumeration value, or a path with "of"."""

    name: Name
    span: Span


@dataclass(frozen=True)
class Binary:
    op: str  # plus, minus, times, divided, reduced_by
    left: Expr
    right: Expr
    span: Span
    thirty_day_months: bool = False  # "counting a month as 30 days" follows (a duration divided by a duration)


@dataclass(frozen=True)
class FractionOf:
    fraction: Fraction
    operand: Expr
    span: Span


@dataclass(frozen=True)
class ScaleApplied:
    """ "the contribution scale applied to the salary": a scale declared by "Scale ..." worked out on a base."""

    scale: Name
    base: Expr
    span: Span


@dataclass(frozen=True)
class Rounded:
    operand: Expr
    mode: str  # down, up, half up
    unit: str  # days, months, years, cents, units, or "N decimal places"
    span: Span


@dataclass(frozen=True)
class Extremum:
    kind: str  # least or greatest
    left: Expr
    right: Expr
    span: Span
    thirty_day_months: bool = False  # "counting a month as 30 days" follows


@dataclass(frozen=True)
class FormulaArg:
    """One input given to a formula: "a threshold of 10,000 EUR" (`value` set) or "a lower rate of the standard
    rate" (`value` None: the name holds the input and, after "of", its value; the checker splits them)."""

    name: Name
    value: Expr | None
    span: Span


@dataclass(frozen=True)
class Call:
    """ "the two-bracket tax of the salary, given a threshold of 10,000 EUR, ...": `head` is the formula with its
    first input (a Ref "the two-bracket tax of the salary", or a CallOf), `args` the inputs after "given"."""

    head: Expr
    args: tuple[FormulaArg, ...]
    span: Span


@dataclass(frozen=True)
class CallOf:
    """ "the two-bracket tax of 12,000 EUR": a formula applied to a value that is not a name (a number, a bracket)."""

    name: Name
    first: Expr
    span: Span


@dataclass(frozen=True)
class WholeBetween:
    """ "the whole years from A to B": how many whole years (months, weeks, days) from the date A to the date B."""

    unit: str  # years, months, weeks or days (ir.WHOLE_UNITS)
    start: Expr
    end: Expr
    span: Span


@dataclass(frozen=True)
class Quantified:
    quantifier: str  # any, every, no
    collection: Name  # "charge" or "charges"
    where: Expr | None
    test: IsTest | None
    span: Span


@dataclass(frozen=True)
class Count:
    collection: Name
    where: Expr | None
    span: Span


@dataclass(frozen=True)
class Aggregate:
    kind: str  # greatest, least, total
    value: Expr
    collection: Name
    where: Expr | None
    span: Span
    thirty_day_months: bool = False  # "counting a month as 30 days" follows the list: greatest or least durations


@dataclass(frozen=True)
class AllOf:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True)
class Not:
    operand: Expr
    span: Span


@dataclass(frozen=True)
class Compare:
    left: Expr
    test: IsTest
    span: Span
    thirty_day_months: bool = False  # "counting a month as 30 days" follows


# The right-hand side of "X is ...".


@dataclass(frozen=True)
class IsEqual:
    negated: bool
    value: Expr
    span: Span


@dataclass(frozen=True)
class IsOneOf:
    negated: bool
    values: tuple[Expr, ...]
    span: Span


@dataclass(frozen=True)
class IsCompared:
    comparator: str  # at least, at most, more than, less than, before, after, on or before, on or after
    value: Expr
    span: Span


@dataclass(frozen=True)
class IsWithin:
    negated: bool
    period: Expr
    span: Span


@dataclass(frozen=True)
class IsBetween:
    negated: bool
    low: Expr
    high: Expr
    span: Span


@dataclass(frozen=True)
class IsKnown:
    negated: bool
    span: Span


IsTest = IsEqual | IsOneOf | IsCompared | IsWithin | IsBetween | IsKnown

Expr = (
    DateLit
    | DurationLit
    | MoneyLit
    | NumberLit
    | PercentLit
    | CitationLit
    | TextLit
    | BoolLit
    | PeriodLit
    | Ref
    | Binary
    | FractionOf
    | ScaleApplied
    | Rounded
    | Extremum
    | WholeBetween
    | Call
    | CallOf
    | Quantified
    | Count
    | Aggregate
    | AllOf
    | AnyOf
    | Not
    | Compare
)
