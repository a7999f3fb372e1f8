"""The reasons of a decision, read from its trace tree: the rules that decided each outcome with the conditions that
held, the exceptions considered, why each other value was not reached, and the definitions used, explained in turn.

A case-level definition is computed once and used in many conditions; it is explained in full where it is first
met in the explanation (outcomes in order: why, exceptions, why not) and referred to after that.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections import Counter
from collections.abc import Iterable, Sequence

from compiler.backends.python import naming
from compiler.explain.conditions import AtomIndex, DefinitionValue, Scope, Wording, definition_refs
from compiler.explain.formulas import Formulas
from compiler.explain.model import (
    Alternative,
    Condition,
    Derived,
    ElementReason,
    OutcomeReason,
    RuleReason,
    ScaleSteps,
)
from compiler.explain.scales import applied_scales
from compiler.explain.skipped import failing_part
from compiler.explain.tracetree import Atom, DefinitionNode, RuleNode, TraceTree
from compiler.explain.untested import Untested, WorkOut
from compiler.model import ir
from compiler.model.kinds import Kind


class Reasons:
    def __init__(
        self,
        checked: ir.Checked,
        wording: Wording,
        index: AtomIndex,
        tree: TraceTree,
        case: object,
        work_out: WorkOut | None = None,
    ) -> None:
        self.checked, self.wording, self.index, self.tree = checked, wording, index, tree
        self.case, self.work_out = case, work_out
        self.formulas = Formulas(checked, wording, self._anchor)
        self.rules = {r.ident: r for d in checked.definitions for r in d.rules}
        self.explained: dict[str, str] = {}  # case-level definition -> anchor of its full explanation
        # An outcome's own section is `why-<outcome>`: where an outcome declared before it explains it on the way,
        # that explanation takes `why-<outcome>-2`, so no two parts of a page share an anchor.
        self.anchors: Counter[str] = Counter(checked.outcomes)
        self.quotes: dict[str, list[tuple[int, str]]] = {}  # article label -> (offset, quote) of its passages
        for rule in sorted(self.rules.values(), key=lambda r: r.span.start):
            if rule.citation.quote:
                self.quotes.setdefault(rule.citation.label, []).append((rule.span.start, rule.citation.quote))

    # ------------------------------------------------------------------ outcomes

    def outcome(self, node: DefinitionNode, record: str = "", number: int = 0, key: str = "") -> OutcomeReason:
        """Why an outcome has its value: the case's, or, with `record` ("charge 2"), that record's (node.subject),
        the `number`th of its list."""
        definition = self.checked.definition(node.definition)
        if node.subject is None:
            self.explained.setdefault(node.definition, f"why-{node.definition}")
        scope = Scope(self.case, node.subject)
        tested = {r.rule: r for r in node.rules}
        deciding = [r for r in definition.rules if r.ident in node.deciding]
        value = self.shown_value(node.value, definition)
        because = tuple(self.rule(r, tested.get(r.ident), scope, node.value) for r in deciding)
        considered = _unique(e for r in deciding for e in r.overridden_by)
        exceptions = tuple(self.rule(self.rules[e], tested.get(e), scope, within=node) for e in considered)
        # "prevails over the general rule of ...": only the articles an exception that decided names, and only
        # their rules that would have applied (a rule that could not have applied anyway is not set aside)
        named = {d.ident for d in deciding}
        set_aside = [
            r
            for r in definition.rules
            if named & set(r.prevailing) and r.ident not in tested and self._would_apply(r) is True
        ]
        alternatives: dict[str, list[RuleReason]] = {}
        for rule in definition.rules:
            if rule in deciding or self._gives(rule, value):
                continue
            if rule.ident in considered:
                reason = self._see_above(self.rule(rule, None, scope))
            else:
                aside = self._set_aside_by(rule, deciding)
                if aside and rule.ident not in tested:
                    reason = self._untested(rule, aside, scope)
                else:
                    reason = self.rule(rule, tested.get(rule.ident), scope, set_aside_by=aside, within=node)
            alternatives.setdefault(self._value_words(rule), []).append(reason)
        words = self.wording.locale.words
        return OutcomeReason(
            ident=definition.ident,
            label=words["record_outcome"].format(outcome=definition.label, element=record)
            if record
            else definition.label,
            value=value,
            decided=not (node.value is None and definition.optional),
            by_default=not deciding and definition.default is not None,
            because=because,
            exceptions=exceptions,
            prevails_over=tuple(sorted(_unique(r.citation.label for r in set_aside), key=self._article_order)),
            why_not=tuple(Alternative(v, tuple(rs)) for v, rs in alternatives.items()),
            record=record,
            # a record's: its number in its list, and the list where two lists hold records of one kind
            anchor=f"why-{definition.ident}"
            + (f"-of-{number}" if record else "")
            + (f"-in-{key}" if self._shared(key) else ""),
        )

    def _shared(self, key: str) -> bool:
        """Whether the list `key` holds records of a kind another list of the case holds too (adults, children)."""
        groups = self.checked.record_outcomes
        kind = next((g.record for g in groups if g.key == key), None)
        return kind is not None and sum(g.record == kind for g in groups) > 1

    def shown_value(self, value: object, definition: ir.Definition) -> str:
        if value is None and definition.optional:
            return self.wording.locale.words["not_decided"]
        return self.wording.shown(value, definition.type)

    @staticmethod
    def _see_above(reason: RuleReason) -> RuleReason:
        return dataclasses.replace(reason, status="explained above", conditions=(), failed=(), derived=())

    def _article_order(self, label: str) -> int:
        return next((i for i, a in enumerate(self.checked.articles) if a.label == label), len(self.checked.articles))

    def _gives(self, rule: ir.RuleDef, value: str) -> bool:
        """Whether a rule gives the value decided anyway (it is then no reason why another value was not)."""
        return isinstance(rule.value, ir.Lit | ir.EnumLit) and self._value_words(rule) == value

    def _value_words(self, rule: ir.RuleDef) -> str:
        if isinstance(rule.value, ir.EnumLit):
            return next(v.text for v in self.checked.enum(rule.value.enum).values if v.ident == rule.value.value)
        if isinstance(rule.value, ir.Lit):
            return self.wording.shown(rule.value.value, rule.value.type)
        return self.wording.phrase(rule.value)

    def _would_apply(self, rule: ir.RuleDef) -> bool | None:
        """Whether a rule the evaluation did not test would have applied (untested.py); None when unknown."""
        return True if rule.condition is None else Untested(self.case, self.tree, self.work_out).holds(rule.condition)

    def _untested(self, rule: ir.RuleDef, aside: tuple[str, ...], scope: Scope) -> RuleReason:
        """A rule an exception that applied prevails over: set aside when it would have applied; when it would
        not, why not, as for any rule that does not apply; else only that it was not considered."""
        if rule.condition is None:
            return self.rule(rule, None, scope, set_aside_by=aside)
        reading = Untested(self.case, self.tree, self.work_out)
        held = reading.holds(rule.condition)
        if held is True:
            return self.rule(rule, None, scope, set_aside_by=aside)
        if held is False:
            return self.rule(rule, RuleNode(rule.ident, False, tuple(reading.atoms.values()), ()), scope)
        return self.rule(rule, None, scope)

    def _set_aside_by(self, rule: ir.RuleDef, deciding: Sequence[ir.RuleDef]) -> tuple[str, ...]:
        return tuple(_unique(d.citation.label for d in deciding if d.ident in rule.overridden_by))

    # ------------------------------------------------------------------ rules

    def rule(
        self,
        rule: ir.RuleDef,
        node: RuleNode | None,
        scope: Scope,
        result: object = None,
        set_aside_by: tuple[str, ...] = (),
        within: DefinitionNode | None = None,
    ) -> RuleReason:
        atoms = {a.atom: a for a in node.atoms} if node is not None else {}
        conditions: tuple[Condition, ...] = ()
        status = _status(node, set_aside_by)
        failed: tuple[Condition, ...] = ()
        if rule.condition is not None and node is not None and status == "failed":
            # Only the part that failed is shown: only it may explain a definition in full, or a later mention
            # would say "explained above" of an explanation that is not shown.
            saved = dict(self.explained), Counter(self.anchors)
            whole = self.condition(rule.condition, atoms, scope)
            self.explained, self.anchors = saved
            conditions = _parts(whole)
            failed = tuple(self.condition(x, atoms, scope) for x in _failing(rule.condition, whole))
        elif rule.condition is not None and node is not None:
            conditions = _parts(self.condition(rule.condition, atoms, scope))
        elif status == "not tested" and rule.condition is not None and within is not None:
            excluded = self._excluded(rule, within)
            if excluded is not None:
                status, conditions = "failed", (self.condition(excluded[0], excluded[1], scope),)
                failed = _failures(conditions)
        derived: tuple[Derived, ...] = ()
        scales: tuple[ScaleSteps, ...] = ()
        if status == "applied" and not isinstance(rule.value, ir.Lit | ir.EnumLit):
            local = node.definitions if node is not None else ()
            lookup: DefinitionValue = lambda ref: self._value_of(ref, local, scope)  # noqa: E731
            value = self.wording.value(rule.value, result, scope, lookup)
            derived = self._derived(definition_refs(rule.value), local, scope)
            derived += self.formulas.derived(rule.value, scope, lookup)
            scales = applied_scales(self.wording, rule.value, scope, lookup)
        else:
            value = self._value_words(rule)
        return RuleReason(
            ident=rule.ident,
            article=rule.citation.label,
            heading=rule.citation.heading,
            quote=self._quote(rule),
            words=self.checked.words(rule.span),
            value=value,
            status=status,
            conditions=conditions,
            failed=failed,
            set_aside_by=set_aside_by,
            derived=derived,
            exception=bool(self.checked.words(rule.span).lower().startswith("exception")),
            worked_out=status == "applied"
            and isinstance(rule.value, ir.Arith | ir.Round | ir.MinMax | ir.Call | ir.ScaleApplied),
            scales=scales,
        )

    def _excluded(self, rule: ir.RuleDef, within: DefinitionNode) -> tuple[ir.Expr, dict[int, Atom]] | None:
        """A rule the evaluation skipped because a rule that applied excludes it: its part that cannot hold."""
        applied = [
            (condition, {a.atom: a for a in r.atoms})
            for r in within.rules
            if r.applied and (condition := self.rules[r.rule].condition) is not None
        ]
        return failing_part(rule.condition, applied) if rule.condition is not None else None

    def _quote(self, rule: ir.RuleDef) -> str | None:
        """The law's sentence for a rule: its own passage, or the passage of its article written above it."""
        if rule.citation.quote:
            return rule.citation.quote
        passages = self.quotes.get(rule.citation.label, [])
        at = bisect.bisect_left(passages, (rule.span.start, ""))
        if at > 0:
            return passages[at - 1][1]
        article = rule.citation.article
        return article.text[0] if article is not None and article.text else None

    # ------------------------------------------------------------------ conditions

    def condition(self, e: ir.Expr, atoms: dict[int, Atom], scope: Scope) -> Condition:
        if isinstance(e, ir.And | ir.Or):
            parts = tuple(self.condition(i, atoms, scope) for i in e.items)
            kind = "all" if isinstance(e, ir.And) else "any"
            return Condition(kind, self.wording.plain(e), _all(parts) if kind == "all" else _any(parts), parts)
        if isinstance(e, ir.NotE):
            if isinstance(e.operand, ir.ATOMS):
                return self._leaf(e.operand, e, atoms, scope)
            inner = self.condition(e.operand, atoms, scope)
            return Condition("not", self.wording.plain(e), None if inner.held is None else not inner.held, (inner,))
        if isinstance(e, ir.ATOMS):
            return self._leaf(e, None, atoms, scope)
        held = e.value if isinstance(e, ir.Lit) and isinstance(e.value, bool) else None
        return Condition("atom", self.wording.plain(e), held)

    def _leaf(self, e: ir.Expr, negation: ir.NotE | None, atoms: dict[int, Atom], scope: Scope) -> Condition:
        atom = atoms.get(e.span.start)
        local = atom.definitions if atom is not None else ()
        text = self.wording.leaf(e, negation, scope, atom, lambda ref: self._value_of(ref, local, scope))
        if atom is None:
            return Condition("atom", text, None)
        elements: tuple[ElementReason, ...] = ()
        if isinstance(e, ir.Quant):
            elements = tuple(self._element(e, element.index, element.element, element.items, scope)
                             for element in atom.elements)  # fmt: skip
        derived = self._derived(definition_refs(e), local, scope)
        derived += self.formulas.derived(e, scope, lambda ref: self._value_of(ref, local, scope))
        held = atom.result if negation is None else not atom.result
        return Condition("atom", text, held, derived=derived, elements=elements)

    def _element(
        self, quant: ir.Quant, index: int, element: object, items: Iterable[object], scope: Scope
    ) -> ElementReason:
        inner = scope.with_element(quant.var, element)
        atoms = {i.atom: i for i in items if isinstance(i, Atom)}
        body = self.condition(quant.body, atoms, inner)
        noun, index = self._member_of(quant.source, index, element)
        return ElementReason(self.element_label(quant.source.type.name, index, element, noun), body.held, _parts(body))

    def _member_of(self, source: ir.Expr, index: int, element: object) -> tuple[str | None, int]:
        """The noun of the role `element` is in and its place there: ("child", 1) for the second child, whether the
        list walked is the children or the members (a group's roles, one after the other)."""
        roles = source.roles if isinstance(source, ir.Members) else (source,)
        for role in roles:
            if not isinstance(role, ir.FieldRef):
                continue
            field = self.checked.record(role.record).field(role.field)
            if not isinstance(source, ir.Members):
                return field.member, index
            if not isinstance(role.subject, ir.RootRef):  # a group of a record in hand: by its place in the group
                break
            items = getattr(self.case, naming.attribute(field.ident), None) or ()
            place = next((i for i, item in enumerate(items) if item is element), None)
            if place is not None:
                return field.member, place
        return None, index

    def element_label(self, record_ident: str | None, index: int, element: object, noun: str | None = None) -> str:
        """ "charge 2 (Article 255 part 1 (act of terrorism))": the record, its place, and its first text fact; or
        'child "Eille"' where the case gives the record an id; a role's record by its noun ("adult 2"), not its
        kind's name."""
        if record_ident is None:
            return str(index + 1)
        record = self.checked.record(record_ident)
        label = noun or record.label
        given = getattr(element, "id", None) if self.checked.takes_id(record_ident) else None
        if isinstance(given, str | int) and not isinstance(given, bool):  # the case names it: 'child "Eille"'
            return f'{label} "{given}"'
        name = next(
            (getattr(element, naming.attribute(f.ident), None) for f in record.fields if f.type.kind is Kind.TEXT), None
        )
        return f"{label} {index + 1}" + (f" ({name})" if isinstance(name, str) and name else "")

    # ------------------------------------------------------------------ definitions

    def _value_of(self, ref: ir.DefRef, local: Sequence[DefinitionNode], scope: Scope) -> tuple[bool, object]:
        node = self._node(ref, local, scope)
        return (True, node.value) if node is not None and node.complete else (False, None)

    def _node(self, ref: ir.DefRef, local: Sequence[DefinitionNode], scope: Scope) -> DefinitionNode | None:
        subject = None if ref.subject is None else scope.fact(ref.subject)[1]
        for node in local:
            if node.definition == ref.definition and node.subject is subject:
                return node
        return self.tree.first.get(ref.definition) if ref.subject is None else None

    def _derived(self, refs: Iterable[ir.DefRef], local: Sequence[DefinitionNode], scope: Scope) -> tuple[Derived, ...]:
        out: list[Derived] = []
        seen: set[str] = set()
        for ref in refs:
            node = self._node(ref, local, scope)
            if node is not None and node.complete and ref.definition not in seen:
                seen.add(ref.definition)
                out.append(self.derived(node))
        return tuple(out)

    def _anchor(self, ident: str) -> str:
        """A new anchor for an explanation of `ident` (a formula explained where each rule uses it)."""
        self.anchors[ident] += 1
        count = self.anchors[ident]
        return f"why-{ident}" + (f"-{count}" if count > 1 else "")

    def derived(self, node: DefinitionNode) -> Derived:
        definition = self.checked.definition(node.definition)
        value = self.wording.shown(node.value, definition.type)
        label = definition.label
        if node.subject is None and node.definition in self.explained:
            anchor = self.explained[node.definition]
            return Derived(node.definition, label, anchor, definition.kind, value, False, (), (), anchor)
        self.anchors[node.definition] += 1
        count = self.anchors[node.definition]
        anchor = f"why-{node.definition}" + (f"-{count}" if count > 1 else "")
        if node.subject is None:
            self.explained[node.definition] = anchor
        scope = Scope(self.case, node.subject)
        tested = {r.rule: r for r in node.rules}
        deciding = [r for r in definition.rules if r.ident in node.deciding]
        rules = tuple(self.rule(r, tested.get(r.ident), scope, node.value) for r in deciding)
        not_applied: tuple[RuleReason, ...] = ()
        if not deciding:
            not_applied = tuple(self.rule(r, tested.get(r.ident), scope) for r in definition.rules)
        by_default = not deciding and definition.default is not None
        return Derived(node.definition, label, anchor, definition.kind, value, by_default, rules, not_applied, None)


def _status(node: RuleNode | None, set_aside_by: tuple[str, ...]) -> str:
    if node is None:
        return "set aside" if set_aside_by else "not tested"
    if node.applied is None:
        return "incomplete"
    return "applied" if node.applied else "failed"


def _parts(condition: Condition) -> tuple[Condition, ...]:
    return condition.parts if condition.kind == "all" else (condition,)


def _all(parts: Sequence[Condition]) -> bool | None:
    if any(p.held is False for p in parts):
        return False
    return True if all(p.held for p in parts) else None


def _any(parts: Sequence[Condition]) -> bool | None:
    if any(p.held for p in parts):
        return True
    return False if all(p.held is False for p in parts) else None


def _failures(conditions: Sequence[Condition]) -> tuple[Condition, ...]:
    """The conditions that made a rule fail: the part of an 'and' that did not hold, every part of an 'or'."""
    for condition in conditions:
        if condition.held is False:
            if condition.kind == "all":
                return _failures(condition.parts)
            return (condition,)
    return ()


def _failing(e: ir.Expr, condition: Condition) -> tuple[ir.Expr, ...]:
    """The parts of condition `e` that `_failures` picks from its Condition: the first part of an 'and' that did not
    hold, at any depth, or the whole when it did not hold."""
    if condition.kind == "all" and isinstance(e, ir.And):
        for item, part in zip(e.items, condition.parts, strict=True):
            if part.held is False:
                return _failing(item, part)
        return ()
    return (e,) if condition.held is False else ()


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
