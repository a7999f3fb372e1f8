"""A definition whose rules come from several articles, decided by a method per article.

`amnesty_measure` then reads as the law gives precedence: Article 5's rules, then Article 2's, Article 4's and
Article 3's, each asked only when no earlier one decided; `_amnesty_measure_by_article_5` holds that article's
rules, with the article cited in its docstring, and returns the value of the rule that applies (`_UNSET` when
none does). A part is a run of one article's rules in the order of precedence (RuleOrder.parts); where an
article's rules would be looked at even when an earlier article's rule applied, it joins the part before it, so
that the parts ask exactly the rules the one method would, in the same order, with the same conflict checks and
the same trace events: the traced parts log the rules that decided (`decided`), and the definition's own method
only the default's `leave`.

Not split: a definition of fewer than MIN_RULES rules, or of one article, or of one rule an article (it reads as
well in one method, and a call per article costs time), or where an article's part would hold
another article's rules too (it would not read as "this article, else the next"), or whose rules share a record's
definition (it is not kept from one call to the next, so the trace would show it again).
"""

from __future__ import annotations

from compiler.backends.python import naming
from compiler.backends.python.analysis import definitions_used, fact_key, shared_test
from compiler.backends.python.python_literals import Literals
from compiler.backends.python.python_method import result_annotation
from compiler.backends.python.python_rules import DefinitionMethod
from compiler.backends.python.python_tables import part_doc
from compiler.backends.python.python_text import Code, Writer, call, snake, string, tuple_of
from compiler.backends.python.stops import Stops
from compiler.model import ir
from compiler.model.walk import shape

# Fewer rules than this read best in one method.
MIN_RULES = 4


def write_definition(
    w: Writer,
    checked: ir.Checked,
    literals: Literals,
    atoms: dict[int, str],
    d: ir.Definition,
    stops: Stops,
    taken: set[str],
) -> None:
    """The method deciding `d` (python_rules.py) and, when its rules are split by article, a method per part, plain
    and traced. `taken`: the Evaluation's attribute names, which the parts' names must not clash with."""
    method = DefinitionMethod(checked, literals, atoms, d, stops)
    parts = _parts(method)
    if parts is None:
        method.write(w)
        return
    method.calls = [_name(method.name, [method.rules[n] for n in part], taken) for part in parts]
    method.parts = [[method.rules[n] for n in part] for part in parts]
    method.write(w)
    guard = shared_test(d.rules, stops.leading)
    known = set() if guard is None else {shape(guard[0])}
    for name, part in zip(method.calls, parts, strict=True):
        for traced in (False, True):
            w.line()
            writer = DefinitionMethod(checked, literals, atoms, d, stops, only=part)
            _write_part(w, writer, name, traced, known)


def _parts(method: DefinitionMethod) -> list[list[str]] | None:
    """The definition's rules by part, or None when one method reads better or a split could change the trace."""
    if method.shape() != "general" or len(method.rules) < MIN_RULES:
        return None
    parts = method.rule_order.parts()
    if len(parts) < 2 or all(len(part) == 1 for part in parts):
        return None  # one rule an article reads as well in one method, without a call per article
    if any(len({method.rules[n].citation.label for n in part}) > 1 for part in parts):
        return None  # an article whose rules are looked at even when an earlier one's applied: one method reads best
    uses: dict[tuple[str, ...], int] = {}
    for r in method.rules.values():
        for ref in dict.fromkeys(fact_key(ref) for ref in definitions_used(r.condition)):
            if ref is not None and ref[2:3] != ("case",):  # a record's definition: decided again at each call
                uses[ref] = uses.get(ref, 0) + 1
    return None if any(n > 1 for n in uses.values()) else parts


def _name(definition: str, rules: list[ir.RuleDef], taken: set[str]) -> str:
    """`_<definition>_by_article_5`: the articles of the part's rules, clear of the Evaluation's other names."""
    articles = [snake(label) or "article" for label in dict.fromkeys(r.citation.label for r in rules)]
    name = f"_{definition}_by_{'_and_'.join(articles)}"
    while name in taken or f"{name}_traced" in taken:
        name += "_"
    taken.update({name, f"{name}_traced"})
    return name


def _write_part(w: Writer, part: DefinitionMethod, name: str, traced: bool, known: set[object]) -> None:
    """The method of one part: its rules, as the definition's method would write them, returning the value they
    give (`_UNSET` when none applies). Plain, a rule nothing after it is looked at returns its value at once;
    traced, every rule keeps its flag, and the rules that applied are logged as the definition's Leave."""
    d, b = part.d, part.body
    part.split = traced
    part.scope.known = known
    checks = part.rule_order.rivals()
    part.passed = frozenset() if traced else part.rule_order.final()
    found = traced or any(checks.values()) or any(n not in part.passed for n in part.rules)
    if found:
        b.line(f"found: {result_annotation(d, unset=True)} = _UNSET")
    if any(checks.values()):
        b.line('by = ""')
    part.write_rules(checks)
    b.line()
    if traced:
        idents = tuple_of([Code(string(rule)) for rule in part.rules])
        flags = tuple_of([Code(rule) for rule in part.rules])
        with b.block("if found is not _UNSET:"):
            b.statement("trace.log", call("", tuple_of([Code('"decided"'), Code("found"), idents, flags])))
    b.line("return found" if found else "return _UNSET")
    owner = "" if d.owner is None else f", {part.subject}: {naming.ident(d.owner, 'the record')}"
    header = f"def {name}_traced(self, trace: Trace{owner})" if traced else f"def {name}(self{owner})"
    with w.block(f"{header} -> {result_annotation(d, unset=True)}:"):
        if traced:
            w.docstring([f"{name}, reporting to `trace` what it looks at."])
            part.bind_trace_entries()
        else:
            w.docstring(part_doc(part.checked, d, list(part.rules.values())))
        part.write_locals(w)
