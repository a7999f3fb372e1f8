"""Guarantees: what must hold for every case. Written by the drafter, or derived from each exclusion.

An exclusion is an exception whose conclusion differs from the conclusions of the rules it prevails over
("the amnesty measure is excluded" over "... is released from punishment"). It yields, unasked, the guarantee that
whenever its condition holds, none of the values it overrides can result, whatever other articles say.
A drafter may switch such guarantees off only with a reason: "Guarantee off (Article 4): "...".".
"""

from __future__ import annotations

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.constants import constant_value
from compiler.check.scopes import CheckFailure, Scope, subject_scope
from compiler.check.symbols import Symbols
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import error
from compiler.model import ir
from compiler.model.kinds import Kind

Guarantees = tuple[tuple[ir.GuaranteeDef, ...], tuple[ir.SwitchedOff, ...]]  # those checked; those switched off


def check_guarantees(ctx: CheckContext, definitions: tuple[ir.Definition, ...]) -> Passed[Guarantees]:
    """The drafter's guarantees, then those derived from each exclusion and not switched off; and those switched
    off, with the drafter's reason."""
    found = Diagnostics()
    written = _written(ctx, found)
    derived = _derived(ctx, definitions)
    off: list[ir.SwitchedOff] = []
    known = {a.label.lower() for a in ctx.statute.articles}
    switched: dict[str, s.GuaranteeOff] = {}
    for stmt in ctx.statements(s.GuaranteeOff):
        for ref in stmt.articles:
            if ref.label.lower() not in known:
                found.add(error(f"there is no {ref.label} in this statute", ref.span))
            switched[ref.label.lower()] = stmt
    kept: list[ir.GuaranteeDef] = []
    for g in derived:
        off_by = switched.get(g.articles[0].lower()) if g.articles else None
        if off_by is not None and g.derived_from is not None:
            stmt = off_by
            if not stmt.reason.strip():
                found.add(error("say why this guarantee is switched off", stmt.span))
            off.append(ir.SwitchedOff(g.derived_from, stmt.reason, stmt.span))
        else:
            kept.append(g)
    return found.passed((tuple(written + kept), tuple(off)))


def _written(ctx: CheckContext, found: Diagnostics) -> list[ir.GuaranteeDef]:
    out: list[ir.GuaranteeDef] = []
    for n, g in enumerate(ctx.statements(s.Guarantee), start=1):
        try:
            premise = ctx.exprs.condition(g.premise, Scope()) if g.premise is not None else None
            conclusion = ctx.exprs.condition(g.conclusion, Scope())
        except CheckFailure as exc:
            found.add(exc.diagnostic, g.provenance.article)
            continue
        title = g.title or ctx.words(g.span).split(":", 1)[-1].strip()
        articles = tuple(a.label for a in g.articles) or ((g.provenance.article.label,) if g.provenance.article else ())
        out.append(
            ir.GuaranteeDef(f"guarantee_{n}", " ".join(title.split()), articles, premise, conclusion, None, g.span)
        )
    return out


MAX_NAMED = 10  # values a derived guarantee's title names; the others it counts


class _Numbered:
    """Each rule's constant value, worked out once and numbered (equal values, one number): a rule of a chain of
    exceptions is below every exception above it, and hashing its value again for each was most of the time."""

    def __init__(self, symbols: Symbols) -> None:
        self.symbols = symbols
        self.numbers: dict[object, int] = {}
        self.rules: dict[str, int | None] = {}  # rule ident -> the number of its value, None if not constant

    def value(self, value: ir.Value) -> int:
        return self.numbers.setdefault(value, len(self.numbers))

    def rule(self, r: ir.RuleDef) -> int | None:
        if r.ident not in self.rules:
            value = constant_value(r.value, self.symbols)
            self.rules[r.ident] = None if value is None else self.value(value)
        return self.rules[r.ident]


def _derived(ctx: CheckContext, definitions: tuple[ir.Definition, ...]) -> list[ir.GuaranteeDef]:
    out: list[ir.GuaranteeDef] = []
    numbered = _Numbered(ctx.symbols)
    for d in definitions:
        if d.owner is not None and _records_of(ctx, d.owner) is None:
            continue  # a record kind in no list of the case: its exceptions are checked through the rules using them
        by_ident = {r.ident: r for r in d.rules}
        overrides: dict[str, list[ir.RuleDef]] = {}  # rule -> the rules it prevails over, in order
        for r in d.rules:
            for prevailing in r.overridden_by:
                overrides.setdefault(prevailing, []).append(r)
        for rule in d.rules:
            guarantee = _exclusion(ctx, d, rule, overrides.get(rule.ident, []), by_ident, numbered)
            if guarantee is not None:
                out.append(guarantee)
    return out


def _exclusion(
    ctx: CheckContext,
    d: ir.Definition,
    rule: ir.RuleDef,
    overridden: list[ir.RuleDef],
    by_ident: dict[str, ir.RuleDef],
    numbered: _Numbered,
) -> ir.GuaranteeDef | None:
    """The guarantee `rule` yields as an exclusion: whenever it applies, none of the values of the rules it prevails
    over results. None if it is not an exclusion (no condition, a value not known in advance, nothing excluded)."""
    if not overridden or rule.condition is None:
        return None
    mine = ctx.constant(rule.value)
    if mine is None:
        return None
    values: list[ir.Expr] = []
    seen = {numbered.value(mine)}
    for r in overridden:
        v = numbered.rule(r)
        if v is not None and v not in seen:
            seen.add(v)
            values.append(r.value)
    if not values:
        return None
    given_way = _given_way_to(rule, by_ident, seen - {numbered.value(mine)}, numbered)
    if given_way is None:
        return None  # a rule without condition prevails over it: it never decides, and guarantees nothing
    records = _records_of(ctx, d.owner) if d.owner is not None else None
    element = (
        ir.VarRef(subject_scope(ctx.symbols.records[d.owner])[1].ident, ir.Type(Kind.RECORD, d.owner), d.span)
        if d.owner is not None
        else None
    )
    subject = ir.DefRef(d.ident, element, d.type, d.span)
    conclusion: ir.Expr = (
        ir.NotE(subject, rule.span)
        if d.type == ir.BOOL and mine is False
        else ir.OneOf(subject, tuple(values), True, rule.span)
    )
    title = _title(ctx, d, rule, mine, values, given_way)
    premise: ir.Expr | None = _premise(rule, given_way)
    if records is not None and element is not None and premise is not None:
        # a record's exception: every record of the case's list keeps it ("every charge where ...")
        body = ir.Or((ir.NotE(premise, rule.span), conclusion), rule.span)
        conclusion, premise = ir.Quant("every", records, element.var, body, rule.span), None
    return ir.GuaranteeDef(
        f"{rule.ident}_excludes", title, (rule.citation.label,), premise, conclusion, rule.ident, rule.span
    )


def _records_of(ctx: CheckContext, owner: str) -> ir.FieldRef | None:
    """The case's list of records of kind `owner` ("the charges"), where the case has exactly one such list."""
    root = ctx.symbols.records[ctx.symbols.root]
    lists = [f for f in root.fields if f.type == ir.Type(Kind.LIST, owner)]
    if len(lists) != 1:
        return None
    f = lists[0]
    span = root.span
    return ir.FieldRef(
        ir.RootRef(ir.Type(Kind.RECORD, root.ident), span), root.ident, f.ident, f.type, f.optional, span
    )


def _title(
    ctx: CheckContext,
    d: ir.Definition,
    rule: ir.RuleDef,
    mine: ir.Value,
    values: list[ir.Expr],
    given_way: list[ir.RuleDef],
) -> str:
    """ "Article 4: whenever <its condition>, the amnesty measure is never release, unless ... (Article 5)"."""
    assert rule.condition is not None
    words = " ".join(ctx.words(rule.condition.span).split())
    never = " or ".join(str(ctx.constant(v)) for v in values[:MAX_NAMED])
    if len(values) > MAX_NAMED:  # a chain of exceptions: each prevails over every rule below it
        never += f", or any of the {len(values) - MAX_NAMED} other values of the rules it prevails over"
    if d.type == ir.BOOL:
        never = "yes" if mine is False else "no"
    label = d.label if d.label.split()[0].lower() in {"the", "a", "an"} else f"the {d.label}"
    if d.owner is not None:  # "for every charge, whenever the charge is covered and ..., its charge measure ..."
        noun = ctx.symbols.records[d.owner].label.lower()
        label = f"its {d.label}" if not d.label.lower().startswith(noun) else f"its {d.label[len(noun) :].strip()}"
        words = f"for every {noun}, whenever {words}"
        title = f"{rule.citation.label}: {words}, {label} is never {never}"
    else:
        title = f"{rule.citation.label}: whenever {words}, {label} is never {never}"
    if given_way:
        title += f", unless an exception that prevails over it applies ({_articles(given_way)})"
    return title


def _given_way_to(
    rule: ir.RuleDef, by_ident: dict[str, ir.RuleDef], excluded: set[int], numbered: _Numbered
) -> list[ir.RuleDef] | None:
    """The rules the guarantee derived from `rule` gives way to: those that lawfully prevail over it (exceptions to its
    article, directly or through others) with a value it excludes (`excluded`, by number) or a value not known in
    advance, in the order of the statute. A rule prevailing with another value changes nothing the guarantee says,
    so it is left out: a chain of exceptions of distinct values keeps premises of one condition each. None when such
    a rule has no condition: `rule` then never decides."""
    out: list[ir.RuleDef] = []
    for ident in rule.overridden_by:
        r = by_ident[ident]
        number = numbered.rule(r)
        if number is not None and number not in excluded:
            continue
        if r.condition is None:
            return None
        out.append(r)
    return sorted(out, key=lambda r: r.span.start)


def _premise(rule: ir.RuleDef, given_way: list[ir.RuleDef]) -> ir.Expr:
    """`rule`'s condition, and that none of the rules it gives way to applies."""
    assert rule.condition is not None
    if not given_way:
        return rule.condition
    span = rule.condition.span
    others = [r.condition for r in given_way if r.condition is not None]
    anyone = others[0] if len(others) == 1 else ir.Or(tuple(others), span)
    return ir.And((rule.condition, ir.NotE(anyone, span)), span)


def _articles(rules: list[ir.RuleDef]) -> str:
    labels = list(dict.fromkeys(r.citation.label for r in rules))
    named = ", ".join(labels[:MAX_NAMED])
    if len(labels) > MAX_NAMED:  # a chain of exceptions: a title of its own length for each rule was quadratic
        named += f" and {len(labels) - MAX_NAMED} other articles"
    return named
