"""Suite 1: statutes generated from grammar/statute.lark (hypothesis.extra.lark) and from a typed generator.

1a seeds the grammar with well-formed statements (a vocabulary, rules, an exception, an example) and appends what the
grammar draws to some of them, so that most of its inputs compile and decide a case while the rest probe the parser
and the checker with the grammar's own sentences; 1b draws whole statements from the grammar after the vocabulary.

Every input either compiles (the module parses, imports, runs its examples and decides a generated case, or refuses
it with the statute's own documented errors) or is refused with diagnostics whose positions lie inside the file.
Nothing else may come out of any stage.
"""

from __future__ import annotations

import collections
import re
from functools import cache

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from compiler.frontend.parse import grammar_text
from fuzz.cases import valid_cases
from fuzz.statutes import GeneratedStatute, statutes
from fuzz.support import decide, fuzz_settings, json_safe, tally, through_pipeline

# A vocabulary the generated statements can refer to, so that many of them get past the parser into the checker.
PRELUDE = """\
Each case is about a person.
A person has:
  - stage: one of under investigation, on trial, serving sentence;
  - age: whole number from 14 to 100;
  - sentence: duration, optional;
  - gain: money;
  - cooperated: yes or no;
  - charges: list of charge.
A charge has:
  - gravity: one of minor, medium, grave;
  - act date: date.
Outcome the measure: one of released, excluded, outside; by default outside.
"""
PRELUDE_WORDS = sorted(set(re.findall(r"[a-z]+", PRELUDE)) - {"a", "the", "of", "is", "or", "no", "yes", "one", "by"})


# Well-formed statements over PRELUDE's vocabulary, for 1a: a heading, then any of the rules of Article 1, then
# Article 2 with any of its exceptions, then any of the examples.
ARTICLE_1 = (
    "Rule: the measure is released if the age is at most 17.",
    "Rule: the measure is released if the stage is one of under investigation, on trial"
    " and the number of charges is at least 1.",
    "Rule: a charge is grave if the gravity of the charge is grave.\n"
    "Rule: the measure is excluded if any charge is grave.",
    'Note: "Article 1 as the bill has it".',
)
ARTICLE_2 = (
    "Exception to Article 1: the measure is excluded if the cooperated is no and the age is at least 60.",
    "Exception to Article 1: the measure is outside if the stage is serving sentence.",
)
EXAMPLES = (
    'Example "A minor on trial is released" (Article 1):\n'
    "  Facts: stage: on trial; age: 16; gain: 0 EUR; cooperated: yes; charges: none.\n"
    "  Expected: the measure is released.",
)


@cache
def _lark() -> Lark:
    return Lark(grammar_text(), parser="lalr", lexer="contextual")


def _spaced(pattern: str, line: bool) -> st.SearchStrategy[str]:
    """A terminal's text with a separator on each side: Hypothesis joins terminals with nothing between them, and
    "Rule" + "the" would lex as one word. Headings and law text run to the end of their line."""
    sep = "\n" if line else " "
    return st.from_regex(pattern, fullmatch=True).map(lambda text: sep + text + sep)


def grammar_statutes(words: list[str] | None = None) -> st.SearchStrategy[str]:
    explicit = {}
    for terminal in _lark().terminals:
        if terminal.name in {"WS", "COMMENT"}:
            continue
        strategy = _spaced(terminal.pattern.to_regexp(), terminal.name in {"HEADING", "QUOTE_LINE"})
        if terminal.name == "WORD" and words:
            strategy = st.sampled_from([f" {w} " for w in words]) | strategy
        explicit[terminal.name] = strategy
    return from_lark(_lark(), explicit=explicit)


@st.composite
def seeded_statutes(draw: st.DrawFn) -> str:
    """PRELUDE and well-formed articles; half of the time, statements drawn from the grammar after them."""

    def some(pool: tuple[str, ...]) -> list[str]:
        return [s for s in pool if draw(st.booleans())]

    lines = [PRELUDE, "Article 1. Release\n\n> The law's words.\n", *some(ARTICLE_1)]
    lines += ["", "Article 2. Exclusions\n", *some(ARTICLE_2), "", *some(EXAMPLES)]
    grammar = draw(st.one_of(st.just(""), grammar_statutes(PRELUDE_WORDS)))
    return "\n".join(lines) + "\n" + grammar


def _through(suite: str, text: str, data: st.DataObject) -> str:
    """How the input ended: refused at parse or check, or 'decided' (compiled, and a case drawn from its vocabulary
    got one of the documented answers: a decision, a conflict or an undecided outcome)."""
    outcome = through_pipeline(text, examples_pass=False)
    if outcome.module is None or outcome.checked is None:
        assert outcome.stage in {"parse", "check"} and any(d.is_error for d in outcome.diagnostics), outcome.stage
        tally(suite, f"refused at {outcome.stage}")
        return f"refused at {outcome.stage}"
    tally(suite, f"empty case {decide(outcome.module, {})}")  # refused, naming each missing field, if any
    result = decide(outcome.module, json_safe(data.draw(valid_cases(outcome.checked))))
    assert result != "invalid", "a case built from the vocabulary was refused"
    tally(suite, f"compiled, case {result}")
    return "decided"


def test_grammar_statutes_compile_or_get_positioned_diagnostics() -> None:
    ended: collections.Counter[str] = collections.Counter()

    @fuzz_settings(150)
    @given(seeded_statutes(), st.data())
    def one(text: str, data: st.DataObject) -> None:
        ended[_through("1a grammar", text, data)] += 1

    one()
    assert ended["decided"] * 2 >= sum(ended.values()) > 0, ended  # at least half compile and decide a case


def test_grammar_statements_after_a_vocabulary() -> None:
    ended: collections.Counter[str] = collections.Counter()

    @fuzz_settings(150)
    @given(grammar_statutes(PRELUDE_WORDS), st.data())
    def one(text: str, data: st.DataObject) -> None:
        ended[_through("1b grammar after a vocabulary", PRELUDE + text, data)] += 1

    one()
    assert ended["decided"] > 0 and ended["refused at parse"] > 0, ended  # both branches run


@fuzz_settings(60)
@given(statutes(), st.data())
def test_typed_statutes_compile_import_and_decide(statute: GeneratedStatute, data: st.DataObject) -> None:
    outcome = through_pipeline(statute.text, statute.file, examples_pass=False)
    tally("1c typed statutes", "compiled" if outcome.stage == "compiled" else f"refused at {outcome.stage}")
    if outcome.module is None or outcome.checked is None:
        return
    for case in data.draw(st.lists(valid_cases(outcome.checked), min_size=1, max_size=3)):
        result = decide(outcome.module, json_safe(case))
        tally("1c typed statutes", f"case {result}")
        assert result != "invalid", f"a case built from the vocabulary was refused: {case}"
