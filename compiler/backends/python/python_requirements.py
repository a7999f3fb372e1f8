"""The statute's requirements in the generated module: a method per requirement on Evaluation (`_requirement_1`),
`broken_requirements(case)`, and `load_case`, which rejects a case that breaks one (`read_case` reads it without).

A method is written by the same expression writer as the rules' conditions (python_expr.py), in its plain form, and
returns the Problem the case gives, or None: when the premise does not hold, or the condition does, or a fact it
needs is not given (UndecidedError). "every charge where ..." is checked charge by charge, and the first charge that
breaks it is named. The message is that of the reference interpreter (compiler/interpret/requirements.py).
"""

from __future__ import annotations

from compiler.backends.python.naming import checked_ident
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_literals import Literals
from compiler.backends.python.python_scope import MethodScope, root_local
from compiler.backends.python.python_text import (
    ADD,
    CMP,
    Code,
    Writer,
    call,
    joined,
    long_string,
    negation,
    paren,
    string,
    unquoted,
)
from compiler.check.requirements import reason
from compiler.model import ir


def method_name(r: ir.RequirementDef) -> str:
    return "_" + checked_ident(r.ident, "the requirement")


def write_requirement_methods(w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str]) -> None:
    """The requirement methods, inside the Evaluation class `w` is writing."""
    for r in checked.requirements:
        w.line()
        _write_method(w, checked, literals, atoms, r)


def _write_method(
    w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str], r: ir.RequirementDef
) -> None:
    root = root_local(checked)
    scope = MethodScope(checked, literals, atoms, f'requirement "{unquoted(r.title)}"', root)
    plain = Expressions(scope, traced=False)
    premise = plain.condition(r.premise) if r.premise is not None else None
    condition = plain.condition(r.condition)
    elements = plain.value(r.each.source) if r.each is not None else None
    var = scope.var(r.each.var) if r.each is not None else None
    problem = _problem(plain, r, "f" + string(f"{r.path}[{{_index}}]") if r.each is not None else string(r.path))
    with w.block(f"def {method_name(r)}(self) -> Problem | None:"):
        w.docstring(
            [
                f"Requirement: {unquoted(r.title)} ({r.article}; line {r.span.line}).",
                "",
                f"    {checked.words(r.span)}",
                "",
                "The problem of a case that breaks it; None when the case keeps it, or a fact it needs is not given.",
            ]
        )
        if scope.uses_root and scope.root != "self.case":
            w.line(f"{scope.root} = self.case")
        if premise is not None:
            with w.block("try:"), w.block_on("if ", negation(premise)):
                w.line("return None")
            with w.block("except UndecidedError:"):
                w.line("return None  # a fact it needs is not given")
        if elements is None:
            with w.block("try:"):
                with w.block_on("if ", condition):
                    w.line("return None")
                w.statement("return ", problem)
            with w.block("except UndecidedError:"):
                w.line("return None  # a fact it needs is not given")
            return
        if r.each is not None and _may_be_missing(r.each.source):
            with w.block("try:"):
                w.statement("_elements = ", elements)
            with w.block("except UndecidedError:"):
                w.line("return None  # the list is not given")
            elements = Code("_elements")
        with w.block_on(f"for _index, {var} in ", call("enumerate", elements)):
            with w.block("try:"), w.block_on("if ", negation(condition)):
                w.statement("return ", problem)
            with w.block("except UndecidedError:"):
                w.line("continue  # this element keeps it: a fact it needs is not given")
        w.line("return None")


def _may_be_missing(e: ir.Expr) -> bool:
    """Whether the list a requirement looks at may be missing: an optional field, or one of an optional record."""
    return isinstance(e, ir.FieldRef) and (e.optional or _may_be_missing(e.subject))


def _problem(plain: Expressions, r: ir.RequirementDef, path: str) -> Code:
    """`Problem(path, "", "breaks the requirement ...: " + the facts involved)`."""
    parts: list[Code] = [long_string(reason(r, ""))]
    if r.joint is not None:
        for i, part in enumerate(r.shown):
            words = (f" {r.joint} " if i == 1 else "") + part.words
            if part.value is None:
                parts.append(long_string(words))
            else:
                parts += [long_string(words + " "), call("_shown", plain.value(part.value))]
    else:
        for i, part in enumerate(r.shown):
            assert part.value is not None
            value = paren(plain.maybe(part.value), CMP + 1).text
            parts.append(long_string(("; " if i else "") + part.words + " "))
            parts.append(Code(f'("is not given" if {value} is None else "is " + _shown({value}))'))
    return call("Problem", Code(path), Code('""'), joined(tuple(parts), "+", ADD))


def write_load_case(w: Writer, checked: ir.Checked, root: str) -> None:
    """`broken_requirements(case)` and `load_case`: `read_case`, then the requirements (python.py has written
    `read_case` in load_case's place)."""
    w.line()
    w.line()
    with w.block(f"def broken_requirements(case: {root}) -> list[Problem]:"):
        w.docstring(
            [
                "The problems of the requirements `case` breaks: facts the statute says cannot go together "
                "(docs/language.md section 4).",
            ]
        )
        w.line("evaluation = Evaluation(case)")
        checks = ", ".join(f"evaluation.{method_name(r)}()" for r in checked.requirements)
        w.line(f"return [problem for problem in ({checks},) if problem is not None]")
    w.line()
    w.line()
    with w.block(f"def load_case(data: Mapping[str, object]) -> {root}:"):
        w.docstring(
            [
                "The case `data` gives, as a JSON case file carries it; every field is checked, then every "
                "requirement.",
                "",
                "Raises CaseError listing every problem found: a case that breaks a requirement is not decided.",
            ]
        )
        w.line("case = read_case(data)")
        w.line("problems = broken_requirements(case)")
        with w.block("if problems:"):
            w.line("raise CaseError(problems)")
        w.line("return case")
