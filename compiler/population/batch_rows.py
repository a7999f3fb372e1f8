"""The one loop that decides rows: every command that decides the rows of a case file (`statute run`, population
runs with their fast JSON Lines path, reports, diffs) goes through `decide_rows`, so that a row is decided, and a
bad row rejected, the same way everywhere.

A bad row never stops the others: it becomes a Rejected naming its row, the field at fault when there is one, and
the reason, so that rows in = decided + rejected. A Rejected holds the reason twice, as `statute run` prints it
(`reason`: a sentence about the row, one problem a line) and as a rejects file holds it (`record()`: kind, field,
reason).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol, assert_never

from compiler.foundation.inert import visible
from compiler.model import ir
from compiler.model.evaluator import Conflict, Failed, RowDecider, Stop, Undecided
from compiler.population.casefiles import case_data, read_rows, root_types

ReadRow = tuple[int, str, dict[str, object] | str]  # (row number, case id, the case or why it cannot be read)


class Decided(NamedTuple):
    """A decided row. A named tuple, not a dataclass: one is made for every row of a register, and a frozen
    dataclass costs four times as much to make (a twentieth of the fast JSON Lines path's time per row)."""

    row: int
    case_id: str
    case: object  # the decider's own case, decision and trace: hand them back to it (RowDecider)
    decision: object
    trace: object = None  # the evaluation trace, when the run recorded one
    shown: dict[str, object] | None = None  # decision_as_dict's, when the loop was asked for it


@dataclass(frozen=True)
class Rejected:
    row: int
    case_id: str
    # one line, or one problem a line: a line break from the case itself is shown as ⏎ (compiler.foundation.inert)
    reason: str
    kind: str  # unreadable, invalid, conflict, undecided, error
    field: str | None  # the field at fault, or the outcome that could not be decided
    detail: str  # the reason as a rejects file holds it
    case: object = None  # the case as read, when it was read but not decided (a conflict, a gap): it can be explained

    def record(self) -> dict[str, object]:
        """The row of a rejects file."""
        return {"row": self.row, "id": self.case_id, "kind": self.kind, "field": self.field, "reason": self.detail}


def decide_rows(
    decider: RowDecider, rows: Iterable[ReadRow], trace: bool = False, shown: bool = False
) -> list[Decided | Rejected]:
    """Each row decided by `decider` (the generated module's GeneratedRowDecider, or the interpreter's), in order:
    Decided (with a trace when `trace`, with decision_as_dict's value when `shown`: a decision that cannot be written
    rejects its row) or Rejected. Never raises for a bad row.

    A row that reads as a case is first decided plainly, at the least cost; any exception sends it to `_decide_one`,
    which decides it again step by step and says what went wrong: a bad row costs twice, a good one once. The rows
    come in chunks, so the result is a list: building it costs less per row than a generator's yield, and the
    Decided of the usual run (no trace, nothing shown) is made without a call in Python (`_decided`)."""
    out: list[Decided | Rejected] = []
    add = out.append
    load, decide, as_dict = decider.load_case, decider.decide, decider.decision_as_dict  # the decider's own
    if not trace and not shown:  # the usual run, the fast JSON Lines path's: nothing more per row than it needs
        for number, case_id, data in rows:
            if type(data) is dict:
                try:
                    case = load(data)
                    add(_decided(Decided, (number, case_id, case, decide(case), None, None)))
                    continue
                except Exception:  # an invalid case, a conflict, a gap, an evaluator failure
                    pass
            add(_decide_one(decider, number, case_id, data, trace, shown))
        return out
    new_trace = decider.new_trace if trace else None
    for number, case_id, data in rows:
        if type(data) is dict:
            recorder = new_trace() if new_trace is not None else None
            try:
                case = load(data)
                decision = decide(case, recorder)
                add(Decided(number, case_id, case, decision, recorder, as_dict(decision) if shown else None))
                continue
            except Exception:  # an invalid case, a conflict, a gap, an evaluator failure, a number too long
                pass
        add(_decide_one(decider, number, case_id, data, trace, shown))
    return out


_decided = tuple.__new__  # Decided(...) without its __new__ written in Python: all six fields, in order


def _decide_one(
    decider: RowDecider, number: int, case_id: str, data: dict[str, object] | str, trace: bool, shown: bool
) -> Decided | Rejected:
    if isinstance(data, str):  # why the row cannot be read, with the field at fault when one is
        why = visible(_naming_the_row(number, data))
        return Rejected(number, case_id, why, "unreadable", getattr(data, "field", None), str(data))
    try:
        case = decider.load_case(data)
    except decider.case_errors as exc:
        return _invalid(number, case_id, exc)
    recorder = decider.new_trace() if trace else None
    try:
        decision = decider.decide(case, recorder)
    except decider.case_errors as exc:  # the interpreter checks the requirements here
        return _invalid(number, case_id, exc)
    except Exception as exc:  # a conflict, a gap, an evaluator failure: it must not stop the run nor lose the row
        return _stopped(decider.stop(exc), exc, number, case_id, case)
    try:
        written = decider.decision_as_dict(decision) if shown else None
    except Exception as exc:
        return unwritable(number, case_id, exc)
    return Decided(number, case_id, case, decision, recorder, written)


def _stopped(stop: Stop, exc: Exception, number: int, case_id: str, case: object) -> Rejected:
    """The reject of a row whose deciding stopped, as `stop` says why: the case is kept, to be explained."""
    match stop:
        case Conflict(definition=definition) | Undecided(definition=definition):
            kind = "conflict" if isinstance(stop, Conflict) else "undecided"
            return Rejected(number, case_id, visible(str(exc)), kind, definition, str(exc), case)
        case Failed(text=failure):
            said = visible(f"row {number} cannot be decided: {failure}")
            return Rejected(number, case_id, said, "error", None, f"the evaluator failed: {failure}")
        case _:
            assert_never(stop)


def _invalid(number: int, case_id: str, exc: Exception) -> Rejected:
    """A case the module's reader (or the statute's requirements) refuses: the first problem's field."""
    problems = _problems(exc)
    if not problems:
        return Rejected(number, case_id, case_error_text(exc), "invalid", None, str(exc))
    first = problems[0]
    where = f"{first.path}.{first.field}" if first.field else first.path
    reason = first.reason if len(problems) == 1 else "; ".join(str(p) for p in problems)
    return Rejected(number, case_id, case_error_text(exc), "invalid", where, reason)


class _Problem(Protocol):
    """One problem of a case a decider refuses (the module's Problem, the interpreter's, the model's Reject)."""

    path: str
    field: str
    reason: str


def _problems(exc: Exception) -> tuple[_Problem, ...]:
    """The problems a decider's case error names (none: it names none)."""
    problems: tuple[_Problem, ...] = tuple(getattr(exc, "problems", ()))
    return problems


def unwritable(number: int, case_id: str, exc: Exception) -> Rejected:
    """The reject of a row decided but whose decision cannot be written (or tallied): a number too long, say."""
    failure = f"{type(exc).__name__}: {exc}"
    said = visible(f"row {number} cannot be decided: {failure}")
    return Rejected(number, case_id, said, "error", None, f"the decision cannot be written: {failure}")


def case_error_text(exc: Exception) -> str:
    """A CaseError's message, one problem a line as the module writes it; a line break from the case (in a field's
    name, say) is shown as ⏎, so that only the module's own line breaks start a line."""
    problems = _problems(exc)
    if not problems:
        return visible(str(exc))
    head = str(exc).split("\n", 1)[0]
    return "\n".join([visible(head), *(f"  {visible(str(p))}" for p in problems)])


def _naming_the_row(number: int, reason: str) -> str:
    """casefiles' reason for a row, as a sentence about the row: "row 3 is not valid JSON (...)"."""
    if reason.startswith(("column ", "cell ", "the id ")):
        return f"row {number}, {reason}"
    if reason.startswith(("holds ", "cannot ", "gives ", "has ")):
        return f"row {number} {reason}"
    return f"row {number} is {reason}"


def read_cases(path: Path, checked: ir.Checked) -> Iterator[ReadRow]:
    """(row number, case id, the case or why it cannot be read) for each row of a JSON Lines, CSV or Parquet file.

    A row that cannot be read (not UTF-8, not JSON, nested too deeply, a number too long) gives the reason, with the
    field at fault when there is one: one bad row never stops the others (casefiles)."""
    types = root_types(checked)
    for number, raw in read_rows(path):
        yield number, *case_data(number, raw, types)
