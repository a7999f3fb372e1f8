"""`statute check`, `compile`, `schema` and `prove`: a statute checked, written as a module, its case's JSON
Schema, its guarantees proved (compiler/commands/prove.py prints the proof)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compiler.commands.arguments import non_negative_int, solver_seconds
from compiler.commands.common import load_checked, style_for
from compiler.commands.prove import budget_seconds, prove_command
from compiler.driver import build
from compiler.foundation.inert import json_text
from compiler.foundation.paths import check_outputs
from compiler.foundation.wording import counted
from compiler.frontend.diagnostics import render_all, visible
from compiler.frontend.parse_cache import cache_option
from compiler.population.schema import case_schema
from compiler.prove.report import TIME_BUDGET_S

_CACHE_HELP = (
    "keep each article's parse in DIR and reuse it while the article is unchanged (large statutes);"
    " DIR must be yours and writable by you alone (made 0700)"
)


def add_parsers(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """check and compile, first in the help (prove and schema come last)."""
    p = commands.add_parser("check", help="check statute files and print diagnostics")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only: no warnings, no ok line")
    p.add_argument("--cache", type=cache_option, metavar="DIR", help=_CACHE_HELP)
    p.set_defaults(handler=cmd_check)

    p = commands.add_parser("compile", help="write the statute's Python evaluator module")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-o", "--output", default="build", metavar="DIR", help="output folder (default: build)")
    p.add_argument("--cache", type=cache_option, metavar="DIR", help=_CACHE_HELP)
    p.set_defaults(handler=cmd_compile)


def add_prove_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    said = "prove the guarantees for every case with the z3 solver; find conflicts and gaps"
    p = commands.add_parser("prove", help=said)
    p.add_argument("file", metavar="FILE")
    lists = "consider lists of up to N records (default 3)"
    p.add_argument("--max-list", type=non_negative_int, default=3, metavar="N", help=lists)
    seconds = "seconds per solver call (default 30)"
    p.add_argument("--timeout", type=solver_seconds, default=30.0, metavar="S", help=seconds)
    p.add_argument(
        "--time-budget",
        type=budget_seconds,
        default=TIME_BUDGET_S,
        metavar="SECONDS",
        help=f"seconds for the whole proof (default {TIME_BUDGET_S:g}); checks left when it runs out are reported "
        "as not done, never as proved, and the exit status is 1",
    )
    p.set_defaults(handler=cmd_prove)


def add_schema_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("schema", help="print the JSON Schema of a case")
    p.add_argument("file", metavar="FILE")
    p.set_defaults(handler=cmd_schema)


def cmd_check(args: argparse.Namespace) -> int:
    status = 0
    for path in args.files:
        try:
            checked = load_checked(path, style_for(sys.stderr), args.cache, args.quiet)
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
    checked = load_checked(args.file, style_for(sys.stderr), args.cache)
    folder = Path(args.output)  # the files' names come from the statute's: checked again once it is read
    module, tests = folder / f"{checked.module}.py", folder / f"test_{checked.module}.py"
    check_outputs([args.file], {"the module": module, "the tests": tests})
    for path in build.write_module_and_tests(checked, args.output):
        print(f"wrote {path}")
    return 0


def cmd_prove(args: argparse.Namespace) -> int:
    load_checked(args.file, style_for(sys.stderr))  # diagnostics first, as for every command
    return prove_command(args.file, args.max_list, args.timeout, args.time_budget)


def cmd_schema(args: argparse.Namespace) -> int:
    checked = load_checked(args.file, style_for(sys.stderr))
    print(json_text(case_schema(checked), indent=2))  # the statute's words: no C1 control or override raw
    return 0
