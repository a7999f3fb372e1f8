"""The module graph of compiler/ (tests/architecture/graph.py): what issue 13's layout asks and already holds.

Cycles and arrows back up a layer that exist today are listed in tests/architecture/allowed_*.txt; any other fails
here, and so does a listed one that is gone (delete its line: the lists only shrink, the redesign empties them).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.architecture import graph as arch

GRAPH = arch.read_graph()


def test_the_report_runs() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.architecture.graph"],
        cwd=arch.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for heading in ("Modules by layer", "Import cycles, top-level imports only", "Functions over 50 lines"):
        assert heading in done.stdout


def test_the_generated_modules_runtime_imports_only_the_standard_library() -> None:
    """values.py, runtime.py, runtime_trace.py and runtime_cases.py are written into every generated module, which
    imports only the standard library: they may import each other (those lines are dropped when copied), nothing
    else; values.py imports none of them (it sits below the checked model, which uses it)."""
    for name in arch.RUNTIME:
        module = GRAPH.modules[name]
        assert module.external <= sys.stdlib_module_names, (name, module.external - sys.stdlib_module_names)
        assert set(module.imports) <= set(arch.RUNTIME), (name, set(module.imports))
    assert not GRAPH.modules["compiler.values"].imports


def test_the_property_runtime_imports_the_standard_library_and_hypothesis() -> None:
    module = GRAPH.modules["compiler.backends.python.properties_runtime"]
    assert module.external <= sys.stdlib_module_names | {"hypothesis"}
    assert not module.imports


def test_the_interpreter_never_imports_a_backend() -> None:
    """The reference interpreter is the oracle for the generated module: it does its own arithmetic
    (interpret/values.py, which imports nothing of compiler/), never the backend's runtime."""
    for name, module in GRAPH.modules.items():
        if name.startswith("compiler.interpret"):
            assert not [target for target in module.imports if target.startswith("compiler.backends")], name
    assert not GRAPH.modules["compiler.interpret.values"].imports


def test_no_cycle_of_top_level_imports() -> None:
    assert arch.cycles(GRAPH.edges(["top"])) == []


def test_no_cycle_but_those_listed() -> None:
    found = arch.cycles(GRAPH.edges())
    allowed = sorted(sorted(line) for line in arch.read_allowed(arch.ALLOWED_CYCLES))
    assert [c for c in found if c not in allowed] == [], "a new import cycle (lazy and type-only imports count)"
    assert [c for c in allowed if c not in found] == [], f"no longer a cycle: delete it from {arch.ALLOWED_CYCLES}"


def test_no_arrow_back_up_but_those_listed() -> None:
    found = [[source, target] for source, target, _ in arch.upward_edges(GRAPH)]
    allowed = arch.read_allowed(arch.ALLOWED_ARROWS)
    assert [a for a in found if a not in allowed] == [], "a new import of a higher layer (see LAYER_OF in graph.py)"
    assert [a for a in allowed if a not in found] == [], f"no longer an arrow: delete it from {arch.ALLOWED_ARROWS}"


def _package(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / "compiler" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "compiler"


def test_the_graph_tells_the_kinds_of_import_apart(tmp_path: Path) -> None:
    package = _package(
        tmp_path,
        {
            "__init__.py": "",
            "a.py": "from compiler import b\n",
            "b.py": "def f() -> None:\n    from compiler.c import x\n",
            "c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    import compiler.a\n"
            "else:\n    import json\n",
            "d/__init__.py": "from .e import y\n",
            "d/e.py": "class K:\n    import compiler.a as a\n\n    def m(self) -> None:\n        import compiler.d\n",
        },
    )
    graph = arch.read_graph(package)
    assert graph.modules["compiler.a"].imports == {"compiler.b": {"top"}}
    assert graph.modules["compiler.b"].imports == {"compiler.c": {"lazy"}}
    assert graph.modules["compiler.c"].imports == {"compiler.a": {"type"}}
    assert graph.modules["compiler.c"].external == {"typing", "json"}
    assert graph.modules["compiler.d"].imports == {"compiler.d.e": {"top"}}
    assert graph.modules["compiler.d.e"].imports == {"compiler.a": {"top"}, "compiler.d": {"lazy"}}
    assert arch.cycles(graph.edges(["top"])) == []
    assert arch.cycles(graph.edges(["top", "lazy"])) == [["compiler.d", "compiler.d.e"]]
    assert arch.cycles(graph.edges()) == [["compiler.a", "compiler.b", "compiler.c"], ["compiler.d", "compiler.d.e"]]


@pytest.mark.parametrize("lines", [49, 50, 51])
def test_long_functions_are_those_over_the_limit(tmp_path: Path, lines: int) -> None:
    body = "".join(f"    x = {n}\n" for n in range(lines - 1))
    package = _package(tmp_path, {"__init__.py": "", "m.py": f"def f() -> None:\n{body}"})
    found = arch.read_graph(package).modules["compiler.m"].long_functions
    assert found == ((("f", 1, lines),) if lines > arch.FUNCTION_LINES else ())


def test_the_kind_finder_sees_each_way_of_testing_a_kind(tmp_path: Path) -> None:
    """tests/architecture/type_kinds.py, which docs/design/type-kinds.md counts with: each form it reports."""
    from tests.architecture import type_kinds

    text = (
        'NUMERIC = {"int", "number"}\n'
        'PARSERS = {"date": 1}\n'
        "def f(t, u):\n"
        '    if t.kind == "money": pass\n'
        "    if u.type.kind in NUMERIC: pass\n"
        "    kind, other = t.kind, 1\n"
        "    x = PARSERS[kind]\n"
        "    match t.kind:\n"
        '        case "bool": pass\n'
        '    return Type("enum", "Gravity"), t.kind == "enter"\n'
    )
    package = _package(tmp_path, {"__init__.py": "", "m.py": text})
    found = [(use.line, use.how, use.kinds) for use in type_kinds.uses(package)]
    assert sorted(found) == [
        (4, "compare", ("money",)),
        (5, "compare", ("int", "number")),
        (7, "table", ("date",)),
        (8, "match", ("bool",)),
        (10, "construct", ("enum",)),
    ]


def test_no_type_kind_is_tested_against_a_string() -> None:
    """Issue 13: every test of a type's kind is a trait question or a `match` on the Kind enum (from 222 at the
    start of the redesign), so mypy names each place a new kind must be handled."""
    from tests.architecture import type_kinds

    assert [f"{u.path}:{u.line} {u.code}" for u in type_kinds.uses()] == []


def test_no_set_of_kinds_outside_the_traits_table_and_no_kind_written_as_text() -> None:
    """The two rules of docs/design/type-kinds.md that mypy cannot check (tests/architecture/kind_rules.py)."""
    from tests.architecture import kind_rules

    assert [f"{b.path}:{b.line} {b.rule}: {b.code}" for b in kind_rules.breaks()] == []


def test_the_kind_rules_see_each_way_of_breaking_them(tmp_path: Path) -> None:
    from tests.architecture import kind_rules

    text = (
        "NUMERIC = frozenset({Kind.INT, Kind.NUMBER})\n"
        "def f(t: Type, kind: Kind, u: Any) -> str:\n"
        "    if t.kind in (Kind.MONEY,): pass\n"
        "    k = u.type.kind\n"
        "    x = {Kind.DATE: 1}\n"
        "    a = f'{kind} {t.kind.value} {u.kind}'\n"
        "    b = str(k) + '%s' % t.kind + '{}'.format(Kind.BOOL)\n"
        "    match kind:\n"
        "        case Kind.INT | Kind.NUMBER: return f'{k}'\n"
        "    return kind.value\n"
    )
    home = "S = {Kind.INT}\ndef g(kind: Kind) -> str:\n    return f'{kind}'\n"  # sets of kinds belong here
    package = _package(tmp_path, {"__init__.py": "", "m.py": text, "model/kinds.py": home})
    found = [(b.path, b.line, b.rule) for b in kind_rules.breaks(package)]
    assert found == [
        ("compiler/m.py", 1, "set of kinds"),
        ("compiler/m.py", 3, "set of kinds"),
        ("compiler/m.py", 5, "set of kinds"),
        ("compiler/m.py", 6, "kind as text"),
        ("compiler/m.py", 7, "kind as text"),
        ("compiler/m.py", 9, "kind as text"),
        ("compiler/model/kinds.py", 3, "kind as text"),
    ]
