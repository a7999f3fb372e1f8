"""Explain one decision: decide the case with a trace, read the trace back, and gather the reasons and the changes.

explanation = explain(checked, module, case, locale)   # case: as module.load_case returns it
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler import ir
from compiler.explain.conditions import AtomIndex, Scope, Wording
from compiler.explain.counterfactual import SEARCH_BUDGET, FactPath, Found, Search
from compiler.explain.format import Locale
from compiler.explain.model import Change, ConflictReason, Explanation, Fact, RuleReason
from compiler.explain.reasons import Reasons
from compiler.explain.tracetree import DefinitionNode, TraceTree, read_trace
from compiler.kinds import Kind

CHANGES_SHOWN = 3  # the smallest changes of different facts; the first is the smallest of all


def explain(
    checked: ir.Checked,
    module: ModuleType,
    case: Any,
    locale: Locale,
    case_id: str | None = None,
    search: bool = True,
    index: AtomIndex | None = None,
    budget: int = SEARCH_BUDGET,
) -> Explanation:
    """The explanation of `module.decide(case)`, built from its trace. `index` may be shared between cases; the search
    for changes tries at most `budget` candidate changes."""
    index = index if index is not None else AtomIndex(checked)
    wording = Wording(checked, locale)
    trace = module.Trace()
    decision = conflict = undecided = None
    try:
        decision = module.decide(case, trace)
    except module.ConflictError as error:
        conflict = error
    except module.UndecidedError as error:
        undecided = error
    tree = read_trace(trace.events, index.inside)
    reasons = Reasons(checked, wording, index, tree, case, _work_out(module, case, index))
    outcomes = () if conflict is not None else tuple(reasons.outcome(n) for n in _outcome_nodes(checked, tree))
    changes: tuple[Change, ...] = ()
    tried = attempted = untried = 0
    if decision is not None and search:
        finder = Search(checked, module, index, case)
        finder.read(tree)
        tried = len(finder.facts)
        deciding = {n.definition: n.deciding for n in _outcome_nodes(checked, tree)}
        found = finder.changes(decision, deciding, CHANGES_SHOWN, budget)
        untried = finder.untried
        attempted = finder.tried
        changes = tuple(_change(checked, module, index, wording, reasons, decision, f) for f in found)
    return Explanation(
        title=checked.title,
        file=Path(checked.file).name,
        lang=locale.lang,
        case_id=case_id,
        facts=facts(checked, wording, reasons, case),
        outcomes=outcomes,
        conflict=_conflict(checked, wording, reasons, tree, conflict) if conflict is not None else None,
        undecided=locale.words["cannot_decide"].format(what=undecided.definition, reason=undecided.reason)
        if undecided is not None
        else None,
        changes=changes,
        changes_searched=decision is not None and search,
        searched_facts=tried,
        changes_tried=attempted,
        changes_untried=untried,
    )


def _work_out(module: ModuleType, case: Any, index: AtomIndex) -> Callable[[str], DefinitionNode | None]:
    """A definition of the case the decision did not need, decided by the module on a trace of its own (for a rule
    set aside: would it have applied?); None when the module cannot decide it."""
    found: dict[str, DefinitionNode | None] = {}

    def work_out(ident: str) -> DefinitionNode | None:
        if ident not in found:
            trace = module.Trace()
            try:
                getattr(module.Evaluation(case, trace), ident)()
            except (module.DecisionError, ArithmeticError, ValueError):
                found[ident] = None
            else:
                found[ident] = read_trace(trace.events, index.inside).first.get(ident)
        return found[ident]

    return work_out


def _outcome_nodes(checked: ir.Checked, tree: TraceTree) -> list[DefinitionNode]:
    """Each outcome decided, in the order declared, where it was worked out: at the top of the trace, or inside
    an outcome declared before it that used it (declaration order is free, docs/language.md section 1)."""
    return [node for ident in checked.outcomes if (node := tree.first.get(ident)) is not None]


def facts(checked: ir.Checked, wording: Wording, reasons: Reasons, record: Any, ident: str = "") -> tuple[Fact, ...]:
    """The facts of a record as the drafter named them, lists of records element by element."""
    out: list[Fact] = []
    for field in checked.record(ident or checked.root).fields:
        value = getattr(record, field.ident, None)
        if field.type.traits.container and field.type.name is not None:
            items = value if isinstance(value, tuple) else () if value is None else (value,)
            kind = field.type.name
            elements = tuple(
                (reasons.element_label(kind, i, item), facts(checked, wording, reasons, item, kind))
                for i, item in enumerate(items)
            )
            out.append(Fact(field.ident, field.label, str(len(items)), elements))
        else:
            out.append(Fact(field.ident, field.label, wording.shown(value, field.type)))
    return tuple(out)


def _conflict(checked: ir.Checked, wording: Wording, reasons: Reasons, tree: TraceTree, error: Any) -> ConflictReason:
    """The two rules of equal rank that both applied, with the conditions that made each apply."""
    first, second = checked_rule(checked, error.first.ident), checked_rule(checked, error.second.ident)
    definition = checked.definition(first.definition)
    node = _open(tree.definitions, definition.ident)
    tested = {r.rule: r for r in node.rules} if node is not None else {}
    scope = Scope(reasons.case, node.subject if node is not None else None)

    def reason(rule: ir.RuleDef) -> RuleReason:
        made = reasons.rule(rule, tested.get(rule.ident), scope)
        return RuleReason(**{**made.__dict__, "status": "conflict"})

    return ConflictReason(
        label=definition.label,
        first=reason(first),
        second=reason(second),
        first_value=wording.shown(error.first_value, definition.type),
        second_value=wording.shown(error.second_value, definition.type),
    )


def checked_rule(checked: ir.Checked, ident: str) -> ir.RuleDef:
    return checked.rule(ident)


def _open(nodes: tuple[DefinitionNode, ...], ident: str) -> DefinitionNode | None:
    """The definition the decision stopped in: the innermost open node of that definition."""
    for node in nodes:
        if node.complete:
            continue
        inner = [d for r in node.rules for d in (*r.definitions, *(x for a in r.atoms for x in a.definitions))]
        found = _open(tuple(inner), ident)
        if found is not None:
            return found
        if node.definition == ident:
            return node
    return None


def _change(
    checked: ir.Checked,
    module: ModuleType,
    index: AtomIndex,
    wording: Wording,
    reasons: Reasons,
    before: Any,
    found: Found,
) -> Change:
    candidate = found.candidate
    words = wording.locale.words
    old_shown, new_shown = module.decision_as_dict(before), module.decision_as_dict(found.decision)
    after_tree = read_trace(found.trace.events, index.inside)
    deciding = {n.definition: n.deciding for n in _outcome_nodes(checked, after_tree)}
    outcomes: list[tuple[str, str, str]] = []
    articles: list[str] = []
    for ident in checked.outcomes:
        if old_shown[ident] == new_shown[ident]:
            continue
        definition = checked.definition(ident)
        outcomes.append(
            (
                definition.label,
                reasons.shown_value(getattr(before, ident), definition),
                reasons.shown_value(getattr(found.decision, ident), definition),
            )
        )
        articles += [checked_rule(checked, r).citation.label for r in deciding.get(ident, ())]
    fact, owner = _fact_words(checked, reasons, candidate.path, words)
    return Change(
        path=candidate.path,
        fact=fact,
        field=candidate.field.label,
        owner=owner,
        old=wording.shown(candidate.old, candidate.field.type),
        new=wording.shown(candidate.new, candidate.field.type),
        value=candidate.new,
        outcomes=tuple(outcomes),
        articles=tuple(dict.fromkeys(articles)),
    )


def _fact_words(checked: ir.Checked, reasons: Reasons, path: FactPath, words: dict[str, str]) -> tuple[str, str]:
    """ "the gravity of charge 1 (Article 293 (hooliganism))" for ("charges", 0, "gravity"), and the record it is
    a fact of ("charge 1 (...)"; the case record's name for a fact of the case)."""
    record: Any = reasons.case
    ident = checked.root
    owner = ""
    for step, key in enumerate(path):
        if not isinstance(key, str):
            continue
        field = checked.record(ident).field(key)
        if step == len(path) - 1:
            template = words["fact_element"] if owner else words["fact_root"]
            return template.format(field=field.label, element=owner), owner or checked.record(checked.root).label
        value = getattr(record, field.ident)
        position = path[step + 1] if step + 1 < len(path) else None
        if field.type.kind is Kind.LIST and isinstance(position, int):
            record = value[position]
            owner = reasons.element_label(field.type.name, position, record)
        else:
            record, owner = value, field.label
        ident = field.type.name or ident
    return ".".join(str(k) for k in path), owner
