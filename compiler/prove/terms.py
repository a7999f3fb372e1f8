"""What an expression becomes in the solver: a value, whether evaluating it raises no error, whether it is given.

`ok` is false where the evaluator would stop with an error (a missing fact used, a conflict, a value no rule
decides, a division by zero, the greatest of an empty list); `present` is false where an optional value is missing.
A duration is (months, days), compared as 30 * months + days; a period is (first day, last day); a citation the
provisions it names, each (article, sub-article, suffix, part) whole numbers, part 0 for a whole article (a case's
offence names one; a list in the statute several, known when the statute is checked).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any, assert_never

import z3

from compiler.frontend.diagnostics import Span
from compiler.model.kinds import Kind
from compiler.prove.calendar import Z3

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


class Unsupported(Exception):
    """A construct the encoder does not translate; the check that needs it is reported as not proved."""

    def __init__(self, span: Span, what: str) -> None:
        super().__init__(f"line {span.line} ({what})")
        self.line = span.line
        self.what = what


class Sort(enum.Enum):
    """What a term is in the solver: a type's kind as z3 holds it (numbers and money alike are reals)."""

    BOOL = "bool"
    INT = "int"
    REAL = "real"
    DATE = "date"  # the day's ordinal
    DURATION = "duration"  # (months, days)
    TEXT = "text"
    PERIOD = "period"  # (first day, last day)
    ENUM = "enum"  # the value's rank, from 1
    RECORD = "record"
    LIST = "list"
    CITATION = "citation"  # a tuple of (article, sub-article, suffix, part) items


def sort_of(kind: Kind) -> Sort:
    match kind:
        case Kind.BOOL:
            return Sort.BOOL
        case Kind.INT:
            return Sort.INT
        case Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE:
            return Sort.REAL
        case Kind.DATE:
            return Sort.DATE
        case Kind.DURATION:
            return Sort.DURATION
        case Kind.TEXT:
            return Sort.TEXT
        case Kind.PERIOD:
            return Sort.PERIOD
        case Kind.ENUM:
            return Sort.ENUM
        case Kind.RECORD:
            return Sort.RECORD
        case Kind.LIST:
            return Sort.LIST
        case Kind.CITATION:
            return Sort.CITATION
        case _:
            assert_never(kind)


@dataclass(frozen=True)
class Term:
    sort: Sort
    value: Any  # a z3 term; (months, days) for a duration; (first, last) for a period; RecordVars or ListVars
    ok: Z3 = TRUE
    present: Z3 = TRUE

    @property
    def usable(self) -> Z3:
        """Evaluates without error and is given: what an operation on the value needs."""
        return z3.And(self.ok, self.present)


def total_days(duration: tuple[Z3, Z3]) -> Z3:
    return 30 * duration[0] + duration[1]


def ordering_key(t: Term) -> Z3:
    return total_days(t.value) if t.sort is Sort.DURATION else t.value


def equal(a: Term, b: Term) -> Z3:
    match a.sort:
        case Sort.DURATION:
            return total_days(a.value) == total_days(b.value)
        case Sort.PERIOD:
            return z3.And(a.value[0] == b.value[0], a.value[1] == b.value[1])
        case Sort.CITATION:  # the same provisions: each item of one is an item of the other (repeats aside)
            return z3.And(_items_among(a.value, b.value), _items_among(b.value, a.value))
        case Sort.BOOL | Sort.INT | Sort.REAL | Sort.DATE | Sort.TEXT | Sort.ENUM | Sort.RECORD | Sort.LIST:
            return a.value == b.value
        case _:
            assert_never(a.sort)


def choose(condition: Z3, then: Term, other: Term) -> Term:
    """The value `then` where `condition` holds, else `other` (both of one kind)."""
    value: Any
    match then.sort:
        case Sort.DURATION | Sort.PERIOD:  # pairs
            value = tuple(z3.If(condition, x, y) for x, y in zip(then.value, other.value, strict=True))
        case Sort.CITATION:  # the shorter padded with its last item again: a repeat names nothing more
            width = max(len(then.value), len(other.value))
            padded = [(*v, *(v[-1:] * (width - len(v)))) for v in (then.value, other.value)]
            value = tuple(
                tuple(z3.If(condition, x, y) for x, y in zip(p, q, strict=True)) for p, q in zip(*padded, strict=True)
            )
        case Sort.BOOL | Sort.INT | Sort.REAL | Sort.DATE | Sort.TEXT | Sort.ENUM | Sort.RECORD | Sort.LIST:
            value = z3.If(condition, then.value, other.value)
        case _:
            assert_never(then.sort)
    return Term(then.sort, value, z3.If(condition, then.ok, other.ok), z3.If(condition, then.present, other.present))


def placeholder(sort: Sort) -> Term:
    """A value of the right sort for where none exists (a missing or undecided value); only `ok`/`present` matter."""
    zero: Any
    match sort:
        case Sort.BOOL:
            zero = FALSE
        case Sort.REAL:
            zero = z3.RealVal(0)
        case Sort.TEXT:
            zero = z3.StringVal("")
        case Sort.DURATION | Sort.PERIOD:
            zero = (z3.IntVal(0), z3.IntVal(0))
        case Sort.CITATION:
            zero = ((z3.IntVal(0),) * 4,)
        case Sort.INT | Sort.DATE | Sort.ENUM | Sort.RECORD | Sort.LIST:
            zero = z3.IntVal(0)
        case _:
            assert_never(sort)
    return Term(sort, zero)


def _items_among(items: tuple[Any, ...], others: tuple[Any, ...]) -> Z3:
    return z3.And(*(z3.Or(*(z3.And(*(x == y for x, y in zip(i, o, strict=True))) for o in others)) for i in items))


def within(inner: Term, outer: list[Term]) -> Z3:
    """Every provision `inner` names is one an `outer` names: the same article (number, sub-article, suffix) and
    the same part, or an outer item that is the whole article (part 0)."""
    options = [item for term in outer for item in term.value]
    return z3.And(
        *(
            z3.Or(*(z3.And(x[0] == o[0], x[1] == o[1], x[2] == o[2], z3.Or(o[3] == 0, x[3] == o[3])) for o in options))
            for x in inner.value
        )
    )


def to_real(x: Z3) -> Z3:
    return z3.ToReal(x) if z3.is_int(x) else x


def to_int(x: Z3) -> Z3:
    return x if z3.is_int(x) else z3.ToInt(x)
