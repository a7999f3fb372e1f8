"""What an expression becomes in the solver: a value, whether evaluating it raises no error, whether it is given.

`ok` is false where the evaluator would stop with an error (a missing fact used, a conflict, a value no rule
decides, a division by zero, the greatest of an empty list); `present` is false where an optional value is missing.
A duration is (months, days), compared as 30 * months + days; a period is (first day, last day).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import z3

from compiler.diagnostics import Span
from compiler.prove.calendar import Z3

TRUE = z3.BoolVal(True)
FALSE = z3.BoolVal(False)


class Unsupported(Exception):
    """A construct the encoder does not translate; the check that needs it is reported as not proved."""

    def __init__(self, span: Span, what: str) -> None:
        super().__init__(f"line {span.line} ({what})")
        self.line = span.line
        self.what = what


@dataclass(frozen=True)
class Term:
    kind: str  # bool, int, real, date, duration, enum, text, period, record, list
    value: Any  # a z3 term; (months, days) for a duration; (first, last) for a period; RecordVars or ListVars
    ok: Z3 = TRUE
    present: Z3 = TRUE

    @property
    def usable(self) -> Z3:
        """Evaluates without error and is given: what an operation on the value needs."""
        return z3.And(self.ok, self.present)


def kind_of(type_kind: str) -> str:
    return {"number": "real", "money": "real"}.get(type_kind, type_kind)


def total_days(duration: tuple[Z3, Z3]) -> Z3:
    return 30 * duration[0] + duration[1]


def ordering_key(t: Term) -> Z3:
    return total_days(t.value) if t.kind == "duration" else t.value


def equal(a: Term, b: Term) -> Z3:
    if a.kind == "duration":
        return total_days(a.value) == total_days(b.value)
    if a.kind == "period":
        return z3.And(a.value[0] == b.value[0], a.value[1] == b.value[1])
    return a.value == b.value


def choose(condition: Z3, then: Term, other: Term) -> Term:
    """The value `then` where `condition` holds, else `other` (both of one kind)."""
    if then.kind in {"duration", "period"}:
        value: Any = tuple(z3.If(condition, x, y) for x, y in zip(then.value, other.value, strict=True))
    else:
        value = z3.If(condition, then.value, other.value)
    return Term(then.kind, value, z3.If(condition, then.ok, other.ok), z3.If(condition, then.present, other.present))


def placeholder(kind: str) -> Term:
    """A value of the right kind for where none exists (a missing or undecided value); only `ok`/`present` matter."""
    zero: Any = {
        "bool": FALSE,
        "real": z3.RealVal(0),
        "text": z3.StringVal(""),
        "duration": (z3.IntVal(0), z3.IntVal(0)),
        "period": (z3.IntVal(0), z3.IntVal(0)),
    }.get(kind, z3.IntVal(0))
    return Term(kind, zero)


def to_real(x: Z3) -> Z3:
    return z3.ToReal(x) if z3.is_int(x) else x


def to_int(x: Z3) -> Z3:
    return x if z3.is_int(x) else z3.ToInt(x)
