"""The impact report: what a bill does to a whole register, as a self-contained HTML page and a Markdown summary.

The figures come from one population run (compiler.population.batch) with a trace per case, so that the rules that
decided each outcome are known exactly, not guessed: counts per outcome value, per article that decided it, per
exception that applied, and the total of a reduction (prison-years removed for the amnesty: the sentence minus the new
sentence, over the cases where both are known), the figures of every derived duration or amount
(report_figures.py) and each exception by its ground (report_grounds.py). Charts are inline SVG drawn by the template
from bar geometry computed here: no plotting library, no script, no external asset, and the page's text stays
searchable."""

from __future__ import annotations

import collections
import dataclasses
import functools
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import jinja2

from compiler.backends.python import naming
from compiler.foundation import inert
from compiler.foundation.sandbox import BoundedSandbox
from compiler.foundation.wording import counted, noun
from compiler.interpret.engine import Accepted
from compiler.interpret.read import parse_duration
from compiler.interpret.values import Record
from compiler.model import ir
from compiler.model.evaluator import (
    DefinitionDecided,
    DefinitionEntered,
    RowDecider,
    RuleBegun,
    RuleEnded,
    TraceEvent,
)
from compiler.model.kinds import Kind
from compiler.model.value_forms import shown_value
from compiler.population.batch import Summary, run_file
from compiler.population.batch_workers import make_job
from compiler.population.report_figures import (
    Figures,
    FigureTable,
    Measured,
    as_number,
    difference,
    figure_tables,
    measured_values,
)
from compiler.population.report_grounds import GroundSettings, GroundTally, ground_settings
from compiler.values import rounded_text

TEMPLATES = Path(__file__).with_name("templates") / "report"
DEFAULT = "no rule applied (default)"  # the deciding 'article' of an outcome no rule decided


@dataclass(frozen=True)
class Settings:
    """What a tally needs to know of the statute; small and picklable, sent to every worker."""

    outcomes: tuple[str, ...]
    counted: tuple[str, ...]  # outcomes whose values are counted (enumerations and yes/no)
    case_rules: frozenset[str]  # the rules of case-level definitions, whose applying is counted
    before: str | None  # a duration fact of the case ("sentence") ...
    after: str | None  # ... and the outcome that replaces it ("new_sentence")
    measured: tuple[Measured, ...] = ()  # values given in figures (compiler/population/report_figures.py)
    measure: str | None = None  # the outcome whose values break the figures down (the amnesty measure)
    grounds: GroundSettings = field(default_factory=GroundSettings)  # exceptions and their grounds (report_grounds.py)
    # (list key, outcome key) of each record outcome whose values are counted over all records of all cases
    records: tuple[tuple[str, str], ...] = ()
    # where the reduction pair is a record's ("sentence" of a charge, its outcome "new sentence"): the list's key
    within: str | None = None
    # the definitions of record outcomes (each record's deciding rules counted: "charge_measure", ...)
    record_definitions: tuple[str, ...] = ()
    # the rules of record-level definitions, whose applying is counted once for each record
    record_rules: frozenset[str] = frozenset()
    # each record kind's measure: the definition of its first enumerated outcome ("Charge" -> "charge_measure")
    record_measures: tuple[tuple[str, str], ...] = ()


class ImpactTally:
    """The figures of a report, gathered case by case; tallies of chunks merge (see
    compiler.population.batch_workers.Tally)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.values: dict[str, collections.Counter[str]] = {o: collections.Counter() for o in settings.outcomes}
        self.deciding: dict[str, collections.Counter[tuple[str, ...]]] = {
            o: collections.Counter() for o in (*settings.outcomes, *settings.record_definitions)
        }
        self.applied: collections.Counter[str] = collections.Counter()
        self.figures = {m.key: Figures() for m in settings.measured}
        self.grounds = GroundTally(settings.grounds)
        # "charges.charge_measure" -> its values over every charge of every case; "charges" -> how many charges
        self.record_values: dict[str, collections.Counter[str]] = {
            f"{key}.{o}": collections.Counter() for key, o in settings.records
        }
        self.records: collections.Counter[str] = collections.Counter()
        self.reduced_cases = 0
        self.reduced_months = 0
        self.reduced_days: int | Fraction = 0

    def add(self, decider: RowDecider, case: object, decision: object, trace: object) -> None:
        shown = decider.decision_as_dict(decision)
        for outcome in self.settings.counted:
            value = shown[outcome]
            self.values[outcome]["not decided" if value is None else _text(value)] += 1
        self._add_records(shown)
        events = decider.trace_events(trace)
        traced, records = self._read_trace(events)
        self.grounds.read(events, (*self.settings.outcomes, *self.settings.record_definitions))
        self._add_figures(case, traced, _text(shown[self.settings.measure]) if self.settings.measure else None)
        self._add_record_figures(records)
        if self.settings.within is not None:
            self._reduced_records(case, shown)
        elif self.settings.before and self.settings.after:
            before, after = case_fact(case, self.settings.before, Kind.DURATION), traced.get(self.settings.after)
            if before is not None and after is not None:  # the module's durations or the interpreter's
                self.reduced_cases += 1
                self.reduced_months += getattr(before, "months") - getattr(after, "months")  # noqa: B009
                self.reduced_days += getattr(before, "days") - getattr(after, "days")  # noqa: B009

    def _add_figures(self, case: object, traced: dict[str, object], measure: str | None) -> None:
        for m in self.settings.measured:
            if m.owner is not None:
                continue
            value = traced.get(m.ident)  # outcomes too: the module's decision and the interpreter's differ in form
            number = as_number(value, m) if m.fact is None else difference(case_fact(case, m.fact, m.kind), value, m)
            if number is not None:
                self.figures[m.key].add(*number, measure)

    def _add_record_figures(self, records: list[tuple[object, dict[str, object]]]) -> None:
        """Each record's values (`records`: each record the trace worked something out for, with its values), by
        the record's own measure."""
        measures = dict(self.settings.record_measures)
        classes = {naming.name(owner): owner for owner in measures}  # the generated module's record classes
        for subject, values in records:
            owner = subject.kind if isinstance(subject, Record) else classes.get(type(subject).__name__)
            measured = values.get(measures[owner]) if owner in measures else None
            measure = None if measured is None else _text(getattr(measured, "text", measured))
            for m in self.settings.measured:
                if m.owner is None or m.owner != owner:
                    continue
                value = values.get(m.ident)
                fact = None if m.fact is None else record_fact(subject, m.fact)
                number = as_number(value, m) if m.fact is None else difference(fact, value, m)
                if number is not None:
                    self.figures[m.key].add(*number, measure)

    def _read_trace(
        self, events: tuple[TraceEvent, ...]
    ) -> tuple[dict[str, object], list[tuple[object, dict[str, object]]]]:
        """Counts the deciding rules and the exceptions that applied; returns the values of the case's own
        definitions, as the trace records them where each is first worked out, and each record's (the records in
        the order the trace first works something out for them). A record's definition may be worked out again
        where it is read again (the interpreter keeps no record's values): only its first working out counts."""
        traced: dict[str, object] = {}
        records: dict[int, tuple[object, dict[str, object]]] = {}
        frames: list[tuple[str, object, bool]] = []  # (definition, its record or None, counted: its first working)
        rules: list[str] = []
        counted_outcomes = {*self.settings.outcomes, *self.settings.record_definitions}
        case_rules, record_rules = self.settings.case_rules, self.settings.record_rules
        for event in events:
            if isinstance(event, RuleBegun):
                rules.append(event.rule)
            elif isinstance(event, RuleEnded):
                rule = rules.pop()
                counts = not frames or frames[-1][2]
                if event.applied and counts and (rule in case_rules or rule in record_rules):
                    self.applied[rule] += 1
            elif isinstance(event, DefinitionEntered):
                subject = event.subject
                first = subject is None or event.definition not in records.get(id(subject), (None, {}))[1]
                frames.append(
                    (event.definition, subject, first and (not frames or frames[-1][2] or subject is not None))
                )
                if subject is not None:
                    records.setdefault(id(subject), (subject, {}))
            elif isinstance(event, DefinitionDecided):
                definition, subject, _counted = frames.pop()
                if subject is None:
                    if definition in counted_outcomes:
                        self.deciding[definition][event.rules] += 1
                    traced[definition] = event.value
                elif definition not in records[id(subject)][1]:
                    records[id(subject)][1][definition] = event.value
                    if definition in counted_outcomes:
                        self.deciding[definition][event.rules] += 1
        return traced, list(records.values())

    def _reduced_records(self, case: object, shown: Mapping[str, object]) -> None:
        """Each record's duration (a charge's sentence) less its outcome (its new sentence), as decided."""
        within, before, after = self.settings.within, self.settings.before, self.settings.after
        assert within is not None and before is not None and after is not None
        decided = shown[within]
        assert isinstance(decided, list)
        given: list[object]
        if isinstance(case, Accepted):
            rows: list[dict[str, object]] = list(case.data[within])  # type: ignore[call-overload]
            given = [None if r.get(before) is None else parse_duration(str(r[before])) for r in rows]
        else:
            given = [getattr(r, naming.attribute(before)) for r in getattr(case, naming.attribute(within))]
        for was, outcomes in zip(given, decided, strict=True):
            now = outcomes[after]
            if was is not None and now is not None:
                now = parse_duration(str(now))
                self.reduced_cases += 1
                self.reduced_months += getattr(was, "months") - now.months  # noqa: B009
                self.reduced_days += getattr(was, "days") - now.days  # noqa: B009

    def _add_records(self, shown: Mapping[str, object]) -> None:
        """Each record outcome's values, counted over the records of the case (the decision gives them by list)."""
        for key in dict.fromkeys(key for key, _ in self.settings.records):
            records = shown[key]
            assert isinstance(records, list), records
            self.records[key] += len(records)
        for key, o in self.settings.records:
            values = self.record_values[f"{key}.{o}"]
            for record in shown[key]:  # type: ignore[attr-defined]
                values["not decided" if record[o] is None else _text(record[o])] += 1

    def merge(self, other: ImpactTally) -> None:
        for outcome in self.settings.outcomes:
            self.values[outcome].update(other.values[outcome])
            self.deciding[outcome].update(other.deciding[outcome])
        self.applied.update(other.applied)
        for key, figures in other.figures.items():
            self.figures[key].merge(figures)
        self.grounds.merge(other.grounds)
        self.records.update(other.records)
        for key, counter in self.record_values.items():
            counter.update(other.record_values[key])
        self.reduced_cases += other.reduced_cases
        self.reduced_months += other.reduced_months
        self.reduced_days += other.reduced_days

    @property
    def reduced_years(self) -> Fraction:
        """Months count twelve to the year; days 365.25 (a calendar year's average)."""
        return Fraction(self.reduced_months, 12) + Fraction(self.reduced_days) / Fraction(36525, 100)


def record_fact(subject: object, ident: str) -> object:
    """A fact of a record as the decider holds it: the interpreter's Record, or the generated module's record."""
    if isinstance(subject, Record):
        return subject.facts.get(ident)
    return getattr(subject, naming.attribute(ident))


def case_fact(case: object, ident: str, kind: Kind) -> object:
    """A duration, an amount or a number of a case as the decider holds it: the generated module's case, or the case
    file's data the interpreter's row decider keeps (read here as the interpreter reads it)."""
    if not isinstance(case, Accepted):
        return getattr(case, naming.attribute(ident))
    raw = case.data.get(ident)
    if raw is None:
        return None
    return parse_duration(str(raw)) if kind is Kind.DURATION else Fraction(str(raw))


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def settings_for(checked: ir.Checked, before: str | None = None, after: str | None = None) -> Settings:
    """The report's settings; the reduction pair defaults to a duration fact and an outcome named after it
    ("sentence" and "new sentence")."""
    root = checked.record(checked.root)
    if before is None and after is None:
        for outcome in checked.outcomes:
            if checked.definition(outcome).type.kind is not Kind.DURATION:
                continue
            for f in root.fields:
                if f.type.kind is Kind.DURATION and outcome.endswith("_" + f.ident):
                    before, after = f.ident, outcome
    counted = tuple(o for o in checked.outcomes if checked.definition(o).type.traits.categorical)
    case_rules = frozenset(r.ident for d in checked.definitions if d.owner is None for r in d.rules)
    measure = next((o for o in counted if checked.definition(o).type.kind is Kind.ENUM), None)
    measured = measured_values(checked)
    grounds = ground_settings(checked)
    within = None
    if before is None and after is None:  # a record's duration and its outcome named after it
        for g in checked.record_outcomes:
            record = checked.record(g.record)
            for o in g.outcomes:
                for f in record.fields:
                    duration = f.type.kind is Kind.DURATION
                    named = o.key.endswith("_" + f.ident)
                    if duration and named and checked.definition(o.definition).type.kind is Kind.DURATION:
                        before, after, within = f.ident, o.key, g.key
    records = tuple(
        (g.key, o.key)
        for g in checked.record_outcomes
        for o in g.outcomes
        if checked.definition(o.definition).type.traits.categorical
    )
    record_definitions = tuple(o.definition for g in checked.record_outcomes for o in g.outcomes)
    record_rules = frozenset(r.ident for d in checked.definitions if d.owner is not None for r in d.rules)
    record_measures = tuple(
        (g.record, enums[0].definition)
        for g in checked.record_outcomes
        if (enums := [o for o in g.outcomes if checked.definition(o.definition).type.kind is Kind.ENUM])
    )
    return Settings(
        tuple(checked.outcomes),
        counted,
        case_rules,
        before,
        after,
        measured,
        measure,
        grounds,
        records,
        within,
        record_definitions,
        record_rules,
        record_measures,
    )


# ------------------------------------------------------------------ what the page shows


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    share: str  # "12.5%"
    width: float  # pixels
    y: float
    detail: str  # the label in full, for the table under the chart


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    height: float
    label_width: float = 300
    bar_width: float = 360
    unit: str = "cases"  # what the bars count: cases, or the records of a list ("charges")


@dataclass
class Report:
    checked: ir.Checked
    cases: str
    summary: Summary
    tally: ImpactTally
    charts: list[Chart] = field(default_factory=list)
    figures: tuple[FigureTable, ...] = ()


def chart(title: str, items: Sequence[tuple[str, int]], total: int, details: dict[str, str] | None = None) -> Chart:
    """Horizontal bars, longest first; bar length in proportion to the largest count."""
    rows = sorted(items, key=lambda item: (-item[1], item[0]))
    most = max((count for _, count in rows), default=0) or 1
    details = details or {}
    bars = tuple(
        Bar(label, count, _share(count, total), 360 * count / most, 8 + 26 * i, details.get(label, label))
        for i, (label, count) in enumerate(rows)
    )
    return Chart(title, bars, 16 + 26 * len(bars))


def _share(count: int, total: int) -> str:
    """ "12.5%": exact, halves away from zero (1 in 16 is 6.3%), as every value's text (compiler/values.py)."""
    return rounded_text(Fraction(100 * count, total), 1) + "%" if total else "-"


def build_report(checked: ir.Checked, cases: str, summary: Summary) -> Report:
    tally = summary.tally if isinstance(summary.tally, ImpactTally) else ImpactTally(settings_for(checked))
    report = Report(checked, cases, summary, tally)
    rules = {r.ident: r for d in checked.definitions for r in d.rules}
    headings = {a.label: a.heading for a in checked.articles}
    for outcome in tally.settings.outcomes:
        label = checked.definition(outcome).label
        if outcome in tally.settings.counted:
            items = list(tally.values[outcome].items())
            report.charts.append(chart(f"Cases by {label}", items, summary.decided))
        by_article: collections.Counter[str] = collections.Counter()
        for deciding, count in tally.deciding[outcome].items():
            by_article[_articles(deciding, rules)] += count
        title = f"Article that decided the {label}"
        report.charts.append(chart(title, list(by_article.items()), summary.decided, headings))
    _record_charts(report, rules, headings)
    exceptions = _exception_rules(checked, tally.settings.outcomes)
    short = {r: f"{rules[r].citation.label}, rule {r.rsplit('_', 1)[-1]}" for r in exceptions}
    details = {short[r]: f"{rules[r].citation.label}: {checked.words(rules[r].span)}" for r in exceptions}
    items = [(short[r], tally.applied[r]) for r in exceptions]
    report.charts.append(chart("Exceptions that applied", items, summary.decided, details))
    said = {r: f"{short[r]}: {checked.words(rules[r].span)}" for r in exceptions}
    report.charts += ground_charts(checked, tally, tally.settings.outcomes, summary.decided, short, said)
    for group in checked.record_outcomes:  # the exceptions of each record's outcomes, counted in records
        listed = checked.record(checked.root).field(group.key).label
        outcomes = tuple(o.definition for o in group.outcomes)
        exceptions = _exception_rules(checked, outcomes)
        if not exceptions:
            continue
        short = {r: f"{rules[r].citation.label}, rule {r.rsplit('_', 1)[-1]}" for r in exceptions}
        details = {short[r]: f"{rules[r].citation.label}: {checked.words(rules[r].span)}" for r in exceptions}
        items = [(short[r], tally.applied[r]) for r in exceptions]
        title = f"Exceptions that applied to {listed}"
        report.charts.append(_in(listed, chart(title, items, tally.records[group.key], details)))
        said = {r: f"{short[r]}: {checked.words(rules[r].span)}" for r in exceptions}
        charts = ground_charts(checked, tally, outcomes, tally.records[group.key], short, said)
        report.charts += [_in(listed, c) for c in charts]
    measure = checked.definition(tally.settings.measure).label if tally.settings.measure else ""
    measures = {None: measure} | {owner: checked.definition(d).label for owner, d in tally.settings.record_measures}
    report.figures = figure_tables(tally.settings.measured, tally.figures, measures)
    return report


def _in(unit: str, c: Chart) -> Chart:
    """A chart that counts the records of a list ("charges") rather than cases."""
    return dataclasses.replace(c, unit=unit)


def ground_charts(
    checked: ir.Checked,
    tally: ImpactTally,
    outcomes: tuple[str, ...],
    decided: int,
    short: dict[str, str],
    said: dict[str, str],
) -> list[Chart]:
    """For each outcome, the cases (or records) by the exceptions that decided it (`short` names each exception
    rule, `said` gives its words); for each exception, the cases (records) by its grounds
    (compiler/population/report_grounds.py)."""
    charts = []
    for outcome in outcomes:
        counts = tally.grounds.deciding.get(outcome)
        if not counts:
            continue
        items = [(" and ".join(short[r] for r in rules), n) for rules, n in counts.items()]
        words = {" and ".join(short[r] for r in rules): " / ".join(said[r] for r in rules) for rules in counts}
        label = checked.definition(outcome).label
        charts.append(chart(f"Exceptions that decided the {label}", items, decided, words))
        for rule in dict.fromkeys(r for rules in counts for r in rules):
            cases = sum(n for rules, n in counts.items() if rule in rules)
            grounds = telling(tally.grounds.grounds.get(rule, collections.Counter()), cases)
            if grounds and sum(n for _, n in grounds) >= cases:
                charts.append(chart(f"Grounds of {short[rule]} (the {label})", grounds, cases))
    return charts


def telling(grounds: collections.Counter[str], cases: int) -> list[tuple[str, int]]:
    """The grounds that tell cases apart: a test that found one value only, in every case the exception decided
    ("stage: serving sentence", written in the exception itself), says nothing the exception's words do not. (A
    chart is drawn only where these account for every case the exception decided: a ground worked out before the
    exception was tested, as the person's disqualification is for the new sentence of each of its charges, is not
    seen in it, and a chart of the others would tell part of the story as if it were all.)"""
    values: collections.Counter[str] = collections.Counter(label.rsplit(": ", 1)[0] for label in grounds)
    return [(label, n) for label, n in grounds.items() if values[label.rsplit(": ", 1)[0]] > 1 or n != cases]


def _record_charts(report: Report, rules: dict[str, ir.RuleDef], headings: dict[str, str]) -> None:
    """A chart of each counted record outcome over every record of every case: "Charges by charge measure"; and of
    each record outcome, the article that decided it for each record."""
    checked, tally = report.checked, report.tally
    for group in checked.record_outcomes:
        listed = checked.record(checked.root).field(group.key).label
        total = tally.records[group.key]
        for o in group.outcomes:
            label = checked.definition(o.definition).label
            values = tally.record_values.get(f"{group.key}.{o.key}")
            if values is not None:
                title = f"{listed[:1].upper()}{listed[1:]} by {label} (all {total:,} in the decided cases)"
                report.charts.append(_in(listed, chart(title, list(values.items()), total)))
            by_article: collections.Counter[str] = collections.Counter()
            for deciding, count in tally.deciding.get(o.definition, collections.Counter()).items():
                by_article[_articles(deciding, rules)] += count
            title = f"Article that decided the {label} of each {checked.record(group.record).label}"
            report.charts.append(_in(listed, chart(title, list(by_article.items()), total, headings)))


def _articles(deciding: tuple[str, ...], rules: dict[str, ir.RuleDef]) -> str:
    if not deciding:
        return DEFAULT
    labels = list(dict.fromkeys(rules[r].citation.label for r in deciding if r in rules))
    return " and ".join(labels)


def _exception_rules(checked: ir.Checked, outcomes: tuple[str, ...]) -> list[str]:
    """Rules that prevail over others, for these outcomes: the exclusions and exceptions of the bill."""
    out = []
    for outcome in outcomes:
        d = checked.definition(outcome)
        prevailing = {p for r in d.rules for p in r.overridden_by}
        out += [r.ident for r in d.rules if r.ident in prevailing]
    return out


# ------------------------------------------------------------------ rendering


def environment(escape: Callable[[str], str] = inert.visible) -> jinja2.Environment:
    """The report's templates; every value they print passes through `escape` (compiler.foundation.inert) first, and
    through autoescape after it where autoescape is on (the HTML page)."""
    # Sandboxed like the explanations' templates: nothing a template holds reaches Python's internals.
    templates = BoundedSandbox(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=lambda value: escape(value) if isinstance(value, str) else value,
    )
    templates.filters.update(counted=counted, noun=noun)  # `{{ n|counted("row") }}`: "1 row", "2 rows"
    return templates


def render(report: Report, template: str) -> str:
    checked = report.checked
    parameters = [(p.label, shown_value(p.value, p.type)) for p in checked.parameters]
    # Titles, headings and rule words are the statute's text: in the Markdown summary, no link, HTML or heading
    # may come of them.
    escape = inert.markdown if template.endswith(".md.j2") else inert.visible
    return (
        environment(escape)
        .get_template(template)
        .render(
            report=report,
            title=unquoted(checked.title),
            header=[(key, unquoted(text)) for key, text in checked.header],
            parameters=parameters,
            summary=report.summary,
            tally=report.tally,
            years=rounded_text(report.tally.reduced_years, 1, group=","),
            before=_label(checked, report.tally.settings.before),
            after=_label(checked, report.tally.settings.after),
            reduced_unit=_reduced_unit(checked, report.tally.settings.within),
            source=Path(checked.file).name,
            cases=Path(report.cases).name,
        )
    )


def unquoted(text: str) -> str:
    """Header texts keep the drafter's quotation marks; a page shows them without."""
    text = text.strip()
    return text[1:-1] if len(text) > 1 and text[0] == text[-1] == '"' else text


def _reduced_unit(checked: ir.Checked, within: str | None) -> str:
    """What the years removed are counted over: cases, or the records of the list the reduction pair is in."""
    if within is None:
        return "case"
    return checked.record(checked.root).field(within).label.removesuffix("s")


def _label(checked: ir.Checked, ident: str | None) -> str:
    if ident is None:
        return ""
    for g in checked.record_outcomes:  # a record's duration or outcome ("sentence" of a charge)
        for o in g.outcomes:
            if o.key == ident:
                return checked.definition(o.definition).label
        if any(f.ident == ident for f in checked.record(g.record).fields):
            return checked.record(g.record).field(ident).label
    if ident in checked.outcomes:
        return checked.definition(ident).label
    return checked.record(checked.root).field(ident).label


def make_report(checked: ir.Checked, cases: Path, workers: int = 1) -> Report:
    job = make_job(checked, None, functools.partial(ImpactTally, settings_for(checked)))
    summary = run_file(job, cases, None, None, workers, sys.stderr)
    return build_report(checked, str(cases), summary)
