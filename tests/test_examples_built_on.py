"""Examples that build on another: "Facts: as in example "title", but: <changes>." -- the parse, the expansion to full
facts (compiler/check/example_bases.py, compiler/check/example_order.py), each diagnostic with its position and
words, and properties: building on an example with no change, or changes to the same values, decides as the base
does; a random chain of changes gives the facts written out."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from statute_snippets import VOCABULARY, VOCABULARY_LINES, check_diagnostics, checked, errors, parse_source
from test_parse import _parse_through_lark_tree

from compiler.check import example_bases
from compiler.check.check import check
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, render
from compiler.frontend.parse import parse
from compiler.interpret.decide import decide
from compiler.interpret.errors import Conflict, Undecided
from compiler.interpret.examples import example_failures
from compiler.interpret.requirements import BrokenRequirements
from compiler.model import ir

ROOT = Path(__file__).resolve().parent.parent

RULES = (
    "Article 1. Release\n"
    "Rule: a charge is serious if the gravity is at least grave and the charge is proven.\n"
    "Rule: the measure is released if the age is at least 18 and any charge is serious.\n"
    "Rule: the new sentence is the sentence reduced by the reduction rounded down to whole days\n"
    "  if the measure is released and the sentence is given.\n"
)
BASE = (
    'Example "Base" (Article 1):\n'
    '  Facts: role: civilian; stage: serving sentence; age: 24; gain: 10 USD; rate: 0.5; name: "Ann";\n'
    "    cooperated: no; sentence: 4 years;\n"
    "    charges: (gravity: grave; act date: 5 January 2022; proven: yes), (gravity: minor; act date: 2022-01-06;\n"
    "      proven: no).\n"
    "  Expected: the measure is released; the new sentence is 1 year.\n"
)
FIRST = VOCABULARY_LINES + RULES.count("\n") + BASE.count("\n") + 1  # the line after BASE


def built(facts: str, expected: str = "the measure is released") -> str:
    """An example titled "Built" on the line FIRST, with these facts."""
    return f'Example "Built" (Article 1):\n  Facts: {facts}.\n  Expected: {expected}.\n'


def case_of(facts: str, expected: str = "the measure is released", before: str = BASE) -> dict[str, object]:
    result = checked(RULES + before + built(facts, expected))
    (example,) = [e for e in result.examples if e.title == "Built"]
    return example.case


def column(facts: str, piece: str) -> int:
    """The column at which `piece` starts on the Facts line of "Built" (after "  Facts: ")."""
    return len("  Facts: ") + facts.index(piece) + 1


def diagnostics_of(facts: str, before: str = BASE) -> list[Diagnostic]:
    return list(check_diagnostics(RULES + before + built(facts)))


def the_error(facts: str, before: str = BASE) -> tuple[str, str | None, tuple[int, int]]:
    found = errors(diagnostics_of(facts, before))
    assert len(found) == 1, [d.message for d in found]
    d = found[0]
    assert d.article == "Article 1. Release"
    return d.message, d.hint, (d.span.line - FIRST + 1, d.span.column)  # line 2 is the Facts line of "Built"


BASE_CASE = {
    "role": "civilian",
    "stage": "serving sentence",
    "age": 24,
    "gain": "10",
    "rate": "0.5",
    "name": "Ann",
    "cooperated": False,
    "sentence": "4 years",
    "charges": [
        {"gravity": "grave", "act_date": "2022-01-05", "proven": True},
        {"gravity": "minor", "act_date": "2022-01-06", "proven": False},
    ],
}
DECLARED = ["role", "stage", "age", "sentence", "sentence_start", "gain", "rate", "name", "cooperated", "charges"]


# ------------------------------------------------------------------ parse


def _example(text: str) -> s.Example:
    (statement,) = parse_source(text).statements
    assert isinstance(statement, s.Example)
    return statement


def test_the_parse_gives_the_base_and_each_change_in_order() -> None:
    ex = _example(
        'Example "B":\n  Facts: as in example "A", but: age: 19; charge 2: (gravity: grave; without proven);\n'
        "    another charge: (gravity: minor); without the sentence; without charge 1.\n  Expected: the x is 1.\n"
    )
    assert ex.facts == () and ex.base is not None
    assert ex.base.title == "A" and (ex.base.title_span.line, ex.base.title_span.column) == (2, 24)
    kinds = [type(c).__name__ for c in ex.base.changes]
    assert kinds == ["Fact", "RecordChange", "RecordAdded", "FactRemoved", "FactRemoved"]
    _, change, added, removed, dropped = ex.base.changes
    assert isinstance(change, s.RecordChange) and (change.record.key, change.number) == ("charge", 2)
    assert [type(c).__name__ for c in change.changes] == ["Fact", "FactRemoved"]
    assert isinstance(added, s.RecordAdded) and added.record.key == "charge" and len(added.facts) == 1
    assert isinstance(removed, s.FactRemoved) and (removed.name.key, removed.number) == ("sentence", None)
    assert isinstance(dropped, s.FactRemoved) and (dropped.name.key, dropped.number) == ("charge", 1)


@pytest.mark.parametrize(
    "facts", ['as in example "A"', 'as in example "A", but: age: 3', 'as in example "A" but: age: 3']
)
def test_as_in_alone_and_the_comma_before_but_is_optional(facts: str) -> None:
    ex = _example(f'Example "B":\n  Facts: {facts}.\n  Expected: the x is 1.\n')
    assert ex.base is not None and ex.base.title == "A"
    assert len(ex.base.changes) == (0 if "but" not in facts else 1)


def test_the_builder_gives_what_lark_tree_gives_for_changes() -> None:
    source = (
        RULES
        + BASE
        + built(
            'as in example "Base", but: age: 19; charge 2: (without proven); another charge:\n'
            "    (gravity: minor; act date: 1 May 2022; proven: no); without charge 1"
        )
    )
    assert parse_source(source) == _parse_through_lark_tree(source)


# ------------------------------------------------------------------ expansion


def test_as_in_alone_gives_the_base_facts() -> None:
    assert case_of('as in example "Base"', "the measure is released; the new sentence is 1 year") == BASE_CASE


def test_a_fact_given_anew_replaces_the_base_value_in_place() -> None:
    case = case_of('as in example "Base", but: age: 17; stage: on trial', "the measure is outside")
    assert case == {**BASE_CASE, "age": 17, "stage": "on trial"}
    assert list(case) == [k for k in DECLARED if k != "sentence_start"]  # the order the statute declares


def test_without_leaves_out_an_optional_fact_and_a_fact_the_base_leaves_out_can_be_added() -> None:
    assert "sentence" not in case_of('as in example "Base", but: without the sentence')
    case = case_of('as in example "Base", but: sentence start: 1 March 2022')
    assert case["sentence_start"] == "2022-03-01"
    assert list(case) == DECLARED


def test_one_record_changed_by_its_number_the_others_kept() -> None:
    case = case_of('as in example "Base", but: charge 2: (gravity: grave; proven: yes)')
    assert case["charges"] == [BASE_CASE["charges"][0], {"gravity": "grave", "act_date": "2022-01-06", "proven": True}]  # type: ignore[index]


def test_records_are_numbered_as_the_base_gives_them_whatever_else_changes() -> None:
    case = case_of(
        'as in example "Base", but: without charge 1; charge 2: (proven: yes);\n'
        "    another charge: (gravity: medium; act date: 7 January 2022; proven: no)",
        "the measure is outside",
    )
    assert case["charges"] == [
        {"gravity": "minor", "act_date": "2022-01-06", "proven": True},
        {"gravity": "medium", "act_date": "2022-01-07", "proven": False},
    ]


def test_a_whole_list_given_anew_and_none() -> None:
    assert case_of('as in example "Base", but: charges: none', "the measure is outside")["charges"] == []


def test_an_example_may_build_on_one_written_after_it_and_chains_expand_in_order() -> None:
    later = built('as in example "Middle", but: age: 30').replace('"Built"', '"Last"')
    middle = built('as in example "Base", but: name: "Bo"').replace('"Built"', '"Middle"')
    result = checked(RULES + later + BASE + middle)
    titles = [e.title for e in result.examples]
    assert titles == ["Last", "Base", "Middle"]  # the order written, whatever order they were expanded in
    assert result.examples[0].case == {**BASE_CASE, "name": "Bo", "age": 30}


def test_the_expanded_cases_share_no_list_or_record() -> None:
    result = checked(
        RULES + BASE + built('as in example "Base"', "the measure is released; the new sentence is 1 year")
    )
    base, derived = result.examples
    assert derived.case == base.case and derived.case["charges"] is not base.case["charges"]
    assert derived.case["charges"][0] is not base.case["charges"][0]  # type: ignore[index]


def test_expectations_number_the_records_of_the_expanded_facts() -> None:
    vocabulary_rules = RULES + "Outcome the charge mark of a charge: yes or no; by default no.\n"
    vocabulary_rules += "Rule: the charge mark of a charge is yes if the charge is proven.\n"
    result = checked(
        vocabulary_rules
        + BASE
        + built(
            'as in example "Base", but: without charge 1',
            "the measure is outside; the charge mark of charge 1 is no",
        )
    )
    assert result.examples[1].expected[1].element == ("charges", 0)
    with pytest.raises(Exception, match="there is no charge 2"):
        checked(
            vocabulary_rules
            + BASE
            + built('as in example "Base", but: without charge 1', "the charge mark of charge 2 is no")
        )


# ------------------------------------------------------------------ diagnostics


def test_an_unknown_title_names_the_closest() -> None:
    message, hint, at = the_error('as in example "Bace", but: age: 19')
    assert message == 'there is no example titled "Bace" in this statute'
    assert hint == 'did you mean "Base"?'
    assert at == (2, 24)


def test_a_title_in_other_letters_says_it_must_be_written_exactly() -> None:
    _, hint, _ = the_error('as in example "base"')
    assert hint == 'did you mean "Base"? The title must be written exactly as the example gives it'


def test_an_unknown_title_with_nothing_close() -> None:
    _, hint, _ = the_error('as in example "Something else entirely"')
    assert hint == "give the title of an example of this statute exactly as it is written after 'Example'"


def test_a_circle_is_named_once_at_its_first_example() -> None:
    a = built('as in example "B"').replace('"Built"', '"A"')
    b = built('as in example "A"').replace('"Built"', '"B"')
    c = built('as in example "A", but: age: 30').replace('"Built"', '"C"')  # built on the circle: no message of its own
    found = errors(diagnostics_of('as in example "Base"', before=BASE + a + b + c))
    assert [d.message for d in found] == [
        'these examples build on one another in a circle: "A" builds on "B", "B" builds on "A"'
    ]
    assert found[0].hint == "write out the facts of one of them, so that the others can start from it"
    assert (found[0].span.line - FIRST + 1, found[0].span.column) == (2, 24)


def test_a_long_circle_names_ten_links_and_counts_the_others() -> None:
    links = "".join(built(f'as in example "E{(i + 1) % 12}"').replace('"Built"', f'"E{i}"') for i in range(12))
    (d,) = errors(diagnostics_of('as in example "Base"', before=BASE + links))
    assert d.message.endswith('"E9" builds on "E10", and 2 more links')


def test_an_example_built_on_itself() -> None:
    message, hint, at = the_error('as in example "Built"')
    assert (message, hint, at) == (
        'example "Built" builds on itself',
        "name another example, or write out its facts",
        (2, 24),
    )


def test_a_shared_title_is_a_warning_and_an_error_where_an_example_builds_on_it() -> None:
    twice = BASE + BASE.replace("Base", "Other").replace('"Other"', '"Base"')
    found = diagnostics_of('as in example "Base"', before=twice)
    warned = [d for d in found if not d.is_error]
    assert [d.message for d in warned if "titled" in d.message] == [
        f'the example on line {VOCABULARY_LINES + RULES.count(chr(10)) + 1} is also titled "Base"'
    ]
    (d,) = errors(found)
    first = VOCABULARY_LINES + RULES.count("\n") + 1
    assert d.message == f'2 examples are titled "Base" (lines {first} and {first + 6}): which one is meant?'


def test_a_fact_the_statute_does_not_have() -> None:
    facts = 'as in example "Base", but: agee: 19'
    message, hint, at = the_error(facts)
    assert (message, hint, at) == ("a person has no fact 'agee'", "did you mean 'age'?", (2, column(facts, "agee")))


def test_a_fact_a_record_does_not_have() -> None:
    facts = 'as in example "Base", but: charge 1: (gravty: minor)'
    message, hint, at = the_error(facts)
    assert (message, hint) == ("a charge has no fact 'gravty'", "did you mean 'gravity'?")
    assert at == (2, column(facts, "gravty"))


def test_a_record_number_out_of_range() -> None:
    facts = 'as in example "Base", but: charge 3: (gravity: minor)'
    message, hint, at = the_error(facts)
    assert message == "there is no charge 3 in example \"Base\": it gives 2 in 'charges'"
    assert hint == (
        "number them from 1 in the order example \"Base\" gives them; to add one, write 'another charge: (...)'"
    )
    assert at == (2, column(facts, "charge 3"))
    message, _, _ = the_error('as in example "Base", but: without charge 0')
    assert message == "there is no charge 0 in example \"Base\": it gives 2 in 'charges'"


def test_not_a_list_of_records() -> None:
    facts = 'as in example "Base", but: chrge 1: (gravity: minor)'
    message, hint, at = the_error(facts)
    assert (message, hint) == ("a person has no list of records called 'chrge'", "did you mean 'charge'?")
    assert at == (2, column(facts, "chrge"))


def test_leaving_out_what_cannot_be_left_out() -> None:
    facts = 'as in example "Base", but: without the age'
    message, hint, at = the_error(facts)
    assert (message, hint) == (
        "'age' is not optional: every example gives it",
        "give it another value instead: 'age: ...'",
    )
    assert at == (2, column(facts, "without"))
    facts = 'as in example "Base", but: without sentence start'
    message, _, at = the_error(facts)
    assert message == "example \"Base\" does not give the 'sentence start': there is nothing to leave out"
    assert at == (2, column(facts, "sentence start"))
    message, hint, _ = the_error('as in example "Base", but: without charges')
    assert message == "'charges' is a list: every example gives it"
    assert hint == "write 'charges: none' for no records, or leave out one record by its number"


def test_a_fact_changed_twice_and_a_record_changed_twice() -> None:
    facts = 'as in example "Base", but: age: 19; age: 20'
    message, _, at = the_error(facts)
    assert (message, at) == (f"'age' is changed twice (first on line {FIRST + 1})", (2, column(facts, "age: 20")))
    message, _, _ = the_error('as in example "Base", but: charge 1: (proven: no); without charge 1')
    assert message == "charge 1 is already changed here"
    message, _, _ = the_error('as in example "Base", but: charges: none; without charge 1')
    assert message == f"'charges' is given anew (on line {FIRST + 1}): its records cannot also be changed one by one"
    message, _, _ = the_error('as in example "Base", but: without charge 1; charges: none')
    assert message == "the records of 'charges' are already changed one by one here"


def test_a_changed_value_is_checked_as_a_written_one() -> None:
    facts = 'as in example "Base", but: age: 200'
    message, _, at = the_error(facts)
    assert (message, at) == ("'age' must be from 14 to 100; this is 200", (2, column(facts, "200")))


def test_a_value_the_base_already_has_is_a_warning() -> None:
    facts = 'as in example "Base", but: age: 24; charge 2: (gravity: minor)'
    result = checked(RULES + BASE + built(facts))
    found = [d for d in result.warnings if "already" in d.message]
    assert [(d.message, d.span.line - FIRST + 1, d.span.column) for d in found] == [
        ("'age' is already 24 in example \"Base\"", 2, column(facts, "age")),
        ("'gravity' is already minor in charge 2 of example \"Base\"", 2, column(facts, "gravity")),
    ]
    assert found[0].hint == "leave it out of the changes, or give the value that makes this example different"


def test_an_example_built_on_a_refused_one_adds_no_message() -> None:
    broken = BASE.replace("age: 24", "age: 99; age: 98")
    found = errors(diagnostics_of('as in example "Base", but: name: "Bo"', before=broken))
    assert [d.message for d in found] == ["'age' is given twice"]


def test_a_diagnostic_renders_with_file_line_column_article_text_and_hint() -> None:
    source = VOCABULARY + RULES + BASE + built('as in example "Bace"')
    (d,) = errors(diagnostics_of('as in example "Bace"'))
    lines = render(d, source).splitlines()
    assert lines[0] == f'test.statute:{FIRST + 1}:24: error: there is no example titled "Bace" in this statute'
    assert lines[1] == "  in Article 1. Release"
    assert lines[2].endswith('Facts: as in example "Bace".') and lines[3].strip() == "^^^^^^"
    assert lines[4] == '  hint: did you mean "Base"?'


# ------------------------------------------------------------------ bounded work


def test_a_long_chain_expands_in_linear_time_without_recursion() -> None:
    n = 3000
    chain = "".join(
        built(f'as in example "E{i - 1}", but: age: {14 + i % 80}').replace('"Built"', f'"E{i}"') for i in range(1, n)
    )
    start = time.perf_counter()
    result = checked(RULES + chain + BASE.replace('"Base"', '"E0"'))  # the first example last: the longest chain
    assert time.perf_counter() - start < 60
    assert len(result.examples) == n and result.examples[-2].case["age"] == 14 + (n - 1) % 80


def test_the_facts_copied_from_bases_are_limited(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(example_bases, "MAX_COPIED_FACTS", 20)
    second = built('as in example "Built"').replace('Example "Built"', 'Example "Second"')
    found = errors(diagnostics_of('as in example "Base"', before=BASE + second))
    assert [d.message for d in found] == [
        "building this example on another would copy more than 20 facts from the examples built on, the limit for "
        "a statute"
    ]


# ------------------------------------------------------------------ properties

PROPERTY = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
SCALARS = {
    "role": ["civilian", "serviceman", "law enforcement officer"],
    "stage": ["under investigation", "on trial", "serving sentence"],
    "age": ["14", "17", "18", "40", "100"],
    "gain": ["0 USD", "10 USD", "1,000.50 USD"],
    "rate": ["0", "0.5", "2"],
    "name": ['"Ann"', '"Bo"'],
    "cooperated": ["yes", "no"],
}
OPTIONAL = {"sentence": ["1 year", "4 years", "30 days"], "sentence start": ["1 March 2022", "2022-05-02"]}
RECORD = {
    "gravity": ["minor", "medium", "grave", "especially grave"],
    "act date": ["5 January 2022", "2022-01-09"],
    "proven": ["yes", "no"],
}

Facts = dict[str, object]  # the drafter's words: a value's text, or a list of records of texts


def _written(facts: Facts) -> str:
    parts = []
    for name, value in facts.items():
        if isinstance(value, list):
            records = ", ".join("(" + "; ".join(f"{k}: {v}" for k, v in r.items()) + ")" for r in value)
            parts.append(f"charges: {records or 'none'}")
        else:
            parts.append(f"{name}: {value}")
    return ";\n    ".join(parts)


@st.composite
def _record(draw: st.DrawFn) -> dict[str, str]:
    return {k: draw(st.sampled_from(v)) for k, v in RECORD.items()}


@st.composite
def _facts(draw: st.DrawFn) -> Facts:
    facts: Facts = {k: draw(st.sampled_from(v)) for k, v in SCALARS.items()}
    for k, v in OPTIONAL.items():
        if draw(st.booleans()):
            facts[k] = draw(st.sampled_from(v))
    facts["charges"] = draw(st.lists(_record(), max_size=3))
    return facts


@st.composite
def _changes(draw: st.DrawFn, facts: Facts) -> tuple[str, Facts]:
    """Changes of `facts` as a drafter writes them, and the facts they give (worked out here, independently)."""
    written: list[str] = []
    after = dict(facts)
    records = list(facts["charges"])  # type: ignore[call-overload]
    for name in draw(st.lists(st.sampled_from([*SCALARS, *OPTIONAL]), unique=True, max_size=4)):
        if name in OPTIONAL and name in after and draw(st.booleans()):
            written.append(f"without the {name}")
            del after[name]
            continue
        value = draw(st.sampled_from((SCALARS | OPTIONAL)[name]))
        written.append(f"{name}: {value}")
        after[name] = value
    kept: list[dict[str, str]] = []
    for number, record in enumerate(records, start=1):
        what = draw(st.sampled_from(["keep", "change", "drop"]))
        if what == "drop":
            written.append(f"without charge {number}")
        elif what == "change":
            fields = draw(st.lists(st.sampled_from(list(RECORD)), unique=True, min_size=1))
            new = dict(record)
            for field in fields:
                new[field] = draw(st.sampled_from(RECORD[field]))
            written.append(f"charge {number}: (" + "; ".join(f"{f}: {new[f]}" for f in fields) + ")")
            kept.append(new)
        else:
            kept.append(record)
    for added in draw(st.lists(_record(), max_size=2)):
        written.append("another charge: (" + "; ".join(f"{k}: {v}" for k, v in added.items()) + ")")
        kept.append(added)
    after["charges"] = kept
    order = [*list(SCALARS)[:3], "sentence", "sentence start", *list(SCALARS)[3:], "charges"]  # as declared
    return ";\n    ".join(written), {k: after[k] for k in order if k in after}


def _titled(title: str, facts: str) -> str:
    return f'Example "{title}":\n  Facts: {facts}.\n  Expected: the measure is outside.\n'


@PROPERTY
@given(st.data())
def test_a_random_chain_gives_the_facts_written_out(data: st.DataObject) -> None:
    facts = data.draw(_facts())
    examples = [_titled("E0", _written(facts))]
    for i in range(1, data.draw(st.integers(1, 4)) + 1):
        text, facts = data.draw(_changes(facts))
        examples.append(_titled(f"E{i}", f'as in example "E{i - 1}"' + (f", but:\n    {text}" if text else "")))
    examples.append(_titled("Written", _written(facts)))
    order = data.draw(st.permutations(examples[:-1]))  # written in any order: each base is found wherever it is
    result = _checked_quietly("".join([*order, examples[-1]]))
    by_title = {e.title: e.case for e in result.examples}
    last = f"E{len(examples) - 2}"
    assert by_title[last] == by_title["Written"]
    assert list(by_title[last]) == list(by_title["Written"])


@PROPERTY
@given(st.data())
def test_no_change_or_the_same_values_decides_as_the_base(data: st.DataObject) -> None:
    facts = data.draw(_facts())
    same = [n for n in data.draw(st.lists(st.sampled_from(list(facts)), unique=True)) if n != "charges"]
    numbers = data.draw(st.lists(st.integers(1, len(facts["charges"])), unique=True)) if facts["charges"] else []  # type: ignore[arg-type]
    changes = [f"{n}: {facts[n]}" for n in same]
    changes += [f"charge {k}: (gravity: {facts['charges'][k - 1]['gravity']})" for k in numbers]  # type: ignore[index]
    text = 'as in example "Base"' + (", but: " + "; ".join(changes) if changes else "")
    result = _checked_quietly(_titled("Base", _written(facts)) + _titled("Same", text))
    base, derived = result.examples
    assert derived.case == base.case
    assert len([d for d in result.warnings if "already" in d.message]) == len(changes)
    assert _decision(result, derived) == _decision(result, base)


def _checked_quietly(examples: str) -> ir.Checked:
    return checked(RULES + examples)


def _decision(result: ir.Checked, example: ir.ExampleDef) -> object:
    try:
        return decide(result, example.case)
    except (Conflict, Undecided, BrokenRequirements) as exc:  # a decision too: the same one for both
        return type(exc).__name__, str(exc)


# ------------------------------------------------------------------ the documentation's examples


def _docs_block(first_line: str) -> str:
    docs = (ROOT / "docs" / "language.md").read_text(encoding="utf-8")
    start = docs.index(first_line)
    return docs[start : docs.index("```", start)]


def test_the_documented_examples_check_and_come_out_as_expected() -> None:
    """docs/language.md section 12: the IRC pair is the statute's own, and the amnesty example, added to the
    amnesty, checks and passes (if the amnesty changes, this says the documentation must change with it)."""
    irc = _docs_block('Example "Owned 3 years but lived there only 1 year')
    statute = (ROOT / "statutes" / "us_irc_121.statute").read_text(encoding="utf-8")
    assert all(example in statute for example in irc.split("\n\n"))
    amnesty = (ROOT / "statutes" / "kz_amnesty_2022.statute").read_text(encoding="utf-8")
    result = check(parse(amnesty + "\n" + _docs_block('Example "The same riot charge'), "amnesty.statute"))
    (example,) = [e for e in result.examples if e.title.startswith("The same riot charge")]
    first, theft = example.case["charges"]  # type: ignore[misc]
    assert first["stage"] == "on trial" and "sentence" not in first and first["proven"] is False
    assert theft["stage"] == "on trial" and theft["act_date"] == "2022-01-20"
    assert list(example_failures(result, example)) == []
