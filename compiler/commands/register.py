"""`statute synth FILE [--n N] [--seed S] [--profile JSON] [--out CASES] [--broken SHARE]`: a seeded synthetic
register of realistic cases (compiler/population/synth.py, compiler/population/register.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from compiler.commands.arguments import any_int, fraction_0_1, non_negative_int, table_file
from compiler.commands.common import load_checked
from compiler.foundation.paths import check_outputs
from compiler.foundation.wording import counted, noun
from compiler.population.casefiles import CaseFileError
from compiler.population.register import broken, write_register
from compiler.population.synth import Generator, load_places, load_profile, profile_path
from compiler.population.synth_values import ProfileError


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = commands.add_parser("synth", help="write a seeded synthetic register of realistic cases")
    add_synth_arguments(p)
    p.set_defaults(handler=synth_command)


def add_synth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the statute")
    parser.add_argument("--n", type=non_negative_int, default=1500, help="how many cases (default: 1500)")
    parser.add_argument("--seed", type=any_int, default=1, help="the random seed (default: 1)")
    parser.add_argument("--profile", metavar="JSON", help="realism profile (default: FILE's .synth.json if any)")
    parser.add_argument(
        "--out", type=table_file, metavar="CASES", help=".jsonl, .csv or .parquet (default: JSON Lines on stdout)"
    )
    parser.add_argument(
        "--broken", type=fraction_0_1, default=0.0, metavar="SHARE", help="share of rows to break on purpose, e.g. 0.01"
    )


def synth_command(args: argparse.Namespace) -> int:
    """`statute synth FILE [--n N] [--seed S] [--profile JSON] [--out CASES] [--broken SHARE]`."""
    path = Path(args.profile) if args.profile else profile_path(args.file)
    check_outputs([args.file, path], {"--out": args.out})
    checked = load_checked(args.file)
    try:
        profile = load_profile(path) if args.profile or path.is_file() else None
        generator = Generator(checked, profile, str(path), load_places(path) if profile is not None else None)
        cases = broken(generator.cases(args.n, args.seed), checked, args.broken, args.seed)
        count = write_register(Path(args.out) if args.out else None, cases, checked)
    except (ProfileError, CaseFileError, OSError) as exc:
        print(f"statute: {exc}", file=sys.stderr)
        return 1
    where = args.out or "standard output"
    realism = f"profile {path}" if profile is not None else "no profile: plain draws from the vocabulary"
    print(f"wrote {counted(count, 'case')} to {where} (seed {args.seed}, {realism})", file=sys.stderr)
    if (
        generator.redrawn
    ):  # the profile draws cases no court could have: its links could say how the facts hang together
        n = generator.redrawn
        said = f"{counted(n, 'draw')} broke a requirement of the statute and {noun(n, 'was', 'were')} drawn again"
        print(f"{said} (link the facts in the profile to avoid them: see docs/population.md)", file=sys.stderr)
    return 0
