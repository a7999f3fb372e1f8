"""Which example each example builds on ("Facts: as in example "title", but: ..."), and an order to expand them in.

An example may build on one written before it or after it: the examples are expanded in an order where each base
comes before the examples built on it. Finding that order follows each chain once, so it takes time linear in the
number of examples however long the chains are, and without recursion, so a chain of any length cannot exhaust the
stack. A title no example has, a title two examples share, and examples building on one another in a circle are
refused here; an example built on a refused one is left out without a further message (the first is the one to fix).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from compiler.foundation.wording import counted
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, error, warning

MAX_NAMED_IN_CIRCLE = 10  # a circle of examples names this many of its links, and counts the others


@dataclass(frozen=True)
class ExampleOrder:
    """`order`: the indexes of the examples that can be expanded, each base before the examples built on it;
    `bases`: the index of the example each example builds on; `diagnostics`: each with its example's index."""

    order: tuple[int, ...]
    bases: dict[int, int]
    diagnostics: tuple[tuple[int, Diagnostic], ...]


def order_examples(examples: Sequence[s.Example]) -> ExampleOrder:
    titled: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        if ex.title:
            titled.setdefault(ex.title, []).append(i)
    found: list[tuple[int, Diagnostic]] = [(i, d) for i, d in _shared_titles(examples, titled)]
    bases: dict[int, int] = {}
    refused: set[int] = set()
    for i, ex in enumerate(examples):
        if ex.base is None:
            continue
        named = titled.get(ex.base.title, [])
        if len(named) == 1:
            bases[i] = named[0]
            continue
        refused.add(i)
        found.append((i, _unknown_base(ex.base, titled) if not named else _ambiguous_base(ex.base, named, examples)))
    order, circles = _expansion_order(examples, bases, refused)
    for circle in circles:
        first = min(circle)
        found.append((first, _circle(examples, circle, first)))
    return ExampleOrder(tuple(order), bases, tuple(found))


def _shared_titles(examples: Sequence[s.Example], titled: dict[str, list[int]]) -> list[tuple[int, Diagnostic]]:
    """A warning at each example whose title an earlier example has: `statute test` names examples by title."""
    found = []
    for title, indexes in titled.items():
        for i in indexes[1:]:
            found.append(
                (
                    i,
                    warning(
                        f'the example on line {examples[indexes[0]].span.line} is also titled "{title}"',
                        examples[i].span,
                        "give each example its own title: results name examples by their titles, and 'as in "
                        "example' by a title finds only one",
                    ),
                )
            )
    return found


def _unknown_base(base: s.BaseExample, titled: dict[str, list[int]]) -> Diagnostic:
    titles = list(titled)
    close = difflib.get_close_matches(base.title, titles, n=3, cutoff=0.6)
    folded = [t for t in titles if " ".join(t.lower().split()) == " ".join(base.title.lower().split())]
    if folded:
        hint = f'did you mean "{folded[0]}"? The title must be written exactly as the example gives it'
    elif close:
        hint = "did you mean " + " or ".join(f'"{t}"' for t in close) + "?"
    elif titles:
        hint = "give the title of an example of this statute exactly as it is written after 'Example'"
    else:
        hint = "no example of this statute has a title: give the example to build on a title, in quotes"
    return error(f'there is no example titled "{base.title}" in this statute', base.title_span, hint)


def _ambiguous_base(base: s.BaseExample, named: list[int], examples: Sequence[s.Example]) -> Diagnostic:
    lines = [str(examples[i].span.line) for i in named]
    where = ", ".join(lines[:-1]) + " and " + lines[-1]
    return error(
        f'{counted(len(named), "example is", "examples are")} titled "{base.title}" (lines {where}): '
        "which one is meant?",
        base.title_span,
        "give each example its own title",
    )


def _expansion_order(
    examples: Sequence[s.Example], bases: dict[int, int], refused: set[int]
) -> tuple[list[int], list[list[int]]]:
    """Each chain of bases followed once, from its first example not yet placed: the examples that can be expanded
    in an order with each base before the examples built on it, and the circles found."""
    expandable: dict[int, bool] = {
        i: i not in refused for i, ex in enumerate(examples) if ex.base is None or i in refused
    }
    order = [i for i, ok in expandable.items() if ok]
    circles: list[list[int]] = []
    for start in range(len(examples)):
        path: list[int] = []
        on_path: dict[int, int] = {}
        i = start
        while i not in expandable and i not in on_path:
            on_path[i] = len(path)
            path.append(i)
            i = bases[i]
        if i in on_path:
            circles.append(path[on_path[i] :])
            ok = False
        else:
            ok = expandable[i]
        for j in reversed(path):
            expandable[j] = ok
            if ok:
                order.append(j)
    return order, circles


def _circle(examples: Sequence[s.Example], circle: list[int], first: int) -> Diagnostic:
    """One error for examples that build on one another in a circle, at the first of them in the file."""
    base = examples[first].base
    assert base is not None
    if len(circle) == 1:
        return error(
            f'example "{base.title}" builds on itself',
            base.title_span,
            "name another example, or write out its facts",
        )
    at = circle.index(first)
    rotated = circle[at:] + circle[:at]  # each builds on the next, the last on the first
    shown = [
        f'"{examples[i].title}" builds on "{examples[rotated[(k + 1) % len(rotated)]].title}"'
        for k, i in enumerate(rotated[:MAX_NAMED_IN_CIRCLE])
    ]
    more = len(rotated) - len(shown)
    text = ", ".join(shown) + (f", and {counted(more, 'more link', 'more links')}" if more else "")
    return error(
        f"these examples build on one another in a circle: {text}",
        base.title_span,
        "write out the facts of one of them, so that the others can start from it",
    )
