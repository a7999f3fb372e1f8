"""All the benchmarks in one command: `python benchmarks/run.py` (add `--quick` for a smaller run).

1. Evaluation: the generated amnesty module (trace off and on) vs the same rules by hand (handwritten_amnesty.py)
   vs a tree-walking interpreter of the checked statute (tree_walker.py), on the same synthetic cases, after
   checking that all of them decide every case alike. Cases per second and ratios.
2. End to end: `statute run --workers 2` on synthetic registers of growing size: seconds, rows per second, and the
   peak memory of the parent and of the largest worker (flat when the input grows tenfold).
   2b. (`--only records`) A statute whose records get outcomes (tests/statutes/child_benefit.statute): the fast JSON
   Lines path against the row-by-row path, in turns, after checking they write the same bytes.
3. Compiler: synthetic statutes (synthetic_statute.py) of 10 to 10,000 articles: parse, check, generate and load
   time, and peak memory, each size in a fresh process.
4. Guarantees: a hook, measured only when the guarantee code exists (see bench_guarantees).
5. The parse cache (`--cache DIR`, `--only cache`, not in the default run): parse alone, without the cache, filling
   it, and again after one article was edited, best of 3, as ratios to the parse without it; with `--baseline TREE`
   (a copy of another commit's compiler/, e.g. `git archive COMMIT compiler grammar | tar -x -C TREE`) the same
   rows for that tree, interleaved with this one's, so that both see the same load.

Timings are figures for the notes (benchmarks/README.md), never asserts. Nothing here is run by the test suite.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import handwritten_amnesty as handwritten  # noqa: E402
from benchmarks.synthetic_statute import statute as synthetic_statute  # noqa: E402
from benchmarks.tree_walker import TreeWalker  # noqa: E402
from compiler.backends.python.generated import GeneratedRowDecider  # noqa: E402
from compiler.driver import build  # noqa: E402
from compiler.population import batch, batch_jsonl, batch_workers  # noqa: E402
from compiler.population.register import write_register  # noqa: E402
from compiler.population.synth import Generator, load_profile, profile_path  # noqa: E402

AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = [
        "| " + " | ".join(headers) + " |",
        "|" + "|".join("---:" if i else "---" for i in range(len(headers))) + "|",
    ]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def interleaved(repeats: int, runs: Sequence[tuple[str, Callable[[], None]]]) -> dict[str, float]:
    """The best time of each run over `repeats` rounds, the runs taking turns within a round: on a shared machine a
    burst of load then slows every contender alike instead of one of them."""
    best: dict[str, float] = {}
    for _ in range(repeats):
        for name, run in runs:
            gc.collect()
            start = time.perf_counter()
            run()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - start)
    return best


# ------------------------------------------------------------------ 1. evaluation


def bench_evaluation(n: int, repeats: int) -> str:
    checked = build.check_file(AMNESTY)
    module = build.load_module(checked)
    raw = [dict(c) for c in Generator(checked, load_profile(profile_path(AMNESTY))).cases(n, seed=1)]
    for case in raw:
        del case["id"]
    generated = [module.load_case(c) for c in raw]
    by_hand = [handwritten.load_case(c) for c in raw]
    walker = TreeWalker(checked, module)
    _check_agreement(module, walker, generated, by_hand)

    decide, trace = module.decide, module.Trace

    def run_generated() -> None:
        for case in generated:
            decide(case)

    def run_traced() -> None:
        for case in generated:
            decide(case, trace())

    def run_by_hand() -> None:
        for case in by_hand:
            handwritten.decide(case)

    def run_walker() -> None:
        for case in generated:
            walker.decide(case)

    runs = [
        ("generated module, trace off", run_generated),
        ("generated module, trace on", run_traced),
        ("hand-written Python (baseline)", run_by_hand),
        ("tree-walking interpreter", run_walker),
    ]
    seconds = interleaved(repeats, runs)
    base = seconds["hand-written Python (baseline)"]
    rows = [(name, f"{n / s:,.0f}", f"{s / n * 1e6:.2f}", f"{s / base:.2f}x") for name, s in seconds.items()]
    off = seconds["generated module, trace off"] / base
    on = seconds["generated module, trace on"] / base
    verdict = (
        f"generated / hand-written: {off:.2f}x with the trace off (goal 1.3x: {'met' if off <= 1.3 else 'MISSED'}), "
        f"{on:.2f}x with the trace on (goal 3x: {'met' if on <= 3 else 'MISSED'}); "
        f"tree walker / generated: {seconds['tree-walking interpreter'] / seconds['generated module, trace off']:.1f}x"
    )
    header = f"### 1. Evaluation: {n:,} synthetic amnesty cases (seed 1), decisions only, best of {repeats}\n\n"
    return header + table(["evaluator", "cases/s", "µs/case", "vs hand-written"], rows) + "\n\n" + verdict + "\n"


def _check_agreement(module: Any, walker: TreeWalker, generated: list[Any], by_hand: list[Any]) -> None:
    """The three evaluators must decide every case alike, or the timings compare different work."""
    for i, (case, hand_case) in enumerate(zip(generated, by_hand, strict=True)):
        decision = module.decide(case)
        measure, charges = handwritten.decide(hand_case)
        walked = walker.decide(case)
        same_hand = decision.amnesty_measure.text == measure.value and len(charges) == len(decision.charges)
        for decided, (charge_measure, sentence) in zip(decision.charges, charges, strict=False):
            same_hand &= decided.charge_measure.text == charge_measure.value and (
                (decided.new_sentence is None and sentence is None)
                or (sentence is not None and decided.new_sentence.total_days == sentence.total_days)
            )
        records = [{"charge_measure": c.charge_measure, "new_sentence": c.new_sentence} for c in decision.charges]
        same_walk = walked == {"amnesty_measure": decision.amnesty_measure, "charges": records}
        if not (same_hand and same_walk):
            raise SystemExit(f"case {i}: the evaluators disagree: {decision} / {measure, charges} / {walked}")


# ------------------------------------------------------------------ 2. end to end

_E2E_CHILD = """
import argparse, json, resource, sys, time
sys.path.insert(0, {root!r})
from compiler.commands import run
parser = argparse.ArgumentParser(); run.add_run_arguments(parser)
args = parser.parse_args({argv!r})
start = time.perf_counter()
status = run.population_run(args)
seconds = time.perf_counter() - start
# VmHWM, not ru_maxrss: ru_maxrss survives exec, so it would report the launching process's own peak.
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
children, self = resource.getrusage(resource.RUSAGE_CHILDREN), resource.getrusage(resource.RUSAGE_SELF)
figures = {{"status": status, "seconds": seconds, "parent_kb": own, "worker_kb": children.ru_maxrss}}
figures["cpu"] = children.ru_utime + children.ru_stime + self.ru_utime + self.ru_stime  # startup included
print(json.dumps(figures))
"""


def register_file(data: Path, n: int) -> Path:
    path = data / f"amnesty_{n}.jsonl"
    if not path.exists():
        checked = build.check_file(AMNESTY)
        generator = Generator(checked, load_profile(profile_path(AMNESTY)))
        start = time.perf_counter()
        write_register(path, generator.cases(n, seed=1), checked)
        print(f"  (generated {path.name} in {time.perf_counter() - start:.1f} s)", file=sys.stderr)
    return path


def bench_end_to_end(sizes: Sequence[int], workers: int, data: Path) -> str:
    """`statute run` on each register with one worker and with `workers`: wall seconds, and CPU seconds of all the
    processes together (the figure a shared machine disturbs least), with the load average before each run."""
    rows = []
    for n in sizes:
        cases = register_file(data, n)
        for count in sorted({1, workers}):
            out = data / f"results_{n}.jsonl"
            argv = [str(AMNESTY), "--cases", str(cases), "--out", str(out), "--workers", str(count)]
            child = _E2E_CHILD.format(root=str(ROOT), argv=argv)
            load = os.getloadavg()[0]
            done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            summary = next(line for line in done.stderr.splitlines() if " rows: " in line)
            rows.append(
                (
                    f"{n:,}",
                    count,
                    f"{figures['seconds']:.1f}",
                    f"{figures['cpu']:.1f}",
                    f"{n / figures['seconds']:,.0f}",
                    f"{figures['parent_kb'] / 1024:.0f}",
                    f"{figures['worker_kb'] / 1024:.0f}" if count > 1 else "-",
                    f"{load:.1f}",
                    summary.split(" in ")[0],
                )
            )
            out.unlink(missing_ok=True)
    header = f"### 2. End to end: `statute run --workers N`, JSON Lines in and out ({os.cpu_count()} cores)\n\n"
    headers = ["cases", "workers", "seconds", "CPU s", "rows/s", "parent peak MB", "worker peak MB", "load", "counts"]
    return header + table(headers, rows) + "\n\n" + row_costs(register_file(data, 100_000)) + "\n"


def row_costs(cases: Path, n: int = 20_000) -> str:
    """Where one row's CPU time goes in a worker: each stage of compiler.population.batch_workers.do_task timed on its
    own, in the CPU time of this process (steadier than the clock on a shared machine), the best of three, without the
    cyclic collector (which runs less than usual during a run: see batch_workers._fewer_collections)."""
    checked = build.check_file(AMNESTY)
    job = batch_workers.make_job(checked, "jsonl")
    module = batch_workers.module_from_source(job.module_name, job.source, job.file)
    decider = GeneratedRowDecider(module)
    stages: list[tuple[str, float]] = []

    def stage(name: str, run: Callable[[], Any]) -> Any:
        best, result = float("inf"), None
        for _ in range(3):
            gc.collect()
            gc.disable()  # the stages alone keep every row's objects, which whole chunks do not: no collections
            start = time.process_time()
            result = run()
            best = min(best, time.process_time() - start)
            gc.enable()
        stages.append((name, best))
        return result

    pieces, count = [], 0
    for piece, _ in batch_workers.tasks(cases):  # enough pieces for n rows
        assert isinstance(piece, tuple)
        pieces.append(piece)
        count += len(batch_workers.piece_rows(*piece))
        if count >= n:
            break
    n = count  # whole pieces, as workers read them

    def read() -> list[Any]:
        rows = []
        for piece in pieces:
            rows += batch_workers.piece_rows(*piece)
        return rows

    rows = stage("read a piece of the file, split it in lines", read)
    chunks = list(batch_workers.chunks(rows))
    parsed = stage(
        "json.loads (one per chunk of 1,000 lines)", lambda: [batch_jsonl.parsed_rows(c, job.types) for c in chunks]
    )
    data = [d for rows_ in parsed for _, _, d in rows_]
    loaded = stage("load_case (the generated module)", lambda: [module.load_case(d) for d in data])
    stage("decide (the generated module)", lambda: [module.decide(c) for c in loaded])
    stage("whole do_task", lambda: (read(), [batch_workers.process_chunk(decider, job, c) for c in chunks]))
    *parts, (_, whole) = stages
    rest = whole - sum(seconds for _, seconds in parts)
    stages[-1:] = [("the rest: the row loop, JSON lines out (made once per distinct decision)", rest)]
    stages.append(("whole do_task", whole))
    table_rows = [
        (name, f"{seconds / n * 1e6:.1f}", f"{100 * seconds / whole:.0f}%" if i < len(stages) - 1 else "")
        for i, (name, seconds) in enumerate(stages)
    ]
    head = f"Where a row's CPU time goes in one worker ({n:,} rows of the register, one process):\n\n"
    return head + table(["stage", "µs/row", "share"], table_rows)


# ------------------------------------------------------------------ 2b. records' outcomes

CHILD_BENEFIT = ROOT / "tests" / "statutes" / "child_benefit.statute"


def bench_record_outcomes(n: int, repeats: int, data: Path) -> str:
    """`statute run`'s work on a register of a statute whose records get outcomes (the child benefit: each child's
    eligibility and benefit), JSON Lines out, one process: the fast JSON Lines path (compiler/population/batch_jsonl.py,
    which such statutes took only since it keys the records' outcomes too) against the row-by-row path they took
    before, in turns, best of `repeats`. Both files are compared byte for byte first: the timings compare the same
    output."""

    checked = build.check_file(CHILD_BENEFIT)
    cases = data / f"child_benefit_{n}.jsonl"
    if not cases.exists():
        write_register(cases, Generator(checked).cases(n, seed=1), checked)  # no profile, as `statute synth` draws
    fast = batch_workers.make_job(checked, "jsonl")
    slow = dataclasses.replace(fast, durations=None)  # process_chunk's general path, a row at a time
    outputs = {}
    summaries = {}

    def run(name: str, job: batch_workers.Job) -> Callable[[], None]:
        def go() -> None:
            out = data / f"child_benefit_{name}.jsonl"
            summaries[name] = batch.run_file(job, cases, out, data / f"child_benefit_{name}.rejects.jsonl")
            outputs[name] = out.read_bytes()

        return go

    runs = [("row by row (before)", run("slow", slow)), ("fast JSON Lines path (now)", run("fast", fast))]
    best = interleaved(repeats, runs)
    if outputs["slow"] != outputs["fast"]:
        raise SystemExit("the two paths wrote different results: the timings would compare different work")
    counts = {(s.rows, s.decided, s.rejected) for s in summaries.values()}
    base = best["row by row (before)"]
    rows = [(name, f"{seconds:.2f}", f"{n / seconds:,.0f}", f"{seconds / base:.2f}x") for name, seconds in best.items()]
    header = (
        f"### 2b. Records' outcomes: `statute run` on {n:,} child-benefit cases (seed 1), JSON Lines out, one process, "
        f"best of {repeats}, in turns\n\n"
    )
    verdict = f"rows, decided, rejected: {sorted(counts)}; the two results files are identical byte for byte"
    return header + table(["path", "seconds", "rows/s", "vs row by row"], rows) + "\n\n" + verdict + "\n"


# ------------------------------------------------------------------ 3. compiler

_COMPILER_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from compiler.driver import build
from compiler.check.check import check
from compiler.foundation.gcpause import collector_aside
from compiler.frontend.parse import parse_file
times = {{}}
cache = None if {cache!r} is None else Path({cache!r})
with collector_aside():  # as build.check_file runs the two stages
    start = time.perf_counter(); tree = parse_file({path!r}, cache); times["parse"] = time.perf_counter() - start
    start = time.perf_counter(); checked = check(tree); times["check"] = time.perf_counter() - start
start = time.perf_counter(); source = build.module_source(checked); times["generate"] = time.perf_counter() - start
start = time.perf_counter(); build.load_module(checked, source); times["load"] = time.perf_counter() - start
times["peak_kb"] = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
times["lines"] = source.count("\\n")
print(json.dumps(times))
"""


def _compile_in_child(path: Path, timeout: float, cache: Path | None = None) -> dict[str, float] | None:
    """parse/check/generate/load seconds, peak KB and generated lines of one compile in a fresh process."""
    child = _COMPILER_CHILD.format(root=str(ROOT), path=str(path), cache=None if cache is None else str(cache))
    try:
        done = subprocess.run(
            [sys.executable, "-c", child], capture_output=True, text=True, check=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return None
    times: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return times


def _compiler_row(label: str, n: int, t: dict[str, float] | None, timeout: float) -> tuple[str, ...]:
    if t is None:
        return (label, *["-"] * 4, f"> {timeout:.0f}", "-", "-", "-")
    compile_ = t["parse"] + t["check"] + t["generate"]
    return (
        label,
        f"{t['parse']:.2f}",
        f"{t['check']:.2f}",
        f"{t['generate']:.2f}",
        f"{t['load']:.2f}",
        f"{compile_:.2f}",
        f"{1000 * compile_ / n:.2f}",
        f"{t['peak_kb'] / 1024:.0f}",
        f"{t['lines']:,}",
    )


def bench_compiler(sizes: Sequence[int], shape: str, timeout: float, data: Path, warm: bool = False) -> str:
    """Benchmark 3: compile = parse + check + generate (which includes Python's own syntax check of the module);
    load (running the module's code) is shown beside it. With `warm`, the largest statute is compiled again with
    the article cache (statute compile --cache): once to fill it, then after one article was edited."""
    rows = []
    for n in sizes:
        path = data / f"synthetic_{shape}_{n}.statute"
        path.write_text(synthetic_statute(n, shape), encoding="utf-8")
        t = _compile_in_child(path, timeout)
        rows.append(_compiler_row(f"{n:,}", n, t, timeout))
        if t is None:
            break
    if warm and rows and rows[-1][1] != "-":
        n = sizes[len(rows) - 1]
        path = data / f"synthetic_{shape}_{n}.statute"
        cache = data / f"cache_{shape}_{n}"
        shutil.rmtree(cache, ignore_errors=True)
        rows.append(_compiler_row(f"{n:,}, filling the cache", n, _compile_in_child(path, timeout, cache), timeout))
        text = path.read_text(encoding="utf-8").replace("Article 5. Scheme 5", "Article 5. Scheme five", 1)
        path.write_text(text, encoding="utf-8")
        rows.append(_compiler_row(f"{n:,}, one article edited", n, _compile_in_child(path, timeout, cache), timeout))
    header = (
        f"### 3. Compiler: synthetic statutes, shape '{shape}' (seconds; a fresh process per row; "
        "compile = parse + check + generate)\n\n"
    )
    headers = ["articles", "parse", "check", "generate", "load", "compile", "ms/article", "peak MB", "generated lines"]
    return header + table(headers, rows) + "\n"


# ------------------------------------------------------------------ 5. the parse cache

_PARSE_CHILD = """
import json, sys, time
from pathlib import Path
sys.path.insert(0, {root!r})
from compiler.foundation.gcpause import collector_aside
from compiler.frontend.parse import parse_file
parse_file({warm_up!r})  # the parser built (or its tables read) before the clock starts
cache = None if {cache!r} is None else Path({cache!r})
with collector_aside():  # as build.check_file parses
    start = time.perf_counter(); parse_file({path!r}, cache); seconds = time.perf_counter() - start
print(json.dumps(seconds))
"""


def _parse_in_child(root: Path, path: Path, warm_up: Path, cache: Path | None, env: dict[str, str]) -> float:
    child = _PARSE_CHILD.format(root=str(root), path=str(path), warm_up=str(warm_up), cache=cache and str(cache))
    done = subprocess.run([sys.executable, "-c", child], capture_output=True, text=True, check=True, env=env)
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


def bench_cache(sizes: Sequence[int], data: Path, baseline: Path | None, repeats: int = 3) -> str:
    """Benchmark 5: parse seconds (best of `repeats`, a fresh process each) without the cache, filling it (once), with
    every article cached, and with one article edited (another each time); trees interleaved round by round."""
    trees = {"this tree": ROOT} | ({f"baseline {baseline}": baseline} if baseline is not None else {})
    env = {**os.environ, "XDG_CACHE_HOME": str(data / "cache-home")}  # the cache's key: not the user's own
    warm_up = data / "synthetic_grouped_1.statute"
    warm_up.write_text(synthetic_statute(1, "grouped"), encoding="utf-8")
    rows = []
    for n in sizes:
        text = synthetic_statute(n, "grouped")
        best: dict[tuple[str, str], float] = {}  # (tree, row) -> the best seconds
        caches = {label: data / f"parse_cache_{i}_{n}" for i, label in enumerate(trees)}
        for cache in caches.values():
            shutil.rmtree(cache, ignore_errors=True)
        paths = {label: data / f"cache_bench_{i}_{n}.statute" for i, label in enumerate(trees)}

        def timed(label: str, row: str, cache: Path | None, paths: dict[str, Path] = paths, best: Any = best) -> None:
            seconds = _parse_in_child(trees[label], paths[label], warm_up, cache, env)
            best[label, row] = min(best.get((label, row), seconds), seconds)

        for label in trees:
            paths[label].write_text(text, encoding="utf-8")
            timed(label, "filling the cache", caches[label])
        for round_ in range(repeats):
            for label in trees:
                paths[label].write_text(text, encoding="utf-8")
                timed(label, "no cache", None)
                timed(label, "every article cached", caches[label])
                k = 5 + round_  # an article not edited before: its new text is not in the cache yet
                edited = text.replace(f"Article {k}. Scheme {k}", f"Article {k}. Scheme number {k}", 1)
                assert edited != text
                paths[label].write_text(edited, encoding="utf-8")
                timed(label, "one article edited", caches[label])
        for label in trees:
            cold = best[label, "no cache"]
            for row in ("no cache", "filling the cache", "every article cached", "one article edited"):
                seconds = best[label, row]
                rows.append((f"{n:,}", label, row, f"{seconds:.2f}", f"{seconds / cold:.2f}x"))
        for label in trees:
            if label != "this tree":
                for row in ("every article cached", "one article edited"):
                    ratio = best["this tree", row] / best[label, row]
                    rows.append((f"{n:,}", "this tree / baseline", row, "", f"{ratio:.2f}x"))
    header = (
        f"### 5. The parse cache: synthetic statutes, shape 'grouped', parse seconds (best of {repeats}; a fresh "
        "process each; the ratio is to the same tree's parse without the cache)\n\n"
    )
    return header + table(["articles", "tree", "parse", "seconds", "ratio"], rows) + "\n"


# ------------------------------------------------------------------ 4. guarantees


def bench_guarantees(examples: int) -> str:
    """Benchmark 4, guarantees: proof time per guarantee (compiler.prove, z3) and examples per second per guarantee
    (Hypothesis, compiler.driver.guarantee_testing.run_properties over the strategies of
    compiler/backends/python/properties.py).

    HOOK: the prover and the property tests are written by others and were not there when this was; each part is
    measured when its module is there (and z3 installed), and said to be missing otherwise.
    """
    checked = build.check_file(AMNESTY)
    proofs: dict[str, tuple[str, float]] = {}
    notes: list[str] = []
    if not (ROOT / "compiler" / "prove").is_dir() and not any((ROOT / "compiler").glob("prove*.py")):
        notes.append("proof time: not measured, the prover (compiler/prove) is not there")
    elif not _module_exists("z3"):
        notes.append("proof time: not measured, z3 is not installed (pip install z3-solver)")
    else:
        from compiler.prove import prove

        start = time.perf_counter()
        report = prove(checked)
        notes.append(
            f"whole `statute prove` run (guarantees, conflicts, gaps, dead rules): {time.perf_counter() - start:.1f} s"
        )
        proofs = {g.ident: (g.status, g.seconds) for g in report.guarantees}
    properties: dict[str, tuple[int, float, bool]] = {}
    if _module_exists("compiler.driver.guarantee_testing") and _module_exists("hypothesis"):
        from compiler.driver.guarantee_testing import run_properties

        run = run_properties(checked, build.load_module(checked), examples=examples, seed_value=0)
        properties = {r.name: (r.cases, r.seconds, r.passed) for r in run.results}
        failures = sorted({str(r.failure)[:160] for r in run.results if r.failure})
        notes += [f"a check FAILED, so its examples/s counts only until the failure: {f}" for f in failures]
    else:
        notes.append(
            "examples per second: not measured, no Hypothesis property module (compiler/driver/guarantee_testing.py) "
            "or Hypothesis is not installed"
        )
    titles = {g.ident: g.title for g in checked.guarantees}
    names = list(titles) + [name for name in properties if name not in titles]
    rows = []
    for name in names:
        status, proof = proofs.get(name, ("-", None))
        cases, seconds, passed = properties.get(name, (0, 0.0, True))
        title = titles.get(name, "(a check of every statute)")
        rows.append(
            (
                name,
                title[:60] + ("..." if len(title) > 60 else ""),
                status,
                "-" if proof is None else f"{proof:.2f}",
                f"{cases}" + ("" if passed else " (FAILED)"),
                f"{cases / seconds:,.0f}" if seconds else "-",
            )
        )
    head = (
        f"### 4. Guarantees: the amnesty, proofs for lists of up to 3 charges, {examples} Hypothesis examples "
        "per check (seed 0)\n\n"
    )
    headers = ["check", "title", "proof", "proof s", "examples", "examples/s"]
    return head + table(headers, rows) + "\n\n" + "\n".join(notes) + "\n"


def _module_exists(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


# ------------------------------------------------------------------ the command


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a minute instead of many")
    parser.add_argument(
        "--only",
        choices=["evaluation", "end-to-end", "records", "compiler", "guarantees", "cache"],
        action="append",
    )
    parser.add_argument("--baseline", type=Path, metavar="TREE", help="the cache benchmark: also this tree (a copy)")
    parser.add_argument("--data", type=Path, help="where registers are kept between runs (default: a temp folder)")
    args = parser.parse_args(argv)
    only = set(args.only or ["evaluation", "end-to-end", "records", "compiler", "guarantees"])
    data = args.data or Path(tempfile.gettempdir()) / "statute-benchmarks"
    data.mkdir(parents=True, exist_ok=True)
    quick = args.quick
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    title = f"# Benchmarks{' (quick)' if quick else ''}: Python {sys.version.split()[0]}, {os.cpu_count()} cores"
    print(f"{title}, load average at start {load}\n")
    if "evaluation" in only:
        print(bench_evaluation(20_000 if quick else 100_000, 3), flush=True)
    if "end-to-end" in only:
        print(bench_end_to_end([10_000, 100_000] if quick else [100_000, 1_000_000], 2, data), flush=True)
    if "records" in only:
        print(bench_record_outcomes(20_000 if quick else 100_000, 3, data), flush=True)
    if "compiler" in only:
        sizes = [10, 100, 1_000] if quick else [10, 100, 1_000, 10_000]
        print(bench_compiler(sizes, "grouped", 600, data, warm=True), flush=True)
        print(bench_compiler([10, 100, 300] if quick else [10, 100, 300, 1_000], "single", 600, data), flush=True)
    if "guarantees" in only:
        print(bench_guarantees(200 if quick else 1000), flush=True)
    if "cache" in only:
        print(bench_cache([1_000] if quick else [1_000, 10_000], data, args.baseline), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
