"""The methods of the Evaluation class (python_evaluation.py) deciding each definition by default logic.

Rules come prevailing first. A rule overridden by a rule that applied is skipped, its condition never evaluated;
the rules that apply must agree, or ConflictError names two of them; when none applies, the default, None for an
optional definition, no for a predicate, or UndecidedError. Case-level definitions are kept in a slot once decided.

Each condition is written twice from the same checked expression, plain and traced, so deciding without a trace
costs what hand-written code costs: a definition of the general shape as two methods, the plain one handing a traced
case to the other, `_<name>_traced`; a small one as one method, where one `if trace is None` chooses. Common shapes
are written as a person would: a predicate whose rules all say yes is `return cond1 or cond2`.

Fewer rules are looked at where that cannot change a decision (analysis.py): a rule excluded by a rule that applied
is skipped like an overridden one, and needs no conflict check against it; a test every rule makes is made once,
before them all; a definition the first rule needs first, and other rules need too, is decided once into a local.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from compiler.backends.python import naming
from compiler.backends.python.analysis import (
    decided_first,
    definitions_used,
    fact_key,
    first_conjunct,
    free_vars,
    is_constant,
    repeated_facts,
    says_yes,
    shared_test,
)
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_literals import Literals, annotation
from compiler.backends.python.python_rule_order import RuleOrder
from compiler.backends.python.python_scope import MethodScope, root_local
from compiler.backends.python.python_statements import Statements
from compiler.backends.python.python_tables import definition_doc
from compiler.backends.python.python_text import AND, OR, Code, Writer, call, negation, paren, snake, string, tuple_of
from compiler.backends.python.stops import Stops
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import shape


def result_annotation(d: ir.Definition, unset: bool = False) -> str:
    """The type of the definition's value; with `unset`, of its slot before it is decided."""
    return annotation(d.type) + (" | _Unset" if unset else "") + (" | None" if d.optional else "")


# A statement that makes a trace entry, at the start of a generated line (never inside a string or a comment).
_TRACE_ENTRY = re.compile(r"(\s*)trace\.(log|begin_rule|end_rule)\(")


class DefinitionMethod:
    """Writes the method deciding one definition."""

    def __init__(
        self, checked: ir.Checked, literals: Literals, atoms: dict[int, str], d: ir.Definition, stops: Stops
    ) -> None:
        self.checked, self.d, self.stops = checked, d, stops
        self.name = naming.ident(d.ident, "the definition")
        self.rules = {naming.ident(r.ident, "the rule"): r for r in d.rules}
        self.rule_order = RuleOrder(self.rules, stops)
        self.order, self.skips = self.rule_order.order, self.rule_order.skips
        self.set_aside = self.rule_order.set_aside
        taken = set(self.rules) | set(self.set_aside.values())
        root = root_local(checked, taken)
        self.scope = MethodScope(checked, literals, atoms, d.label, root, reserved=taken, stops=stops)
        self.plain = Expressions(self.scope, traced=False)
        self.traced = Expressions(self.scope, traced=True)
        self.body = Writer()
        self.body.depth = 2
        # None: the method writes both forms, chosen by `if trace is None` (the small shapes); False or True: the
        # plain or the traced half of a definition written as two methods (_write_general).
        self.split: bool | None = None
        self.cached = d.owner is None
        self.subject = "None"
        self.aliases: list[str] = []
        if d.owner is not None:
            free = list(dict.fromkeys(free_vars(d)))
            label = snake(checked.record(d.owner).label) or "record"
            self.subject = self.scope.var(free[0] if free else label)
            self.aliases = [f"{self.scope.var(v)} = {self.subject}" for v in free[1:]]
        subjects = {self.subject, *(alias.split(" = ")[0] for alias in self.aliases)}
        loop_types: dict[str, str | None] = {}
        self.plain_form = Statements(self.plain, subjects, loop_types)
        self.traced_form = Statements(self.traced, subjects, loop_types)

    def write(self, w: Writer) -> None:
        """The method; for a definition of the general shape, a second one, `_<name>_traced`, that the first hands
        a case to when it is traced: each half is the size of the old method's plain or traced branches, and
        neither asks `trace is None` at each rule."""
        d = self.d
        # `cond1 or cond2` stops at the first rule that applies; the interpreter looks at every rule (stops.py).
        stops_after_first = self.stops.may_stop_after_first(d.rules)
        traced: DefinitionMethod | None = None
        if d.rules and all(says_yes(r) for r in d.rules) and self._yes_or_no() and not stops_after_first:
            self._write_any()
        elif len(d.rules) == 1 and d.rules[0].condition is None:
            self._write_single(d.rules[0])
        else:
            self.split = False
            self._write_general()
            traced = DefinitionMethod(self.checked, self.scope.literals, self.scope.atoms, d, self.stops)
            traced.split = True
            traced._write_general()
        owner = "" if d.owner is None else f", {self.subject}: {naming.ident(d.owner, 'the record')}"
        with w.block(f"def {self.name}(self{owner}) -> {result_annotation(d)}:"):
            w.docstring(definition_doc(self.checked, d))
            if self.cached:
                w.line(f"value = self._{self.name}")
                with w.block("if value is not _UNSET:"):
                    w.line("return value")
            w.line("trace = self.trace")
            if traced is not None:
                subject = "" if d.owner is None else f", {self.subject}"
                with w.block("if trace is not None:"):
                    w.line(f"return self._{self.name}_traced(trace{subject})")
            self._write_locals(w)
        if traced is not None:
            w.line()
            with w.block(f"def _{self.name}_traced(self, trace: Trace{owner}) -> {result_annotation(d)}:"):
                w.docstring([f"{self.name}, reporting to `trace` what it looks at."])
                traced._bind_trace_entries()
                traced._write_locals(w)

    def _bind_trace_entries(self) -> None:
        """`log`, `begin_rule` and `end_rule` of the trace taken into locals once, and called by those names: a traced
        case makes some seventy entries, and a local is found faster than the trace's attribute each time."""
        used: list[str] = []
        for i, line in enumerate(self.body.lines):
            match = _TRACE_ENTRY.match(line)
            if match is not None:
                self.body.lines[i] = f"{match.group(1)}{match.group(2)}({line[match.end() :]}"
                used += [] if match.group(2) in used else [match.group(2)]
        if used:
            names = sorted(used, key=("log", "begin_rule", "end_rule").index)
            bound = f"{', '.join(names)} = {', '.join(f'trace.{n}' for n in names)}"
            self.body.lines.insert(0, "    " * self.body.depth + bound)

    def _write_locals(self, w: Writer) -> None:
        """The method's body, after the record locals it reads."""
        if self.scope.uses_root and self.scope.root != "self.case":
            w.line(f"{self.scope.root} = self.case")
        for alias in self.aliases:
            w.line(alias)
        w.lines.extend(self.body.lines)

    def _enter(self) -> str:
        """The log entry of the definition's Enter event: without a subject, a constant Python folds."""
        subject = "" if self.subject == "None" else f", {self.subject}"
        return f'trace.log(("enter", {string(self.d.ident)}{subject}))'

    def _yes_or_no(self) -> bool:
        """A predicate: no when no rule says yes."""
        d = self.d
        if d.optional or not d.type.traits.truth_valued or any(r.overridden_by for r in d.rules):
            return False
        if d.default is None:
            return d.kind == "predicate"
        return isinstance(d.default, ir.Lit) and d.default.value is False

    def _condition(self, r: ir.RuleDef, traced: bool) -> Code:
        if r.condition is None:
            return Code("True")
        return (self.traced if traced else self.plain).condition(r.condition)

    def _traced_condition(self, target: str, r: ir.RuleDef) -> None:
        if r.condition is None:
            self.body.line(f"{target} = True")
        else:
            self.traced_form.assign(self.body, target, r.condition)

    def _value(self, expr: ir.Expr) -> Code:
        return self.plain.maybe(expr, self.d.type) if self.d.optional else self.plain.value(expr, self.d.type)

    def _store_and_return(self, name: str) -> None:
        if self.cached:
            self.body.line(f"self._{self.name} = {name}")
        self.body.line(f"return {name}")

    def _plain_branch(self, plain: Code | Callable[[str], None]) -> AbstractContextManager[None]:
        """Under `if trace is None:`, the plain result: returned at once when nothing is kept. `plain` is an
        expression, or writes the statements that set the variable it is given."""
        b = self.body
        with b.block("if trace is None:"):
            if isinstance(plain, Code):
                b.statement("value = " if self.cached else "return ", plain)
            else:
                plain("value")
                if not self.cached:
                    b.line("return value")
        return b.block("else:") if self.cached else nullcontext()

    # ---------------------------------------------------------------- the shapes

    def _write_any(self) -> None:
        """A predicate whose rules all say yes: `cond1 or cond2`."""
        b = self.body
        conditions = [r.condition for r in self.d.rules if r.condition is not None]

        def loops(target: str) -> None:
            self.plain_form.chain(b, target, conditions, "or")

        either: Code | Callable[[str], None] = loops  # statements, when a condition loops over a list
        if len(conditions) < len(self.d.rules) or not any(self.plain_form.has_loop(c) for c in conditions):
            plain = tuple(paren(self._condition(r, False), AND + 1) for r in self.d.rules)
            either = Code(" or ".join(p.text for p in plain), OR, plain, "or")
            if len(plain) == 1:
                either = self._condition(self.d.rules[0], False)
        with self._plain_branch(either):
            b.line(self._enter())
            b.line("deciding: tuple[str, ...] = ()")
            for i, (name, r) in enumerate(self.rules.items()):
                with b.block("if not deciding:") if i else nullcontext():
                    b.line(f"trace.begin_rule({string(name)})")
                    self._traced_condition("applied", r)
                    b.line("trace.end_rule(applied)")
                    with b.block("if applied:"):
                        b.line(f"deciding = ({string(name)},)")
            b.line("value = bool(deciding)")
            b.line('trace.log(("leave", value, deciding))')
        self._store_and_return("value")

    def _write_single(self, r: ir.RuleDef) -> None:
        """One rule that always applies: its value."""
        b = self.body
        if isinstance(r.value, ir.Agg) and self.plain_form.loops_over(r.value, self.d.type):
            # A rule's value is written plain in both forms: one loop serves them both.
            with b.block("if trace is not None:"):
                self._write_single_begins(r)
            self.plain_form.aggregate(b, "value", r.value)
            with b.block("if trace is not None:"):
                b.line(f'trace.log(("leave", value, ({string(r.ident)},)))')
            self._store_and_return("value")
            return
        value = self._bound_value(r.value)
        with self._plain_branch(value):
            self._write_single_begins(r)
            b.statement("value = ", value)
            b.line(f'trace.log(("leave", value, ({string(r.ident)},)))')
        self._store_and_return("value")

    def _write_single_begins(self, r: ir.RuleDef) -> None:
        self.body.line(self._enter())
        self.body.line(f"trace.begin_rule({string(r.ident)})")
        self.body.line("trace.end_rule(True)")

    def _bound_value(self, expr: ir.Expr) -> Code:
        """The value of `expr`, each optional fact it reads more than once unwrapped into a local first."""
        scope = self.scope
        repeated = repeated_facts(expr)
        for key, fact in repeated.items():
            name = scope.local(key, fact.field)
            self.body.statement(f"{name} = ", self.plain.value(fact))
        scope.bound = {key: scope.local(key, fact.field) for key, fact in repeated.items()}
        try:
            return self._value(expr)
        finally:
            scope.bound = {}

    def _write_general(self) -> None:
        b, d = self.body, self.d
        if self.split:
            b.line(self._enter())
        if not d.rules:
            self._fallback("found")
            self._leave_and_return()
            return
        self._decide_first()
        b.line(f"found: {result_annotation(d, unset=True)} = _UNSET")
        checks = self.rule_order.rivals()
        if any(checks.values()):
            b.line('by = ""')
        guard = shared_test(d.rules, self.stops.leading)
        if guard is None:
            self._write_rules(checks)
        else:
            b.line()
            b.comment("Every rule asks this first; when it fails, none applies.")
            with b.block(f"if {self.plain.condition(guard[0]).text}:"):
                self.scope.known = {shape(guard[0])}
                self._write_rules(checks)
                self.scope.known = set()
            if self.split:
                with b.block("else:"):
                    self._write_guard_failed(guard)
        b.line()
        with b.block("if found is _UNSET:"):
            self._fallback("found")
        self._leave_and_return()

    def _write_guard_failed(self, guard: list[ir.Expr]) -> None:
        """Traced, when the test every rule asks first fails: every rule failed on it."""
        b = self.body
        for name in self.rules:
            b.line(f"{name} = False")
        rules = tuple_of([Code(string(name)) for name in self.rules])
        atoms = tuple_of([Code(str(test.span.start)) for test in guard])
        for test in guard:
            self.scope.atoms.setdefault(test.span.start, self.checked.words(test.span))
        b.statement("trace.rules_failed", call("", rules, atoms, *self.plain.operands(guard[0])))

    def _write_rules(self, checks: dict[str, bool]) -> None:
        b, d = self.body, self.d
        declared = False
        for name, r in self.rules.items():
            b.line()
            b.comment(f"{name} ({r.citation.label})")
            self._applies(name, r)
            with b.block(f"if {name}:"):
                value = self._bound_value(r.value)
                if checks[name]:
                    if not is_constant(r.value):
                        b.statement("candidate = " if declared else f"candidate: {result_annotation(d)} = ", value)
                        value, declared = Code("candidate"), True
                    differs = (
                        f"differ(found, {value.text})" if d.type.kind is Kind.DURATION else f"found != {value.text}"
                    )
                    with b.block(f"if found is not _UNSET and {differs}:"):
                        rule = f"RULES[{string(name)}]"
                        b.statement("raise ", call("ConflictError", string(d.label), "RULES[by]", "found", rule, value))
                b.statement("found = ", value)
                if any(checks.values()):
                    b.line(f"by = {string(name)}")

    def _decide_first(self) -> None:
        """Definitions the first rule needs before anything else, when other rules need them too: decided once into
        a local. The first rule is always looked at, so this changes nothing but the time taken."""
        first = first_conjunct(self.d.rules[0].condition)
        if first is None:
            return
        uses: dict[tuple[str, ...], int] = {}
        for r in self.d.rules:
            for e in (r.condition, r.value):
                for ref in definitions_used(e):
                    key = fact_key(ref)
                    if key is not None:
                        uses[key] = uses.get(key, 0) + 1
        for ref in decided_first(first):
            key = fact_key(ref)
            if key is not None and uses.get(key, 0) > 1 and key not in self.scope.decided:
                name = self.scope.local(key, ref.definition)
                self.body.statement(f"{name} = ", self.plain.maybe(ref))
                self.scope.decided[key] = name

    def _applies(self, name: str, r: ir.RuleDef) -> None:
        """`name = <does rule r apply>`, False without a look when a rule that leaves it out applied."""
        b = self.body
        skip = self.rule_order.skip(name)
        left_out = bool(skip.parts)
        if name in self.set_aside:
            b.statement(f"{self.set_aside[name]} = ", skip)
            skip = Code(self.set_aside[name])
        if r.condition is None:
            b.statement(f"{name} = ", negation(skip) if left_out else Code("True"))
            if self.split:
                with b.block(f"if {name}:") if left_out else nullcontext():
                    b.line(f"trace.begin_rule({string(name)})")
                    b.line("trace.end_rule(True)")
            return
        if left_out:
            with b.block_on("if ", skip):
                b.line(f"{name} = False")
        with b.block("else:") if left_out else nullcontext():
            if not self.split:
                self.plain_form.rule(b, name, self.skips[name], self.d.rules, self.order[name])
            else:
                b.line(f"trace.begin_rule({string(name)})")
                self.traced_form.rule(b, name, self.skips[name], self.d.rules, self.order[name])
                b.line(f"trace.end_rule({name})")

    def _fallback(self, target: str) -> None:
        b, d = self.body, self.d
        if d.default is not None:
            b.statement(f"{target} = ", self._bound_value(d.default))
        elif d.optional:
            b.line(f"{target} = None")
        elif d.kind == "predicate":
            b.line(f"{target} = False")
        else:
            b.line(f"raise UndecidedError({string(d.label)}, {string('no rule applies and it has no default')})")

    def _leave_and_return(self) -> None:
        b = self.body
        if self.split:
            if self.rules:
                idents = tuple_of([Code(string(name)) for name in self.rules])
                flags = tuple_of([Code(name) for name in self.rules])
                b.statement("trace.log", call("", tuple_of([Code('"decided"'), Code("found"), idents, flags])))
            else:
                b.line('trace.log(("leave", found, ()))')
        self._store_and_return("found")
