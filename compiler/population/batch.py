"""Population runs: a whole register of cases streamed through a generated module in constant memory.

Rows are read, decided and written a chunk at a time, by one process or by a pool of workers
(compiler/population/batch_workers.py); every row is decided in the one loop of compiler/population/batch_rows.py (the
fast JSON Lines path, compiler/population/batch_jsonl.py, included). A row that cannot be decided (unreadable, an
invalid case, a conflict, an undecided outcome, an evaluator failure) goes to the rejects file with its row number, its
field and the reason, so that rows in = decided + rejected, always. The results and rejects files are written beside
their targets and moved into place only when complete. `statute run --out` (compiler/commands/run.py) prints what
`run_population` returns."""

from __future__ import annotations

import collections
import dataclasses
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from compiler.foundation.wording import counted
from compiler.model import ir
from compiler.population.batch_workers import ChunkResult, Job, Tally, make_job, run_tasks, tasks
from compiler.population.casefiles import RowWriter, arrow_schema, file_format

REJECT_COLUMNS = ("row", "id", "kind", "field", "reason")


@dataclass
class Summary:
    rows: int = 0
    decided: int = 0
    rejected: int = 0
    kinds: collections.Counter[str] = field(default_factory=collections.Counter)
    seconds: float = 0.0
    tally: Tally | None = None
    samples: list[dict[str, Any]] = field(default_factory=list)  # the first few rejects, to show

    def add(self, chunk: ChunkResult, rows: int) -> None:
        self.rows += rows
        self.decided += chunk.decided
        self.rejected += len(chunk.rejects)
        self.kinds.update(r["kind"] for r in chunk.rejects)
        self.samples.extend(chunk.rejects[: max(0, 10 - len(self.samples))])
        if chunk.tally is not None:
            if self.tally is None:
                self.tally = chunk.tally
            else:
                self.tally.merge(chunk.tally)

    def line(self) -> str:
        rate = f", {self.rows / self.seconds:,.0f} rows/s" if self.seconds > 0 else ""
        kinds = ", ".join(f"{n:,} {kind}" for kind, n in sorted(self.kinds.items()))
        rejected = f"{self.rejected:,} rejected" + (f" ({kinds})" if kinds else "")
        return f"{counted(self.rows, 'row')}: {self.decided:,} decided, {rejected} in {self.seconds:.1f} s{rate}"


class Progress:
    """A one-line progress report on a terminal; silent elsewhere."""

    def __init__(self, stream: TextIO, total_bytes: int | None) -> None:
        self.stream = stream
        self.active = hasattr(stream, "isatty") and stream.isatty()
        self.total = total_bytes
        self.start = time.perf_counter()
        self.last = 0.0

    def update(self, rows: int, fraction: float | None) -> None:
        now = time.perf_counter()
        if not self.active or now - self.last < 0.2:
            return
        self.last = now
        rate = rows / max(now - self.start, 1e-9)
        bar = ""
        if fraction is not None:
            filled = int(30 * min(fraction, 1.0))
            bar = f"[{'#' * filled}{'.' * (30 - filled)}] {fraction:4.0%}  "
        self.stream.write(f"\r{bar}{counted(rows, 'row')}  {rate:,.0f} rows/s ")
        self.stream.flush()

    def done(self) -> None:
        if self.active:
            self.stream.write("\r" + " " * 79 + "\r")
            self.stream.flush()


def rejects_path(results: Path) -> Path:
    return results.with_name(results.stem + ".rejects.jsonl")


def run_file(
    job: Job,
    cases: Path,
    results: Path | None,
    rejects: Path | None,
    workers: int = 1,
    progress: TextIO | None = None,
    schema: Any = None,
) -> Summary:
    """Decide every row of `cases`, writing results and rejects atomically; return the counts (and any tally)."""
    summary = Summary()
    size = cases.stat().st_size if file_format(cases) == "jsonl" else None
    bar = Progress(progress or sys.stderr, size) if progress is not None else None
    start = time.perf_counter()
    out = RowWriter(results, job.columns, schema) if results is not None else None
    bad = RowWriter(rejects, REJECT_COLUMNS) if rejects is not None else None
    try:

        def sink(chunk: ChunkResult, rows: int, reach: int | None) -> None:
            summary.add(chunk, rows)
            if out is not None:
                out.write(chunk.output)
            if bad is not None and chunk.rejects:
                bad.write(bad.serialise(chunk.rejects))
            if bar is not None:
                bar.update(summary.rows, reach / size if size and reach is not None else None)

        run_tasks(job, tasks(cases), workers, sink)
    except BaseException as exc:
        for writer in (out, bad):
            if writer is not None:
                writer.__exit__(type(exc), exc, exc.__traceback__)
        raise
    finally:
        if bar is not None:
            bar.done()
    finishing = [writer for writer in (out, bad) if writer is not None]
    for i, writer in enumerate(finishing):
        try:
            writer.__exit__(None, None, None)
        except BaseException as exc:  # a full disk at the end: the other file's temporary file goes too
            for rest in finishing[i + 1 :]:
                rest.__exit__(type(exc), exc, exc.__traceback__)
            raise
    summary.seconds = time.perf_counter() - start
    return summary


def run_population(
    checked: ir.Checked, cases: Path, results: Path, rejects: Path, workers: int = 1, engine: str = "module"
) -> Summary:
    """`statute run --out`: every row of `cases` decided by the generated module (or the reference interpreter, for
    `engine="interpreter"`), results and rejects written; raises CaseFileError for a file that cannot be used."""
    fmt = file_format(results)
    schema = _results_schema(checked) if fmt == "parquet" else None
    job = make_job(checked, fmt)
    if engine == "interpreter":  # no fast JSON Lines path: it reads the module's values
        job = dataclasses.replace(job, interpreted=checked, durations=None)
    return run_file(job, cases, results, rejects, workers, sys.stderr, schema)


def _results_schema(checked: ir.Checked) -> Any:
    columns = {"id": ir.TEXT} | {d: checked.definition(d).type for d in checked.outcomes}
    records = {
        g.key: ({"id": ir.TEXT} if checked.takes_id(g.record) else {})
        | {o.key: checked.definition(o.definition).type for o in g.outcomes}
        for g in checked.record_outcomes
    }
    return arrow_schema(checked, columns, records)
