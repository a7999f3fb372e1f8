"""A method's conditions and aggregates written as statements rather than one expression: loops over lists, each
test of the traced form a statement that logs itself, and (in the plain, trace-off form) definitions kept in locals.

Conditions and aggregates over a list are plain `for` loops, in both forms.

`any(map(self.charge_is_x, person.charges))` calls a method per charge and `max(c.gravity for c in ...)` resumes
a generator per charge; a loop with the predicate's own test written in it, as a person would write it, costs a
third of either. The loop tests what the expression tests, in the same order, and stops where it stops, so a
case is decided alike and a missing fact raises the same error: `any` breaks at the first element that passes,
`every` and `no` at the first that fails, `and` and `or` stop as written. The traced form logs each element
before its test and the quantifier's truth after the loop, the very entries `trace.each` and `trace.truth` make.

A record predicate whose rules all say yes ("a charge is disqualifying if ...") is written into the loop as its
conditions joined by `or`, when they test the record and the case directly (no list of their own, no other
rules that prevail); its own name still labels any UndecidedError it raises.

In the traced form each test of a condition is a statement, `and` and `or` nested `if`s: `flag = (gravity :=
...) <= (medium := ...)`, then `trace.log(("compare", 5013, gravity, medium, flag))`, the entry
`trace.compare` would make, without its Python call. A rule's copy of the test every rule makes first, within the
`if` that made it and found it holds, is logged as holding without being made again.

Which definitions are kept in locals, and where, is python_kept.py's.
"""

from __future__ import annotations

from contextlib import ExitStack

from compiler.backends.python.analysis import (
    compared,
    conjuncts,
    definitions_used,
    fact_key,
    free_vars,
    inlinable,
    leftmost,
)
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_kept import KeptDefinitions
from compiler.backends.python.python_literals import annotation, zero
from compiler.backends.python.python_rule_order import MAX_COMPARED
from compiler.backends.python.python_text import (
    AND,
    CMP,
    OR,
    Code,
    Writer,
    call,
    joined,
    negation,
    paren,
    string,
    tuple_of,
)
from compiler.backends.python.stops import Stops
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import shape

# Statements nest at most this deep (each step of a chain in the `if` of the one before); the rest is one expression.
MAX_DEPTH = 12
# How deep predicates are written into each other (one naming another) before the next is called.
MAX_INLINED_DEPTH = 3


# What the traced form writes as a step of its own in a chain: each atom, and each chain within it.
_STEPS = (ir.Cmp, ir.OneOf, ir.Within, ir.DefRef, ir.FieldRef, ir.ParamRef, ir.Known, ir.And, ir.Or)


class Statements(KeptDefinitions):
    """Writes one method's conditions and aggregates as statements, with loops over lists, in the form (plain or
    traced) of `ex`."""

    def __init__(self, ex: Expressions, subjects: set[str], loop_types: dict[str, str | None]) -> None:
        self.ex, self.traced = ex, ex.traced
        self.scope = ex.scope
        self.subjects = subjects  # the method's own record variables: a loop must not rebind them
        self.loop_types = loop_types  # a loop variable's name -> the record it holds, shared by both forms
        self.last_use: dict[tuple[str, ...] | None, int] | None = None
        self.depth = 0  # how deep the statements being written are nested in this class's own `if`s
        self.kept: dict[str, tuple[frozenset[str], dict[tuple[str, ...], str]]] = {}  # rule -> (its skips, locals)
        # rule -> (its skips, its tests before the definition it kept, the definition's key, the local): _bind_after
        self.prefixed: dict[str, tuple[frozenset[str], list[object], tuple[str, ...], str]] = {}
        self.written_in: list[str] = []  # the rules `body` wrote into the loop being written, for its comment

    def rule(
        self, b: Writer, name: str, skips: list[str], rules: tuple[ir.RuleDef, ...], position: int, test: bool = False
    ) -> Code | None:
        """`name = <does rule r apply>`, for r the rule at `position` in `rules` (all the method's rules), reading
        the definitions earlier rules kept (see the docstring). Traced, a definition is kept only where the rule
        evaluates it first of all, so that the trace's entries come in the same order. With `test`, in the plain
        form, for a condition without a loop: the condition itself, for an `if`, and no `name`."""
        r = rules[position]
        assert r.condition is not None
        if self.last_use is None:  # where each definition is used last, found once: a method may have many rules
            self.last_use = {}
            for place, rule in enumerate(rules):
                for ref in definitions_used(rule.condition):
                    self.last_use[fact_key(ref)] = place
        scope, mine = self.scope, frozenset(skips)
        every = conjuncts(r.condition)
        items = [i for i in every if not scope.known or shape(i) not in scope.known]
        available = self._available(items, mine)
        first = leftmost(items[0]) if items else None
        walrus = None  # traced: the case's definition the rule's first test keeps in a local as it evaluates it
        if self.traced and items and items[0] is not every[0]:
            walrus = compared(items[0])
            first = None  # the traced form logs the known tests first: the definition is not what it evaluates first
        if first is not None:
            self._keep_first(b, name, first, available, mine, position)
        saved = scope.decided
        scope.decided = {**available, **saved}
        bound = None if len(rules) > MAX_COMPARED else self._bind_after(items, rules, position)
        try:
            if test and not self.traced and not self.has_loop(r.condition):
                return self.ex.condition(r.condition)
            start = len(b.lines)
            self.assign(b, name, r.condition)
        finally:
            scope.decided = saved
            if bound is not None and not self.traced and not scope.binding:  # kept where the condition evaluates it
                self.prefixed[name] = (mine, bound[0], bound[1], scope.local(bound[1], bound[2].definition))
            scope.binding = {}
        held = scope.temporary_names.get(shape(bound[2])) if bound is not None and self.traced else None
        if bound is not None and held is not None and any(f"({held} := " in line for line in b.lines[start:]):
            self.prefixed[name] = (mine, bound[0], bound[1], held)  # traced: kept by its test's walrus
        if walrus is not None:
            self._keep_walrus(b, name, walrus, mine, start, position)
        return None

    def assign(self, b: Writer, target: str, e: ir.Expr) -> None:
        """`target = <condition e>` as statements: loops for the quantifiers the condition always reaches, and in the
        traced form a statement for each test."""
        if self.traced and isinstance(e, ir.And | ir.Or):
            self.chain(b, target, list(e.items), "and" if isinstance(e, ir.And) else "or")
            return
        if self._logged(e):
            self.chain(b, target, [e], "and")
            return
        if self._test(b, target, e):
            return
        known = self.scope.known if not self.traced else set()
        if not self.has_loop(e) or (known and shape(e) in known):
            b.statement(f"{target} = ", self.ex.condition(e))
        elif isinstance(e, ir.And):
            items = [i for i in e.items if not known or shape(i) not in known] or list(e.items[:1])
            self.chain(b, target, items, "and")
        elif isinstance(e, ir.Or):
            self.chain(b, target, list(e.items), "or")
        elif isinstance(e, ir.NotE):
            self.assign(b, target, e.operand)
            b.line(f"{target} = not {target}")
        elif isinstance(e, ir.Quant):
            self._quantifier(b, target, e)

    def _test(self, b: Writer, target: str, e: ir.Expr) -> bool:
        """Traced, an atom of a condition as statements: `target` set to its result, then its entry logged, as
        trace.compare or trace.truth would log it, with no call. False, writing nothing, for anything else."""
        if not self.traced:
            return False
        atom = e.span.start
        test = self.ex.traced_test(e)
        if test is not None:
            left, right, op, result = test
            left_made, lname, right_made, rname = self.scope.kept(e, left, right)
            if op:  # evaluated left to right, as the call evaluates its arguments
                b.statement(f"{target} = ", joined((paren(left_made, CMP + 1), paren(right_made, CMP + 1)), op, CMP))
            else:
                for made, name in ((left_made, lname), (right_made, rname)):
                    if made.text != name:  # `(name := code)`: kept in a local first
                        b.statement(f"{name} = ", made.parts[0])
                b.line(f"{target} = {result.format(left=lname, right=rname)}")
            entry = tuple_of([Code(x) for x in ('"compare"', str(atom), lname, rname, target)])
        else:
            value = self.ex.truth_value(e)
            if value is None:
                return False
            b.statement(f"{target} = ", value)
            entry = tuple_of([Code(x) for x in ('"truth"', str(atom), target)])
        self.scope.atoms.setdefault(atom, self.scope.checked.words(e.span))
        b.statement("trace.log", call("", entry))
        return True

    def _logged(self, e: ir.Expr) -> bool:
        """Whether the traced form logs test `e` as it is, with no call: a copy of the test every rule makes,
        within the `if` that made it and found it holds."""
        if not self.traced or not self.scope.known or shape(e) not in self.scope.known:
            return False
        return isinstance(e, ir.Cmp | ir.OneOf | ir.Within) or (
            isinstance(e, ir.DefRef | ir.FieldRef | ir.ParamRef | ir.Known) and e.type.traits.truth_valued
        )

    def _known_entry(self, e: ir.Expr) -> Code:
        """The log entry of test `e` where it holds (see `_logged`): what trace.compare or trace.truth logs."""
        atom = e.span.start
        self.scope.atoms.setdefault(atom, self.scope.checked.words(e.span))
        if isinstance(e, ir.Cmp | ir.OneOf | ir.Within):
            return tuple_of([Code('"compare"'), Code(str(atom)), *self.ex.operands(e), Code("True")])
        return tuple_of([Code('"truth"'), Code(str(atom)), Code("True")])

    def has_loop(self, e: ir.Expr) -> bool:
        """Whether `e` has a quantifier this class writes as a loop, outside any other quantifier."""
        if isinstance(e, ir.And | ir.Or):
            return any(self.has_loop(i) for i in e.items)
        if isinstance(e, ir.NotE):
            return self.has_loop(e.operand)
        return isinstance(e, ir.Quant) and e.kind in {"any", "every", "no"} and self._loop_var(e) is not None

    def _loop_var(self, e: ir.Quant | ir.Agg) -> str | None:
        """The loop's variable, or None when a loop may not bind it: it names the method's record, or a loop over
        another kind of record (its type would change within the method)."""
        name = self.scope.var(e.var)
        held = e.source.type.name
        if name in self.subjects or self.loop_types.get(name, held) != held:
            return None
        return name

    def chain(self, b: Writer, target: str, items: list[ir.Expr], joiner: str) -> None:
        """`a and b and c` as statements: each loop, each test logged as it is (`_logged`) and, traced, each atom a
        step of its own, nested in the `if` of the step before; the others together in one expression."""
        logged = [joiner == "and" and self._logged(item) for item in items]
        steps_of_own = [self.has_loop(item) or (self.traced and isinstance(item, _STEPS)) for item in items]
        alone = [a or b for a, b in zip(logged, steps_of_own, strict=True)]
        steps: list[list[int]] = []  # the items of each step, by their place in `items`
        for i in range(len(items)):
            if self.depth + len(steps) >= MAX_DEPTH:  # no deeper: the rest in one expression
                steps.append(list(range(i, len(items))))
                break
            if alone[i] or not steps or alone[i - 1]:
                steps.append([i])
            else:
                steps[-1].append(i)
        depth = self.depth
        with ExitStack() as nested:
            go_on = False  # whether the step before set `target`, so that the next is taken only if it must be
            for step in steps:
                if go_on:
                    nested.enter_context(b.block(f"if {'' if joiner == 'and' else 'not '}{target}:"))
                    self.depth += 1
                go_on = True
                if len(step) > 1:
                    prec = AND if joiner == "and" else AND + 1
                    tests = tuple(paren(self.ex.condition(items[i]), prec) for i in step)
                    b.statement(f"{target} = ", joined(tests, joiner, AND if joiner == "and" else OR))
                elif logged[step[0]]:  # it holds: `target` stays as it is
                    b.statement("trace.log", call("", self._known_entry(items[step[0]])))
                    go_on = False
                else:
                    self.assign(b, target, items[step[0]])
            if all(logged):
                b.line(f"{target} = True")
        self.depth = depth

    def _quantifier(self, b: Writer, target: str, e: ir.Quant) -> None:
        var = self._loop_var(e)
        assert var is not None  # _loops checked it
        self.loop_types[var] = e.source.type.name
        self.written_in = []
        body = self.body(e.body)
        hit = e.kind == "any"  # the value when an element stops the loop
        source, atom = self.ex.value(e.source).text, e.span.start
        if self.written_in:  # the rules' own methods are not called here: say where the test comes from
            b.comment(f"The test below is written in from {', '.join(dict.fromkeys(self.written_in))}.")
        b.line(f"{target} = {not hit}")
        if self.traced:
            index = self.scope.local(("loop index",), "index")
            self.scope.atoms.setdefault(atom, self.scope.checked.words(e.span))
        with b.block(f"for {index}, {var} in enumerate({source}):" if self.traced else f"for {var} in {source}:"):
            if self.traced:
                b.line(f'trace.log(("element", {atom}, {index}, {var}))')
            # Traced, the element's test logs itself without a call to trace.truth or trace.compare; `target` then
            # holds each element's result, the quantifier's own once the loop ends (not for `no`, which negates it).
            if self.traced and e.kind != "no" and self._test(b, target, e.body):
                with b.block(f"if {'' if hit else 'not '}{target}:"):
                    b.line("break")
            else:
                with b.block_on("if ", body if e.kind != "every" else negation(body)):
                    b.line(f"{target} = {hit}")
                    b.line("break")
        if self.traced:
            b.line(f'trace.log(("truth", {atom}, {target}))')

    def loops_over(self, e: ir.Agg, want: ir.Type) -> bool:
        """Whether `aggregate` can write `e`, a value of type `want`, as a loop (an int widened to a number is not)."""
        widened = want.traits.exact_fraction and e.type.kind is Kind.INT
        return not widened and e.kind in {"greatest", "least", "total"} and self._loop_var(e) is not None

    def aggregate(self, b: Writer, target: str, e: ir.Agg) -> None:
        """`target = <the greatest/least/total of e>` as a loop (see `loops_over`): a rule's value, written plain
        for both forms."""
        var = self._loop_var(e)
        assert var is not None
        self.loop_types[var] = e.source.type.name
        scope = self.scope
        result = scope.local(("aggregate", str(e.span.start)), e.kind)
        value = self.ex.value(e.value, e.type)
        simple = isinstance(e.value, ir.FieldRef | ir.VarRef) and not getattr(e.value, "optional", False)
        item = value.text if simple else scope.local(("aggregate item", str(e.span.start)), "item")
        if e.kind == "total":
            b.line(f"{result}: {annotation(e.type)} = {scope.literals.code(zero(e.type.kind), e.type)}")
        else:
            b.line(f"{result}: {annotation(e.type)} | None = None")
        # Not `body`: with a trace the same loop runs, and a predicate it names must then report itself.
        where = b.block_on("if ", self.ex.condition(e.where)) if e.where is not None else ExitStack()
        with b.block(f"for {var} in {self.ex.value(e.source).text}:"), where:
            if not simple:
                b.statement(f"{item} = ", value)
            if e.kind == "total":
                b.line(f"{result} = {result} + {item}")
            else:
                with b.block(f"if {result} is None or {item} {'>' if e.kind == 'greatest' else '<'} {result}:"):
                    b.line(f"{result} = {item}")
        if e.kind != "total":
            reason = f"{scope.checked.words(e.span)}: there are none"
            with b.block(f"if {result} is None:"):
                b.statement("raise ", call("UndecidedError", string(scope.definition), string(reason)))
        b.line(f"{target} = {result}")

    # ---------------------------------------------------------------- predicates written into the loop

    def body(self, e: ir.Expr, depth: int = 0) -> Code:
        """The test of one element; in the plain form with record predicates on it written in (see the module's
        docstring)."""
        if self.traced:
            return self.ex.condition(e)
        if isinstance(e, ir.DefRef) and isinstance(e.subject, ir.VarRef) and depth < MAX_INLINED_DEPTH:
            d = self.scope.checked.definition(e.definition)
            stops = self.scope.stops or Stops(self.scope.checked)
            if inlinable(d) and not stops.may_stop_after_first(d.rules):  # `or` stops at the first that holds
                return self._inlined(d, e.subject, depth)
        if isinstance(e, ir.And | ir.Or):
            prec = AND if isinstance(e, ir.And) else AND + 1
            items = tuple(paren(self.body(i, depth), prec) for i in e.items)
            return joined(items, "and" if isinstance(e, ir.And) else "or", AND if isinstance(e, ir.And) else OR)
        if isinstance(e, ir.NotE):
            return negation(self.body(e.operand, depth))
        return self.ex.condition(e)

    def _inlined(self, d: ir.Definition, subject: ir.VarRef, depth: int) -> Code:
        scope = self.scope
        names = list(dict.fromkeys(free_vars(d)))
        saved = (dict(scope.renames), scope.definition, scope.known, scope.decided, scope.bound)
        for name in names:  # the predicate's variable is the element the loop is at
            scope.renames[name] = scope.var(subject.var)
        scope.definition, scope.known, scope.bound = d.label, set(), {}
        scope.decided = {k: v for k, v in scope.decided.items() if k[2:3] == ("case",)}
        try:
            tests = tuple(paren(self.body(r.condition, depth + 1), AND + 1) for r in d.rules if r.condition)
            self.written_in += [f"{r.ident} ({r.citation.label})" for r in d.rules]
        finally:
            scope.renames, scope.definition, scope.known, scope.decided, scope.bound = saved
        return tests[0] if len(tests) == 1 else joined(tests, "or", OR)
