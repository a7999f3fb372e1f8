"""Where comparing two durations hangs on how long a month is, the drafter must say how to count it.

Durations compare by their total days, a month counting 30 days (docs/language.md, section 10). That is a choice,
not the calendar: `6 months` is less than `181 days` at 30 days to the month, but from 1 January six calendar months
are exactly 181 days and from 1 July 184. So where a duration that may hold months meets one that may hold days (in
a comparison or in `the lesser of` / `the greater of`), the checker refuses to choose silently, as Catala refuses
ambiguous date arithmetic: the drafter writes `counting a month as 30 days`, or compares the dates the durations
reach. The units a duration may hold are found from the expression alone: a case's fact or a definition may hold
either (a case can give `2 years` or `730 days`).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum

from compiler import values
from compiler.frontend import syntax as s
from compiler.model import ir
from compiler.model.kinds import Kind


class Unit(Enum):
    MONTHS = "months"
    DAYS = "days"


Units = frozenset[Unit]
EITHER: Units = frozenset({Unit.MONTHS, Unit.DAYS})
NONE: Units = frozenset()


def units(e: ir.Expr, parameters: Mapping[str, ir.Value]) -> Units:
    """The units a duration expression may hold: months, days, both, or neither (a zero)."""
    match e:
        case ir.Lit(value=ir.Duration() as value):
            return _of_value(value)
        case ir.ParamRef(ident=ident) if isinstance(parameters.get(ident), ir.Duration):
            stated = parameters[ident]
            assert isinstance(stated, ir.Duration)
            return _of_value(stated)
        case ir.Arith(op=op, left=left, right=right):
            return _arith(op, left, right, parameters)
        case ir.Round(operand=operand, unit=unit):
            if unit in {"months", "years"}:
                return frozenset({Unit.MONTHS})
            inner = units(operand, parameters)
            return inner | {Unit.DAYS} if Unit.MONTHS in inner else inner
        case ir.MinMax(left=left, right=right):
            return units(left, parameters) | units(right, parameters)
        case ir.Agg(kind="total", value=value):
            return units(value, parameters)
        case _:
            return EITHER  # a case's fact, a definition, the greatest of a list: as the case gives it


def _arith(op: str, left: ir.Expr, right: ir.Expr, parameters: Mapping[str, ir.Value]) -> Units:
    if left.type.kind is right.type.kind is Kind.DATE:
        return frozenset({Unit.DAYS})
    if left.type.kind is right.type.kind is Kind.DURATION:
        return units(left, parameters) | units(right, parameters)
    operand = units(left if left.type.kind is Kind.DURATION else right, parameters)
    if op in {"*", "/"} and Unit.MONTHS in operand:
        return operand | {Unit.DAYS}  # a part of a month left over becomes days
    return operand


def _of_value(value: ir.Duration) -> Units:
    return frozenset(unit for unit, amount in ((Unit.MONTHS, value.months), (Unit.DAYS, value.days)) if amount != 0)


def depends_on_month_length(left: ir.Expr, right: ir.Expr, parameters: Mapping[str, ir.Value]) -> bool:
    """True when one side may hold months and the other days: the order of the two hangs on a month's length."""
    if left.type.kind is not Kind.DURATION or right.type.kind is not Kind.DURATION:
        return False
    a, b = units(left, parameters), units(right, parameters)
    return (Unit.MONTHS in a and Unit.DAYS in b) or (Unit.DAYS in a and Unit.MONTHS in b)


def described(e: ir.Expr, parameters: Mapping[str, ir.Value]) -> str:
    """What a message calls a duration it has no words for: by the units it may hold."""
    found = units(e, parameters)
    if found == frozenset({Unit.DAYS}):
        return "a duration in days"
    if found == frozenset({Unit.MONTHS}):
        return "a duration in months"
    return "a duration that may be in months or days"


def readings_hint(left_words: str, right_words: str) -> str:
    """The two ways to say it, each with what it means."""
    return (
        f"say 'counting a month as 30 days' after it (then 6 months is less than 181 days), or compare the dates "
        f"they reach, as in 'the start date plus {left_words} is before the start date plus {right_words}' "
        f"(then a month is a calendar month, 28 to 31 days)"
    )


def month_length_unstated(
    words: s.Expr, left: ir.Expr, right: s.Expr | None, e: ir.Expr, parameters: Mapping[str, ir.Value]
) -> tuple[str, str] | None:
    """The message and hint for a comparison (or lesser / greater) `e` that hangs on how long a month is, or None.
    `words` and `right` are the drafter's syntax of its two sides, for the message."""
    match e:
        case ir.Cmp(right=other) | ir.MinMax(right=other):
            others = [other]
        case ir.Within(low=low, high=high):
            others = [v for v in (low, high) if v is not None]
        case ir.OneOf(values=values):
            others = list(values)
        case _:
            others = []
    if isinstance(e, ir.MinMax):
        left = e.left
    for other in others:
        if depends_on_month_length(left, other, parameters):
            first = _shown(words, described(left, parameters))
            second = _shown(right, described(other, parameters))
            return f"comparing {first} with {second}: the answer depends on how long a month is", readings_hint(
                first, second
            )
    return None


def compared(t: s.IsTest) -> s.Expr | None:
    """What "<left> is ..." compares its left side with, for a message."""
    match t:
        case s.IsEqual(value=value) | s.IsCompared(value=value):
            return value
        case s.IsBetween(low=low):
            return low
        case s.IsOneOf(values=values):
            return values[0]
        case _:
            return None


def _shown(e: s.Expr | None, otherwise: str) -> str:
    """A duration as the drafter wrote it, for a message: "the time left", "181 days"."""
    if isinstance(e, s.Ref):
        return f"the {e.name.text}"
    if isinstance(e, s.DurationLit):
        return ir.Duration(e.months, e.days).text
    return otherwise


def ordering_hangs_on_month(value: ir.Expr, parameters: Mapping[str, ir.Value]) -> bool:
    """True when the values of `value`, one for each element of a list, may be some in months and some in days: then
    which of them is the greatest (or least) hangs on how long a month is."""
    found = units(value, parameters)
    return value.type.kind is Kind.DURATION and Unit.MONTHS in found and Unit.DAYS in found


def ratio_hangs_on_month(left: ir.Expr, right: ir.Expr, parameters: Mapping[str, ir.Value]) -> bool:
    """True when a duration divided by a duration mixes months and days: (m1 L + d1) / (m2 L + d2) moves with the
    month's length L unless both sides are in months only or both in days only."""
    if left.type.kind is not Kind.DURATION or right.type.kind is not Kind.DURATION:
        return False
    found = units(left, parameters) | units(right, parameters)
    return Unit.MONTHS in found and Unit.DAYS in found


def order_hangs_on_month(a: ir.Duration, b: ir.Duration) -> bool:
    """Whether the duration `a` is at most `b` has one answer at 30 days to the month and another with calendar
    months (28 to 31 days each): the rule of compiler/values.py, which the generated case reader applies to a case's
    value."""
    return values.order_hangs_on_month(values.Duration(a.months, a.days), values.Duration(b.months, b.days))
