"""Suite 3: names and texts that try to become code: quotes, triple quotes, backslashes, `__import__('os')`,
newlines, `}}{{`, `<script>`, in identifiers, article titles, quoted law text, notes and example values.

The generated module may hold them only as data: `ast` shows that it defines and calls only what a module of a
harmless statute defines and calls, plus the statute's own validated identifiers; importing and running it never
creates the sentinel file; and every explanation format escapes them.
"""

from __future__ import annotations

import ast
import builtins
import os
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compiler.backends.python import naming
from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.explain.decision import explain
from compiler.explain.render import locale_for, render
from compiler.model import ir
from fuzz.cases import valid_cases
from fuzz.statutes import CYRILLIC_WORDS, HOSTILE_TEXT, PYTHON_WORDS, GeneratedStatute, statutes
from fuzz.support import CORPUS, ROOT, decide, fuzz_settings, json_safe, tally, through_pipeline

HOSTILE_STATUTE = CORPUS / "hostile_texts.statute"
SENTINEL = "PWNED"


def _called(node: ast.Call) -> str:
    """`name`, `base.attr`, or the kind of expression called."""
    f = node.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        base = f.value.id if isinstance(f.value, ast.Name) else type(f.value).__name__
        return f"{base}.{f.attr}"
    return type(f).__name__


def _defined(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names


def _imports(tree: ast.Module) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return found


@cache
def _baseline() -> tuple[set[str], set[str], set[str]]:
    """What the modules of the flagship statutes call, define at top level and import."""
    calls: set[str] = set()
    defined: set[str] = set()
    imports: set[str] = set()
    for name in ("kz_amnesty_2022", "us_irc_121"):
        tree = ast.parse(build.module_source(build.check_file(ROOT / "statutes" / f"{name}.statute")))
        calls |= {_called(n) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        defined |= _defined(tree)
        imports |= _imports(tree)
    return calls, defined, imports


def _statute_names(checked: ir.Checked) -> set[str]:
    """The module's names for the statute's records, enumerations, parameters and definitions (naming.py)."""
    names = {r.ident for r in checked.records} | {e.ident for e in checked.enums}
    names |= {p.ident for p in checked.parameters} | {d.ident for d in checked.definitions}
    return {naming.name(key) for key in names}


# What the backend writes for expressions the flagship statutes happen not to use ("the number of ... where").
EXPRESSION_CALLS = {"sum", "len", "any", "all", "min", "max", "Fraction", "given", "days_between", "trace.each"}
EXPRESSION_CALLS |= {"round_number", "round_duration", "round_whole", "trace.truth", "trace.compare"}
# What decision_as_dict writes for a date or period outcome (`decision.start.isoformat()`), which the flagship
# statutes happen not to have (the runtime's Period.text made the call once; values.period_text calls it on a name).
EXPRESSION_CALLS |= {"Attribute.isoformat"}
# The module's private helpers and constants (`_load_person`, `_GRAVITY_TEXT`, `_DATE_2022_01_04`): one underscore.
_DERIVED = re.compile(r"_[^\W_]\w*")


# A method deciding a definition by one article's rules (python_parts.py): `_amnesty_measure_by_article_5`, its name
# made of the definition's identifier and the article's label in lower-case letters, digits and underscores only.
_ARTICLE_WORDS = re.compile(r"[a-z0-9_]+")


def _is_part(attr: str, definitions: set[str]) -> bool:
    head, by, article = attr.partition("_by_")
    while by:
        if head.removeprefix("_") in definitions and _ARTICLE_WORDS.fullmatch(article):
            return True
        more, by, article = article.partition("_by_")
        head = f"{head}_by_{more}"
    return False


def assert_inert(source: str, checked: ir.Checked) -> None:
    """The module defines, imports and calls nothing a harmless statute's module would not, besides the statute's
    own validated identifiers."""
    calls, defined, imports = _baseline()
    tree = ast.parse(source)
    own = _statute_names(checked)
    assert _imports(tree) <= imports, _imports(tree) - imports
    for name in _defined(tree) - defined:
        assert name.removeprefix("_") in own or _DERIVED.fullmatch(name), f"the module defines {name!r}"
        assert name not in dir(builtins), f"the module redefines the built-in {name!r}"
    definitions = {naming.name(d.ident) for d in checked.definitions}
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _called(node)
            base, _, attr = name.partition(".")
            assert (
                name in calls | EXPRESSION_CALLS
                or name.removeprefix("_") in own
                or _DERIVED.fullmatch(name)
                or (base in {"self", "evaluation"} and attr in definitions)
                or (base == "self" and attr.removeprefix("_").removesuffix("_traced") in definitions)
                or (base == "self" and _is_part(attr, definitions))
            ), f"the module calls {name}"
        if isinstance(node, ast.Name | ast.Attribute):
            ident = node.id if isinstance(node, ast.Name) else node.attr
            assert ident in {"__init__", "__slots__"} or (ident.isidentifier() and not ident.startswith("__")), ident


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run with the working directory in tmp_path, where the sentinel would appear."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


def _explanations(checked: ir.Checked, module: object, data: object) -> None:
    """Every format of the explanation of `data`, each escaping what it shows."""
    case = module.load_case(data)  # type: ignore[attr-defined]
    locale = locale_for("en")
    evaluator = GeneratedEvaluator(checked, module)  # type: ignore[arg-type]
    explanation = explain(checked, evaluator, case, locale, case_id="<b>id</b>}}{{", search=False)
    html = render(explanation, "html", locale)
    for raw in ("<script>", "<img", "<b>id</b>", "</textarea>"):
        assert raw not in html, raw
    markdown = render(explanation, "markdown", locale)
    assert "<script>" not in markdown and "<img" not in markdown
    render(explanation, "text", locale)


def test_the_hostile_statute_compiles_to_an_inert_module(in_tmp: Path) -> None:
    outcome = through_pipeline(HOSTILE_STATUTE.read_text(encoding="utf-8"), str(HOSTILE_STATUTE))
    assert outcome.stage == "compiled", [d.message for d in outcome.diagnostics]
    assert outcome.checked is not None and outcome.module is not None
    assert_inert(outcome.source, outcome.checked)
    for example in outcome.checked.examples:
        assert decide(outcome.module, example.case) in {"decided", "undecided", "conflict"}
        _explanations(outcome.checked, outcome.module, example.case)
    html = render(
        explain(
            outcome.checked,
            GeneratedEvaluator(outcome.checked, outcome.module),
            outcome.module.load_case(outcome.checked.examples[0].case),
            locale_for("en"),
        ),
        "html",
        locale_for("en"),
    )
    assert "&lt;script&gt;" in html  # the example's text value is shown, escaped
    assert not (in_tmp / SENTINEL).exists()


@fuzz_settings(30)
@given(statutes(words=PYTHON_WORDS + CYRILLIC_WORDS, texts=HOSTILE_TEXT), st.data())
def test_hostile_names_and_texts_never_become_code(statute: GeneratedStatute, data: st.DataObject) -> None:
    old = Path.cwd()
    os.chdir(Path(os.environ.get("TMPDIR", "/tmp")))
    try:
        outcome = through_pipeline(statute.text, statute.file, examples_pass=False)
        tally("3 hostile", "compiled" if outcome.stage == "compiled" else f"refused at {outcome.stage}")
        if outcome.checked is None or outcome.module is None:
            return
        assert_inert(outcome.source, outcome.checked)
        case = json_safe(data.draw(valid_cases(outcome.checked)))
        case.pop("id", None)
        if decide(outcome.module, case) != "invalid":
            _explanations(outcome.checked, outcome.module, case)
            tally("3 hostile", "explained")
        assert not Path(SENTINEL).exists()
    finally:
        os.chdir(old)
