"""The facts an example gives, read as a JSON case carries them: each checked against the field's type and bounds.

compiler.check.examples reads an example's facts through here, and so does compiler.check.example_bases for the facts
an example changes in the example it builds on."""

from __future__ import annotations

import json

from compiler.check.check_context import CheckContext
from compiler.check.month_counting import order_hangs_on_month
from compiler.check.scopes import CheckFailure, Scope
from compiler.check.type_rules import fits
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, did_you_mean, error
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.value_forms import json_value, shown_value


def record_facts(
    ctx: CheckContext, record: str, facts: tuple[s.Fact, ...], span: Span, label: str
) -> dict[str, object]:
    """The facts of one record (the case, or a record of a list), every fact not declared optional given."""
    fields = ctx.symbols.fields_by_record[record]
    case: dict[str, object] = {}
    for fact in facts:
        if fact.name.key == "id" and "id" not in fields and _listed(ctx, record):  # "Eille" (...): its id
            case["id"] = _record_id(fact)
            continue
        field = fields.get(fact.name.key)
        group = ctx.symbols.groups.get(record, {}).get(fact.name.key)
        if field is None and group is not None:  # "members": no fact, its roles' records are
            roles = " and ".join(f"'{ctx.symbols.records[record].field(r).label}'" for r in group.roles)
            raise CheckFailure(
                error(
                    f"'{fact.name.text}' is a group of roles, not a fact: give the records of {roles}",
                    fact.name.span,
                )
            )
        if field is None:
            raise CheckFailure(
                error(
                    f"a {label} has no fact '{fact.name.text}'",
                    fact.name.span,
                    did_you_mean(fact.name.key, fields)
                    or "the facts are: " + ", ".join(f.label for f in fields.values()),
                )
            )
        if field.ident in case:
            raise CheckFailure(error(f"'{fact.name.text}' is given twice", fact.name.span))
        case[field.ident] = fact_value(ctx, field, fact)
    missing = [f.label for f in fields.values() if not f.optional and f.ident not in case]
    if missing:
        where = facts[0].span if facts else span
        raise CheckFailure(
            error(
                f"this example does not give the {', '.join(missing)} of the {label}",
                where,
                "every fact not declared ', optional' must be given",
            )
        )
    return case


def fact_value(ctx: CheckContext, field: ir.FieldDef, fact: s.Fact) -> object:
    """The value an example gives a fact, as a JSON case carries it: a list of records, or a constant that fits the
    field's type and bounds."""
    value = fact.value.value
    kind = field.type.kind
    if kind is Kind.LIST:
        assert field.type.name is not None
        if not isinstance(value, tuple):
            raise CheckFailure(error(f"'{field.label}' is a list: write '(...), (...)' or 'none'", fact.value.span))
        element = ctx.symbols.records[field.type.name]
        records = [record_facts(ctx, element.ident, item, fact.value.span, element.label) for item in value]
        ids = [r["id"] for r in records if "id" in r]
        twice = next((i for n, i in enumerate(ids) if i in ids[:n]), None)
        if twice is not None:
            raise CheckFailure(error(f"two of the {field.label} are named {json.dumps(twice)}", fact.value.span))
        return records
    if value == () and kind is Kind.ENUM:  # "none" is also the word for no records: here it is a value's name
        value = s.Name(("none",), fact.value.span)
    if isinstance(value, tuple):
        raise CheckFailure(error(f"'{field.label}' is {field.type.describe()}, not a list", fact.value.span))
    if isinstance(value, s.Name):
        if kind is not Kind.ENUM:
            raise CheckFailure(error(f"'{field.label}' is {field.type.describe()}, not a word", fact.value.span))
        expr = ctx.exprs.expr(s.Ref(value, value.span), Scope(), field.type)
    else:
        expr = ctx.exprs.expr(value, Scope(), field.type)
    if not fits(expr.type, field.type):
        raise CheckFailure(
            error(f"'{field.label}' is {field.type.describe()}, but this is {expr.type.describe()}", fact.value.span)
        )
    constant = ctx.constant(expr)
    if constant is None:  # "role: role": the name of a fact or a definition of the same kind, not one of its values
        enum = ctx.symbols.enums.get(field.type.name or "")
        allowed = [v.text for v in enum.values] if enum is not None else []
        raise CheckFailure(
            error(
                f"'{field.label}' must be given a value here, not the name of a fact or definition",
                fact.value.span,
                "the values are: " + ", ".join(allowed) if allowed else None,
            )
        )
    _check_within_bounds(field, constant, fact.value.span)
    return json_value(constant, field.type)


def _listed(ctx: CheckContext, record: str) -> bool:
    """Whether records of this kind are in a list, and so may be named by an id (ir.Checked.takes_id)."""
    return any(
        f.type == ir.Type(Kind.LIST, record)
        for fields in ctx.symbols.fields_by_record.values()
        for f in fields.values()
    )


def _record_id(fact: s.Fact) -> str | int:
    """The id an example gives a record ("Eille" (...), 7 (...)): a text or a whole number, as a case file's."""
    value = fact.value.value
    if isinstance(value, s.TextLit):
        return value.value
    if isinstance(value, s.NumberLit) and value.is_whole and value.value.denominator == 1:
        return int(value.value)
    raise CheckFailure(error("a record is named by a text or a whole number", fact.value.span))


def _check_within_bounds(field: ir.FieldDef, constant: ir.Value, span: Span) -> None:
    """Refuse a fact's value outside the field's bounds, or whose order against a bound hangs on a month's length."""
    hangs = _bound_hanging_on_month(field, constant)

    def shown(value: ir.Value) -> str:
        return shown_value(value, field.type)

    if hangs is not None:
        raise CheckFailure(
            error(
                f"'{field.label}': {shown(constant)} against the bound {shown(hangs)} depends on how long a month is",
                span,
                f"give it in {'months' if isinstance(hangs, ir.Duration) and hangs.months else 'days'}, as the bound "
                "is, or say 'counting a month as 30 days' after the field's bounds",
            )
        )
    if field.low is not None and field.high is not None and not _within(constant, field.low, field.high):
        raise CheckFailure(
            error(
                f"'{field.label}' must be from {shown(field.low)} to {shown(field.high)}; this is {shown(constant)}",
                span,
            )
        )


def _bound_hanging_on_month(field: ir.FieldDef, value: ir.Value) -> ir.Value | None:
    """The bound of a duration fact whose order with `value` hangs on a month's length, as a case reader finds it."""
    low, high = field.low, field.high
    if field.thirty_day_bounds or not isinstance(value, ir.Duration):
        return None
    if isinstance(low, ir.Duration) and order_hangs_on_month(low, value):
        return low
    if isinstance(high, ir.Duration) and order_hangs_on_month(value, high):
        return high
    return None


def _within(value: ir.Value, low: ir.Value, high: ir.Value) -> bool:
    def key(v: ir.Value) -> object:
        return v.total_days if isinstance(v, ir.Duration) else v

    return bool(key(low) <= key(value) <= key(high))  # type: ignore[operator]
