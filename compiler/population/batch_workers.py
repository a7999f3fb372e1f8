"""Population runs in chunks, and in worker processes: what a worker needs (a Job, sent once), a chunk of rows
decided into its results and rejects (`process_chunk`, through the one loop of compiler/population/batch_rows.py, or the
fast JSON Lines path of compiler/population/batch_jsonl.py), and the pool.

With several workers, each worker reads pieces of a JSON Lines file itself (the parent only finds where pieces
start, whole lines each) and results come back in input order, at most a few pieces in flight so memory stays flat
however long the file; rows of CSV and Parquet files, read by the parent, go to the workers in chunks.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import multiprocessing
import signal
import sys
import threading
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any, Protocol

from compiler.backends.python.generated import GeneratedRowDecider
from compiler.driver import build
from compiler.foundation.inert import json_text
from compiler.model import ir
from compiler.model.evaluator import RowDecider
from compiler.model.kinds import Kind
from compiler.population.batch_jsonl import decision_key, json_line, jsonl_chunk
from compiler.population.batch_rows import Rejected, decide_rows, unwritable
from compiler.population.casefiles import FieldTypes, RawRow, case_data, file_format, read_rows, root_types, serialise
from compiler.population.results import Lists, flat_columns, flat_row, nested_columns, record_lists

CHUNK = 1000  # rows per chunk: large enough to amortise inter-process traffic, small enough to keep memory flat


class Tally(Protocol):
    """Figures gathered from each decided case (see compiler.population.report); tallies of chunks merge into one."""

    def add(self, decider: RowDecider, case: object, decision: object, trace: object) -> None: ...

    def merge(self, other: Any) -> None: ...


@dataclass(frozen=True)
class Job:
    """What a worker process needs to decide rows; sent to each worker once."""

    module_name: str  # unique to the generated source
    source: str  # the generated module's source
    file: str
    types: FieldTypes  # the root record's field types, for CSV cells
    out_format: str | None  # jsonl, csv, parquet, or None when no results are written
    columns: tuple[str, ...]
    tally: Callable[[], Tally] | None = None  # a factory, for reports
    trace: bool = False  # decide with a trace (for tallies that need the deciding rules)
    durations: tuple[str, ...] | None = None  # the outcomes that are durations; None: no fast JSON Lines path
    interpreted: ir.Checked | None = None  # decide with the reference interpreter (compiler/interpret/engine.py)
    lists: Lists = ()  # the lists whose records get outcomes: a CSV row gives them a column each (results.py)
    list_durations: Lists = ()  # of each list of `lists`, its records' outcomes that are durations (decision_key)


@dataclass
class ChunkResult:
    output: str | list[dict[str, Any]]
    rejects: list[dict[str, Any]]  # the rejects file's rows (batch_rows.Rejected.record)
    decided: int
    tally: Tally | None


def make_job(checked: ir.Checked, out_format: str | None, tally: Callable[[], Tally] | None = None) -> Job:
    source = build.module_source(checked)
    name = build.load_module(checked, source).__name__
    columns = flat_columns(checked) if out_format == "csv" else nested_columns(checked)
    durations = tuple(o for o in checked.outcomes if checked.definition(o).type.kind is Kind.DURATION)
    list_durations = tuple(
        (g.key, tuple(o.key for o in g.outcomes if checked.definition(o.definition).type.kind is Kind.DURATION))
        for g in checked.record_outcomes
    )
    types_ = root_types(checked)
    lists = record_lists(checked)
    return Job(
        name,
        source,
        checked.file,
        types_,
        out_format,
        columns,
        tally,
        tally is not None,
        durations,
        None,
        lists,
        list_durations,
    )


# ------------------------------------------------------------------ deciding a chunk


def process_chunk(decider: RowDecider, job: Job, rows: list[RawRow]) -> ChunkResult:
    """A chunk's results and rejects: through the fast JSON Lines path when the results are JSON Lines and no
    tally or trace is wanted, else a row at a time. Both decide in the one loop (batch_rows.decide_rows)."""
    if job.out_format == "jsonl" and job.tally is None and not job.trace and job.durations is not None:
        key = decision_key(job.columns, job.durations, job.lists, job.list_durations)
        text, rejected = jsonl_chunk(decider, job.module_name, rows, job.types, key)
        return ChunkResult(text, rejected, len(rows) - len(rejected), None)
    out: list[dict[str, Any]] = []
    lines: list[str] = []
    rejects: list[dict[str, Any]] = []
    tally = job.tally() if job.tally is not None else None
    jsonl = job.out_format == "jsonl"
    tails: dict[tuple[object, ...], str] = {}
    read = ((number, *case_data(number, raw, job.types)) for number, raw in rows)
    for result in decide_rows(decider, read, job.trace, shown=True):
        if isinstance(result, Rejected):
            rejects.append(result.record())
            continue
        shown = result.shown
        assert shown is not None  # shown=True: the loop rejects a decision that cannot be written
        if tally is not None:
            try:
                tally.add(decider, result.case, result.decision, result.trace)
            except Exception as exc:
                rejects.append(unwritable(result.row, result.case_id, exc).record())
                continue
        if jsonl:
            lines.append(_json_line(result.case_id, shown, tails))
        elif job.out_format is not None:
            out.append({"id": result.case_id, **shown})
    output = "".join(lines) if jsonl else serialise_rows(job, out) if job.out_format is not None else ""
    return ChunkResult(output, rejects, len(rows) - len(rejects), tally)


def serialise_rows(job: Job, rows: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    assert job.out_format is not None
    if job.out_format == "csv" and job.lists:
        rows = [flat_row(row, job.lists) for row in rows]
    return serialise(job.out_format, job.columns, rows)


def _json_line(case_id: str, decision: dict[str, object], tails: dict[tuple[object, ...], str]) -> str:
    """The same text as json.dumps({"id": ..., **decision}), at a fraction of the cost: a register has few distinct
    decisions, so each one's JSON is made once per chunk."""
    values = tuple(decision.values())
    if any(isinstance(v, list) for v in values):  # the outcomes of a list's records: not kept for reuse
        return json_line(case_id, json_text(decision)[1:])
    tail = tails.get(values)
    if tail is None:
        tail = tails[values] = json_text(decision)[1:]
    return json_line(case_id, tail)


# ------------------------------------------------------------------ the generated module in each process

_WORKER_JOB: list[tuple[Job, RowDecider]] = []  # per worker process: set once by the pool's initializer


def module_from_source(name: str, source: str, file: str) -> types.ModuleType:
    """Import generated source under `name` (the same way as build.load_module), once per process."""
    if name in sys.modules:
        return sys.modules[name]
    module = types.ModuleType(name)
    module.__file__ = f"<generated from {file}>"
    sys.modules[name] = module  # dataclasses look the module up while building classes
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def job_decider(job: Job) -> RowDecider:
    """What decides the job's rows: the generated module, or the reference interpreter in its place."""
    module = module_from_source(job.module_name, job.source, job.file)
    if job.interpreted is None:
        return GeneratedRowDecider(module)
    from compiler.interpret.engine import InterpreterRowDecider  # only a run with --engine interpreter needs it

    return InterpreterRowDecider(job.interpreted, module)


def _init_worker(job: Job) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to answer (see _interrupts_ignored)
    _WORKER_JOB[:] = [(job, job_decider(job))]
    # What the worker has so far lives as long as it: the collector need not look at it again. And a row makes a
    # few dozen objects, none kept: collecting less often saves a twentieth of the time.
    gc.freeze()
    gc.set_threshold(_YOUNG_OBJECTS, *gc.get_threshold()[1:])


_YOUNG_OBJECTS = 10_000  # the collector's first threshold during a run (Python's default: 700)


@contextlib.contextmanager
def _interrupts_ignored() -> Iterator[None]:
    """Ctrl-C ignored, while a pool starts, so that its workers inherit that. A terminal sends SIGINT to the whole
    process group: a worker that took it would die with a traceback mid-task and leave the pool unable to stop (the
    run hung). Only the parent answers it: it stops the pool, removes the partial files and exits 130."""
    if threading.current_thread() is not threading.main_thread():  # only the main thread may set handlers
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """The threshold of _init_worker while the run is in this process, then the caller's."""
    before = gc.get_threshold()
    gc.set_threshold(before[0] and max(before[0], _YOUNG_OBJECTS), *before[1:])  # 0: collecting is off
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _work(task: Task) -> list[tuple[ChunkResult, int]]:
    job, decider = _WORKER_JOB[0]
    return do_task(decider, job, task)


def chunks(rows: Iterable[RawRow], size: int | None = None) -> Iterator[list[RawRow]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, size or CHUNK)):
        yield chunk


# A worker's task: a piece of a JSON Lines file, (path, offset, length, number of its first row), which the worker
# reads itself, or rows already read (CSV, Parquet). Workers reading their own pieces leave the parent nothing to do
# but find where pieces start and write what comes back.
Task = tuple[str, int, int, int] | list[RawRow]
PIECE = 1 << 20  # bytes of a JSON Lines file in a task: about 2,600 rows of the amnesty's register


def tasks(path: Path) -> Iterator[tuple[Task, int | None]]:
    """The tasks deciding the rows of `path`, each with how far into the file it reaches (None: not known)."""
    if file_format(path) != "jsonl" or not path.is_file():  # a pipe, say, is read by the parent alone
        for chunk in chunks(read_rows(path)):
            yield chunk, None
        return
    block = bytearray(PIECE)  # read into again and again: the parent only counts lines
    with path.open("rb") as handle:
        offset, row = 0, 1
        while size := handle.readinto(block):
            end = block.rfind(b"\n", 0, size) + 1  # whole lines
            if end and size == PIECE:
                lines = block.count(b"\n", 0, end)
            else:  # a line longer than a piece, or the end of the file: on to the end of the line
                rest = handle.readline()
                end, lines = size + len(rest), block.count(b"\n", 0, size) + rest.count(b"\n")
            yield (str(path), offset, end, row), offset + end
            offset, row = offset + end, row + lines
            handle.seek(offset)


def piece_rows(path: str, offset: int, length: int, first: int) -> list[RawRow]:
    """The non-blank rows of a piece of a JSON Lines file, each with its number and its line feed, as bytes: a line
    that is not UTF-8 is refused alone (case_data)."""
    with open(path, "rb") as handle:
        handle.seek(offset)
        block = handle.read(length)
    if offset == 0 and block.startswith(b"\xef\xbb\xbf"):  # a byte-order mark, as read_rows drops it
        block = block[3:]
    if b"\r" in block:  # splitlines would end a line at a lone carriage return too
        parts = block.split(b"\n")
        last = parts.pop()
        lines = [part + b"\n" for part in parts] + ([last] if last else [])
    else:
        lines = block.splitlines(keepends=True)
    return [(number, line) for number, line in enumerate(lines, start=first) if not line.isspace()]


def do_task(decider: RowDecider, job: Job, task: Task) -> list[tuple[ChunkResult, int]]:
    """Each chunk's result and its number of rows, in order."""
    rows = task if isinstance(task, list) else piece_rows(*task)
    return [(process_chunk(decider, job, chunk), len(chunk)) for chunk in chunks(rows)]


def run_tasks(
    job: Job,
    work: Iterable[tuple[Task, int | None]],
    workers: int,
    sink: Callable[[ChunkResult, int, int | None], None],
) -> None:
    """Do every task, handing each chunk's result, its rows and how far into the file it reaches to `sink`, in
    input order."""
    if workers <= 1:
        decider = job_decider(job)
        with _fewer_collections():
            for task, reach in work:
                for result, size in do_task(decider, job, task):
                    sink(result, size, reach)
        return
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with _interrupts_ignored():  # only while the workers start: they inherit it, the parent answers Ctrl-C
        pool = context.Pool(workers, initializer=_init_worker, initargs=(job,))
    with pool:
        pending: collections.deque[tuple[Any, int | None]] = collections.deque()

        def finish_one() -> None:
            done, reach = pending.popleft()
            for result, size in done.get():
                sink(result, size, reach)

        for task, reach in work:
            pending.append((pool.apply_async(_work, (task,)), reach))
            if len(pending) >= 3 * workers:  # bounded: a fast reader must not queue the whole file
                finish_one()
        while pending:
            finish_one()
