"""Which rules prevail over which: the order in which the rules of one definition are looked at.

A rule that prevails over another ("Exception to Article 3") is looked at first; `prevails` maps each rule's
identifier to the rules that prevail over it directly (compiler.check.rules works it out from the articles the
exceptions name).
"""

from __future__ import annotations

import heapq
from typing import Protocol, TypeVar


class _Rule(Protocol):
    @property
    def ident(self) -> str: ...


R = TypeVar("R", bound=_Rule)


def prevailing_over(ident: str, prevails: dict[str, set[str]]) -> set[str]:
    """Every rule that prevails over `ident`, directly or through others (`ident` itself if an exception prevails,
    through others, over itself). Walked without recursion: chains of exceptions run long."""
    seen: set[str] = set()
    stack = list(prevails[ident])
    while stack:
        x = stack.pop()
        if x not in seen:
            seen.add(x)
            stack.extend(prevails[x])
    return seen


def prevailing_first(mine: list[R], prevails: dict[str, set[str]]) -> list[R]:
    """The rules of one definition, those that prevail first; among equals, the order of the statute.

    A rule is ready when no rule still waiting prevails over it directly (then none prevails over it through others
    either: those were placed first); of the ready ones the earliest goes next. In a cycle (already reported) none is
    ready, and the earliest waiting rule goes next. Direct exceptions only: linear in a chain of exceptions.
    """
    index = {d.ident: i for i, d in enumerate(mine)}
    blocking = {d.ident: sum(1 for o in prevails[d.ident] if o in index and o != d.ident) for d in mine}
    blocks: dict[str, list[str]] = {}
    for d in mine:
        for o in prevails[d.ident]:
            if o in index and o != d.ident:
                blocks.setdefault(o, []).append(d.ident)
    ready = [index[d.ident] for d in mine if blocking[d.ident] == 0]
    heapq.heapify(ready)
    waiting = set(index)
    ordered: list[R] = []
    while waiting:
        while ready and mine[ready[0]].ident not in waiting:
            heapq.heappop(ready)
        chosen = mine[heapq.heappop(ready)] if ready else mine[min(index[i] for i in waiting)]
        ordered.append(chosen)
        waiting.discard(chosen.ident)
        for other in blocks.get(chosen.ident, ()):
            blocking[other] -= 1
            if blocking[other] == 0 and other in waiting:
                heapq.heappush(ready, index[other])
    return ordered
