"""A value of the checked model in the two forms every later stage writes it in: as a JSON case file carries it
(`json_value`: examples, schemas, results) and as a drafter reads it in a message, a report or a diff
(`shown_value`). Both go by the value's type, so that a percentage is "15%" and not 0.15; the text forms
themselves are compiler/values.py's."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from fractions import Fraction
from typing import assert_never

from compiler.citations import CitedProvisions
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import number_text, percentage_text, period_text


def json_value(value: ir.Value, type_: ir.Type) -> object:
    """A value of type `type_` in the form a JSON case file carries it."""
    match type_.kind:
        case Kind.BOOL | Kind.INT | Kind.TEXT | Kind.ENUM | Kind.RECORD | Kind.LIST:
            return value
        case Kind.NUMBER | Kind.MONEY:
            return number_text(value) if isinstance(value, Fraction) else value
        case Kind.PERCENTAGE:
            assert isinstance(value, int | Fraction)
            return percentage_text(value)
        case Kind.DURATION:
            assert isinstance(value, ir.Duration)
            return value.text
        case Kind.PERIOD:
            assert isinstance(value, ir.Period)
            return {"start": value.start.isoformat(), "end": value.end.isoformat()}
        case Kind.DATE:
            assert isinstance(value, datetime.date)
            return value.isoformat()
        case Kind.CITATION:
            assert isinstance(value, CitedProvisions)
            return value.text
        case _:
            assert_never(type_.kind)


def shown_value(value: ir.Value, type_: ir.Type) -> str:
    """A value of the statute as a drafter reads it in a message, a report or a diff: its case-file text, with
    "yes" or "no" and "from 2022-01-01 to 2022-12-31" (values.period_text) for a period."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, ir.Period):
        return period_text(value.start, value.end)
    return str(json_value(value, type_))


def expected_record(checked: ir.Checked, expected: ir.Expected, case: Mapping[str, object] | None = None) -> str:
    """The record an example's expectation is about, as the drafter named it: "charge 2", 'child "Eille"' where the
    example's `case` names it; "" for the case."""
    if expected.element is None:
        return ""
    definition = checked.definition(expected.definition)
    assert definition.owner is not None
    key, index = expected.element
    role = checked.record(checked.root).field(key).member  # "child 2", not "person 2", for a role
    label = role or checked.record(definition.owner).label
    records = case.get(key) if case is not None else None
    given = records[index].get("id") if isinstance(records, list) and isinstance(records[index], dict) else None
    if isinstance(given, str | int) and not isinstance(given, bool):
        return f'{label} "{given}"'
    return f"{label} {index + 1}"
