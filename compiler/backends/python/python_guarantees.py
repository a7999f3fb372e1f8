"""The statute's guarantees in the generated module, so engineers can check them too: a method per guarantee on
Evaluation (named by its ident: `guarantee_1`, or `article_5_rule_4_excludes` for one derived from an exception),
the GUARANTEES table, and `broken_guarantees(case)`.

A guarantee's premise and conclusion are written by the same expression writer as the rules' conditions
(python_expr.py), in its plain form: `if <premise>: return <conclusion>`, then `return True`. So a method reads
the case, and the definitions it names, exactly as deciding does, and asks for the conclusion only when the
premise holds.

A guarantee derived from an exception that prevails over rules of more than MAX_LISTED values asks
`_values_set_aside(rule)` instead of listing them: in a chain of exceptions each prevails over all those below it,
and listing them for every exception made a module quadratic in the chain (27 MB for 800 articles).
"""

from __future__ import annotations

from compiler.backends.python import naming
from compiler.backends.python.analysis import needs_no_case
from compiler.backends.python.naming import PYTHON_NAMES, checked_ident
from compiler.backends.python.python_expr import Expressions
from compiler.backends.python.python_literals import Literals
from compiler.backends.python.python_scope import MethodScope, root_local
from compiler.backends.python.python_text import AND, CMP, Code, Writer, long_string, snake, string, tuple_of, unquoted
from compiler.model import ir

MAX_LISTED = 16  # values a derived guarantee's method lists; past this many it asks _values_set_aside


def _listed(g: ir.GuaranteeDef) -> ir.OneOf | None:
    """The conclusion of a guarantee derived from an exception, "is never one of ...", when it is too long to list."""
    c = g.conclusion
    if g.derived_from is not None and isinstance(c, ir.OneOf) and c.negated and len(c.values) > MAX_LISTED:
        return c
    return None


def _long_premise(checked: ir.Checked, g: ir.GuaranteeDef) -> ir.Expr | None:
    """The condition of the exception a guarantee is derived from, when the premise also names more than MAX_LISTED
    rules that lawfully prevail over it (compiler/check/guarantees.py): the method then asks
    `_prevailing_applies(rule)`, which follows _PREVAILED_BY, instead of writing out their conditions, quadratic in a
    chain of exceptions."""
    if g.derived_from is None or not isinstance(g.premise, ir.And) or len(g.premise.items) != 2:
        return None
    condition, unless = g.premise.items
    if condition is not checked.rule(g.derived_from).condition or not isinstance(unless, ir.NotE):
        return None
    if isinstance(unless.operand, ir.Or) and len(unless.operand.items) > MAX_LISTED:
        return condition
    return None


def check_guarantee_names(checked: ir.Checked) -> None:
    """Each guarantee's method name: an identifier, not a definition's, the Evaluation's own, or another's."""
    taken = {naming.name(d.ident) for d in checked.definitions} | {"case", "trace"}
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
    root = root_local(checked)
    scope = MethodScope(checked, literals, atoms, f'guarantee "{unquoted(g.title)}"', root)
    plain = Expressions(scope, traced=False)
    premise = plain.condition(g.premise) if g.premise is not None else None
    condition = _long_premise(checked, g)
    if condition is not None and g.derived_from is not None:
        rule = string(checked_ident(g.derived_from, "the rule"))
        premise = Code(f"({plain.condition(condition).text}) and not _prevailing_applies(self, {rule})", AND)
    long = _listed(g)
    if long is not None and g.derived_from is not None:
        operand = plain.value(long.operand)
        rule = string(checked_ident(g.derived_from, "the rule"))
        conclusion = Code(f"{operand.text} not in _values_set_aside({rule})", CMP)
    else:
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


def write_set_aside_values(w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str]) -> None:
    """For the derived guarantees too long to list their values (see MAX_LISTED): each rule, the rules it prevails over
    directly; each rule's value, where it is a constant; and `_values_set_aside`, which follows them. Linear in the
    rules, where the lists were quadratic in a chain of exceptions."""
    long = {g.derived_from: c for g in checked.guarantees if (c := _listed(g)) is not None and g.derived_from}
    premises = {g.derived_from for g in checked.guarantees if _long_premise(checked, g) is not None and g.derived_from}
    if not long and not premises:
        return
    listed = {id(v) for c in long.values() for v in c.values}
    owners = {checked.rule(ident).definition for ident in (*long, *premises)}
    rules = [r for d in checked.definitions if d.ident in owners for r in d.rules]
    over: dict[str, list[str]] = {}
    for r in rules:
        for o in r.prevailing:
            over.setdefault(o, []).append(r.ident)
    root = snake(checked.record(checked.root).label) or "case"
    plain = Expressions(MethodScope(checked, literals, atoms, "the values set aside", root), traced=False)
    w.line()
    w.line()
    w.comment("The derived guarantees of long chains of exceptions: the rules each rule prevails over directly, and")
    w.comment("the rules' values (constants only), followed by _values_set_aside.")
    with w.block("_PREVAILS_OVER: Final[dict[str, tuple[str, ...]]] = {"):
        for ident, below in over.items():
            w.statement(
                f"{string(checked_ident(ident, 'the rule'))}: ", tuple_of([Code(string(b)) for b in below]), ","
            )
    w.line("}")
    with w.block("_RULE_VALUES: Final[dict[str, object]] = {"):
        for r in rules:
            if id(r.value) in listed or r.ident in long or r.ident in premises or (premises and needs_no_case(r.value)):
                w.statement(f"{string(checked_ident(r.ident, 'the rule'))}: ", plain.value(r.value), ",")
    w.line("}")
    if premises:
        _write_prevailing_applies(w, checked, literals, atoms, rules)
    w.line()
    w.line()
    with w.block("def _values_set_aside(rule: str) -> list[object]:"):
        w.docstring(
            [
                "The values of the rules `rule` prevails over, directly or through other exceptions, but its own: "
                "what the guarantee derived from it says can never result while its condition holds.",
            ]
        )
        w.line("own = _RULE_VALUES[rule]")
        w.line("below = _reached(rule, _PREVAILS_OVER)")
        w.line("return [_RULE_VALUES[r] for r in below if r in _RULE_VALUES and _RULE_VALUES[r] != own]")
    _write_reached(w)


def _write_reached(w: Writer) -> None:
    """The one walk both helpers make: the rules reached from `rule` through `edges`, each once, nearest first."""
    w.line()
    w.line()
    with w.block("def _reached(rule: str, edges: dict[str, tuple[str, ...]]) -> list[str]:"):
        w.docstring(["The rules reached from `rule` through `edges` (directly or through others), each once."])
        w.line("reached: list[str] = []")
        w.line("seen: set[str] = set()")
        w.line("waiting = list(edges.get(rule, ()))")
        with w.block("while waiting:"):
            w.line("other = waiting.pop()")
            with w.block("if other not in seen:"):
                w.line("seen.add(other)")
                w.line("reached.append(other)")
                w.line("waiting.extend(edges.get(other, ()))")
        w.line("return reached")


def write_broken_guarantees(w: Writer, checked: ir.Checked) -> None:
    root = naming.ident(checked.root, "the root record")
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


def _write_prevailing_applies(
    w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str], rules: list[ir.RuleDef]
) -> None:
    """For the derived guarantees of rules that many rules prevail over (see _long_premise): each rule, the rules that
    prevail over it directly and its condition, written once; `_prevailing_applies` follows them."""
    below: dict[str, list[str]] = {}
    for r in rules:
        below[r.ident] = list(r.prevailing)
    above = {o for r in rules for o in r.prevailing}
    plain = Expressions(MethodScope(checked, literals, atoms, "the rules that prevail", "self.case"), traced=False)
    w.line()
    with w.block("_PREVAILED_BY: Final[dict[str, tuple[str, ...]]] = {"):
        for ident, prevailing in below.items():
            if prevailing:
                codes = [Code(string(checked_ident(o, "the rule"))) for o in prevailing]
                w.statement(f"{string(checked_ident(ident, 'the rule'))}: ", tuple_of(codes), ",")
    w.line("}")
    with w.block("_CONDITIONS: Final[dict[str, Callable[[Evaluation], bool]]] = {"):
        for r in rules:
            if r.ident in above:
                test = plain.condition(r.condition) if r.condition is not None else Code("True")
                w.statement(f"{string(checked_ident(r.ident, 'the rule'))}: lambda self: ", test, ",")
    w.line("}")
    w.line()
    w.line()
    with w.block("def _prevailing_applies(evaluation: Evaluation, rule: str) -> bool:"):
        w.docstring(
            [
                "Whether a rule that lawfully prevails over `rule` (directly or through other exceptions) applies "
                "with one of the values `rule` sets aside, or a value not known in advance: the guarantee derived "
                "from `rule` then says nothing.",
            ]
        )
        w.line("values = _values_set_aside(rule)")
        with (
            w.block("for above in _reached(rule, _PREVAILED_BY):"),
            w.block(
                "if (above not in _RULE_VALUES or _RULE_VALUES[above] in values) and _CONDITIONS[above](evaluation):"
            ),
        ):
            w.line("return True")
        w.line("return False")
