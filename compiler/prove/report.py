"""What `statute prove` found, as frozen values, and the plain text a drafter reads.

Nothing here needs z3: the report can be built, stored and printed without the solver.
"""

from __future__ import annotations

from dataclasses import dataclass

from compiler.foundation.inert import json_text, visible
from compiler.foundation.wording import counted

PROVED = "proved"
FAILS = "fails"
NOT_PROVED = "not proved"
UNKNOWN = "unknown"
NOT_DONE = "not done"  # the time budget of the proof ran out first: nothing is claimed
TIME_BUDGET_S = 300.0  # seconds for a whole proof unless `statute prove --time-budget` says otherwise


@dataclass(frozen=True)
class Witness:
    """A case that shows a finding, and what the generated evaluator made of it."""

    case: dict[str, object]
    confirmed: bool | None  # None: the evaluator could not be run
    evaluator: str  # the evaluator's decision on the case, or the error it raised
    decided: bool = True  # whether `evaluator` is a decision (False: why the evaluator gives none)


@dataclass(frozen=True)
class GuaranteeResult:
    ident: str
    title: str
    articles: tuple[str, ...]
    line: int
    status: str  # proved, fails, not proved, unknown, not done
    reason: str  # why not proved or unknown; empty otherwise
    witness: Witness | None
    seconds: float

    @property
    def holds(self) -> bool:
        return self.status == PROVED


@dataclass(frozen=True)
class Finding:
    """One check on one definition: a conflict between two rules, a gap, or a rule that can never apply.

    status: "found" (with a witness for conflicts and gaps), "none" (checked: there is none), not proved, unknown,
    not done (the time budget ran out first).
    """

    check: str  # conflict, gap, never applies, stops (some case cannot be decided at all)
    definition: str  # the drafter's label
    rules: tuple[str, ...]  # "article_2_rule_1 (Article 2, line 80)"
    line: int
    status: str
    detail: str
    witness: Witness | None
    seconds: float


@dataclass(frozen=True)
class ProofReport:
    file: str
    title: str
    max_list: int
    timeout_s: float
    guarantees: tuple[GuaranteeResult, ...]
    findings: tuple[Finding, ...]
    seconds: float
    evaluator_note: str  # why counterexamples could not be re-run, if they could not
    budget_s: float | None = None  # the time budget of the whole proof (None: not stated)

    @property
    def not_done(self) -> int:
        """Checks the time budget left undone: guarantees and findings reported as not done."""
        return sum(1 for g in self.guarantees if g.status == NOT_DONE) + sum(
            1 for f in self.findings if f.status == NOT_DONE
        )

    @property
    def failing_findings(self) -> tuple[Finding, ...]:
        """Conflicts and gaps found, and any conflict or gap check that could not be completed."""
        return tuple(
            f
            for f in self.findings
            if f.check in {"conflict", "gap"} and (f.status == "found" or f.status in {NOT_PROVED, UNKNOWN, NOT_DONE})
        )

    @property
    def all_well(self) -> bool:
        return all(g.holds for g in self.guarantees) and not self.failing_findings and not self.not_done


def render_report(report: ProofReport) -> str:
    lines = [
        f"Proof report for {report.title} ({report.file})",
        f"Cases considered: every case within the declared domains, with lists of up to {report.max_list} records.",
        f"Each solver call may take up to {report.timeout_s:g} s"
        + (f", the whole proof {report.budget_s:g} s." if report.budget_s is not None else "."),
    ]
    if report.evaluator_note:
        lines.append(f"Note: {report.evaluator_note}")
    lines += ["", "Guarantees", "----------"]
    for g in report.guarantees:
        lines += _guarantee(g)
    title = "Conflicts, gaps, rules that never apply, undecidable cases"
    lines += ["", title, "-" * len(title)]
    lines += _findings(report.findings)
    lines += ["", *_summary(report)]
    # Titles, labels and the values of witnesses are the statute's text and drawn data: each line shown, not obeyed,
    # and a line break inside a value shown as ⏎, never a line of its own.
    return "\n".join(visible(line) for line in lines) + "\n"


def _guarantee(g: GuaranteeResult) -> list[str]:
    where = ", ".join(g.articles) or "the statute"
    head = f"{g.title} ({where}; line {g.line})"
    if g.status == PROVED:
        return [f"PROVED      {head}", "            proved for all cases within the declared domains", ""]
    if g.status == FAILS:
        assert g.witness is not None
        out = [f"FAILS       {head}", "            counterexample:"]
        out += _witness(g.witness, "guarantee")
        return [*out, ""]
    label = {NOT_PROVED: "NOT PROVED ", NOT_DONE: "NOT DONE   "}.get(g.status, "UNKNOWN    ")
    return [f"{label} {head}", f"            {g.status}: {g.reason}", ""]


# What a witness shows, as a clause that is true when the evaluator confirms it, by kind of finding.
CLAIMS = {
    "guarantee": "the guarantee fails on this case",
    "conflict": "two rules of equal rank give different values on this case",
    "gap": "no rule decides the value on this case, and it has no default",
    "stops": "it cannot decide this case",
}


def _witness(w: Witness, kind: str) -> list[str]:
    claim = CLAIMS[kind]
    out = ["            " + line for line in json_text(w.case, indent=2).split("\n")]  # a case file: escapes
    if w.confirmed is True:
        out.append(f"            confirmed by the evaluator: {claim}")
    elif w.confirmed is False:
        out.append(
            f"            NOT confirmed by the evaluator: it does not find that {claim}, so the prover and the "
            "evaluator disagree (a fault of one of them)"
        )
    else:
        out.append("            not re-run: the evaluator is not available")
    if w.evaluator:
        said = "the evaluator decides" if w.decided else "the evaluator gives no decision"
        out.append(f"            {said}: {w.evaluator}")
    return out


def _findings(findings: tuple[Finding, ...]) -> list[str]:
    out: list[str] = []
    for f in findings:
        if f.status == "none":
            continue
        if f.check == "conflict" and not f.rules:  # asked once for every pair of rules of the definition
            head = f"CONFLICTS between any two rules of '{f.definition}'"
        elif f.check == "conflict":
            head = f"CONFLICT in '{f.definition}' between {' and '.join(f.rules)}"
        elif f.check == "gap":
            head = f"GAP in '{f.definition}' (declared at line {f.line})"
        elif f.check == "stops":
            head = "UNDECIDABLE CASES (for the drafter to judge; not a failure of the proof)"
        else:
            head = f"NEVER APPLIES: the rule of {' '.join(f.rules) or 'the statute'} on '{f.definition}'"
        if f.status == "found":
            out.append(f"{head}: {f.detail}")
            if f.witness is not None:
                out.append("            witness:")
                out += _witness(f.witness, f.check)
        else:
            label = {NOT_PROVED: "NOT PROVED", NOT_DONE: "NOT DONE"}.get(f.status, "UNKNOWN")
            out.append(f"{head}: {label}: {f.detail}")
        out.append("")
    checked = sum(1 for f in findings if f.status == "none")
    further = counted(checked, "further check", "further checks")
    out.append(f"{further} (conflicts, gaps, rules that never apply, undecidable cases) found nothing.")
    return out


def _summary(report: ProofReport) -> list[str]:
    counts = {s: sum(1 for g in report.guarantees if g.status == s) for s in (PROVED, FAILS, NOT_PROVED, UNKNOWN)}
    conflicts = sum(1 for f in report.findings if f.check == "conflict" and f.status == "found")
    gaps = sum(1 for f in report.findings if f.check == "gap" and f.status == "found")
    dead = sum(1 for f in report.findings if f.check == "never applies" and f.status == "found")
    stops = any(f.check == "stops" and f.status == "found" for f in report.findings)
    open_checks = sum(1 for f in report.findings if f.status in {NOT_PROVED, UNKNOWN})
    times = ", ".join(f"{g.ident} {g.seconds:.2f} s" for g in report.guarantees)
    budget = f" of {report.budget_s:g} s" if report.budget_s is not None else ""
    not_done = counted(report.not_done, "check was", "checks were")
    undone = (
        [
            f"NOT DONE: {not_done} not done: the time budget{budget} ran out "
            "(each is listed above; none is proved). Give more time with --time-budget SECONDS."
        ]
        if report.not_done
        else []
    )
    return [
        f"Summary: {counted(len(report.guarantees), 'guarantee')}: {counts[PROVED]} proved, "
        f"{counted(counts[FAILS], 'fails', 'fail')}, {counts[NOT_PROVED]} not proved, {counts[UNKNOWN]} unknown; "
        f"{counted(conflicts, 'conflict')}, {counted(gaps, 'gap')}, "
        f"{counted(dead, 'rule that never applies', 'rules that never apply')}, "
        f"{'some' if stops else 'no'} undecidable cases, {counted(open_checks, 'check')} not completed; "
        f"{report.seconds:.1f} s in all.",
        f"Time per guarantee: {times or 'none'}.",
        *undone,
    ]
