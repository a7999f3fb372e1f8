"""`statute report FILE --cases CASES --out report.html [--markdown FILE] [--workers N]`: the impact report of a
population run (compiler/population/report.py), written as a page and printed as its Markdown summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compiler.commands.arguments import workers
from compiler.commands.common import load_checked
from compiler.foundation.atomic import AtomicGroup
from compiler.foundation.paths import check_outputs
from compiler.population import report
from compiler.population.casefiles import CaseFileError


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    said = "an impact report over a case file: HTML with charts, and a Markdown summary"
    p = commands.add_parser("report", help=said)
    add_report_arguments(p)
    p.set_defaults(handler=report_command)


def add_report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the statute")
    parser.add_argument("--cases", required=True, metavar="CASES", help="cases: .jsonl, .csv or .parquet")
    parser.add_argument("--out", required=True, metavar="HTML", help="the report page to write")
    parser.add_argument("--markdown", metavar="FILE", help="also write the Markdown summary to FILE")
    parser.add_argument("--workers", type=workers, default=1, metavar="N", help="worker processes (default: 1)")


def report_command(args: argparse.Namespace) -> int:
    """0 when every row was decided, 1 when any was rejected (the report is written all the same and counts them),
    as `statute run --out`."""
    check_outputs([args.file, args.cases], {"--out": args.out, "--markdown": args.markdown})
    checked = load_checked(args.file)
    cases = Path(args.cases)
    if not cases.is_file():
        print(f"statute: no such case file: {args.cases}", file=sys.stderr)
        return 1
    try:
        made = report.make_report(checked, cases, args.workers)
    except CaseFileError as exc:
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    markdown = report.render(made, "summary.md.j2")
    with AtomicGroup() as files:  # the page and its summary are of the same run: both written or neither
        files.write(Path(args.out), report.render(made, "page.html.j2"))
        if args.markdown:
            files.write(Path(args.markdown), markdown)
    sys.stdout.write(markdown)
    print(f"report: {args.out}", file=sys.stderr)
    return 1 if made.summary.rejected else 0  # as `statute run --out`: the page is written, the rows are not all in
