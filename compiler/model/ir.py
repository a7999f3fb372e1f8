"""The checked statute: every name resolved, every expression typed. The backends read only this.

Rules stay in default-logic form: each definition lists its rules, and each rule knows which rules prevail over it.
Expressions carry their Span so explanations can quote the drafter's words; `Checked.words(span)` gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from compiler.frontend.diagnostics import Diagnostic, Span
from compiler.frontend.syntax import Article, Note
from compiler.model.ir_nodes import (
    ATOMS,
    BOOL,
    CITATION,
    DATE,
    DURATION,
    INT,
    NUMBER,
    PERCENTAGE,
    PERIOD,
    TEXT,
    WHOLE_UNITS,
    Agg,
    And,
    Arith,
    Bracket,
    Call,
    Cmp,
    CountE,
    DefRef,
    Duration,
    EnumLit,
    Expr,
    FieldRef,
    InputRef,
    InRole,
    Known,
    Lit,
    Members,
    MinMax,
    NotE,
    OneOf,
    Or,
    ParamRef,
    Period,
    Quant,
    RootRef,
    Round,
    Scale,
    ScaleApplied,
    ScaleKind,
    Type,
    Value,
    VarRef,
    Within,
)
from compiler.model.kinds import Kind

# The types, values and expressions live in compiler/model/ir_nodes.py (each part of the model under 400 lines);
# every name is read here, as ir.Arith or ir.Type.
__all__ = [
    "ATOMS",
    "BOOL",
    "CITATION",
    "DATE",
    "DURATION",
    "INT",
    "NUMBER",
    "PERCENTAGE",
    "PERIOD",
    "TEXT",
    "WHOLE_UNITS",
    "Agg",
    "And",
    "Arith",
    "Bracket",
    "Call",
    "Checked",
    "Citation",
    "Cmp",
    "CountE",
    "DefRef",
    "Definition",
    "Duration",
    "EnumDef",
    "EnumLit",
    "EnumValue",
    "ExampleDef",
    "Expected",
    "Expr",
    "FieldDef",
    "FieldRef",
    "FormulaCaseDef",
    "FormulaDef",
    "FormulaInputDef",
    "GroupDef",
    "GuaranteeDef",
    "InRole",
    "InputRef",
    "Known",
    "Lit",
    "Members",
    "MinMax",
    "NotE",
    "OneOf",
    "Or",
    "ParamRef",
    "ParameterDef",
    "Period",
    "Quant",
    "RecordDef",
    "RecordOutcome",
    "RecordOutcomes",
    "RequirementDef",
    "RootRef",
    "Round",
    "RuleDef",
    "Scale",
    "ScaleApplied",
    "ScaleKind",
    "Shown",
    "SwitchedOff",
    "Type",
    "Value",
    "VarRef",
    "Within",
]

# ------------------------------------------------------------------ vocabulary


@dataclass(frozen=True)
class EnumValue:
    ident: str  # UPPER_SNAKE
    text: str  # the drafter's words: "especially grave"
    span: Span


@dataclass(frozen=True)
class EnumDef:
    ident: str  # PascalCase class name
    label: str  # what it is the type of: "gravity"
    values: tuple[EnumValue, ...]
    span: Span


@dataclass(frozen=True)
class FieldDef:
    ident: str  # snake_case attribute and JSON key
    label: str  # the drafter's words: "act date"
    type: Type
    optional: bool
    low: Value | None
    high: Value | None
    span: Span
    # A duration checked against its bounds at 30 days to the month ("counting a month as 30 days" after them);
    # otherwise a case's duration whose place against a bound hangs on a month's length is refused.
    thirty_day_bounds: bool = False
    member: str | None = None  # a role ("list of person, each an adult"): the noun of one of its records


@dataclass(frozen=True)
class GroupDef:
    """A group of roles of a record ("members: the adults and the children, each a member"): no fact, read as its
    roles' records one after the other (a Members expression)."""

    ident: str  # "members"
    label: str  # "members"
    member: str | None  # "member": the noun of one of its records
    roles: tuple[str, ...]  # the role fields' idents, in order: ("adults", "children")
    record: str  # the members' record ident: "Person"
    span: Span


@dataclass(frozen=True)
class RecordDef:
    ident: str  # PascalCase class name
    label: str  # "person"
    fields: tuple[FieldDef, ...]
    span: Span
    groups: tuple[GroupDef, ...] = ()  # groups of its roles: no facts

    def field(self, ident: str) -> FieldDef:
        return next(f for f in self.fields if f.ident == ident)


# ------------------------------------------------------------------ decisions


@dataclass(frozen=True)
class Citation:
    """Where a rule or declaration stands in the law."""

    article: Article | None
    quote: str | None
    notes: tuple[Note, ...]

    @property
    def label(self) -> str:
        return self.article.label if self.article else "the statute"

    @property
    def heading(self) -> str:
        return self.article.heading if self.article else "the statute"


@dataclass(frozen=True)
class ParameterDef:
    ident: str  # UPPER_SNAKE module constant
    label: str
    type: Type
    value: Value
    span: Span
    citation: Citation


@dataclass(frozen=True)
class RuleDef:
    ident: str  # unique, e.g. "article_2_rule_1"
    definition: str
    citation: Citation
    condition: Expr | None
    value: Expr
    overridden_by: tuple[str, ...]  # rules that prevail over this one, transitively
    span: Span
    prevailing: tuple[str, ...] = ()  # rules that prevail over this one directly: the exceptions to its article


@dataclass(frozen=True)
class Definition:
    """An outcome, a derived value, or a yes/no predicate, with the rules that decide it."""

    ident: str  # snake_case function name
    label: str  # "amnesty measure", "charge is connected with the events"
    kind: str  # outcome, definition, predicate
    owner: str | None  # record ident for "a charge is ..."; None for the case as a whole
    type: Type
    optional: bool
    default: Expr | None
    rules: tuple[RuleDef, ...]  # prevailing rules before the rules they override
    span: Span
    citation: Citation


@dataclass(frozen=True)
class RecordOutcome:
    """An outcome each record of a kind gets ("Outcome the charge measure of a charge: ..."): its key in a record's
    results ("charge_measure") and the definition that decides it ("charge_charge_measure")."""

    key: str
    definition: str


@dataclass(frozen=True)
class RecordOutcomes:
    """The outcomes the records of one of the case's lists get, decided for each record and given in the decision
    under the list's key, in the case's order: `{"charges": [{"charge_measure": ...}, ...]}`."""

    key: str  # the case record's list field: "charges"
    record: str  # the record ident of its elements: "Charge"
    outcomes: tuple[RecordOutcome, ...]  # in the order declared


@dataclass(frozen=True)
class FormulaInputDef:
    ident: str  # snake_case: the generated function's parameter, InputRef's key
    label: str  # "lower rate"
    type: Type
    span: Span


@dataclass(frozen=True)
class FormulaCaseDef:
    """One line of a formula: `value` when `condition` holds (None: otherwise, or the formula's only value)."""

    value: Expr
    condition: Expr | None
    span: Span


@dataclass(frozen=True)
class FormulaDef:
    """A named computation of its inputs and the parameters ("the two-bracket tax"): the first case whose
    condition holds gives its value; the last case has none, so a formula always gives one. It reads no fact of a
    case, and uses other formulas but never itself (compiler/check/formulas.py)."""

    ident: str  # snake_case: the generated module's function
    label: str  # "two-bracket tax"
    inputs: tuple[FormulaInputDef, ...]
    type: Type
    cases: tuple[FormulaCaseDef, ...]
    span: Span
    citation: Citation
    of_input: bool = True  # its first input is given after "of" ("the two-bracket tax of the salary")

    def input(self, ident: str) -> FormulaInputDef:
        return next(i for i in self.inputs if i.ident == ident)


@dataclass(frozen=True)
class Expected:
    definition: str
    value: Value | None  # None means "not decided" for optional outcomes
    conflict: bool
    span: Span
    element: tuple[str, int] | None = None  # a record's definition: the case's list and the record's index from 0


@dataclass(frozen=True)
class ExampleDef:
    title: str
    articles: tuple[str, ...]
    case: dict[str, object]  # the case as JSON would carry it
    expected: tuple[Expected, ...]
    span: Span


@dataclass(frozen=True)
class GuaranteeDef:
    """Something that must hold for every case: written by the drafter, or derived from an exclusion.

    It holds for a case when `premise` is false or `conclusion` is true.
    """

    ident: str  # snake_case, e.g. "guarantee_1" or "article_5_rule_4_excludes"
    title: str  # a sentence a drafter reads: "No one convicted of terrorism is released."
    articles: tuple[str, ...]  # the articles it protects
    premise: Expr | None
    conclusion: Expr
    derived_from: str | None  # the exception rule it was derived from, if derived
    span: Span


@dataclass(frozen=True)
class Shown:
    """A part of a requirement's message: the drafter's words, and the value they name (None for a literal, whose
    words are its value)."""

    words: str
    value: Expr | None


@dataclass(frozen=True)
class RequirementDef:
    """What the facts of every case must satisfy (compiler/check/requirements.py): a case is rejected when `premise`
    holds and `condition` does not, for the case or, with `each`, for one element of that list (checked one by one).
    Where working either out needs a fact the case does not give, the requirement holds.

    The message shows `shown`: two parts joined by `joint` ("is before") when the condition is a comparison, or each
    fact it reads ("the stage is serving sentence; the sentence start is not given")."""

    ident: str  # requirement_1
    title: str
    article: str  # the article it cites: "Article 1"
    premise: Expr | None
    each: Quant | None  # "every charge where ...": `condition` is then its body ("no charge ...": its denial)
    path: str  # where a problem is: "person", or the list of `each`, "person.charges"
    condition: Expr
    shown: tuple[Shown, ...]
    joint: str | None
    span: Span


@dataclass(frozen=True)
class SwitchedOff:
    """A derived guarantee the drafter switched off, with the stated reason."""

    rule: str
    reason: str
    span: Span


@dataclass(frozen=True)
class Checked:
    file: str
    source: str
    module: str  # the generated module's name
    title: str
    header: tuple[tuple[str, str], ...]  # (key, text) as written, dates included
    locale: str
    in_force: str | None  # a date (ISO) or a parameter ident
    root: str  # record ident
    records: tuple[RecordDef, ...]
    enums: tuple[EnumDef, ...]
    parameters: tuple[ParameterDef, ...]
    definitions: tuple[Definition, ...]  # each after those it uses
    outcomes: tuple[str, ...]  # the case's outcomes: definition idents, in declaration order
    examples: tuple[ExampleDef, ...]
    articles: tuple[Article, ...]
    guarantees: tuple[GuaranteeDef, ...] = ()
    switched_off: tuple[SwitchedOff, ...] = ()
    requirements: tuple[RequirementDef, ...] = ()
    record_outcomes: tuple[RecordOutcomes, ...] = ()  # the outcomes of each record of a list of the case
    formulas: tuple[FormulaDef, ...] = ()  # each after the formulas it uses
    warnings: tuple[Diagnostic, ...] = field(default=())
    scales: tuple[Scale, ...] = ()

    def words(self, span: Span) -> str:
        """The drafter's own words at `span`, on one line."""
        return " ".join(self.source[span.start : span.end].split())

    def record(self, ident: str) -> RecordDef:
        return next(r for r in self.records if r.ident == ident)

    def enum(self, ident: str) -> EnumDef:
        return next(e for e in self.enums if e.ident == ident)

    def takes_id(self, record: str) -> bool:
        """A record of a list may carry an `id` in a case (a text or a whole number, unique within its list), as a
        case does: data that names it in results and messages, never a fact. Not where `id` is one of its facts."""
        return record in self._identified

    @cached_property
    def _identified(self) -> frozenset[str]:
        listed = {f.type.name for r in self.records for f in r.fields if f.type.kind is Kind.LIST}
        return frozenset(r.ident for r in self.records if r.ident in listed and all(f.ident != "id" for f in r.fields))

    def definition(self, ident: str) -> Definition:
        return self._definitions_by_ident[ident]

    @cached_property
    def _definitions_by_ident(self) -> dict[str, Definition]:
        """Built once: the backends look a definition up at every use, and a scan made generating quadratic."""
        return {d.ident: d for d in reversed(self.definitions)}  # reversed: the first of a name wins, as before

    def rule(self, ident: str) -> RuleDef:
        return self._rules_by_ident[ident]

    @cached_property
    def _rules_by_ident(self) -> dict[str, RuleDef]:
        """Built once: a guarantee derived from an exclusion looks its rule up (a scan was quadratic)."""
        return {r.ident: r for d in reversed(self.definitions) for r in reversed(d.rules)}

    def formula(self, ident: str) -> FormulaDef:
        return next(f for f in self.formulas if f.ident == ident)

    def parameter(self, ident: str) -> ParameterDef:
        return next(p for p in self.parameters if p.ident == ident)
