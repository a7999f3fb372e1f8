"""Population runs: a whole register of cases streamed through a generated module in constant memory.

Rows are read, decided and written a chunk at a time; with several workers, each worker reads pieces of a JSON Lines
file itself (the parent only finds where pieces start, whole lines each) and results come back in input order, at
most a few pieces in flight so memory stays flat however long the file; rows of CSV and Parquet files, read by the
parent, go to the workers in chunks. A row that cannot
be decided (unreadable, an invalid case, a conflict, an undecided outcome, an evaluator failure) goes to the rejects
file with its row number, its field and the reason, so that rows in = decided + rejected, always. The results and
rejects files are written beside their targets and moved into place only when complete.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import dataclasses
import gc
import multiprocessing
import operator
import signal
import sys
import threading
import time
import types
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Final, Protocol, TextIO

from compiler import build, ir
from compiler.arguments import table_file, workers
from compiler.casefiles import (
    CaseFileError,
    FieldTypes,
    RawRow,
    RowWriter,
    arrow_schema,
    case_data,
    file_format,
    json_object_loads,
    json_text,
    read_rows,
    root_types,
    serialise,
    split_id,
)
from compiler.diagnostics import StatuteError, Style, render_all, visible
from compiler.kinds import Kind
from compiler.paths import check_run_paths
from compiler.runner import Decided
from compiler.wording import counted

CHUNK = 1000  # rows per chunk: large enough to amortise inter-process traffic, small enough to keep memory flat
REJECT_COLUMNS = ("row", "id", "kind", "field", "reason")


class Tally(Protocol):
    """Figures gathered from each decided case (see compiler.report); tallies of chunks merge into one."""

    def add(self, module: types.ModuleType, case: Any, decision: Any, trace: Any) -> None: ...

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
    durations: tuple[str, ...] | None = None  # the outcomes that are durations; None: not known
    interpreted: ir.Checked | None = None  # decide with the reference interpreter (compiler/interpret/engine.py)


@dataclass
class ChunkResult:
    output: str | list[dict[str, Any]]
    rejects: list[dict[str, Any]]
    decided: int
    tally: Tally | None


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


# ------------------------------------------------------------------ deciding one row


def reject(row: int, case_id: str, kind: str, where: str | None, reason: str) -> dict[str, Any]:
    return {"row": row, "id": case_id, "kind": kind, "field": where, "reason": reason}


def decide_row(
    module: types.ModuleType, row: int, raw: str | bytes | dict[str, Any], types_: FieldTypes, trace: bool = False
) -> Decided | dict[str, Any]:
    """The decision for one raw row, or its reject record. Never raises for a bad row."""
    case_id, data = case_data(row, raw, types_)
    return decide_data(module, row, case_id, data, trace)


def decide_data(
    module: types.ModuleType, row: int, case_id: str, data: dict[str, Any] | str, trace: bool = False
) -> Decided | dict[str, Any]:
    """decide_row, once the row is read (`data` is the case, or why the row cannot be read)."""
    if isinstance(data, str):  # why the row cannot be read, with the field at fault when one is
        return reject(row, case_id, "unreadable", getattr(data, "field", None), str(data))
    try:
        case = module.load_case(data)
    except module.CaseError as exc:
        problems = list(getattr(exc, "problems", ()))
        if not problems:
            return reject(row, case_id, "invalid", None, str(exc))
        first = problems[0]
        where = f"{first.path}.{first.field}" if first.field else first.path
        reason = first.reason if len(problems) == 1 else "; ".join(str(p) for p in problems)
        return reject(row, case_id, "invalid", where, reason)
    recorder = module.Trace() if trace else None
    try:
        decision = module.decide(case, recorder)
    except module.ConflictError as exc:
        return reject(row, case_id, "conflict", str(exc.definition), str(exc))
    except module.UndecidedError as exc:
        return reject(row, case_id, "undecided", str(exc.definition), str(exc))
    except Exception as exc:  # an evaluator failure must not stop the run nor lose the row
        return reject(row, case_id, "error", None, f"the evaluator failed: {type(exc).__name__}: {exc}")
    return Decided(row, case_id, case, decision, recorder)


def unwritable(row: int, case_id: str, exc: Exception) -> dict[str, Any]:
    """The reject of a row decided but whose decision cannot be written (or tallied)."""
    return reject(row, case_id, "error", None, f"the decision cannot be written: {type(exc).__name__}: {exc}")


def process_chunk(module: types.ModuleType, job: Job, rows: list[RawRow]) -> ChunkResult:
    if job.out_format == "jsonl" and job.tally is None and not job.trace and job.durations is not None:
        return _jsonl_chunk(module, job, rows)
    out: list[dict[str, Any]] = []
    lines: list[str] = []
    rejects: list[dict[str, Any]] = []
    tally = job.tally() if job.tally is not None else None
    as_dict = module.decision_as_dict
    jsonl = job.out_format == "jsonl"
    tails: dict[tuple[object, ...], str] = {}
    for number, raw in rows:
        result = decide_row(module, number, raw, job.types, job.trace)
        if isinstance(result, dict):
            rejects.append(result)
            continue
        try:  # writing the decision is part of deciding the row: a number too long to write rejects this row only
            shown = as_dict(result.decision)
            if tally is not None:
                tally.add(module, result.case, result.decision, result.trace)
        except Exception as exc:
            rejects.append(unwritable(number, result.case_id, exc))
            continue
        if jsonl:
            lines.append(_json_line(result.case_id, shown, tails))
        elif job.out_format is not None:
            out.append({"id": result.case_id, **shown})
    output = "".join(lines) if jsonl else serialise_rows(job, out) if job.out_format is not None else ""
    return ChunkResult(output, rejects, len(rows) - len(rejects), tally)


def _jsonl_chunk(module: types.ModuleType, job: Job, rows: list[RawRow]) -> ChunkResult:
    """process_chunk for JSON Lines out, the usual run, at a fraction of the cost: the chunk's lines parsed at once,
    and each distinct decision's JSON made once. A row that does not go plainly goes through decide_data, so its
    reject is the very same."""
    lines: list[str] = []
    rejects: list[dict[str, Any]] = []
    load, decide, key = module.load_case, module.decide, _decision_key(job)
    if job.module_name not in _TAILS and len(_TAILS) >= 8:  # a process running many statutes (tests)
        _TAILS.clear()
    tails = _TAILS.setdefault(job.module_name, {})
    if len(tails) > 4096:  # a register of many distinct decisions: memory stays flat
        tails.clear()
    for number, case_id, data in _parsed_rows(rows, job.types):
        try:
            if isinstance(data, str):
                raise _NotPlain
            decision = decide(load(data))
        except Exception:  # an unreadable or invalid row, a conflict, a gap, an evaluator failure
            result = decide_data(module, number, case_id, data)
            if isinstance(result, dict):
                rejects.append(result)
                continue
            decision = result.decision
        values = key(decision)
        tail = tails.get(values)
        if tail is None:
            try:
                tail = tails[values] = json_text(module.decision_as_dict(decision))[1:]
            except Exception as exc:  # a number too long to write: this row only
                rejects.append(unwritable(number, case_id, exc))
                continue
        if case_id.isascii() and case_id.isprintable() and '"' not in case_id and "\\" not in case_id:
            lines.append('{"id": "' + case_id + '", ' + tail + "\n")
        else:
            lines.append('{"id": ' + json_text(case_id) + ", " + tail + "\n")
    return ChunkResult("".join(lines), rejects, len(rows) - len(rejects), None)


class _NotPlain(Exception):
    """A row that _jsonl_chunk leaves to decide_data."""


_MISSING: Final = object()


# Per generated module, in each process: the JSON of each distinct decision (after its "{"), by _decision_key.
_TAILS: dict[str, dict[object, str]] = {}


def _decision_key(job: Job) -> Callable[[Any], object]:
    """What tells decisions apart as JSON shows them: the outcomes' values, but a duration's months and days, since
    "1 year" == "360 days" (durations compare by their days) but they are not shown alike. Plain values only, which
    hash without a Python call."""
    durations = job.durations or ()
    others = [name for name in job.columns[1:] if name not in durations]
    plain: Callable[[Any], object] = operator.attrgetter(*others) if others else lambda decision: None
    if not durations:
        return plain
    timed: Callable[[Any], Any] = operator.attrgetter(*durations)
    if len(durations) == 1:

        def key(decision: Any) -> object:
            value = timed(decision)
            return plain(decision), None if value is None else (value.months, value.days)

        return key

    def keys(decision: Any) -> object:
        return plain(decision), tuple(None if v is None else (v.months, v.days) for v in timed(decision))

    return keys


# Between the lines of a chunk parsed as one JSON array: a text that a line holding neither it nor a \u escape cannot
# make (no other escape makes its letters), so that each one found in the array is one put there.
_SEPARATOR_TEXT: Final = "statute-batch-separator"
_SEPARATOR_BYTES: Final = _SEPARATOR_TEXT.encode()
_SEPARATOR: Final = b',"' + _SEPARATOR_BYTES + b'",'


def _parsed_rows(rows: list[RawRow], types_: FieldTypes) -> list[tuple[int, str, dict[str, Any] | str]]:
    """(row, case id, the case or why the row cannot be read): what case_data gives for each row.

    A chunk's JSON lines are parsed by one json.loads, as one array with a separator between the lines: a third
    faster than a call per line (keys are made once, not per line). The array stands for the lines only when it
    holds a value, the separator, a value, ... with every separator in its place: when each line holds exactly one
    JSON value. Else each line is read alone, and so is a line holding a \\u escape (case_data checks what it
    makes).
    """
    values = _parse_lines([raw for _, raw in rows])
    if values is None:
        plain = [i for i, (_, raw) in enumerate(rows) if isinstance(raw, bytes) and b"\\u" not in raw]
        found = dict(zip(plain, _parse_lines([rows[i][1] for i in plain]) or [], strict=False))
        values = [found.get(i, _MISSING) for i in range(len(rows))]
    out: list[tuple[int, str, dict[str, Any] | str]] = []
    for (number, raw), data in zip(rows, values, strict=True):
        if type(data) is dict:
            case_id = data.get("id")
            if type(case_id) is str:  # the usual id: no call
                del data["id"]
                out.append((number, case_id, data))
            else:
                out.append((number, *split_id(number, data)))
        elif data is _MISSING:
            out.append((number, *case_data(number, raw, types_)))
        else:
            out.append((number, f"row {number}", "not a JSON object"))
    return out


def _parse_lines(lines: list[Any]) -> list[Any] | None:
    """The JSON value of each line, or None unless they are all lines of bytes read alike by one json.loads."""
    try:
        blob = _SEPARATOR.join(lines)  # TypeError unless every row is a line of bytes
    except TypeError:
        return None
    if not lines or b"\\u" in blob or blob.count(_SEPARATOR_BYTES) != len(lines) - 1:
        return None
    try:
        parsed = json_object_loads((b"[" + blob + b"]").decode("utf-8"))  # an object giving a key twice: ValueError
    except (ValueError, RecursionError):  # a line that is not UTF-8 or not JSON: each is read alone
        return None
    if len(parsed) != 2 * len(lines) - 1 or parsed[1::2].count(_SEPARATOR_TEXT) != len(lines) - 1:
        return None
    return parsed[::2]  # type: ignore[no-any-return]


def serialise_rows(job: Job, rows: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    assert job.out_format is not None
    return serialise(job.out_format, job.columns, rows)


def _json_line(case_id: str, decision: dict[str, object], tails: dict[tuple[object, ...], str]) -> str:
    """The same text as json.dumps({"id": ..., **decision}), at a fraction of the cost: a register has few distinct
    decisions, so each one's JSON is made once per chunk."""
    values = tuple(decision.values())
    tail = tails.get(values)
    if tail is None:
        tail = tails[values] = json_text(decision)[1:]
    if case_id.isascii() and case_id.isprintable() and '"' not in case_id and "\\" not in case_id:
        return '{"id": "' + case_id + '", ' + tail + "\n"
    return '{"id": ' + json_text(case_id) + ", " + tail + "\n"


# ------------------------------------------------------------------ the generated module in each process

_WORKER_JOB: list[tuple[Job, types.ModuleType]] = []  # per worker process: set once by the pool's initializer


def module_from_source(name: str, source: str, file: str) -> types.ModuleType:
    """Import generated source under `name` (the same way as build.load_module), once per process."""
    if name in sys.modules:
        return sys.modules[name]
    module = types.ModuleType(name)
    module.__file__ = f"<generated from {file}>"
    sys.modules[name] = module  # dataclasses look the module up while building classes
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def job_module(job: Job) -> types.ModuleType:
    """What decides the job's rows: the generated module, or the reference interpreter in its place."""
    module = module_from_source(job.module_name, job.source, job.file)
    if job.interpreted is None:
        return module
    from compiler.interpret.engine import as_module  # only a run with --engine interpreter needs it

    return as_module(job.interpreted, module)


def _init_worker(job: Job) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to answer (see _interrupts_ignored)
    _WORKER_JOB[:] = [(job, job_module(job))]
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
    job, module = _WORKER_JOB[0]
    return do_task(module, job, task)


def make_job(checked: ir.Checked, out_format: str | None, tally: Callable[[], Tally] | None = None) -> Job:
    source = build.module_source(checked)
    name = build.load_module(checked, source).__name__
    columns = ("id", *checked.outcomes)
    durations = tuple(o for o in checked.outcomes if checked.definition(o).type.kind is Kind.DURATION)
    types_ = root_types(checked)
    return Job(name, source, checked.file, types_, out_format, columns, tally, tally is not None, durations)


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


def do_task(module: types.ModuleType, job: Job, task: Task) -> list[tuple[ChunkResult, int]]:
    """Each chunk's result and its number of rows, in order."""
    rows = task if isinstance(task, list) else piece_rows(*task)
    return [(process_chunk(module, job, chunk), len(chunk)) for chunk in chunks(rows)]


def run_tasks(
    job: Job,
    work: Iterable[tuple[Task, int | None]],
    workers: int,
    sink: Callable[[ChunkResult, int, int | None], None],
) -> None:
    """Do every task, handing each chunk's result, its rows and how far into the file it reaches to `sink`, in
    input order."""
    if workers <= 1:
        module = job_module(job)
        with _fewer_collections():
            for task, reach in work:
                for result, size in do_task(module, job, task):
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


# ------------------------------------------------------------------ a whole run


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


# ------------------------------------------------------------------ the command


def load_checked(
    path: str, style: Style | None = None, cache_dir: Path | None = None, errors_only: bool = False
) -> ir.Checked:
    """Parse and check a statute, printing diagnostics (`errors_only`: not its warnings); SystemExit(1) on errors.
    Every command loads through here."""
    file = Path(path)
    if not file.is_file():
        print(f"statute: no such statute file: {visible(path)}", file=sys.stderr)
        raise SystemExit(1)
    try:
        return build.check_file(file, cache_dir)
    except StatuteError as exc:
        source = file.read_text(encoding="utf-8", errors="replace")
        shown = [d for d in exc.diagnostics if d.is_error or not errors_only]
        print(render_all(shown, source, style or Style()), file=sys.stderr)
        errors = sum(1 for d in exc.diagnostics if d.is_error)
        print(f"\n{visible(path)}: {counted(errors, 'error')}", file=sys.stderr)
        raise SystemExit(1) from None


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """`statute run FILE --cases CASES --out RESULTS [--rejects FILE] [--workers N]` as a command of its own."""
    parser.add_argument("file", metavar="FILE", help="the statute")
    parser.add_argument("--cases", required=True, metavar="CASES", help="cases: .jsonl, .csv or .parquet")
    add_batch_options(parser, out_required=True)


def add_batch_options(parser: argparse.ArgumentParser, out_required: bool = False) -> None:
    """Only the population-run options, for an existing `run` command that already takes FILE and --cases: it
    calls `run_command(args)` when `args.out` is given."""
    parser.add_argument(
        "--out", type=table_file, required=out_required, metavar="RESULTS", help="results: .jsonl, .csv or .parquet"
    )
    parser.add_argument("--rejects", metavar="FILE", help="rejected rows, JSON Lines (default: RESULTS.rejects.jsonl)")
    parser.add_argument("--workers", type=workers, metavar="N", help="worker processes (default: 1)")


def run_command(args: argparse.Namespace) -> int:
    """`statute run FILE --cases CASES --out RESULTS [--rejects FILE] [--workers N]`."""
    if not getattr(args, "out", None):
        print("statute: run --out RESULTS is needed for a population run", file=sys.stderr)
        return 2
    cases, results = Path(args.cases), Path(args.out)
    rejects = Path(args.rejects) if args.rejects else rejects_path(results)
    check_run_paths(args, rejects)
    checked = load_checked(args.file)
    try:
        fmt = file_format(results)
        schema = None
        if fmt == "parquet":
            schema = _results_schema(checked)
        job = make_job(checked, fmt)
        if getattr(args, "engine", "module") == "interpreter":  # no fast JSON Lines path: it reads the module's values
            job = dataclasses.replace(job, interpreted=checked, durations=None)
        summary = run_file(job, cases, results, rejects, args.workers or 1, sys.stderr, schema)
    except CaseFileError as exc:
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    print(summary.line(), file=sys.stderr)
    print(f"results: {results}\nrejects: {rejects}", file=sys.stderr)
    return 1 if summary.rejected else 0


def _results_schema(checked: ir.Checked) -> Any:
    columns = {"id": ir.TEXT} | {d: checked.definition(d).type for d in checked.outcomes}
    return arrow_schema(checked, columns)
