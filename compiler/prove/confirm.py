"""Re-running the prover's witness cases in the generated evaluator, so that no finding rests on the encoding alone.

A guarantee's counterexample is confirmed when the evaluator reads the case, and the guarantee's premise holds and
its conclusion fails there, both computed by the evaluator's own definitions (the few connectives around them are
interpreted here, with the evaluator's runtime values). A conflict or gap witness is confirmed when the evaluator
stops on it with a ConflictError or UndecidedError for that definition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from compiler.model import ir
from compiler.model.evaluator import CannotWorkOut, CaseRejected, Conflict, Decision, Evaluator, Undecided
from compiler.prove.report import Witness


@dataclass(frozen=True)
class Confirmer:
    """Re-runs witnesses in `evaluator`, given by the caller (None: they are not re-run, and `note` says why)."""

    checked: ir.Checked
    evaluator: Evaluator | None
    note: str = ""

    def decision(self, case: dict[str, object]) -> str:
        return self.decided(case)[1]

    def decided(self, case: dict[str, object]) -> tuple[bool, str]:
        """Whether the evaluator decides `case`, and its decision as JSON or the error it stops with (any error of
        deciding: a conflict, an undecided value, a date beyond the calendar, a division by zero)."""
        assert self.evaluator is not None
        try:
            result = self.evaluator.decide(self.evaluator.read_case(case))
        except CaseRejected as exc:
            return False, f"CaseError: {exc}"
        if not isinstance(result, Decision):
            return False, result.text
        return True, json.dumps(dict(result.shown), ensure_ascii=False, default=str)

    def guarantee(self, g: ir.GuaranteeDef, case: dict[str, object]) -> Witness:
        if self.evaluator is None:
            return Witness(case, None, "")
        try:
            loaded = self.evaluator.read_case(case)
        except CaseRejected as exc:
            return Witness(case, False, f"it refuses the case: {exc}", False)
        try:
            premise = True if g.premise is None else self.evaluator.value(loaded, g.premise)
            conclusion = self.evaluator.value(loaded, g.conclusion)
        except CannotWorkOut as exc:
            return Witness(case, False, f"it cannot work out the guarantee: {exc}", False)
        decided, said = self.decided(case)
        # A case the evaluator cannot decide breaks no decision: deciding it reports the problem instead (the prover
        # then looks for a counterexample the evaluator decides).
        return Witness(case, premise is True and conclusion is False and decided, said, decided)

    def stops(self, case: dict[str, object]) -> Witness:
        """Confirm that the evaluator cannot decide `case` (it raises rather than deciding)."""
        if self.evaluator is None:
            return Witness(case, None, "")
        decided, said = self.decided(case)
        return Witness(case, not decided, said, decided)

    def error(self, d: ir.Definition, case: dict[str, object], kind: str) -> Witness:
        """Confirm a conflict (kind 'conflict') or a gap ('gap') in `d`."""
        if self.evaluator is None:
            return Witness(case, None, "")
        try:
            loaded = self.evaluator.read_case(case)
        except CaseRejected as exc:
            return Witness(case, False, f"it refuses the case: {exc}", False)
        for stop in self.evaluator.stops_in(loaded, d):
            match stop:
                case Conflict() if kind == "conflict":
                    ours = stop.definition == d.label
                case Undecided() if kind == "gap":
                    ours = stop.definition == d.label and stop.reason.startswith("no rule applies")
                case _:
                    ours = False
            if ours:
                decided, said = self.decided(case)
                return Witness(case, True, said, decided)
        decided, said = self.decided(case)
        return Witness(case, False, said, decided)
