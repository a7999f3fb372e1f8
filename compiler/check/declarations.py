"""The declarations pass: records and their fields, enumerations, the case's record, parameters, and the outcomes and
definitions declared before the rules, entered in the context's symbols in the order written.

It is the first pass, and the one that fills the symbol table; the passes after it read what it entered. A statute
that does not say what a case is about cannot be checked further: that stops the checker at once.
"""

from __future__ import annotations

from typing import Any

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.month_counting import order_hangs_on_month
from compiler.check.roles import check_roles
from compiler.check.scales import check_scales
from compiler.check.scopes import CheckFailure, Scope
from compiler.check.symbols import DefInfo, Symbols
from compiler.check.type_rules import fits, require_exact
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, StatuteError, did_you_mean, error
from compiler.model import ir
from compiler.model.idents import IdentTable, pascal, snake, upper
from compiler.model.kinds import Kind


def citation(p: s.Provenance) -> ir.Citation:
    return ir.Citation(p.article, p.quote, p.notes)


def check_declarations(ctx: CheckContext) -> Passed[None]:
    """Enter the statute's vocabulary, parameters and declarations in `ctx.symbols`; raise StatuteError at once
    if the statute does not say what a case is about."""
    found = Diagnostics()
    _vocabulary(ctx, found)
    check_roles(ctx, found)
    _parameters(ctx, found)
    check_scales(ctx, found)
    _declarations(ctx, found)
    _defaults(ctx, found)
    return found.passed(None)


# ---------------------------------------------------------------- vocabulary


def _vocabulary(ctx: CheckContext, found: Diagnostics) -> None:
    sym = ctx.symbols
    decls: list[s.RecordDecl] = ctx.statements(s.RecordDecl)
    for decl in decls:
        key = decl.name.key
        if key in sym.record_keys:
            found.add(error(f"'{decl.name.text}' is declared twice", decl.name.span))
            continue
        sym.record_keys[key] = ctx.idents.take(pascal(key))
    for decl in decls:
        ident = sym.record_keys.get(decl.name.key)
        if ident is not None and ident not in sym.records:
            _record(ctx, found, decl, ident)
    roots: list[s.CaseDecl] = ctx.statements(s.CaseDecl)
    if not roots:
        span = decls[0].span if decls else Span.unknown(ctx.statute.file)
        found.add(error("the statute does not say what a case is about", span, "add 'Each case is about a person.'"))
        raise StatuteError(found.found)
    root = sym.record_for_key(roots[0].record.key)
    if root is None:
        found.add(
            error(
                f"'{roots[0].record.text}' is not a record declared in this statute",
                roots[0].record.span,
                did_you_mean(roots[0].record.key, sym.record_keys)
                or f"declare it: 'A {roots[0].record.text} has: - ...'",
            )
        )
        raise StatuteError(found.found)
    sym.root = root
    for extra in roots[1:]:
        found.add(error("a statute has one kind of case; this is a second one", extra.span))


def _record(ctx: CheckContext, found: Diagnostics, decl: s.RecordDecl, ident: str) -> None:
    fields: dict[str, ir.FieldDef] = {}
    table = IdentTable()
    for f in decl.fields:
        if f.name.key in fields:
            found.add(error(f"the field '{f.name.text}' is declared twice", f.name.span), decl.provenance.article)
            continue
        if isinstance(f.type, s.MembersType):  # a group of roles, no fact: compiler/check/roles.py
            continue
        try:
            type_, low, high = _type_expr(ctx, f.type, f.name, decl.name.key, field=True)
        except CheckFailure as exc:
            found.add(exc.diagnostic, decl.provenance.article)
            continue
        bounds = getattr(f.type, "bounds", None)
        stated = bounds is not None and bounds.thirty_day_months
        member = f.type.member.text if isinstance(f.type, s.ListType) and f.type.member is not None else None
        fields[f.name.key] = ir.FieldDef(
            table.take(snake(f.name.key)), f.name.text, type_, f.optional, low, high, f.name.span, stated, member
        )
    ctx.symbols.fields_by_record[ident] = fields
    ctx.symbols.records[ident] = ir.RecordDef(ident, decl.name.text, tuple(fields.values()), decl.span)


_SIMPLE = {
    s.BoolType: ir.BOOL,
    s.IntType: ir.INT,
    s.DecimalType: ir.NUMBER,
    s.DateType: ir.DATE,
    s.DurationType: ir.DURATION,
    s.TextType: ir.TEXT,
    s.PercentageType: ir.PERCENTAGE,
}


def declared_type(ctx: CheckContext, t: s.TypeExpr, name: s.Name) -> ir.Type:
    """The type a declaration writes (bounds are checked and dropped): a formula's inputs and result."""
    return _type_expr(ctx, t, name, "")[0]


def _type_expr(
    ctx: CheckContext, t: s.TypeExpr, name: s.Name, owner: str, field: bool = False
) -> tuple[ir.Type, ir.Value | None, ir.Value | None]:
    sym = ctx.symbols
    if not field and isinstance(t, s.MembersType | s.ListType) and (isinstance(t, s.MembersType) or t.member):
        what = "a group of roles" if isinstance(t, s.MembersType) else "a role (', each a ...')"
        raise CheckFailure(
            error(
                f"{what} is a field of a record, not the type of '{name.text}'",
                t.span,
                "declare it in the record's list of facts: 'A household has: - adults: list of person, each an adult'",
            )
        )
    if type(t) in _SIMPLE:
        result = _SIMPLE[type(t)]
    elif isinstance(t, s.MoneyType):
        result = ir.Type(Kind.MONEY, t.currency or ctx.header_value("currency"))
    elif isinstance(t, s.CitationType):
        result = ir.Type(Kind.CITATION, t.code)
    elif isinstance(t, s.EnumType):
        result = _enum(ctx, t, name, owner)
    elif isinstance(t, (s.ListType, s.RecordType)):
        target = t.element if isinstance(t, s.ListType) else t.record
        record = sym.record_for_key(target.key)
        enum = next((e for e in sym.enums.values() if e.label == target.key), None)
        if isinstance(t, s.RecordType) and record is None and enum is not None:
            return ir.Type(Kind.ENUM, enum.ident), None, None  # "a gravity": the values of that field
        if record is None:
            raise CheckFailure(
                error(
                    f"'{target.text}' is not a record declared in this statute",
                    target.span,
                    did_you_mean(target.key, sym.record_keys) or f"declare it: 'A {target.text} has: ...'",
                )
            )
        result = ir.Type(Kind.LIST if isinstance(t, s.ListType) else Kind.RECORD, record)
    else:
        raise AssertionError(t)
    bounds = getattr(t, "bounds", None)
    if bounds is None:
        return result, None, None
    low, high = (_bound(ctx, b, result) for b in (bounds.low, bounds.high))
    _check_bounds(bounds, result, low, high)
    return result, low, high


def _check_bounds(bounds: s.Bounds, type_: ir.Type, low: ir.Value, high: ir.Value) -> None:
    if _order_key(low) > _order_key(high):
        raise CheckFailure(error("the lower bound is above the upper bound", bounds.span))
    if bounds.thirty_day_months and type_.kind is not Kind.DURATION:
        raise CheckFailure(error("only a duration's bounds can count a month as 30 days", bounds.span))
    if not bounds.thirty_day_months and _bounds_hang_on_month(low, high):
        raise CheckFailure(
            error(
                f"whether {_shown_bound(low)} is below {_shown_bound(high)} depends on how long a month is",
                bounds.span,
                "say 'counting a month as 30 days' after the bounds, or give both in months or both in days",
            )
        )


def _bound(ctx: CheckContext, literal: s.Literal, wanted: ir.Type) -> ir.Value:
    value = ctx.exprs.expr(literal, Scope(), wanted)
    if not fits(value.type, wanted):
        raise CheckFailure(
            error(f"this bound is {value.type.describe()}, but the field is {wanted.describe()}", literal.span)
        )
    assert isinstance(value, ir.Lit)
    return value.value


def _enum(ctx: CheckContext, t: s.EnumType, name: s.Name, owner: str) -> ir.Type:
    sym = ctx.symbols
    values: list[ir.EnumValue] = []
    table = IdentTable()
    seen: set[str] = set()
    for v in t.values:
        if v.key in seen:
            raise CheckFailure(error(f"'{v.text}' is listed twice", v.span))
        seen.add(v.key)
        values.append(ir.EnumValue(table.take(upper(v.key)), v.text, v.span))
    for existing in sym.enums.values():  # the same list declared again is the same enumeration
        if [x.text.lower() for x in existing.values] == [x.text.lower() for x in values]:
            return ir.Type(Kind.ENUM, existing.ident)
    ident = pascal(name.key)
    if ident in sym.enums or ident in sym.records:
        ident = pascal(f"{owner} {name.key}")
    ident = ctx.idents.take(ident)
    sym.enums[ident] = ir.EnumDef(ident, name.key, tuple(values), t.span)
    return ir.Type(Kind.ENUM, ident)


# ---------------------------------------------------------------- parameters and declarations


def _parameters(ctx: CheckContext, found: Diagnostics) -> None:
    sym = ctx.symbols
    for p in ctx.statements(s.Parameter):
        article = p.provenance.article
        if p.name.key in sym.parameters:
            found.add(error(f"the parameter '{p.name.text}' is set twice", p.name.span), article)
            continue
        try:
            expr = ctx.exprs.expr(p.value, Scope())
            require_exact(expr, p.value.span)
            value = ctx.constant(expr)
        except CheckFailure as exc:
            found.add(exc.diagnostic, article)
            continue
        if value is None:
            found.add(
                error("a parameter must be a fixed value such as a date, an amount or a fraction", p.value.span),
                article,
            )
            continue
        ident = ctx.idents.take(upper(p.name.key))
        sym.parameters[p.name.key] = ir.ParameterDef(
            ident, p.name.text, expr.type, value, p.span, citation(p.provenance)
        )


def _declarations(ctx: CheckContext, found: Diagnostics) -> None:
    sym = ctx.symbols
    for d in ctx.statements(s.Declaration):
        article = d.provenance.article
        segments = d.name.segments
        owner = sym.record_for_key(segments[-1].key) if len(segments) > 1 else None
        base = s.join_names(segments[:-1]) if owner is not None else d.name
        if owner == sym.root:
            owner = None
        if owner is not None and d.kind == "outcome" and not _listed(sym, owner):
            record, root = sym.records[owner].label, sym.records[sym.root].label
            found.add(
                error(
                    f"an outcome of a {record} is decided for each {record} of a list of the case, "
                    f"but a {root} has no list of {record}",
                    d.name.span,
                    f"give a {root} a list ('- {record}s: list of {record};'), or make it a Definition",
                ),
                article,
            )
            continue
        if (owner, base.key) in sym.definitions or base.key in sym.parameters:
            found.add(error(f"'{base.text}' is declared twice", d.name.span), article)
            continue
        try:
            type_, _, _ = _type_expr(ctx, d.type, base, owner or "")
        except CheckFailure as exc:
            found.add(exc.diagnostic, article)
            continue
        prefix = "" if owner is None else snake(sym.records[owner].label) + "_"
        if owner is not None and snake(base.key).startswith(prefix):
            prefix = ""  # "the charge measure of a charge": charge_measure, not charge_charge_measure
        ident = ctx.idents.take(snake(prefix + base.key))
        sym.definitions[(owner, base.key)] = DefInfo(
            ident, base.text, d.kind, owner, type_, d.optional, d.span, citation(d.provenance)
        )


def _listed(sym: Symbols, record: str) -> bool:
    """Whether the case's record has a list of `record`: its outcomes are then given for each element."""
    return any(f.type == ir.Type(Kind.LIST, record) for f in sym.records[sym.root].fields)


def _defaults(ctx: CheckContext, found: Diagnostics) -> None:
    """A declaration's default, checked once every declaration is known: a default may name another one."""
    for d in ctx.statements(s.Declaration):
        if d.default is None:
            continue
        info = next((i for i in ctx.symbols.definitions.values() if i.span == d.span), None)
        if info is None:
            continue
        try:
            default = ctx.exprs.expr(d.default, Scope(), info.type)
            require_exact(default, d.default.span)
            if not fits(default.type, info.type):
                raise CheckFailure(
                    error(
                        f"the default is {default.type.describe()}, but '{info.label}' is {info.type.describe()}",
                        d.default.span,
                    )
                )
            info.default = default
        except CheckFailure as exc:
            found.add(exc.diagnostic, d.provenance.article)


def _bounds_hang_on_month(low: ir.Value, high: ir.Value) -> bool:
    return isinstance(low, ir.Duration) and isinstance(high, ir.Duration) and order_hangs_on_month(low, high)


def _shown_bound(value: ir.Value) -> str:
    return value.text if isinstance(value, ir.Duration) else str(value)


def _order_key(value: ir.Value) -> Any:
    return value.total_days if isinstance(value, ir.Duration) else value
