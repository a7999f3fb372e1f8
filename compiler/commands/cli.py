"""The `statute` command: the entry point. Each family of commands parses its arguments and prints its results in
compiler/commands/; the work is done by the pipeline modules.

Exit codes: 0 all well, 1 a statute or case error (diagnostics printed), 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from compiler.commands import diff, guarantees, register, report, run, statute
from compiler.commands.common import Handler
from compiler.commands.explain import add_explain_arguments, explain_command
from compiler.foundation.atomic import OutputError
from compiler.foundation.paths import NameClash
from compiler.frontend.diagnostics import visible


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="statute",
        description="Compile plain-language statutes into Python evaluators, and run them on cases.",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True
    statute.add_parsers(commands)  # check, compile
    run.add_parser(commands)
    guarantees.add_parser(commands)  # test
    p = commands.add_parser("explain", help="explain the decision on one case, why and why not, in the statute's words")
    add_explain_arguments(p)
    p.set_defaults(handler=explain_command)
    statute.add_prove_parser(commands)
    report.add_parser(commands)
    diff.add_parser(commands)
    register.add_parser(commands)  # synth
    statute.add_schema_parser(commands)
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
