"""One way to walk the checked model, used by every pass (in the manner of sqlglot's `walk` / `find_all`).

A node's children are the values of its declared fields whose type names a node: `Arith.left`, `And.items`,
`Agg.where`, `FieldRef.subject`, `RuleDef.condition`, `Checked.definitions`... No pass lists a node's sub-expressions
by hand, so a new expression class or field is walked everywhere as soon as it is declared in the model
(compiler/model/ir.py and the expressions of compiler/model/ir_nodes.py, which ir.py re-exports).

The nodes are the expressions and the parts of the model that hold expressions (definitions, rules, guarantees,
requirements and the checked statute itself); types, spans, values, citations and the vocabulary are not.

Which fields hold nodes is read once per class, from the declared type hints, when this module is
imported: children() runs for every node of every rule on every compile and must not ask dataclasses each time.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Final, TypeVar, overload

from compiler.model import ir

Node = (
    ir.Lit
    | ir.EnumLit
    | ir.ParamRef
    | ir.RootRef
    | ir.VarRef
    | ir.FieldRef
    | ir.DefRef
    | ir.InputRef
    | ir.Call
    | ir.Arith
    | ir.ScaleApplied
    | ir.Round
    | ir.MinMax
    | ir.Cmp
    | ir.OneOf
    | ir.Within
    | ir.Known
    | ir.And
    | ir.Or
    | ir.NotE
    | ir.Quant
    | ir.CountE
    | ir.Agg
    | ir.Members
    | ir.InRole
    | ir.RuleDef
    | ir.Definition
    | ir.GuaranteeDef
    | ir.Shown
    | ir.RequirementDef
    | ir.FormulaCaseDef
    | ir.FormulaDef
    | ir.Checked
)
NODE_CLASSES: Final[tuple[type, ...]] = typing.get_args(Node)
EXPRESSION_CLASSES: Final[tuple[type, ...]] = typing.get_args(ir.Expr)

N = TypeVar("N")


def _holds_node(hint: Any) -> tuple[bool, bool]:
    """(whether a field of this type can hold a node, whether it is a tuple of them)."""
    if hint in NODE_CLASSES:
        return True, False
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple:
        return any(_holds_node(a)[0] for a in args if a is not Ellipsis), True
    return any(_holds_node(a)[0] for a in args), False


def _child_fields(cls: type) -> tuple[tuple[str, bool], ...]:
    """The fields of a node class that hold nodes, in declared order: (name, whether a tuple of them)."""
    hints = typing.get_type_hints(cls)  # read in the module that declares it
    out = []
    for f in dataclasses.fields(cls):
        holds, many = _holds_node(hints[f.name])
        if holds:
            out.append((f.name, many))
    return tuple(out)


# Each node class's child fields, read once (see the module's docstring).
CHILD_FIELDS: Final[dict[type, tuple[tuple[str, bool], ...]]] = {cls: _child_fields(cls) for cls in NODE_CLASSES}


@overload
def named_children(node: ir.Expr) -> Iterator[tuple[str, ir.Expr]]: ...
@overload
def named_children(node: Node) -> Iterator[tuple[str, Node]]: ...
def named_children(node: Node) -> Iterator[tuple[str, Node]]:
    """(field name, child) for each child of `node`, in declared order: for a pass that treats some fields apart
    (a quantifier's `body` is a condition on each element)."""
    for name, many in CHILD_FIELDS[type(node)]:
        value = getattr(node, name)
        if many:
            for item in value:
                yield name, item
        elif value is not None:
            yield name, value


@overload
def children(node: ir.Expr) -> Sequence[ir.Expr]: ...
@overload
def children(node: Node) -> Sequence[Node]: ...
def children(node: Node) -> Sequence[Node]:
    """The nodes `node` is made of, in declared order."""
    out: list[Node] = []
    for name, many in CHILD_FIELDS[type(node)]:
        value = getattr(node, name)
        if many:
            out += value
        elif value is not None:
            out.append(value)
    return out


@overload
def walk(node: ir.Expr | None, prune: Callable[[ir.Expr], bool] | None = None) -> Iterator[ir.Expr]: ...
@overload
def walk(node: Node | None, prune: Callable[[Node], bool] | None = None) -> Iterator[Node]: ...
def walk(node: Node | None, prune: Callable[[Any], bool] | None = None) -> Iterator[Node]:
    """`node` and every node inside it, pre-order, left to right; below a node for which `prune` is true, nothing.

    Iterative, so any depth is walked (the parser refuses statements nested over parse.MAX_NESTING levels anyway)."""
    stack: list[Node] = [] if node is None else [node]
    fields = CHILD_FIELDS
    while stack:
        current = stack.pop()
        yield current
        if prune is not None and prune(current):
            continue
        found: list[Node] = []
        for name, many in fields[type(current)]:
            value = getattr(current, name)
            if many:
                found += value
            elif value is not None:
                found.append(value)
        found.reverse()
        stack += found


def find_all(node: Node | None, cls: type[N]) -> Iterator[N]:
    """Every node of class `cls` within `node`, `node` included, pre-order."""
    for found in walk(node):
        if isinstance(found, cls):
            yield found


def rebuilt(e: ir.Expr, change: Callable[[ir.Expr], ir.Expr | None]) -> ir.Expr:
    """`e` with each node for which `change` gives a node replaced by it (and not looked into), the rest rebuilt
    around the changes: an explanation puts a call's values in place of a formula's inputs."""
    found = change(e)
    if found is not None:
        return found
    changes: dict[str, Any] = {}
    for name, many in CHILD_FIELDS[type(e)]:
        value = getattr(e, name)
        if many:
            changes[name] = tuple(rebuilt(x, change) for x in value)
        elif value is not None:
            changes[name] = rebuilt(value, change)
    return dataclasses.replace(e, **changes) if changes else e


# ------------------------------------------------------------------ the same expression, wherever it is written


def shape(e: Any) -> Any:
    """A value equal for two nodes (or tuples of them) that differ only in their spans: the node's class name and
    the shapes of its other fields, whatever they hold (a value, a type, a name, a node).

    Recursive: a statement nests at most parse.MAX_NESTING (100) levels, far within Python's recursion limit."""
    kind = type(e)
    names = _SHAPED.get(kind, _UNSEEN)
    if names is _UNSEEN:
        if kind is tuple:
            return tuple([shape(x) for x in e])
        # A value (str, int, Fraction...) or another class: asked once per class, as leaves are most of a tree.
        names = _SHAPED[kind] = _fields_but_span(kind)
    if names is None:
        return e
    return (kind.__name__, *[shape(getattr(e, name)) for name in names])


def same(a: Node, b: Node) -> bool:
    """The same expression, wherever in the statute it is written."""
    return bool(shape(a) == shape(b))


def _fields_but_span(cls: type) -> tuple[str, ...] | None:
    """The fields of a class with a span other than the span; None for anything else: a value, a type."""
    if not dataclasses.is_dataclass(cls):
        return None
    names = tuple(f.name for f in dataclasses.fields(cls))
    return tuple(n for n in names if n != "span") if "span" in names else None


# Each class's fields but its span, read once: shape() runs for every test of every rule, and asking dataclasses for
# the fields each time was a quarter of generating a module. shape() adds the other classes it meets (None: a value).
_UNSEEN: Final = ("<unseen>",)
_SHAPED: Final[dict[type, tuple[str, ...] | None]] = {
    kind: names
    for kind in vars(ir).values()
    if isinstance(kind, type) and (names := _fields_but_span(kind)) is not None
}
