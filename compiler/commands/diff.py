"""`statute diff OLD NEW --cases CASES [--out FILE]`: two versions of a statute compared over the same cases
(compiler/population/diff.py); the Markdown comparison on stdout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compiler.commands.arguments import comparison_file
from compiler.commands.common import load_checked
from compiler.foundation.atomic import write_file
from compiler.foundation.inert import json_text
from compiler.foundation.paths import check_outputs
from compiler.population import diff
from compiler.population.casefiles import CaseFileError


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("diff", help="compare two versions of a statute over the same cases")
    add_diff_arguments(p)
    p.set_defaults(handler=diff_command)


def add_diff_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("old", metavar="OLD", help="the statute as it was")
    parser.add_argument("new", metavar="NEW", help="the statute as amended")
    parser.add_argument("--cases", required=True, metavar="CASES", help="cases: .jsonl, .csv or .parquet")
    parser.add_argument(
        "--out", type=comparison_file, metavar="FILE", help="also write the comparison: .md (Markdown) or .json"
    )


def diff_command(args: argparse.Namespace) -> int:
    """`statute diff OLD NEW --cases CASES [--out FILE]`: the Markdown comparison on stdout."""
    check_outputs([args.old, args.new, args.cases], {"--out": args.out})
    old = diff.load_version(args.old, load_checked(args.old))
    new = diff.load_version(args.new, load_checked(args.new))
    cases = Path(args.cases)
    if not cases.is_file():
        print(f"statute: no such case file: {args.cases}", file=sys.stderr)
        return 1
    try:
        result = diff.compare(old, new, cases)
    except CaseFileError as exc:
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    text = diff.markdown(result)
    sys.stdout.write(text)
    if args.out:
        out = Path(args.out)
        as_text = json_text(diff.as_json(result), indent=2) + "\n" if out.suffix == ".json" else text
        write_file(out, as_text)
    return 0
