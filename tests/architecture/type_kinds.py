"""Every place in compiler/ that tests a type's kind against a string, read from the syntax tree (issue 13).

    python -m tests.architecture.type_kinds           # file:line, the test, and the strings it names
    python -m tests.architecture.type_kinds --count   # how many, by module

Type.kind (compiler/model/ir.py) was a plain string: bool, int, number, money, date, duration, text, period, enum,
record, list. A consumer that dispatches on it by comparing strings is invisible to mypy, so a new kind (issue 13's
`percentage`) is missed silently. This found such tests (222 in 37 modules) so that the redesign could replace each one
with a `match` on the Kind enum (compiler/model/kinds.py) or a trait of its traits table (docs/design/type-kinds.md); it
finds none now, and tests/test_architecture.py keeps it so.

Found: a comparison (==, !=, in, not in) of an expression ending in `.kind` (or a name bound to one, such as
`kind = t.kind`) with a kind string, a collection of them, or a module constant holding them; a `match` on such an
expression with string cases; a dictionary of kind strings indexed by one; `Type("money")`-style constructions are
counted apart. Strings that are not type kinds (a trace event's kind, a reject's kind) are not reported unless they
share a name with a type kind and are compared against `.kind`, which the listing shows for a reader to judge.
"""

from __future__ import annotations

import argparse
import ast
import collections
import dataclasses
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "compiler"
KINDS = frozenset({"bool", "int", "number", "money", "date", "duration", "text", "period", "enum", "record", "list"})


@dataclasses.dataclass(frozen=True)
class Use:
    path: str  # relative to the project
    line: int
    how: str  # compare, match, table, construct
    kinds: tuple[str, ...]
    code: str  # the line's text, stripped


def _strings(node: ast.AST, constants: dict[str, frozenset[str]]) -> frozenset[str] | None:
    """The kind strings `node` stands for: a string, a collection of strings, or a module constant of them."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return frozenset({node.value})
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        found = [_strings(element, constants) for element in node.elts]
        if found and all(f is not None for f in found):
            return frozenset().union(*(f for f in found if f is not None))
        return None
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"frozenset", "set"}:
        return _strings(node.args[0], constants) if node.args else None
    if isinstance(node, ast.Name) and node.id in constants:
        return constants[node.id]
    if isinstance(node, ast.Attribute) and node.attr in constants:  # module.CONSTANT
        return constants[node.attr]
    return None


def _is_kind(node: ast.AST, bound: set[str]) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "kind") or (
        isinstance(node, ast.Name) and node.id in bound
    )


def _constants(trees: dict[Path, ast.Module]) -> dict[str, frozenset[str]]:
    """Names bound anywhere in compiler/ to a collection of kind strings (NUMERIC = {"int", "number", "money"}) or
    to a table keyed by them (_PARSERS = {"bool": ..., "int": ...}): the strings, or the table's keys."""
    found: dict[str, frozenset[str]] = {}
    for tree in trees.values():
        for statement in ast.walk(tree):
            target, value = None, None
            if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
                target, value = statement.targets[0], statement.value
            elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
                target, value = statement.target, statement.value
            if isinstance(value, ast.Dict):
                value = ast.Tuple([key for key in value.keys if key is not None])
            if isinstance(target, ast.Name) and value is not None and not isinstance(value, ast.Constant):
                strings = _strings(value, {})
                if strings and strings & KINDS:
                    found[target.id] = strings
    return found


def _bound_names(tree: ast.AST) -> set[str]:
    """Names bound to a kind: `kind = type_.kind`, `for kind in ...` is not one."""
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            pairs = [(target, node.value)]
            if isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):  # kind, key = t.kind, ...
                pairs = list(zip(target.elts, node.value.elts, strict=False))
            for name, value in pairs:
                if isinstance(name, ast.Name) and isinstance(value, ast.Attribute) and value.attr == "kind":
                    names.add(name.id)
    return names


def uses(package: Path = PACKAGE) -> Iterator[Use]:
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in sorted(package.rglob("*.py"))}
    constants = _constants(trees)
    for path, tree in trees.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        bound = _bound_names(tree)
        relative = str(path.relative_to(package.parent))
        for node in ast.walk(tree):
            found = _use(node, bound, constants)
            if found is not None:
                how, kinds = found
                line = getattr(node, "lineno", 0)
                yield Use(relative, line, how, tuple(sorted(kinds)), lines[line - 1].strip())


def _use(node: ast.AST, bound: set[str], constants: dict[str, frozenset[str]]) -> tuple[str, frozenset[str]] | None:
    if isinstance(node, ast.Compare) and len(node.ops) == 1:
        left, right = node.left, node.comparators[0]
        for this, other in ((left, right), (right, left)):
            strings = _strings(other, constants)
            if _is_kind(this, bound) and strings and strings & KINDS:
                return "compare", strings
    if isinstance(node, ast.Match) and _is_kind(node.subject, bound):
        strings = frozenset(
            pattern.value.value
            for case in node.cases
            for pattern in ast.walk(case.pattern)
            if isinstance(pattern, ast.MatchValue)
            and isinstance(pattern.value, ast.Constant)
            and isinstance(pattern.value.value, str)
        )
        if strings & KINDS:
            return "match", strings
    table: ast.AST | None = None  # a table indexed by a kind: table[t.kind], table.get(t.kind)
    if isinstance(node, ast.Subscript) and _is_kind(node.slice, bound):
        table = node.value
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get" and node.args:
        table = node.func.value if _is_kind(node.args[0], bound) else None
    if isinstance(table, ast.Dict):
        table = ast.Tuple([key for key in table.keys if key is not None])
    keys = _strings(table, constants) if table is not None else None
    if keys and keys & KINDS:
        return "table", keys
    if (
        isinstance(node, ast.Call)
        and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Type"
        and node.args
    ):
        strings = _strings(node.args[0], constants)
        if strings and strings & KINDS:
            return "construct", strings
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--count", action="store_true", help="only how many, by module and by how")
    args = parser.parse_args(argv)
    found = sorted(uses(), key=lambda u: (u.path, u.line))
    if args.count:
        by_module = collections.Counter(u.path for u in found if u.how != "construct")
        by_how = collections.Counter(u.how for u in found)
        print(f"{sum(by_module.values())} tests of a kind string in {len(by_module)} modules; by how: {dict(by_how)}")
        for path, n in sorted(by_module.items(), key=lambda item: (-item[1], item[0])):
            print(f"  {n:>3}  {path}")
        return 0
    for use in found:
        print(f"{use.path}:{use.line}  {use.how:<9}  {'|'.join(use.kinds):<28}  {use.code}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
