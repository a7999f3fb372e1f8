"""Rules: what each one decides, when it applies, which rules it prevails over, and the order to evaluate them.

Default logic: a rule that prevails over another ("Exception to Article 3") is looked at first; a rule that is
overridden by an applying rule is skipped. Cycles between definitions or between exceptions are errors.
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.constants import never_holds
from compiler.check.prevailing import prevailing_first, prevailing_over
from compiler.check.scopes import CheckFailure, Scope, subject_scope
from compiler.check.symbols import DefInfo, Symbols
from compiler.check.type_rules import fits, require_exact
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import did_you_mean, error, warning
from compiler.model import ir
from compiler.model.idents import snake
from compiler.model.walk import find_all

# The longest chain of definitions each using the next (see _check_chain_length); real statutes reach about 10.
MAX_CHAIN = 100


@dataclass(frozen=True)
class _Draft:
    rule: s.Rule
    info: DefInfo
    ident: str
    condition: ir.Expr | None
    value: ir.Expr


Rules = tuple[tuple[ir.Definition, ...], tuple[str, ...]]  # every definition in dependency order; the outcomes


def check_rules(ctx: CheckContext) -> Passed[Rules]:
    """Each definition with its rules, prevailing rules first, in the order they must be worked out, and the
    outcomes in the order declared. Run after discover_predicates' predicates are in the symbols."""
    found = Diagnostics()
    numbered: dict[str, int] = {}  # article -> rules numbered so far
    broken: set[str] = set()  # definitions with a rule that failed to check: no "no rule decides" warning
    drafts = [d for d in (_draft(ctx, found, r, numbered, broken) for r in ctx.statements(s.Rule)) if d is not None]
    overriders = _overrides(ctx, found, drafts)
    definitions = _definitions(ctx, found, drafts, overriders, broken)
    ordered = _dependency_order(found, definitions)
    outcomes = tuple(
        d.ident for d in sorted(ordered, key=lambda d: d.span.start) if d.kind == "outcome" and d.owner is None
    )
    return found.passed((ordered, outcomes))


def _target(
    sym: Symbols, rule: s.Rule, discovered: Container[tuple[str | None, str]] = ()
) -> tuple[str | None, str] | None:
    """(owner record, definition key) a rule concludes about, or None if the target is not a record's predicate."""
    if not isinstance(rule.value, s.Ref):
        return None
    record = sym.record_for_key(rule.target.key)
    if record is not None:
        return (None if record == sym.root else record, rule.value.name.key)
    key = (None, rule.target.key)
    if key in sym.definitions or key in discovered or rule.target.segments[-1].key in sym.record_keys:
        return None
    # "the ownership requirement is met": a yes/no fact of the case named by the whole sentence.
    return (None, f"{rule.target.key} is {rule.value.name.key}")


def discover_predicates(ctx: CheckContext) -> Passed[dict[tuple[str | None, str], DefInfo]]:
    """ "Rule: a charge is covered if ..." declares the yes/no predicate 'covered' of a charge: each predicate the
    rules declare so, by (owner, key), for check.py to add to the symbols before the rules are checked."""
    sym = ctx.symbols
    predicates: dict[tuple[str | None, str], DefInfo] = {}
    for rule in ctx.statements(s.Rule):
        found = _target(sym, rule, predicates)
        if found is None or found in sym.definitions or found in predicates:
            continue
        owner, key = found
        assert isinstance(rule.value, s.Ref)
        if sym.record_for_key(rule.target.key) is not None:
            record = sym.records[owner or sym.root]
            label = f"{record.label} is {rule.value.name.text}"
            ident = ctx.idents.take(snake(f"{record.label} is {key}"))
        else:
            label = f"{rule.target.text} is {rule.value.name.text}"
            ident = ctx.idents.take(snake(key))
        predicates[found] = DefInfo(
            ident, label, "predicate", owner, ir.BOOL, False, rule.span, ir.Citation(None, None, ())
        )
    return Passed(predicates, ())


def _rule_ident(ctx: CheckContext, rule: s.Rule, numbered: dict[str, int]) -> str:
    """ "article_2_rule_1", "section_121_b_3_rule_2": the article's number kept whole, "(a)" included."""
    article = rule.provenance.article
    base = re.sub(r"[^0-9a-z]+", "_", f"{article.kind} {article.number}".lower()).strip("_") if article else "rule"
    numbered[base] = numbered.get(base, 0) + 1
    return ctx.idents.take(f"{base}_rule_{numbered[base]}")


def _draft(
    ctx: CheckContext, found: Diagnostics, rule: s.Rule, numbered: dict[str, int], broken: set[str]
) -> _Draft | None:
    sym = ctx.symbols
    article = rule.provenance.article
    info: DefInfo | None = None
    try:
        target = _target(sym, rule)
        info = sym.definitions.get(target) if target else None
        if info is None:
            info = _declared(sym, rule.target)
        scope = Scope()
        if info.owner is not None:
            scope, _ = subject_scope(sym.records[info.owner])
        # "Rule: the conviction is expunged if ...": a yes/no outcome or definition named by the whole sentence
        sentence = target is not None and target[0] is None and target[1] != rule.target.key and info.type == ir.BOOL
        if info.kind == "predicate" or (sentence and sym.record_for_key(rule.target.key) is None):
            value: ir.Expr = ir.Lit(not rule.negated, ir.BOOL, rule.value.span)
        else:
            if rule.negated:
                raise CheckFailure(
                    error("'is not' can only deny a yes/no fact; say what the value is", rule.value.span)
                )
            value = ctx.exprs.expr(rule.value, scope, info.type)
            require_exact(value, rule.value.span)
            if not fits(value.type, info.type):
                raise CheckFailure(
                    error(
                        f"'{info.label}' is {info.type.describe()}, but this rule gives {value.type.describe()}",
                        rule.value.span,
                    )
                )
        condition = _condition(ctx, rule, scope)
    except CheckFailure as exc:
        found.add(exc.diagnostic, article)
        if info is not None:
            broken.add(info.ident)
        return None
    if condition is not None and never_holds(condition, sym):
        found.add(warning("this rule can never apply: its condition can never hold", rule.span), article)
    return _Draft(rule, info, _rule_ident(ctx, rule, numbered), condition, value)


def _declared(sym: Symbols, target: s.Name) -> DefInfo:
    info = sym.definitions.get((None, target.key))
    if info is not None:
        return info
    segments = target.segments
    if len(segments) > 1:
        owner = sym.record_for_key(segments[-1].key)
        if owner is not None:
            key = s.join_names(segments[:-1]).key
            info = sym.definitions.get((None if owner == sym.root else owner, key))
            if info is not None:
                return info
    known = [k for (_, k) in sym.definitions]
    raise CheckFailure(
        error(
            f"'{target.text}' is not declared in this statute",
            target.span,
            did_you_mean(target.key, known)
            or f"declare it first: 'Definition {target.text}: <type>.' or 'Outcome {target.text}: <type>.'",
        )
    )


def _condition(ctx: CheckContext, rule: s.Rule, scope: Scope) -> ir.Expr | None:
    condition = ctx.exprs.condition(rule.condition, scope) if rule.condition is not None else None
    if rule.unless is None:
        return condition
    unless = ir.NotE(ctx.exprs.condition(rule.unless, scope), rule.unless.span)
    if condition is None:
        return unless
    return ir.And((condition, unless), condition.span.to(unless.span))


def _overrides(ctx: CheckContext, found: Diagnostics, drafts: list[_Draft]) -> dict[str, set[str]]:
    """rule ident -> the rules that prevail over it directly."""
    known = {a.label.lower(): a for a in ctx.statute.articles}
    prevails: dict[str, set[str]] = {d.ident: set() for d in drafts}
    # Rules by what they decide and by their article's number up to its first bracket: an exception then looks only
    # at the rules it can prevail over, not at every rule of the statute (10,000 articles stay linear).
    candidates: dict[tuple[str, str], list[_Draft]] = {}
    for o in drafts:
        if o.rule.provenance.article is not None:
            base = o.rule.provenance.article.number.split("(")[0]
            candidates.setdefault((o.info.ident, base), []).append(o)
    for d in drafts:
        for ref in d.rule.overrides:
            label = ref.label.lower()
            if label not in known:
                found.add(
                    error(
                        f"there is no {ref.label} in this statute",
                        ref.span,
                        did_you_mean(label, known) or "exceptions name the articles they prevail over",
                    ),
                    d.rule.provenance.article,
                )
                continue
            prefix = re.escape(known[label].number)
            targets = [
                o
                for o in candidates.get((d.info.ident, known[label].number.split("(")[0]), [])
                if o is not d
                and o.rule.provenance.article is not None
                and re.match(prefix + r"($|\()", o.rule.provenance.article.number)
            ]
            if not targets:
                found.add(
                    warning(
                        f"{ref.label} has no rule about '{d.info.label}' for this exception to prevail over", ref.span
                    ),
                    d.rule.provenance.article,
                )
            for o in targets:
                prevails[o.ident].add(d.ident)
    return prevails


def _closure(prevails: dict[str, set[str]], drafts: list[_Draft], found: Diagnostics) -> dict[str, set[str]]:
    """rule ident -> every rule that prevails over it, directly or through others; an exception that prevails over
    itself so is an error."""
    closed: dict[str, set[str]] = {}
    for d in drafts:
        seen = prevailing_over(d.ident, prevails)
        if d.ident in seen:
            found.add(
                error("this exception prevails, through other exceptions, over itself", d.rule.span),
                d.rule.provenance.article,
            )
            seen.discard(d.ident)
        closed[d.ident] = seen
    return closed


def _definitions(
    ctx: CheckContext, found: Diagnostics, drafts: list[_Draft], prevails: dict[str, set[str]], broken: set[str]
) -> list[ir.Definition]:
    closed = _closure(prevails, drafts, found)
    position = {d.ident: i for i, d in enumerate(drafts)}
    by_definition: dict[str, list[_Draft]] = {}
    for d in drafts:
        by_definition.setdefault(d.info.ident, []).append(d)
    result: list[ir.Definition] = []
    for info in ctx.symbols.definitions.values():
        ordered = prevailing_first(by_definition.get(info.ident, []), prevails)
        rules = tuple(
            ir.RuleDef(
                d.ident,
                info.ident,
                ir.Citation(d.rule.provenance.article, d.rule.provenance.quote, d.rule.provenance.notes),
                d.condition,
                d.value,
                tuple(sorted(closed[d.ident], key=position.__getitem__)),
                d.rule.span,
                tuple(sorted(prevails[d.ident] - {d.ident}, key=position.__getitem__)),
            )
            for d in ordered
        )
        if not rules and info.default is None and not info.optional and info.ident not in broken:
            found.add(warning(f"no rule decides '{info.label}'", info.span), info.citation.article)
        citation = info.citation if info.kind != "predicate" or not rules else rules[0].citation
        result.append(
            ir.Definition(
                info.ident,
                info.label,
                info.kind,
                info.owner,
                info.type,
                info.optional,
                info.default,
                rules,
                info.span,
                citation,
            )
        )
    return result


def uses(e: ir.Expr | None) -> set[str]:
    """The definitions an expression refers to."""
    return {ref.definition for ref in find_all(e, ir.DefRef)}


def _dependency_order(found: Diagnostics, definitions: list[ir.Definition]) -> tuple[ir.Definition, ...]:
    """Each definition after those it uses; a cycle is reported where it closes. Walked without recursion."""
    by_ident = {d.ident: d for d in definitions}
    position = {d.ident: i for i, d in enumerate(definitions)}
    needs = {
        d.ident: sorted(
            set().union(*(uses(r.condition) | uses(r.value) for r in d.rules), uses(d.default)),
            key=position.__getitem__,
        )
        for d in definitions
    }
    ordered: list[ir.Definition] = []
    state: dict[str, int] = {}  # 1 visiting, 2 done
    for d in definitions:
        if d.ident in state:
            continue
        state[d.ident] = 1
        path, pending = [d.ident], [iter(needs[d.ident])]
        while pending:
            dep = next(pending[-1], None)
            if dep is None:
                done = path.pop()
                pending.pop()
                state[done] = 2
                ordered.append(by_ident[done])
            elif state.get(dep) == 1:
                _report_cycle(found, by_ident, [*path[path.index(dep) :], dep])
            elif dep not in state:
                state[dep] = 1
                path.append(dep)
                pending.append(iter(needs[dep]))
    _check_chain_length(found, ordered, needs)
    return tuple(ordered)


def _report_cycle(found: Diagnostics, by_ident: dict[str, ir.Definition], cycle: list[str]) -> None:
    d = by_ident[cycle[0]]
    words = " -> ".join(by_ident[i].label for i in cycle)
    found.add(
        error(
            f"'{d.label}' depends on itself: {words}",
            d.rules[0].span if d.rules else d.span,
            "a definition cannot be used, even indirectly, in its own rules",
        ),
        d.citation.article,
    )


def _check_chain_length(found: Diagnostics, ordered: list[ir.Definition], needs: dict[str, list[str]]) -> None:
    """A generated evaluator works a definition out through the ones it uses, one call inside the other; past
    MAX_CHAIN such calls Python would stop it with a RecursionError, so a longer chain is refused here."""
    length: dict[str, int] = {}
    for d in ordered:
        length[d.ident] = 1 + max((length.get(dep, 0) for dep in needs[d.ident]), default=0)
        if length[d.ident] > MAX_CHAIN:
            found.add(
                error(
                    f"'{d.label}' is worked out through a chain of more than {MAX_CHAIN} definitions, "
                    "each using the next; the compiler takes at most that many",
                    d.rules[0].span if d.rules else d.span,
                    "compute some of the steps in one rule, or split the statute",
                ),
                d.citation.article,
            )
            return
