"""Why the reference interpreter cannot decide a case: a conflict, or an undecided value. The messages read as the
generated module's (compiler/backends/python/runtime.py), so that `statute run --engine interpreter` rejects a case with
the same words, and the differential tests can compare the two reports."""

from __future__ import annotations

import reprlib
from fractions import Fraction

from compiler.interpret.values import Cited, Day, Duration, EnumValue, Money, Period, decimal_text
from compiler.model import ir


def shown(value: object) -> str:
    """A value as a message shows it: yes/no, exact decimals, ISO dates, the drafter's words."""
    match value:
        case None:
            return "nothing"
        case bool():
            return "yes" if value else "no"
        case Fraction():
            return decimal_text(value)
        case Money():
            return decimal_text(value.amount)
        case Day():
            return value.iso()
        case Duration():
            return value.text()
        case EnumValue():
            return value.text
        case Period():
            return f"from {value.start.iso()} to {value.end.iso()}"
        case Cited():
            return value.text()
    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother, short.maxlong = 3, 60, 60, 60
    text = short.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Undecided(Exception):
    """A value the decision needs cannot be worked out: a fact the case does not give, no rule and no default,
    nothing to take the greatest of, or a date outside the calendar."""

    def __init__(self, definition: str, reason: str) -> None:
        self.definition, self.reason = definition, reason
        super().__init__(f"cannot decide the {definition}: {reason}")


class Conflict(Exception):
    """Two rules, neither prevailing over the other, both apply and give different values."""

    def __init__(self, definition: str, first: ir.RuleDef, first_value: object, second: ir.RuleDef, value: object):
        self.definition, self.first, self.second = definition, first, second
        self.first_value, self.second_value = first_value, value
        super().__init__(
            f"conflict deciding the {definition}: {first.ident} ({first.citation.label}, line {first.span.line}) "
            f"gives {shown(first_value)}, but {second.ident} ({second.citation.label}, line {second.span.line}) "
            f"gives {shown(value)}; neither prevails over the other"
        )
