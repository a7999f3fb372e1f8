"""A scale explained bracket by bracket: "2% of the first 6,000.00 EUR = 120.00 EUR; 4% of the next 6,400.00 EUR =
256.00 EUR; ...", in the reader's language (the words are in i18n/<lang>.json). The parts are worked out here from the
checked scale and the base's value, with exact fractions, and add up to what the decider gave (tests/test_scales.py)."""

from __future__ import annotations

from fractions import Fraction
from typing import assert_never

from compiler.explain.conditions import DefinitionValue, Scope, Wording
from compiler.explain.format import Locale, money_text, number_text, percentage_text
from compiler.explain.model import ScaleSteps
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import find_all


def applied_scales(wording: Wording, value: ir.Expr, scope: Scope, lookup: DefinitionValue) -> tuple[ScaleSteps, ...]:
    """Each scale `value` applies, bracket by bracket, where the value of its base can be read (a rule's value, or
    a formula's with its inputs' values in `scope`)."""
    found = []
    for applied in find_all(value, ir.ScaleApplied):
        known, base = wording.calculated(applied.base, scope, lookup)
        words = wording.checked.words(applied.span)
        steps = scale_steps(applied.scale, words, base, wording.locale) if known else None
        if steps is not None:
            found.append(steps)
    return tuple(found)


def scale_steps(scale: ir.Scale, words: str, base: object, locale: Locale) -> ScaleSteps | None:
    """The steps of `scale` applied to `base` (a number or money, as a decider or the model holds it); `words`: the
    drafter's words for the application. None when the base is not a number (it was not given)."""
    amount = getattr(base, "amount", base)
    if not isinstance(amount, int | Fraction) or isinstance(amount, bool):
        return None
    amount = Fraction(amount)
    w = locale.words
    kind = w[f"scale_{scale.kind.name.lower()}"]
    heading = w["scale_applied"].format(words=words, kind=kind, base=_base(amount, scale, locale))
    first = scale.brackets[0]
    if not (amount > first.lower or (amount == first.lower and first.lower_included)):
        zero = _result(Fraction(0), scale, locale)
        bracket = _bracket(first, scale, locale)
        below = w["scale_below"].format(base=_base(amount, scale, locale), bracket=bracket, result=zero)
        return ScaleSteps(heading, (below,), zero)
    match scale.kind:
        case ir.ScaleKind.MARGINAL_RATES:
            steps = _marginal_rates(scale, amount, locale)
        case ir.ScaleKind.MARGINAL_AMOUNTS:
            steps = tuple(
                w["scale_reached"].format(bracket=_bracket(b, scale, locale), amount=_result(b.value, scale, locale))
                for b in scale.brackets
                if amount > b.lower or (amount == b.lower and b.lower_included)
            )
        case ir.ScaleKind.SINGLE_RATES | ir.ScaleKind.SINGLE_AMOUNTS:
            steps = (_single(scale, amount, locale),)
        case _:
            assert_never(scale.kind)
    return ScaleSteps(heading, steps, _result(total(scale, amount), scale, locale))


def total(scale: ir.Scale, amount: Fraction) -> Fraction:
    """What the steps add up to (the explanation's own sum, which tests hold against the decider's result)."""
    match scale.kind:
        case ir.ScaleKind.MARGINAL_RATES:
            return sum((b.value * _slice(b, amount) for b in scale.brackets), Fraction(0))
        case ir.ScaleKind.MARGINAL_AMOUNTS:
            reached = (b for b in scale.brackets if amount > b.lower or (amount == b.lower and b.lower_included))
            return sum((b.value for b in reached), Fraction(0))
        case ir.ScaleKind.SINGLE_RATES:
            return next((b.value * amount for b in scale.brackets if b.holds(amount)), Fraction(0))
        case ir.ScaleKind.SINGLE_AMOUNTS:
            return next((b.value for b in scale.brackets if b.holds(amount)), Fraction(0))
        case _:
            assert_never(scale.kind)


def _marginal_rates(scale: ir.Scale, amount: Fraction, locale: Locale) -> tuple[str, ...]:
    w = locale.words
    steps = []
    for i, b in enumerate(scale.brackets):
        part = _slice(b, amount)
        if part <= 0:
            break
        values = {
            "rate": _rate(b.value, scale, locale),
            "slice": _base(part, scale, locale),
            "lower": _base(b.lower, scale, locale),
            "part": _result(b.value * part, scale, locale),
        }
        whole = b.upper is not None and amount >= b.upper
        key = "scale_first" if i == 0 and b.lower == 0 else ("scale_next" if whole else "scale_over")
        steps.append(w[key].format(**values))
    return tuple(steps)


def _single(scale: ir.Scale, amount: Fraction, locale: Locale) -> str:
    w = locale.words
    b = next(b for b in scale.brackets if b.holds(amount))  # the brackets follow one another from the first
    base, bracket = _base(amount, scale, locale), _bracket(b, scale, locale)
    if scale.kind is ir.ScaleKind.SINGLE_AMOUNTS:
        return w["scale_falls_in"].format(base=base, bracket=bracket, result=_result(b.value, scale, locale))
    part = _result(b.value * amount, scale, locale)
    return w["scale_falls_in_rate"].format(base=base, bracket=bracket, rate=_rate(b.value, scale, locale), part=part)


def _slice(b: ir.Bracket, amount: Fraction) -> Fraction:
    top = amount if b.upper is None else min(amount, b.upper)
    return max(Fraction(0), top - b.lower)


def _bracket(b: ir.Bracket, scale: ir.Scale, locale: Locale) -> str:
    """ "over 6,000.00 EUR up to 12,400.00 EUR", "up to 6,000.00 EUR", in the reader's language."""
    w = locale.words
    parts = []
    if b.lower != 0 or not b.lower_included:
        parts.append(w["scale_from" if b.lower_included else "scale_over_edge"].format(x=_base(b.lower, scale, locale)))
    if b.upper is not None:
        parts.append(
            w["scale_up_to" if b.upper_included else "scale_below_edge"].format(x=_base(b.upper, scale, locale))
        )
    return " ".join(parts) or w["scale_from"].format(x=_base(b.lower, scale, locale))


def _base(value: Fraction, scale: ir.Scale, locale: Locale) -> str:
    return _shown(value, scale.base, locale)


def _result(value: Fraction, scale: ir.Scale, locale: Locale) -> str:
    return _shown(value, scale.result, locale)


def _rate(value: Fraction, scale: ir.Scale, locale: Locale) -> str:
    return _shown(value, scale.value, locale)


def _shown(value: Fraction, t: ir.Type, locale: Locale) -> str:
    if t.kind is Kind.MONEY:
        return money_text(value, t.name, locale)
    if t.kind is Kind.PERCENTAGE:
        return percentage_text(value, locale)
    return number_text(value, locale)
