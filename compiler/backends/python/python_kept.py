"""Definitions kept in locals within one method's rules, so that a case's definition is decided once.

A case's definition that a rule decides first of all (`self.gravest_gravity() <= ...`) is decided into a local
there when later rules use it too; a later rule that is looked at only when that rule was (every rule that would
leave the first one out leaves it out too) reads the local instead of calling the method again; so does a later
rule that reads it after the same tests as the rule that evaluated it (`_bind_after`), and, traced, the first test's.

Statements (python_statements.py) writes the rules and asks this class, its base, which locals a rule may read and
which it should make.
"""

from __future__ import annotations

from compiler.backends.python.analysis import conjuncts, fact_key, leftmost, read_after_same_tests
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_scope import MethodScope
from compiler.backends.python.python_text import Writer
from compiler.model import ir
from compiler.model.walk import shape


class KeptDefinitions:
    """The locals a method's rules keep definitions in: `kept` (rule -> its skips and the locals it made) and
    `prefixed` (rule -> its skips, its tests before the definition, the definition's key and the local)."""

    ex: Expressions
    scope: MethodScope
    traced: bool
    last_use: dict[tuple[str, ...] | None, int] | None
    kept: dict[str, tuple[frozenset[str], dict[tuple[str, ...], str]]]
    prefixed: dict[str, tuple[frozenset[str], list[object], tuple[str, ...], str]]

    def _available(self, items: list[ir.Expr], mine: frozenset[str]) -> dict[tuple[str, ...], str]:
        """The definitions earlier rules kept in locals that this rule (skipped when `mine` applied) may read: those
        of rules it is looked at only after, and those read after the same tests as its own (_bind_after)."""
        available: dict[tuple[str, ...], str] = {}
        for theirs, locals_ in self.kept.values():
            if theirs <= mine:  # this rule is looked at only when that one was
                available.update(locals_)
        for theirs, prefix, their_key, local in self.prefixed.values():  # read after the same tests (_bind_after)
            after = leftmost(items[len(prefix)]) if len(items) > len(prefix) else None
            same_tests = [shape(i) for i in items[: len(prefix)]] == prefix
            if theirs <= mine and after is not None and fact_key(after) == their_key and same_tests:
                available[their_key] = local
        return available

    def _keep_first(
        self,
        b: Writer,
        name: str,
        first: ir.DefRef,
        available: dict[tuple[str, ...], str],
        mine: frozenset[str],
        position: int,
    ) -> None:
        """The case's definition the rule evaluates first, read into a local before it when a later rule uses it
        too (and no earlier one kept it): into `available` for this rule, into `kept` for the later ones."""
        key = fact_key(first)
        fresh = key is not None and key not in available and key not in self.scope.decided
        if key is not None and fresh and self.last_use is not None and self.last_use.get(key, -1) > position:
            local = self.scope.local(key, first.definition)  # a later rule uses it too
            b.statement(f"{local} = ", self.ex.maybe(first))
            available[key] = local
            self.kept[name] = (mine, {key: local})

    def _bind_after(
        self, items: list[ir.Expr], rules: tuple[ir.RuleDef, ...], position: int
    ) -> tuple[list[object], tuple[str, ...], ir.DefRef] | None:
        """A case's definition this rule evaluates after some tests, that a later rule evaluates after the same tests
        (analysis.read_after_same_tests), kept in a local where this rule evaluates it: `person_is_covered and
        (gravest_gravity := self.gravest_gravity()) <= ...`, then `person_is_covered and gravest_gravity >= ...`
        (traced, its test's walrus keeps it). (its tests before it, its key, the definition)"""
        later = [conjuncts(r.condition) for r in rules[position + 1 :] if r.condition is not None]
        known = self.scope.known
        found = read_after_same_tests(items, [[i for i in x if shape(i) not in known] for x in later])
        key = fact_key(found[1]) if found is not None else None
        if found is None or key is None or key in self.scope.decided:
            return None
        if not self.traced:
            self.scope.binding = {key: self.scope.local(key, found[1].definition)}
        return [shape(i) for i in items[: found[0]]], key, found[1]

    def _keep_walrus(self, b: Writer, name: str, ref: ir.DefRef, mine: frozenset[str], start: int, at: int) -> None:
        """Traced: a case's definition that rule `name` evaluates first, after the known tests it only logs, kept in
        the local its test named it in (`(gravest_gravity := self.gravest_gravity()) <= ...`), for the later rules
        looked at only when this one was. A case's definition is decided once: reading it again logs nothing, so
        the trace is the same."""
        key = fact_key(ref)
        if key is None or key[2:3] != ("case",) or key in self.scope.decided:
            return
        assert self.last_use is not None
        local = self.scope.temporary_names.get(shape(ref))
        made = next((line.strip() for line in b.lines[start:] if not line.strip().startswith("trace.log(")), "")
        if local is not None and self.last_use.get(key, -1) > at and made.startswith(f"{name} = ({local} := "):
            self.kept[name] = (mine, {key: local})
