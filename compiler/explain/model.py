"""An explanation of one decision: what the templates render, in the statute's words with the case's values.

Everything here is read from the trace of the decision (compiler.explain.reasons) and from re-deciding changed cases
with the same generated module (compiler.explain.counterfactual); nothing re-derives the statute's logic, so an
explanation cannot disagree with the decision it explains.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fact:
    """One fact of the case as the drafter named it; a list of records has one tuple of facts per element."""

    ident: str
    label: str
    value: str
    elements: tuple[tuple[str, tuple[Fact, ...]], ...] = ()  # (element label, its facts)


@dataclass(frozen=True)
class Condition:
    """One part of a rule's condition, as tested.

    kind "atom" is a single test in the statute's words (`text`, values written in); "all", "any" and "not" group
    `parts` (and, or, not). `held` is None when the condition was not tested (an earlier part settled the rule).
    """

    kind: str
    text: str
    held: bool | None
    parts: tuple[Condition, ...] = ()
    derived: tuple[Derived, ...] = ()  # the definitions it uses, explained in turn
    elements: tuple[ElementReason, ...] = ()  # for any/every/no: the elements looked at


@dataclass(frozen=True)
class ElementReason:
    """What a quantifier found for one element of a list: "charge 1 (Article 293 (hooliganism))"."""

    label: str
    held: bool | None
    conditions: tuple[Condition, ...]


@dataclass(frozen=True)
class ScaleSteps:
    """A scale a rule applied, bracket by bracket (compiler/explain/scales.py): "the contribution scale applied to the
    salary (marginal rates: ...), on 13,000.00 EUR:", then "2% of the first 6,000.00 EUR = 120.00 EUR", ..., and the
    total."""

    heading: str
    steps: tuple[str, ...]
    total: str


@dataclass(frozen=True)
class RuleReason:
    """A rule, where it stands in the law, and what became of it for this case.

    status: applied, failed (its condition did not hold), set aside (an exception that applied prevails over it),
    not tested (its value was already settled), conflict (it applied and disagrees with another rule).
    """

    ident: str
    article: str  # "Article 2"
    heading: str  # "Article 2. Release for ..."
    quote: str | None  # the law's own sentence
    words: str  # the rule as the drafter wrote it
    value: str  # what it gives: "released from punishment", or a calculation with its values
    status: str
    conditions: tuple[Condition, ...]  # the condition as tested (the parts of a top-level 'and')
    failed: tuple[Condition, ...]  # for a rule that failed: the conditions that made it fail
    set_aside_by: tuple[str, ...]  # articles of the exceptions that set it aside
    derived: tuple[Derived, ...]  # definitions its value uses
    exception: bool  # an exception ("Exception to Article 3: ...")
    worked_out: bool = False  # it applied and its value is a calculation, shown with the values it was made from
    scales: tuple[ScaleSteps, ...] = ()  # the scales its value applied, bracket by bracket


@dataclass(frozen=True)
class Derived:
    """A definition or predicate used by a condition, explained in turn (a fold of the tree)."""

    ident: str
    label: str
    anchor: str  # unique in the page: the HTML id of its explanation
    kind: str  # definition, predicate, outcome
    value: str
    by_default: bool
    rules: tuple[RuleReason, ...]  # the rules that gave the value
    not_applied: tuple[RuleReason, ...]  # when none gave it: why each did not apply
    see_above: str | None  # the anchor of its full explanation, when it was explained earlier


@dataclass(frozen=True)
class Alternative:
    """Another value an outcome could have had, and why it did not."""

    value: str
    rules: tuple[RuleReason, ...]


@dataclass(frozen=True)
class OutcomeReason:
    ident: str
    label: str  # "amnesty measure"
    value: str
    decided: bool  # False: an optional outcome no rule decided
    by_default: bool
    because: tuple[RuleReason, ...]  # the rules that decided it
    exceptions: tuple[RuleReason, ...]  # exceptions to those rules that were considered and did not apply
    prevails_over: tuple[str, ...]  # when an exception decided it: the articles whose rules it set aside
    why_not: tuple[Alternative, ...]
    record: str = ""  # a record's outcome: the record, "charge 2 (Article 293 (hooliganism))"; "" for the case's
    anchor: str = ""  # its section's anchor: `why-<ident>` for the case's, `why-<ident>-of-<n>` for a record's


@dataclass(frozen=True)
class Change:
    """A change of one fact that changes the decision: applying `value` at `path` of the case."""

    path: tuple[str | int, ...]  # ("charges", 0, "gravity")
    fact: str  # "the gravity of charge 1"
    field: str  # the fact's name: "gravity"
    owner: str  # the record it is a fact of: "charge 1 (Article 293 (hooliganism))", or the case record: "person"
    old: str
    new: str
    value: object  # the new value (a citation as the model holds it: the evaluator's with_fact takes either)
    outcomes: tuple[tuple[str, str, str], ...]  # (outcome label, value before, value after) of changed outcomes
    articles: tuple[str, ...]  # the articles that decide the changed outcomes after the change
    # how many outcomes of records it changes besides those in `outcomes` (RECORD_CHANGES_SHOWN), as the reader's
    # language writes the number ("2,996"); "" when none
    more_outcomes: str = ""


@dataclass(frozen=True)
class ConflictReason:
    label: str  # what could not be decided: "amnesty measure"
    first: RuleReason
    second: RuleReason
    first_value: str
    second_value: str


@dataclass(frozen=True)
class Explanation:
    title: str
    file: str
    lang: str
    case_id: str | None
    facts: tuple[Fact, ...]
    outcomes: tuple[OutcomeReason, ...]  # empty when a conflict stopped the decision
    conflict: ConflictReason | None
    undecided: str | None  # why an outcome could not be decided, when one could not
    changes: tuple[Change, ...]  # the smallest single-fact changes that change the decision, best first
    changes_searched: bool  # False when no search was made (a conflict or an undecided outcome)
    searched_facts: int  # how many facts on the decision's path were tried
    changes_tried: int = 0  # candidate changes decided again
    changes_untried: int = 0  # candidate changes the search's budget left untried: the search stopped early

    @property
    def search_stopped_early(self) -> bool:
        return self.changes_untried > 0
