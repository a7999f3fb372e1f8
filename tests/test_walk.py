"""compiler/model/walk.py: every node of the checked model is reached through declared fields, and two expressions have
the same shape exactly when they differ in their positions only."""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compiler.driver import build
from compiler.frontend.diagnostics import Span
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import EXPRESSION_CLASSES, NODE_CLASSES, Node, children, find_all, same, shape, walk

ROOT = Path(__file__).resolve().parents[1]
STATUTES = sorted([*ROOT.glob("statutes/*.statute"), *ROOT.glob("tests/statutes/*.statute")])


@functools.cache
def checked(path: Path) -> ir.Checked:
    return build.check_file(path)


def naive(value: Any) -> Iterator[Node]:
    """Every node inside `value`, found by opening every dataclass and tuple there is (types, citations, records
    and examples included), in the order of their fields: what walk() must find by declared node fields alone."""
    if isinstance(value, NODE_CLASSES):
        yield value
    if isinstance(value, tuple):
        for item in value:
            yield from naive(item)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from naive(getattr(value, f.name))


@pytest.mark.parametrize("path", STATUTES, ids=lambda p: p.name)
def test_walk_reaches_every_node_a_search_of_every_field_finds_in_the_same_order(path: Path) -> None:
    model = checked(path)
    assert [id(n) for n in walk(model)] == [id(n) for n in naive(model)]


def test_the_statutes_use_every_expression_class_so_the_walk_test_covers_them() -> None:
    reached = {type(n) for path in STATUTES for n in walk(checked(path))}
    assert set(EXPRESSION_CLASSES) <= reached


def test_every_model_class_that_can_hold_an_expression_is_a_node() -> None:
    """A class added to compiler/model/ir.py with an expression field (or a field of nodes) must join walk.Node, or
    walk() would pass over what it holds."""
    for cls in vars(ir).values():
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)) or cls.__name__ not in ir.__all__:
            continue
        hints = typing.get_type_hints(cls)
        mentions = {name for name, hint in hints.items() if any(c in NODE_CLASSES for c in _classes_in(hint))}
        assert not mentions or cls in NODE_CLASSES, f"{cls.__name__}.{mentions} hold nodes"


def _classes_in(hint: Any) -> Iterator[Any]:
    yield hint
    for arg in typing.get_args(hint):
        yield from _classes_in(arg)


def test_children_walk_and_find_all_on_a_small_expression() -> None:
    span = Span.unknown()
    fact = ir.FieldRef(ir.RootRef(ir.Type(Kind.RECORD, "Person"), span), "Person", "age", ir.INT, False, span)
    limit = ir.ParamRef("AGE", ir.INT, span)
    test = ir.And((ir.Cmp(">=", fact, limit, span), ir.Known(fact, False, span)), span)
    assert children(test) == list(test.items)
    assert [type(n).__name__ for n in walk(test)] == [
        "And",
        *("Cmp", "FieldRef", "RootRef", "ParamRef"),
        *("Known", "FieldRef", "RootRef"),
    ]
    assert [type(n).__name__ for n in walk(test, prune=lambda n: isinstance(n, ir.Cmp))] == [
        *("And", "Cmp", "Known", "FieldRef", "RootRef"),
    ]
    assert list(find_all(test, ir.ParamRef)) == [limit]
    assert list(walk(None)) == []


# ------------------------------------------------------------------ shape: the same expression, wherever written


def moved(node: Any, by: int) -> Any:
    """`node` with every span inside it moved `by` characters and lines: the same expression written elsewhere."""
    if isinstance(node, tuple):
        return tuple(moved(x, by) for x in node)
    if isinstance(node, Span):
        return dataclasses.replace(node, line=node.line + by, start=node.start + by, end=node.end + by)
    if dataclasses.is_dataclass(node) and not isinstance(node, type) and isinstance(node, EXPRESSION_CLASSES):
        return dataclasses.replace(node, **{f.name: moved(getattr(node, f.name), by) for f in dataclasses.fields(node)})
    return node


def amnesty_expressions() -> list[ir.Expr]:
    model = checked(ROOT / "statutes" / "kz_amnesty_2022.statute")
    return [n for n in walk(model) if isinstance(n, EXPRESSION_CLASSES)]


def test_an_expression_moved_elsewhere_has_the_same_shape() -> None:
    for e in amnesty_expressions():
        elsewhere = moved(e, 1000)
        assert elsewhere != e
        assert same(e, elsewhere)
        assert shape(e) == shape(elsewhere)


def test_an_expression_changed_in_anything_but_its_position_has_another_shape() -> None:
    changed: set[str] = set()
    for e in amnesty_expressions():
        for f in dataclasses.fields(e):
            value = getattr(e, f.name)
            other = _another(value)
            if f.name == "span" or other is None:
                continue
            assert not same(e, dataclasses.replace(e, **{f.name: other})), (type(e).__name__, f.name)
            changed.add(f.name)
    # each sort of field: names, flags, types, a child, a tuple of children
    assert {"op", "field", "negated", "type", "left", "subject", "operand", "items", "values", "body"} <= changed


def _another(value: Any) -> Any:
    """A different value of the same sort, or None when there is no obvious one."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, ir.Type):
        return dataclasses.replace(value, name=(value.name or "") + "x")
    if isinstance(value, EXPRESSION_CLASSES):  # a child changed deep inside: its innermost leaf's type
        leaf = list(walk(value))[-1]
        return _replaced(value, leaf, dataclasses.replace(leaf, type=ir.Type(Kind.TEXT, "changed")))
    if isinstance(value, tuple) and value:
        return value[1:]
    return None


def _replaced(node: Any, old: Any, new: Any) -> Any:
    if node is old:
        return new
    if isinstance(node, tuple):
        return tuple(_replaced(x, old, new) for x in node)
    if isinstance(node, EXPRESSION_CLASSES):
        return dataclasses.replace(
            node, **{f.name: _replaced(getattr(node, f.name), old, new) for f in dataclasses.fields(node)}
        )
    return node
