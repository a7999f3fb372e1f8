"""`statute explain FILE --case CASE.json` and the explanations `statute run --explain DIR` writes.

The CLI wires these in: `add_explain_arguments(parser)` and `explain_command(args)` for the explain command, and
`write_explanations(...)` for run.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.explain.conditions import AtomIndex
from compiler.explain.counterfactual import SEARCH_BUDGET
from compiler.explain.decision import explain
from compiler.explain.model import Explanation
from compiler.explain.render import FORMATS, ExplainError, language_name, locale_for, render, render_index
from compiler.foundation.atomic import AtomicFolder
from compiler.foundation.paths import check_outputs
from compiler.frontend.diagnostics import StatuteError, render_all
from compiler.model import ir
from compiler.model.evaluator import CaseRejected, Decision, Failed
from compiler.population.batch_rows import Decided, Rejected, case_error_text
from compiler.population.casefiles import json_case, split_id


def add_explain_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="the statute file")
    parser.add_argument("--case", required=True, metavar="CASE", help="a JSON file holding one case ('-': stdin)")
    parser.add_argument("--format", choices=list(FORMATS), default="text", help="output format (default: text)")
    add_language_arguments(parser)
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


def add_language_arguments(parser: argparse.ArgumentParser) -> None:
    """--lang and --templates, of `statute explain` and `statute run --explain`."""
    parser.add_argument(
        "--lang",
        default="en",
        type=language_name,
        help="language of the explanation's own words: a bundled one (en, ru) or one of --templates (default: en)",
    )
    parser.add_argument(
        "--templates",
        metavar="DIR",
        help="the drafter's templates (DIR/<format>.j2, DIR/<lang>/<format>.j2) and words (DIR/i18n/<lang>.json),"
        " rendered in Jinja's sandbox; without it, the built-in ones",
    )


def language_problem(args: argparse.Namespace) -> tuple[int, str] | None:
    """Why --lang and --templates cannot be used (exit status, message), checked before any work; or None."""
    if args.templates is not None and not Path(args.templates).is_dir():
        return 1, f"no such templates folder: {args.templates}"
    try:
        locale_for(args.lang, args.templates)
    except ExplainError as exc:
        return 2, str(exc)
    return None


def explain_command(args: argparse.Namespace) -> int:
    """Explain one case. Exit 0 with the explanation written (also of a conflict or an undecided case), 1 when the
    statute, the case or the templates folder cannot be read, 2 for an unknown language."""
    problem = language_problem(args)
    if problem is not None:
        print(f"statute: {problem[1]}", file=sys.stderr)
        return problem[0]
    check_outputs([args.file, args.case], {"--out": args.out})
    locale = locale_for(args.lang, args.templates)
    checked = _checked(args.file)
    if checked is None:
        return 1
    evaluator = GeneratedEvaluator(checked, build.load_module(checked))
    read = _read_case(args.case)
    if isinstance(read, str):
        print(f"statute: {read}", file=sys.stderr)
        return 1
    case_id, data = read
    try:
        case = evaluator.read_case(data)
        decided = evaluator.decide(case)
        if isinstance(decided, Decision):
            decided.shown  # the decision must be writable to be explained  # noqa: B018
    except CaseRejected as exc:  # one problem a line; a line break in the case's own text is shown as ⏎
        first, *more = case_error_text(exc).split("\n")
        print(f"statute: {args.case}: {first}", *more, sep="\n", file=sys.stderr)
        return 1
    except Exception as exc:  # an evaluator failure: as run rejects the row
        decided = Failed(f"{type(exc).__name__}: {exc}")
    if isinstance(decided, Failed):  # a conflict or an outcome left undecided is explained; this is not
        print(f"statute: {args.case}: the case cannot be decided: {decided.text}", file=sys.stderr)
        return 1
    budget = getattr(args, "changes_budget", SEARCH_BUDGET)  # callers may build the arguments by hand
    explanation = explain(checked, evaluator, case, locale, case_id=case_id, search=not args.no_changes, budget=budget)
    try:
        text = render(explanation, args.format, locale, args.templates)
    except ExplainError as exc:  # the drafter's template fails, or reaches outside the sandbox
        print(f"statute: {exc}", file=sys.stderr)
        return 1
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
    templates: str | Path | None = None,
) -> list[Path]:
    """One explanation per case in `out_dir` (named after the case id) and an index page listing them all; returns
    the paths written, the index last. The folder is written as one unit (compiler/foundation/atomic.py): it replaces a
    folder an earlier run wrote, whole, and refuses one holding anything else (OutputError). A case that was read but
    not decided (rules in conflict, an outcome left undecided) is explained too: which rules disagree, or what is
    missing. Rows that could not be read are passed over: there is no case to explain, and the rejected list says what
    is wrong. Raises ExplainError for an unknown format or language. `templates` is the user's --templates folder (the
    built-in templates without it)."""
    locale = locale_for(lang, templates)
    extension = FORMATS.get(fmt)
    if extension is None:
        raise ExplainError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    index = AtomIndex(checked)
    evaluator = GeneratedEvaluator(checked, module)
    written: list[Path] = []
    entries: list[tuple[str, Explanation]] = []
    used: set[str] = set()
    with AtomicFolder(Path(out_dir)) as folder:
        for row in decided_cases:
            if not isinstance(row, Decided) and row.case is None:
                continue
            explanation = explain(checked, evaluator, row.case, locale, case_id=row.case_id, index=index)
            name = _file_name(row.case_id, row.row, used) + "." + extension
            written.append(folder.write(name, render(explanation, fmt, locale, templates)))
            entries.append((name, explanation))
        index_page = render_index(entries, fmt, locale, templates, checked.title)
        written.append(folder.write(f"index.{extension}", index_page))
    return written


_NAME_LIMIT = 100  # characters of a case id kept in its file name: well within any file system's 255 bytes


def _file_name(case_id: str, row: int, used: set[str]) -> str:
    """A file name from a case id: letters, digits, '-', '_' and '.' kept, the rest '_'; unique in the folder
    (compared without case, for file systems that ignore it). A long id is cut, with a short hash of the whole id
    after it, so that two ids that differ only past the cut get different names."""
    base = re.sub(r"[^\w.-]", "_", case_id, flags=re.ASCII).strip("._") or f"row-{row}"
    if len(base) > _NAME_LIMIT:
        base = base[:_NAME_LIMIT] + "-" + hashlib.sha256(case_id.encode("utf-8", "surrogatepass")).hexdigest()[:10]
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


def _read_case(path: str) -> tuple[str, dict[str, object]] | str:
    """(the case's id, the case) in a JSON file (or on stdin for '-'), or why it cannot be read: read by the rules
    of every case file (casefiles.json_case), so that explain takes exactly the cases run takes."""
    try:
        raw = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        return f"cannot read the case file {path}: {exc.strerror or exc}"
    data = json_case(raw.removeprefix(b"\xef\xbb\xbf"))  # a byte-order mark, as run drops it
    if isinstance(data, str):
        return f"{path}: the case {'is ' if data.startswith(('not ', 'nested ')) else ''}{data}"
    named = data.get("id") is not None
    case_id, case = split_id(1, data)
    if isinstance(case, str):
        return f"{path}: {case}"
    return (case_id if named else Path(path).stem), case
