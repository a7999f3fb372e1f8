"""Explain one decision: decide the case with a trace, read the trace back, and gather the reasons and the changes.

explanation = explain(checked, evaluator, case, locale)   # evaluator: GeneratedEvaluator; case: its read_case's
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from compiler.backends.python import naming
from compiler.explain.conditions import AtomIndex, Scope, Wording
from compiler.explain.counterfactual import SEARCH_BUDGET, FactPath, Found, Search
from compiler.explain.format import Locale, number_text
from compiler.explain.model import Change, ConflictReason, Explanation, Fact, RuleReason
from compiler.explain.reasons import Reasons
from compiler.explain.tracetree import DefinitionNode, TraceTree, read_trace
from compiler.model import ir
from compiler.model.evaluator import CannotWorkOut, Conflict, Decision, ExplainableEvaluator, Failed, Undecided
from compiler.model.kinds import Kind

CHANGES_SHOWN = 3  # the smallest changes of different facts; the first is the smallest of all
# The records' outcomes a change names, the others counted: a change of the claimant's income changes the outcomes of
# every child, and a sentence naming 3,000 of them is read by no one.
RECORD_CHANGES_SHOWN = 4


class CannotExplain(ValueError):
    """The evaluator failed on the case otherwise than by a conflict or an undecided value."""


def explain(
    checked: ir.Checked,
    evaluator: ExplainableEvaluator,
    case: object,
    locale: Locale,
    case_id: str | None = None,
    search: bool = True,
    index: AtomIndex | None = None,
    budget: int = SEARCH_BUDGET,
) -> Explanation:
    """The explanation of the decision of `case`, built from its trace. `index` may be shared between cases; the
    search for changes tries at most `budget` candidate changes."""
    index = index if index is not None else AtomIndex(checked)
    wording = Wording(checked, locale, _formula_values(evaluator, case))
    traced = evaluator.decide_traced(case)
    if isinstance(traced.result, Failed):
        raise CannotExplain(f"the case cannot be decided: {traced.result.text}")
    tree = read_trace(traced.events, index.inside)
    reasons = Reasons(checked, wording, index, tree, case, _work_out(evaluator, case, index))
    result = traced.result
    conflict = result if isinstance(result, Conflict) else None
    undecided = result if isinstance(result, Undecided) else None
    outcomes = () if conflict is not None else tuple(reasons.outcome(n) for n in _outcome_nodes(checked, tree))
    if conflict is None:
        outcomes += tuple(
            reasons.outcome(node, reasons.element_label(record, number - 1, node.subject, noun), number, key)
            for record, number, node, noun, key in _record_outcome_nodes(checked, tree, case)
        )
    changes: tuple[Change, ...] = ()
    searched = isinstance(result, Decision) and search
    finder = Search(checked, evaluator, index, case, budget)
    if isinstance(result, Decision) and search:
        changes = _changes(checked, finder, wording, reasons, tree, result)
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
        changes_searched=searched,
        searched_facts=len(finder.facts),
        changes_tried=finder.tried,
        changes_untried=finder.untried,
    )


def _changes(
    checked: ir.Checked, finder: Search, wording: Wording, reasons: Reasons, tree: TraceTree, decision: Decision
) -> tuple[Change, ...]:
    """The smallest changes of one fact that change `decision`, searched from the conditions of its trace."""
    finder.read(tree)
    deciding = {n.definition: n.deciding for n in _outcome_nodes(checked, tree)}
    found = finder.changes(decision, deciding, CHANGES_SHOWN, finder.budget)
    return tuple(_change(checked, finder.index, wording, reasons, decision, f) for f in found)


def _work_out(
    evaluator: ExplainableEvaluator, case: object, index: AtomIndex
) -> Callable[[str], DefinitionNode | None]:
    """A definition of the case the decision did not need, decided by the evaluator on a trace of its own (for a
    rule set aside: would it have applied?); None when the evaluator cannot decide it."""
    found: dict[str, DefinitionNode | None] = {}

    def work_out(ident: str) -> DefinitionNode | None:
        if ident not in found:
            traced = evaluator.work_out(case, ident)
            worked = isinstance(traced.result, Decision)
            found[ident] = read_trace(traced.events, index.inside).first.get(ident) if worked else None
        return found[ident]

    return work_out


def _formula_values(evaluator: ExplainableEvaluator, case: object) -> Callable[[ir.Expr], tuple[bool, object]]:
    """A formula's value where a rule used it, as the decider works it out: (found, value)."""

    def value(e: ir.Expr) -> tuple[bool, object]:
        try:
            return True, evaluator.value(case, e)
        except CannotWorkOut:
            return False, None

    return value


def _outcome_nodes(checked: ir.Checked, tree: TraceTree) -> list[DefinitionNode]:
    """Each outcome decided, in the order declared, where it was worked out: at the top of the trace, or inside
    an outcome declared before it that used it (declaration order is free, docs/language.md section 1)."""
    return [node for ident in checked.outcomes if (node := tree.first.get(ident)) is not None]


def _record_outcome_nodes(
    checked: ir.Checked, tree: TraceTree, case: object
) -> list[tuple[str, int, DefinitionNode, str | None, str]]:
    """(record ident, its number from 1, where its outcome was decided, its role's noun if any, its list's key) for
    each outcome of each record of the case's lists, record by record in the case's order, as the decision gives
    them."""
    found: list[tuple[str, int, DefinitionNode, str | None, str]] = []
    for group in checked.record_outcomes:
        noun = checked.record(checked.root).field(group.key).member
        for number, element in enumerate(getattr(case, naming.attribute(group.key), ()), start=1):
            for o in group.outcomes:
                node = next(
                    (n for n in tree.definitions if n.definition == o.definition and n.subject is element), None
                )
                if node is not None:
                    found.append((group.record, number, node, noun, group.key))
    return found


def facts(checked: ir.Checked, wording: Wording, reasons: Reasons, record: object, ident: str = "") -> tuple[Fact, ...]:
    """The facts of a record as the drafter named them, lists of records element by element."""
    out: list[Fact] = []
    for field in checked.record(ident or checked.root).fields:
        value = getattr(record, naming.attribute(field.ident), None)
        if field.type.traits.container and field.type.name is not None:
            items = value if isinstance(value, tuple) else () if value is None else (value,)
            kind = field.type.name
            elements = tuple(
                (reasons.element_label(kind, i, item, field.member), facts(checked, wording, reasons, item, kind))
                for i, item in enumerate(items)
            )
            out.append(Fact(field.ident, field.label, str(len(items)), elements))
        else:
            out.append(Fact(field.ident, field.label, wording.shown(value, field.type)))
    return tuple(out)


def _conflict(
    checked: ir.Checked, wording: Wording, reasons: Reasons, tree: TraceTree, error: Conflict
) -> ConflictReason:
    """The two rules of equal rank that both applied, with the conditions that made each apply."""
    first, second = checked_rule(checked, error.first_rule), checked_rule(checked, error.second_rule)
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
    checked: ir.Checked, index: AtomIndex, wording: Wording, reasons: Reasons, before: Decision, found: Found
) -> Change:
    candidate = found.candidate
    words = wording.locale.words
    old_shown, new_shown = before.shown, found.decision.shown
    after_tree = read_trace(found.events, index.inside)
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
                reasons.shown_value(before.values[ident], definition),
                reasons.shown_value(found.decision.values[ident], definition),
            )
        )
        articles += [checked_rule(checked, r).citation.label for r in deciding.get(ident, ())]
    records = _record_changes(checked, reasons, before, found, after_tree)
    outcomes += [(label, old, new) for label, old, new, _ in records[:RECORD_CHANGES_SHOWN]]
    articles += [checked_rule(checked, r).citation.label for *_, rules in records for r in rules]
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
        more_outcomes=number_text(len(records) - RECORD_CHANGES_SHOWN, wording.locale)
        if len(records) > RECORD_CHANGES_SHOWN
        else "",
    )


def _record_changes(
    checked: ir.Checked, reasons: Reasons, before: Decision, found: Found, after_tree: TraceTree
) -> list[tuple[str, str, str, tuple[str, ...]]]:
    """(label, value before, value after, the rules deciding it after) of each outcome of a record that the change
    changes, record by record in the case's order: "the benefit of child 2 (Bob)", named as the decision names it."""
    words = reasons.wording.locale.words
    deciding = {
        (id(node.subject), node.definition): node.deciding
        for _, _, node, _, _ in _record_outcome_nodes(checked, after_tree, found.case)
    }
    out: list[tuple[str, str, str, tuple[str, ...]]] = []
    for group in checked.record_outcomes:
        noun = checked.record(checked.root).field(group.key).member  # a role's: "child 2", not "person 2"
        records = getattr(reasons.case, naming.attribute(group.key), ())
        changed = getattr(found.case, naming.attribute(group.key), ())
        befores, afters = before.values[group.key], found.decision.values[group.key]
        shown_before, shown_after = before.shown[group.key], found.decision.shown[group.key]
        assert isinstance(befores, tuple) and isinstance(afters, tuple)
        assert isinstance(shown_before, list) and isinstance(shown_after, list)
        for number, (record, after, old, new) in enumerate(zip(records, changed, befores, afters, strict=True), 1):
            for o in group.outcomes:
                if shown_before[number - 1][o.key] == shown_after[number - 1][o.key]:
                    continue
                definition = checked.definition(o.definition)
                element = reasons.element_label(group.record, number - 1, record, noun)
                label = words["record_outcome"].format(outcome=definition.label, element=element)
                shown = reasons.shown_value(old[o.key], definition), reasons.shown_value(new[o.key], definition)
                out.append((label, *shown, deciding.get((id(after), o.definition), ())))
    return out


def _fact_words(checked: ir.Checked, reasons: Reasons, path: FactPath, words: dict[str, str]) -> tuple[str, str]:
    """ "the gravity of charge 1 (Article 293 (hooliganism))" for ("charges", 0, "gravity"), and the record it is
    a fact of ("charge 1 (...)"; the case record's name for a fact of the case)."""
    record: object = reasons.case
    ident = checked.root
    owner = ""
    for step, key in enumerate(path):
        if not isinstance(key, str):
            continue
        field = checked.record(ident).field(key)
        if step == len(path) - 1:
            template = words["fact_element"] if owner else words["fact_root"]
            return template.format(field=field.label, element=owner), owner or checked.record(checked.root).label
        value = getattr(record, naming.attribute(field.ident))
        position = path[step + 1] if step + 1 < len(path) else None
        if field.type.kind is Kind.LIST and isinstance(position, int):
            record = value[position]
            owner = reasons.element_label(field.type.name, position, record, field.member)
        else:
            record, owner = value, field.label
        ident = field.type.name or ident
    return ".".join(str(k) for k in path), owner
