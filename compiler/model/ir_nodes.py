"""The checked model's types, values and expressions: every expression typed, with the Span of the drafter's words.

compiler/model/ir.py re-exports every name here, so a pass reads `ir.Arith` and `ir.Type`; this module is apart only to
keep each part of the model under 400 lines."""

from __future__ import annotations

import datetime
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
    | InputRef
    | Call
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
