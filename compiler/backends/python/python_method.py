"""What every method deciding a definition is made of (python_rules.py writes the methods, python_parts.py the
methods of an article's rules): its scope and expression writers, its body, and the small pieces each shape uses.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext

from compiler.backends.python import naming
from compiler.backends.python.analysis import free_vars, repeated_facts
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_literals import Literals, annotation
from compiler.backends.python.python_rule_order import RuleOrder
from compiler.backends.python.python_scope import MethodScope, root_local
from compiler.backends.python.python_statements import Statements
from compiler.backends.python.python_text import Code, Writer, snake, string
from compiler.backends.python.stops import Stops
from compiler.model import ir


def result_annotation(d: ir.Definition, unset: bool = False) -> str:
    """The type of the definition's value; with `unset`, of its slot before it is decided."""
    return annotation(d.type) + (" | _Unset" if unset else "") + (" | None" if d.optional else "")


# A statement that makes a trace entry, at the start of a generated line (never inside a string or a comment).
_TRACE_ENTRY = re.compile(r"(\s*)trace\.(log|begin_rule|end_rule)\(")


class MethodWriter:
    """The parts of a method deciding one definition, or one article's rules of it."""

    def __init__(
        self,
        checked: ir.Checked,
        literals: Literals,
        atoms: dict[int, str],
        d: ir.Definition,
        stops: Stops,
        only: list[str] | None = None,
    ) -> None:
        self.checked, self.d, self.stops = checked, d, stops
        self.name = naming.ident(d.ident, "the definition")
        self.rules = {naming.ident(r.ident, "the rule"): r for r in d.rules}
        if only is not None:  # a part of the rules, an article's, written by a method of its own (python_parts.py)
            self.rules = {name: self.rules[name] for name in only}
        self.rule_defs = tuple(self.rules.values())
        self.calls: list[str] = []  # the methods of the parts this method asks in turn, instead of writing rules
        self.parts: list[list[ir.RuleDef]] | None = None  # their rules, for the docstring
        self.passed: frozenset[str] = frozenset()  # rules known not to have applied where later ones are written
        self.declared = False  # whether `candidate` was declared, for the conflict checks
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

    def bind_trace_entries(self, start: int = 0, least: int = 1) -> None:
        """`log`, `begin_rule` and `end_rule` of the trace taken into locals once, and called by those names: a traced
        case makes some seventy entries, and a local is found faster than the trace's attribute each time. From line
        `start` of the body on (the traced branch of a small method), where it makes `least` entries or more."""
        used: list[str] = []
        lines = self.body.lines
        entries = [i for i in range(start, len(lines)) if _TRACE_ENTRY.match(lines[i])]
        if not entries or len(entries) < least:
            return
        for i in entries:
            match = _TRACE_ENTRY.match(lines[i])
            assert match is not None
            lines[i] = f"{match.group(1)}{match.group(2)}({lines[i][match.end() :]}"
            used += [] if match.group(2) in used else [match.group(2)]
        names = sorted(used, key=("log", "begin_rule", "end_rule").index)
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        lines.insert(start, f"{indent}{', '.join(names)} = {', '.join(f'trace.{n}' for n in names)}")

    def write_locals(self, w: Writer) -> None:
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
