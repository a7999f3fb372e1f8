"""The edges that matter for each fact of a case: the values a rule, a default or a guarantee compares it with.

A fact compared with a constant ("the age at the act is at least 18", "the act date is within the events period",
"the days owned is at least the two-year period") gets that constant and its neighbours one unit either side (a day,
a cent, one): 17, 18, 19; 3 January, 4 January, 7 January, 8 January 2022. A fact inside a calculation compared with
a constant gets the constant too, when it is of the same kind ("the sentence start plus the reduced sentence is on
or before the entry into force date plus the release threshold" gives the sentence start 2 November 2023 and its
neighbours). A list counted against a number ("the number of charges is at least 2") gets room for one more record
than that number. An enumeration value tested alone ("the stage is serving sentence") is an edge, with its
neighbours for an ordering ("at least grave": medium, grave, especially grave); a test of several values at once
("is one of ...") is not. The declared bounds of a fact are edges too. Strategies (properties.py) draw about half
of their values from the edges.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import assert_never

from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import Node, walk
from compiler.values import CalendarError, Duration, add_to_date

FieldKey = tuple[str, str]  # (record ident, field ident)


@dataclass
class Edges:
    """The edges found for each fact, and the longest list each list fact needs."""

    values: dict[FieldKey, set[ir.Value]] = field(default_factory=dict)
    enums: dict[FieldKey, set[str]] = field(default_factory=dict)  # enumeration value idents
    counts: dict[FieldKey, int] = field(default_factory=dict)
    reads: dict[str, tuple[ir.FieldRef, ...]] = field(default_factory=dict)  # the facts each definition's values read

    def of(self, key: FieldKey) -> set[ir.Value]:
        return self.values.get(key, set())


def find_edges(checked: ir.Checked) -> Edges:
    edges = Edges()
    for e in _expressions(checked):
        for node in walk(e):
            _comparison(checked, node, edges)
    for g in checked.guarantees:
        if g.derived_from is not None:
            # "the grant is never 4 or 3 or ...": a test of constants, nothing inside to walk, and in a chain of
            # exceptions as long as the chain for each of them
            _comparison(checked, g.conclusion, edges)
    return edges


def neighbours(value: ir.Value, kind: Kind, places: int) -> list[ir.Value]:
    """`value` and the values one unit either side of it, in its kind."""
    if not fits(value, kind):
        return [value]
    match kind:
        case Kind.INT:
            return [value - 1, value, value + 1] if isinstance(value, int) else [value]
        case Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE:
            assert isinstance(value, int | Fraction)
            step = Fraction(1, 10**places)
            return [Fraction(value) - step, Fraction(value), Fraction(value) + step]
        case Kind.DATE:
            assert isinstance(value, datetime.date)
            out: list[ir.Value] = [value]
            if value > datetime.date.min:
                out.insert(0, value - datetime.timedelta(days=1))
            if value < datetime.date.max:
                out.append(value + datetime.timedelta(days=1))
            return out
        case Kind.DURATION:
            assert isinstance(value, ir.Duration)
            total = value.total_days
            return [ir.Duration(0, total - 1), value, ir.Duration(0, total), ir.Duration(0, total + 1)]
        case Kind.BOOL | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            return [value]
        case _:
            assert_never(kind)


# ------------------------------------------------------------------ where comparisons are


def _expressions(checked: ir.Checked) -> Iterator[ir.Expr]:
    for d in checked.definitions:
        if d.default is not None:
            yield d.default
        for r in d.rules:
            if r.condition is not None:
                yield r.condition
            yield r.value
    for g in checked.guarantees:
        if g.premise is not None:
            yield g.premise
        if g.derived_from is None:  # a derived one's conclusion is looked at alone (find_edges)
            yield g.conclusion


def _facts(checked: ir.Checked, e: ir.Expr, reads: dict[str, tuple[ir.FieldRef, ...]]) -> Iterator[ir.FieldRef]:
    """The facts of a case that `e` reads, directly, inside a calculation, or through the values of the definitions
    it uses ("the gravest gravity" is "the greatest gravity among the charges": the gravity of a charge)."""
    for node in walk(e):
        if isinstance(node, ir.FieldRef):
            yield node
        elif isinstance(node, ir.DefRef):
            yield from _read_by(checked, node.definition, reads)


def _read_by(checked: ir.Checked, ident: str, reads: dict[str, tuple[ir.FieldRef, ...]]) -> tuple[ir.FieldRef, ...]:
    """The facts the values of a definition's rules read, found once per definition: the guarantees derived from
    each of 3,000 exceptions of a chain all name the same definition, whose 3,000 rules were walked for each."""
    if ident not in reads:
        reads[ident] = ()  # reached again through itself (the checker refuses such cycles): nothing more
        rules = checked.definition(ident).rules
        reads[ident] = tuple(fact for r in rules for fact in _facts(checked, r.value, reads))
    return reads[ident]


def _comparison(checked: ir.Checked, node: Node, edges: Edges) -> None:
    if isinstance(node, ir.Cmp):
        for side, other in ((node.left, node.right), (node.right, node.left)):
            if isinstance(other, ir.EnumLit):
                _add_enum(checked, edges, side, other, ordered=node.op not in {"==", "!="})
                continue
            value = constant(checked, other)
            if value is None:
                continue
            if isinstance(side, ir.CountE) and isinstance(value, int) and isinstance(side.source, ir.FieldRef):
                key = (side.source.record, side.source.field)
                edges.counts[key] = max(edges.counts.get(key, 0), value + 1)
            _add(checked, edges, side, [value])
            _whole_units(checked, edges, side, value)
    elif isinstance(node, ir.OneOf):
        _add(checked, edges, node.operand, (constant(checked, v) for v in node.values))
    elif isinstance(node, ir.Within):
        ends = [node.low, node.high] if node.period is None else [node.period]
        values: list[ir.Value | None] = []
        for end in ends:
            value = None if end is None else constant(checked, end)
            values += [value.start, value.end] if isinstance(value, ir.Period) else [value]
        _add(checked, edges, node.operand, values)


def _add(checked: ir.Checked, edges: Edges, side: ir.Expr, values: Iterable[ir.Value | None]) -> None:
    facts = list(_facts(checked, side, edges.reads))
    if not facts:
        return  # the values are not even worked out ("the grant is never 1 or 2 or ...", of each exception)
    values = list(values)
    for fact in facts:
        for value in values:
            if value is not None and fits(value, fact.type.kind):
                edges.values.setdefault((fact.record, fact.field), set()).add(value)


_UNIT_AS_DURATION = {"years": (12, 0), "months": (1, 0), "weeks": (0, 7), "days": (0, 1)}


def _whole_units(checked: ir.Checked, edges: Edges, side: ir.Expr, value: ir.Value) -> None:
    """ "the whole years from the birth date to 2 November 2022 is at least 18": the day on which the count turns,
    2 November 2004, is an edge of the birth date (and likewise of an end date counted from a fixed start)."""
    if not (isinstance(side, ir.Arith) and side.op in ir.WHOLE_UNITS) or not isinstance(value, int):
        return
    months, days = _UNIT_AS_DURATION[side.op]
    for fixed, moving, sign in ((side.left, side.right, 1), (side.right, side.left, -1)):
        day = constant(checked, fixed)
        if isinstance(day, datetime.date):
            try:
                turn = add_to_date(day, Duration(sign * value * months, sign * value * days))
            except (CalendarError, ValueError, OverflowError):  # the count turns outside the calendar: no edge
                continue
            _add(checked, edges, moving, [turn])


def _add_enum(checked: ir.Checked, edges: Edges, side: ir.Expr, value: ir.EnumLit, ordered: bool) -> None:
    """An enumeration value tested alone ("the stage is serving sentence"), and for an ordering ("at least
    grave") the values either side of it."""
    order = [v.ident for v in checked.enum(value.enum).values]
    k = order.index(value.value)
    chosen = order[max(0, k - 1) : k + 2] if ordered else [value.value]
    for fact in _facts(checked, side, edges.reads):
        if fact.type.kind is Kind.ENUM and fact.type.name == value.enum:
            edges.enums.setdefault((fact.record, fact.field), set()).update(chosen)


def fits(value: ir.Value, kind: Kind) -> bool:
    """Whether a constant of the statute can be a value of a fact of this kind (a whole number is a number too, an
    amount of money is written as a number; an enumeration's constants are found apart, by `_add_enum`)."""
    match kind:
        case Kind.BOOL:
            return isinstance(value, bool)
        case Kind.INT | Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE:
            return isinstance(value, int | Fraction) and not isinstance(value, bool)
        case Kind.DATE:
            return isinstance(value, datetime.date)
        case Kind.DURATION:
            return isinstance(value, ir.Duration)
        case Kind.TEXT:
            return isinstance(value, str)
        case Kind.CITATION:
            return isinstance(value, CitedProvisions)
        case Kind.ENUM | Kind.PERIOD | Kind.RECORD | Kind.LIST:
            return False
        case _:
            assert_never(kind)


# ------------------------------------------------------------------ constants


def constant(checked: ir.Checked, e: ir.Expr) -> ir.Value | None:
    """The value of `e` when it needs nothing from a case: a literal, a parameter, or arithmetic on them."""
    if isinstance(e, ir.Lit):
        return e.value
    if isinstance(e, ir.ParamRef):
        return checked.parameter(e.ident).value
    if isinstance(e, ir.Arith):
        left, right = constant(checked, e.left), constant(checked, e.right)
        if left is None or right is None:
            return None
        return _arith(e.op, left, right)
    return None


def _arith(op: str, left: ir.Value, right: ir.Value) -> ir.Value | None:
    numbers = (int, Fraction)
    if isinstance(left, bool) or isinstance(right, bool):
        return None
    if isinstance(left, numbers) and isinstance(right, numbers):
        if op == "/":
            return Fraction(left) / right if right else None
        return {"+": left + right, "-": left - right, "*": left * right}.get(op)
    if isinstance(left, ir.Duration) and isinstance(right, ir.Duration) and op in {"+", "-"}:
        sign = 1 if op == "+" else -1
        return ir.Duration(left.months + sign * right.months, left.days + sign * right.days)
    if isinstance(left, ir.Duration) and isinstance(right, datetime.date) and op == "+":
        left, right = right, left
    if isinstance(left, datetime.date) and isinstance(right, ir.Duration) and op in {"+", "-"}:
        sign = 1 if op == "+" else -1
        try:
            return add_to_date(left, Duration(sign * right.months, sign * right.days))
        except (ValueError, OverflowError):
            return None
    if isinstance(left, datetime.date) and isinstance(right, datetime.date) and op == "-":
        return ir.Duration(0, (left - right).days)
    return None
