"""The pipeline in one place: statute file -> syntax tree -> checked statute -> Python module (text or loaded).

The CLI and the tests call these; no stage reaches back into an earlier one.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
import types
from pathlib import Path

from compiler import ir
from compiler.backends.properties import property_tests_source
from compiler.backends.python import generate
from compiler.check import check
from compiler.parse import parse_file


def check_file(path: str | Path) -> ir.Checked:
    """Parse and check; raises StatuteError with every diagnostic."""
    return check(parse_file(path))


def module_source(checked: ir.Checked) -> str:
    return generate(checked)


def write_atomically(path: Path, text: str) -> None:
    """Write `text` so that an interrupted write leaves the previous file intact."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_module(checked: ir.Checked, out_dir: str | Path) -> Path:
    path = Path(out_dir) / f"{checked.module}.py"
    write_atomically(path, module_source(checked))
    return path


def write_property_tests(checked: ir.Checked, out_dir: str | Path) -> Path:
    """`DIR/test_<module>.py`: the statute's property tests (guarantees, totality, no conflict or gap, determinism)
    for pytest, beside the module `write_module` writes there."""
    path = Path(out_dir) / f"test_{checked.module}.py"
    write_atomically(path, property_tests_source(checked))
    return path


def load_module(checked: ir.Checked, source: str | None = None) -> types.ModuleType:
    """The generated module, imported from memory under a name unique to its source."""
    source = source if source is not None else module_source(checked)
    digest = hashlib.sha256(source.encode()).hexdigest()[:12]
    name = f"_statute_{checked.module}_{digest}"
    if name in sys.modules:
        return sys.modules[name]
    module = types.ModuleType(name)
    module.__file__ = f"<generated from {checked.file}>"
    sys.modules[name] = module  # dataclasses look the module up while building classes
    try:
        exec(compile(source, module.__file__, "exec"), module.__dict__)
    except BaseException:
        del sys.modules[name]
        raise
    return module
