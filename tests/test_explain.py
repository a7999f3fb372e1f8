"""Explanations: golden files for flagship cases, properties over generated cases, escaping, the command, a browser."""

from __future__ import annotations

import argparse
import datetime
import functools
import json
import shutil
import subprocess
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.backends.python import naming
from compiler.backends.python.generated import GeneratedEvaluator, GeneratedRowDecider
from compiler.backends.python.generated import replace_fact as replace
from compiler.commands.explain import add_explain_arguments, explain_command, write_explanations
from compiler.driver import build
from compiler.explain.decision import explain
from compiler.explain.format import Locale, duration_text, money_text, plural, value_text
from compiler.explain.model import Condition, Explanation
from compiler.explain.render import ExplainError, locale_for, render
from compiler.interpret.read import read_case
from compiler.interpret.requirements import broken_requirements
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population.batch_rows import decide_rows, read_cases
from tests.golden import assert_golden

ROOT = Path(__file__).parent.parent
DATA = Path(__file__).parent / "data" / "explain"
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
IRC = ROOT / "statutes" / "us_irc_121.statute"
CONFLICT = Path(__file__).parent / "statutes" / "explain_clemency_conflict.statute"
CONTRIBUTION = Path(__file__).parent / "statutes" / "social_contribution.statute"

# Each flagship case and its statute; together they cover every article of the amnesty, every exclusion of
# Article 5 (excluded crimes, adult organisers, relapse, and the sentence kept), a multi-charge person, a conflict,
# the two parts of IRC section 121 that explanations find hardest (a reduced limit, a joint return), and three scales,
# one of each kind a contribution or benefit uses, explained bracket by bracket.
FLAGSHIPS = {
    "kz_released_medium": AMNESTY,
    "kz_outside_day_before": AMNESTY,
    "kz_officer_terminated": AMNESTY,
    "kz_multi_charge_grave": AMNESTY,
    "kz_conviction_expunged": AMNESTY,
    "kz_at_sentencing": AMNESTY,
    "kz_one_year_release": AMNESTY,
    "kz_terrorist_excluded": AMNESTY,
    "kz_adult_organiser": AMNESTY,
    "kz_torture_officer": AMNESTY,
    "kz_relapse": AMNESTY,
    "kz_conflict_serviceman": CONFLICT,
    "irc_reduced_new_job": IRC,
    "irc_joint_return": IRC,
    "contribution_scales": CONTRIBUTION,
}
FORMATS = {"text": "txt", "markdown": "md", "html": "html"}


@functools.cache
def statute(path: Path) -> tuple[ir.Checked, ModuleType]:
    checked = build.check_file(path)
    return checked, build.load_module(checked)


@functools.cache
def flagship(name: str, lang: str) -> Explanation:
    checked, module = statute(FLAGSHIPS[name])
    data = json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))
    return explain(
        checked, GeneratedEvaluator(checked, module), module.load_case(data), locale_for(lang), case_id=data["id"]
    )


# ------------------------------------------------------------------ golden explanations


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("name", FLAGSHIPS)
def test_golden_explanation(name: str, lang: str, fmt: str, update_golden: bool) -> None:
    text = render(flagship(name, lang), fmt, locale_for(lang))
    assert_golden(f"explain/{name}.{lang}.{FORMATS[fmt]}", text, update_golden)


def test_flagships_cover_every_article_and_exclusion() -> None:
    cited: set[str] = set()
    for name, path in FLAGSHIPS.items():
        if path != AMNESTY:
            continue
        for outcome in flagship(name, "en").outcomes:
            cited |= {r.ident for r in outcome.because}
            cited |= {r.ident for d in _derived(outcome) for r in d}
    checked, _ = statute(AMNESTY)
    articles = {checked.definition(d).rules[0].citation.label for d in checked.outcomes}
    assert {a.label for a in checked.articles} <= {_article(checked, r) for r in cited} | articles
    exclusions = {"article_5_rule_1", "article_5_rule_2", "article_5_rule_4", "article_5_rule_5", "article_5_rule_6"}
    assert exclusions <= cited
    assert any(len(flagship(n, "en").facts[-1].elements) > 1 for n in FLAGSHIPS)
    assert flagship("kz_conflict_serviceman", "en").conflict is not None


def _article(checked: ir.Checked, rule: str) -> str:
    return next(r.citation.label for d in checked.definitions for r in d.rules if r.ident == rule)


def _derived(outcome: Any) -> list[list[Any]]:
    """The deciding rules of every derived fact explained under an outcome, at any depth."""
    out: list[list[Any]] = []

    def walk_conditions(conditions: tuple[Condition, ...]) -> None:
        for c in conditions:
            walk_conditions(c.parts)
            for el in c.elements:
                walk_conditions(el.conditions)
            for d in c.derived:
                out.append(list(d.rules))
                for r in d.rules:
                    walk_conditions(r.conditions)

    for r in outcome.because:
        walk_conditions(r.conditions)
    return out


def test_conflict_names_both_articles() -> None:
    conflict = flagship("kz_conflict_serviceman", "en").conflict
    assert conflict is not None
    assert {conflict.first.article, conflict.second.article} == {"Article 3", "Article 6"}
    assert {conflict.first_value, conflict.second_value} == {"reduction of sentence", "released from punishment"}
    assert all(c.held for c in conflict.first.conditions + conflict.second.conditions)


# ------------------------------------------------------------------ every example, every format and language


@pytest.mark.parametrize("path", [AMNESTY, IRC], ids=["amnesty", "irc"])
def test_every_example_explained_in_every_format_and_language(path: Path) -> None:
    checked, module = statute(path)
    for lang in ("en", "ru"):
        locale = locale_for(lang)
        for example in checked.examples:
            case = module.load_case(example.case)
            decision = module.decide(case)
            explanation = explain(checked, GeneratedEvaluator(checked, module), case, locale, case_id=example.title)
            shown = [_shown(checked, o, getattr(decision, naming.name(o)), locale) for o in checked.outcomes]
            for fmt in FORMATS:
                text = render(explanation, fmt, locale)
                for value in shown:
                    assert value.replace("&", "&amp;") in text or value in text, (example.title, fmt, lang)


def _shown(checked: ir.Checked, outcome: str, value: object, locale: Locale) -> str:
    return locale.words["not_decided"] if value is None else value_text(value, checked.definition(outcome).type, locale)


# ------------------------------------------------------------------ properties over generated cases


def _interesting_dates(checked: ir.Checked) -> list[datetime.date]:
    days: list[datetime.date] = []
    for p in checked.parameters:
        if isinstance(p.value, ir.Period):
            days += [p.value.start, p.value.end]
        elif isinstance(p.value, datetime.date):
            days.append(p.value)
    one = datetime.timedelta(days=1)
    return [d + k * one for d in days for k in (-1, 0, 1)]


def _value(checked: ir.Checked, field: ir.FieldDef) -> st.SearchStrategy[Any]:
    t = field.type
    if t.kind is Kind.ENUM and t.name:
        return st.sampled_from([v.text for v in checked.enum(t.name).values])
    if t.kind is Kind.BOOL:
        return st.booleans()
    if t.kind is Kind.INT:
        low, high = field.low if field.low is not None else 0, field.high if field.high is not None else 100
        return st.integers(int(low), int(high))  # type: ignore[arg-type]
    if t.kind is Kind.DATE:
        low = field.low if isinstance(field.low, datetime.date) else datetime.date(2020, 1, 1)
        high = field.high if isinstance(field.high, datetime.date) else datetime.date(2030, 12, 31)
        near = [d for d in _interesting_dates(checked) if low <= d <= high]
        plain = st.dates(low, high)
        return (st.sampled_from(near) | plain if near else plain).map(lambda d: d.isoformat())
    if t.kind is Kind.DURATION:
        high = field.high.total_days if isinstance(field.high, ir.Duration) else 3650
        return st.one_of(
            st.integers(0, high).map(lambda n: f"{n} days"), st.integers(0, high // 30).map(lambda n: f"{n} months")
        )
    if t.kind in (Kind.MONEY, Kind.NUMBER):
        high = int(field.high) if isinstance(field.high, int | Fraction) else 1_000_000
        return st.integers(0, min(high, 1_000_000)).map(str)
    if t.kind is Kind.LIST and t.name:
        return st.lists(_record(checked, t.name), min_size=0, max_size=3)
    return st.text(min_size=1, max_size=12)


def _record(checked: ir.Checked, ident: str) -> st.SearchStrategy[dict[str, Any]]:
    fields = {}
    for f in checked.record(ident).fields:
        value = _value(checked, f)
        fields[f.ident] = st.none() | value if f.optional else value
    return st.fixed_dictionaries(fields)


@st.composite
def _mutated(draw: st.DrawFn, checked: ir.Checked, ident: str, base: dict[str, Any]) -> dict[str, Any]:
    """`base` with a random set of its facts drawn anew, list elements each mutated in turn."""
    record = checked.record(ident)
    strategies = {f.ident: st.none() | _value(checked, f) if f.optional else _value(checked, f) for f in record.fields}
    case = {**base, **draw(st.fixed_dictionaries({}, optional=strategies))}
    for f in record.fields:
        if f.type.kind is Kind.LIST and f.type.name and case.get(f.ident) is base.get(f.ident):
            case[f.ident] = [draw(_mutated(checked, f.type.name, item)) for item in base.get(f.ident) or []]
    return case


@functools.cache
def _cases(path: Path) -> st.SearchStrategy[dict[str, Any]]:
    """Cases drawn from the vocabulary, and the statute's examples with some facts changed: these reach the rules
    that plain random facts rarely reach (an act within the four days of the events, say)."""
    checked, _ = statute(path)
    examples = [_mutated(checked, checked.root, dict(e.case)) for e in checked.examples]
    drawn = _record(checked, checked.root) | st.one_of(examples)
    # Only cases that keep the statute's requirements: one that breaks one is rejected, never explained.
    return drawn.filter(lambda case: not broken_requirements(checked, read_case(checked, case)))


def _check_properties(path: Path, data: dict[str, Any]) -> None:
    checked, module = statute(path)
    case = module.load_case(data)
    trace = module.Trace()
    try:
        decision = module.decide(case, trace)
    except module.DecisionError:
        explanation = explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en"))
        assert explanation.conflict is not None or explanation.undecided is not None
        return
    explanation = explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en"))
    top = _top_level_rules(trace.events)
    locale = locale_for("en")
    keys = {o.definition: (g.key, o.key) for g in checked.record_outcomes for o in g.outcomes}
    seen: dict[str, int] = {}
    for outcome in explanation.outcomes:
        n = seen[outcome.ident] = seen.get(outcome.ident, -1) + 1  # a record's outcome: once for each record
        if outcome.ident in keys:  # each record's, in the order of its list
            listed, key = keys[outcome.ident]
            value = getattr(getattr(decision, naming.attribute(listed))[n], naming.attribute(key))
        else:
            value = getattr(decision, naming.name(outcome.ident))
        assert outcome.value == _shown(checked, outcome.ident, value, locale)
        assert tuple(r.ident for r in outcome.because) == top[outcome.ident][n]
        for rule in outcome.because:
            assert _article(checked, rule.ident) == rule.article
            assert all(c.held for c in rule.conditions)
    shown = module.decision_as_dict(decision)
    for change in explanation.changes:
        after = module.decide(replace(case, change.path, change.value))
        assert module.decision_as_dict(after) != shown, change.fact


def _top_level_rules(events: list[Any]) -> dict[str, list[tuple[str, ...]]]:
    """The deciding rules of each outcome the decision works out at its top level: once for a case's, once for each
    record for a record's."""
    out: dict[str, list[tuple[str, ...]]] = {}
    stack: list[str] = []
    for event in events:
        kind = type(event).__name__
        if kind == "TraceEnter":
            stack.append(event.definition)
        elif kind == "TraceLeave":
            definition = stack.pop()
            if not stack:
                out.setdefault(definition, []).append(tuple(event.rules))
    return out


PROPERTY = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(data=st.data())
def test_amnesty_explanations_agree_with_decisions(data: st.DataObject) -> None:
    _check_properties(AMNESTY, data.draw(_cases(AMNESTY)))


@PROPERTY
@given(data=st.data())
def test_irc_explanations_agree_with_decisions(data: st.DataObject) -> None:
    _check_properties(IRC, data.draw(_cases(IRC)))


def test_properties_hold_for_every_case_of_the_register() -> None:
    for line in (ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl").read_text(encoding="utf-8").splitlines():
        _check_properties(AMNESTY, json.loads(line))


def test_counterfactual_at_the_edge_of_the_events_period() -> None:
    changes = flagship("kz_released_medium", "en").changes
    change = next(c for c in changes if c.path == ("charges", 0, "act_date"))
    assert (change.old, change.new) == ("5 January 2022", "3 January 2022")
    assert change.outcomes[0] == ("amnesty measure", "released from punishment", "outside the amnesty")
    # the charge's own outcomes change too, named with their charge
    charge = "charge 1 (Article 293 (hooliganism))"
    assert change.outcomes[1:] == (
        (f"charge measure of {charge}", "released from punishment", "outside the amnesty"),
        (f"new sentence of {charge}", "0 days", "not decided"),
    )


def test_a_change_of_one_charges_measure_alone_is_a_change() -> None:
    """Two charges before the riots: moving one into them covers that charge (its case is terminated) while the
    person's measure, that of the other charge of the same gravity, stays outside the amnesty."""
    checked, module = statute(AMNESTY)
    data = json.loads((DATA / "kz_outside_day_before.json").read_text(encoding="utf-8"))
    data["charges"] *= 2
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case(data), locale_for("en"))
    change = next(c for c in explanation.changes if c.path == ("charges", 0, "act_date"))
    assert change.outcomes == (
        (
            "charge measure of charge 1 (Article 293 part 1 (hooliganism))",
            "outside the amnesty",
            "criminal case terminated",
        ),
    )


def test_no_single_change_is_said_when_none_is_found() -> None:
    checked, module = statute(AMNESTY)
    data = json.loads((DATA / "kz_outside_day_before.json").read_text(encoding="utf-8"))
    # an act before the riots and unconnected with them: moving its date or its circumstances alone changes nothing
    data["charges"][0]["circumstances"] = "unconnected"
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case(data), locale_for("en"))
    assert explanation.changes == () and explanation.changes_searched
    assert "No single change of one fact would change this decision." in render(explanation, "text", locale_for("en"))


def test_a_fact_read_inside_a_quantifier_given_as_a_value_is_tried_as_a_change() -> None:
    """The counterfactual search reads a quantifier's body per element where a rule gives it as a value, as it
    reads a count's or an aggregate's (it used to read only its list, and found no change)."""
    checked, module = statute(Path(__file__).parent / "statutes" / "explain_quantifier_value.statute")
    case = module.load_case({"charges": [{"gravity": "grave"}]})
    explanation = explain(checked, GeneratedEvaluator(checked, module), case, locale_for("en"))
    change = explanation.changes[0]
    assert change.path == ("charges", 0, "gravity")
    assert change.outcomes[0][1:] == ("kept", "released")


# ------------------------------------------------------------------ hostile values


HOSTILE = "<script>alert('x')</script>"


def test_html_escapes_hostile_case_values() -> None:
    checked, module = statute(AMNESTY)
    data = json.loads((DATA / "kz_released_medium.json").read_text(encoding="utf-8"))
    data["charges"][0]["offence"] = HOSTILE
    explanation = explain(
        checked,
        GeneratedEvaluator(checked, module),
        module.load_case(data),
        locale_for("en"),
        case_id="<img src=x onerror=1>",
    )
    html = render(explanation, "html", locale_for("en"))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    markdown = render(explanation, "markdown", locale_for("en"))
    assert "<script" not in markdown and "&lt;script>" in markdown  # a > alone closes no tag: left as it is


def test_html_escapes_hostile_statute_strings(tmp_path: Path) -> None:
    path = tmp_path / "hostile.statute"
    path.write_text(
        'Title: "On <script>alert(1)</script> & more".\n'
        "Each case is about a person.\n"
        "A person has:\n  - age: whole number from 0 to 120.\n"
        "Outcome the result: one of adult, minor; by default minor.\n\n"
        "Article 1. Adults <b>only</b>\n\n"
        "> A person of <script>18</script> years is an adult.\n\n"
        "Rule: the result is adult if the age is at least 18.\n",
        encoding="utf-8",
    )
    checked, module = build.check_file(path), None
    module = build.load_module(checked)
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case({"age": 30}), locale_for("en"))
    html = render(explanation, "html", locale_for("en"))
    assert "<script" not in html and "<b>" not in html
    assert "&lt;script&gt;18&lt;/script&gt;" in html and "&lt;b&gt;only&lt;/b&gt;" in html


# ------------------------------------------------------------------ values in each language


@pytest.mark.parametrize(
    ("n", "word"),
    [(1, "год"), (2, "года"), (4, "года"), (5, "лет"), (11, "лет"), (14, "лет"), (21, "год"), (22, "года")],
)
def test_russian_plurals(n: int, word: str) -> None:
    assert plural(n, ("год", "года", "лет"), "ru") == word


def test_values_in_english_and_russian() -> None:
    en, ru = locale_for("en"), locale_for("ru")
    assert duration_text(102, 0, en) == "8 years 6 months" and duration_text(102, 0, ru) == "8 лет 6 месяцев"
    assert duration_text(0, 246, en) == "246 days" and duration_text(0, 1, ru) == "1 день"
    assert duration_text(0, 0, ru) == "0 дней" and duration_text(13, 2, ru) == "1 год 1 месяц 2 дня"
    assert money_text(250000, "USD", en) == "250,000.00 USD" and money_text(250000, "USD", ru) == "250 000,00 USD"
    assert money_text(Fraction(18767123, 100), "USD", ru) == "187 671,23 USD"
    day = datetime.date(2022, 1, 5)
    assert value_text(day, ir.DATE, en) == "5 January 2022" and value_text(day, ir.DATE, ru) == "5 января 2022 г."
    assert value_text(ir.Period(day, day), ir.PERIOD, ru) == "с 5 января 2022 г. по 5 января 2022 г."
    assert value_text(Fraction(3, 4), ir.NUMBER, ru) == "0,75" and value_text(True, ir.BOOL, ru) == "да"
    assert value_text(Fraction(1, 3), ir.NUMBER, en) == "1/3 (≈ 0.3333)"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ExplainError, match="no translation for 'xx'"):
        locale_for("xx")
    assert isinstance(locale_for("ru"), Locale)


# ------------------------------------------------------------------ the drafter's templates win


def test_the_drafters_templates_and_words_override_the_built_in_ones(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "i18n").mkdir(parents=True)
    (templates / "i18n" / "en.json").write_text('{"decision": "The ruling"}', encoding="utf-8")
    (templates / "html.j2").write_text("<p>{{ t.decision }}: {{ e.outcomes[0].value }}</p>\n")
    checked, module = statute(IRC)
    data = json.loads((DATA / "irc_joint_return.json").read_text(encoding="utf-8"))
    locale = locale_for("en", templates)
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case(data), locale)
    assert render(explanation, "html", locale, templates) == "<p>The ruling: 500,000.00 USD</p>\n"
    assert "The ruling\n" in render(explanation, "text", locale, templates)


# ------------------------------------------------------------------ the command and run --explain


def _explain(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    add_explain_arguments(parser)
    return explain_command(parser.parse_args([str(a) for a in argv]))


def test_explain_command_writes_every_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = DATA / "kz_torture_officer.json"
    assert _explain(AMNESTY, "--case", case, "--lang", "ru") == 0
    assert "Решение" in capsys.readouterr().out
    out = tmp_path / "torture.html"
    assert _explain(AMNESTY, "--case", case, "--format", "html", "--out", out) == 0
    assert "<h2>The decision</h2>" in out.read_text(encoding="utf-8")
    assert _explain(AMNESTY, "--case", tmp_path / "missing.json") == 1
    assert _explain(AMNESTY, "--case", case, "--lang", "xx") == 2


def test_explain_command_refuses_a_bad_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"role": "civilian"}', encoding="utf-8")
    assert _explain(AMNESTY, "--case", bad) == 1
    assert "person.relapse: is required but missing" in capsys.readouterr().err


def test_write_explanations_writes_one_per_case_and_an_index(tmp_path: Path) -> None:
    checked, module = statute(AMNESTY)
    cases = read_cases(ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl", checked)
    rows = list(decide_rows(GeneratedRowDecider(module), cases))[:5]
    written = write_explanations(checked, module, rows, tmp_path, "html", "en")
    assert [p.name for p in written] == [f"KZ-000{i}.html" for i in range(1, 6)] + ["index.html"]
    index = written[-1].read_text(encoding="utf-8")
    assert all(f'href="KZ-000{i}.html"' in index for i in range(1, 6))


def test_write_explanations_explains_a_conflict_and_passes_over_an_unreadable_row(tmp_path: Path) -> None:
    statute_file = tmp_path / "conflict.statute"
    statute_file.write_text(
        'Title: "Two rules that disagree".\nEach case is about a person.\nA person has:\n'
        "  - age: whole number from 0 to 120.\nOutcome the status: one of child, adult; by default child.\n\n"
        "Article 1. Adults\nRule: the status is adult if the age is at least 18.\n\n"
        "Article 2. Minors\nRule: the status is child if the age is at most 20.\n",
        encoding="utf-8",
    )
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "P10", "age": 10}\n{"id": "P19", "age": 19}\n{"id": "bad", "age": "old"}\n')
    checked, module = statute(statute_file)
    rows = list(decide_rows(GeneratedRowDecider(module), read_cases(cases, checked), shown=True))
    written = write_explanations(checked, module, rows, tmp_path / "out", "text", "en")
    assert [p.name for p in written] == ["P10.txt", "P19.txt", "index.txt"]
    conflict = written[1].read_text(encoding="utf-8")
    assert "Article 1" in conflict and "Article 2" in conflict and "conflict" in conflict.lower()
    assert "P19" in written[-1].read_text(encoding="utf-8")


# ------------------------------------------------------------------ a real browser


def test_html_page_shows_the_decision_in_a_headless_browser(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("chromium is not installed (Debian package 'chromium'; .ci/run installs it)")
    page = tmp_path / "released.html"
    page.write_text(render(flagship("kz_released_medium", "en"), "html", locale_for("en")), encoding="utf-8")
    profile = tmp_path / "profile"
    command = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
        "--dump-dom", page.as_uri(),
    ]  # fmt: skip
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    assert "<h2>The decision</h2>" in dom
    assert "<strong>amnesty measure</strong>: released from punishment" in dom


def test_readme_shows_a_flagship_explanation() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert render(flagship("kz_torture_officer", "en"), "text", locale_for("en")) in readme
