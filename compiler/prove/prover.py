"""The checks `statute prove` runs: each guarantee, then conflicts, gaps and dead rules of each definition.

Each question is one solver call with a timeout: "is there a case within the domains where ...?". Unsatisfiable
means proved (or: there is none); a model is a witness case, re-run in the generated evaluator; a timeout or an
unknown answer is reported as such, never as proved. The whole proof has a time budget: once it has run out, no
solver call is made, and each check still open is reported as not done.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import z3

from compiler.model import ir
from compiler.prove.calendar import Z3
from compiler.prove.confirm import Confirmer
from compiler.prove.definitions import Instance, Model, may_be_undecided, mentions_parameter
from compiler.prove.domain import Domain, RecordVars
from compiler.prove.report import (
    FAILS,
    NOT_DONE,
    NOT_PROVED,
    PROVED,
    TIME_BUDGET_S,
    UNKNOWN,
    Finding,
    GuaranteeResult,
    ProofReport,
    Witness,
)
from compiler.prove.requirements import kept
from compiler.prove.terms import TRUE, Unsupported

OUT_OF_TIME = "the time budget ran out before this check was done"
FINDING_STATUS = {"unsat": "none", "unknown": UNKNOWN, "skipped": NOT_DONE}  # "is there one?" answered
# The solver's own count of work (not seconds) allowed to each search for a smaller or tidier witness: a case the
# solver finds in about 5 million steps here. Counted in steps, the witness is the same on a machine under load,
# where a limit in seconds ran out and left a witness with more records than needed.
WITNESS_STEPS = 40_000_000


@dataclass(frozen=True)
class Answer:
    status: str  # sat, unsat, unknown, skipped (the time budget had run out: no call was made, or it was cut short)
    model: Any
    seconds: float
    reason: str  # why unknown


class Prover:
    def __init__(
        self,
        checked: ir.Checked,
        max_list: int,
        timeout_s: float,
        confirmer: Confirmer,
        budget_s: float = TIME_BUDGET_S,
    ) -> None:
        self.checked = checked
        self.timeout_s = timeout_s
        self.deadline = time.perf_counter() + budget_s
        self.calls = 0  # solver calls made
        self.domain = Domain(checked, max_list)
        self.model = Model(checked, self.domain)
        self.confirmer = confirmer
        self.unencodable: dict[str, Unsupported] = {}
        for d in checked.definitions:  # every instance first, so that `needed` knows every place of use
            for subject in self.subjects(d):
                try:
                    self.model.instance(d.ident, subject)
                except Unsupported as exc:
                    self.unencodable.setdefault(d.ident, exc)
        coherent, self.unencoded_requirements = kept(checked, self.model.encoder)
        self.base = [*self.domain.constraints, *coherent]  # only cases that keep the requirements
        self.needed = self.model.demand_constraints()  # only the gap checks ask what deciding a case needs
        self.seed_models: list[Answer] = []
        self.seeds_skipped = 0

    def subjects(self, d: ir.Definition) -> list[RecordVars | None]:
        if d.owner is None:
            return [None]
        lists = [lv for lv in self.domain.root.lists.values() if lv.field.type.name == d.owner]
        return [slot for lv in lists for slot in lv.slots]

    def instances(self, d: ir.Definition) -> Iterator[tuple[Instance, Z3]]:
        """Each instance of `d`, with the condition under which it exists (its list slot is within the length)."""
        for subject in self.subjects(d):
            inst = self.model.instance(d.ident, subject)
            exists = TRUE
            if subject is not None and subject.index is not None:
                lv = next(lv for lv in self.domain.root.lists.values() if subject in lv.slots)
                exists = subject.index < lv.length
            yield inst, exists

    @property
    def out_of_time(self) -> bool:
        return time.perf_counter() >= self.deadline

    def ask(self, goal: Z3, *more: Z3, seconds: float | None = None, steps: int | None = None) -> Answer:
        """Is there a case within the domains where `goal` (and `more`) holds? One solver call, within the timeout
        and what is left of the time budget, and within `steps` of the solver's work if given; none once the
        budget has run out ("skipped")."""
        left = self.deadline - time.perf_counter()
        if left <= 0:
            return Answer("skipped", None, 0.0, OUT_OF_TIME)
        self.calls += 1
        solver = z3.Solver()
        solver.set("timeout", max(1, int(min(seconds or self.timeout_s, left) * 1000)))
        if steps is not None:
            solver.set("rlimit", steps)
        solver.add(*self.base, goal, *more)
        answer = self._check(solver)
        if answer.status == "unknown" and self.out_of_time:
            return Answer("skipped", None, answer.seconds, OUT_OF_TIME)
        return answer

    @staticmethod
    def _check(solver: Any, *assumptions: Z3) -> Answer:
        start = time.perf_counter()
        result = solver.check(*assumptions)
        seconds = time.perf_counter() - start
        if result == z3.sat:
            return Answer("sat", solver.model(), seconds, "")
        if result == z3.unsat:
            return Answer("unsat", None, seconds, "")
        reason = solver.reason_unknown()
        why = "timeout" if "timeout" in reason or "canceled" in reason else reason
        return Answer("unknown", None, seconds, why)

    def decidable(self) -> Z3:
        """The evaluator decides every outcome of the case (no conflict, gap or missing fact on the way)."""
        oks = []
        for ident in self.checked.outcomes:
            if ident not in self.unencodable:
                oks.append(self.model.instance(ident, None).term.ok)
        return z3.And(TRUE, *oks)

    def witness(self, answer: Answer, goal: Z3, *more: Z3) -> dict[str, object]:
        """The case of a satisfiable answer, made easy to read where the solver quickly allows: the fewest list
        records, then a case the evaluator decides in full, with durations under 30 days and empty texts."""
        lengths = [lv.length for lv in self.domain.lists()]
        found = sum(answer.model.eval(n, model_completion=True).as_long() for n in lengths)
        best = answer
        for fewest in range(found):
            retry = self.ask(goal, *more, z3.Sum(0, *lengths) <= fewest, steps=WITNESS_STEPS)
            if retry.status == "sat":
                best, found = retry, fewest
                break
        shortest = z3.Sum(0, *lengths) <= found
        for preferences in ([self.decidable(), *self.domain.tidy()], [self.decidable()]):
            retry = self.ask(goal, *more, shortest, *preferences, steps=WITNESS_STEPS)
            if retry.status == "sat":
                return self.domain.case(retry.model)
        return self.domain.case(best.model)

    # ---------------------------------------------------------------- guarantees

    def guarantee(self, g: ir.GuaranteeDef) -> GuaranteeResult:
        start = time.perf_counter()

        def result(status: str, reason: str = "", witness: Any = None) -> GuaranteeResult:
            seconds = time.perf_counter() - start
            return GuaranteeResult(g.ident, g.title, g.articles, g.span.line, status, reason, witness, seconds)

        try:
            enc = self.model.encoder
            premise = enc.expr(g.premise, {}, None) if g.premise is not None else None
            conclusion = enc.expr(g.conclusion, {}, None)
        except Unsupported as exc:
            return result(NOT_PROVED, f"unsupported construct at {exc}")
        broken = [conclusion.usable, z3.Not(conclusion.value)]
        if premise is not None:
            broken += [premise.usable, premise.value]
        answer = self.ask(z3.And(*broken))
        if answer.status == "unsat":
            return result(PROVED)
        if answer.status == "skipped":
            return result(NOT_DONE, answer.reason)
        if answer.status == "unknown":
            return result(UNKNOWN, f"unknown ({answer.reason})")
        case = self.witness(answer, z3.And(*broken))
        witness = self.confirmer.guarantee(g, case)
        if witness.confirmed is False and not witness.decided:
            return self._decided_counterexample(g, broken, witness, result)
        if witness.confirmed is False:
            return result(NOT_PROVED, "the prover's counterexample is NOT confirmed by the evaluator", witness)
        return result(FAILS, "", witness)

    def _decided_counterexample(
        self, g: ir.GuaranteeDef, broken: list[Z3], first: Witness, result: Callable[..., GuaranteeResult]
    ) -> GuaranteeResult:
        """The counterexample found is a case the evaluator cannot decide, which breaks no decision: ask for one it
        decides; where there is none, say so (the guarantee fails only where deciding reports a problem)."""
        goal = z3.And(*broken, self.decidable())
        answer = self.ask(goal)
        stopped = f"the counterexample found is a case the evaluator gives no decision for ({first.evaluator})"
        if answer.status == "unsat":
            return result(NOT_PROVED, f"{stopped}, and every case it decides keeps the guarantee", first)
        if answer.status == "skipped":
            return result(NOT_DONE, answer.reason)
        if answer.status == "unknown":
            return result(UNKNOWN, f"{stopped}; whether a case it decides breaks it is unknown ({answer.reason})")
        witness = self.confirmer.guarantee(g, self.witness(answer, goal))
        if witness.confirmed is False:
            return result(NOT_PROVED, "the prover's counterexample is NOT confirmed by the evaluator", witness)
        return result(FAILS, "", witness)

    # ---------------------------------------------------------------- definitions

    def findings(self, d: ir.Definition) -> list[Finding]:
        if d.ident in self.unencodable:
            exc = self.unencodable[d.ident]
            checks = ["conflict", "never applies"] + (["gap"] if may_be_undecided(d) else [])
            why = f"unsupported construct at {exc}"
            return [Finding(c, d.label, (), d.span.line, NOT_PROVED, why, None, 0.0) for c in checks]
        out = self.conflicts(d)
        if may_be_undecided(d):
            out.append(self.gap(d))
        out += self.dead_rules(d)
        return out

    def cover(self, goals: dict[str, Z3]) -> dict[str, Answer]:
        """An answer for each goal, with as few searches as can be. The statute's own examples are tried first
        (each is a case within the domains, and the solver settles a fixed case at once); a model found for one
        goal often satisfies others too. Then one search for any of the goals still open: when there is none (no
        conflict among 400 rules: 79,800 pairs), that one call answers them all; otherwise each is asked alone."""
        results: dict[str, Answer] = {}

        def settle(answer: Answer) -> None:
            for key, goal in goals.items():
                if key not in results and z3.is_true(answer.model.eval(goal, model_completion=True)):
                    results[key] = answer

        for seed in self.seeds():
            if len(results) == len(goals):
                break
            settle(seed)
        open_goals = [goal for key, goal in goals.items() if key not in results]
        if len(open_goals) > 1:
            anyone = self.ask(z3.Or(*open_goals))
            if anyone.status == "sat":
                settle(anyone)
            elif anyone.status in {"unsat", "skipped"}:
                results.update({key: anyone for key in goals if key not in results})
        for key, goal in goals.items():
            if key not in results:
                results[key] = self.ask(goal)
                if results[key].status == "sat":
                    settle(results[key])
        return results

    def seeds(self) -> Iterator[Answer]:
        """Models of the statute's examples (those whose lists fit the slots), found once and kept."""
        yield from self.seed_models
        for example in self.checked.examples[len(self.seed_models) + self.seeds_skipped :]:
            try:
                pinned = self.domain.pin(example.case)
            except (ValueError, KeyError, AssertionError):
                self.seeds_skipped += 1
                continue
            answer = self.ask(z3.And(*pinned), seconds=min(self.timeout_s, 5))
            if answer.status != "sat":
                self.seeds_skipped += 1
                continue
            self.seed_models.append(answer)
            yield answer

    def conflicts(self, d: ir.Definition) -> list[Finding]:
        """The pairs of rules that conflict. One call first asks whether any two rules conflict at all, in a formula
        linear in the rules: when none do (the common case), the quadratic pairs are never built or asked."""
        instances = list(self.instances(d))
        if len(d.rules) > 1:
            anyone = self.ask(z3.Or(*(z3.And(exists, inst.evaluable, inst.any_conflict) for inst, exists in instances)))
            if anyone.status in {"unsat", "skipped"}:
                status = FINDING_STATUS[anyone.status]
                detail = "no two rules both apply with different values" if status == "none" else anyone.reason
                return [Finding("conflict", d.label, (), d.span.line, status, detail, None, anyone.seconds)]
        goals: dict[str, list[Z3]] = {}
        pairs: dict[str, tuple[ir.RuleDef, ir.RuleDef]] = {}
        for inst, exists in instances:
            for c in inst.conflicts:
                key = f"{c.first.ident} {c.second.ident}"
                pairs[key] = (c.first, c.second)
                goals.setdefault(key, []).append(z3.And(exists, inst.evaluable, c.when))
        out: list[Finding] = []
        detail = "both rules apply and give different values, and neither is an exception to the other"
        for key, answer in self.cover({k: z3.Or(*g) for k, g in goals.items()}).items():
            first, second = pairs[key]
            names = (self._rule(first), self._rule(second))
            status = FINDING_STATUS.get(answer.status, "found")
            witness = None
            if status == "found":
                witness = self.confirmer.error(d, self.witness(answer, z3.Or(*goals[key])), "conflict")
            why = detail if status == "found" else answer.reason
            out.append(Finding("conflict", d.label, names, second.span.line, status, why, witness, answer.seconds))
        return out

    def gap(self, d: ir.Definition) -> Finding:
        needed = [
            z3.And(exists, inst.demanded, inst.evaluable, z3.Not(inst.decided)) for inst, exists in self.instances(d)
        ]
        goal = z3.Or(*needed)
        answer = self.ask(goal, *self.needed)
        status = FINDING_STATUS.get(answer.status, "found")
        witness = None
        detail = answer.reason
        if status == "found":
            witness = self.confirmer.error(d, self.witness(answer, goal, *self.needed), "gap")
            detail = "deciding the case needs this value, but no rule applies and there is no default"
        return Finding("gap", d.label, (), d.span.line, status, detail, witness, answer.seconds)

    def stops(self) -> Finding:
        """Whether some case within the domains cannot be decided at all: besides conflicts and gaps, a fact that
        may be missing is needed, a division by zero, or a date beyond the calendar. Reported for the drafter to
        judge; it does not fail the proof (the statute may rightly demand the fact)."""
        if any(ident in self.unencodable for ident in self.checked.outcomes):
            exc = next(self.unencodable[i] for i in self.checked.outcomes if i in self.unencodable)
            return Finding("stops", "the outcomes", (), 0, NOT_PROVED, f"unsupported construct at {exc}", None, 0.0)
        goal = z3.Not(self.decidable())
        answer = self.ask(goal)
        status = FINDING_STATUS.get(answer.status, "found")
        if status != "found":
            return Finding("stops", "the outcomes", (), 0, status, answer.reason, None, answer.seconds)
        witness = self.confirmer.stops(self.witness(answer, goal))
        detail = "the evaluator cannot decide every case: on this one it stops with an error"
        return Finding("stops", "the outcomes", (), 0, "found", detail, witness, answer.seconds)

    def dead_rules(self, d: ir.Definition) -> list[Finding]:
        applies: dict[str, Z3] = {}
        holds: dict[str, Z3] = {}
        for r in d.rules:
            terms = [(next(rt for rt in inst.rules if rt.rule is r), exists) for inst, exists in self.instances(d)]
            applies[r.ident] = z3.Or(*(z3.And(exists, rt.can_apply) for rt, exists in terms))
            holds[r.ident] = z3.Or(*(z3.And(exists, rt.condition.usable, rt.condition.value) for rt, exists in terms))
        answers = self.cover(applies)
        out: list[Finding] = []
        for r in d.rules:
            answer = answers[r.ident]
            status = {"sat": "none", "unknown": UNKNOWN, "skipped": NOT_DONE}.get(answer.status, "found")
            detail = answer.reason
            if status == "found":
                switched = " with the parameters as set" if mentions_parameter(r) else ""
                why = self.ask(holds[r.ident]).status
                detail = {
                    "unsat": f"its condition can never hold{switched}",
                    "sat": "it is always overridden by an exception that applies whenever it would",
                }.get(why, f"its condition can never hold{switched}, or an exception always overrides it")
            out.append(
                Finding("never applies", d.label, (self._rule(r),), r.span.line, status, detail, None, answer.seconds)
            )
        return out

    def _rule(self, r: ir.RuleDef) -> str:
        return f"{r.citation.label} (line {r.span.line})"


def prove(
    checked: ir.Checked,
    max_list: int = 3,
    timeout_s: float = 30,
    confirmer: Confirmer | None = None,
    progress: Callable[[str], None] | None = None,
    budget_s: float = TIME_BUDGET_S,
) -> ProofReport:
    """Every guarantee, then every definition's conflicts, gaps and dead rules, for cases within the domains, in
    `budget_s` seconds at most (beyond the time to build the solver's terms): the checks the budget leaves undone
    are reported as not done."""
    start = time.perf_counter()
    confirmer = confirmer or Confirmer(checked, None, "no evaluator was given; witnesses are not re-run")
    prover = Prover(checked, max_list, timeout_s, confirmer, budget_s)
    guarantees = []
    for g in checked.guarantees:
        guarantees.append(prover.guarantee(g))
        if progress:
            progress(f"{g.ident}: {guarantees[-1].status} ({guarantees[-1].seconds:.2f} s)")
    findings = [f for d in checked.definitions for f in prover.findings(d)]
    findings.append(prover.stops())
    return ProofReport(
        file=checked.file,
        title=checked.title,
        max_list=max_list,
        timeout_s=timeout_s,
        budget_s=budget_s,
        guarantees=tuple(guarantees),
        findings=tuple(findings),
        seconds=time.perf_counter() - start,
        evaluator_note=confirmer.note,
    )


__all__ = ["FAILS", "NOT_PROVED", "PROVED", "UNKNOWN", "prove"]
