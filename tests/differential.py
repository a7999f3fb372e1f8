"""What the differential tests compare: a case decided by the generated module and by the reference interpreter
(compiler/interpret), each as ("decided", the decision as a dict), ("conflict", message), ("undecided", message) or
("crash", the exception's class).

The generated module still adds a duration to a date as it holds it (`Duration(20, -15)`: 20 months, then back
15 days), where the calendar semantics of issue 12 section 1, which the interpreter implements, first bring it to
its normal form (19 months 15 days: 19 months, then 15 days). `calendar_change` tells such a case: the module met a
duration whose months and days have different signs while adding it to a date. Those disagreements are expected to
go when the calendar change is merged into the runtime.
"""

from __future__ import annotations

import contextlib
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from hypothesis import strategies as st

from compiler.driver import build
from compiler.interpret.decide import decide
from compiler.interpret.errors import Conflict, Undecided
from compiler.interpret.read import read_case
from compiler.interpret.requirements import BrokenRequirements, broken_requirements
from compiler.model import ir
from compiler.model.kinds import Kind

Outcome = tuple[str, object]
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "differential"
CALENDAR_REASON = (
    "the generated module adds a duration of months and negative days to a date as it holds it; the calendar change "
    "of issue 12 section 1 brings it to its normal form first, as the interpreter does"
)


def module_outcome(module: ModuleType, case: dict[str, Any]) -> Outcome:
    try:
        loaded = module.load_case(case)
    except module.CaseError as exc:  # a case that breaks a requirement: rejected, with the interpreter's message
        return "rejected", str(exc)
    try:
        return "decided", module.decision_as_dict(module.decide(loaded))
    except module.ConflictError as exc:
        return "conflict", str(exc)
    except module.UndecidedError as exc:
        return "undecided", str(exc)
    except Exception as exc:  # a crash: both sides must crash alike
        return "crash", type(exc).__name__


def interpreter_outcome(checked: ir.Checked, case: dict[str, Any]) -> Outcome:
    try:
        return "decided", decide(checked, case)
    except BrokenRequirements as exc:
        return "rejected", str(exc)
    except Conflict as exc:
        return "conflict", str(exc)
    except Undecided as exc:
        return "undecided", str(exc)
    except Exception as exc:
        return "crash", type(exc).__name__


@contextlib.contextmanager
def mixed_signs_added(module: ModuleType) -> Iterator[list[object]]:
    """The durations whose months and days have different signs that the module adds to a date meanwhile."""
    seen: list[object] = []
    original = getattr(module, "add_to_date", None)
    if original is None:  # the runtime changed: nothing to watch
        yield seen
        return

    def watching(day: object, duration: Any) -> object:
        if duration.months * duration.days < 0:
            seen.append(duration)
        return original(day, duration)

    module.add_to_date = watching
    try:
        yield seen
    finally:
        module.add_to_date = original


@dataclass(frozen=True)
class Disagreement:
    case: dict[str, Any]
    module: Outcome
    interpreter: Outcome
    calendar_change: bool  # explained by the calendar change (see the module's docstring)

    def __str__(self) -> str:
        return (
            f"module:      {self.module}\ninterpreter: {self.interpreter}\n"
            f"case: {json.dumps(self.case, ensure_ascii=False)}"
        )


def disagreement(checked: ir.Checked, module: ModuleType, case: dict[str, Any]) -> Disagreement | None:
    with mixed_signs_added(module) as seen:
        by_module = module_outcome(module, case)
    by_interpreter = interpreter_outcome(checked, case)
    if by_module == by_interpreter:
        return None
    # Only decisions that differ in their values are the calendar's doing; a case one decides and the other
    # does not is a disagreement of its own, even when the module also met such a duration.
    calendar = bool(seen) and by_module[0] == by_interpreter[0] == "decided"
    return Disagreement(case, by_module, by_interpreter, calendar)


def compiled(path: Path) -> tuple[ir.Checked, ModuleType]:
    checked = build.check_file(path)
    return checked, build.load_module(checked)


def corpus() -> list[tuple[str, dict[str, Any], str, str | None]]:
    """The regression corpus: (statute path, case, what was found, which side is expected to be wrong for now:
    "calendar" for the calendar change to come, or None)."""
    entries = []
    for file in sorted(CORPUS.glob("*.jsonl")):
        for line in file.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                entries.append((entry["statute"], entry["case"], entry["found"], entry.get("expected_failure")))
    return entries


# ------------------------------------------------------------------ dates at the ends of months


def month_edges(day: datetime.date) -> list[datetime.date]:
    """The days around `day` where calendar arithmetic is delicate: the first and last day of its month and of the
    months either side, and the end of February of the nearest leap year (29 February, 1 March)."""
    first = day.replace(day=1)
    before = first - datetime.timedelta(days=1)
    after = (first + datetime.timedelta(days=32)).replace(day=1)
    last = after - datetime.timedelta(days=1)
    # within 8 years: 1900 is no leap year, so from 1897 to 1903 there is none (the next is 1904)
    leap = next(y for y in range(day.year, day.year + 8) if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0))
    return [
        before,
        first,
        last,
        after,
        datetime.date(leap, 2, 28),
        datetime.date(leap, 2, 29),
        datetime.date(leap, 3, 1),
    ]


def _within(f: ir.FieldDef, day: datetime.date) -> bool:
    low, high = f.low, f.high
    return not (isinstance(low, datetime.date) and day < low) and not (isinstance(high, datetime.date) and day > high)


def _edged(draw: st.DrawFn, checked: ir.Checked, record: str, data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    for f in checked.record(record).fields:
        value = out.get(f.ident)
        if value is None:
            continue
        if f.type.kind is Kind.DATE and draw(st.integers(0, 2)) == 0:
            edges = [d for d in month_edges(datetime.date.fromisoformat(value)) if _within(f, d)]
            out[f.ident] = draw(st.sampled_from(edges)).isoformat() if edges else value
        elif f.type.kind is Kind.RECORD:
            out[f.ident] = _edged(draw, checked, f.type.name or "", value)
        elif f.type.kind is Kind.LIST:
            out[f.ident] = [_edged(draw, checked, f.type.name or "", element) for element in value]
    return out


@st.composite
def at_month_ends(
    draw: st.DrawFn, checked: ir.Checked, cases: st.SearchStrategy[dict[str, Any]], coherent: bool = True
) -> dict[str, Any]:
    """Cases of `cases` with about a third of their dates moved to a month's end or start, or a leap day; where the
    moved dates break a requirement of the statute, the case as drawn (the strategies draw coherent cases only),
    unless `coherent` is False."""
    drawn = draw(cases)
    edged = _edged(draw, checked, checked.root, drawn)
    return drawn if coherent and breaks_requirements(checked, edged) else edged


def breaks_requirements(checked: ir.Checked, case: dict[str, Any]) -> bool:
    """Whether a valid case breaks a requirement of the statute, by the interpreter's reading."""
    return bool(checked.requirements) and bool(broken_requirements(checked, read_case(checked, case)))
