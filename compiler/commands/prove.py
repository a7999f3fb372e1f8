"""`statute prove FILE [--max-list N] [--timeout S]`: what the CLI calls; prints the report, returns the exit code."""

from __future__ import annotations

import argparse
import importlib.util
import math
import sys
from pathlib import Path

from compiler.frontend.diagnostics import StatuteError, Style, render_all, visible
from compiler.model import ir
from compiler.prove.confirm import Confirmer
from compiler.prove.report import TIME_BUDGET_S

INSTALL_HINT = (
    "statute prove needs the z3 solver, which is not installed.\n"
    "Install it with the project's optional extra:  pip install 'statute-compiler[prove]'\n"
    "(or on its own:  pip install z3-solver)"
)


def budget_seconds(text: str) -> float:
    """The argument of --time-budget: a finite number of seconds, more than 0 (argparse exits 2 otherwise)."""
    try:
        seconds = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not math.isfinite(seconds) or seconds <= 0:
        raise argparse.ArgumentTypeError(f"must be a number of seconds more than 0, not {text!r}")
    return seconds


def confirmer(checked: ir.Checked) -> Confirmer:
    """What re-runs the prover's witnesses: the statute's generated module, or a note saying why it cannot."""
    from compiler.backends.python.generated import GeneratedEvaluator
    from compiler.driver import build

    try:
        return Confirmer(checked, GeneratedEvaluator(checked, build.load_module(checked)))
    except Exception as exc:  # no backend yet, or it failed on this statute: say so, never pretend
        why = f"{type(exc).__name__}: {exc}"
        return Confirmer(checked, None, f"the Python evaluator could not be loaded ({why}); witnesses are not re-run")


def z3_available() -> bool:
    return importlib.util.find_spec("z3") is not None


def prove_command(path: str, max_list: int, timeout_s: float, budget_s: float = TIME_BUDGET_S) -> int:
    """0 when every guarantee is proved and there is no conflict or gap; 1 otherwise (or on any error, or when the
    time budget ran out before every check was done)."""
    if not z3_available():
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    if max_list < 0 or timeout_s <= 0:
        print("statute prove: --max-list must be 0 or more and --timeout more than 0", file=sys.stderr)
        return 1
    file = Path(path)
    if not file.is_file():
        print(f"statute: no such statute file: {path}", file=sys.stderr)
        return 1
    from compiler.driver.build import check_statute
    from compiler.frontend.parse import parse_file
    from compiler.prove.prover import prove
    from compiler.prove.report import render_report

    try:
        checked = check_statute(parse_file(file))
    except StatuteError as exc:
        source = file.read_text(encoding="utf-8", errors="replace")
        print(render_all(exc.diagnostics, source, Style()), file=sys.stderr)
        return 1

    def progress(line: str) -> None:
        print(f"  {visible(line)}", file=sys.stderr, flush=True)  # it names guarantees: the statute's text

    shown = progress if sys.stderr.isatty() else None
    report = prove(checked, max_list, timeout_s, confirmer(checked), progress=shown, budget_s=budget_s)
    print(render_report(report), end="")
    return 0 if report.all_well else 1
