"""Names as a drafter writes them (issue 14, item 6): numbers in names, the language's words inside names where the
sentence still reads one way, the diagnostic that names the word that cannot be used, and the reserved words' table
(compiler/frontend/reserved.py) checked against the grammar and the docs."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.driver.runner import run_examples
from compiler.explain.decision import explain
from compiler.explain.render import locale_for, render
from compiler.frontend import reserved
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, StatuteError
from compiler.frontend.grammar import grammar_text
from compiler.frontend.parse import parse, parser
from tests.differential import interpreter_outcome, module_outcome
from tests.fuzz.support import through_pipeline

ROOT = Path(__file__).resolve().parent.parent
STATUTE = ROOT / "tests" / "statutes" / "drafters_names.statute"


def _names_in(source: str) -> list[str]:
    """The text of every name of the parsed statute, or [] if it does not parse."""
    try:
        statute = parse(source, "names.statute")
    except StatuteError:
        return []
    found: list[str] = []

    def walk(x: Any) -> None:
        if isinstance(x, s.Name):
            found.append(" ".join(x.words).lower())
        elif isinstance(x, tuple | list):
            for y in x:
                walk(y)
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            for f in dataclasses.fields(x):
                walk(getattr(x, f.name))

    walk(statute.statements)
    return found


def _language_words() -> set[str]:
    """Every word of the statute language: the grammar's keywords, and the words of its keyword patterns."""
    words = set()
    for terminal in parser().terminals:
        pattern = terminal.pattern
        if pattern.type == "str" and re.fullmatch(r"[a-z]+", pattern.value.lower()):
            words.add(pattern.value.lower())
        elif pattern.type == "re" and terminal.name not in {"WORD", "STRING", "COMMENT", "WS", "CURRENCY", "DATE"}:
            words.update(re.findall(r"(?<![\\?])\b[a-z]{2,}\b", re.sub(r"\\[a-z]", " ", pattern.value)))
    return words | {"in", "force", "article", "section"}


WORDS = sorted(_language_words())


def _ending(template: str, first: bool = False) -> set[str]:
    """The words of the language that, put in `template`, do not stay inside the one name 'alpha <word> beta'
    ('<word> beta' with `first`; 'alpha of <word> beta' where the template says so)."""
    ended = set()
    shape = re.search(r"(alpha(?: of| the)? )?\{w\} beta", template)
    assert shape is not None
    for word in WORDS:
        if first and word in s.ARTICLES:  # an article before a name is no part of it
            continue
        name = shape.group(0).format(w=word)
        if name not in _names_in(template.format(w=word)):
            ended.add(word)
    return ended


def test_the_grammar_knows_the_language_words() -> None:
    """The list the tables below are checked against is not empty by mistake."""
    assert {"is", "reduced", "among", "given", "rule", "marginal", "whole"} <= set(WORDS)


@pytest.mark.parametrize(
    ("template", "first", "listed"),
    [
        ("Rule: the x is 1 if the alpha {w} beta is 2.\n", False, reserved.RULE_WORDS),
        ("Rule: the alpha {w} beta is 1 if the x is 2.\n", False, reserved.RULE_WORDS),
        ("Example: Facts: x: 1. Expected: the alpha {w} beta is 2.\n", False, reserved.RULE_WORDS),
        ("Rule: the x is 1 if the {w} beta is 2.\n", True, {r.word for r in reserved.FIRST_AFTER_THE}),
        ("Rule: the stage is {w} beta.\n", True, {r.word for r in reserved.FIRST_BARE}),
        (
            "Rule: the x is 1 if the stage is {w} beta.\n",
            True,
            {r.word for r in (*reserved.FIRST_BARE, *reserved.FIRST_AFTER_IS)},
        ),
        ("A person has:\n  - x: list of alpha {w} beta.\n", False, {r.word for r in reserved.IN_RECORD_NAMES}),
        ("A alpha {w} beta has:\n  - x: text.\n", False, {r.word for r in reserved.IN_RECORD_NAMES}),
        ("A person has:\n  - x: one of alpha {w} beta, gamma.\n", False, {r.word for r in reserved.IN_ENUM_VALUES}),
        ("Parameter the alpha {w} beta: 1.\n", False, set()),
        ("Outcome the alpha {w} beta: yes or no.\n", False, set()),
        ("A person has:\n  - alpha {w} beta: yes or no.\n", False, set()),
        ("Example: Facts: alpha {w} beta: yes. Expected: the x is 1.\n", False, set()),
        ('Example "b": Facts: as in example "a", but: alpha {w} beta: yes. Expected: the x is 1.\n', False, set()),
        (
            'Example "b": Facts: as in example "a", but: {w} beta: yes. Expected: the x is 1.\n',
            True,
            {r.word for r in reserved.FIRST_IN_CHANGES},
        ),
        ("Formula the f of an alpha {w} beta: money, gives money: 1 EUR.\n", False, set()),
        ("Formula the f, given an alpha {w} beta: money, gives money: 1 EUR.\n", False, set()),
        ("Scale the alpha {w} beta, single rates: 2%.\n", False, set()),
        # after 'the', 'a', 'an' or 'of' inside a name, any word may follow
        ("Rule: the x is 1 if the alpha of {w} beta is 2.\n", False, set()),
        ("Rule: the x is 1 if the alpha the {w} beta is 2.\n", False, set()),
    ],
)
def test_the_reserved_words_are_those_of_the_grammar(template: str, first: bool, listed: set[str]) -> None:
    """compiler/frontend/reserved.py lists exactly the words that end a name of each kind in the grammar."""
    phrases = {w for w in listed if " " in w}
    assert _ending(template, first) == {w for w in listed if " " not in w}, template
    for phrase in phrases:  # "one half beta" is not a name
        assert f"{phrase} beta" not in _names_in(template.format(w=phrase)), phrase


@pytest.mark.parametrize("phrase", ["applied to", "counting a month as 30 days", ", given", "of 2012"])
def test_the_reserved_phrases_end_a_name_in_a_rule(phrase: str) -> None:
    assert f"alpha{phrase if phrase.startswith(',') else ' ' + phrase} beta" not in _names_in(
        f"Rule: the x is 1 if the alpha {phrase} beta is 2.\n"
    )
    listed = {r.word for r in reserved.PHRASES_IN_RULES}
    assert phrase in listed or phrase.replace("2012", "<a number>") in listed


def test_a_number_inside_a_name_is_never_read_before_a_word_that_ends_a_name() -> None:
    """The grammar's NAME_NUMBER holds the words of reserved.IN_RULES: "the tax 2012 is ..." reads '2012' as no part
    of a name (and "charge 2 is" stays record 2)."""
    (line,) = [x for x in grammar_text().splitlines() if x.startswith("NAME_NUMBER")]
    excluded = re.search(r"\(\?!\(([a-z|]+)\)", line)
    assert excluded is not None
    assert set(excluded.group(1).split("|")) == reserved.RULE_WORDS


def test_the_docs_hold_the_table() -> None:
    docs = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    assert reserved.markdown() in docs, "regenerate it: python -m compiler.frontend.reserved"


# ------------------------------------------------------------------ numbers in names


@pytest.mark.parametrize(
    ("source", "name"),
    [
        ("Rule: the x is 1 if the 2012 amnesty applies.\n", "2012 amnesty applies"),
        ("Rule: the x is 1 if the article 228.1 offences is 2.\n", "article 228.1 offences"),
        ("Rule: the x is 1 if the age at the 14th birthday is 2.\n", "age at the 14th birthday"),
        ("Rule: the x is the tax 2012 rate.\n", "tax 2012 rate"),
        ("Parameter the 5 year waiting period: 5 years.\n", "5 year waiting period"),
        ("A person has:\n  - stage: one of 1st instance, 2nd appeal.\n", "2nd appeal"),
        ("Example: Facts: 2012 amnesty applies: yes. Expected: the x is 1.\n", "2012 amnesty applies"),
        ("Example: Facts: offence: the article 228.1 offence. Expected: the x is 1.\n", "article 228.1 offence"),
    ],
)
def test_a_number_stands_in_a_name_before_one_of_its_words(source: str, name: str) -> None:
    assert name in _names_in(source)


def test_a_number_after_a_name_in_an_expectation_is_still_a_record_number() -> None:
    (example,) = parse("Example: Facts: x: 1. Expected: the charge measure of charge 2 is released.\n").statements
    assert isinstance(example, s.Example)
    (expected,) = example.expectations
    assert (expected.target.name.text, expected.number) == ("charge measure of charge", 2)


def test_durations_and_money_stay_literals() -> None:
    """A name never starts with a number where a value may: "18 months" is a duration, not a name."""
    (rule,) = parse("Rule: the x is 18 months if the y is 100 EUR.\n").statements
    assert isinstance(rule, s.Rule) and isinstance(rule.value, s.DurationLit)


# ------------------------------------------------------------------ the diagnostic names the word


def _the_parse_error(source: str) -> Diagnostic:
    with pytest.raises(StatuteError) as caught:
        parse(source, "names.statute")
    (d,) = caught.value.diagnostics
    return d


@pytest.mark.parametrize(
    ("source", "message", "at"),
    [
        (
            "Parameter the amnesty of 2012: 5.\n",
            "'2012' cannot end a name: a number stands in a name only before one of its words",
            (1, 26, "2012"),
        ),
        (
            "Rule: the x is 1 if the tax 2012 is 5.\n",
            "'2012' cannot end a name: a number stands in a name only before one of its words; 'is' ends the name here",
            (1, 29, "2012"),
        ),
        (
            "Rule: the measure is sentence reduced if the age is 1.\n",
            "'reduced' cannot stand inside a name here: in a rule it starts a subtraction, 'reduced by',"
            " as in 'the term reduced by one quarter'",
            (1, 31, "reduced"),
        ),
        (
            "Rule: the x is 1 if the time where served is 5.\n",
            "'where' cannot stand inside a name here: in a rule it starts a quantifier's condition, as in 'any charge"
            " where the gravity is grave'",
            (1, 30, "where"),
        ),
        (
            "Rule: the x is 1\n  if the total income is 5.\n",
            "'total' cannot be the first word of a name after 'the': it starts an aggregate over a list, as in 'the"
            " total term among the charges'",
            (2, 10, "total"),
        ),
    ],
)
def test_the_word_that_breaks_a_name_is_named(source: str, message: str, at: tuple[int, int, str]) -> None:
    d = _the_parse_error(source)
    assert d.message == message
    line, column, word = at
    assert (d.span.file, d.span.line, d.span.column) == ("names.statute", line, column)
    assert source[d.span.start : d.span.end] == word
    assert d.hint  # what to write instead


VOCABULARY = """\
Each case is about a person.
A person has:
  - conviction is expunged: yes or no;
  - stage: one of on trial, released on parole;
  - age: whole number from 0 to 120.
Outcome the record is sealed: yes or no; by default no.
"""


def _check_errors(body: str) -> list[Diagnostic]:
    from compiler.check.check import check

    source = VOCABULARY + body
    try:
        check(parse(source, "names.statute"))
    except StatuteError as exc:
        return [d for d in exc.diagnostics if d.is_error]
    return []


@pytest.mark.parametrize(
    ("declaration", "word", "starts"),
    [
        ("Parameter the sentence reduced: 3 days.", "reduced", "a subtraction, 'reduced by'"),
        ("Outcome the origin: one of from abroad, local.", "from", "a period"),
        ("Definition the record is not sealed: yes or no.", "is", "a test or a rule's conclusion"),
        ("Outcome the measure: one of released, no special reason.", "no", "a quantifier"),
        ("Definition the rate is high: money.", "is", "a test or a rule's conclusion"),
        ("Definition the charges are proven: yes or no.", "are", "a test"),
    ],
)
def test_a_declared_name_a_rule_cannot_write_is_refused_where_it_is_declared(
    declaration: str, word: str, starts: str
) -> None:
    (d,) = _check_errors(declaration + "\n")
    assert d.message.startswith(f"'{word}' cannot stand")
    assert f"in a rule it starts {starts}" in d.message
    line = VOCABULARY.count("\n") + 1
    found = re.search(rf"\b{word}\b", declaration)
    assert found is not None and (d.span.line, d.span.column) == (line, found.start() + 1)
    assert (d.hint is not None and f"without '{word}'" in d.hint) or "only a yes/no value" in (d.hint or "")


def test_a_calculation_word_first_is_no_reason_to_refuse_a_declared_name() -> None:
    """ "the total delay" can be concluded, though a condition could not read it (it would be an aggregate)."""
    assert _check_errors("Outcome the total delay: duration.\nRule: the total delay is 2 days.\n") == []


def test_a_name_that_reads_two_ways_is_refused() -> None:
    body = (
        "Definition the conviction: one of expunged, kept.\nRule: the record is sealed if the conviction is expunged.\n"
    )
    (d,) = _check_errors(body)
    assert d.message.startswith("'conviction is expunged' reads two ways")


def test_is_not_in_an_expectation_needs_a_sentence_name() -> None:
    body = (
        'Example "e": Facts: conviction is expunged: no; stage: on trial; age: 3.\n'
        "  Expected: the stage is not on trial.\n"
    )
    (d,) = _check_errors(body)
    assert d.message.startswith("'is not' in an expectation denies a yes/no value named by a whole sentence")


# ------------------------------------------------------------------ a whole sentence as a yes/no name


def test_a_sentence_name_is_read_and_concluded_and_expected() -> None:
    body = (
        "Rule: the record is sealed if the conviction is expunged or the stage is released on parole.\n"
        'Example "yes": Facts: conviction is expunged: yes; stage: on trial; age: 30.\n'
        "  Expected: the record is sealed.\n"
        'Example "no": Facts: conviction is expunged: no; stage: on trial; age: 30.\n'
        "  Expected: the record is not sealed.\n"
        'Example "parole": Facts: conviction is expunged: no; stage: released on parole; age: 30.\n'
        "  Expected: the record is sealed.\n"
    )
    outcome = through_pipeline(VOCABULARY + body)
    assert outcome.stage == "compiled", [d.message for d in outcome.diagnostics]
    assert outcome.checked is not None and len(outcome.checked.examples) == 3
    assert not outcome.example_failures


def test_a_wrong_expectation_of_a_sentence_name_fails() -> None:
    """The expectation is read, not ignored: 'is not sealed' where the rule seals it fails."""
    body = (
        "Rule: the record is sealed if the conviction is expunged.\n"
        'Example "e": Facts: conviction is expunged: yes; stage: on trial; age: 30.\n'
        "  Expected: the record is not sealed.\n"
    )
    outcome = through_pipeline(VOCABULARY + body, examples_pass=False)
    assert outcome.example_failures == ("expected record is sealed to be no, got yes",)


def test_the_drafters_statute_passes_its_examples() -> None:
    checked = build.check_file(STATUTE)
    module = build.load_module(checked)
    results = run_examples(checked, module)
    assert len(results) == 5 and all(not r.failures for r in results)


# ------------------------------------------------------------------ any name of allowed words round-trips

PLAIN = ("zorp", "quib", "vanta", "melk", "dorn", "flick", "brisk", "tamber")
# Words of the language that may stand inside a name in a rule (none of reserved.IN_RULES).
ALLOWED = ("in", "on", "has", "given", "over", "from", "case", "rule", "part", "with", "at", "by", "before", "known")
JOINTS = ("of", "the", "a")


@st.composite
def _names(draw: st.DrawFn, taken: set[str]) -> str:
    """A name: a plain word first, then words, numbers before words, ordinals, joints, and any word after a joint."""
    words = [draw(st.sampled_from(PLAIN))]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["plain", "allowed", "number", "ordinal", "joint"]))
        if kind == "plain":
            words.append(draw(st.sampled_from(PLAIN)))
        elif kind == "allowed":
            words.append(draw(st.sampled_from(ALLOWED)))
        elif kind == "number":
            words += [draw(st.sampled_from(["2012", "228.1", "5"])), draw(st.sampled_from(PLAIN))]
        elif kind == "ordinal":
            words.append(draw(st.sampled_from(["14th", "1st", "2nd", "3rd"])))
        else:  # after a joint, even a word that ends a name elsewhere
            words += [draw(st.sampled_from(JOINTS)), draw(st.sampled_from(sorted(reserved.RULE_WORDS) + list(PLAIN)))]
    name = " ".join(words)
    key = " ".join(w for w in words if w not in {"the", "a", "an"})
    if key in taken or any(key.startswith(t + " of") or t.startswith(key + " of") for t in taken):
        name = f"{name} {'x' * (len(taken) + 1)}"  # no two names alike, nor one the record part of another
        key = f"{key} {'x' * (len(taken) + 1)}"
    taken.add(key)
    return name


@st.composite
def _statutes(draw: st.DrawFn) -> tuple[str, str, str]:
    taken: set[str] = set()
    fact, count, outcome = draw(_names(taken)), draw(_names(taken)), draw(_names(taken))
    subject, value = draw(_names(taken)), draw(_names(taken))  # a yes/no fact named by a sentence
    text = (
        "Each case is about a person.\n"
        "A person has:\n"
        f"  - {fact}: yes or no;\n"
        f"  - {count}: whole number from 0 to 100;\n"
        f"  - {subject} is {value}: yes or no.\n"
        f"Outcome the {outcome}: yes or no; by default no.\n"
        f"Rule: the {outcome} is yes\n"
        f"  if the {fact} is yes and the {count} is at least 18 and the {subject} is {value}.\n"
        f'Example "e": Facts: {fact}: yes; {count}: 18; {subject} is {value}: yes. Expected: the {outcome} is yes.\n'
    )
    return text, fact, count


@settings(max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(_statutes(), st.booleans(), st.integers(0, 100), st.booleans())
def test_a_name_of_allowed_words_round_trips(statute: tuple[str, str, str], flag: bool, n: int, said: bool) -> None:
    """A statute whose names hold numbers, ordinals and the language's allowed words parses, checks, compiles, passes
    its example, and the generated module and the interpreter decide every case alike."""
    text, _, _ = statute
    outcome = through_pipeline(text)
    assert outcome.stage == "compiled", [(d.message, d.span.line, d.span.column) for d in outcome.diagnostics]
    assert outcome.checked is not None and outcome.module is not None
    root = next(r for r in outcome.checked.records if r.ident == outcome.checked.root)
    fields = root.fields
    case = {fields[0].ident: flag, fields[1].ident: n, fields[2].ident: said}
    by_module = module_outcome(outcome.module, case)
    assert by_module == interpreter_outcome(outcome.checked, case)
    assert by_module[0] == "decided"
    decided = by_module[1]
    assert isinstance(decided, dict) and list(decided.values()) == [flag and n >= 18 and said]


# ------------------------------------------------------------------ explanations read a sentence name as written


@pytest.mark.parametrize(
    ("lang", "why", "change"),
    [
        ("en", "✗ the conviction is expunged", "Had the conviction been expunged, the record is sealed would"),
        ("ru", "✗ the conviction is expunged", "Если бы было верно, что conviction — expunged, то"),
    ],
)
def test_an_explanation_reads_a_sentence_name_as_written(lang: str, why: str, change: str) -> None:
    """Not "the person is conviction is expunged", nor "Had the person been conviction is expunged"."""
    checked = build.check_file(STATUTE)
    module = build.load_module(checked)
    case = {
        "conviction_date": "2018-03-01",
        "application_date": "2021-03-01",
        "offence": "article 228.1 offence",
        "conviction_is_expunged": False,
        "prosecution_terminated_in_part": False,
        "released_on_parole": True,
        "n_2012_amnesty_applied": False,
        "days_in_custody_after_18th_birthday": 1000,
    }
    explanation = explain(checked, GeneratedEvaluator(checked, module), module.load_case(case), locale_for(lang))
    text = render(explanation, "text", locale_for(lang))
    assert why in text and change in text
    assert "is conviction is expunged" not in text and "been conviction is expunged" not in text
