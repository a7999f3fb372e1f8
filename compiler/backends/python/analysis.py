"""What can be known about a definition's rules before any case: which exclude each other, which test they all
make, which tests cannot fail. The Python backend uses it to look at fewer rules, never to decide differently.

Exclusion: one condition requires of a fact what the other forbids: "the stage is serving sentence" and "the stage
is one of under investigation, on trial"; "the gravest gravity is at most medium" and "... at least grave"; "X"
and "not X"; "X is given" and "X is not given". Only the top-level "and" items of two conditions are compared, and
only tests of the very same fact, so the answer is certain: when one of the rules applied, the other would not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import Node, children, find_all, named_children, same, shape, walk

ATOMS = (ir.Cmp, ir.OneOf, ir.Within, ir.Known, ir.DefRef, ir.FieldRef, ir.ParamRef)
_ORDER = {"<": lambda i, k: i < k, "<=": lambda i, k: i <= k, ">": lambda i, k: i > k, ">=": lambda i, k: i >= k}


def exclusive(a: ir.Expr | None, b: ir.Expr | None, checked: ir.Checked) -> bool:
    """True when conditions `a` and `b` can never both hold."""
    if a is None or b is None:
        return False
    ys = conjuncts(b)
    return any(_contradict(x, y, checked) for x in conjuncts(a) for y in ys)


def first_conjunct(e: ir.Expr | None) -> ir.Expr | None:
    """What is tested first when `e` is: its first "and" item."""
    return None if e is None else conjuncts(e)[0]


def shared_test(
    rules: tuple[ir.RuleDef, ...], leading: Callable[[ir.Expr], list[ir.Expr]] | None = None
) -> list[ir.Expr] | None:
    """A test every rule makes ("and" item), each rule's own copy of it, when it can be made once before them all:
    it is the first rule's first test (made first anyway), or it cannot fail (`safe`). Each copy must be among the
    `leading` items of its condition: those with nothing before them that may stop the decision (stops.py), since
    when the test fails, no rule is looked at."""
    conditions = [r.condition for r in rules if r.condition is not None]
    if len(rules) < 2 or len(conditions) != len(rules):
        return None
    leading = leading or conjuncts
    first = leading(conditions[0])
    tests: list[list[tuple[Any, ir.Expr]]] = []  # each condition's leading "and" items with their shapes, made once
    for candidate in first:
        if not isinstance(candidate, ATOMS) or not (candidate is first[0] or safe(candidate)):
            continue  # an atom, so that its failure is one event of the trace
        tests = tests or [[(shape(c), c) for c in leading(condition)] for condition in conditions]
        wanted = shape(candidate)
        copies = [next((c for s, c in items if s == wanted), None) for items in tests]
        if all(c is not None for c in copies):
            return [c for c in copies if c is not None]
    return None


def safe(e: ir.Expr) -> bool:
    """A test that cannot fail and costs next to nothing: of facts the case must give, or whether one is given,
    against constants or other such facts. Making it earlier than written cannot raise where the case would not."""
    if isinstance(e, ir.Lit | ir.EnumLit | ir.ParamRef | ir.RootRef | ir.VarRef):
        return True
    if isinstance(e, ir.FieldRef):
        return not e.optional and safe(e.subject)
    if isinstance(e, ir.Known):
        return isinstance(e.operand, ir.FieldRef) and safe(e.operand.subject)
    if isinstance(e, ir.NotE):
        return safe(e.operand)
    if isinstance(e, ir.Cmp):
        return safe(e.left) and safe(e.right)
    if isinstance(e, ir.OneOf):
        return safe(e.operand) and all(safe(v) for v in e.values)
    if isinstance(e, ir.Within):
        return safe(e.operand) and all(safe(x) for x in (e.low, e.high, e.period) if x is not None)
    return False


def conjuncts(e: ir.Expr) -> list[ir.Expr]:
    if isinstance(e, ir.And):
        return [x for item in e.items for x in conjuncts(item)]
    return [e]


def _contradict(x: ir.Expr, y: ir.Expr, checked: ir.Checked) -> bool:
    if (isinstance(x, ir.NotE) and same(x.operand, y)) or (isinstance(y, ir.NotE) and same(y.operand, x)):
        return True
    ax = _allowed(x, checked)
    ay = None if ax is None else _allowed(y, checked)
    if ax is None or ay is None or ax[0] != ay[0]:
        return False
    kx, ky = fact_key(ax[1]), fact_key(ay[1])
    if kx is not None and ky is not None and kx != ky:
        return False  # two different facts (the same expression always has the same key): no need for their shapes
    return same(ax[1], ay[1]) and not ax[2] & ay[2]


def _allowed(e: ir.Expr, checked: ir.Checked) -> tuple[str, ir.Expr, frozenset[str]] | None:
    """What `e` asks of a fact: whether it is given ("known"), or which enumeration values it may take ("value")."""
    if isinstance(e, ir.NotE):
        inner = _allowed(e.operand, checked)
        return None if inner is None else (inner[0], inner[1], _domain(inner, checked) - inner[2])
    if isinstance(e, ir.Known):
        return "known", e.operand, frozenset({"missing" if e.negated else "given"})
    if isinstance(e, ir.OneOf) and e.operand.type.kind is Kind.ENUM:
        values = frozenset(v.value for v in e.values if isinstance(v, ir.EnumLit))
        if len(values) != len(e.values):
            return None
        test = ("value", e.operand, values)
        return (*test[:2], _domain(test, checked) - values) if e.negated else test
    if isinstance(e, ir.Cmp) and isinstance(e.right, ir.EnumLit) and e.left.type.kind is Kind.ENUM:
        order = [v.ident for v in checked.enum(e.right.enum).values]
        k = order.index(e.right.value)
        if e.op == "==":
            return "value", e.left, frozenset({e.right.value})
        if e.op == "!=":
            return "value", e.left, frozenset(order) - {e.right.value}
        return "value", e.left, frozenset(v for i, v in enumerate(order) if _ORDER[e.op](i, k))
    return None


def _domain(test: tuple[str, ir.Expr, frozenset[str]], checked: ir.Checked) -> frozenset[str]:
    kind, subject, _ = test
    if kind == "value" and subject.type.name:
        return frozenset(v.ident for v in checked.enum(subject.type.name).values)
    return frozenset({"given", "missing"})


# ------------------------------------------------------------------ what a definition's rules use


def fact_key(e: ir.Expr) -> tuple[str, ...] | None:
    """What two readings of the same fact share (spans aside), or None for anything but a fact."""
    if isinstance(e, ir.RootRef):
        return ("root",)
    if isinstance(e, ir.VarRef):
        return ("var", e.var)
    if isinstance(e, ir.FieldRef):
        subject = fact_key(e.subject)
        return None if subject is None else (*subject, e.field)
    if isinstance(e, ir.DefRef):
        subject = ("case",) if e.subject is None else fact_key(e.subject)
        return None if subject is None else ("definition", e.definition, *subject)
    return None


def says_yes(r: ir.RuleDef) -> bool:
    return isinstance(r.value, ir.Lit) and r.value.value is True


def is_constant(e: ir.Expr) -> bool:
    return isinstance(e, ir.Lit | ir.EnumLit | ir.ParamRef)


def needs_no_case(e: ir.Expr) -> bool:
    """Whether `e` needs nothing from a case: literals and parameters, and arithmetic, rounding, lesser and greater
    of them (the generator works such a value out once, and a guarantee can list it in advance)."""
    if is_constant(e):
        return True
    if isinstance(e, ir.Arith | ir.MinMax):
        return needs_no_case(e.left) and needs_no_case(e.right)
    if isinstance(e, ir.Round):
        return needs_no_case(e.operand)
    if isinstance(e, ir.ScaleApplied):
        return needs_no_case(e.base)
    return False


def same_constant(a: ir.Expr, b: ir.Expr) -> bool:
    if isinstance(a, ir.EnumLit) and isinstance(b, ir.EnumLit):
        return (a.enum, a.value) == (b.enum, b.value)
    if isinstance(a, ir.Lit) and isinstance(b, ir.Lit):
        return type(a.value) is type(b.value) and a.value == b.value and a.type == b.type
    return isinstance(a, ir.ParamRef) and isinstance(b, ir.ParamRef) and a.ident == b.ident


def free_vars(d: ir.Definition) -> list[str]:
    """The record variables a record's definition uses without a quantifier binding them: its subject."""
    found: list[str] = []
    for e in [d.default] + [x for r in d.rules for x in (r.condition, r.value)]:
        if e is not None:
            _walk(e, frozenset(), found)
    return found


def _walk(e: Node, bound: frozenset[str], found: list[str]) -> None:
    if isinstance(e, ir.VarRef) and e.var not in bound:
        found.append(e.var)
    # A quantifier, count or aggregate binds its variable in what it asks of each element, not in its source.
    binder = e if isinstance(e, ir.Quant | ir.CountE | ir.Agg) else None
    for name, child in named_children(e):
        _walk(child, bound | {binder.var} if binder is not None and name != "source" else bound, found)


def repeated_facts(e: ir.Expr) -> dict[tuple[str, ...], ir.FieldRef]:
    """The optional facts `e` reads more than once, each time it is computed (not only in a branch or a loop)."""
    seen: dict[tuple[str, ...], list[ir.FieldRef]] = {}
    stack = [e]
    while stack:
        x = stack.pop()
        key = fact_key(x)
        if isinstance(x, ir.FieldRef) and x.optional and key is not None:
            seen.setdefault(key, []).append(x)
        elif isinstance(x, ir.Arith | ir.MinMax):
            stack += [x.right, x.left]
        elif isinstance(x, ir.Round):
            stack.append(x.operand)
        elif isinstance(x, ir.ScaleApplied):
            stack.append(x.base)
    return {key: facts[0] for key, facts in seen.items() if len(facts) > 1}


def definitions_used(e: ir.Expr | None) -> list[ir.DefRef]:
    return list(find_all(e, ir.DefRef))


def decided_first(e: Node) -> list[ir.DefRef]:
    """The definitions `e` uses that are decided whenever `e` is: not behind an and/or, a quantifier or a where."""
    if isinstance(e, ir.DefRef):
        return [e]
    if isinstance(e, ir.And | ir.Or):
        return decided_first(e.items[0])
    if isinstance(e, ir.Quant | ir.CountE | ir.Agg):
        return decided_first(e.source)
    return [ref for child in children(e) for ref in decided_first(child)]


# An inlined predicate's conditions may hold this many tests; past it the method is called.
MAX_INLINED_TESTS = 24


def inlinable(d: ir.Definition) -> bool:
    """A record predicate that is exactly `cond1 or cond2 ...`: every rule says yes, none prevails over another,
    no is the answer when none applies, and the conditions are small and loop over nothing."""
    if d.owner is None or d.optional or not d.type.traits.truth_valued or not d.rules:
        return False
    if any(not says_yes(r) or r.overridden_by or r.condition is None for r in d.rules):
        return False
    if d.default is not None and not (isinstance(d.default, ir.Lit) and d.default.value is False):
        return False
    if d.default is None and d.kind != "predicate":
        return False
    tests = 0
    for r in d.rules:
        for x in walk(r.condition, prune=lambda n: not isinstance(n, _CONNECTIVES)):  # its tests, joined how they are
            if isinstance(x, _CONNECTIVES):
                continue
            tests += 1
            if has_list(x):  # a quantifier, a count or an aggregate, or a test looking through a list
                return False
    return tests <= MAX_INLINED_TESTS


_CONNECTIVES = (ir.And, ir.Or, ir.NotE)


def has_list(e: ir.Expr) -> bool:
    """Whether a test looks through a list anywhere inside it (a count or an aggregate in its operands)."""
    return any(isinstance(x, ir.Quant | ir.CountE | ir.Agg) for x in walk(e))


def read_after_same_tests(items: list[ir.Expr], later: list[list[ir.Expr]]) -> tuple[int, ir.DefRef] | None:
    """A case's definition a rule's test `items[j]` evaluates first (j > 0), that a later rule (each of `later`, its
    tests) evaluates first in its own test j after the same tests before it, none of them reading it: where the
    rule keeps it in a local, the later rule, reaching it only when those tests held, can read the local."""
    for j in range(1, len(items)):
        ref = leftmost(items[j])
        key = fact_key(ref) if ref is not None else None
        if ref is None or key is None or key[2:3] != ("case",):
            continue
        prefix = [shape(i) for i in items[:j]]
        if any(fact_key(d) == key for i in items[:j] for d in definitions_used(i)):
            continue
        for other in later:
            first = leftmost(other[j]) if len(other) > j else None
            if first is not None and fact_key(first) == key and [shape(i) for i in other[:j]] == prefix:
                return j, ref
    return None


def compared(e: ir.Expr) -> ir.DefRef | None:
    """The definition test `e` compares, as its left operand, if any."""
    left = e.left if isinstance(e, ir.Cmp) else e.operand if isinstance(e, ir.OneOf | ir.Within) else None
    return left if isinstance(left, ir.DefRef) else None


def leftmost(e: ir.Expr) -> ir.DefRef | None:
    """The definition `e` evaluates before anything else, if any: the left operand of its first test."""
    while not isinstance(e, ir.DefRef):
        if isinstance(e, ir.Cmp):
            e = e.left
        elif isinstance(e, ir.OneOf | ir.Within | ir.NotE):
            e = e.operand
        elif isinstance(e, ir.And | ir.Or):
            e = e.items[0]
        else:
            return None
    return e
