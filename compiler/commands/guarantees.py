"""`statute test FILE [-v] [--examples N] [--seed N]`: the statute's examples (compiler/driver/runner.py), then its
guarantees and properties checked with Hypothesis on drawn cases (compiler/driver/guarantee_testing.py), printed as
compiler/driver/guarantee_report.py writes them. Hypothesis is imported only when the checks run, so the other commands
work without it."""

from __future__ import annotations

import argparse
import importlib.util
import sys
import types
from pathlib import Path

from compiler.backends.python.properties import DEFAULT_EXAMPLES, DEFAULT_SEED
from compiler.commands.arguments import any_int, non_negative_int
from compiler.commands.common import load_checked, style_for
from compiler.driver import build
from compiler.driver.runner import run_examples
from compiler.frontend.diagnostics import Style, visible
from compiler.model import ir

INSTALL_HINT = (
    "statute test checks the guarantees with Hypothesis, a dependency of statute-compiler that is not installed.\n"
    "Install it:  pip install hypothesis  (or install the project again: pip install -e .),\n"
    "or run the examples alone with --examples 0."
)


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    said = "run the statute's examples, then check its guarantees on generated cases"
    p = commands.add_parser("test", help=said)
    p.add_argument("file", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="list passing examples and checks too")
    add_property_arguments(p)
    p.set_defaults(handler=cmd_test)


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


def cmd_test(args: argparse.Namespace) -> int:
    checked = load_checked(args.file, style_for(sys.stderr))
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
    from compiler.driver.guarantee_report import render_results
    from compiler.driver.guarantee_testing import run_properties

    run = run_properties(checked, module, examples, int(getattr(args, "seed", DEFAULT_SEED)))
    print(render_results(run, checked, module, style, verbose=bool(getattr(args, "verbose", False))), end="")
    return 0 if run.passed else 1
