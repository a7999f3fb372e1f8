"""The statute's requirements, checked by the interpreter on its own values (docs/language.md section 4).

A requirement is broken when its premise holds and its condition does not: for the case, or, for "every charge
where ...", for one charge, each looked at on its own (the first that breaks it is named, counting from 0 as every
message about a case does). Where working either out needs a fact the case does not give, it holds. The message
reads as the generated module's (python_requirements.py), so that both reject a case with the same words.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.interpret.errors import Undecided, shown
from compiler.interpret.evaluate import Evaluator, Scope
from compiler.interpret.values import Record
from compiler.model import ir


@dataclass(frozen=True)
class Problem:
    """One requirement a case breaks: where ("person.charges[1]"), and why; as the module's Problem prints."""

    path: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}.{self.field}: {self.reason}" if self.field else f"{self.path}: {self.reason}"


class BrokenRequirements(Exception):
    """A case that breaks requirements of the statute: it is rejected, as the module's CaseError rejects it."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        lines = "".join(f"\n  {p}" for p in self.problems)
        super().__init__(f"the case has {count} problem{'' if count == 1 else 's'}:{lines}")


class _NoDefinitions:
    """A requirement reads only facts and parameters (the checker makes sure): nothing is ever decided."""

    def definition(self, ident: str, subject: Record | None) -> object:
        raise AssertionError(f"a requirement read the definition {ident}")


def broken_requirements(checked: ir.Checked, case: Record) -> list[Problem]:
    """The problems of the requirements `case` breaks, in the statute's order."""
    evaluator = Evaluator(checked, case, _NoDefinitions())
    found = (_broken(evaluator, r) for r in checked.requirements)
    return [p for p in found if p is not None]


def _broken(evaluator: Evaluator, r: ir.RequirementDef) -> Problem | None:
    scope = Scope(f"requirement {r.title}")
    try:
        if r.premise is not None and not evaluator.holds(r.premise, scope):
            return None
        if r.each is None:
            return None if evaluator.holds(r.condition, scope) else Problem(r.path, "", _reason(evaluator, r, scope))
        elements = evaluator.value(r.each.source, scope)
    except Undecided:
        return None  # a fact it needs is not given
    assert isinstance(elements, tuple)
    for index, element in enumerate(elements):
        inner = scope.binding(r.each.var, element)
        try:
            if not evaluator.holds(r.condition, inner):
                return Problem(f"{r.path}[{index}]", "", _reason(evaluator, r, inner))
        except Undecided:
            continue  # this element keeps it: a fact it needs is not given
    return None


def _reason(evaluator: Evaluator, r: ir.RequirementDef, scope: Scope) -> str:
    """The requirement and the facts involved: the two sides of a comparison, or each fact it reads."""
    if r.joint is not None:
        left, right = (_side(evaluator, part, scope) for part in r.shown)
        return _said(r, f"{left} {r.joint} {right}")
    facts = []
    for part in r.shown:
        assert part.value is not None
        try:
            value = evaluator.maybe(part.value, scope)
        except Undecided:
            value = None  # the record that holds it is not given
        facts.append(f"{part.words} is not given" if value is None else f"{part.words} is {shown(value)}")
    return _said(r, "; ".join(facts))


def _said(r: ir.RequirementDef, detail: str) -> str:
    return f'breaks the requirement "{r.title}" ({r.article}): {detail}'


def _side(evaluator: Evaluator, part: ir.Shown, scope: Scope) -> str:
    if part.value is None:
        return part.words  # a literal: its words are its value
    return f"{part.words} {shown(evaluator.value(part.value, scope))}"
