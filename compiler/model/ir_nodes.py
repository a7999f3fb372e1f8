"""The checked model's types, values and expressions: every expression typed, with the Span of the drafter's words.

compiler/model/ir.py re-exports every name here, so a pass reads `ir.Arith` and `ir.Type`; this module is apart only to
keep each part of the model under 400 lines."""

from __future__ import annotations

import datetime
import enum
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Final, assert_never

from compiler.citations import CitedProvisions
from compiler.frontend.diagnostics import Span
from compiler.model.kinds import Kind, Naming, Traits, traits
from compiler.values import duration_text, normal_duration

# ------------------------------------------------------------------ types


@dataclass(frozen=True)
class Type:
    """A kind (compiler/model/kinds.py) and, for the kinds that take one, a name.

    `name` is the currency for money (optional), the code a citation cites (optional), the enumeration's ident for
    enum, the record's ident for record and list.
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
                return f"{words} {self.traits.named_by} {self.name}" if self.name else words
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
CITATION = Type(Kind.CITATION)


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


Value = bool | int | Fraction | datetime.date | Duration | Period | str | CitedProvisions

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


@dataclass(frozen=True)
class InputRef:
    """An input of a formula, inside the formula's own cases ("the income" in the two-bracket tax)."""

    input: str  # the input's key in the formula (FormulaInputDef.ident)
    type: Type
    span: Span


@dataclass(frozen=True)
class Call:
    """A formula applied to its inputs' values ("the two-bracket tax of the salary, given a threshold of ..."):
    `args` in the order the formula declares its inputs, whatever order the drafter gave them in."""

    formula: str  # FormulaDef.ident
    args: tuple[Expr, ...]
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


class ScaleKind(enum.Enum):
    """How a scale turns a base into a result (docs/language.md, section 10)."""

    MARGINAL_RATES = "marginal rates"  # each rate applies to the slice of the base within its bracket; the sum
    MARGINAL_AMOUNTS = "marginal amounts"  # each bracket the base reaches adds its amount
    SINGLE_RATES = "single rates"  # the rate of the one bracket the base falls in, of the whole base
    SINGLE_AMOUNTS = "single amounts"  # the amount of the one bracket the base falls in

    @property
    def marginal(self) -> bool:
        return self in (ScaleKind.MARGINAL_RATES, ScaleKind.MARGINAL_AMOUNTS)

    @property
    def rates(self) -> bool:
        return self in (ScaleKind.MARGINAL_RATES, ScaleKind.SINGLE_RATES)


@dataclass(frozen=True)
class Bracket:
    """One bracket of a scale: its rate or amount and its edges. The first bracket's lower edge is 0 (included) where
    the drafter wrote none; the last bracket has no upper edge (None). `value` is the rate as a share (2% is 1/50)."""

    value: Fraction
    lower: Fraction
    lower_included: bool
    upper: Fraction | None
    upper_included: bool
    span: Span

    def holds(self, base: Fraction) -> bool:
        """Whether `base` falls in this bracket (the checker's and the explanation's reading)."""
        above = base > self.lower or (base == self.lower and self.lower_included)
        below = self.upper is None or base < self.upper or (base == self.upper and self.upper_included)
        return above and below


@dataclass(frozen=True)
class Scale:
    """A checked scale: "Scale the contribution scale, marginal rates: 2% up to 6,000 EUR; ...". `base` is the type
    of its thresholds (and of what it is applied to), `value` the type of its rates or amounts, `result` the type it
    gives. A base below the first bracket falls in none, and the scale gives zero."""

    ident: str
    label: str
    kind: ScaleKind
    brackets: tuple[Bracket, ...]
    base: Type
    value: Type
    result: Type
    span: Span

    @property
    def brackets_values(self) -> tuple[tuple[Fraction, Fraction, bool, Fraction | None, bool], ...]:
        """The brackets without their positions: what two versions of a scale are compared by."""
        return tuple((b.value, b.lower, b.lower_included, b.upper, b.upper_included) for b in self.brackets)


@dataclass(frozen=True)
class ScaleApplied:
    """ "the contribution scale applied to the salary": the scale is carried whole, so that every backend reads it
    from the expression."""

    scale: Scale
    base: Expr
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


@dataclass(frozen=True)
class Members:
    """A group of roles of the case read as one list, its roles one after the other ("the members": the adults,
    then the children): the source of a quantifier, count or aggregate. Not a fact: a case does not give it."""

    group: str  # the group's field ident: "members"
    roles: tuple[Expr, ...]  # the role lists (FieldRefs), in the group's order
    type: Type  # Type(Kind.LIST, "Person")
    span: Span


@dataclass(frozen=True)
class InRole:
    """ "the person is a child": whether the record `subject` is one of the records of the list `role`."""

    subject: Expr
    role: Expr  # the FieldRef of the role's list ("is not a child": a NotE around it)
    span: Span
    type: Type = BOOL


Expr = (
    Lit
    | EnumLit
    | ParamRef
    | RootRef
    | VarRef
    | FieldRef
    | DefRef
    | InputRef
    | Call
    | Arith
    | ScaleApplied
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
    | Members
    | InRole
)

# Atoms are the leaves a trace records: comparisons, tests, and yes/no facts used as conditions.
ATOMS = (Cmp, OneOf, Within, Known, Quant, DefRef, FieldRef, ParamRef, InRole)
