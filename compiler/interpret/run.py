"""`statute run --engine interpreter`: the cases of a case file decided by the reference interpreter.

Each case is first read by the generated module's `read_case` (`load_case` when the statute has no requirements),
for its messages about a bad case only (the record, the field, "did you mean"); the interpreter then reads the
accepted case itself, checks the statute's requirements and decides it with its own values.
A decision is the dict the module's `decision_as_dict` would give.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from types import ModuleType
from typing import Any

from compiler import ir
from compiler.interpret.decide import decide
from compiler.interpret.errors import Conflict, Undecided
from compiler.interpret.requirements import BrokenRequirements
from compiler.runner import Decided, Rejected, case_error_text


def decide_cases(
    checked: ir.Checked, module: ModuleType, rows: Iterable[tuple[int, str, dict[str, Any] | str]]
) -> Iterator[Decided | Rejected]:
    """As runner.decide_cases, each Decided holding the decision as a dict."""
    for number, case_id, data in rows:
        if isinstance(data, str):
            yield Rejected(number, case_id, data)
            continue
        try:  # the module reads the facts; the requirements are the interpreter's to check (decide)
            case = getattr(module, "read_case", module.load_case)(data)
        except module.CaseError as exc:
            yield Rejected(number, case_id, case_error_text(exc))
            continue
        try:
            yield Decided(number, case_id, case, decide(checked, data))
        except BrokenRequirements as exc:
            yield Rejected(number, case_id, case_error_text(exc))
        except (Conflict, Undecided) as exc:
            yield Rejected(number, case_id, str(exc), case)
