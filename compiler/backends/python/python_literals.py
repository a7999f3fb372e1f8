"""Types and literal values in generated Python: a type's annotation, an enumeration's member, a value of the model
as a Python expression, and the module's constants table (`Literals`) that names the values too long to write inline.
"""

from __future__ import annotations

import datetime
import re
from fractions import Fraction
from typing import assert_never

from compiler.backends.python import naming
from compiler.backends.python.naming import checked_ident
from compiler.backends.python.runtime_cases import words_key
from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import decimal_text, duration_text


def annotation(t: ir.Type) -> str:
    """The Python type of values of `t`."""
    match t.kind:
        case Kind.BOOL:
            return "bool"
        case Kind.INT:
            return "int"
        case Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE:
            return "Fraction"
        case Kind.DATE:
            return "datetime.date"
        case Kind.DURATION:
            return "Duration"
        case Kind.TEXT:
            return "str"
        case Kind.PERIOD:
            return "Period"
        case Kind.ENUM | Kind.RECORD:
            return naming.ident(t.name or "", f"the {t.kind.value} name")
        case Kind.LIST:
            return f"tuple[{naming.ident(t.name or '', 'the record name')}, ...]"
        case Kind.CITATION:
            return "CitedProvisions"
        case _:
            assert_never(t.kind)


def enum_member(enum: ir.EnumDef, value: str) -> str:
    """`Gravity.GRAVE` for a value given by its ident or by the drafter's words."""
    for v in enum.values:
        if value == v.ident or words_key(value) == words_key(v.text):
            return f"{naming.ident(enum.ident, 'the enumeration')}.{checked_ident(v.ident, 'the value')}"
    raise ValueError(f"{value!r} is not a value of {enum.label}")


def _date(d: datetime.date) -> str:
    return f"datetime.date({d.year}, {d.month}, {d.day})"


def _fraction(value: Fraction) -> str:
    return (
        f"Fraction({value.numerator})"
        if value.denominator == 1
        else f"Fraction({value.numerator}, {value.denominator})"
    )


def value_code(value: ir.Value, t: ir.Type, checked: ir.Checked) -> str:
    """A Python expression building `value` of type `t`; strings only through repr()."""
    number = not isinstance(value, bool)  # a bool is an int to Python
    match t.kind:
        case Kind.BOOL if isinstance(value, bool):
            return repr(value)
        case Kind.INT if isinstance(value, int | Fraction) and number and value == int(value):
            return repr(int(value))
        case Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE if isinstance(value, int | Fraction) and number:
            return _fraction(Fraction(value))
        case Kind.DATE if isinstance(value, datetime.date):
            return _date(value)
        case Kind.DURATION if isinstance(value, ir.Duration):
            return f"Duration(months={int(value.months)}, days={int(value.days)})"
        case Kind.PERIOD if isinstance(value, ir.Period):
            return f"Period({_date(value.start)}, {_date(value.end)})"
        case Kind.TEXT if isinstance(value, str):
            return repr(value)
        case Kind.ENUM if isinstance(value, str) and t.name:
            return enum_member(checked.enum(t.name), value)
        case Kind.CITATION if isinstance(value, CitedProvisions):  # whole numbers only: nothing of the text
            return f"CitedProvisions({tuple(tuple(int(n) for n in item) for item in value.items)!r})"
        case (
            Kind.BOOL
            | Kind.INT
            | Kind.NUMBER
            | Kind.MONEY
            | Kind.PERCENTAGE
            | Kind.DATE
            | Kind.DURATION
            | Kind.PERIOD
            | Kind.TEXT
            | Kind.ENUM
            | Kind.RECORD
            | Kind.LIST
            | Kind.CITATION
        ):
            raise ValueError(f"{value!r} is not {t.describe()}")
        case _:
            assert_never(t.kind)


def zero(kind: Kind) -> ir.Value:
    """The total of nothing: `sum(..., zero)`."""
    match kind:
        case Kind.DURATION:
            return ir.Duration(0, 0)
        case Kind.INT | Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE:
            return 0
        case Kind.BOOL | Kind.DATE | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            raise ValueError(f"{kind.value} has no total")
        case _:
            assert_never(kind)


def _inline(kind: Kind) -> bool:
    """Whether a literal of this kind is written where it is used (`True`, `3`, `'x'`, `Gravity.GRAVE`) rather than
    built once as a module constant."""
    match kind:
        case Kind.BOOL | Kind.INT | Kind.TEXT | Kind.ENUM:
            return True
        case (
            Kind.NUMBER
            | Kind.MONEY
            | Kind.PERCENTAGE
            | Kind.DATE
            | Kind.DURATION
            | Kind.PERIOD
            | Kind.RECORD
            | Kind.LIST
            | Kind.CITATION
        ):
            return False
        case _:
            assert_never(kind)


class Literals:
    """Values written in rules, built once as module constants (`_DATE_2022_01_04`) instead of at every use."""

    def __init__(self, checked: ir.Checked) -> None:
        self.checked = checked
        self.by_key: dict[tuple[Kind, str], str] = {}
        self.constants: list[tuple[str, str, str]] = []  # (name, annotation, code)
        self.names: set[str] = set()  # of the constants, kept as they are added: a scan each time was quadratic

    def code(self, value: ir.Value, t: ir.Type) -> str:
        code = value_code(value, t, self.checked)
        if _inline(t.kind):
            return code
        name = self.by_key.get((t.kind, code))  # most values are used again: their words are not needed then
        return name if name is not None else self.constant(code, t, f"{t.kind.value} {_short(value)}")

    def constant(self, code: str, t: ir.Type, words: str) -> str:
        """The module constant holding `code`, named after `words` ("date 2022-01-04" -> `_DATE_2022_01_04`)."""
        key = (t.kind, code)
        if key not in self.by_key:
            name = "_" + (re.sub(r"[^A-Z0-9]+", "_", words.upper()).strip("_")[:60].rstrip("_") or "CONSTANT")
            base, n = name, 2
            while name in self.names:
                name, n = f"{base}_{n}", n + 1
            self.by_key[key] = name
            self.names.add(name)
            self.constants.append((name, annotation(t), code))
        return self.by_key[key]


def _short(value: ir.Value) -> str:
    if isinstance(value, ir.Duration):
        return duration_text(value.months, value.days)
    if isinstance(value, ir.Period):
        return f"{value.start.isoformat()} to {value.end.isoformat()}"
    if isinstance(value, CitedProvisions):
        return value.text
    if isinstance(value, Fraction | int) and not isinstance(value, bool):
        return decimal_text(value).replace("-", "minus ").replace("/", " over ")
    return str(value)
