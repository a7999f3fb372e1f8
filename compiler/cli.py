"""The `statute` command: argument parsing and printing only; the work is done by the pipeline modules.

Exit codes: 0 all well, 1 a statute or case error (diagnostics printed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from compiler import batch, build, ir
from compiler.arguments import non_negative_int, run_conflicts, solver_seconds
from compiler.atomic import OutputError
from compiler.batch import add_batch_options
from compiler.casefiles import CaseFileError, csv_text, json_text
from compiler.diagnostics import Style, render_all, visible
from compiler.diff import add_diff_arguments, diff_command
from compiler.explain import command as explaining
from compiler.explain.command import add_explain_arguments, explain_command, write_explanations
from compiler.explain.render import ExplainError
from compiler.guarantee_command import add_property_arguments, property_test_command
from compiler.interpret.run import decide_cases as interpreted_cases
from compiler.parse_cache import cache_option
from compiler.paths import NameClash, check_outputs, check_run_paths
from compiler.prove.command import budget_seconds
from compiler.prove.report import TIME_BUDGET_S
from compiler.register import add_synth_arguments, synth_command
from compiler.report import add_report_arguments, report_command
from compiler.runner import Decided, Rejected, decide_cases, read_cases, run_examples
from compiler.schema import case_schema
from compiler.wording import counted

Handler = Callable[[argparse.Namespace], int]


def style_for(stream: TextIO) -> Style:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or not hasattr(stream, "isatty") or not stream.isatty():
        return Style()
    return Style.coloured()


def _load(path: str, cache_dir: Path | None = None, errors_only: bool = False) -> ir.Checked:
    """Parse and check, printing diagnostics (`errors_only`: not its warnings); raises SystemExit(1) on errors."""
    return batch.load_checked(path, style_for(sys.stderr), cache_dir, errors_only)


def cmd_check(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            checked = _load(path, args.cache, args.quiet)
        except SystemExit:
            status = 1
            continue
        if args.quiet:  # errors only: a file that checks says nothing
            continue
        if checked.warnings:
            print(render_all(checked.warnings, checked.source, style_for(sys.stderr)), file=sys.stderr)
        rules = sum(len(d.rules) for d in checked.definitions)
        print(  # a file name can hold what a terminal obeys (`statute check shared/*.statute`): shown, not obeyed
            f"{visible(path)}: ok: {counted(len(checked.articles), 'article')}, {counted(rules, 'rule')}, "
            f"{counted(len(checked.outcomes), 'outcome')}, {counted(len(checked.examples), 'example')}, "
            f"{counted(len(checked.warnings), 'warning')}"
        )
    return status


def cmd_compile(args: argparse.Namespace) -> int:
    check_outputs([args.file], {}, folders={"-o": args.output})
    checked = _load(args.file, args.cache)
    folder = Path(args.output)  # the files' names come from the statute's: checked again once it is read
    module, tests = folder / f"{checked.module}.py", folder / f"test_{checked.module}.py"
    check_outputs([args.file], {"the module": module, "the tests": tests})
    for path in build.write_module_and_tests(checked, args.output):
        print(f"wrote {path}")
    return 0


def cmd_prove(args: argparse.Namespace) -> int:
    from compiler.prove import prove_command  # z3 is an optional extra: import it only when asked to prove

    _load(args.file)  # diagnostics first, as for every command
    return prove_command(args.file, args.max_list, args.timeout, args.time_budget)


def cmd_schema(args: argparse.Namespace) -> int:
    checked = _load(args.file)
    print(json_text(case_schema(checked), indent=2))  # the statute's words: no C1 control or override raw
    return 0


def cmd_test(args: argparse.Namespace) -> int:
    checked = _load(args.file)
    module = build.load_module(checked)
    results = run_examples(checked, module)
    style = style_for(sys.stdout)
    failed = 0
    for result in results:
        ex = result.example
        where = f"{Path(checked.file).name}:{ex.span.line}"
        if result.passed:
            if args.verbose:
                print(f"{style.bold}pass{style.reset} {where} {visible(ex.title)}")
            continue
        failed += 1
        # An example's title and values are the statute's text: shown, never obeyed, never a line of their own.
        print(f"{style.red}FAIL{style.reset} {where} {visible(ex.title)}")
        for line in result.failures:
            print(f"     {visible(line)}")
    passed = len(results) - failed
    print(f"examples: {passed} passed, {failed} failed")
    properties = property_test_command(args, checked, module, style)
    return max(properties, 1 if failed else 0)


def cmd_run(args: argparse.Namespace) -> int:
    conflict = run_conflicts(args)
    if conflict is not None:  # before any work: an option the run would ignore is a mistake to point out
        print(f"statute: {conflict}", file=sys.stderr)
        return 2
    problem = explaining.language_problem(args)  # before any result is printed
    if problem is not None:
        print(f"statute: {problem[1]}", file=sys.stderr)
        return problem[0]
    if args.engine == "interpreter" and args.explain:  # an explanation reads the module's trace
        why = "an explanation reads the generated module's trace"
        print(f"statute: --engine interpreter cannot explain ({why}): use it without --explain", file=sys.stderr)
        return 2
    if args.out:  # a population run: streamed to a results file, bad rows to a rejects file
        return batch.run_command(args)
    check_run_paths(args)
    checked = _load(args.file)
    module = build.load_module(checked)
    cases = Path(args.cases)
    as_dict: Callable[[Any], dict[str, object]] = module.decision_as_dict
    try:
        if args.engine == "interpreter":  # the reference interpreter: its decisions are dicts already
            results = list(interpreted_cases(checked, module, read_cases(cases, checked)))
            as_dict = dict
        else:
            results = list(decide_cases(module, read_cases(cases, checked)))
    except CaseFileError as exc:  # a file that cannot be read at all (a corrupt Parquet file, a CSV header)
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    decided = [r for r in results if isinstance(r, Decided)]
    rejected = [r for r in results if isinstance(r, Rejected)]
    out = sys.stdout
    fmt = args.format or ("table" if out.isatty() else "jsonl")
    rows = [{"id": r.case_id, **as_dict(r.decision)} for r in decided]
    _print_rows(rows, fmt, out, [d for d in checked.outcomes])
    if args.explain:
        try:
            written = write_explanations(
                checked,
                module,
                results,
                Path(args.explain),
                args.explain_format or "html",
                args.lang,
                args.templates,
            )
        except ExplainError as exc:  # the language was checked first: a template of the drafter's that fails
            print(f"statute: {exc}", file=sys.stderr)
            return 1
        print(f"wrote {counted(len(written), 'explanation')} to {args.explain}", file=sys.stderr)
    for r in rejected:
        # Case data can hold terminal escape codes and line breaks: shown as visible characters, never obeyed. The
        # reason's own line breaks (one problem a line) are kept, its further lines indented under the first.
        first, *more = r.reason.split("\n")
        print(f"rejected: row {r.row} ({visible(r.case_id)}): {visible(first)}", file=sys.stderr)
        for line in more:
            print(f"  {visible(line)}", file=sys.stderr)
    print(
        f"{counted(len(results), 'case')}: {len(decided):,} decided, {len(rejected):,} rejected",
        file=sys.stderr,
    )
    return 1 if rejected else 0


def _print_rows(rows: list[dict[str, Any]], fmt: str, out: TextIO, outcomes: Sequence[str]) -> None:
    columns = ["id", *outcomes]
    if fmt == "jsonl":
        for row in rows:
            out.write(json_text(row) + "\n")
    elif fmt == "csv":  # as a results file holds them: formulas guarded (casefiles.csv_text)
        out.write(csv_text(rows, columns, header=True))
    else:  # a table for a terminal: a case id or value shows its control characters, it does not obey them
        table = [[c.replace("_", " ") for c in columns]]
        table += [["-" if row.get(c) is None else visible(str(row.get(c))) for c in columns] for row in rows]
        widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
        for i, line in enumerate(table):
            out.write("  ".join(cell.ljust(w) for cell, w in zip(line, widths, strict=True)).rstrip() + "\n")
            if i == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="statute",
        description="Compile plain-language statutes into Python evaluators, and run them on cases.",
    )
    sub = top.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("check", help="check statute files and print diagnostics")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only: no warnings, no ok line")
    p.add_argument(
        "--cache",
        type=cache_option,
        metavar="DIR",
        help="keep each article's parse in DIR and reuse it while the article is unchanged (large statutes);"
        " DIR must be yours and writable by you alone (made 0700)",
    )
    p.set_defaults(handler=cmd_check)

    p = sub.add_parser("compile", help="write the statute's Python evaluator module")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output folder (default: build)")
    p.add_argument(
        "--cache",
        type=cache_option,
        metavar="DIR",
        help="keep each article's parse in DIR and reuse it while the article is unchanged (large statutes);"
        " DIR must be yours and writable by you alone (made 0700)",
    )
    p.set_defaults(handler=cmd_compile)

    p = sub.add_parser("run", help="decide every case of a case file (JSON Lines, CSV or Parquet)")
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

    p = sub.add_parser("test", help="run the statute's examples, then check its guarantees on generated cases")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing examples and checks too")
    add_property_arguments(p)
    p.set_defaults(handler=cmd_test)

    p = sub.add_parser("explain", help="explain the decision on one case, why and why not, in the statute's words")
    add_explain_arguments(p)
    p.set_defaults(handler=explain_command)

    p = sub.add_parser("prove", help="prove the guarantees for every case with the z3 solver; find conflicts and gaps")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--max-list",
        type=non_negative_int,
        default=3,
        metavar="N",
        help="consider lists of up to N records (default 3)",
    )
    p.add_argument(
        "--timeout", type=solver_seconds, default=30.0, metavar="S", help="seconds per solver call (default 30)"
    )
    p.add_argument(
        "--time-budget",
        type=budget_seconds,
        default=TIME_BUDGET_S,
        metavar="SECONDS",
        help=f"seconds for the whole proof (default {TIME_BUDGET_S:g}); checks left when it runs out are reported "
        "as not done, never as proved, and the exit status is 1",
    )
    p.set_defaults(handler=cmd_prove)

    p = sub.add_parser("report", help="an impact report over a case file: HTML with charts, and a Markdown summary")
    add_report_arguments(p)
    p.set_defaults(handler=report_command)

    p = sub.add_parser("diff", help="compare two versions of a statute over the same cases")
    add_diff_arguments(p)
    p.set_defaults(handler=diff_command)

    p = sub.add_parser("synth", help="write a seeded synthetic register of realistic cases")
    add_synth_arguments(p)
    p.set_defaults(handler=synth_command)

    p = sub.add_parser("schema", help="print the JSON Schema of a case")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_schema)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    except OutputError as exc:  # an output that cannot or must not be written: found first, or a full disk
        print(f"statute: {visible(str(exc))}", file=sys.stderr)  # a path may hold any character but NUL
        return 2 if isinstance(exc, NameClash) else 1  # a clash of names is in the command line, whatever the disk
    except KeyboardInterrupt:
        print("statute: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
