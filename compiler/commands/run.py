"""`statute run FILE --cases CASES`: every case of a case file decided and printed (a table, JSON Lines or CSV),
with `--explain DIR` an explanation of each; with `--out RESULTS`, a population run (compiler/population/batch.py)
streamed to a results file and a rejects file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from compiler.backends.python.generated import GeneratedRowDecider
from compiler.commands import explain as explaining
from compiler.commands.arguments import run_conflicts, table_file, workers
from compiler.commands.common import load_checked, style_for
from compiler.driver import build
from compiler.explain.render import ExplainError
from compiler.foundation.atomic import OutputError
from compiler.foundation.inert import json_text
from compiler.foundation.paths import check_outputs
from compiler.foundation.wording import counted
from compiler.frontend.diagnostics import visible
from compiler.interpret.engine import InterpreterRowDecider
from compiler.model import ir
from compiler.model.evaluator import RowDecider
from compiler.population import batch
from compiler.population.batch_rows import Decided, Rejected, decide_rows, read_cases
from compiler.population.casefiles import CaseFileError, csv_text, file_format
from compiler.population.results import flat_columns, flat_row, record_lists


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("run", help="decide every case of a case file (JSON Lines, CSV or Parquet)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--cases", required=True, metavar="CASES", help="a .jsonl, .csv or .parquet file of cases")
    p.add_argument("--format", choices=["table", "jsonl", "csv"], help="output format (default: table on a terminal)")
    p.add_argument(
        "--engine",
        choices=["module", "interpreter"],
        default="module",
        help="decide with the generated module (default) or the reference interpreter, to check one against the other",
    )
    add_batch_options(p)
    p.add_argument("--explain", metavar="DIR", help="also write one explanation per case, and an index, to DIR")
    p.add_argument("--explain-format", choices=["text", "markdown", "html"], help="(default html)")
    explaining.add_language_arguments(p)
    p.set_defaults(handler=cmd_run)


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """`statute run FILE --cases CASES --out RESULTS [--rejects FILE] [--workers N]` as a command of its own."""
    parser.add_argument("file", metavar="FILE", help="the statute")
    parser.add_argument("--cases", required=True, metavar="CASES", help="cases: .jsonl, .csv or .parquet")
    add_batch_options(parser, out_required=True)


def add_batch_options(parser: argparse.ArgumentParser, out_required: bool = False) -> None:
    """Only the population-run options, for a `run` command that already takes FILE and --cases: it calls
    `population_run(args)` when `args.out` is given."""
    parser.add_argument(
        "--out", type=table_file, required=out_required, metavar="RESULTS", help="results: .jsonl, .csv or .parquet"
    )
    parser.add_argument("--rejects", metavar="FILE", help="rejected rows, JSON Lines (default: RESULTS.rejects.jsonl)")
    parser.add_argument("--workers", type=workers, metavar="N", help="worker processes (default: 1)")


def check_run_paths(args: argparse.Namespace, rejects: Path | None = None) -> None:
    """`statute run`'s paths, before any work: the case file exists and is of a kind read here, and every output
    (--out, the rejects, --explain DIR) can be written without touching an input or another output."""
    if not Path(args.cases).is_file():
        raise OutputError(f"no such case file: {args.cases}")
    try:
        for path in (args.cases, getattr(args, "out", None)):
            if path:
                file_format(path)
    except CaseFileError as exc:
        raise OutputError(str(exc)) from None
    outputs = {"--out": getattr(args, "out", None), "--rejects": rejects}
    check_outputs([args.file, args.cases], outputs, units={"--explain": getattr(args, "explain", None)})


def cmd_run(args: argparse.Namespace) -> int:
    problem = _usage_problem(args)
    if problem is not None:  # before any work: an option the run would ignore is a mistake to point out
        print(f"statute: {problem[1]}", file=sys.stderr)
        return problem[0]
    if args.out:  # a population run: streamed to a results file, bad rows to a rejects file
        return population_run(args)
    check_run_paths(args)
    checked = load_checked(args.file, style_for(sys.stderr))
    module = build.load_module(checked)
    deciding: RowDecider = GeneratedRowDecider(module)
    if args.engine == "interpreter":
        deciding = InterpreterRowDecider(checked, module)
    try:  # the reference interpreter decides in the module's place, in the same loop
        results = list(decide_rows(deciding, read_cases(Path(args.cases), checked), shown=True))
    except CaseFileError as exc:  # a file that cannot be read at all (a corrupt Parquet file, a CSV header)
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    decided = [r for r in results if isinstance(r, Decided)]
    rejected = [r for r in results if isinstance(r, Rejected)]
    fmt = args.format or ("table" if sys.stdout.isatty() else "jsonl")
    _print_rows([{"id": r.case_id, **(r.shown or {})} for r in decided], fmt, sys.stdout, checked)
    if args.explain:
        try:
            language, templates = args.lang, args.templates
            written = explaining.write_explanations(
                checked, module, results, Path(args.explain), args.explain_format or "html", language, templates
            )
        except ExplainError as exc:  # the language was checked first: a template of the drafter's that fails
            print(f"statute: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {counted(len(written), 'explanation')} to {args.explain}", file=sys.stderr)
    _print_rejected(rejected)
    print(f"{counted(len(results), 'case')}: {len(decided):,} decided, {len(rejected):,} rejected", file=sys.stderr)
    return 1 if rejected else 0


def _usage_problem(args: argparse.Namespace) -> tuple[int, str] | None:
    """(exit code, why) when the options contradict each other or name an unknown language, else None."""
    conflict = run_conflicts(args)
    if conflict is not None:
        return 2, conflict
    problem = explaining.language_problem(args)  # before any result is printed
    if problem is not None:
        return problem
    if args.engine == "interpreter" and args.explain:  # an explanation reads the module's trace
        why = "an explanation reads the generated module's trace"
        return 2, f"--engine interpreter cannot explain ({why}): use it without --explain"
    return None


def population_run(args: argparse.Namespace) -> int:
    """`statute run FILE --cases CASES --out RESULTS [--rejects FILE] [--workers N]`."""
    if not getattr(args, "out", None):
        print("statute: run --out RESULTS is needed for a population run", file=sys.stderr)
        return 2
    cases, results = Path(args.cases), Path(args.out)
    rejects = Path(args.rejects) if args.rejects else batch.rejects_path(results)
    check_run_paths(args, rejects)
    checked = load_checked(args.file)
    engine = getattr(args, "engine", "module")
    try:
        summary = batch.run_population(checked, cases, results, rejects, args.workers or 1, engine)
    except CaseFileError as exc:
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    print(summary.line(), file=sys.stderr)
    print(f"results: {results}\nrejects: {rejects}", file=sys.stderr)
    return 1 if summary.rejected else 0


def _print_rejected(rejected: Sequence[Rejected]) -> None:
    for r in rejected:
        # Case data can hold terminal escape codes and line breaks: shown as visible characters, never obeyed. The
        # reason's own line breaks (one problem a line) are kept, its further lines indented under the first.
        first, *more = r.reason.split("\n")
        print(f"rejected: row {r.row} ({visible(r.case_id)}): {visible(first)}", file=sys.stderr)
        for line in more:
            print(f"  {visible(line)}", file=sys.stderr)


def _cell(value: object) -> str:
    """A table's cell: "-" for a value not decided; a record outcome's values one after another, "; " between."""
    if isinstance(value, list):
        return "; ".join(_cell(v) for v in value)
    return "-" if value is None else visible(str(value))


def _print_rows(rows: list[dict[str, Any]], fmt: str, out: TextIO, checked: ir.Checked) -> None:
    if fmt == "jsonl":
        for row in rows:
            out.write(json_text(row) + "\n")
        return
    # one row per case: a list's records' outcomes get a column each (population/results.py)
    columns, lists = flat_columns(checked), record_lists(checked)
    rows = [flat_row(row, lists) for row in rows]
    if fmt == "csv":  # as a results file holds them: formulas guarded (casefiles.csv_text)
        out.write(csv_text(rows, columns, header=True))
    else:  # a table for a terminal: a case id or value shows its control characters, it does not obey them
        table = [[c.replace("_", " ") for c in columns]]
        table += [[_cell(row.get(c)) for c in columns] for row in rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
        for i, line in enumerate(table):
            out.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() + "\n")
            if i == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
