"""Arithmetic on solver terms as the runtime does it: a product kept linear where a factor is a choice between fixed
numbers, durations scaled and put in normal form, rounding by mode and unit (encode.py's arithmetic)."""

from __future__ import annotations

import z3

from compiler.prove.calendar import Z3
from compiler.prove.terms import to_real, total_days


def times(x: Z3, factor: Z3) -> Z3:
    """x * factor, keeping the arithmetic linear where the factor is a choice between fixed numbers (a definition
    decided by rules with constant values): If(c, 3/4, 1/2) * x becomes If(c, 3/4 * x, 1/2 * x), and so does
    (1 - If(c, 3/4, 1/2)) * x, what remains of a duration `reduced by` such a fraction."""
    factor = choice_lifted(factor)
    if z3.is_app_of(factor, z3.Z3_OP_ITE):
        cond, then, other = factor.children()
        return z3.If(cond, times(x, then), times(x, other))
    if z3.is_app_of(x, z3.Z3_OP_ITE) and not z3.is_rational_value(factor) and not z3.is_int_value(factor):
        cond, then, other = x.children()
        return z3.If(cond, times(then, factor), times(other, factor))
    return x * factor


def choice_lifted(x: Z3) -> Z3:
    """1 - If(c, a, b) as If(c, 1 - a, 1 - b) (and so for + and * with a fixed number), so that `times` can keep
    the arithmetic linear."""
    if not (z3.is_add(x) or z3.is_sub(x) or z3.is_mul(x)) or x.num_args() != 2:
        return x
    left, right = (choice_lifted(a) for a in x.children())
    fixed = (is_number(left), is_number(right))
    apply = {z3.Z3_OP_ADD: lambda a, b: a + b, z3.Z3_OP_SUB: lambda a, b: a - b, z3.Z3_OP_MUL: lambda a, b: a * b}
    op = apply.get(x.decl().kind())
    if op is None:
        return x
    if fixed[0] and z3.is_app_of(right, z3.Z3_OP_ITE):
        cond, then, other = right.children()
        return z3.If(cond, choice_lifted(z3.simplify(op(left, then))), choice_lifted(z3.simplify(op(left, other))))
    if fixed[1] and z3.is_app_of(left, z3.Z3_OP_ITE):
        cond, then, other = left.children()
        return z3.If(cond, choice_lifted(z3.simplify(op(then, right))), choice_lifted(z3.simplify(op(other, right))))
    return x


def is_number(x: Z3) -> bool:
    simple = z3.simplify(x)  # ToReal(1) is 1
    return bool(z3.is_rational_value(simple) or z3.is_int_value(simple))


def scale(duration: tuple[Z3, Z3], factor: Z3) -> tuple[Z3, Z3]:
    """Duration times a number, as the runtime does it: the whole months (toward zero) stay months, and the part
    of a month left over becomes days, 30 to the month."""
    months, days = duration
    if z3.is_int(factor) and z3.is_int(months):
        return times(months, factor), times(days, factor)
    product = times(to_real(months), factor)
    whole = toward_zero(product)
    return whole, times(days, factor) + (product - to_real(whole)) * 30


def normal_duration(months: Z3, days: Z3) -> tuple[Z3, Z3]:
    """As the runtime's normal_duration: months and days never of opposite signs, borrowing as few whole months (30
    days each) as it takes. -floor(d / 30) is the ceiling of -d / 30, in whole numbers and in fractions alike."""
    down = z3.If(z3.And(months > 0, days < 0), least(months, -floor_div30(days)), 0)
    up = z3.If(z3.And(months < 0, days > 0), least(-months, -floor_div30(-days)), 0)
    return months - down + up, days + 30 * down - 30 * up


def floor_div30(x: Z3) -> Z3:
    return x / 30 if z3.is_int(x) else z3.ToInt(x / 30)  # z3's integer division by a positive number is floor


def least(a: Z3, b: Z3) -> Z3:
    return z3.If(a <= b, a, b)


def toward_zero(x: Z3) -> Z3:
    return z3.If(x >= 0, z3.ToInt(x), -z3.ToInt(-x))


def round_floor(x: Z3, mode: str) -> Z3:
    """On the number line: down = floor, up = ceiling, half up = nearest with halves going up."""
    if mode == "down":
        return z3.ToInt(x)
    if mode == "up":
        return -z3.ToInt(-x)
    return z3.ToInt(x + z3.RealVal("1/2"))


def round_real(x: Z3, mode: str) -> Z3:
    """By size, as the runtime's round_whole: down toward zero, up and half up away from zero."""
    x = to_real(x)
    return z3.If(x < 0, -round_floor(-x, mode), round_floor(x, mode))


def round_duration(value: tuple[Z3, Z3], mode: str, unit: str) -> tuple[Z3, Z3]:
    """As the runtime's round_duration: to days, the months stay and the days are rounded in the direction of the
    duration's sign; to months or years, the total (30 days to the month) is rounded by size."""
    months, days = value
    if unit == "days":
        if z3.is_int(days):
            return months, days
        positive = total_days(value) >= 0
        return months, z3.If(positive, round_floor(days, mode), -round_floor(-days, mode))
    total_months = to_real(months) + to_real(days) / 30
    if unit == "months":
        return round_real(total_months, mode), z3.IntVal(0)
    return 12 * round_real(total_months / 12, mode), z3.IntVal(0)
