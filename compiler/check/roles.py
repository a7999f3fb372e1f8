"""Households: the roles of a record and its groups of roles (docs/language.md, "Households: members in roles").

    A household has:
      - adults: list of person, each an adult;        a role: its noun names one of its records
      - children: list of person, each a child;
      - members: the adults and the children, each a member.   a group: no fact, its roles one after the other

This pass runs after the records' fields are declared (compiler/check/declarations.py). It checks each role's noun
and each group, and enters them in the symbols: `nouns` for "any adult", "the child", "the person is a child";
`groups` for "the members". The expression checker reads them (compiler/check/references.py).
"""

from __future__ import annotations

import dataclasses

from compiler.check.check_context import CheckContext, Diagnostics
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import error
from compiler.model import ir
from compiler.model.idents import snake
from compiler.model.kinds import Kind


def check_roles(ctx: CheckContext, found: Diagnostics) -> None:
    """Enter every role's noun and every group of roles, or say what is wrong with one."""
    sym = ctx.symbols
    for decl in ctx.statements(s.RecordDecl):
        ident = sym.record_keys.get(decl.name.key)
        if ident is None or ident not in sym.records:
            continue
        for f in decl.fields:
            field = sym.fields_by_record[ident].get(f.name.key)
            if isinstance(f.type, s.ListType) and f.type.member is not None and field is not None:
                _noun(ctx, found, decl, f.type.member, ident, field.ident)
        for f in decl.fields:
            if isinstance(f.type, s.MembersType):
                group = _group(ctx, found, decl, ident, f)
                if group is not None:
                    sym.groups.setdefault(ident, {})[f.name.key] = group
        if ident in sym.groups:
            sym.records[ident] = dataclasses.replace(sym.records[ident], groups=tuple(sym.groups[ident].values()))


def _noun(ctx: CheckContext, found: Diagnostics, decl: s.RecordDecl, noun: s.Name, owner: str, role: str) -> bool:
    """Enter `noun` as naming one record of `role`; False (and an error) where the noun is taken."""
    sym = ctx.symbols
    key = noun.key
    taken = None
    if key in sym.nouns:
        other = sym.nouns[key][1]
        taken = f"'{noun.text}' already names one of the {other.replace('_', ' ')}"
    elif key in sym.record_keys:
        taken = f"'{noun.text}' is the name of a kind of record"
    elif any(key in fields for fields in sym.fields_by_record.values()):
        taken = f"'{noun.text}' is the name of a fact"
    if taken is not None:
        found.add(
            error(
                f"{taken}: a role's noun must be a word of its own",
                noun.span,
                "choose another noun, as 'each an adult', 'each a child'",
            ),
            decl.provenance.article,
        )
        return False
    sym.nouns[key] = (owner, role)
    return True


def _group(ctx: CheckContext, found: Diagnostics, decl: s.RecordDecl, owner: str, f: s.Field) -> ir.GroupDef | None:
    """The group of roles `f` declares ("members: the adults and the children, each a member"), or None with an
    error: its roles must be lists or records of the same record, each named once."""
    assert isinstance(f.type, s.MembersType)
    sym = ctx.symbols
    fields = sym.fields_by_record[owner]
    article = decl.provenance.article
    if f.name.key in fields or f.name.key in sym.groups.get(owner, {}):
        found.add(error(f"the field '{f.name.text}' is declared twice", f.name.span), article)
        return None
    if f.optional:
        found.add(error(f"'{f.name.text}' is a group of roles, never given: it cannot be optional", f.span), article)
        return None
    roles: list[ir.FieldDef] = []
    for name in f.type.roles:
        role = fields.get(name.key)
        if role is None or role.type.kind is not Kind.LIST:  # a role one person holds (a record field): not yet
            found.add(
                error(
                    f"'{name.text}' is not a list of a {decl.name.text}",
                    name.span,
                    "a group names the lists it joins, as 'the adults and the children'",
                ),
                article,
            )
            return None
        if role in roles:
            found.add(error(f"'{name.text}' is named twice in this group", name.span), article)
            return None
        roles.append(role)
    kinds = {r.type.name for r in roles}
    if len(kinds) > 1:
        first, other = roles[0], next(r for r in roles if r.type.name != roles[0].type.name)
        held = [sym.records[r.type.name or ""].label for r in (first, other)]
        found.add(
            error(
                f"{first.label} hold {held[0]}s but {other.label} hold {held[1]}s: members must be of one kind",
                f.type.span,
            ),
            article,
        )
        return None
    ident = snake(f.name.key)
    member = f.type.member
    if member is not None and not _noun(ctx, found, decl, member, owner, ident):
        return None
    return ir.GroupDef(
        ident,
        f.name.text,
        member.text if member is not None else None,
        tuple(r.ident for r in roles),
        roles[0].type.name or "",
        f.name.span,
    )
