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

A definition whose rules come from several articles may be decided by a method per article (python_parts.py): the
definition's method then asks them in turn (`calls`), and each writes only its article's rules (`only`), returning
at once the value of a rule nothing after it is looked at (`passed`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from compiler.backends.python import naming
from compiler.backends.python.analysis import (
    decided_first,
    definitions_used,
    fact_key,
    first_conjunct,
    is_constant,
    says_yes,
    shared_test,
)
from compiler.backends.python.python_method import MethodWriter, result_annotation
from compiler.backends.python.python_tables import definition_doc
from compiler.backends.python.python_text import AND, OR, Code, Writer, call, negation, paren, string, tuple_of
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import shape


class DefinitionMethod(MethodWriter):
    """Writes the method deciding one definition."""

    def shape(self) -> str:
        """Which shape the method is written in: "any" (`cond1 or cond2`), "single" (one rule that always applies)
        or "general"."""
        d = self.d
        # `cond1 or cond2` stops at the first rule that applies; the interpreter looks at every rule (stops.py).
        stops_after_first = self.stops.may_stop_after_first(d.rules)
        if d.rules and all(says_yes(r) for r in d.rules) and self._yes_or_no() and not stops_after_first:
            return "any"
        return "single" if len(d.rules) == 1 and d.rules[0].condition is None else "general"

    def write(self, w: Writer) -> None:
        """The method; for a definition of the general shape, a second one, `_<name>_traced`, that the first hands
        a case to when it is traced: each half is the size of the old method's plain or traced branches, and
        neither asks `trace is None` at each rule."""
        d = self.d
        traced: DefinitionMethod | None = None
        shape = self.shape()
        if shape == "any":
            self._write_any()
        elif shape == "single":
            self._write_single(d.rules[0])
        else:
            self.split = False
            self._write_general()
            traced = DefinitionMethod(self.checked, self.scope.literals, self.scope.atoms, d, self.stops)
            traced.split, traced.calls = True, self.calls
            traced._write_general()
        owner = "" if d.owner is None else f", {self.subject}: {naming.ident(d.owner, 'the record')}"
        with w.block(f"def {self.name}(self{owner}) -> {result_annotation(d)}:"):
            w.docstring(definition_doc(self.checked, d, self.parts))
            if self.cached:
                w.line(f"value = self._{self.name}")
                with w.block("if value is not _UNSET:"):
                    w.line("return value")
            w.line("trace = self.trace")
            if traced is not None:
                subject = "" if d.owner is None else f", {self.subject}"
                with w.block("if trace is not None:"):
                    w.line(f"return self._{self.name}_traced(trace{subject})")
            self.write_locals(w)
        if traced is not None:
            w.line()
            with w.block(f"def _{self.name}_traced(self, trace: Trace{owner}) -> {result_annotation(d)}:"):
                w.docstring([f"{self.name}, reporting to `trace` what it looks at."])
                traced.bind_trace_entries()
                traced.write_locals(w)

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
            start = len(b.lines)
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
            self.bind_trace_entries(start, least=3)
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
            start = len(b.lines)
            self._write_single_begins(r)
            b.statement("value = ", value)
            b.line(f'trace.log(("leave", value, ({string(r.ident)},)))')
            self.bind_trace_entries(start, least=3)
        self._store_and_return("value")

    def _write_single_begins(self, r: ir.RuleDef) -> None:
        self.body.line(self._enter())
        self.body.line(f"trace.begin_rule({string(r.ident)})")
        self.body.line("trace.end_rule(True)")

    def _write_general(self) -> None:
        b, d = self.body, self.d
        if self.split:
            b.line(self._enter())
        if not d.rules:
            self._fallback("found")
            self._leave_and_return()
            return
        self._decide_first()
        guard = shared_test(d.rules, self.stops.leading)
        if guard is not None or not self.calls:  # else the first part's method gives it its first value
            b.line(f"found: {result_annotation(d, unset=True)} = _UNSET")
        checks = self.rule_order.rivals()
        if any(checks.values()) and not self.calls:
            b.line('by = ""')
        write_rules = self._write_calls if self.calls else self.write_rules
        if guard is None:
            write_rules(checks)
        else:
            b.line()
            b.comment("Every rule asks this first; when it fails, none applies.")
            with b.block(f"if {self.plain.condition(guard[0]).text}:"):
                self.scope.known = {shape(guard[0])}
                write_rules(checks)
                self.scope.known = set()
            if self.split:
                with b.block("else:"):
                    self._write_guard_failed(guard)
        b.line()
        with b.block("if found is _UNSET:"):
            decided = self._fallback("found")
            if self.split and self.calls and decided:  # a part that decided it logged its rules (python_parts.py)
                b.line('trace.log(("leave", found, ()))')
        self._leave_and_return()

    def _write_calls(self, checks: dict[str, bool]) -> None:
        """The methods of the parts, prevailing first, until one decides: each is asked only when no rule of the
        parts before it applied, as each of its rules is left out by theirs (RuleOrder.parts)."""
        b, subject = self.body, "" if self.d.owner is None else f", {self.subject}"
        first = "found" if self.scope.known else f"found: {result_annotation(self.d, unset=True)}"
        for i, name in enumerate(self.calls):
            call = f"self.{name}_traced(trace{subject})" if self.split else f"self.{name}({subject[2:]})"
            with b.block("if found is _UNSET:") if i else nullcontext():
                b.line(f"{first if i == 0 else 'found'} = {call}")

    def _write_guard_failed(self, guard: list[ir.Expr]) -> None:
        """Traced, when the test every rule asks first fails: every rule failed on it."""
        b = self.body
        for name in self.rules if not self.calls else ():
            b.line(f"{name} = False")
        rules = tuple_of([Code(string(name)) for name in self.rules])
        atoms = tuple_of([Code(str(test.span.start)) for test in guard])
        for test in guard:
            self.scope.atoms.setdefault(test.span.start, self.checked.words(test.span))
        b.statement("trace.rules_failed", call("", rules, atoms, *self.plain.operands(guard[0])))

    def write_rules(self, checks: dict[str, bool]) -> None:
        b = self.body
        self.declared = False
        for name, r in self.rules.items():
            b.line()
            b.comment(f"{name} ({r.citation.label})")
            if name in self.passed:  # nothing after it is looked at when it applies: its value is returned
                if self._returns(name, r, checks):
                    return  # it always applies: nothing after it is reached
                continue
            self._applies(name, r)
            with b.block(f"if {name}:"):
                value = self._checked_value(name, r, checks)
                b.statement("found = ", value)
                if any(checks.values()):
                    b.line(f"by = {string(name)}")

    def _returns(self, name: str, r: ir.RuleDef, checks: dict[str, bool]) -> bool:
        """`if <rule applies>: return <its value>`; True when it applies whenever it is reached."""
        b = self.body
        if self.rule_order.skip(name, self.passed).parts:
            self._applies(name, r)
            with b.block(f"if {name}:"):
                b.statement("return ", self._checked_value(name, r, checks))
            return False
        if r.condition is None:
            b.statement("return ", self._checked_value(name, r, checks))
            return True
        test = self.plain_form.rule(b, name, self.skips[name], self.rule_defs, self.order[name], test=True)
        if test is None:  # a loop: it set `name`
            test = Code(name)
        with b.block_on("if ", test):
            b.statement("return ", self._checked_value(name, r, checks))
        return False

    def _checked_value(self, name: str, r: ir.RuleDef, checks: dict[str, bool]) -> Code:
        """The value of rule `name`, after the check that no rule that applied before gave another."""
        b, d = self.body, self.d
        value = self._bound_value(r.value)
        if checks[name]:
            if not is_constant(r.value):
                b.statement("candidate = " if self.declared else f"candidate: {result_annotation(d)} = ", value)
                value, self.declared = Code("candidate"), True
            differs = f"differ(found, {value.text})" if d.type.kind is Kind.DURATION else f"found != {value.text}"
            with b.block(f"if found is not _UNSET and {differs}:"):
                rule = f"RULES[{string(name)}]"
                b.statement("raise ", call("ConflictError", string(d.label), "RULES[by]", "found", rule, value))
        return value

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
        skip = self.rule_order.skip(name, self.passed)
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
                self.plain_form.rule(b, name, self.skips[name], self.rule_defs, self.order[name])
            else:
                b.line(f"trace.begin_rule({string(name)})")
                self.traced_form.rule(b, name, self.skips[name], self.rule_defs, self.order[name])
                b.line(f"trace.end_rule({name})")

    def _fallback(self, target: str) -> bool:
        """`target = <the default>`; False when there is none, and UndecidedError is raised."""
        b, d = self.body, self.d
        if d.default is not None:
            b.statement(f"{target} = ", self._bound_value(d.default))
        elif d.optional:
            b.line(f"{target} = None")
        elif d.kind == "predicate":
            b.line(f"{target} = False")
        else:
            b.line(f"raise UndecidedError({string(d.label)}, {string('no rule applies and it has no default')})")
            return False
        return True

    def _leave_and_return(self) -> None:
        b = self.body
        if self.split and not self.calls:
            if self.rules:
                idents = tuple_of([Code(string(name)) for name in self.rules])
                flags = tuple_of([Code(name) for name in self.rules])
                b.statement("trace.log", call("", tuple_of([Code('"decided"'), Code("found"), idents, flags])))
            else:
                b.line('trace.log(("leave", found, ()))')
        self._store_and_return("found")
