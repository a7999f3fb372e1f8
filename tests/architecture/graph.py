"""The module graph of compiler/, read from each module's syntax tree: who imports whom, and how.

    python -m tests.architecture.graph            # the report (docs/architecture-before.txt and -after.txt)
    python -m tests.architecture.graph --cycles   # only the cycles, one a line, as allowed_cycles.txt holds them
    python -m tests.architecture.graph --arrows   # only the arrows back up a layer, as allowed_arrows.txt holds them

An import is one of three kinds, counted apart because they fail differently:
- top: run when the module is imported (a cycle of these can break the import itself);
- lazy: inside a function, run when it is called (no import-time failure, but the modules still depend on each
  other: issue 13 counts these cycles too);
- type: under `if TYPE_CHECKING:`, read by mypy only.

`from compiler.x import y` is an edge to the module compiler.x.y when there is one, else to compiler.x (its
__init__). The package an imported module sits in is not counted as an edge of its own, although Python runs its
__init__ first: a package's __init__ re-exporting its modules would otherwise put every package in a cycle with
itself, which says nothing about the design.

The layers are issue 13's layout, lowest first, one folder of compiler/ each: a module's layer is its folder
(LAYER_OF places the two modules at the top). An edge to a higher layer is an arrow "back up"; the redesign
removed them. This file is a tool, not a test: tests/test_architecture.py asserts what already holds.
"""

from __future__ import annotations

import argparse
import ast
import dataclasses
import sys
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Literal

Kind = Literal["top", "lazy", "type"]
KINDS: tuple[Kind, ...] = ("top", "lazy", "type")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "compiler"
ALLOWED_CYCLES = Path(__file__).with_name("allowed_cycles.txt")
ALLOWED_ARROWS = Path(__file__).with_name("allowed_arrows.txt")

MODULE_LINES = 400  # the style guide's "modules under ~400 lines, functions under ~50"
FUNCTION_LINES = 50

# Issue 13's layers, lowest first; layers of equal rank must not import each other either (backends and interpret
# are two independent readings of the language; explain and prove both read an evaluator).
LAYERS: tuple[tuple[str, int], ...] = (
    ("foundation", 0),  # no knowledge of statutes: atomic writes, paths, inert text, the Jinja sandbox
    ("frontend", 1),  # text -> syntax tree, diagnostics, the parse cache
    ("values", 1),  # text forms of numbers, money, dates and durations (issue 13: one values module)
    ("model", 2),  # the checked model
    ("check", 3),  # syntax tree -> checked model
    ("backends", 4),  # checked model -> generated module (its runtime, readers, property tests)
    ("interpret", 4),  # the reference interpreter
    ("explain", 5),
    ("prove", 5),
    ("driver", 6),  # the pipeline in one place, running modules and their property tests (issue 13: prove's
    # confirmation importing the driver is an arrow back up)
    ("population", 7),  # batch runs, case files, registers, report, diff, synth
    ("commands", 8),  # argument parsing and printing only
)
RANK = dict(LAYERS)

# Each layer is a folder of compiler/ (compiler/backends/python/ is the backends layer); the package's own
# __init__ and compiler/values.py, the one values module the generated runtime also carries, are placed here.
LAYER_OF: Mapping[str, str] = {
    "compiler": "foundation",
    "compiler.values": "values",
    "compiler.citations": "values",
}
# The generated module's runtime: written into every generated module, which imports only the standard library.
RUNTIME = (
    "compiler.values",
    "compiler.citations",
    "compiler.backends.python.runtime",
    "compiler.backends.python.runtime_trace",
    "compiler.backends.python.runtime_cases",
)


@dataclasses.dataclass(frozen=True)
class Module:
    name: str
    path: Path
    lines: int
    imports: Mapping[str, frozenset[Kind]]  # a module of compiler/ -> how it is imported
    external: frozenset[str]  # top-level names of everything else imported (any kind)
    long_functions: tuple[tuple[str, int, int], ...]  # (qualified name, first line, lines)


@dataclasses.dataclass(frozen=True)
class Graph:
    modules: Mapping[str, Module]

    def edges(self, kinds: Iterable[Kind] = KINDS) -> dict[str, set[str]]:
        wanted = set(kinds)
        return {
            name: {target for target, how in module.imports.items() if how & wanted}
            for name, module in self.modules.items()
        }


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(name: str) -> str:
    """The layer of a module: its folder under compiler/ (compiler.check.rules is in check)."""
    if name in LAYER_OF:
        return LAYER_OF[name]
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in RANK else "unplaced"


class _Imports(ast.NodeVisitor):
    """Every import of one module with its kind; the names of functions longer than FUNCTION_LINES."""

    def __init__(self, name: str, is_package: bool, known: frozenset[str]) -> None:
        self.name = name
        self.is_package = is_package
        self.known = known
        self.internal: dict[str, set[Kind]] = {}
        self.external: set[str] = set()
        self.long_functions: list[tuple[str, int, int]] = []
        self._scope: list[str] = []
        self._type_only = 0

    def _kind(self) -> Kind:
        if self._type_only:
            return "type"
        return "lazy" if self._scope else "top"

    def _add(self, target: str) -> None:
        if target == "compiler" or target.startswith("compiler."):
            while target not in self.known and "." in target:  # `import compiler.x.y.Name` never occurs, but
                target = target.rsplit(".", 1)[0]  # be safe: the nearest module that exists
            if target != self.name:
                self.internal.setdefault(target, set()).add(self._kind())
        else:
            self.external.add(target.split(".")[0])

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = node.module or ""
        if node.level:  # relative: from the module's own package upwards
            package = self.name.split(".") if self.is_package else self.name.split(".")[:-1]
            package = package[: len(package) - node.level + 1]
            base = ".".join([*package, *([base] if base else [])])
        for alias in node.names:
            child = f"{base}.{alias.name}"
            self._add(child if child in self.known else base)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            self._type_only += 1
            for statement in node.body:
                self.visit(statement)
            self._type_only -= 1
            for statement in node.orelse:
                self.visit(statement)
        else:
            self.generic_visit(node)

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self._scope.append(node.name)
        length = (node.end_lineno or node.lineno) - node.lineno + 1
        if length > FUNCTION_LINES:
            self.long_functions.append((".".join(self._scope), node.lineno, length))
        self.generic_visit(node)
        self._scope.pop()

    visit_FunctionDef = _function
    visit_AsyncFunctionDef = _function

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        # A class body runs at import time: its imports are top-level, but its methods are named after it.
        self._scope.append(node.name)
        depth = len(self._scope)
        for statement in node.body:
            if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
                self.visit(statement)
            else:
                saved, self._scope = self._scope, []
                self.visit(statement)
                self._scope = saved
        assert len(self._scope) == depth
        self._scope.pop()


def read_graph(package: Path = PACKAGE) -> Graph:
    root = package.parent
    paths = sorted(package.rglob("*.py"))
    known = frozenset(module_name(path, root) for path in paths)
    modules: dict[str, Module] = {}
    for path in paths:
        name = module_name(path, root)
        text = path.read_text(encoding="utf-8")
        reader = _Imports(name, path.name == "__init__.py", known)
        reader.visit(ast.parse(text, filename=str(path)))
        modules[name] = Module(
            name=name,
            path=path,
            lines=len(text.splitlines()),
            imports={target: frozenset(kinds) for target, kinds in sorted(reader.internal.items())},
            external=frozenset(reader.external),
            long_functions=tuple(reader.long_functions),
        )
    return Graph(modules)


def cycles(edges: Mapping[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm), each sorted, in order."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def reachable(edges: Mapping[str, set[str]], start: str) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen - {start}


def upward_edges(graph: Graph) -> list[tuple[str, str, frozenset[Kind]]]:
    """Imports of a higher layer, or of another layer of the same rank (backends <-> interpret)."""
    found = []
    for name, module in sorted(graph.modules.items()):
        source = layer_of(name)
        for target, kinds in module.imports.items():
            goal = layer_of(target)
            if source == "unplaced" or goal == "unplaced" or source == goal:
                continue
            if RANK[goal] >= RANK[source]:
                found.append((name, target, kinds))
    return found


def read_allowed(path: Path) -> list[list[str]]:
    """The lines of an allow-list (allowed_cycles.txt, allowed_arrows.txt), each split into its module names."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return sorted(line.split() for line in lines if line.strip() and not line.startswith("#"))


def _short(name: str) -> str:
    return name.removeprefix("compiler.") or name


def _kinds_text(kinds: frozenset[Kind]) -> str:
    return "+".join(kind for kind in KINDS if kind in kinds)


def report(graph: Graph) -> Iterator[str]:
    modules = graph.modules
    total = sum(module.lines for module in modules.values())
    yield f"compiler/: {len(modules)} modules, {total:,} lines (python -m tests.architecture.graph)"
    yield ""
    yield "Modules by layer, lowest first (lines; imports of compiler/ modules, lazy ones marked ~, type-only ones ^)"
    for layer, rank in (*LAYERS, ("unplaced", -1)):
        members = sorted(name for name in modules if layer_of(name) == layer)
        if not members:
            continue
        yield f"  {layer} (rank {rank}): {len(members)} modules, {sum(modules[m].lines for m in members):,} lines"
        for name in members:
            marks = {"top": "", "lazy": "~", "type": "^"}
            imported = " ".join(
                _short(target) + "".join(marks[kind] for kind in KINDS if kind in kinds and kind != "top")
                if "top" not in kinds
                else _short(target)
                for target, kinds in modules[name].imports.items()
            )
            yield f"    {_short(name):<32} {modules[name].lines:>4}  {imported}"
    yield ""
    for title, kinds in (
        ("Import cycles, top-level imports only", ("top",)),
        ("Import cycles, lazy imports included", ("top", "lazy")),
        ("Import cycles, lazy and type-only imports included", KINDS),
    ):
        found = cycles(graph.edges(kinds))
        yield f"{title}: {len(found)}"
        for component in found:
            yield "  " + " ".join(_short(name) for name in component)
    yield ""
    arrows = upward_edges(graph)
    yield f"Arrows back up a layer (or across to a layer of the same rank): {len(arrows)}"
    for source, target, how in arrows:
        yield f"  {_short(source)} ({layer_of(source)}) -> {_short(target)} ({layer_of(target)}) [{_kinds_text(how)}]"
    yield ""
    large = sorted((module for module in modules.values() if module.lines > MODULE_LINES), key=lambda m: -m.lines)
    yield f"Modules over {MODULE_LINES} lines: {len(large)}"
    for module in large:
        yield f"  {module.lines:>5}  {_short(module.name)}"
    yield ""
    functions = sorted(
        (-length, _short(module.name), qualified, line)
        for module in modules.values()
        for qualified, line, length in module.long_functions
    )
    yield f"Functions over {FUNCTION_LINES} lines: {len(functions)}"
    for negative, name, qualified, line in functions:
        yield f"  {-negative:>5}  {name}:{line} {qualified}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cycles", action="store_true", help="only the cycles of all imports, one a line")
    parser.add_argument("--arrows", action="store_true", help="only the arrows back up a layer, one a line")
    args = parser.parse_args(argv)
    graph = read_graph()
    if args.cycles:
        for component in cycles(graph.edges()):
            print(" ".join(component))
    elif args.arrows:
        for source, target, _ in upward_edges(graph):
            print(source, target)
    else:
        for line in report(graph):
            print(line.rstrip())
    return 0


if __name__ == "__main__":
    sys.exit(main())
