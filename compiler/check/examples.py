"""The statute's own examples: facts -> a case as JSON would carry it, and the expected outcomes as values."""

from __future__ import annotations

import json

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.example_bases import Budget, expand
from compiler.check.example_facts import record_facts
from compiler.check.example_order import order_examples
from compiler.check.scopes import CheckFailure, Scope
from compiler.check.symbols import DefInfo
from compiler.check.type_rules import fits
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import did_you_mean, error
from compiler.model import ir
from compiler.model.kinds import Kind


def check_examples(
    ctx: CheckContext, definitions: list[ir.Definition] | tuple[ir.Definition, ...]
) -> Passed[tuple[ir.ExampleDef, ...]]:
    """Each example of the statute: its facts as a JSON case (those of an example built on another expanded from its
    base's), its expectations as values; a problem in an example becomes a diagnostic and the example is left out.
    The examples come out in the order written, whatever order they were expanded in."""
    found = Diagnostics()
    examples = ctx.statements(s.Example)
    plan = order_examples(examples)
    for i, d in plan.diagnostics:
        found.add(d, examples[i].provenance.article)
    cases: dict[int, dict[str, object]] = {}
    done: dict[int, ir.ExampleDef] = {}
    budget = Budget()
    for i in plan.order:
        ex = examples[i]
        try:
            case = _case(ctx, ex, cases.get(plan.bases.get(i, -1)), budget)
            if case is None:
                continue  # its base was refused: the diagnostic is there
            expected = tuple(_expected(ctx, e, definitions, case) for e in ex.expectations)
        except CheckFailure as exc:
            found.add(exc.diagnostic, ex.provenance.article)
            continue
        finally:
            for d in budget.warnings:
                found.add(d, ex.provenance.article)
            budget.warnings.clear()
        cases[i] = case
        title = ex.title or f"Example at line {ex.span.line}"
        done[i] = ir.ExampleDef(title, tuple(a.label for a in ex.articles), case, expected, ex.span)
    return found.passed(tuple(done[i] for i in sorted(done)))


def _case(
    ctx: CheckContext, ex: s.Example, base_case: dict[str, object] | None, budget: Budget
) -> dict[str, object] | None:
    """The example's facts as a JSON case: written out, or expanded from its base's (None if the base was refused)."""
    if ex.base is None:
        return record_facts(ctx, ctx.symbols.root, ex.facts, ex.span, ctx.root_label)
    if base_case is None:
        return None
    return expand(ctx, ex.base, base_case, budget)


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
    if e.number is not None or e.named is not None:
        return _record_target(ctx, e, definitions, case)
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
    definitions: list[ir.Definition] | tuple[ir.Definition, ...],
    case: dict[str, object],
) -> tuple[DefInfo, tuple[str, int]]:
    """ "the charge measure of charge 2", 'the age of the child "Eille"', "the basic income of adult 2": a definition
    of one record of a list of the case, by its kind or its role's noun, and its number from 1 or its id."""
    sym, name = ctx.symbols, e.target.name
    which = f"{e.number}" if e.named is None else json.dumps(e.named, ensure_ascii=False)
    last = name.segments[-1] if len(name.segments) > 1 else None
    role = sym.nouns.get(last.key) if last is not None else None
    root_fields = sym.records[sym.root].fields
    if role is not None and role[0] == sym.root and any(f.ident == role[1] for f in root_fields):
        lists = [f for f in root_fields if f.ident == role[1]]
        owner: str | None = lists[0].type.name
        record = lists[0].member or ""
    else:
        owner = sym.record_for_key(last.key) if last is not None else None
        lists = [f for f in root_fields if f.type == ir.Type(Kind.LIST, owner)]
        record = sym.records[owner].label if owner is not None else ""
    if owner is None or owner == sym.root:
        raise CheckFailure(
            error(
                f"'{name.text} {which}' does not name a record of a list of the case",
                e.target.span,
                "write '<outcome> of <record> <number>', as 'the charge measure of charge 1'",
            )
        )
    assert last is not None
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
    if len(lists) != 1:
        nouns = [f"'{f.member} {which}'" for f in lists if f.member]
        raise CheckFailure(
            error(
                f"a {ctx.root_label} has {len(lists)} lists of {record}: which one is meant?",
                e.span,
                "name it by its role: " + " or ".join(nouns) if nouns else None,
            )
        )
    given = case.get(lists[0].ident)
    records = given if isinstance(given, list) else []
    if e.named is not None:
        ids = [r.get("id") for r in records if isinstance(r, dict)]
        if e.named not in ids:
            named = [json.dumps(i, ensure_ascii=False) for i in ids if i is not None]
            raise CheckFailure(
                error(
                    f"no {record} is named {which} in '{lists[0].label}'",
                    e.target.span,
                    ("the facts name " + ", ".join(named)) if named else 'name it before its facts: "Eille" (...)',
                )
            )
        return info, (lists[0].ident, ids.index(e.named))
    number = e.number or 0
    if not 1 <= number <= len(records):
        raise CheckFailure(
            error(
                f"there is no {record} {number}: the facts give {len(records)} in '{lists[0].label}'",
                e.target.span,
                f"number them from 1 in the order the facts give them: {record} 1, {record} 2, ...",
            )
        )
    return info, (lists[0].ident, number - 1)
