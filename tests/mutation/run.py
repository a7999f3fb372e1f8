"""Does the suite bite? Break the code on purpose in ten places and check that a test fails for each.

    python tests/mutation/run.py                 # all ten, about ten minutes on two cores
    python tests/mutation/run.py rounding csv    # the mutations whose names contain these words
    python tests/mutation/run.py --timeout 300   # seconds each mutant's tests may take (default 600)

Each mutation is one exact edit of one source file. It is made in a temporary copy of the tree (the files git
tracks, with the working tree's changes), never in the tree itself, so an interrupted run leaves nothing broken;
the copy is removed at the end. The tests that should catch it run there (`python -m pytest -x`), with PYTHONPATH
set to the copy so that the copy's `compiler` is imported, by the tests and by every `statute` or `python -m` they
start, and not the editable install's. A mutant is caught when a test fails; it survives when all pass; a run that
exceeds the time limit counts as not caught. The table names the first test that failed.

Not run in CI: ten runs of the relevant tests take minutes. Run it after changing a test or the code it guards.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Mutation:
    name: str
    file: str  # relative to the root
    old: str  # must occur exactly once in the file
    new: str
    tests: tuple[str, ...]  # the test files that should catch it


MUTATIONS = (
    Mutation(
        "a comparison flipped in the runtime (duration less than)",
        "compiler/backends/python/runtime.py",
        "    def __lt__(self, other: Duration) -> bool:\n        return self.total_days < other.total_days",
        "    def __lt__(self, other: Duration) -> bool:\n        return self.total_days > other.total_days",
        ("tests/test_runtime.py", "tests/test_calendar.py", "tests/test_statutes.py"),
    ),
    Mutation(
        "a rounding changed (down rounds up)",
        "compiler/backends/python/runtime.py",
        '    if mode == "down":\n        return n // d',
        '    if mode == "down":\n        return -(-n // d)',
        ("tests/test_runtime.py", "tests/test_statutes.py"),
    ),
    Mutation(
        "an exception's priority dropped",
        "compiler/check/rules.py",
        "            for o in targets:\n                prevails[o.ident].add(d.ident)",
        "            for o in targets:\n                prevails[o.ident].discard(d.ident)",
        ("tests/test_check.py", "tests/test_statutes.py"),
    ),
    Mutation(
        "a trace entry lost (comparisons)",
        "compiler/backends/python/runtime_trace.py",
        '        self.log(("compare", atom, left, right, result))\n',
        "",
        ("tests/test_trace_nested.py", "tests/test_runtime.py", "tests/test_explain.py"),
    ),
    Mutation(
        "an escape removed (Markdown '[')",
        "compiler/foundation/inert.py",
        '        "[": "\\\\[",\n',
        "",
        ("tests/security/test_inert.py", "tests/security/test_inert_escapes.py"),
    ),
    Mutation(
        "the CSV formula guard removed",
        "compiler/foundation/inert.py",
        '        return "\'" + text',
        "        return text",
        ("tests/security/test_inert.py", "tests/security/test_inert_escapes.py"),
    ),
    Mutation(
        "a duration normal form step removed",
        "compiler/backends/python/runtime.py",
        "    if (months > 0 and days < 0) or (months < 0 and days > 0):  # rare: the fast path is one test\n"
        "        months, days = normal_duration(months, days)\n",
        "",
        ("tests/test_calendar.py", "tests/test_runtime.py"),
    ),
    Mutation(
        "the parse cache's signature check skipped",
        "compiler/frontend/parse_cache.py",
        "    if not hmac.compare_digest(mac, _mac(key, body).encode()):",
        "    if False:",
        ("tests/security/test_caches.py", "tests/test_parse_cache.py"),
    ),
    Mutation(
        "the atomic writer's rename replaced by a direct write",
        "compiler/foundation/atomic.py",
        "        remove_stale(path)\n        self.tmp = temp_path(path)\n        try:\n            self.handle",
        "        remove_stale(path)\n        self.tmp = path\n        try:\n            self.handle",
        ("tests/fuzz/test_atomic.py", "tests/security/test_paths.py"),
    ),
    Mutation(
        "the interpreter's comparison flipped (less than)",
        "compiler/interpret/evaluate.py",
        '        case "<":\n            return bool(a < b)',
        '        case "<":\n            return bool(a > b)',
        ("tests/test_differential.py", "tests/test_interpret_values.py"),
    ),
)


@dataclass(frozen=True)
class Result:
    mutation: Mutation
    caught_by: str  # the first failing test, or "" when none failed
    seconds: float
    timed_out: bool


def copy_tree(target: Path) -> None:
    """The files git tracks (as they are in the working tree, uncommitted edits included) and the untracked ones
    it does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def apply(tree: Path, m: Mutation) -> str:
    path = tree / m.file
    text = path.read_text(encoding="utf-8")
    count = text.count(m.old)
    if count != 1:
        raise SystemExit(f"mutants: '{m.name}' expects its text once in {m.file}, found {count}: update the script")
    path.write_text(text.replace(m.old, m.new), encoding="utf-8")
    return text


_FAILED = re.compile(r"^(?:FAILED|ERROR) (\S+)", re.MULTILINE)


def run(tree: Path, m: Mutation, timeout: float) -> Result:
    original = apply(tree, m)
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-rfE", *m.tests]
    start = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=tree, env=env, capture_output=True, text=True, timeout=timeout)
        output, status, timed_out = done.stdout + done.stderr, done.returncode, False
    except subprocess.TimeoutExpired:
        output, status, timed_out = "", 0, True
    finally:
        (tree / m.file).write_text(original, encoding="utf-8")  # restored for the next mutant
    seconds = time.perf_counter() - start
    failed = _FAILED.search(output)
    caught = failed.group(1) if failed else (f"(pytest exited {status}, no test named)" if status else "")
    return Result(m, caught, seconds, timed_out)


def check_copy_is_imported(tree: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    probe = [sys.executable, "-c", "import compiler; print(compiler.__file__)"]
    found = subprocess.run(probe, cwd=tempfile.gettempdir(), env=env, capture_output=True, text=True).stdout
    if not found.startswith(str(tree)):
        raise SystemExit(f"mutants: the copy's compiler is not the one imported ({found.strip()})")


def table(results: list[Result]) -> str:
    rows = [("mutation", "where", "caught by", "time")]
    for r in results:
        caught = r.caught_by or ("NOT CAUGHT (time limit)" if r.timed_out else "NOT CAUGHT")
        rows.append((r.mutation.name, r.mutation.file, caught, f"{r.seconds:.0f} s"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    caught = sum(1 for r in results if r.caught_by)
    return "\n".join([*lines, "", f"score: {caught}/{len(results)} mutants caught"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("words", nargs="*", help="run only the mutations whose names contain one of these words")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds each mutant's tests may take")
    args = parser.parse_args(argv)
    chosen = [m for m in MUTATIONS if not args.words or any(w in m.name for w in args.words)]
    with tempfile.TemporaryDirectory(prefix="statute-mutants-") as folder:
        tree = Path(folder)
        copy_tree(tree)
        check_copy_is_imported(tree)
        results = []
        for m in chosen:
            results.append(run(tree, m, args.timeout))
            r = results[-1]
            print(f"{m.name}: {r.caught_by or 'NOT CAUGHT'} ({r.seconds:.0f} s)", file=sys.stderr, flush=True)
    print(table(results))
    return 0 if all(r.caught_by for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
