"""Conditions and expressions: give each node its type, in the drafter's words when wrong (names are resolved by
compiler/check/references.py, which types go together is compiler/check/type_rules.py)."""

from __future__ import annotations

from compiler.check.calls import Calls
from compiler.check.month_counting import (
    compared,
    described,
    month_length_unstated,
    ordering_hangs_on_month,
    ratio_hangs_on_month,
)
from compiler.check.scopes import Scope
from compiler.check.type_rules import arith_type, comparable, fits, inexact, require_exact
from compiler.citations import parse_citation
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, did_you_mean
from compiler.model import ir
from compiler.model.kinds import Kind

COMPARATORS = {
    "at least": ">=",
    "at most": "<=",
    "more than": ">",
    "greater than": ">",
    "less than": "<",
    "before": "<",
    "after": ">",
    "on or before": "<=",
    "on or after": ">=",
}
ROUNDING_UNITS = {"day": "days", "month": "months", "year": "years", "cent": "cents", "unit": "units"}


class ExprChecker(Calls):
    """Gives each node of a condition or expression its type (names are resolved by `References`, formulas applied
    by `Calls`)."""

    # ---------------------------------------------------------------- conditions

    def condition(self, e: s.Expr, scope: Scope) -> ir.Expr:
        result = self.expr(e, scope)
        if result.type != ir.BOOL:
            raise self.fail(
                f"'{_words(e)}' is {result.type.describe()}, not a condition that holds or not",
                e.span,
                "compare it with something, e.g. '... is at least ...'",
            )
        return result

    def expr(self, e: s.Expr, scope: Scope, expected: ir.Type | None = None) -> ir.Expr:
        method = getattr(self, "_" + type(e).__name__.lower())
        result: ir.Expr = method(e, scope, expected)
        return result

    def _allof(self, e: s.AllOf, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.And(tuple(self.condition(i, scope) for i in e.items), e.span)

    def _anyof(self, e: s.AnyOf, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Or(tuple(self.condition(i, scope) for i in e.items), e.span)

    def _not(self, e: s.Not, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.NotE(self.condition(e.operand, scope), e.span)

    def _compare(self, e: s.Compare, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        if isinstance(e.left, s.Ref) and isinstance(e.test, s.IsEqual) and isinstance(e.test.value, s.Ref):
            # "the ownership requirement is met", "the conviction is expunged": a yes/no value named by the whole
            # sentence
            found = self.sentence(e.left.name, e.test.value.name, scope, e.span)
            if found is not None:
                return ir.NotE(found, e.span) if e.test.negated else found
        left = self.expr(e.left, scope)
        tested = self.test(left, e.test, scope, e.span)
        if not e.thirty_day_months:
            self._month_length_stated(e.left, left, compared(e.test), tested, e.span)
        return tested

    def _month_length_stated(self, words: s.Expr, left: ir.Expr, right: s.Expr | None, e: ir.Expr, span: Span) -> None:
        """Refuse a comparison of durations whose answer hangs on how long a month is
        (compiler/check/month_counting.py)."""
        parameters = {p.ident: p.value for p in self.sym.parameters.values()}
        problem = month_length_unstated(words, left, right, e, parameters)
        if problem is not None:
            raise self.fail(problem[0], span, problem[1])

    def test(self, left: ir.Expr, t: s.IsTest, scope: Scope, span: Span) -> ir.Expr:
        """The meaning of "<left> is ...": a predicate, a yes/no field, a value, a range."""
        if isinstance(t, s.IsEqual):
            if left.type.kind is Kind.RECORD and isinstance(t.value, s.Ref):
                found = self._record_test(left, t.value, span)
                return ir.NotE(found, span) if t.negated else found
            right = self.expr(t.value, scope, left.type)
            self._same_kind(left, right, span)
            self._exact(left, right)
            if left.type.kind is Kind.CITATION:  # "the offence is Article 111": within it, as "is one of" asks
                return ir.OneOf(left, (right,), t.negated, span)
            return ir.Cmp("!=" if t.negated else "==", left, right, span)
        if isinstance(t, s.IsOneOf):
            values = tuple(self.expr(v, scope, left.type) for v in t.values)
            for v in values:
                self._same_kind(left, v, v.span)
            self._exact(left, *values)
            return ir.OneOf(left, values, t.negated, span)
        if isinstance(t, s.IsCompared):
            right = self.expr(t.value, scope, left.type)
            self._same_kind(left, right, span)
            if not left.type.traits.ordered:
                raise self.fail(f"{left.type.describe()} cannot be '{t.comparator}' anything", span)
            self._exact(left, right)
            return ir.Cmp(COMPARATORS[t.comparator], left, right, span)
        if isinstance(t, s.IsWithin):
            period = self.expr(t.period, scope)
            if period.type != ir.PERIOD:
                raise self.fail(
                    f"'is within' needs a period such as 'from 4 January 2022 to 7 January 2022', "
                    f"not {period.type.describe()}",
                    t.period.span,
                )
            if left.type != ir.DATE:
                raise self.fail(f"only a date can be within a period; this is {left.type.describe()}", span)
            return ir.Within(left, None, None, period, t.negated, span)
        if isinstance(t, s.IsBetween):
            low, high = self.expr(t.low, scope, left.type), self.expr(t.high, scope, left.type)
            self._same_kind(left, low, span)
            self._same_kind(left, high, span)
            if not left.type.traits.ordered:
                raise self.fail(f"{left.type.describe()} cannot be between two values", span)
            self._exact(left, low, high)
            return ir.Within(left, low, high, None, t.negated, span)
        return self._known(left, t, span)

    @staticmethod
    def _exact(*operands: ir.Expr) -> None:
        for operand in operands:
            require_exact(operand, operand.span)

    def _known(self, left: ir.Expr, t: s.IsKnown, span: Span) -> ir.Expr:
        optional = (isinstance(left, ir.FieldRef) and left.optional) or (
            isinstance(left, ir.DefRef) and self._def_optional(left.definition)
        )
        if not optional:
            raise self.fail(
                "'is given' only makes sense for a fact or outcome that may be missing",
                span,
                "declare the field with ', optional' or drop the test",
            )
        return ir.Known(left, t.negated, span)

    def _def_optional(self, ident: str) -> bool:
        return any(d.ident == ident and d.optional for d in self.sym.definitions.values())

    def _same_kind(self, left: ir.Expr, right: ir.Expr, span: Span) -> None:
        if not comparable(left.type, right.type):
            raise self.fail(
                f"cannot compare {left.type.describe()} with {right.type.describe()}",
                span,
                "both sides must be of the same kind",
            )

    # ---------------------------------------------------------------- arithmetic

    def _binary(self, e: s.Binary, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        left = self.expr(e.left, scope, expected)
        if e.op == "reduced_by":
            fraction = self.expr(e.right, scope, ir.NUMBER)
            if not fraction.type.traits.numeric:
                raise self.fail("'reduced by' takes a fraction such as 'three quarters' or 50%", e.right.span)
            if left.type.kind is Kind.DURATION:
                # What remains, 1 - F of A, so that the leftover part of a month becomes days as the language says
                # (6 years 6 months reduced by three quarters: 19.5 months, 1 year 7 months 15 days). A minus F of
                # A would take 4 years 10 months 15 days from 6 years 6 months: 1 year 8 months less 15 days, a
                # value that is another date when added to one.
                remaining = ir.Arith("-", ir.Lit(1, ir.INT, e.right.span), fraction, fraction.type, e.right.span)
                return self._arith("*", left, remaining, e.span)
            part = self._arith("*", left, fraction, e.span)
            return self._arith("-", left, part, e.span)
        right = self.expr(e.right, scope, left.type if left.type.traits.scaled is not None else None)
        op = {"plus": "+", "minus": "-", "times": "*", "divided": "/"}[e.op]
        found = self._arith(op, left, right, e.span)
        if op == "/" and not e.thirty_day_months:
            self._ratio_stated(e, left, right)
        return found

    def _ratio_stated(self, e: s.Binary, left: ir.Expr, right: ir.Expr) -> None:
        """A duration divided by a duration is a ratio of lengths: where months meet days it hangs on a month's length
        (548 days divided by 2 years: 548/720 at 30 days to the month, 548/730 or 548/731 on the calendar)."""
        parameters = {p.ident: p.value for p in self.sym.parameters.values()}
        if ratio_hangs_on_month(left, right, parameters):
            first, second = described(left, parameters), described(right, parameters)
            raise self.fail(
                f"dividing {first} by {second}: the answer depends on how long a month is",
                e.span,
                "say 'counting a month as 30 days' after the division (then 548 days divided by 2 years is "
                "548/720), or give both in days (on the calendar 2 years are 730 or 731 days)",
            )

    def _arith(self, op: str, left: ir.Expr, right: ir.Expr, span: Span) -> ir.Expr:
        result = arith_type(op, left.type, right.type)
        if result is None:
            word = {"+": "add", "-": "subtract", "*": "multiply", "/": "divide"}[op]
            raise self.fail(
                f"cannot {word} {left.type.describe()} and {right.type.describe()}",
                span,
                "durations go with dates and durations, money with money, and either can be multiplied by a number",
            )
        return ir.Arith(op, left, right, result, span)

    def _fractionof(self, e: s.FractionOf, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        operand = self.expr(e.operand, scope, expected)
        return self._arith("*", ir.Lit(e.fraction, ir.NUMBER, e.span), operand, e.span)

    def _scaleapplied(self, e: s.ScaleApplied, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        """ "the contribution scale applied to the salary": the base must be in the unit of the scale's thresholds."""
        scale = self.sym.scales.get(e.scale.key)
        if scale is None and e.scale.key in self.sym.faulty_scales:
            self.expr(e.base, scope)  # the scale's own error is reported; a stand-in keeps the rule's others
            return ir.Lit(0, expected or ir.NUMBER, e.span)
        if scale is None:
            hint = did_you_mean(e.scale.key, list(self.sym.scales))
            raise self.fail(
                f"'{e.scale.text}' is not a scale declared in this statute",
                e.scale.span,
                hint or "declare it: 'Scale the ... scale, marginal rates: 2% up to 6,000 EUR; 4% over 6,000 EUR.'",
            )
        self.sym.used_scales.add(e.scale.key)
        base = self.expr(e.base, scope, scale.base)
        if not fits(base.type, scale.base):
            raise self.fail(
                f"{scale.label} is applied to {scale.base.describe()}; this is {base.type.describe()}",
                e.base.span,
                "apply it to a value in the unit of its thresholds",
            )
        if inexact(base):
            require_exact(base, e.base.span)
        return ir.ScaleApplied(scale, base, scale.result, e.span)

    def _rounded(self, e: s.Rounded, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        operand = self.expr(e.operand, scope, expected)
        words = e.unit.split()
        unit = f"places:{words[0]}" if words[0].isdigit() else ROUNDING_UNITS[words[0].rstrip("s")]
        traits = operand.type.traits
        if not (unit in traits.rounding or (unit.startswith("places:") and traits.rounds_to_places)):
            raise self.fail(f"{operand.type.describe()} cannot be rounded to {e.unit}", e.span)
        # A decimal rounded to whole units is a whole number ("the age in years rounded down to whole units").
        whole = traits.numeric and unit == "units"
        return ir.Round(operand, e.mode, unit, ir.INT if whole else operand.type, e.span)

    def _extremum(self, e: s.Extremum, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        left, right = self.expr(e.left, scope, expected), self.expr(e.right, scope, expected)
        self._same_kind(left, right, e.span)
        if not left.type.traits.ordered:
            raise self.fail(f"{left.type.describe()} has no lesser or greater", e.span)
        kind = left.type if left.type.kind is not Kind.INT else right.type
        found = ir.MinMax(e.kind, left, right, kind, e.span)
        if not e.thirty_day_months:
            self._month_length_stated(e.left, left, e.right, found, e.span)
        return found

    def _wholebetween(self, e: s.WholeBetween, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        """An age on a given day: the whole years (or months) from one date to another, on the calendar."""
        start, end = self.expr(e.start, scope, ir.DATE), self.expr(e.end, scope, ir.DATE)
        for side in (start, end):
            if side.type != ir.DATE:
                raise self.fail(
                    f"'the whole {e.unit} from A to B' counts between two dates, not {side.type.describe()}", side.span
                )
        return ir.Arith(e.unit, start, end, ir.INT, e.span)

    # ---------------------------------------------------------------- lists

    def _quantified(self, e: s.Quantified, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        source, record, key = self._collection(e.collection, scope)
        inner, var = scope.bind(key, record)
        element = ir.VarRef(var.ident, ir.Type(Kind.RECORD, record), e.collection.span)
        if e.test is not None:
            body = self.test(element, e.test, inner, e.span)
        else:
            assert e.where is not None
            body = self.condition(e.where, inner)
        return ir.Quant(e.quantifier, source, var.ident, body, e.span)

    def _count(self, e: s.Count, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        source, record, key = self._collection(e.collection, scope)
        inner, var = scope.bind(key, record)
        where = self.condition(e.where, inner) if e.where is not None else None
        return ir.CountE(source, var.ident, where, e.span)

    def _aggregate(self, e: s.Aggregate, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        source, record, key = self._collection(e.collection, scope)
        inner, var = scope.bind(key, record)
        value = self.expr(e.value, inner)
        where = self.condition(e.where, inner) if e.where is not None else None
        if not (value.type.traits.summable if e.kind == "total" else value.type.traits.ordered):
            raise self.fail(f"cannot take the {e.kind} of {value.type.describe()}", e.value.span)
        parameters = {p.ident: p.value for p in self.sym.parameters.values()}
        if e.kind != "total" and not e.thirty_day_months and ordering_hangs_on_month(value, parameters):
            # The total adds months to months and days to days: it is the same whatever a month's length.
            raise self.fail(
                f"taking the {e.kind} of durations that may be in months or days: which it is depends on how long a "
                "month is",
                e.span,
                f"say 'counting a month as 30 days' after the list, as in 'the {e.kind} ... among the "
                f"{e.collection.text} counting a month as 30 days' (then 6 months is less than 181 days; as calendar "
                "months, 6 months are 181 to 184 days)",
            )
        return ir.Agg(e.kind, source, var.ident, value, where, value.type, e.span)

    # ---------------------------------------------------------------- literals and names

    def _datelit(self, e: s.DateLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Lit(e.value, ir.DATE, e.span)

    def _durationlit(self, e: s.DurationLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Lit(ir.Duration(e.months, e.days), ir.DURATION, e.span)

    def _moneylit(self, e: s.MoneyLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        if expected is not None and expected.kind is Kind.MONEY and expected.name and expected.name != e.currency:
            raise self.fail(f"this amount is in {e.currency}, but {expected.name} is expected here", e.span)
        return ir.Lit(e.amount, ir.Type(Kind.MONEY, e.currency), e.span)

    def _numberlit(self, e: s.NumberLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        if e.is_whole:
            return ir.Lit(int(e.value), ir.INT, e.span)
        return ir.Lit(e.value, ir.NUMBER, e.span)

    def _percentlit(self, e: s.PercentLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Lit(e.value, ir.PERCENTAGE, e.span)

    def _citationlit(self, e: s.CitationLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        try:
            value = parse_citation(e.text)
        except ValueError as exc:
            raise self.fail(
                f"this citation cannot be read: {exc}",
                e.span,
                "write it as the law does: 'Article 111', 'Article 111 part 3', 'Article 111 parts 1 to 4', "
                "'Article 106 parts 1 and 2', 'Article 228.1 part 3', 'Article 3 bis'",
            ) from exc
        return ir.Lit(value, ir.CITATION, e.span)

    def _textlit(self, e: s.TextLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Lit(e.value, ir.TEXT, e.span)

    def _boollit(self, e: s.BoolLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Lit(e.value, ir.BOOL, e.span)

    def _periodlit(self, e: s.PeriodLit, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return ir.Lit(ir.Period(e.start, e.end), ir.PERIOD, e.span)

    def _ref(self, e: s.Ref, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        return self.ref(e.name, scope, expected)


def _words(e: s.Expr) -> str:
    return e.name.text if isinstance(e, s.Ref) else "this"
