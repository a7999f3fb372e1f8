"""A formula of the statute -> a plain function of the generated module, before the Evaluation class:

    def two_bracket_tax(income: Fraction, threshold: Fraction, lower_rate: Fraction, upper_rate: Fraction) -> Fraction:
        \"\"\"Formula: the two-bracket tax of an income, given a threshold, ... (Article 1. ...)\"\"\"
        if income <= threshold:
            return round_number(income * lower_rate, 2, 'down')
        return round_number(...)

A formula reads only its inputs and the parameters (compiler/check/formulas.py), so its function needs no case and
no trace: a rule's traced form calls the same function, and an explanation shows the inputs and the result where a
rule used it. The cases are tried in the order written, as the reference interpreter tries them.
"""

from __future__ import annotations

from compiler.backends.python import naming
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_literals import Literals, annotation
from compiler.backends.python.python_scope import MethodScope
from compiler.backends.python.python_text import Writer, unquoted
from compiler.model import ir


def function_name(ident: str) -> str:
    """The module-level function of a formula: its key, checked (python.py checks it takes no other name)."""
    return naming.ident(ident, "the formula")


def write_formulas(w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str]) -> None:
    for formula in checked.formulas:
        w.line()
        w.line()
        _write_formula(w, checked, literals, atoms, formula)


def _write_formula(
    w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str], formula: ir.FormulaDef
) -> None:
    scope = MethodScope(checked, literals, atoms, formula.label, "self.case")
    code = Expressions(scope, traced=False)
    inputs = ", ".join(f"{scope.var(i.ident)}: {annotation(i.type)}" for i in formula.inputs)
    with w.block(f"def {function_name(formula.ident)}({inputs}) -> {annotation(formula.type)}:"):
        w.docstring(_doc(checked, formula))
        for case in formula.cases:
            value = code.value(case.value, formula.type)
            if case.condition is None:
                w.statement("return ", value)
                break
            with w.block_on("if ", code.condition(case.condition)):
                w.statement("return ", value)


def _doc(checked: ir.Checked, formula: ir.FormulaDef) -> list[str]:
    """What the formula is, where the statute declares it, and its cases in the drafter's words."""
    paragraphs = [
        f"Formula: the {formula.label}{inputs_phrase(formula, True)}; {formula.type.describe()}.",
        "",
        f"Declared in {formula.citation.heading}.",
    ]
    paragraphs += [f"{n.kind.capitalize()}: {unquoted(n.text)}" for n in formula.citation.notes]
    paragraphs.append("")
    for case in formula.cases:
        value = checked.words(case.value.span)
        if case.condition is None:
            paragraphs.append(f"    {'otherwise ' if len(formula.cases) > 1 else ''}{value}")
        else:
            paragraphs.append(f"    {value} if {checked.words(case.condition.span)}")
    return paragraphs


def inputs_phrase(formula: ir.FormulaDef, typed: bool = False) -> str:
    """ " of an income, given a threshold, a lower rate and an upper rate", each with its type when `typed`."""
    words = [f"{_a(i.label)}" + (f" ({i.type.describe()})" if typed else "") for i in formula.inputs]
    first = f" of {words.pop(0)}" if formula.of_input else ""
    if not words:
        return first
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]
    return f"{first}, given {listed}"


def _a(label: str) -> str:
    return f"an {label}" if label[:1].lower() in "aeiou" else f"a {label}"
