"""Typed command-line values: every number and every combination of options is checked while the command line is
parsed, before any statute is read or any file written, so that a bad argument exits 2 with one line saying why.

The number types are argparse `type=` callables: they raise ArgumentTypeError, which argparse prints as
`statute <command>: error: argument --n: ...` after the usage, and exits 2. Only ASCII digits are numbers here:
`int("٣")` and `float("1_0")` are Python's leniency, not a count a user meant to type.
"""

from __future__ import annotations

import argparse
import math
import re
from collections.abc import Callable
from pathlib import Path

from compiler.population.casefiles import CaseFileError, file_format

_WHOLE = re.compile(r"[+-]?[0-9]{1,40}", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]{1,4})?", re.ASCII)

MAX_WORKERS = 256  # each worker is a process holding the statute's module; more than this is a typing slip
# z3 takes a solver's timeout in milliseconds as an unsigned 32-bit number: about 49.7 days in seconds.
MAX_SOLVER_SECONDS = (2**32 - 1) // 1000


def _whole(text: str) -> int:
    if not _WHOLE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}")
    return int(text)


def _decimal(text: str) -> float:
    value = float(text) if _DECIMAL.fullmatch(text) else math.nan  # "nan", "inf", "1_0", "١" are not numbers
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a number such as 0.5, got {text!r}")
    return value


def whole_number(low: int | None = None, high: int | None = None) -> Callable[[str], int]:
    """A `type=` for a whole number from `low` to `high` (either end open when None)."""

    def parse(text: str) -> int:
        value = _whole(text)
        if (low is not None and value < low) or (high is not None and value > high):
            raise argparse.ArgumentTypeError(f"must be {_range(low, high)}, got {text}")
        return value

    parse.__name__ = "whole number"  # argparse names the type in some messages
    return parse


def _range(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    if low is not None:
        return f"a whole number {low} or more"
    return f"a whole number {high} or less" if high is not None else "a whole number"


any_int = whole_number()
non_negative_int = whole_number(low=0)
positive_int = whole_number(low=1)
workers = whole_number(low=1, high=MAX_WORKERS)


def fraction_0_1(text: str) -> float:
    """A share, from 0 to 1 inclusive (0.01: one row in a hundred)."""
    value = _decimal(text)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"must be a share from 0 to 1, such as 0.01, got {text}")
    return value


def solver_seconds(text: str) -> float:
    """Seconds a solver call may take: more than 0, finite, and within what z3 can be given."""
    value = _decimal(text)
    if not 0 < value <= MAX_SOLVER_SECONDS:
        raise argparse.ArgumentTypeError(f"must be seconds more than 0 and at most {MAX_SOLVER_SECONDS:,}, got {text}")
    return value


def table_file(text: str) -> str:
    """A file of rows written in the format its name says: .jsonl, .csv or .parquet."""
    try:
        file_format(text)
    except CaseFileError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text


def comparison_file(text: str) -> str:
    """Where `statute diff` writes its comparison: Markdown (.md) or JSON (.json), as the name says."""
    if Path(text).suffix.lower() not in (".md", ".json"):
        raise argparse.ArgumentTypeError(f"{text}: use a .md (Markdown) or .json file name")
    return text


def run_conflicts(args: argparse.Namespace) -> str | None:
    """Why the options of `statute run` contradict each other, or None. A population run (--out) writes results in
    the format its file name says, and writes no explanations: an option it would ignore is refused instead."""
    out: str | None = args.out
    if out is None:
        for given, needs in (("rejects", "--rejects"), ("workers", "--workers")):
            if getattr(args, given) is not None:
                return f"{needs} is for a population run: give --out RESULTS too"
        if args.explain is None and args.explain_format is not None:
            return "--explain-format is for --explain DIR: give --explain too"
        return None
    try:
        written = file_format(out)
    except CaseFileError as exc:
        return str(exc)
    if args.format is not None and args.format != written:
        return f"--format {args.format} contradicts --out {out}, which is written as {written} (its file type says so)"
    if args.explain is not None or args.explain_format is not None:
        return "--explain is not available with --out: a population run writes results only"
    return None
