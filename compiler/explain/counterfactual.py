"""What would change a decision: the smallest change of one fact of the case that changes it.

The candidates come from the conditions on the decision's path, as the trace recorded them: every fact a tested
condition reads is tried with the other values of its enumeration, the other answer of a yes/no, the values around
the threshold it was compared with (one day or one unit either side, the edges of a period), or, for an optional
fact whose presence was tested, its absence; a citation fact with the citations the statute's rules test it against
(moves.cited_in_tests: never one the statute does not name); the facts a scale's base moves with, at each threshold
of the scale, through the definitions the base is worked out from. Each candidate case is decided again by the same
evaluator (the generated module, through compiler/model/evaluator.py); a candidate counts only if that decision
differs. Nothing here re-derives the statute's logic.

The search has a budget: at most SEARCH_BUDGET candidates are tried (each decided once, and once more with a trace
when it changes the decision), so that a case of thousands of records costs a bounded number of decisions, each
linear in the case. When there are more candidates, they are tried a fact name at a time, the smallest change of
each first, and the explanation says that the search stopped early.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from compiler.backends.python import naming
from compiler.explain.conditions import AtomIndex
from compiler.explain.moves import (
    around_citation,
    around_scale,
    around_threshold,
    as_number,
    change_size,
    cited_in_tests,
    edges_given,
    enum_members,
    scale_thresholds,
    step_edges,
    terms,
    whole_between,
    within_bounds,
)
from compiler.explain.tracetree import Atom, DefinitionNode, Element, TraceTree
from compiler.model import ir
from compiler.model.evaluator import Decision, DefinitionDecided, DefinitionEntered, ExplainableEvaluator, TraceEvent
from compiler.model.kinds import Kind
from compiler.model.walk import children, named_children, walk

_LISTS = (ir.Quant, ir.CountE, ir.Agg)

FactPath = tuple[str | int, ...]
MAX_DEPTH = 20  # definitions followed from a comparison to the facts they are worked out from
SEARCH_BUDGET = 500  # candidate changes one explanation tries at most (the flagship's cases have at most 59)


@dataclass(frozen=True)
class Candidate:
    path: FactPath
    field: ir.FieldDef
    old: object
    new: object
    distance: float  # how big a change it is: 0 none, 1 the whole range of the fact


@dataclass(frozen=True)
class Found:
    candidate: Candidate
    case: object  # the case after the change
    decision: Decision  # after the change
    events: tuple[TraceEvent, ...]  # its trace


@dataclass(frozen=True)
class _Tried:
    """A candidate that changed the decision, ranked; its trace is not kept (a trace is as large as the case)."""

    same_rules: bool  # the same rules decide: only an amount moved
    by_default: bool  # a changed outcome falls to its default
    candidate: Candidate


Bound = dict[str, object]  # the elements quantifiers and aggregates are looking at, by their variable
Moves = Callable[[object], list[object]]  # the values to try for a fact, given its value


def paths(checked: ir.Checked, case: object) -> dict[int, FactPath]:
    """Where each record of the case stands, by the record's identity: the case () and its list elements."""
    out: dict[int, FactPath] = {id(case): ()}

    def walk(record: object, ident: str, at: FactPath) -> None:
        for field in checked.record(ident).fields:
            if field.type.traits.container and field.type.name is not None:
                value = getattr(record, naming.attribute(field.ident), None)
                items = value if isinstance(value, tuple) else () if value is None else (value,)
                for i, item in enumerate(items):
                    where = (*at, field.ident, i) if field.type.kind is Kind.LIST else (*at, field.ident)
                    out[id(item)] = where
                    walk(item, field.type.name, where)

    walk(case, checked.root, ())
    return out


class Search:
    def __init__(
        self,
        checked: ir.Checked,
        evaluator: ExplainableEvaluator,
        index: AtomIndex,
        case: object,
        budget: int = SEARCH_BUDGET,
    ) -> None:
        self.checked, self.evaluator, self.index, self.case = checked, evaluator, index, case
        self.budget = budget  # candidate changes one search tries at most
        self._where: dict[int, FactPath] | None = None
        self.candidates: dict[tuple[FactPath, str], Candidate] = {}
        self.rules = {r.ident: r for d in checked.definitions for r in d.rules}
        self.cited = cited_in_tests(checked)  # the citations each citation fact is tested against
        self.facts: set[FactPath] = set()
        self.tree: TraceTree | None = None
        self.tried = 0  # candidates decided again by the last search
        self.untried = 0  # candidates the budget left untried by the last search

    # ------------------------------------------------------------------ reading the path

    def read(self, tree: TraceTree) -> None:
        self.tree = tree
        for node in tree.definitions:
            self._definition(node)

    def _definition(self, node: DefinitionNode) -> None:
        for rule in node.rules:
            for atom in rule.atoms:
                self._atom(atom, node.subject, {})
            for inner in rule.definitions:
                self._definition(inner)
            if rule.applied and rule.rule in self.rules:
                self._value(self.rules[rule.rule].value, node.subject, {}, rule.definitions)

    def _value(self, e: ir.Expr, subject: object, bound: Bound, local: tuple[DefinitionNode, ...] = ()) -> None:
        """The facts a rule's value reads ("the greatest gravity among the charges": each charge's gravity); only
        their enumeration and yes/no values are tried, as no threshold is known for them, and the facts a scale's
        base moves with, at the scale's thresholds."""
        if isinstance(e, ir.FieldRef) and e.type.traits.categorical:
            self._fact(e, subject, bound, lambda v: [])
        if isinstance(e, ir.ScaleApplied):
            self._scale(e, subject, bound, local)
        if isinstance(e, ir.Call):
            self._formula(e, subject, bound, local)
        if isinstance(e, _LISTS):
            # what it asks of each element (a quantifier's body, a where, an aggregate's value) is read per element
            items, _ = self._record(e.source, subject, bound)
            for item in items if isinstance(items, tuple) else ():
                inner = {**bound, e.var: item}
                for name, part in named_children(e):
                    if name != "source":
                        self._value(part, subject, inner, local)
            return
        for part in children(e):
            self._value(part, subject, bound, local)

    def _scale(self, e: ir.ScaleApplied, subject: object, bound: Bound, local: tuple[DefinitionNode, ...]) -> None:
        """A scale's base at each of the scale's thresholds, a unit either side: a fact it is applied to directly, or
        the facts a base worked out from them moves with one for one ("the taxable income", the income less the
        allowance: the income, and the allowance the other way), followed as a comparison's operand is."""
        thresholds = scale_thresholds(e.scale)
        if isinstance(e.base, ir.FieldRef):
            self._fact(e.base, subject, bound, functools.partial(around_scale, thresholds=thresholds))
            return
        own = self._base_value(e.base, subject, bound, local)
        if as_number(own) is None or isinstance(own, bool):
            return
        for threshold in thresholds:
            self._moving(e.base, 1, threshold, own, subject, bound, local)

    def _formula(
        self, call: ir.Call, subject: object, bound: Bound, local: tuple[DefinitionNode, ...], depth: int = 0
    ) -> None:
        """The scales a formula applies to its inputs ("the levy of the salary", the levy being the contribution scale
        applied to the amount): each as if applied to what the rule gives for the input, and so on into the formulas
        it uses."""
        formula = self.checked.formula(call.formula)
        given = {i.ident: arg for i, arg in zip(formula.inputs, call.args, strict=True)}
        for case in formula.cases:
            for e in walk(case.value):
                if isinstance(e, ir.ScaleApplied) and (base := in_terms_of(e.base, given)) is not None:
                    self._scale(dataclasses.replace(e, base=base), subject, bound, local)
                elif isinstance(e, ir.Call) and depth < MAX_DEPTH:
                    args = [in_terms_of(arg, given) for arg in e.args]
                    if all(arg is not None for arg in args):
                        inner = dataclasses.replace(e, args=tuple(a for a in args if a is not None))
                        self._formula(inner, subject, bound, local, depth + 1)

    def _base_value(self, e: ir.Expr, subject: object, bound: Bound, local: tuple[DefinitionNode, ...]) -> object:
        """The value of a scale's base as the decision worked it out (a definition's from the trace), for a sum or
        difference of facts, definitions, parameters and numbers; None for anything else."""
        if isinstance(e, ir.Lit):
            return e.value
        if isinstance(e, ir.ParamRef):
            return self.checked.parameter(e.ident).value
        if isinstance(e, ir.FieldRef):
            record, _ = self._record(e.subject, subject, bound)
            return getattr(record, naming.attribute(e.field), None) if record is not None else None
        if isinstance(e, ir.DefRef):
            node = self._node(e, subject, bound, local)
            return node.value if node is not None and node.complete else None
        if isinstance(e, ir.Arith) and e.op in {"+", "-"}:
            left, right = (as_number(self._base_value(x, subject, bound, local)) for x in (e.left, e.right))
            if left is None or right is None:
                return None
            return left + right if e.op == "+" else left - right
        return None

    def _atom(self, atom: Atom, subject: object, bound: Bound) -> None:
        for inner in atom.definitions:
            self._definition(inner)
        e = self.index.atoms.get(atom.atom)
        if e is None:
            return
        for element in atom.elements:
            self._element(e, element, subject, bound)
        for operand, other, own in _compared(e, atom):
            self._moving(operand, 1, other, own, subject, bound, atom.definitions)
        if isinstance(e, ir.Known):
            self._fact(e.operand, subject, bound, lambda v: [None])
        elif isinstance(e, ir.FieldRef):
            self._fact(e, subject, bound, lambda v: [not v] if isinstance(v, bool) else [])

    def _moving(
        self,
        e: ir.Expr,
        sign: int,
        other: object,
        own: object,
        subject: object,
        bound: Bound,
        local: tuple[DefinitionNode, ...],
        depth: int = 0,
    ) -> None:
        """The candidates for the facts a compared value `e` moves with (`own` its value, `other` what it was
        compared with), followed through the definitions it is worked out from (moves.py)."""
        for term, direction in terms(e, sign):
            if isinstance(term, ir.FieldRef):
                moves = functools.partial(around_threshold, sign=direction, other=other, operand=own)
                self._fact(term, subject, bound, moves)
            elif isinstance(term, ir.Arith):
                self._steps(term, direction, other, own, subject, bound)
            elif direction and depth < MAX_DEPTH:
                self._through(term, direction, other, own, subject, bound, local, depth)

    def _through(
        self,
        ref: ir.DefRef,
        sign: int,
        other: object,
        own: object,
        subject: object,
        bound: Bound,
        local: tuple[DefinitionNode, ...],
        depth: int,
    ) -> None:
        """A definition compared (or added into what is): the facts its deciding rule's value moves with, read in
        the definition's own record (a person's age worked out for each person)."""
        node = self._node(ref, subject, bound, local)
        if node is None or not node.complete or len(node.deciding) != 1:
            return
        rule = self.rules[node.deciding[0]]
        tested = next((r for r in node.rules if r.rule == rule.ident), None)
        inner = tested.definitions if tested is not None else ()
        self._moving(rule.value, sign, other, own, node.subject, {}, inner, depth + 1)

    def _node(
        self, ref: ir.DefRef, subject: object, bound: Bound, local: tuple[DefinitionNode, ...]
    ) -> DefinitionNode | None:
        """Where the decision worked the definition `ref` out, in its own record: among the definitions a rule
        worked out (`local`), or, for the case's, where it was first worked out."""
        record = None if ref.subject is None else self._record(ref.subject, subject, bound)[0]
        node = next((n for n in local if n.definition == ref.definition and n.subject is record), None)
        if node is None and ref.subject is None and self.tree is not None:
            node = self.tree.first.get(ref.definition)
        return node

    def _steps(self, e: ir.Arith, sign: int, other: object, own: object, subject: object, bound: Bound) -> None:
        """The whole years or months between two dates: each date a fact is tried on either side of the steps
        around the value at which the comparison turns."""
        ends = [self._date(x, subject, bound) for x in (e.left, e.right)]
        there, here = as_number(other[0] if isinstance(other, tuple) else other), as_number(own)
        if None in ends or not sign or there is None or here is None:
            return
        start, end = ends
        assert isinstance(start, datetime.date) and isinstance(end, datetime.date)
        middle = whole_between(e.op, start, end) + sign * (there - here)
        if not isinstance(middle, int):
            return  # a threshold between whole steps: no date is on its edge
        for moving, fact in ((True, e.left), (False, e.right)):
            if isinstance(fact, ir.FieldRef):
                edges = [d for t in (middle - 1, middle, middle + 1) for d in step_edges(e.op, start, end, t, moving)]
                self._fact(fact, subject, bound, functools.partial(edges_given, edges=edges))

    def _date(self, e: ir.Expr, subject: object, bound: Bound) -> datetime.date | None:
        """A date read without deciding anything: a literal, a parameter or a fact of the case."""
        value: object = None
        if isinstance(e, ir.Lit):
            value = e.value
        elif isinstance(e, ir.ParamRef):
            value = self.checked.parameter(e.ident).value
        elif isinstance(e, ir.FieldRef):
            record, _ = self._record(e.subject, subject, bound)
            value = getattr(record, naming.attribute(e.field), None) if record is not None else None
        return value if isinstance(value, datetime.date) else None

    def _element(self, e: ir.Expr, element: Element, subject: object, bound: Bound) -> None:
        walker = _walker(e, element.atom)  # `e` itself, or the count inside it ("the number of charges where ...")
        var = walker.var if walker is not None else ""
        inner = {**bound, var: element.element}
        for item in element.items:
            if isinstance(item, Atom):
                self._atom(item, subject, inner)
            else:
                self._definition(item)

    def _fact(self, e: ir.Expr, subject: object, bound: Bound, around: Moves) -> None:
        """Note the candidates for the fact `e`, read where the condition was tested."""
        if not isinstance(e, ir.FieldRef):
            return
        record, where = self._record(e.subject, subject, bound)
        if record is None or where is None:
            return
        field = self.checked.record(e.record).field(e.field)
        old = getattr(record, naming.attribute(e.field), None)
        path = (*where, e.field)
        self.facts.add(path)
        values = around(old) if old is not None or field.optional else []
        if field.type.kind is Kind.ENUM and old is not None:
            values = [v for v in enum_members(old) if v is not old]
        elif field.type.kind is Kind.BOOL and isinstance(old, bool):
            values = [not old]
        elif field.type.kind is Kind.CITATION:  # the provisions the statute tests the fact against, the nearest first
            values = [*values, *around_citation(old, self.cited.get((e.record, e.field), ()))]
        for new in values:
            if new != old or (new is None) != (old is None):
                self._add(path, field, old, new)

    def _record(self, e: ir.Expr, subject: object, bound: Bound) -> tuple[object, FactPath | None]:
        record: object
        if isinstance(e, ir.RootRef):
            record = self.case
        elif isinstance(e, ir.VarRef):
            record = bound.get(e.var, subject)
        elif isinstance(e, ir.FieldRef):
            record, _ = self._record(e.subject, subject, bound)
            record = getattr(record, naming.attribute(e.field), None) if record is not None else None
        else:
            return None, None
        if self._where is None:  # where each record of the case stands: worked out when a search reads a trace
            self._where = paths(self.checked, self.case)
        return record, self._where.get(id(record))

    def _add(self, path: FactPath, field: ir.FieldDef, old: object, new: object) -> None:
        if not within_bounds(new, field):
            return
        key = (path, repr(new))
        if key not in self.candidates:
            self.candidates[key] = Candidate(path, field, old, new, change_size(field, old, new))

    # ------------------------------------------------------------------ trying them

    def changes(
        self, decision: Decision, deciding: dict[str, tuple[str, ...]], limit: int, budget: int = SEARCH_BUDGET
    ) -> list[Found]:
        """The changes that change the decision, at most one per fact name: first those that change which rules decide
        (an amount that merely moves with a fact is a lesser change), each kind the smallest first. `deciding` gives
        the rules that decided each outcome before the change. At most `budget` candidates are tried."""
        shown = decision.shown
        ordered = self._in_order(budget)
        found: list[_Tried] = []
        # Per fact name, the smallest change found that a rule decides and that changes which rules decide: no
        # later candidate of that name as large can rank before it, so it is not decided at all (of the 28,800
        # candidates of a case of 1,600 charges, most are such).
        settled: dict[str, float] = {}
        self.tried = self.untried = 0
        for n, candidate in enumerate(ordered):
            if candidate.distance >= settled.get(candidate.field.ident, 2.0):
                continue
            if self.tried == budget:
                rest = ordered[n:]
                self.untried = sum(1 for c in rest if c.distance < settled.get(c.field.ident, 2.0))
                break
            self.tried += 1
            changed = self.evaluator.with_fact(self.case, candidate.path, candidate.new)
            if self.evaluator.breaks_requirements(changed):
                continue  # facts that break a requirement of the statute: a case it rejects, not a change to it
            after = self.evaluator.decide(changed)
            try:  # a change that makes the case undecidable (or its numbers too long to write) is no answer
                after_shown = after.shown if isinstance(after, Decision) else shown
            except ValueError:
                continue
            if after_shown == shown:
                continue
            traced = self.evaluator.decide_traced(changed)
            if not isinstance(traced.result, Decision):
                continue
            rules = _leaves(traced.events, set(self.checked.outcomes))
            same_rules = all(rules.get(o) == r for o, r in deciding.items())
            by_default = any(not rules.get(o) for o in deciding if after_shown.get(o) != shown.get(o))
            found.append(_Tried(same_rules, by_default, candidate))
            if not same_rules and not by_default:
                settled[candidate.field.ident] = min(candidate.distance, settled.get(candidate.field.ident, 2.0))
        if not found:
            return []
        # The smallest change first; then, one per fact name, those that a rule decides before those that fall to
        # a default ("outside the amnesty" says less than "released under Article 4").
        first = min(found, key=lambda f: (f.same_rules, f.candidate.distance))
        best: dict[str, _Tried] = {first.candidate.field.ident: first}
        for item in sorted(found, key=lambda f: (f.same_rules, f.by_default, f.candidate.distance)):
            best.setdefault(item.candidate.field.ident, item)
        return [self._traced(item) for item in list(best.values())[:limit]]

    def _in_order(self, budget: int) -> list[Candidate]:
        """The candidates in the order to try them: the order found when they fit the budget; otherwise a fact name
        at a time, round after round, the smallest change of each name first, so that every fact name is tried."""
        candidates = list(self.candidates.values())
        if len(candidates) <= budget:
            return candidates
        by_name: dict[str, list[Candidate]] = {}
        for candidate in sorted(candidates, key=lambda c: c.distance):  # stable: ties keep the order found
            by_name.setdefault(candidate.field.ident, []).append(candidate)
        rounds = itertools.zip_longest(*by_name.values())
        return [c for round_ in rounds for c in round_ if c is not None]

    def _traced(self, item: _Tried) -> Found:
        """A change to show, decided once more with a trace, for the explanation of the changed decision."""
        changed = self.evaluator.with_fact(self.case, item.candidate.path, item.candidate.new)
        traced = self.evaluator.decide_traced(changed)
        assert isinstance(traced.result, Decision), "decided once already"
        return Found(item.candidate, changed, traced.result, traced.events)


def in_terms_of(e: ir.Expr, given: dict[str, ir.Expr]) -> ir.Expr | None:
    """A formula's expression of its inputs as the expression of what a call gives for them: each input replaced by
    its argument, through sums and differences; None for anything else (no threshold can be followed through it)."""
    if isinstance(e, ir.InputRef):
        return given.get(e.input)
    if isinstance(e, ir.Lit | ir.ParamRef):
        return e
    if isinstance(e, ir.Arith) and e.op in {"+", "-"}:
        left, right = in_terms_of(e.left, given), in_terms_of(e.right, given)
        return None if left is None or right is None else dataclasses.replace(e, left=left, right=right)
    return None


def _leaves(events: tuple[TraceEvent, ...], outcomes: set[str]) -> dict[str, tuple[str, ...]]:
    """The rules that decided each outcome, read from the event that decided it where it was first worked out: at
    the top of the trace, or inside an outcome declared before it that used it."""
    entered: list[str] = []
    out: dict[str, tuple[str, ...]] = {}
    for event in events:
        if isinstance(event, DefinitionEntered):
            entered.append(event.definition)
        elif isinstance(event, DefinitionDecided):
            definition = entered.pop()
            if definition in outcomes:
                out.setdefault(definition, event.rules)
    return out


def _walker(e: ir.Expr, atom: int) -> ir.Quant | ir.CountE | ir.Agg | None:
    """The quantifier, count or aggregate within `e` (or `e` itself) whose elements the trace reports as `atom`."""
    return next((n for n in walk(e) if isinstance(n, _LISTS) and n.span.start == atom), None)


def _compared(e: ir.Expr, atom: Atom) -> Iterator[tuple[ir.Expr, object, object]]:
    """(operand, the value it was compared with, its own value) for each side of a comparison."""
    if not atom.compare:
        return
    if isinstance(e, ir.Cmp):
        yield e.left, atom.right, atom.left
        yield e.right, atom.left, atom.right
    elif isinstance(e, ir.Within):
        right = atom.right
        if hasattr(right, "start") and hasattr(right, "end"):
            yield e.operand, (getattr(right, "start"), getattr(right, "end")), atom.left  # noqa: B009  a Period
        elif isinstance(right, tuple) and len(right) == 2:
            yield e.operand, right, atom.left
    elif isinstance(e, ir.OneOf):
        yield e.operand, None, atom.left
