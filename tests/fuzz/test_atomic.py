"""Suite 5: determinism and atomicity.

The same statute compiled in processes with different PYTHONHASHSEED gives byte-identical modules (the flagships,
every statute of the corpus, and generated ones). A compile or a population run killed part way (SIGKILL, so no
clean-up runs) leaves the previous output file intact: the final name only ever holds a whole file.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, seed, settings

from compiler.driver import build
from fuzz.statutes import statutes
from fuzz.support import CORPUS, ROOT, STATUTE_FILES, tally

COMPILE_ALL = """
import sys
from pathlib import Path
from compiler.driver import build
from compiler.frontend.diagnostics import StatuteError
out = Path(sys.argv[1])
for path in sys.argv[2:]:
    try:
        checked = build.check_file(path)
    except StatuteError:
        continue
    (out / (Path(path).stem + ".py")).write_text(build.module_source(checked), encoding="utf-8")
"""


def _compile_all(paths: list[Path], out: Path, hash_seed: str) -> dict[str, bytes]:
    out.mkdir()
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, "-c", COMPILE_ALL, str(out), *map(str, paths)], check=True, env=env, cwd=ROOT, timeout=300
    )
    return {p.name: p.read_bytes() for p in sorted(out.iterdir())}


def _generated(folder: Path, count: int) -> list[Path]:
    """`count` statutes from the typed generator, the same ones every run."""
    texts: list[str] = []

    @seed(20261125)
    @settings(max_examples=count, database=None, deadline=None)
    @given(statutes())
    def collect(statute: object) -> None:
        if len(texts) < count:
            texts.append(statute.text)  # type: ignore[attr-defined]

    collect()
    paths = []
    for i, text in enumerate(texts):
        path = folder / f"generated_{i}.statute"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_compiling_in_processes_with_different_hash_seeds_gives_the_same_bytes(tmp_path: Path) -> None:
    paths = [*STATUTE_FILES, *sorted(CORPUS.glob("*.statute")), *_generated(tmp_path, 12)]
    first = _compile_all(paths, tmp_path / "seed-1", "1")
    second = _compile_all(paths, tmp_path / "seed-2", "987654")
    assert len(first) >= 15
    assert first.keys() == second.keys()
    for name in first:
        assert first[name] == second[name], f"{name} differs between hash seeds"
    tally("5 determinism", "modules compared", len(first))


# ------------------------------------------------------------------ atomicity


def _big_statute(articles: int) -> str:
    vocabulary = (ROOT / "tests" / "fuzz" / "corpus" / "many_articles_vocabulary.statute").read_text(encoding="utf-8")
    body = "".join(
        f"Article {i}. Release number {i}\n\n> Text {i}.\n\nRule: the measure is released if the age is at least "
        f"{i % 80 + 14} and the role is civilian.\n\n"
        for i in range(1, articles + 1)
    )
    return vocabulary + body


def _kill_when(process: subprocess.Popen[bytes], ready: object, limit: float = 120.0) -> bool:
    """SIGKILL `process` as soon as `ready()` holds; False if it finished first."""
    start = time.monotonic()
    while process.poll() is None and time.monotonic() - start < limit:
        if ready():  # type: ignore[operator]
            process.send_signal(signal.SIGKILL)
            process.wait()
            return True
        time.sleep(0.0005)
    process.wait()
    return False


def _temporary(folder: Path, name: str) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(f".{name}.")]


def test_a_compile_killed_while_checking_leaves_the_previous_module_intact(tmp_path: Path) -> None:
    statute, out = tmp_path / "law.statute", tmp_path / "build"
    statute.write_text(_big_statute(3), encoding="utf-8")
    cli = [sys.executable, "-m", "compiler.commands.cli", "compile", str(statute), "-o", str(out)]
    subprocess.run(cli, check=True, cwd=ROOT, capture_output=True, timeout=120)
    previous = (out / "law.py").read_bytes()
    statute.write_text(_big_statute(1500), encoding="utf-8")
    process = subprocess.Popen(cli, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    started = time.monotonic()
    assert _kill_when(process, lambda: time.monotonic() - started > 0.8), "the compile finished first"
    assert (out / "law.py").read_bytes() == previous
    tally("5 atomicity", "compiles killed while checking")


def test_a_compile_killed_while_writing_leaves_the_previous_module_intact(tmp_path: Path) -> None:
    """Killed as soon as its temporary file appears: the final name holds the previous module, or (when the kill
    came after the move) the whole new one, never a part; at least once the kill must land mid-write, which shows
    as the temporary file SIGKILL left behind."""
    statute, out = tmp_path / "law.statute", tmp_path / "build"
    cli = [sys.executable, "-m", "compiler.commands.cli", "compile", str(statute), "-o", str(out)]
    statute.write_text(_big_statute(2500), encoding="utf-8")
    whole = build.module_source(build.check_file(statute)).encode()
    for attempt in range(1, 6):
        statute.write_text(_big_statute(3), encoding="utf-8")
        subprocess.run(cli, check=True, cwd=ROOT, capture_output=True, timeout=120)
        previous = (out / "law.py").read_bytes()
        for leftover in _temporary(out, "law.py"):
            leftover.unlink()
        statute.write_text(_big_statute(2500), encoding="utf-8")
        process = subprocess.Popen(cli, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _kill_when(process, lambda: bool(_temporary(out, "law.py")))
        final = (out / "law.py").read_bytes()
        assert final in (previous, whole), "the final name holds a part of a module"
        if final == previous and _temporary(out, "law.py"):
            tally("5 atomicity", "compiles killed while writing")
            tally("5 atomicity", "attempts to kill a compile while writing", attempt)
            return
    pytest.fail("no kill landed while the module was being written")


def test_a_killed_statute_run_leaves_the_previous_results_intact(tmp_path: Path) -> None:
    statute = ROOT / "statutes" / "kz_amnesty_2022.statute"
    rows = (ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases, results = tmp_path / "cases.jsonl", tmp_path / "results.jsonl"
    cases.write_text("\n".join(rows[:5]) + "\n", encoding="utf-8")
    run = [
        sys.executable,
        "-m",
        "compiler.commands.cli",
        "run",
        str(statute),
        "--cases",
        str(cases),
        "--out",
        str(results),
    ]
    subprocess.run(run, cwd=ROOT, capture_output=True, timeout=120)
    previous = results.read_bytes()
    assert previous.count(b"\n") == 5
    cases.write_text("\n".join(rows * 400) + "\n", encoding="utf-8")  # 60,000 rows: seconds of work
    process = subprocess.Popen(run, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed = _kill_when(process, lambda: any(p.name.startswith(".results.jsonl.") for p in tmp_path.iterdir()))
    assert killed, "the run finished before it could be killed"
    assert results.read_bytes() == previous
    tally("5 atomicity", "population runs killed while writing")
