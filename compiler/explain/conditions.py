"""The drafter's words for each tested condition, with the values the trace recorded written into them.

"the act date of the charge is within the events period" becomes "the act date of the charge (5 January 2022) is
within the events period (from 4 January 2022 to 7 January 2022)": the words come from the statute at the atom's span
(the `atom` of a trace event is its span's start), the values from the trace event, and, inside a calculation such as
"the sentence start plus the reduced sentence", from the case's facts, the statute's parameters and the values the
trace recorded for definitions.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from compiler.backends.python import naming
from compiler.explain.format import Locale, value_text
from compiler.explain.tracetree import Atom
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import children, named_children, walk
from compiler.values import whole_between

_LISTS = (ir.Quant, ir.CountE, ir.Agg)
_LITERALS = (ir.Lit, ir.EnumLit)


class AtomIndex:
    """Every atom of the statute's conditions by its offset, and the lists (quantifiers, aggregates) by theirs."""

    def __init__(self, checked: ir.Checked) -> None:
        self.atoms: dict[int, ir.Expr] = {}
        self.lists: dict[int, int] = {}  # start -> end of each quantifier, count and aggregate
        for definition in checked.definitions:
            for rule in definition.rules:
                if rule.condition is not None:
                    self._condition(rule.condition)
                self._value(rule.value)
            if definition.default is not None:
                self._value(definition.default)

    def inside(self, atom: int, of_list: int) -> bool:
        end = self.lists.get(of_list)
        return end is not None and of_list < atom < end

    def _condition(self, e: ir.Expr) -> None:
        if isinstance(e, ir.And | ir.Or):
            for item in e.items:
                self._condition(item)
        elif isinstance(e, ir.NotE):
            self._condition(e.operand)
        elif isinstance(e, ir.ATOMS):
            self.atoms.setdefault(e.span.start, e)
            self._value(e)
        else:
            self._value(e)

    def _value(self, e: ir.Expr) -> None:
        """Conditions inside values: the `where` of counts and aggregates, the body of quantifiers."""
        if isinstance(e, _LISTS):
            self.lists[e.span.start] = e.span.end
        for name, child in named_children(e):
            if name in _ELEMENT_TESTS:
                self._condition(child)
            else:
                self._value(child)


# What a quantifier, count or aggregate asks of each element: a condition, whose atoms the trace reports per element.
_ELEMENT_TESTS = frozenset({"body", "where"})


def definition_refs(e: ir.Expr) -> Iterator[ir.DefRef]:
    """The definitions a value or an atom uses, outside any list it walks: those inside are used once per element,
    and the trace reports them with the element (so the walk stops at a quantifier, count or aggregate)."""
    for node in walk(e, prune=lambda n: isinstance(n, (*_LISTS, ir.DefRef))):
        if isinstance(node, ir.DefRef):
            yield node


@dataclass(frozen=True)
class Scope:
    """Where a condition is read: the case, the record of a record's definition, the elements being looked at."""

    case: object
    subject: object = None
    bound: Mapping[str, object] = field(default_factory=dict)
    inputs: Mapping[str, object] = field(default_factory=dict)  # inside a formula: its inputs' values

    def with_element(self, var: str, element: object) -> Scope:
        return Scope(self.case, self.subject, {**self.bound, var: element}, self.inputs)

    def fact(self, e: ir.Expr) -> tuple[bool, object]:
        """(found, value) of a fact of the case: a field of the case record, of the subject or of an element."""
        if isinstance(e, ir.RootRef):
            return True, self.case
        if isinstance(e, ir.VarRef):
            if e.var in self.bound:
                return True, self.bound[e.var]
            return self.subject is not None, self.subject
        if isinstance(e, ir.FieldRef):
            found, record = self.fact(e.subject)
            if found and record is not None and hasattr(record, e.field):
                return True, getattr(record, naming.attribute(e.field))
        return False, None


# What the text of a condition needs to look up: a definition's value by its reference, if the trace has it.
DefinitionValue = Callable[[ir.DefRef], tuple[bool, object]]


class Wording:
    """Writes conditions and values in the statute's words, with values inserted, for one explanation."""

    def __init__(
        self, checked: ir.Checked, locale: Locale, work_out: Callable[[ir.Expr], tuple[bool, object]] | None = None
    ) -> None:
        self.checked, self.locale, self.source = checked, locale, checked.source
        # A formula's value where a rule used it, worked out by the decider being explained: (found, value).
        self.work_out = work_out

    def shown(self, value: object, type_: ir.Type) -> str:
        return value_text(value, type_, self.locale)

    def leaf(
        self, e: ir.Expr, negation: ir.NotE | None, scope: Scope, atom: Atom | None, lookup: DefinitionValue
    ) -> str:
        """The words of one atom, negated when `negation` wraps it, with the trace's values written in."""
        if negation is None:
            label = self._label(e)
            if label is not None:
                return label
        start, end = self._extent(negation if negation is not None else e)
        inserts: list[tuple[int, int, str]] = []
        if atom is not None and atom.compare:
            for operand, value in self._operands(e, atom):
                self._annotate(operand, value, True, scope, lookup, inserts)
        elif isinstance(e, ir.Known) and not e.negated:
            found, value = scope.fact(e.operand)
            if found and value is not None:
                inserts.append((e.operand.span.end, 0, f" ({self.shown(value, e.operand.type)})"))
        return self._assemble(start, end, inserts)

    def value(self, e: ir.Expr, result: object, scope: Scope, lookup: DefinitionValue) -> str:
        """A rule's value as the drafter wrote it, with its parts' values and its result: "the sentence (8 years)
        reduced by the amnesty reduction (0.75) rounded down to whole days, that is 2 years"."""
        inserts: list[tuple[int, int, str]] = []
        self._annotate(e, result, True, scope, lookup, inserts)
        return self._assemble(*self._extent(e), inserts)

    def plain(self, e: ir.Expr) -> str:
        return self.checked.words(e.span)

    def phrase(self, e: ir.Expr) -> str:
        """The words of a value with the article before it: "the reduced sentence"."""
        start, end = self._extent(e)
        return " ".join(self.source[start:end].split())

    # ------------------------------------------------------------------ words

    def _label(self, e: ir.Expr) -> str | None:
        """Yes/no facts and predicates read as a sentence about their record: "the charge is proven"."""
        if isinstance(e, ir.DefRef) and e.type.traits.truth_valued:
            definition = self.checked.definition(e.definition)
            if definition.kind == "predicate":
                return _the(definition.label)
        if isinstance(e, ir.FieldRef) and e.type.traits.truth_valued and isinstance(e.subject, ir.RootRef | ir.VarRef):
            record = self.checked.record(e.record)
            label = record.field(e.field).label
            if "is" in label.lower().split():  # named by a whole sentence: "the conviction is expunged"
                return _the(label)
            return f"the {record.label} is {label}"
        return None

    def _extent(self, e: ir.Expr) -> tuple[int, int]:
        """The atom's span, widened to the article word before it ("the" of "the one year test ...")."""
        start = e.span.start
        before = self.source[max(0, start - 4) : start].lower()
        for word in ("the ", "an ", "a "):
            if before.endswith(word) and (start - len(word) == 0 or not self.source[start - len(word) - 1].isalnum()):
                return start - len(word), e.span.end
        return start, e.span.end

    def _operands(self, e: ir.Expr, atom: Atom) -> Iterator[tuple[ir.Expr, object]]:
        if isinstance(e, ir.Cmp):
            yield e.left, atom.left
            yield e.right, atom.right
        elif isinstance(e, ir.OneOf):
            yield e.operand, atom.left
            if len(e.values) == 1:
                yield e.values[0], atom.right[0] if isinstance(atom.right, tuple) else atom.right
        elif isinstance(e, ir.Within):
            yield e.operand, atom.left
            if e.period is not None:
                yield e.period, atom.right
            elif e.low is not None and e.high is not None and isinstance(atom.right, tuple):
                yield e.low, atom.right[0]
                yield e.high, atom.right[1]

    def _annotate(
        self,
        e: ir.Expr,
        value: object,
        known: bool,
        scope: Scope,
        lookup: DefinitionValue,
        inserts: list[tuple[int, int, str]],
    ) -> None:
        """Write `value` after `e`; inside a calculation, also the values of the facts, parameters and definitions
        it is made of."""
        if isinstance(e, _LITERALS):
            return
        if isinstance(e, ir.Arith | ir.MinMax | ir.Round | ir.Call | ir.ScaleApplied):
            for part in children(e):
                found, part_value = self._lookup(part, scope, lookup)
                if not found and isinstance(part, ir.Arith) and part.op in ir.WHOLE_UNITS:
                    found, part_value = self._calculated(part, scope, lookup)  # "the whole days from ..., that is 30"
                if found:
                    self._annotate(part, part_value, True, scope, lookup, inserts)
                elif isinstance(part, ir.Arith | ir.MinMax | ir.Round | ir.Call | ir.ScaleApplied):
                    self._annotate(part, None, False, scope, lookup, inserts)
            if known and isinstance(e, ir.Round):
                self._before_rounding(e, value, scope, lookup, inserts)
            if known:
                inserts.append((e.span.end, 1, f", {self.locale.words['that_is']} {self.shown(value, e.type)}"))
            return
        if known:
            inserts.append((e.span.end, 0, f" ({self.shown(value, e.type)})"))

    def _before_rounding(
        self, e: ir.Round, rounded: object, scope: Scope, lookup: DefinitionValue, inserts: list[tuple[int, int, str]]
    ) -> None:
        """How a rounded value was reached: "the sentence (5 years 1 month) reduced by the amnesty reduction (0.75),
        that is 1 year 3 months 7.5 days, rounded down to whole days, that is 1 year 3 months 7 days". The value
        before rounding is worked out from the values of its parts with the evaluator's own arithmetic (their
        Duration and Fraction operators), and shown only where the rounding changed it. Durations only: an amount of
        money before rounding is a fraction of a cent that reads as "13700000/73 (≈ 187,671.2329) USD"."""
        if not isinstance(e.operand, ir.Arith) or e.type.kind is not Kind.DURATION:
            return
        found, exact = self._calculated(e.operand, scope, lookup)
        if found and exact is not None and _parts(exact) != _parts(rounded):
            that_is = self.locale.words["that_is"]
            inserts.append((e.operand.span.end, 1, f", {that_is} {self.shown(exact, e.operand.type)}"))

    def _calculated(self, e: ir.Expr, scope: Scope, lookup: DefinitionValue) -> tuple[bool, object]:
        if isinstance(e, ir.Lit) and isinstance(e.value, int | Fraction) and not isinstance(e.value, bool):
            return True, e.value
        if not isinstance(e, ir.Arith):
            return self._lookup(e, scope, lookup)
        (left_found, left), (right_found, right) = (self._calculated(part, scope, lookup) for part in (e.left, e.right))
        if not (left_found and right_found) or left is None or right is None:
            return False, None
        try:
            match e.op:
                case "+" | "-" | "*":
                    return True, _ARITHMETIC[e.op](left, right)
                case "/":
                    return True, _ARITHMETIC["/"](left, Fraction(right) if isinstance(right, int) else right)
                case unit if unit in ir.WHOLE_UNITS and isinstance(left, datetime.date):
                    if not isinstance(right, datetime.date):
                        raise TypeError(f"not a date: {right!r}")
                    return True, whole_between(unit, left, right)
                case _:
                    return False, None
        except (ArithmeticError, TypeError, ValueError):  # what the evaluator would have stopped on: show nothing
            return False, None

    def _lookup(self, e: ir.Expr, scope: Scope, lookup: DefinitionValue) -> tuple[bool, object]:
        if isinstance(e, ir.FieldRef):
            return scope.fact(e)
        if isinstance(e, ir.ParamRef):
            return True, self.checked.parameter(e.ident).value
        if isinstance(e, ir.DefRef):
            return lookup(e)
        if isinstance(e, ir.InputRef):
            return e.input in scope.inputs, scope.inputs.get(e.input)
        if isinstance(e, ir.Call):
            return self.called(e)
        return False, None

    def called(self, e: ir.Call) -> tuple[bool, object]:
        """A formula's value, worked out by the decider: only for a call on the case as a whole (a record's call
        reads its record, which the decider's value of an expression does not take; a call inside a formula reads
        its inputs)."""
        return self.called_condition(e)

    def called_condition(self, e: ir.Expr) -> tuple[bool, object]:
        """The decider's value of `e`, an expression on the case as a whole; (False, None) where it has none."""
        if self.work_out is None or any(isinstance(n, ir.VarRef | ir.InputRef) for n in walk(e)):
            return False, None
        return self.work_out(e)

    def calculated(self, e: ir.Expr, scope: Scope, lookup: DefinitionValue) -> tuple[bool, object]:
        """(found, value) of a calculation from the values of its facts, parameters and definitions."""
        return self._calculated(e, scope, lookup)

    def with_values(self, e: ir.Expr, scope: Scope, lookup: DefinitionValue) -> str:
        """The words of `e` with the value of each input, parameter, fact and definition written after it."""
        inserts: list[tuple[int, int, str]] = []
        for node in walk(e, prune=lambda n: isinstance(n, ir.InputRef | ir.ParamRef | ir.FieldRef | ir.DefRef)):
            if isinstance(node, ir.InputRef | ir.ParamRef | ir.FieldRef | ir.DefRef):
                found, value = self._lookup(node, scope, lookup)
                if found and value is not None:
                    inserts.append((node.span.end, 0, f" ({self.shown(value, node.type)})"))
        return self._assemble(*self._extent(e), inserts)

    def _assemble(self, start: int, end: int, inserts: list[tuple[int, int, str]]) -> str:
        pieces: list[str] = []
        at = start
        # Distinct inserts in the order they were made (an inner calculation before the one around it, which may end
        # at the same place: "..., that is 4, that is 80.00 EUR"), never in the order of a set.
        for position, _, text in sorted(dict.fromkeys(inserts), key=lambda i: (i[0], i[1])):
            if not start <= position <= end:
                continue
            pieces.append(self.source[at:position])
            rest = self.source[position:end].lstrip()
            closes = text.startswith(",") and rest and rest[0] not in ",.);"
            pieces.append(text + ("," if closes else ""))
            at = position
        pieces.append(self.source[at:end])
        return " ".join("".join(pieces).split())


def _parts(value: object) -> object:
    """A value as it is written: a duration by its months and days, not by its total (7.5 days is not 7 days)."""
    if hasattr(value, "months") and hasattr(value, "days"):
        return value.months, value.days
    return value


# The evaluator's own arithmetic on its values (its Duration's operators, Fraction's), whatever their class: looked
# up by name, as typeshed's signatures ask for statically known operand types.
_ARITHMETIC: dict[str, Callable[[object, object], object]] = {
    op: getattr(operator, name) for op, name in {"+": "add", "-": "sub", "*": "mul", "/": "truediv"}.items()
}


def _the(label: str) -> str:
    return label if label.lower().startswith(("the ", "a ", "an ")) else f"the {label}"
