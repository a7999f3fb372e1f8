"""Lark's LALR parser calling the syntax builder at each reduction, so that no intermediate parse tree is made.

Lark's usual way, a Tree per rule with its positions propagated and a Transformer walking it afterwards, was most
of the parse time for a large statute: a 1,000-article statute makes 130,000 reductions, half of them the
precedence chain (atom -> unary -> product -> sum -> expr). Here each reduction calls the builder's method for its
rule at once, with the rule's position computed as Lark's propagate_positions does (from the first to the last
token under it, the punctuation Lark leaves out of the tree included, and brackets around an inlined rule counted
for its parent) and how deeply it nests. A one-child link of the precedence chain costs one C call.

The shape of each rule (which children are kept, where Nones stand for missing optional parts, which children are
spliced in) is read from Lark's rules as Lark's own tree builder reads it; tests/test_parse.py compares the result
with Lark's tree on every statute, so a Lark upgrade that changes these internals shows there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from lark import Lark, Token
from lark.grammar import Rule, Terminal


class Node:
    """A rule's value on Lark's value stack, with the span it covers (as a Token has) and its nesting depth."""

    __slots__ = ("column", "depth", "end_column", "end_line", "end_pos", "line", "start_pos", "value")

    def __init__(self) -> None:
        self.value: Any = None
        self.line: int | None = None  # None: the rule matched no text
        self.column = self.start_pos = self.end_line = self.end_column = self.end_pos = 0
        self.depth = 0


Item = Token | Node | None


@dataclass(frozen=True)
class Shape:
    """How Lark shapes one grammar rule's tree node."""

    method: str  # the builder's method: the rule's alias or name
    keep: tuple[tuple[int, bool, int], ...]  # (child index, splice its children in, Nones to put before it)
    nones_after: int
    expand_single: bool  # a ?rule: one child is returned as it is
    spliced: bool  # an _inlined rule: its children go into its parent


def shapes(lark: Lark) -> dict[Rule, Shape]:
    """The shape of every rule, as lark.parse_tree_builder.maybe_create_child_filter computes it."""
    found = {}
    for rule in lark.rules:
        options = rule.options
        count = len(rule.expansion)
        empty = options.empty_indices
        if empty:
            runs = "".join(str(int(b)) for b in empty).split("0")
            nones = [len(run) for run in runs]
        else:
            nones = [0] * (count + 1)
        keep, pending = [], 0
        for i, sym in enumerate(rule.expansion):
            pending += nones[i]
            if options.keep_all_tokens or not (isinstance(sym, Terminal) and sym.filter_out):
                keep.append((i, not sym.is_term and sym.name.startswith("_"), pending))
                pending = 0
        method = rule.alias or options.template_source or rule.origin.name
        found[rule] = Shape(
            method=method,
            keep=tuple(keep),
            nones_after=pending + nones[count],
            expand_single=bool(options.expand1) and not rule.alias,
            spliced=rule.origin.name.startswith("_"),
        )
    return found


Reduce = Callable[[list[Any]], Any]


class Failed:
    """The first exception of the kinds given that a builder method raised; later methods are not called."""

    def __init__(self, kinds: tuple[type[Exception], ...]) -> None:
        self.kinds = kinds
        self.error: Exception | None = None


def callbacks(shapes: dict[Rule, Shape], builder: object, failed: Failed) -> dict[Rule, Reduce]:
    """Lark parser callbacks building `builder`'s values; a rule named `start` returns its Nodes unbuilt."""
    return {rule: _reduce(shape, builder, failed) for rule, shape in shapes.items()}


def _method(shape: Shape, builder: object) -> Callable[..., Any] | None:
    """The builder's method for a rule; None for a rule whose parent (or the caller) takes its items, and for a
    ?rule, which passes its one child on."""
    if shape.spliced or shape.method == "start":
        return None
    if shape.expand_single:
        assert len(shape.keep) + sum(n for _, _, n in shape.keep) + shape.nones_after == 1, shape  # never a Tree
        assert not any(s for _, s, _ in shape.keep), shape
        return None
    method: Callable[..., Any] = getattr(builder, shape.method)
    return method


def _reduce(shape: Shape, builder: object, failed: Failed) -> Reduce:
    """The callback for one rule. One closure on purpose: it runs at each of a large statute's 130,000 reductions,
    and everything that can be decided from the rule's shape alone is decided here, once."""
    keep, nones_after = shape.keep, shape.nones_after
    if shape.expand_single and not shape.spliced and keep == ((0, False, 0),) and not nones_after:
        return itemgetter(0)  # a link of the precedence chain: the child, its position and depth unchanged
    method = _method(shape, builder)
    kinds = failed.kinds
    picked = [i for i, _, _ in keep]
    plain = not nones_after and not any(spliced or nones for _, spliced, nones in keep)  # no None, no splice

    def reduce(children: list[Any]) -> Any:
        if plain:
            items: list[Item] = children if len(picked) == len(children) else [children[i] for i in picked]
        else:
            items = []
            for i, spliced, nones in keep:
                if nones:
                    items += [None] * nones
                if spliced and not items:
                    items = children[i].value  # taken over, not copied: a left-recursive list stays linear
                elif spliced:
                    items += children[i].value
                else:
                    items.append(children[i])
            if nones_after:
                items += [None] * nones_after
        if shape.expand_single:
            single = items[0]
            if isinstance(single, Node):
                _cover(single, children)
            return single
        node = Node()
        _cover(node, children)
        if method is None:  # spliced, or the start: the parent (or the caller) takes the items
            node.value = items
            return node
        depth = 0
        for item in items:
            if type(item) is Node and item.depth > depth:
                depth = item.depth
        node.depth = depth + 1
        if failed.error is None:
            try:
                node.value = method(node, *[x.value if type(x) is Node else x for x in items])
            except kinds as exc:
                failed.error = exc
        return node

    return reduce


def _cover(node: Node, children: list[Any]) -> None:
    """`node` spans its children: from the first that has a position to the last."""
    for c in children:
        if c is not None and c.line is not None:
            node.line, node.column, node.start_pos = c.line, c.column, c.start_pos
            break
    else:
        return
    for c in reversed(children):
        if c is not None and c.line is not None:
            node.end_line, node.end_column, node.end_pos = c.end_line, c.end_column, c.end_pos
            return
