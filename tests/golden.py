"""Compare generated text with a golden file under tests/golden/, or rewrite it with --update-golden."""

from __future__ import annotations

import difflib
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, actual: str, update: bool) -> None:
    path = GOLDEN / name
    if update or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        if not update:
            raise AssertionError(f"golden file {path} did not exist; written now, run again")
        return
    expected = path.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(path), "actual", n=2
            )
        )
        raise AssertionError(f"output differs from {path} (run pytest --update-golden to accept):\n{diff[:6000]}")
