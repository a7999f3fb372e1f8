"""Scales: "Scale the contribution scale, marginal rates: 2% up to 6,000 EUR; 4% over 6,000 EUR up to 12,400 EUR; 8%
over 12,400 EUR." Each bracket's rate or amount and edges are read here, and the brackets must follow one another with
no gap and no overlap, thresholds increasing, in one unit; every mistake is named at the drafter's words with a hint.
Where a scale is applied ("the contribution scale applied to the salary") is checked by compiler/check/expressions.py,
which reads the scales entered here."""

from __future__ import annotations

from fractions import Fraction

from compiler.check.check_context import CheckContext, Diagnostics
from compiler.check.scopes import CheckFailure, Scope
from compiler.check.type_rules import fits
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, error
from compiler.model import ir
from compiler.model.idents import snake
from compiler.model.kinds import Kind
from compiler.values import money_text, number_text

KINDS = {kind.value: kind for kind in ir.ScaleKind}


def check_scales(ctx: CheckContext, found: Diagnostics) -> None:
    """Enter each scale in `ctx.symbols.scales`, or say what is wrong with it."""
    sym = ctx.symbols
    for decl in ctx.statements(s.ScaleDecl):
        article = decl.provenance.article
        key = decl.name.key
        if key in sym.scales or key in sym.parameters or (None, key) in sym.definitions:
            found.add(error(f"'{decl.name.text}' is declared twice", decl.name.span), article)
            continue
        try:
            scale = _scale(ctx, decl)
        except CheckFailure as exc:
            found.add(exc.diagnostic, article)
            sym.faulty_scales.add(key)
            continue
        sym.scales[key] = scale


def _scale(ctx: CheckContext, decl: s.ScaleDecl) -> ir.Scale:
    kind = KINDS[decl.kind]
    thresholds = [edge for b in decl.brackets for edge in (b.lower, b.upper) if edge is not None]
    if not thresholds:
        raise CheckFailure(
            error(
                "a scale needs at least one threshold",
                decl.span,
                "write brackets such as '2% up to 6,000 EUR; 4% over 6,000 EUR'",
            )
        )
    base = _unit(ctx, thresholds, "threshold")
    value = _unit(ctx, [b.value for b in decl.brackets], "rate" if kind.rates else "amount")
    _kind_fits(kind, value, decl)
    if base.kind is Kind.PERCENTAGE or not (base.traits.numeric or base.kind is Kind.MONEY):
        raise CheckFailure(
            error(
                f"a scale's thresholds are amounts of money or numbers, not {base.describe()}",
                thresholds[0].span,
                "write a threshold such as '6,000 EUR' or '6,000'",
            )
        )
    brackets = tuple(_bracket(ctx, decl, i) for i in range(len(decl.brackets)))
    _follow_one_another(decl, brackets, base)
    result = (ir.NUMBER if base.traits.numeric else base) if kind.rates else value
    ident = ctx.idents.take(snake(decl.name.key))
    return ir.Scale(ident, decl.name.text, kind, brackets, base, value, result, decl.span)


def _unit(ctx: CheckContext, literals: list[s.Literal], what: str) -> ir.Type:
    """The one type of the scale's thresholds (or rates, or amounts): a whole number goes with decimals."""
    typed = [ctx.exprs.expr(x, Scope()) for x in literals]
    first = typed[0].type
    for x in typed[1:]:
        t = x.type
        if fits(t, first):
            continue
        if fits(first, t):
            first = t
            continue
        raise CheckFailure(
            error(
                f"this {what} is {t.describe()}, but the scale's first {what} is {first.describe()}",
                x.span,
                f"write every {what} of a scale in the same unit",
            )
        )
    return first


def _kind_fits(kind: ir.ScaleKind, value: ir.Type, decl: s.ScaleDecl) -> None:
    """Rates are percentages or decimals (2% or 0.02); amounts are money or numbers."""
    rate = value.kind is Kind.PERCENTAGE or value.traits.numeric
    amount = value.kind is not Kind.PERCENTAGE and (value.kind is Kind.MONEY or value.traits.numeric)
    if kind.rates and not rate:
        other = "marginal amounts" if kind.marginal else "single amounts"
        raise CheckFailure(
            error(
                f"a scale of {kind.value} takes rates such as 2% or 0.02, not {value.describe()}",
                decl.brackets[0].value.span,
                f"write '{other}' after the scale's name for a scale of amounts",
            )
        )
    if not kind.rates and not amount:
        other = "marginal rates" if kind.marginal else "single rates"
        raise CheckFailure(
            error(
                f"a scale of {kind.value} takes amounts such as 300 EUR, not {value.describe()}",
                decl.brackets[0].value.span,
                f"write '{other}' after the scale's name for a scale of rates",
            )
        )


def _bracket(ctx: CheckContext, decl: s.ScaleDecl, i: int) -> ir.Bracket:
    b = decl.brackets[i]
    last = i == len(decl.brackets) - 1
    if i > 0 and b.lower is None:
        raise CheckFailure(
            error(
                "this bracket does not say where it starts",
                b.span,
                "only the first bracket starts at zero; write 'over ...' (or 'from ...') before its end",
            )
        )
    if not last and b.upper is None:
        raise CheckFailure(
            error(
                "only the last bracket can go on without end; this one does not say where it ends",
                b.span,
                "write 'up to ...' (or 'below ...') after its start",
            )
        )
    if last and b.upper is not None:
        raise CheckFailure(
            error(
                "the last bracket ends, so a base above it would fall in no bracket",
                b.upper.span,
                "leave out its end ('8% over 12,400 EUR'), or add a bracket after it",
            )
        )
    value = _fraction(ctx, b.value)
    lower = Fraction(0) if b.lower is None else _fraction(ctx, b.lower)
    upper = None if b.upper is None else _fraction(ctx, b.upper)
    if upper is not None and upper <= lower:
        raise CheckFailure(
            error(
                "this bracket ends where or before it starts: thresholds must increase",
                b.span,
                "write the lower threshold first: 'over 6,000 EUR up to 12,400 EUR'",
            )
        )
    return ir.Bracket(value, lower, b.lower is None or b.lower_included, upper, b.upper_included, b.span)


def _fraction(ctx: CheckContext, literal: s.Literal) -> Fraction:
    value = ctx.constant(ctx.exprs.expr(literal, Scope()))
    assert isinstance(value, int | Fraction) and not isinstance(value, bool)  # _unit checked the kinds
    return Fraction(value)


def _follow_one_another(decl: s.ScaleDecl, brackets: tuple[ir.Bracket, ...], base: ir.Type) -> None:
    """Each bracket starts where the one before it ends, the threshold in exactly one of them."""
    for i in range(1, len(brackets)):
        before, after = brackets[i - 1], brackets[i]
        assert before.upper is not None  # _bracket: only the last bracket has no end
        span: Span = decl.brackets[i].span
        end, start = _shown(before.upper, base), _shown(after.lower, base)
        if after.lower > before.upper:
            raise CheckFailure(
                error(
                    f"a gap between {end} and {start}: no bracket takes a base there",
                    span,
                    f"start this bracket at {end}, where the one before it ends",
                )
            )
        if after.lower < before.upper:
            raise CheckFailure(
                error(
                    f"this bracket starts at {start}, before the one before it ends ({end}): brackets overlap",
                    span,
                    f"start this bracket at {end}, where the one before it ends",
                )
            )
        if before.upper_included and after.lower_included:
            raise CheckFailure(
                error(
                    f"{end} is in two brackets: 'up to' takes it in, and so does 'from'",
                    span,
                    f"write 'over {end}' here, or 'below {end}' in the bracket before",
                )
            )
        if not before.upper_included and not after.lower_included:
            raise CheckFailure(
                error(
                    f"{end} is in no bracket: 'below' leaves it out, and so does 'over'",
                    span,
                    f"write 'from {end}' here, or 'up to {end}' in the bracket before",
                )
            )


def _shown(value: Fraction, t: ir.Type) -> str:
    """A threshold as a message shows it: "6000.00 EUR", "6000"."""
    return money_text(value, t.name) if t.kind is Kind.MONEY else number_text(value)
