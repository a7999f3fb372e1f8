"""The two rules that keep mypy naming every place a new type kind must be handled (docs/design/type-kinds.md).

    python -m tests.architecture.kind_rules      # file:line and the code of each break, nothing when none

mypy --strict sees a string compared with a `Kind` (strict_equality) and a `match` missing a kind (assert_never), but
not two things, which this finds from the syntax tree of compiler/:

- a set of `Kind` members outside compiler/model/kinds.py (`t.kind in {Kind.NUMBER, Kind.MONEY}`, a tuple or list of
them
  alike): a new kind falls outside it silently. Ask a trait of the traits table, or `match` with `assert_never`.
- a kind formatted into text (`f"{t.kind}"`, `str(kind)`, `"%s" % kind`, `"{}".format(kind)`): it prints
  `Kind.MONEY`. Write `kind.value`, the word a reader sees.

A kind, here: `Kind.X`; `<anything>.type.kind`; `<name>.kind` where the name is a parameter annotated as a Type or
bound to `<anything>.type`; a name that is a parameter annotated `Kind` or bound to one of these.
"""

from __future__ import annotations

import ast
import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "compiler"
HOME = Path("model", "kinds.py")  # the one module where sets of kinds belong: the traits table


@dataclasses.dataclass(frozen=True)
class Break:
    path: str
    line: int
    rule: str  # "set of kinds" or "kind as text"
    code: str


def _annotation_names(annotation: ast.expr | None) -> set[str]:
    if annotation is None:
        return set()
    return {
        n.id if isinstance(n, ast.Name) else n.attr
        for n in ast.walk(annotation)
        if isinstance(n, ast.Name | ast.Attribute)
    }


class _Names:
    """The names of a module that hold a kind, and those that hold a type."""

    def __init__(self, tree: ast.AST) -> None:
        self.kinds: set[str] = set()
        self.types: set[str] = set()
        arguments = [
            a for n in ast.walk(tree) if isinstance(n, ast.arguments) for a in (*n.posonlyargs, *n.args, *n.kwonlyargs)
        ]
        for argument in arguments:
            names = _annotation_names(argument.annotation)
            if "Kind" in names:
                self.kinds.add(argument.arg)
            if "Type" in names:
                self.types.add(argument.arg)
        for _ in range(2):  # a name bound to a name bound to a kind
            for node in ast.walk(tree):
                for target, value in _bindings(node):
                    if self.is_kind(value):
                        self.kinds.add(target)
                    elif isinstance(value, ast.Attribute) and value.attr == "type":
                        self.types.add(target)

    def is_kind(self, node: ast.AST) -> bool:
        if isinstance(node, ast.Attribute):
            if isinstance(node.value, ast.Name) and node.value.id == "Kind":
                return True
            if node.attr == "kind":
                subject = node.value
                return (isinstance(subject, ast.Attribute) and subject.attr == "type") or (
                    isinstance(subject, ast.Name) and subject.id in self.types
                )
        return isinstance(node, ast.Name) and node.id in self.kinds


def _bindings(node: ast.AST) -> Iterator[tuple[str, ast.AST]]:
    if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        for target in targets:
            if isinstance(target, ast.Name):
                yield target.id, node.value
            elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
                for name, value in zip(target.elts, node.value.elts, strict=False):
                    if isinstance(name, ast.Name):
                        yield name.id, value


def _member(node: ast.AST) -> bool:
    return isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "Kind"


def _breaks(tree: ast.AST, home: bool) -> Iterator[tuple[ast.AST, str]]:
    names = _Names(tree)
    for node in ast.walk(tree):
        if not home and isinstance(node, ast.Set | ast.Tuple | ast.List) and any(_member(e) for e in node.elts):
            yield node, "set of kinds"
        if not home and isinstance(node, ast.Dict) and any(k is not None and _member(k) for k in node.keys):
            yield node, "set of kinds"
        if isinstance(node, ast.FormattedValue) and names.is_kind(node.value):
            yield node, "kind as text"
        if isinstance(node, ast.Call) and node.args and any(names.is_kind(a) for a in node.args):
            function = node.func
            if (isinstance(function, ast.Name) and function.id in {"str", "format"}) or (
                isinstance(function, ast.Attribute) and function.attr == "format"
            ):
                yield node, "kind as text"
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod) and isinstance(node.left, ast.Constant):
            shown = node.right.elts if isinstance(node.right, ast.Tuple) else [node.right]
            if any(names.is_kind(s) for s in shown):
                yield node, "kind as text"


def breaks(package: Path = PACKAGE) -> list[Break]:
    found = []
    for path in sorted(package.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        home = path.relative_to(package) == HOME
        for node, rule in _breaks(ast.parse(text), home):
            line = getattr(node, "lineno", 0)
            found.append(Break(str(path.relative_to(package.parent)), line, rule, lines[line - 1].strip()))
    return sorted(set(found), key=lambda b: (b.path, b.line, b.rule))


def main() -> int:
    found = breaks()
    for b in found:
        print(f"{b.path}:{b.line}  {b.rule:<13}  {b.code}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
