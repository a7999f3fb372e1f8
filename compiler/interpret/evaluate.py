"""Expressions of the checked model, walked one node at a time (docs/language.md sections 8 to 10).

Conditions are tested left to right and stop as soon as their result is known: `A and B` does not look at B when A
fails, `any charge ...` stops at the first charge that passes. So a fact the case does not give stops a decision
only where it is needed (section 7: "test the fact first"). Values that must be known and are not raise Undecided,
naming the definition being decided.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Protocol, assert_never

from compiler.interpret.errors import Undecided
from compiler.interpret.read import enum_values, model_value
from compiler.interpret.scales import apply_scale
from compiler.interpret.values import (
    Cited,
    Day,
    Duration,
    EnumValue,
    Money,
    OutsideCalendar,
    Period,
    Record,
    round_duration,
    round_places,
    round_whole,
)
from compiler.model import ir
from compiler.model.kinds import Kind

_PLACES = {"cents": 2, "units": 0}


class Definitions(Protocol):
    """What expressions need from the decision under way: the value of a definition (decide.py)."""

    def definition(self, ident: str, subject: Record | None) -> object: ...


@dataclass(frozen=True)
class Scope:
    """Where an expression is evaluated: the definition being decided (for messages), its record for a record's
    definition ("a charge is ..."), and the elements quantifiers and aggregates are looking at."""

    definition: str
    subject: Record | None = None
    elements: dict[str, Record] = field(default_factory=dict)
    inputs: dict[str, object] = field(default_factory=dict)  # inside a formula: its inputs' values

    def binding(self, var: str, element: Record) -> Scope:
        return Scope(self.definition, self.subject, {**self.elements, var: element}, self.inputs)


@dataclass(frozen=True)
class Evaluator:
    checked: ir.Checked
    case: Record
    definitions: Definitions

    # ---------------------------------------------------------------- values

    def value(self, e: ir.Expr, scope: Scope) -> object:
        """The value of `e`, which must be known."""
        found = self.maybe(e, scope)
        if found is None:
            raise Undecided(scope.definition, f"{self.checked.words(e.span) or 'a fact'} is not given")
        return found

    def maybe(self, e: ir.Expr, scope: Scope) -> object | None:
        """The value of `e`; None for a missing optional fact or an undecided optional definition."""
        match e:
            case ir.Lit():
                return model_value(self.checked, e.value, e.type)
            case ir.EnumLit():
                return next(v for v in enum_values(self.checked, e.enum) if v.ident == e.value)
            case ir.ParamRef():
                p = self.checked.parameter(e.ident)
                return model_value(self.checked, p.value, p.type)
            case ir.RootRef():
                return self.case
            case ir.VarRef():
                return scope.elements.get(e.var, scope.subject)
            case ir.FieldRef():
                record = self.value(e.subject, scope)
                assert isinstance(record, Record)
                return record.facts[e.field]
            case ir.DefRef():
                subject = None if e.subject is None else self.value(e.subject, scope)
                assert subject is None or isinstance(subject, Record)
                return self.definitions.definition(e.definition, subject)
            case ir.InputRef():
                return scope.inputs[e.input]
            case ir.Call():
                return self.formula(e.formula, [self.value(a, scope) for a in e.args], scope.definition)
            case ir.Arith():
                return self._arith(e, self.value(e.left, scope), self.value(e.right, scope))
            case ir.Round():
                return _rounded(e, self.value(e.operand, scope))
            case ir.ScaleApplied():
                return apply_scale(e.scale, self.value(e.base, scope))
            case ir.MinMax():
                left, right = self.value(e.left, scope), self.value(e.right, scope)
                if e.kind == "least":
                    return right if less(right, left) else left
                return right if less(left, right) else left
            case ir.CountE():
                return len(self._chosen(e.source, e.var, e.where, scope))
            case ir.Agg():
                return self._aggregate(e, scope)
            case ir.Members():  # the group's roles, one after the other
                return tuple(r for role in e.roles for r in self._elements(role, scope))
            case (
                ir.Cmp()
                | ir.OneOf()
                | ir.Within()
                | ir.Known()
                | ir.And()
                | ir.Or()
                | ir.NotE()
                | ir.Quant()
                | ir.InRole()
            ):
                return self.holds(e, scope)
        assert_never(e)

    def formula(self, ident: str, args: list[object], definition: str) -> object:
        """A formula's value for these inputs: the value of its first case whose condition holds (the last has
        none). `definition` is the one being decided, for messages."""
        formula = self.checked.formula(ident)
        inner = Scope(definition, inputs={i.ident: v for i, v in zip(formula.inputs, args, strict=True)})
        for case in formula.cases:
            if case.condition is None or self.holds(case.condition, inner):
                return self.value(case.value, inner)
        raise AssertionError(f"the last case of {formula.label} has a condition")  # the checker forbids it

    def _arith(self, e: ir.Arith, left: object, right: object) -> object:
        try:
            return arithmetic(e.op, left, right)
        except OutsideCalendar:
            assert isinstance(left, Day | Duration) and isinstance(right, Day | Duration)
            day, moved = (left, right) if isinstance(left, Day) else (right, left)
            assert isinstance(day, Day) and isinstance(moved, Duration)
            moved = -moved if e.op == "-" else moved
            reason = f"{day.iso()} plus {moved.text()} falls outside the calendar (years 1 to 9999)"
            raise Undecided("date", reason) from None

    def _elements(self, source: ir.Expr, scope: Scope) -> tuple[Record, ...]:
        records = self.value(source, scope)
        assert isinstance(records, tuple)
        return records

    def _chosen(self, source: ir.Expr, var: str, where: ir.Expr | None, scope: Scope) -> list[Scope]:
        """The scope of each element of the list `source` that `where` lets through, in the list's order."""
        inner = [scope.binding(var, element) for element in self._elements(source, scope)]
        return [s for s in inner if where is None or self.holds(where, s)]

    def _aggregate(self, e: ir.Agg, scope: Scope) -> object:
        values = []
        for inner in [scope.binding(e.var, element) for element in self._elements(e.source, scope)]:
            if e.where is None or self.holds(e.where, inner):  # the where first, then the value, element by element
                values.append(self.value(e.value, inner))
        if e.kind == "total":
            total = zero(e.type.kind)
            for v in values:
                total = arithmetic("+", total, v)
            return total
        if not values:
            raise Undecided(scope.definition, f"{self.checked.words(e.span)}: there are none")
        best = values[0]
        for v in values[1:]:  # the first of equal values is kept
            if less(best, v) if e.kind == "greatest" else less(v, best):
                best = v
        return best

    # ---------------------------------------------------------------- conditions

    def holds(self, e: ir.Expr, scope: Scope) -> bool:
        match e:
            case ir.And():
                return all(self.holds(item, scope) for item in e.items)
            case ir.Or():
                return any(self.holds(item, scope) for item in e.items)
            case ir.NotE():
                return not self.holds(e.operand, scope)
            case ir.Lit() if isinstance(e.value, bool):
                return e.value
            case ir.Cmp():
                return compare(e.op, self.value(e.left, scope), self.value(e.right, scope))
            case ir.OneOf():
                operand = self.value(e.operand, scope)
                options = [self.value(v, scope) for v in e.values]
                if isinstance(operand, Cited):  # every provision it names is one the options name
                    return operand.within(*(o for o in options if isinstance(o, Cited))) != e.negated
                return any(compare("==", operand, o) for o in options) != e.negated
            case ir.Within():
                return self._within(e, scope) != e.negated
            case ir.Known():
                return (self.maybe(e.operand, scope) is None) == e.negated
            case ir.Quant():
                return self._quantified(e, scope)
            case ir.InRole():  # the very record, not one with the same facts
                subject = self.value(e.subject, scope)
                return any(r is subject for r in self._elements(e.role, scope))
        found = self.value(e, scope)  # a yes/no fact, definition or parameter
        assert isinstance(found, bool)
        return found

    def _within(self, e: ir.Within, scope: Scope) -> bool:
        if e.period is not None:
            day = self.value(e.operand, scope)
            period = self.value(e.period, scope)
            assert isinstance(period, Period)
            return compare("<=", period.start, day) and compare("<=", day, period.end)
        assert e.low is not None and e.high is not None
        low = self.value(e.low, scope)
        operand = self.value(e.operand, scope)
        return compare("<=", low, operand) and compare("<=", operand, self.value(e.high, scope))

    def _quantified(self, e: ir.Quant, scope: Scope) -> bool:
        passes: Callable[[Record], bool] = lambda element: self.holds(e.body, scope.binding(e.var, element))  # noqa: E731
        elements = self._elements(e.source, scope)
        match e.kind:
            case "any":
                return any(passes(x) for x in elements)
            case "every":
                return all(passes(x) for x in elements)
            case "no":
                return not any(passes(x) for x in elements)
        raise AssertionError(f"unknown quantifier {e.kind!r}")


# ------------------------------------------------------------------ operations on values


def _key(value: object) -> object:
    """What values of one kind are compared by: amounts, days, a duration's length (a month counting 30 days),
    an enumeration value's place in the declared order."""
    match value:
        case Money():
            return value.amount
        case Day():
            return value.ordinal
        case Duration():
            return value.total_days
        case EnumValue():
            return (value.enum, value.position)
    return value


def compare(op: str, left: object, right: object) -> bool:
    a, b = _key(left), _key(right)
    match op:
        case "==":
            return bool(a == b)
        case "!=":
            return bool(a != b)
        case "<":
            return bool(a < b)  # type: ignore[operator]
        case "<=":
            return bool(a <= b)  # type: ignore[operator]
        case ">":
            return bool(a > b)  # type: ignore[operator]
        case ">=":
            return bool(a >= b)  # type: ignore[operator]
    raise AssertionError(f"unknown comparison {op!r}")


def less(left: object, right: object) -> bool:
    return compare("<", left, right)


def same(left: object, right: object) -> bool:
    """Whether two rules' values (or an example's expected value and the decided one) agree: both undecided, or
    the same value exactly; a duration by its months and days, so "6 months" is not "180 days" (docs/language.md
    section 7, conflicts)."""
    if left is None or right is None:
        return left is None and right is None
    if isinstance(left, Duration) and isinstance(right, Duration):
        return left.months == right.months and left.days == right.days
    return compare("==", left, right)


def arithmetic(op: str, left: object, right: object) -> object:
    """`left op right` for the kinds the checker lets combine (docs/language.md section 10)."""
    match op, left, right:
        case "+", Day(), Duration():
            return left.plus(right)
        case "+", Duration(), Day():
            return right.plus(left)
        case "-", Day(), Duration():
            return left.plus(-right)
        case "-", Day(), Day():
            return left.minus(right)
        case "+", Duration(), Duration():
            return left.plus(right)
        case "-", Duration(), Duration():
            return left.minus(right)
        case "/", Duration(), Duration():
            return Fraction(left.total_days) / right.total_days
        case "years" | "months" | "weeks" | "days", Day(), Day():
            return left.whole_units_to(op, right)
        case "*", Duration(), int() | Fraction():
            return left.times(right)
        case "*", int() | Fraction(), Duration():
            return right.times(left)
        case "/", Duration(), int() | Fraction():
            return left.times(1 / Fraction(right))
        case "+", Money(), Money():
            return Money(left.amount + right.amount)
        case "-", Money(), Money():
            return Money(left.amount - right.amount)
        case "/", Money(), Money():
            return left.amount / right.amount
        case "*", Money(), int() | Fraction():
            return Money(left.amount * right)
        case "*", int() | Fraction(), Money():
            return Money(left * right.amount)
        case "/", Money(), int() | Fraction():
            return Money(left.amount / Fraction(right))
        case _, int() | Fraction(), int() | Fraction():
            return _numbers(op, left, right)
    raise AssertionError(f"cannot work out {left!r} {op} {right!r}")


def _numbers(op: str, left: int | Fraction, right: int | Fraction) -> int | Fraction:
    match op:
        case "+":
            return left + right
        case "-":
            return left - right
        case "*":
            return left * right
        case "/":
            return Fraction(left) / right  # a whole number divided by another is a decimal
    raise AssertionError(f"unknown operator {op!r}")


def zero(kind: Kind) -> object:
    """The total of nothing."""
    match kind:
        case Kind.DURATION:
            return Duration.of(0, 0)
        case Kind.MONEY:
            return Money(Fraction(0))
        case Kind.INT | Kind.NUMBER | Kind.PERCENTAGE:
            return 0
        case Kind.BOOL | Kind.DATE | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            raise AssertionError(f"{kind.value} has no total")
        case _:
            assert_never(kind)


def _rounded(e: ir.Round, value: object) -> object:
    places = int(e.unit.removeprefix("places:")) if e.unit.startswith("places:") else _PLACES.get(e.unit, 0)
    match value:
        case Duration():
            return round_duration(value, e.unit, e.mode)
        case Money():
            return Money(round_places(value.amount, places, e.mode))
        case int() | Fraction() if e.type.kind is Kind.INT:
            return round_whole(value, e.mode)
        case int() | Fraction():
            return round_places(value, places, e.mode)
    raise AssertionError(f"cannot round {value!r}")
