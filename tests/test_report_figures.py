"""The impact report's figures and grounds (compiler.population.report_figures, report_grounds): totals, means and
extremes of derived values by measure, and each exception broken down by its ground, checked against a case-by-case
count; in the page, the Markdown summary (a golden file) and with workers."""

from __future__ import annotations

import collections
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from compiler.driver import build
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population import report
from compiler.population.casefiles import case_data, jsonl_text, read_rows, root_types
from compiler.population.report_figures import YEAR_DAYS, Measured, shown_total
from compiler.population.synth import Generator, load_profile, profile_path
from tests.golden import assert_golden

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"
SECTION_121 = STATUTES / "us_irc_121.statute"
EXCLUDED = {"terrorist", "extremist", "corruption", "high treason", "torture", "sexual offence against a minor"}


@pytest.fixture(scope="module")
def checked() -> ir.Checked:
    return build.check_file(AMNESTY)


@pytest.fixture(scope="module")
def register(checked: ir.Checked, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """3,000 synthetic amnesty cases: enough of every exclusion to count."""
    path = tmp_path_factory.mktemp("register") / "synthetic.jsonl"
    cases = Generator(checked, load_profile(profile_path(AMNESTY))).cases(3000, seed=21)
    write_rows(path, list(cases))
    return path


@pytest.fixture(scope="module")
def made(checked: ir.Checked, register: Path) -> report.Report:
    return report.make_report(checked, register)


def write_rows(path: Path, cases: list[dict[str, Any]]) -> None:
    path.write_text(jsonl_text(cases), encoding="utf-8")


def _decided(checked: ir.Checked, cases: Path) -> list[tuple[Any, Any, dict[str, Any]]]:
    module = build.load_module(checked)
    out = []
    for number, raw in read_rows(cases):
        _, data = case_data(number, raw, root_types(checked))
        assert isinstance(data, dict)
        case = module.load_case(data)
        out.append((case, module.decide(case), data))
    return out


def _years(d: Any) -> Fraction:
    return Fraction(d.months, 12) + Fraction(d.days) / YEAR_DAYS


def test_figures_match_a_case_by_case_count(checked: ir.Checked, register: Path, made: report.Report) -> None:
    """The new sentence is each charge's: its figures count charges, by each charge's own measure."""
    totals: dict[str, Fraction] = collections.defaultdict(Fraction)
    counts: collections.Counter[str] = collections.Counter()
    removed = Fraction(0)
    mixed = 0
    for case, decision, _ in _decided(checked, register):
        mixed += len({c.stage for c in case.charges}) > 1
        for charge, decided in zip(case.charges, decision.charges, strict=True):
            if decided.new_sentence is not None:
                measure = decided.charge_measure.text
                totals[measure] += _years(decided.new_sentence)
                counts[measure] += 1
                if charge.sentence is not None:
                    removed += _years(charge.sentence) - _years(decided.new_sentence)
    assert mixed > 100  # the register holds persons whose charges stand at different stages
    figures = made.tally.figures
    new = figures["charge_new_sentence"]
    assert new.overall.cases == sum(counts.values()) > 500
    assert new.overall.total == sum(totals.values())
    assert {k: (s.cases, s.total) for k, s in new.by_measure.items()} == {k: (counts[k], totals[k]) for k in counts}
    assert figures["sentence-charge_new_sentence"].overall.total == removed == made.tally.reduced_years
    # Article 3: a reduced sentence is the new sentence of every reduction; the trace gives the definition's value.
    reduced = figures["charge_reduced_sentence"].by_measure["reduction of sentence"]
    assert (reduced.cases, reduced.total) == (counts["reduction of sentence"], totals["reduction of sentence"])


def test_each_exclusion_is_broken_down_by_its_ground(checked: ir.Checked, register: Path, made: report.Report) -> None:
    """Article 5 excludes each covered charge of a person with a disqualifying charge or a relapse: the exclusions are
    counted in charges, each with the ground of its person; the person's own exclusion (Article 9) in cases."""
    by_rules: collections.Counter[tuple[str, ...]] = collections.Counter()
    categories: collections.Counter[str] = collections.Counter()
    relapses: collections.Counter[str] = collections.Counter()
    persons = 0
    for _, decision, data in _decided(checked, register):
        persons += decision.amnesty_measure.text == "excluded"
        disqualifying = [c["category"] for c in data["charges"] if _disqualifies(c, data)]
        relapse = data["relapse"] != "without relapse"
        for decided in decision.charges:
            if decided.charge_measure.text != "excluded":
                continue
            by_rules[("article_5_rule_4",) * relapse + ("article_5_rule_5",) * bool(disqualifying)] += 1
            if disqualifying:
                categories[f"category of the charge: {disqualifying[0]}"] += 1  # "any charge": the first that does
            if relapse:
                relapses[f"relapse: {data['relapse']}"] += 1
    grounds = made.tally.grounds
    exclusions = {
        rules: n for rules, n in grounds.deciding["charge_measure"].items() if "article_4_rule_3" not in rules
    }
    assert exclusions == by_rules and len(by_rules) == 3
    assert grounds.grounds["article_5_rule_5"] == categories and len(categories) >= 6
    assert grounds.grounds["article_5_rule_4"] == relapses
    assert grounds.deciding["amnesty_measure"] == {("article_9_rule_2",): persons} and persons > 300
    charts = {c.title: {b.label: b.count for b in c.bars} for c in made.charts}
    assert charts["Grounds of Article 5, rule 5 (the charge measure)"] == dict(categories)
    assert (
        charts["Exceptions that decided the charge measure"]["Article 5, rule 4 and Article 5, rule 5"]
        == by_rules[("article_5_rule_4", "article_5_rule_5")]
    )
    units = {c.title: c.unit for c in made.charts}
    assert units["Exceptions that decided the charge measure"] == "charges"
    assert units["Exceptions that decided the amnesty measure"] == "cases"
    # The person's exclusion reads the charges' exclusions: its grounds are theirs, not what covers a charge.
    person = charts["Grounds of Article 9, rule 2 (the amnesty measure)"]
    assert {label.split(": ")[0] for label in person} == {"category of the charge", "relapse"}
    # A test that found one value in every case ("the stage is serving sentence") is no ground worth a chart.
    assert "Grounds of Article 4, rule 4 (the new sentence)" not in charts


def _disqualifies(charge: dict[str, Any], person: dict[str, Any]) -> bool:
    adult_organiser = charge["category"] == "organisation of mass riots" and person["age_at_act"] >= 18
    return charge["category"] in EXCLUDED or adult_organiser  # unproven charges exclude (a parameter, yes)


def test_a_charge_that_does_not_disqualify_is_no_ground(checked: ir.Checked, tmp_path: Path) -> None:
    """A minor who organised the riots (tested, not excluded) and committed an act of terrorism (excluded): the
    exclusion's ground is terrorism only, though the organisation test held for the first charge."""
    charge = {"offence": "x", "gravity": "grave", "circumstances": "in the riots", "act_date": "2022-01-05"}
    charge |= {"stage": "on trial"}
    case = {"id": "1", "role": "civilian", "age_at_act": 17, "relapse": "without relapse"}
    case["charges"] = [
        charge | {"category": "organisation of mass riots", "proven": False},
        charge | {"category": "terrorist", "proven": False},
    ]
    path = tmp_path / "one.jsonl"
    write_rows(path, [case])
    grounds = report.make_report(checked, path).tally.grounds.grounds
    assert grounds["article_5_rule_5"] == {"category of the charge: terrorist": 2}  # each charge excluded, once


def test_the_workers_merge_figures_and_grounds(checked: ir.Checked, register: Path, made: report.Report) -> None:
    two = report.make_report(checked, register, workers=2).tally
    assert {k: (f.overall, f.by_measure) for k, f in two.figures.items()} == {
        k: (f.overall, f.by_measure) for k, f in made.tally.figures.items()
    }
    assert two.grounds.deciding == made.tally.grounds.deciding and two.grounds.grounds == made.tally.grounds.grounds


def test_a_tax_statute_gets_its_figures_in_money(tmp_path: Path) -> None:
    checked = build.check_file(SECTION_121)
    path = tmp_path / "sales.jsonl"
    write_rows(path, list(Generator(checked, load_profile(profile_path(SECTION_121))).cases(400, seed=5)))
    made = report.make_report(checked, path)
    figures = made.tally.figures
    gains = sum(Fraction(data["gain"]) for _, _, data in _decided(checked, path))
    assert figures["excluded_gain"].overall.total + figures["taxable_gain"].overall.total == gains
    assert figures["gain-excluded_gain"].overall.total == figures["taxable_gain"].overall.total
    table = next(t for t in made.figures if t.title == "The excluded gain")
    assert table.rows[0].total.endswith(" USD") and table.by == ""  # no categorical outcome: no breakdown
    markdown = report.render(made, "summary.md.j2")
    assert "### The excluded gain" in markdown and "Exceptions that decided the excluded gain" in markdown


def test_each_kind_is_shown_as_its_reader_expects() -> None:
    def m(kind: Kind, currency: str | None = None) -> Measured:
        return Measured("x", "x", kind, currency, True)

    assert shown_total(Fraction(12345, 10), m(Kind.DURATION)) == "1,234.5 years"
    assert shown_total(Fraction(5, 4), m(Kind.DURATION), mean=True) == "1.25 years"
    assert shown_total(Fraction(123456789, 100), m(Kind.MONEY, "EUR")) == "1,234,567.89 EUR"
    assert shown_total(Fraction(1, 3), m(Kind.NUMBER)) == "0.33"
    assert shown_total(Fraction(1, 8), m(Kind.PERCENTAGE)) == "12.50%"


def test_the_amnesty_summary_reads_as_its_golden_file(checked: ir.Checked, update_golden: bool) -> None:
    """The Markdown summary of the 150 hand-written cases: counts, figures by measure, exceptions and grounds."""
    made = report.make_report(checked, CASES)
    assert_golden("report/kz_amnesty_2022.md", report.render(made, "summary.md.j2"), update_golden)
    page = report.render(made, "page.html.j2")
    assert "<h2>In figures</h2>" in page and "<h3>The sentence minus the new sentence of each charge</h3>" in page
    assert "<h2>Exceptions that decided the amnesty measure</h2>" in page
    assert "<h2>Exceptions that decided the charge measure</h2>" in page and "<th>charges</th>" in page
