"""Requirements: what the facts of a coherent case must satisfy, where the statute says so.

"Requirement "A sentence starts on or after the act" (Article 1): every charge where the sentence start is on or
after the act date." A case that breaks a requirement is not decided: it is rejected when it is read, naming the
requirement and the facts involved (docs/language.md section 4). A requirement reads only the facts of the case and
the parameters: an outcome or a definition is what the statute decides from coherent facts, so it cannot say which
facts are coherent. The generated module (python_requirements.py) and the reference interpreter
(interpret/requirements.py) check each requirement with their own code; `statute test`, `statute synth` and
`statute prove` draw only cases that keep them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.scopes import CheckFailure, Scope
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, Span, error
from compiler.model import ir
from compiler.model.idents import snake
from compiler.model.kinds import Kind
from compiler.model.walk import walk

# How a comparison reads, by the kind of what it compares; and the comparison that holds where one fails.
_DATE_WORDS = {
    "<": "is before",
    "<=": "is on or before",
    ">": "is after",
    ">=": "is on or after",
    "==": "is",
    "!=": "is not",
}
_WORDS = {"<": "is less than", "<=": "is at most", ">": "is more than", ">=": "is at least", "==": "is", "!=": "is not"}
_DENIED = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}


def check_requirements(ctx: CheckContext) -> Passed[tuple[ir.RequirementDef, ...]]:
    """Each requirement of the statute, checked; a problem becomes a diagnostic and the requirement is left out."""
    found = Diagnostics()
    out: list[ir.RequirementDef] = []
    for n, r in enumerate(ctx.statements(s.Requirement), start=1):
        article = r.provenance.article
        try:
            premise = ctx.exprs.condition(r.premise, Scope()) if r.premise is not None else None
            condition = ctx.exprs.condition(r.condition, Scope())
        except CheckFailure as exc:
            found.add(exc.diagnostic, article)
            continue
        decided = [d for part in (premise, condition) if part is not None for d in _decided(ctx, part)]
        for d in decided:
            found.add(d, article)
        if decided:
            continue
        title = r.title or ctx.words(r.span).split(":", 1)[-1].strip()
        cited = r.articles[0].label if r.articles else (article.label if article else "the statute")
        root = snake(ctx.root_label) or "case"
        out.append(_requirement(ctx, f"requirement_{n}", " ".join(title.split()), cited, premise, condition, root, r))
    return found.passed(tuple(out))


def _requirement(
    ctx: CheckContext,
    ident: str,
    title: str,
    cited: str,
    premise: ir.Expr | None,
    condition: ir.Expr,
    root: str,
    r: s.Requirement,
) -> ir.RequirementDef:
    each: ir.Quant | None = None
    path = root
    if isinstance(condition, ir.Quant) and condition.kind in {"every", "no"}:
        where = _list_path(condition.source, root)
        if where is not None:  # checked one element at a time, so that the message names the element
            each, path = condition, where
            condition = condition.body if condition.kind == "every" else ir.NotE(condition.body, condition.span)
    words = ctx.statute.source
    shown, joint = _shown(condition, lambda span: " ".join(words[span.start : span.end].split()))
    if joint is None:  # the facts it reads, those of the premise first: why the requirement applies
        parts = [p for p in (premise, condition) if p is not None]
        shown = tuple(dict.fromkeys(f for p in parts for f in _facts(p, each, words))) or shown
    return ir.RequirementDef(ident, title, cited, premise, each, path, condition, shown, joint, r.span)


def _decided(ctx: CheckContext, e: ir.Expr) -> Iterator[Diagnostic]:
    """An error at each outcome, definition or predicate the requirement reads."""
    for node in walk(e):
        if isinstance(node, ir.DefRef):
            text = " ".join(ctx.words(node.span).split())
            yield error(
                f"a requirement reads only the facts of a case and the parameters, but '{text}' is decided by the "
                "statute's rules",
                node.span,
                "say it with the facts the rules decide it from; to check what the rules decide, write a Guarantee",
            )


def _list_path(source: ir.Expr, root: str) -> str | None:
    """ "person.charges" for the list `the charges` of the case; None for a list of a quantifier's element."""
    if isinstance(source, ir.RootRef):
        return root
    if isinstance(source, ir.FieldRef):
        subject = _list_path(source.subject, root)
        return None if subject is None else f"{subject}.{source.field}"
    return None


def _shown(condition: ir.Expr, said: Callable[[Span], str]) -> tuple[tuple[ir.Shown, ...], str | None]:
    """A failed comparison as its two sides and the comparison that holds instead: "the sentence start 2021-03-01"
    "is before" "the act date 2022-01-05" (`said`: the drafter's words at a span)."""
    cmp, denied = condition, True
    if isinstance(condition, ir.NotE) and isinstance(condition.operand, ir.Cmp):
        cmp, denied = condition.operand, False  # broken when the comparison holds
    if not isinstance(cmp, ir.Cmp):
        return (), None
    table = _DATE_WORDS if cmp.left.type.kind is Kind.DATE else _WORDS
    joint = table[_DENIED[cmp.op] if denied else cmp.op]
    sides = tuple(
        ir.Shown(said(x.span), None) if isinstance(x, ir.Lit | ir.EnumLit) else ir.Shown(_the(said(x.span)), x)
        for x in (cmp.left, cmp.right)
    )
    return sides, joint


def _facts(e: ir.Expr, each: ir.Quant | None, source: str) -> Iterator[ir.Shown]:
    """The facts `e` reads of the case (or of the element `each` is looking at), in the order written."""
    found = [n for n in walk(e) if isinstance(n, ir.FieldRef) and not n.type.traits.container]
    for f in sorted(found, key=lambda n: n.span.start):
        if _placed(f.subject, each):
            yield ir.Shown(_the(" ".join(source[f.span.start : f.span.end].split())), f)


def _the(words: str) -> str:
    """ "the sentence start" for the name "sentence start", as a drafter says it."""
    return words if words.split(" ", 1)[0].lower() in {"the", "a", "an"} else f"the {words}"


def _placed(subject: ir.Expr, each: ir.Quant | None) -> bool:
    if isinstance(subject, ir.RootRef):
        return True
    if isinstance(subject, ir.VarRef):
        return each is not None and subject.var == each.var
    return isinstance(subject, ir.FieldRef) and _placed(subject.subject, each)


def reason(r: ir.RequirementDef, detail: str) -> str:
    """The reason a case breaking `r` is rejected with, after the facts' `detail` are worked out."""
    return f'breaks the requirement "{r.title}" ({r.article}): {detail}'
