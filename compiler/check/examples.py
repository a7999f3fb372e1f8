"""The statute's own examples: facts -> a case as JSON would carry it, and the expected outcomes as values."""

from __future__ import annotations

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.month_counting import order_hangs_on_month
from compiler.check.scopes import CheckFailure, Scope
from compiler.check.symbols import DefInfo
from compiler.check.type_rules import fits
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, did_you_mean, error
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.value_forms import json_value, shown_value


def check_examples(
    ctx: CheckContext, definitions: list[ir.Definition] | tuple[ir.Definition, ...]
) -> Passed[tuple[ir.ExampleDef, ...]]:
    """Each example of the statute: its facts as a JSON case, its expectations as values; a problem in an example
    becomes a diagnostic and the example is left out."""
    found = Diagnostics()
    out: list[ir.ExampleDef] = []
    for ex in ctx.statements(s.Example):
        try:
            case = _record(ctx, ctx.symbols.root, ex.facts, ex.span, ctx.root_label)
            expected = tuple(_expected(ctx, e, definitions, case) for e in ex.expectations)
        except CheckFailure as exc:
            found.add(exc.diagnostic, ex.provenance.article)
            continue
        title = ex.title or f"Example at line {ex.span.line}"
        out.append(ir.ExampleDef(title, tuple(a.label for a in ex.articles), case, expected, ex.span))
    return found.passed(tuple(out))


def _record(ctx: CheckContext, record: str, facts: tuple[s.Fact, ...], span: object, label: str) -> dict[str, object]:
    fields = ctx.symbols.fields_by_record[record]
    case: dict[str, object] = {}
    for fact in facts:
        field = fields.get(fact.name.key)
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
        case[field.ident] = _fact_value(ctx, field, fact)
    missing = [f.label for f in fields.values() if not f.optional and f.ident not in case]
    if missing:
        where = facts[0].span if facts else span
        raise CheckFailure(
            error(
                f"this example does not give the {', '.join(missing)} of the {label}",
                where,  # type: ignore[arg-type]
                "every fact not declared ', optional' must be given",
            )
        )
    return case


def _fact_value(ctx: CheckContext, field: ir.FieldDef, fact: s.Fact) -> object:
    """The value an example gives a fact, as a JSON case carries it: a list of records, or a constant that fits the
    field's type and bounds."""
    value = fact.value.value
    kind = field.type.kind
    if kind is Kind.LIST:
        assert field.type.name is not None
        if not isinstance(value, tuple):
            raise CheckFailure(error(f"'{field.label}' is a list: write '(...), (...)' or 'none'", fact.value.span))
        element = ctx.symbols.records[field.type.name]
        return [_record(ctx, element.ident, item, fact.value.span, element.label) for item in value]
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


def _expected(
    ctx: CheckContext,
    e: s.Expectation,
    definitions: list[ir.Definition] | tuple[ir.Definition, ...],
    case: dict[str, object],
) -> ir.Expected:
    sentence = _sentence_target(ctx, e)
    if sentence is not None:  # "the record is sealed", "the record is not sealed"
        return ir.Expected(sentence.ident, not e.negated, False, e.span, None)
    if e.negated:
        raise CheckFailure(
            error(
                "'is not' in an expectation denies a yes/no value named by a whole sentence, and"
                f" '{e.target.name.text} is ...' names none",
                e.span,
                "say what the value is: 'the measure is released', 'the person is covered is no'",
            )
        )
    info, element = _expected_target(ctx, e, definitions, case)
    if e.conflict:
        return ir.Expected(info.ident, None, True, e.span, element)
    assert e.value is not None
    if isinstance(e.value, s.Ref) and e.value.name.key in {"not decided", "undecided"}:
        return ir.Expected(info.ident, None, False, e.span, element)
    expr = ctx.exprs.expr(e.value, Scope(), info.type)
    if not fits(expr.type, info.type):
        raise CheckFailure(
            error(f"'{info.label}' is {info.type.describe()}, but this is {expr.type.describe()}", e.value.span)
        )
    value = ctx.constant(expr)
    if value is None:
        raise CheckFailure(error("an expected value must be a fixed value", e.value.span))
    return ir.Expected(info.ident, value, False, e.span, element)


def _sentence_target(ctx: CheckContext, e: s.Expectation) -> DefInfo | None:
    """The yes/no outcome or definition "the record is sealed" names as a whole sentence, or None (where 'the record'
    is itself an outcome or definition, it is that one that is expected)."""
    if e.number is not None or e.conflict or not isinstance(e.value, s.Ref):
        return None
    sym, subject = ctx.symbols, e.target.name.key
    info = sym.definitions.get((None, f"{subject} is {e.value.name.key}"))
    if info is None or info.kind == "predicate" or info.type != ir.BOOL or (None, subject) in sym.definitions:
        return None
    return info


def _expected_target(
    ctx: CheckContext,
    e: s.Expectation,
    definitions: list[ir.Definition] | tuple[ir.Definition, ...],
    case: dict[str, object],
) -> tuple[DefInfo, tuple[str, int] | None]:
    """What an expectation is about: a definition of the case, or "the charge measure of charge 2", a definition of
    one record of the case's list, numbered from 1 in the order the facts give them."""
    sym, name = ctx.symbols, e.target.name
    if e.number is not None:
        return _record_target(ctx, e, e.number, definitions, case)
    info = sym.definitions.get((None, name.key))
    if info is None or info.kind == "predicate":
        owner = sym.record_for_key(name.segments[-1].key) if len(name.segments) > 1 else None
        key = s.join_names(name.segments[:-1]).key if owner is not None else name.key
        mine = [d for (o, k), d in sym.definitions.items() if k == key and o is not None and d.kind != "predicate"]
        if mine:  # "the charge measure is terminated" where each charge has one
            record = sym.records[mine[0].owner or sym.root].label
            raise CheckFailure(
                error(
                    f"'{mine[0].label}' is decided for each {record}: say for which one",
                    e.target.span,
                    f"write 'the {mine[0].label} of {record} 1 is ...', numbering them from 1 in the order the facts "
                    "give them",
                )
            )
        outcomes = [d.label for d in definitions if d.kind != "predicate" and d.owner is None]
        raise CheckFailure(
            error(
                f"'{name.text}' is not an outcome or definition of this statute",
                e.target.span,
                did_you_mean(name.key, outcomes) or "expect one of: " + ", ".join(outcomes),
            )
        )
    return info, None


def _record_target(
    ctx: CheckContext,
    e: s.Expectation,
    number: int,
    definitions: list[ir.Definition] | tuple[ir.Definition, ...],
    case: dict[str, object],
) -> tuple[DefInfo, tuple[str, int]]:
    sym, name = ctx.symbols, e.target.name
    owner = sym.record_for_key(name.segments[-1].key) if len(name.segments) > 1 else None
    if owner is None or owner == sym.root:
        raise CheckFailure(
            error(
                f"'{name.text} {number}' does not name a record of a list of the case",
                e.target.span,
                "write '<outcome> of <record> <number>', as 'the charge measure of charge 1'",
            )
        )
    record = sym.records[owner].label
    key = s.join_names(name.segments[:-1])
    info = sym.definitions.get((owner, key.key))
    if info is None or info.kind == "predicate":
        known = [d.label for d in definitions if d.owner == owner and d.kind != "predicate"]
        raise CheckFailure(
            error(
                f"'{key.text}' is not an outcome or definition of a {record}",
                key.span,
                did_you_mean(key.key, known) or ("expect one of: " + ", ".join(known) if known else None),
            )
        )
    lists = [f for f in sym.records[sym.root].fields if f.type == ir.Type(Kind.LIST, owner)]
    if len(lists) != 1:
        raise CheckFailure(error(f"a {ctx.root_label} has {len(lists)} lists of {record}: which one is meant?", e.span))
    given = case.get(lists[0].ident)
    count = len(given) if isinstance(given, list) else 0
    if not 1 <= number <= count:
        raise CheckFailure(
            error(
                f"there is no {record} {number}: the facts give {count} in '{lists[0].label}'",
                e.target.span,
                f"number them from 1 in the order the facts give them: {record} 1, {record} 2, ...",
            )
        )
    return info, (lists[0].ident, number - 1)
