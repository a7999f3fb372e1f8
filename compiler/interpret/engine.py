"""The reference interpreter behind the generated module's interface: `statute run --engine interpreter` decides
its rows in the one loop that decides every run's rows (compiler/batch_rows.py), with or without --out (chunks,
workers, rejects, results files), with this adapter in the module's place.

The adapter gives what the loop uses of a module: `load_case`, `decide`, `decision_as_dict`, `CaseError`,
`ConflictError` and `UndecidedError`. A case is first read by the module's `read_case` (`load_case` when the
statute has no requirements), for its messages about a bad case only (the record, the field, "did you mean"); the
interpreter then reads the accepted case itself, checks the statute's requirements (BrokenRequirements, one of the
adapter's CaseError) and decides it with its own values. A decision is the dict the module's `decision_as_dict`
would give. It has no `Trace`: an explanation or a tally that needs the deciding rules reads the module's trace,
which the interpreter does not keep.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compiler import ir
from compiler.interpret.decide import decide
from compiler.interpret.errors import Conflict, Undecided
from compiler.interpret.requirements import BrokenRequirements


@dataclass(frozen=True)
class Accepted:
    """A case the module's reader accepted, as the case file gave it: what the interpreter reads."""

    data: Mapping[str, object]


def as_module(checked: ir.Checked, module: types.ModuleType) -> types.ModuleType:
    """A module-like object deciding with the reference interpreter, reading cases with `module`'s reader."""
    adapter = types.ModuleType(f"{module.__name__}_interpreted", __doc__)

    read = getattr(module, "read_case", module.load_case)  # the requirements are the interpreter's to check (decide)

    def load_case(data: Mapping[str, object]) -> Accepted:
        read(data)  # raises the module's CaseError, with its messages
        return Accepted(data)

    def decide_case(case: Accepted, trace: Any = None) -> dict[str, object]:
        if trace is not None:
            raise ValueError("the reference interpreter keeps no trace")
        return decide(checked, case.data)

    def decision_as_dict(decision: dict[str, object]) -> dict[str, object]:
        return decision  # the interpreter's decisions are what decision_as_dict gives already

    adapter.load_case = load_case  # type: ignore[attr-defined]
    adapter.decide = decide_case  # type: ignore[attr-defined]
    adapter.decision_as_dict = decision_as_dict  # type: ignore[attr-defined]
    adapter.CaseError = (module.CaseError, BrokenRequirements)  # type: ignore[attr-defined]
    adapter.ConflictError = Conflict  # type: ignore[attr-defined]
    adapter.UndecidedError = Undecided  # type: ignore[attr-defined]
    return adapter
