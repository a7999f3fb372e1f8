"""The figures of an impact report (compiler/population/report.py): what a bill does in amounts, not only in counts.

For every value the statute works out for a case as a whole (an outcome or a definition: "the new sentence", "the
reduced sentence", "the excluded gain") that is a duration, an amount, a number or a percentage, the report gives
the cases where it was worked out, its total, its mean, its least and greatest value, and the same by the value of
the statute's first categorical outcome (the "measure": the amnesty measure), so that an official sees what the
bill does in figures. A value that is the same kind as a fact of the case and named after it ("sentence" and "new
sentence", "gain" and "taxable gain") also gets its difference, the fact minus the value: the years of sentence
removed, the gain left out of tax.

A value each record of a list gets (an outcome or a definition of a charge: "the new sentence of a charge", "the
reduced sentence of a charge") is measured over the records of every case: its figures count charges, not cases, and
are broken down by the record's own first categorical outcome (the charge measure), so that a person with a charge
terminated and another reduced is counted once under each. Its difference is with the record's own fact of the same
name (the charge's sentence minus its new sentence).

What each kind gives (`Figures`):

- a duration: total and mean in years (months twelve to the year, days 365.25), least and greatest as written;
- an amount: total, mean, least and greatest to the cent, with the currency;
- a number or a whole number: total and mean to two decimals, least and greatest as written;
- a percentage: mean, least and greatest (a total of percentages means nothing, so there is none).

Values of definitions are read from the decision's trace, where each is recorded once when first worked out: a
definition no rule needed for a case (the reduced sentence of a person with no sentence) is not counted for it."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import assert_never

from compiler.interpret.values import Money
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import duration_text, number_text, percentage_text, rounded_text

YEAR_DAYS = Fraction(36525, 100)  # a calendar year's average, as the report's years removed count them
NOT_DECIDED = "not decided"


@dataclass(frozen=True)
class Measured:
    """A value the report gives figures for: an outcome (read from the decision) or a definition (from the trace),
    or the difference of a fact of the case and such a value (`fact` set)."""

    ident: str
    label: str
    kind: Kind
    currency: str | None
    outcome: bool
    fact: str | None = None
    fact_label: str = ""
    owner: str | None = None  # the record kind of a value each record gets ("Charge"); None for the case's
    counted: str = "cases"  # what the figures count: "cases", or the records of a list ("charges")

    @property
    def key(self) -> str:
        return f"{self.fact}-{self.ident}" if self.fact else self.ident

    @property
    def title(self) -> str:
        of = f" of each {self.counted.removesuffix('s')}" if self.owner else ""  # "of each charge"
        return f"the {self.fact_label} minus the {self.label}{of}" if self.fact else f"the {self.label}{of}"


def measured_values(checked: ir.Checked) -> tuple[Measured, ...]:
    """The statute's outcomes and definitions with figures, the case's first, then each list's records'; outcomes
    before definitions, then the differences."""
    root = checked.record(checked.root)
    record_outcomes = {o.definition for g in checked.record_outcomes for o in g.outcomes}
    lists = {g.record: root.field(g.key).label for g in checked.record_outcomes}  # "Charge" -> "charges"
    values: list[Measured] = []
    for owner in (None, *lists):
        summable = [d for d in checked.definitions if d.owner == owner and d.type.traits.summable]
        summable.sort(key=lambda d: d.ident not in checked.outcomes and d.ident not in record_outcomes)
        record = root if owner is None else checked.record(owner)
        counted = "cases" if owner is None else lists[owner]
        values += [_measured(d, d.ident in checked.outcomes or d.ident in record_outcomes, counted) for d in summable]
        for d in summable:
            for f in record.fields:
                if f.type.kind is d.type.kind and d.ident.endswith("_" + f.ident) and d.ident != f.ident:
                    values.append(_measured(d, d.ident in checked.outcomes or d.ident in record_outcomes, counted, f))
    return tuple(values)


def _measured(d: ir.Definition, outcome: bool, counted: str, fact: ir.FieldDef | None = None) -> Measured:
    currency = d.type.name if d.type.kind is Kind.MONEY else None
    if fact is None:
        return Measured(d.ident, d.label, d.type.kind, currency, outcome, owner=d.owner, counted=counted)
    return Measured(d.ident, d.label, d.type.kind, currency, outcome, fact.ident, fact.label, d.owner, counted)


# ------------------------------------------------------------------ sums, mergeable across workers


@dataclass
class Sums:
    """Cases, total, least and greatest of one value (each value as a number and as it is shown)."""

    cases: int = 0
    total: Fraction = Fraction(0)
    least: tuple[Fraction, str] | None = None
    greatest: tuple[Fraction, str] | None = None

    def add(self, number: Fraction, shown: str) -> None:
        self.cases += 1
        self.total += number
        if self.least is None or number < self.least[0]:
            self.least = (number, shown)
        if self.greatest is None or number > self.greatest[0]:
            self.greatest = (number, shown)

    def merge(self, other: Sums) -> None:
        self.cases += other.cases
        self.total += other.total
        if other.least is not None and (self.least is None or other.least[0] < self.least[0]):
            self.least = other.least
        if other.greatest is not None and (self.greatest is None or other.greatest[0] > self.greatest[0]):
            self.greatest = other.greatest


@dataclass
class Figures:
    """The sums of one measured value over the whole register and by the measure's value."""

    overall: Sums = field(default_factory=Sums)
    by_measure: dict[str, Sums] = field(default_factory=dict)

    def add(self, number: Fraction, shown: str, measure: str | None) -> None:
        self.overall.add(number, shown)
        if measure is not None:
            self.by_measure.setdefault(measure, Sums()).add(number, shown)

    def merge(self, other: Figures) -> None:
        self.overall.merge(other.overall)
        for measure, sums in other.by_measure.items():
            self.by_measure.setdefault(measure, Sums()).merge(sums)


def as_number(value: object, m: Measured) -> tuple[Fraction, str] | None:
    """A decided value as a number for sums (years for a duration) and as it is shown; None when not given."""
    if value is None:
        return None
    match m.kind:
        case Kind.DURATION:
            months, days = getattr(value, "months"), getattr(value, "days")  # noqa: B009  the module's or the interpreter's
            return Fraction(months, 12) + Fraction(days) / YEAR_DAYS, duration_text(months, days)
        case Kind.MONEY:
            return _fraction(value), _money(_fraction(value), m.currency)
        case Kind.NUMBER | Kind.INT:
            return _fraction(value), number_text(_fraction(value))
        case Kind.PERCENTAGE:
            return _fraction(value), percentage_text(_fraction(value))
        case Kind.BOOL | Kind.DATE | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            return None
        case _:
            assert_never(m.kind)


def _fraction(value: object) -> Fraction:
    """A number or an amount as the generated module (int, Fraction) or the interpreter (Money for amounts) holds it."""
    if isinstance(value, Money):
        return value.amount
    assert isinstance(value, int | Fraction), value
    return Fraction(value)


def difference(before: object, after: object, m: Measured) -> tuple[Fraction, str] | None:
    """The fact minus the value, for sums and as shown ("5 years 3 months": months and days kept apart, as the law
    counts them); None when either is not given."""
    if before is None or after is None:
        return None
    if m.kind is Kind.DURATION:
        months = getattr(before, "months") - getattr(after, "months")  # noqa: B009
        days = getattr(before, "days") - getattr(after, "days")  # noqa: B009
        return Fraction(months, 12) + Fraction(days) / YEAR_DAYS, duration_text(months, days)
    number = _fraction(before) - _fraction(after)
    return number, _money(number, m.currency) if m.kind is Kind.MONEY else number_text(number)


# ------------------------------------------------------------------ what the page shows


@dataclass(frozen=True)
class FigureRow:
    label: str  # "all cases" ("all charges") or the measure's value
    cases: int
    total: str  # "" for percentages
    mean: str
    least: str
    greatest: str


@dataclass(frozen=True)
class FigureTable:
    title: str  # "The new sentence", "The sentence minus the new sentence"
    unit: str  # "years", "USD", ""
    rows: tuple[FigureRow, ...]
    by: str  # the measure's label, when rows after the first are by its value
    counted: str = "cases"  # what the rows count: cases, or the records of a list ("charges")


def figure_tables(
    measured: tuple[Measured, ...], figures: dict[str, Figures], measure_labels: dict[str | None, str]
) -> tuple[FigureTable, ...]:
    """The tables of the page; `measure_labels` gives the label of the measure the figures of each record kind
    (None: the case's) are broken down by."""
    tables = []
    for m in measured:
        f = figures[m.key]
        if not f.overall.cases:
            continue
        rows = [_row(f"all {m.counted}", f.overall, m)]
        rows += [_row(value, sums, m) for value, sums in sorted(f.by_measure.items(), key=lambda kv: -kv[1].cases)]
        title = m.title[0].upper() + m.title[1:]
        by = measure_labels.get(m.owner, "") if f.by_measure else ""
        tables.append(FigureTable(title, _unit(m), tuple(rows), by, m.counted))
    return tuple(tables)


def _row(label: str, sums: Sums, m: Measured) -> FigureRow:
    total = "" if m.kind is Kind.PERCENTAGE else shown_total(sums.total, m)
    mean = sums.total / sums.cases if sums.cases else Fraction(0)
    least = sums.least[1] if sums.least else ""
    greatest = sums.greatest[1] if sums.greatest else ""
    return FigureRow(label, sums.cases, total, shown_total(mean, m, mean=True), least, greatest)


def shown_total(number: Fraction, m: Measured, mean: bool = False) -> str:
    match m.kind:
        case Kind.DURATION:
            return rounded_text(number, 2 if mean else 1, group=",") + " years"
        case Kind.MONEY:
            return _money(number, m.currency)
        case Kind.NUMBER | Kind.INT:
            return rounded_text(number, 2, group=",")
        case Kind.PERCENTAGE:
            return rounded_text(number * 100, 2, group=",") + "%"
        case Kind.BOOL | Kind.DATE | Kind.TEXT | Kind.PERIOD | Kind.ENUM | Kind.RECORD | Kind.LIST | Kind.CITATION:
            return ""
        case _:
            assert_never(m.kind)


def _money(number: Fraction, currency: str | None) -> str:
    shown = rounded_text(number, 2, group=",")
    return f"{shown} {currency}" if currency else shown


def _unit(m: Measured) -> str:
    if m.kind is Kind.DURATION:
        return "years"
    return m.currency or ""
