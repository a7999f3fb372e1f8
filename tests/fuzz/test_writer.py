"""The code writer of the Python backend (compiler/backends/python/python_text.py): a long expression wrapped over lines
must mean what it means on one line. Two crashes of suite 1 came from here: a walrus whose value fits on one line
lost its `(name := ` when the whole did not fit ("unmatched ')'"), and a bracketed `not` lost its brackets when
wrapped (`(not a) == b` became `not a == b`).
"""

from __future__ import annotations

import ast

from hypothesis import example, given
from hypothesis import strategies as st

from compiler.backends.python.python_text import (
    ADD,
    AND,
    CMP,
    MUL,
    OR,
    Code,
    Writer,
    call,
    generator,
    joined,
    negation,
    paren,
    tuple_of,
    walrus,
)
from fuzz.support import fuzz_settings, tally

LONG = "person.cooperated_with_the_investigation_of_every_charge_brought_in_every_one_of_the_proceedings_so_far"
WALRUS_LOST_ITS_NAME = walrus("left_1", Code(LONG))
NOT_LOST_ITS_BRACKETS = joined(
    (paren(negation(joined((Code(LONG), Code("b")), "and", AND)), CMP + 1), Code("a")), "==", CMP
)
NAMES = st.sampled_from(
    [
        "a",
        "b",
        "self.measure()",
        "person.cooperated_with_the_investigation_of_every_charge",
        LONG,
    ]
)


def codes() -> st.SearchStrategy[Code]:
    """Expressions built the way the backend builds them, long enough to be wrapped."""
    leaves = NAMES.map(Code)

    def extend(inner: st.SearchStrategy[Code]) -> st.SearchStrategy[Code]:
        pair = st.tuples(inner, inner)
        return st.one_of(
            pair.map(lambda p: joined((paren(p[0], AND), paren(p[1], AND)), "and", AND)),
            pair.map(lambda p: joined((paren(p[0], AND + 1), paren(p[1], AND + 1)), "or", OR)),
            pair.map(lambda p: joined((paren(p[0], CMP + 1), paren(p[1], CMP + 1)), "==", CMP)),
            pair.map(lambda p: joined((paren(p[0], ADD), paren(p[1], ADD + 1)), "+", ADD)),
            pair.map(lambda p: joined((paren(p[0], MUL), paren(p[1], MUL + 1)), "*", MUL)),
            inner.map(negation),
            st.tuples(st.integers(0, 10_000), inner).map(lambda p: walrus(f"left_{p[0]}", p[1])),
            st.lists(inner, min_size=1, max_size=3).map(lambda xs: call("trace.compare", "17", *xs)),
            st.lists(inner, min_size=1, max_size=3).map(tuple_of),
            pair.map(lambda p: generator("any", p[0].text, "for x in xs", f"if {p[1].text}")),
        )

    return st.recursive(leaves, extend, max_leaves=12)


class _Flat(ast.NodeTransformer):
    """`a and (b and c)` as `a and b and c`: the same test, which the writer may bracket when it wraps."""

    def visit_BoolOp(self, node: ast.BoolOp) -> ast.BoolOp:
        self.generic_visit(node)
        values: list[ast.expr] = []
        for value in node.values:
            same = isinstance(value, ast.BoolOp) and type(value.op) is type(node.op)
            values.extend(value.values if isinstance(value, ast.BoolOp) and same else [value])
        node.values = values
        return node


def _meaning(source: str) -> str:
    return ast.dump(_Flat().visit(ast.parse(source)))


@fuzz_settings(300)
@example(WALRUS_LOST_ITS_NAME, 0)
@example(NOT_LOST_ITS_BRACKETS, 0)
@given(codes(), st.integers(0, 16))
def test_a_wrapped_expression_means_what_it_means_on_one_line(code: Code, depth: int) -> None:
    writer = Writer()
    writer.depth = depth
    writer.statement("value = ", code)
    wrapped = "\n".join(line[4 * depth :] for line in writer.lines)
    assert _meaning(wrapped) == _meaning(f"value = {code.text}")
    tally("1d code writer", "wrapped" if len(writer.lines) > 1 else "one line")
