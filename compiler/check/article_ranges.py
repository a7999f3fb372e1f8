"""Ranges of articles ("Exception to Articles 2 to 7", "Example (Articles 3 to 5)") read as the headings they cover.

A range covers every heading of the statute from its first article to its last in the order the file gives them, so
"Articles 2 to 7" covers an "Article 3 bis" standing between Article 3 and Article 4, as the law's own order does (a
range "by number" could not place 3 bis, nor a section 121(b)(3) between 121(b)(2) and 121(c)). Both ends must be
headings of this statute and the first must come before the last. The statements come back with each range replaced
by the references it covers, so every later pass sees plain references only.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, error


def expand_article_ranges(statute: s.Statute) -> tuple[s.Statute, list[Diagnostic]]:
    """The statute with every range of articles replaced by the references it covers, and the problems found."""
    order = [a.label.lower() for a in statute.articles]
    problems: list[Diagnostic] = []
    statements = []
    changed = False
    for statement in statute.statements:
        updates: dict[str, Any] = {}
        for f in dataclasses.fields(statement):
            refs = getattr(statement, f.name)
            if isinstance(refs, tuple) and any(isinstance(r, s.ArticleRef) and r.through for r in refs):
                updates[f.name] = tuple(x for r in refs for x in _covered(statute, order, r, problems))
        changed = changed or bool(updates)
        statements.append(dataclasses.replace(statement, **updates) if updates else statement)
    if not changed:
        return statute, problems
    return dataclasses.replace(statute, statements=tuple(statements)), problems


def _covered(statute: s.Statute, order: list[str], ref: s.ArticleRef, problems: list[Diagnostic]) -> list[s.ArticleRef]:
    if ref.through is None:
        return [ref]
    last = dataclasses.replace(ref, number=ref.through, through=None)
    ends = []
    for end in (ref, last):
        label = f"{end.kind} {end.number}"
        if label.lower() not in order:
            known = ", ".join(a.label for a in statute.articles[:12]) or "none"
            problems.append(
                error(
                    f"the range names {label}, which is not a heading of this statute", ref.span, f"headings: {known}"
                )
            )
            return []
        ends.append(order.index(label.lower()))
    first, final = ends
    if first > final:
        problems.append(
            error(
                f"the range runs backwards: {ref.label} comes after {last.label} in this statute",
                ref.span,
                f"write 'Articles {last.number} to {ref.number}'",
            )
        )
        return []
    return [s.ArticleRef(a.kind, a.number, ref.span) for a in statute.articles[first : final + 1]]
