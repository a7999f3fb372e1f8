"""`statute explain FILE --case CASE.json` and the explanations `statute run --explain DIR` writes.

The CLI wires these in: `add_explain_arguments(parser)` and `explain_command(args)` for the explain command, and
`write_explanations(...)` for run.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

from compiler import build, ir
from compiler.diagnostics import StatuteError, render_all
from compiler.explain.conditions import AtomIndex
from compiler.explain.counterfactual import SEARCH_BUDGET
from compiler.explain.decision import explain
from compiler.explain.model import Explanation
from compiler.explain.render import FORMATS, ExplainError, locale_for, render, render_index
from compiler.runner import Decided, Rejected


def add_explain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the statute file")
    parser.add_argument("--case", required=True, metavar="CASE", help="a JSON file holding one case ('-': stdin)")
    parser.add_argument("--format", choices=list(FORMATS), default="text", help="output format (default: text)")
    parser.add_argument("--lang", default="en", help="language of the explanation's own words: en, ru (default: en)")
    parser.add_argument("--out", metavar="PATH", help="write the explanation here instead of printing it")
    parser.add_argument(
        "--no-changes", action="store_true", help="do not search for the changes of one fact that change the decision"
    )
    parser.add_argument(
        "--changes-budget",
        type=_changes_budget,
        default=SEARCH_BUDGET,
        metavar="N",
        help=f"try at most N candidate changes (default {SEARCH_BUDGET}); the explanation says when the search "
        "stopped early",
    )


def _changes_budget(text: str) -> int:
    """The argument of --changes-budget: a whole number, 0 or more (argparse exits 2 otherwise)."""
    if not text.isascii() or not text.isdigit():
        raise argparse.ArgumentTypeError(f"must be a whole number, 0 or more, not {text!r}")
    return int(text)


def explain_command(args: argparse.Namespace) -> int:
    """Explain one case. Exit 0 with the explanation written (also of a conflict or an undecided case), 1 when the
    statute or the case cannot be read, 2 for an unknown language."""
    try:
        locale = locale_for(args.lang, args.file)
    except ExplainError as exc:
        print(f"statute: {exc}", file=sys.stderr)
        return 2
    checked = _checked(args.file)
    if checked is None:
        return 1
    module = build.load_module(checked)
    data = _read_case(args.case)
    if isinstance(data, str):
        print(f"statute: {data}", file=sys.stderr)
        return 1
    try:
        case = module.load_case(data)
    except module.CaseError as exc:
        print(f"statute: {args.case}: {exc}", file=sys.stderr)
        return 1
    case_id = str(data["id"]) if data.get("id") is not None else Path(args.case).stem
    budget = getattr(args, "changes_budget", SEARCH_BUDGET)  # callers may build the arguments by hand
    explanation = explain(checked, module, case, locale, case_id=case_id, search=not args.no_changes, budget=budget)
    text = render(explanation, args.format, locale, args.file)
    if args.out:
        build.write_atomically(Path(args.out), text)
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def write_explanations(
    checked: ir.Checked,
    module: ModuleType,
    decided_cases: Iterable[Decided | Rejected],
    out_dir: str | Path,
    fmt: str,
    lang: str,
) -> list[Path]:
    """One explanation per case in `out_dir` (named after the case id) and an index page listing them all; returns
    the paths written, the index last. A case that was read but not decided (rules in conflict, an outcome left
    undecided) is explained too: which rules disagree, or what is missing. Rows that could not be read are passed
    over: there is no case to explain, and the rejected list says what is wrong. Raises ExplainError for an unknown
    format or language."""
    locale = locale_for(lang, checked.file)
    extension = FORMATS.get(fmt)
    if extension is None:
        raise ExplainError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    folder = Path(out_dir)
    index = AtomIndex(checked)
    written: list[Path] = []
    entries: list[tuple[str, Explanation]] = []
    used: set[str] = set()
    for row in decided_cases:
        if not isinstance(row, Decided) and row.case is None:
            continue
        explanation = explain(checked, module, row.case, locale, case_id=row.case_id, index=index)
        name = _file_name(row.case_id, row.row, used) + "." + extension
        path = folder / name
        build.write_atomically(path, render(explanation, fmt, locale, checked.file))
        written.append(path)
        entries.append((name, explanation))
    index_path = folder / f"index.{extension}"
    build.write_atomically(index_path, render_index(entries, fmt, locale, checked.file, checked.title))
    written.append(index_path)
    return written


def _file_name(case_id: str, row: int, used: set[str]) -> str:
    """A file name from a case id: letters, digits, '-', '_' and '.' kept, the rest '_'; unique in the folder."""
    base = re.sub(r"[^\w.-]", "_", case_id, flags=re.ASCII).strip("._") or f"row-{row}"
    if base.lower() == "index":
        base = f"{base}-{row}"
    name, n = base, 2
    while name.lower() in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name.lower())
    return name


def _checked(path: str) -> ir.Checked | None:
    file = Path(path)
    if not file.is_file():
        print(f"statute: no such statute file: {path}", file=sys.stderr)
        return None
    try:
        return build.check_file(file)
    except StatuteError as exc:
        source = file.read_text(encoding="utf-8", errors="replace")
        print(render_all(exc.diagnostics, source), file=sys.stderr)
        return None


def _read_case(path: str) -> dict[str, Any] | str:
    """The case in a JSON file (or on stdin for '-'), or why it cannot be read."""
    try:
        text = sys.stdin.read() if path == "-" else Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return f"cannot read the case file {path}: {exc}"
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return f"{path} is not valid JSON ({exc.msg}, line {exc.lineno}, column {exc.colno})"
    if not isinstance(data, dict):
        return f"{path} must hold one case, a JSON object"
    return data
