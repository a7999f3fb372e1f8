"""The one place where a key of the checked model becomes a Python identifier of the generated module.

The checked model names things with the drafter's words alone ("class", "sum", "decision"): those are what case files,
decisions and traces call them. Python cannot take every such word as a name: `class` is a keyword, a record field
`int` would hide the type `int` from the annotations after it, a definition `sum` kept in a local would hide the
builtin the module's own code calls, a record `Decision` would replace the module's own class. Each function below
gives the identifier for a key in one namespace of the module; every backend module that writes a name asks here.

Deterministic and collision-free by construction: a key is kept as it is, or, when its namespace reserves it, gets a
trailing underscore (`class` -> `class_`). A key of the model never ends with an underscore (compiler/model/idents.py
trims them), so a renamed key can never meet another key."""

from __future__ import annotations

import ast
import builtins
import keyword
import sys
import unicodedata
from pathlib import Path

# values.py first: the runtime's own parts (citations.py's too) build on its durations, text forms and decision errors.
RUNTIME_FILES = (
    Path(__file__).parents[2] / "values.py",
    Path(__file__).parents[2] / "citations.py",
    *(Path(__file__).with_name(name) for name in ("runtime.py", "runtime_trace.py", "runtime_cases.py")),
)
BEGIN, END = "# --- runtime: begin ---", "# --- runtime: end ---"


def runtime_parts() -> tuple[list[str], str]:
    """The standard library imports the runtime needs, merged, and its source between the markers of each file."""
    plain: set[str] = set()
    named: dict[str, set[str]] = {}
    bodies = []
    for path in RUNTIME_FILES:
        head, rest = path.read_text(encoding="utf-8").split(BEGIN)
        bodies.append(rest.split(END)[0].strip("\n"))
        for node in ast.parse(head).body:
            if isinstance(node, ast.Import):
                plain.update(alias.name for alias in node.names)
            elif (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module != "__future__"
                and node.module.split(".")[0] in sys.stdlib_module_names
            ):
                named.setdefault(node.module, set()).update(alias.name for alias in node.names)
    imports = [f"import {name}" for name in sorted(plain)]
    imports += [f"from {module} import {', '.join(sorted(names))}" for module, names in sorted(named.items())]
    return imports, "\n\n\n".join(bodies)


def defined_names(source: str) -> set[str]:
    """The names a piece of module source defines or imports at its top level."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


_IMPORTS, _RUNTIME = runtime_parts()
# Names every generated module defines besides the statute's own.
MODULE_NAMES = frozenset(
    defined_names("\n".join(_IMPORTS) + "\n" + _RUNTIME)
    | {"annotations", "STATUTE", "RULES", "DEFINITIONS", "OUTCOMES", "ATOMS"}
    | {"Decision", "Evaluation", "decide", "decision_as_dict", "load_case"}
    | {"GUARANTEES", "broken_guarantees"}
    | {"read_case", "broken_requirements"}
)
# Names a generated method uses for itself; a quantifier's variable never takes one of them.
LOCAL_NAMES = frozenset(
    {"self", "trace", "value", "found", "by", "candidate", "deciding", "applied", "log", "begin_rule", "end_rule"}
)
PYTHON_NAMES = frozenset(dir(builtins)) | frozenset(keyword.kwlist) | frozenset(keyword.softkwlist)
# Types a record's annotations name: a field so named would hide the type from the annotations after it.
ANNOTATION_NAMES = frozenset({"datetime", "Fraction", "Duration", "Period", "str", "int", "bool", "tuple", "None"})

# A record's attribute: Python's words that cannot be an attribute, and the types its annotations name.
_ATTRIBUTE_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | {"self"} | ANNOTATION_NAMES
# Anything else the statute names (records, enumerations, parameters, definitions, rules, variables): a class,
# constant, method or local of the module, which must not hide Python's names, the runtime's or the module's own.
_NAME_RESERVED = (
    PYTHON_NAMES
    | MODULE_NAMES
    | LOCAL_NAMES
    | {"case", "trace", "dataclasses", "datetime", "enum", "fractions", "typing", "annotations"}
)


def _renamed(key: str, reserved: frozenset[str]) -> str:
    return key + "_" if key in reserved else key


def attribute(key: str) -> str:
    """A record field's attribute (`class` -> `class_`, `int` -> `int_`); its key in case files stays `key`."""
    return _renamed(key, _ATTRIBUTE_RESERVED)


def name(key: str) -> str:
    """The identifier of a record, enumeration, parameter, definition, rule or variable (`sum` -> `sum_`)."""
    return _renamed(key, _NAME_RESERVED)


def checked_ident(name: str, what: str) -> str:
    """`name` if it is a plain Python identifier, else ValueError: the last guard before a name is written."""
    if (
        not isinstance(name, str)
        or not name.isidentifier()
        or keyword.iskeyword(name)
        or unicodedata.normalize("NFKC", name) != name
        or name.startswith("__")
    ):
        raise ValueError(f"{what} {name!r} is not a safe Python identifier")
    return name


def attribute_ident(key: str, what: str = "the field") -> str:
    """`attribute(key)`, checked."""
    return checked_ident(attribute(key), what)


def ident(key: str, what: str) -> str:
    """`name(key)`, checked."""
    return checked_ident(name(key), what)
