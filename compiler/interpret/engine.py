"""The reference interpreter behind the generated module's interface, for population runs: `statute run --engine
interpreter --out RESULTS` goes through compiler/batch.py as the module does (chunks, workers, rejects, results
files), with this adapter in the module's place.

The adapter gives what batch.py uses of a module: `load_case` (the module's own, for its messages about a bad case
only; the interpreter then reads the accepted case itself, as run.py does), `decide`, `decision_as_dict`,
`CaseError`, `ConflictError` and `UndecidedError`. It has no `Trace`: an explanation or a tally that needs the
deciding rules reads the module's trace, which the interpreter does not keep.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from compiler import ir
from compiler.interpret.decide import decide
from compiler.interpret.errors import Conflict, Undecided


@dataclass(frozen=True)
class Accepted:
    """A case the module's reader accepted, as the case file gave it: what the interpreter reads."""

    data: Mapping[str, object]


def as_module(checked: ir.Checked, module: types.ModuleType) -> types.ModuleType:
    """A module-like object deciding with the reference interpreter, reading cases with `module`'s reader."""
    adapter = types.ModuleType(f"{module.__name__}_interpreted", __doc__)

    def load_case(data: Mapping[str, object]) -> Accepted:
        module.load_case(data)  # raises the module's CaseError, with its messages
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
    adapter.CaseError = module.CaseError  # type: ignore[attr-defined]
    adapter.ConflictError = Conflict  # type: ignore[attr-defined]
    adapter.UndecidedError = Undecided  # type: ignore[attr-defined]
    return adapter
