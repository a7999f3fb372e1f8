"""Rules: what each one decides, when it applies, which rules it prevails over, and the order to evaluate them.

Default logic: a rule that prevails over another ("Exception to Article 3") is looked at first; a rule that is
overridden by an applying rule is skipped. Cycles between definitions or between exceptions are errors.
"""

from __future__ import annotations

import dataclasses
import heapq
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from compiler import ir
from compiler import syntax as s
from compiler.constants import never_holds
from compiler.diagnostics import did_you_mean, error, warning
from compiler.idents import snake
from compiler.scopes import CheckFailure, Scope
from compiler.symbols import DefInfo
from compiler.type_rules import fits, require_exact

if TYPE_CHECKING:
    from compiler.check import _Checker

# The longest chain of definitions each using the next (see _check_chain_length); real statutes reach about 10.
MAX_CHAIN = 100


@dataclass(frozen=True)
class _Draft:
    rule: s.Rule
    info: DefInfo
    ident: str
    condition: ir.Expr | None
    value: ir.Expr


def check_rules(checker: _Checker) -> tuple[tuple[ir.Definition, ...], tuple[str, ...]]:
    rules: list[s.Rule] = checker.of_kind(s.Rule)
    _discover_predicates(checker, rules)
    drafts = [d for d in (_draft(checker, r, i) for i, r in enumerate(rules)) if d is not None]
    overriders = _overrides(checker, drafts)
    definitions = _definitions(checker, drafts, overriders)
    ordered = _dependency_order(checker, definitions)
    outcomes = tuple(d.ident for d in sorted(ordered, key=lambda d: d.span.start) if d.kind == "outcome")
    return ordered, outcomes


def _target(checker: _Checker, rule: s.Rule) -> tuple[str | None, str] | None:
    """(owner record, definition key) a rule concludes about, or None if the target is not a record's predicate."""
    sym = checker.sym
    if not isinstance(rule.value, s.Ref):
        return None
    record = sym.record_for_key(rule.target.key)
    if record is not None:
        return (None if record == sym.root else record, rule.value.name.key)
    if (None, rule.target.key) in sym.definitions or rule.target.segments[-1].key in sym.record_keys:
        return None
    # "the ownership requirement is met": a yes/no fact of the case named by the whole sentence.
    return (None, f"{rule.target.key} is {rule.value.name.key}")


def _discover_predicates(checker: _Checker, rules: list[s.Rule]) -> None:
    """ "Rule: a charge is covered if ..." declares the yes/no predicate 'covered' of a charge."""
    sym = checker.sym
    for rule in rules:
        found = _target(checker, rule)
        if found is None or found in sym.definitions:
            continue
        owner, key = found
        assert isinstance(rule.value, s.Ref)
        if sym.record_for_key(rule.target.key) is not None:
            record = sym.records[owner or sym.root]
            label = f"{record.label} is {rule.value.name.text}"
            ident = checker.idents.take(snake(f"{record.label} is {key}"))
        else:
            label = f"{rule.target.text} is {rule.value.name.text}"
            ident = checker.idents.take(snake(key))
        sym.definitions[found] = DefInfo(
            ident, label, "predicate", owner, ir.BOOL, False, rule.span, ir.Citation(None, None, ())
        )


def _rule_ident(checker: _Checker, rule: s.Rule) -> str:
    """ "article_2_rule_1", "section_121_b_3_rule_2": the article's number kept whole, "(a)" included."""
    article = rule.provenance.article
    base = re.sub(r"[^0-9a-z]+", "_", f"{article.kind} {article.number}".lower()).strip("_") if article else "rule"
    counters = checker.rule_counters
    counters[base] = counters.get(base, 0) + 1
    return checker.idents.take(f"{base}_rule_{counters[base]}")


def _draft(checker: _Checker, rule: s.Rule, index: int) -> _Draft | None:
    sym = checker.sym
    article = rule.provenance.article
    info: DefInfo | None = None
    try:
        found = _target(checker, rule)
        info = sym.definitions.get(found) if found else None
        if info is None:
            info = _declared(checker, rule.target)
        scope = Scope()
        if info.owner is not None:
            scope, _ = scope.bind(sym.records[info.owner].label.lower(), info.owner)
        if info.kind == "predicate":
            value: ir.Expr = ir.Lit(not rule.negated, ir.BOOL, rule.value.span)
        else:
            if rule.negated:
                raise CheckFailure(
                    error("'is not' can only deny a yes/no fact; say what the value is", rule.value.span)
                )
            value = checker.exprs.expr(rule.value, scope, info.type)
            require_exact(value, rule.value.span)
            if not fits(value.type, info.type):
                raise CheckFailure(
                    error(
                        f"'{info.label}' is {info.type.describe()}, but this rule gives {value.type.describe()}",
                        rule.value.span,
                    )
                )
        condition = _condition(checker, rule, scope)
    except CheckFailure as exc:
        checker.report(exc.diagnostic, article)
        if info is not None:
            checker.broken_definitions.add(info.ident)
        return None
    if condition is not None and never_holds(condition, sym):
        checker.report(warning("this rule can never apply: its condition can never hold", rule.span), article)
    return _Draft(rule, info, _rule_ident(checker, rule), condition, value)


def _declared(checker: _Checker, target: s.Name) -> DefInfo:
    sym = checker.sym
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


def _condition(checker: _Checker, rule: s.Rule, scope: Scope) -> ir.Expr | None:
    condition = checker.exprs.condition(rule.condition, scope) if rule.condition is not None else None
    if rule.unless is None:
        return condition
    unless = ir.NotE(checker.exprs.condition(rule.unless, scope), rule.unless.span)
    if condition is None:
        return unless
    return ir.And((condition, unless), condition.span.to(unless.span))


def _overrides(checker: _Checker, drafts: list[_Draft]) -> dict[str, set[str]]:
    """rule ident -> the rules that prevail over it directly."""
    known = {a.label.lower(): a for a in checker.statute.articles}
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
                checker.report(
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
                checker.report(
                    warning(
                        f"{ref.label} has no rule about '{d.info.label}' for this exception to prevail over", ref.span
                    ),
                    d.rule.provenance.article,
                )
            for o in targets:
                prevails[o.ident].add(d.ident)
    return prevails


def _closure(prevails: dict[str, set[str]], drafts: list[_Draft], checker: _Checker) -> dict[str, set[str]]:
    closed: dict[str, set[str]] = {}
    for d in drafts:
        seen: set[str] = set()
        stack = list(prevails[d.ident])
        while stack:
            x = stack.pop()
            if x not in seen:
                seen.add(x)
                stack.extend(prevails[x])
        if d.ident in seen:
            checker.report(
                error("this exception prevails, through other exceptions, over itself", d.rule.span),
                d.rule.provenance.article,
            )
            seen.discard(d.ident)
        closed[d.ident] = seen
    return closed


def _definitions(checker: _Checker, drafts: list[_Draft], prevails: dict[str, set[str]]) -> list[ir.Definition]:
    closed = _closure(prevails, drafts, checker)
    position = {d.ident: i for i, d in enumerate(drafts)}
    by_definition: dict[str, list[_Draft]] = {}
    for d in drafts:
        by_definition.setdefault(d.info.ident, []).append(d)
    result: list[ir.Definition] = []
    for info in checker.sym.definitions.values():
        ordered = _prevailing_first(by_definition.get(info.ident, []), prevails)
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
        if not rules and info.default is None and not info.optional and info.ident not in checker.broken_definitions:
            checker.report(warning(f"no rule decides '{info.label}'", info.span), info.citation.article)
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


def _prevailing_first(mine: list[_Draft], prevails: dict[str, set[str]]) -> list[_Draft]:
    """The rules of one definition, those that prevail first; among equals, the order of the statute.

    A rule is ready when no rule still waiting prevails over it directly (then none prevails over it through others
    either: those were placed first); of the ready ones the earliest goes next. In a cycle (already reported) none is
    ready, and the earliest waiting rule goes next. Direct exceptions only: linear in a chain of exceptions.
    """
    index = {d.ident: i for i, d in enumerate(mine)}
    blocking = {d.ident: sum(1 for o in prevails[d.ident] if o in index and o != d.ident) for d in mine}
    blocks: dict[str, list[str]] = {}
    for d in mine:
        for o in prevails[d.ident]:
            if o in index and o != d.ident:
                blocks.setdefault(o, []).append(d.ident)
    ready = [index[d.ident] for d in mine if blocking[d.ident] == 0]
    heapq.heapify(ready)
    waiting = set(index)
    ordered: list[_Draft] = []
    while waiting:
        while ready and mine[ready[0]].ident not in waiting:
            heapq.heappop(ready)
        chosen = mine[heapq.heappop(ready)] if ready else mine[min(index[i] for i in waiting)]
        ordered.append(chosen)
        waiting.discard(chosen.ident)
        for other in blocks.get(chosen.ident, ()):
            blocking[other] -= 1
            if blocking[other] == 0 and other in waiting:
                heapq.heappush(ready, index[other])
    return ordered


def uses(e: ir.Expr | None) -> set[str]:
    """The definitions an expression refers to. Walked without recursion: it runs on every rule."""
    found: set[str] = set()
    stack = [e] if e is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, ir.DefRef):
            found.add(node.definition)
        stack += _children(node)
    return found


_CHILD_FIELDS = ("subject", "left", "right", "operand", "low", "high", "period", "source", "body", "value", "where")
_fields_of: dict[type, tuple[tuple[str, ...], tuple[str, ...]]] = {}  # node class -> its child fields, list fields


def _children(e: ir.Expr) -> list[ir.Expr]:
    fields = _fields_of.get(type(e))
    if fields is None:  # looked up once per node class, not once per node
        names = {f.name for f in dataclasses.fields(e)} if dataclasses.is_dataclass(e) else set(dir(e))
        fields = _fields_of[type(e)] = (
            tuple(n for n in _CHILD_FIELDS if n in names),
            tuple(n for n in ("items", "values") if n in names),
        )
    out: list[ir.Expr] = []
    for name in fields[0]:
        child = getattr(e, name)
        if child is not None and not isinstance(child, (str, bool, int)) and hasattr(child, "span"):
            out.append(child)
    for name in fields[1]:
        out.extend(getattr(e, name))
    return out


def _dependency_order(checker: _Checker, definitions: list[ir.Definition]) -> tuple[ir.Definition, ...]:
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
                _report_cycle(checker, by_ident, [*path[path.index(dep) :], dep])
            elif dep not in state:
                state[dep] = 1
                path.append(dep)
                pending.append(iter(needs[dep]))
    _check_chain_length(checker, ordered, needs)
    return tuple(ordered)


def _report_cycle(checker: _Checker, by_ident: dict[str, ir.Definition], cycle: list[str]) -> None:
    d = by_ident[cycle[0]]
    words = " -> ".join(by_ident[i].label for i in cycle)
    checker.report(
        error(
            f"'{d.label}' depends on itself: {words}",
            d.rules[0].span if d.rules else d.span,
            "a definition cannot be used, even indirectly, in its own rules",
        ),
        d.citation.article,
    )


def _check_chain_length(checker: _Checker, ordered: list[ir.Definition], needs: dict[str, list[str]]) -> None:
    """A generated evaluator works a definition out through the ones it uses, one call inside the other; past
    MAX_CHAIN such calls Python would stop it with a RecursionError, so a longer chain is refused here."""
    length: dict[str, int] = {}
    for d in ordered:
        length[d.ident] = 1 + max((length.get(dep, 0) for dep in needs[d.ident]), default=0)
        if length[d.ident] > MAX_CHAIN:
            checker.report(
                error(
                    f"'{d.label}' is worked out through a chain of more than {MAX_CHAIN} definitions, "
                    "each using the next; the compiler takes at most that many",
                    d.rules[0].span if d.rules else d.span,
                    "compute some of the steps in one rule, or split the statute",
                ),
                d.citation.article,
            )
            return
