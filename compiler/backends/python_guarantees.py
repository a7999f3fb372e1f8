"""The statute's guarantees in the generated module, so engineers can check them too: a method per guarantee on
Evaluation (named by its ident: `guarantee_1`, or `article_5_rule_4_excludes` for one derived from an exception),
the GUARANTEES table, and `broken_guarantees(case)`.

A guarantee's premise and conclusion are written by the same expression writer as the rules' conditions
(python_expr.py), in its plain form: `if <premise>: return <conclusion>`, then `return True`. So a method reads
the case, and the definitions it names, exactly as deciding does, and asks for the conclusion only when the
premise holds.
"""

from __future__ import annotations

from compiler import ir
from compiler.backends.python_expr import Expressions, MethodScope
from compiler.backends.python_text import (
    LOCAL_NAMES,
    MODULE_NAMES,
    PYTHON_NAMES,
    Code,
    Literals,
    Writer,
    checked_ident,
    long_string,
    snake,
    string,
    tuple_of,
    unquoted,
)


def check_guarantee_names(checked: ir.Checked) -> None:
    """Each guarantee's method name: an identifier, not a definition's, the Evaluation's own, or another's."""
    taken = {d.ident for d in checked.definitions} | {"case", "trace"}
    seen: set[str] = set()
    for g in checked.guarantees:
        name = checked_ident(g.ident, "the guarantee")
        if name.startswith("_") or name in taken or name in seen or name in PYTHON_NAMES:
            raise ValueError(f"the guarantee {name!r} clashes with a name the Evaluation already uses")
        seen.add(name)


def write_guarantee_methods(w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str]) -> None:
    """The guarantee methods, inside the Evaluation class `w` is writing."""
    for g in checked.guarantees:
        w.line()
        _write_method(w, checked, literals, atoms, g)


def _write_method(
    w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str], g: ir.GuaranteeDef
) -> None:
    root = snake(checked.record(checked.root).label)
    if root is None or root in LOCAL_NAMES | MODULE_NAMES | PYTHON_NAMES:
        root = "self.case"
    scope = MethodScope(checked, literals, atoms, f'guarantee "{unquoted(g.title)}"', root)
    plain = Expressions(scope, traced=False)
    premise = plain.condition(g.premise) if g.premise is not None else None
    conclusion = plain.condition(g.conclusion)
    with w.block(f"def {checked_ident(g.ident, 'the guarantee')}(self) -> bool:"):
        w.docstring(_docstring(checked, g))
        if scope.uses_root and scope.root != "self.case":
            w.line(f"{scope.root} = self.case")
        if premise is None:
            w.statement("return ", conclusion)
            return
        with w.block_on("if ", premise):
            w.statement("return ", conclusion)
        w.line("return True")


def _docstring(checked: ir.Checked, g: ir.GuaranteeDef) -> list[str]:
    lines = [f"Guarantee: {unquoted(g.title)} ({', '.join(g.articles)}; line {g.span.line}).", ""]
    if g.derived_from is not None:
        rule = checked.rule(g.derived_from)
        lines += [
            f"Derived from the exception {rule.ident} ({rule.citation.label}, line {rule.span.line}): whenever its "
            "condition holds, none of the values it overrides can result.",
            "",
        ]
    lines += [
        f"    {checked.words(g.span)}",
        "",
        "True when the case keeps it: its premise does not hold, or its conclusion does. Raises ConflictError or "
        "UndecidedError when a value it needs cannot be decided for the case.",
    ]
    return lines


def write_guarantee_table(w: Writer, checked: ir.Checked) -> None:
    w.comment("Every guarantee: its title, the articles it protects, the exception it is derived from, its line.")
    with w.block("GUARANTEES: Final[dict[str, GuaranteeInfo]] = {"):
        for g in checked.guarantees:
            with w.block(f"{string(g.ident)}: GuaranteeInfo("):
                w.line(f"ident={string(g.ident)},")
                w.statement("title=", long_string(unquoted(g.title)), ",")
                w.statement("articles=", tuple_of([Code(string(a)) for a in g.articles]), ",")
                w.line(f"derived_from={'None' if g.derived_from is None else string(g.derived_from)},")
                w.line(f"line={int(g.span.line)},")
            w.line("),")
    w.line("}")
    w.line()


def write_broken_guarantees(w: Writer, checked: ir.Checked) -> None:
    root = checked_ident(checked.root, "the root record")
    w.line()
    w.line()
    with w.block(f"def broken_guarantees(case: {root}) -> tuple[str, ...]:"):
        w.docstring(
            [
                "The guarantees `case` breaks (their idents in GUARANTEES): the premise holds, the conclusion not.",
                "",
                "A guarantee that needs a value the statute cannot decide for the case (a conflict, a gap, a missing "
                "fact) is not broken by it: `decide` reports that.",
            ]
        )
        if not checked.guarantees:
            w.line("return ()")
            return
        w.line("evaluation = Evaluation(case)")
        w.line("broken: list[str] = []")
        w.line("for ident, holds in (")
        w.depth += 1
        for g in checked.guarantees:
            name = checked_ident(g.ident, "the guarantee")
            w.line(f"({string(name)}, evaluation.{name}),")
        w.depth -= 1
        with w.block("):"):
            with w.block("try:"), w.block("if not holds():"):
                w.line("broken.append(ident)")
            with w.block("except DecisionError:"):
                w.line("continue")
        w.line("return tuple(broken)")
