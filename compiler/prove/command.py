"""`statute prove FILE [--max-list N] [--timeout S]`: what the CLI calls; prints the report, returns the exit code."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from compiler.diagnostics import StatuteError, Style, render_all, visible

INSTALL_HINT = (
    "statute prove needs the z3 solver, which is not installed.\n"
    "Install it with the project's optional extra:  pip install 'statute-compiler[prove]'\n"
    "(or on its own:  pip install z3-solver)"
)


def z3_available() -> bool:
    return importlib.util.find_spec("z3") is not None


def prove_command(path: str, max_list: int, timeout_s: float) -> int:
    """0 when every guarantee is proved and there is no conflict or gap; 1 otherwise (or on any error)."""
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
    from compiler.check import check
    from compiler.parse import parse_file
    from compiler.prove.prover import prove
    from compiler.prove.report import render_report

    try:
        checked = check(parse_file(file))
    except StatuteError as exc:
        source = file.read_text(encoding="utf-8", errors="replace")
        print(render_all(exc.diagnostics, source, Style()), file=sys.stderr)
        return 1

    def progress(line: str) -> None:
        print(f"  {visible(line)}", file=sys.stderr, flush=True)  # it names guarantees: the statute's text

    report = prove(checked, max_list, timeout_s, progress=progress if sys.stderr.isatty() else None)
    print(render_report(report), end="")
    return 0 if report.all_well else 1
