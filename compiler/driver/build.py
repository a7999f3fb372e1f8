"""The pipeline in one place: statute file -> syntax tree -> checked statute -> Python module (text or loaded).

The CLI and the tests call these; no stage reaches back into an earlier one.
"""

from __future__ import annotations

import hashlib
import sys
import types
from pathlib import Path

from compiler.backends.python.properties import property_tests_source
from compiler.backends.python.python import generate, generate_code
from compiler.check.check import check
from compiler.foundation.atomic import AtomicGroup, write_file
from compiler.foundation.gcpause import collector_aside
from compiler.frontend.diagnostics import Diagnostic, StatuteError, error
from compiler.frontend.parse import parse_file
from compiler.frontend.syntax import Statute
from compiler.interpret.read import read_case
from compiler.interpret.requirements import broken_requirements
from compiler.model import ir


def check_file(path: str | Path, cache_dir: Path | None = None) -> ir.Checked:
    """Parse and check; raises StatuteError with every diagnostic. With `cache_dir`, each article's parse is kept
    there and reused while its text is unchanged (compiler/frontend/parse_cache.py)."""
    with collector_aside():  # one pause across both stages: no full collection of the syntax tree between them
        return check_statute(parse_file(path, cache_dir))


def check_statute(statute: Statute) -> ir.Checked:
    """Check a parsed statute, then its examples against its requirements; raises StatuteError with every
    diagnostic. The second step runs the reference interpreter on the checked model, which is why it is here and
    not in the checker (compiler/check/check.py), a layer below the interpreter."""
    checked = check(statute)
    refused = refused_examples(checked)  # an example of a case the statute's requirements rule out
    if refused:
        raise StatuteError(sorted([*checked.warnings, *refused], key=lambda d: (d.span.start, d.message)))
    return checked


def refused_examples(checked: ir.Checked) -> list[Diagnostic]:
    """An error at each example whose facts break a requirement: an example of a case the statute rules out is a
    drafting error. Checked by the reference interpreter, which needs nothing generated."""
    out = []
    for example in checked.examples if checked.requirements else ():
        for problem in broken_requirements(checked, read_case(checked, example.case)):
            out.append(
                error(
                    f"the example's facts are refused: {problem}",
                    example.span,
                    "an example is a case the statute can receive: change its facts, or the requirement",
                )
            )
    return out


# The code the syntax check compiled from the source `module_source` last returned, for `load_module` to run
# instead of compiling the same source again (6.5 s of 10,000 articles). One entry, taken by the load.
_compiled: list[tuple[str, types.CodeType]] = []


def module_source(checked: ir.Checked) -> str:
    with collector_aside():
        source, code = generate_code(checked, _module_file(checked))
    _compiled[:] = [(source, code)]
    return source


def _module_file(checked: ir.Checked) -> str:
    """The generated module's `__file__` (and its code's file name) when it is loaded from memory."""
    return f"<generated from {checked.file}>"


def _code(source: str, filename: str) -> types.CodeType:
    """The code of `source`: the one its syntax check compiled when `module_source` wrote it last, else compiled."""
    kept = _compiled.pop() if _compiled else None
    if kept is not None and (kept[0] is source or kept[0] == source) and kept[1].co_filename == filename:
        return kept[1]
    return compile(source, filename, "exec")


def write_atomically(path: Path, text: str) -> None:
    """Write `text` so that an interrupted write leaves the previous file intact (compiler/foundation/atomic.py)."""
    write_file(path, text)


def write_module(checked: ir.Checked, out_dir: str | Path) -> Path:
    path = Path(out_dir) / f"{checked.module}.py"
    with collector_aside():
        source = generate(checked)
    write_atomically(path, source)
    return path


def write_property_tests(checked: ir.Checked, out_dir: str | Path) -> Path:
    """`DIR/test_<module>.py`: the statute's property tests (guarantees, totality, no conflict or gap, determinism)
    for pytest, beside the module `write_module` writes there."""
    path = Path(out_dir) / f"test_{checked.module}.py"
    write_atomically(path, property_tests_source(checked))
    return path


def write_module_and_tests(checked: ir.Checked, out_dir: str | Path) -> tuple[Path, Path]:
    """`statute compile`: the module and its property tests (as `write_module` and `write_property_tests`), both
    written or neither, so that the tests beside a module are always its own."""
    module, tests = Path(out_dir) / f"{checked.module}.py", Path(out_dir) / f"test_{checked.module}.py"
    with collector_aside():
        module_text = generate(checked)
    tests_text = property_tests_source(checked)
    with AtomicGroup() as files:
        files.write(module, module_text)
        files.write(tests, tests_text)
    return module, tests


def load_module(checked: ir.Checked, source: str | None = None) -> types.ModuleType:
    """The generated module, imported from memory under a name unique to its source."""
    source = source if source is not None else module_source(checked)
    digest = hashlib.sha256(source.encode()).hexdigest()[:12]
    name = f"_statute_{checked.module}_{digest}"
    if name in sys.modules:
        _compiled.clear()
        return sys.modules[name]
    module = types.ModuleType(name)
    module.__file__ = _module_file(checked)
    code = _code(source, module.__file__)
    sys.modules[name] = module  # dataclasses look the module up while building classes
    try:
        with collector_aside():
            exec(code, module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module
