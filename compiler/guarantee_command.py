"""`statute test FILE [--examples N] [--seed N]`: the property half, after the statute's examples have run.

The CLI wires these in: `add_property_arguments(parser)` when it builds the `test` parser, and
`property_test_command(args, checked, module, style)` after the examples, which prints the results and returns 0
when every check passes, else 1. Hypothesis is imported only when the checks run, so the other commands work
without it.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import types

from compiler import ir
from compiler.arguments import any_int, non_negative_int
from compiler.diagnostics import Style

DEFAULT_EXAMPLES = 1000
DEFAULT_SEED = 0
INSTALL_HINT = (
    "statute test checks the guarantees with Hypothesis, a dependency of statute-compiler that is not installed.\n"
    "Install it:  pip install hypothesis  (or install the project again: pip install -e .),\n"
    "or run the examples alone with --examples 0."
)


def add_property_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--examples",
        type=non_negative_int,
        default=DEFAULT_EXAMPLES,
        metavar="N",
        help=f"cases drawn to check the guarantees and properties (default {DEFAULT_EXAMPLES}; 0: the examples only)",
    )
    parser.add_argument(
        "--seed",
        type=any_int,
        default=DEFAULT_SEED,
        metavar="N",
        help=f"seed of the cases drawn (default {DEFAULT_SEED})",
    )


def property_test_command(args: argparse.Namespace, checked: ir.Checked, module: types.ModuleType, style: Style) -> int:
    """Run the checks as `args` (--examples, --seed, -v) ask and print the results: 0 when all pass, else 1."""
    examples = int(getattr(args, "examples", DEFAULT_EXAMPLES))
    if examples < 0:
        print("statute test: --examples must be 0 or more", file=sys.stderr)
        return 2
    if examples == 0:
        return 0
    if importlib.util.find_spec("hypothesis") is None:
        print(INSTALL_HINT, file=sys.stderr)
        return 1
    from compiler.guarantee_report import render_results
    from compiler.guarantee_testing import run_properties

    run = run_properties(checked, module, examples, int(getattr(args, "seed", DEFAULT_SEED)))
    print(render_results(run, checked, module, style, verbose=bool(getattr(args, "verbose", False))), end="")
    return 0 if run.passed else 1
