"""`statute prove`: the checked model -> z3 constraints; guarantees proved or refuted, conflicts and gaps found.

Modules, in the order data flows: `calendar` (dates in the solver), `domain` (the case's facts as variables),
`terms` and `encode` (expressions), `definitions` (default logic), `prover` (the checks), `confirm` (re-running
witnesses in the generated evaluator), `report` (what was found, as text), `command`
(what `statute prove` prints: it imports this package, never the reverse).
Only `prove` needs z3, and imports it when called: the rest works without the optional `[prove]` extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from compiler.prove.report import Finding, GuaranteeResult, ProofReport, Witness, render_report

if TYPE_CHECKING:
    from compiler.model import ir
    from compiler.model.evaluator import Evaluator


def prove(
    checked: ir.Checked, max_list: int = 3, timeout_s: float = 30, evaluator: Evaluator | None = None
) -> ProofReport:
    """Prove each guarantee of `checked` for every case within the declared domains (lists of up to `max_list`
    records), and look for conflicts, gaps and rules that never apply; each solver call gets `timeout_s` seconds.
    Witnesses are re-run in `evaluator` (the statute's generated module, say); without one they are not."""
    from compiler.prove.confirm import Confirmer
    from compiler.prove.prover import prove as run

    confirmer = None if evaluator is None else Confirmer(checked, evaluator)
    return run(checked, max_list=max_list, timeout_s=timeout_s, confirmer=confirmer)


__all__ = ["Finding", "GuaranteeResult", "ProofReport", "Witness", "prove", "render_report"]
