"""Suite 1: statutes generated from grammar/statute.lark (hypothesis.extra.lark) and from a typed generator.

Every input either compiles (the module parses, imports, runs its examples and decides a generated case, or refuses
it with the statute's own documented errors) or is refused with diagnostics whose positions lie inside the file.
Nothing else may come out of any stage.
"""

from __future__ import annotations

import re
from functools import cache

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark import Lark

from compiler.parse import grammar_text
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


def _through(suite: str, text: str) -> None:
    outcome = through_pipeline(text)
    tally(suite, f"refused at {outcome.stage}" if outcome.stage != "compiled" else "compiled")
    if outcome.module is not None and outcome.checked is not None:
        tally(suite, f"empty case {decide(outcome.module, {})}")  # refused, naming each missing field, if any


@fuzz_settings(150)
@given(grammar_statutes())
def test_grammar_statutes_compile_or_get_positioned_diagnostics(text: str) -> None:
    _through("1a grammar", text)


@fuzz_settings(150)
@given(grammar_statutes(PRELUDE_WORDS))
def test_grammar_statements_after_a_vocabulary(text: str) -> None:
    _through("1b grammar after a vocabulary", PRELUDE + text)


@fuzz_settings(60)
@given(statutes(), st.data())
def test_typed_statutes_compile_import_and_decide(statute: GeneratedStatute, data: st.DataObject) -> None:
    outcome = through_pipeline(statute.text, statute.file)
    tally("1c typed statutes", "compiled" if outcome.stage == "compiled" else f"refused at {outcome.stage}")
    if outcome.module is None or outcome.checked is None:
        return
    for case in data.draw(st.lists(valid_cases(outcome.checked), min_size=1, max_size=3)):
        result = decide(outcome.module, json_safe(case))
        tally("1c typed statutes", f"case {result}")
        assert result != "invalid", f"a case built from the vocabulary was refused: {case}"
