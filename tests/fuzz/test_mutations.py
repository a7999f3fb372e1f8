"""Suite 2: every statute in statutes/ and tests/, damaged the way hand editing and pasting damage files.

Tokens are deleted, duplicated, swapped; the file is cut short; stray characters go in: Cyrillic and Kazakh letters,
direction marks, zero-width spaces, NUL, CRLF, tabs, a byte-order mark, quotes and backslashes. The checker must
answer each with diagnostics whose positions fall inside the file (or accept it, and then it must compile).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from fuzz.support import CORPUS, STATUTE_FILES, fuzz_settings, tally, through_pipeline

STRAY = (
    "Ж", "қ", "ә", "ң", "ү", "і", "ө", "е",  # Cyrillic е looks like Latin e
    "\u200f", "\u200e", "\u202e", "\u200b", "\u2028", "\xa0", "\ufeff",
    "\x00", "\x0b", "\x0c", "\x1b[2J", "\r\n", "\r", "\t", "\n",
    '"', "“", "”", "’", "'", "\\", "#", ">", ".", ":", ";", "(", ")", "-", "%", "é", "ǅ", "𝔸", "\ud7ff",
)  # fmt: skip
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@cache
def _sources() -> tuple[tuple[str, str], ...]:
    files = [*STATUTE_FILES, *sorted(CORPUS.glob("*.statute"))]
    return tuple((path.name, path.read_text(encoding="utf-8")) for path in files)


def _sizes() -> st.SearchStrategy[int]:
    """Small statutes are drawn as often as big ones: they parse faster, so the budget tries more mutations."""
    return st.integers(0, len(_sources()) - 1)


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, str]:
    name, text = _sources()[draw(_sizes())]
    tokens = _TOKEN.findall(text)
    for _ in range(draw(st.integers(1, 8))):
        if not tokens:
            break
        i = draw(st.integers(0, len(tokens) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "swap", "stray", "stray", "truncate", "whitespace"]))
        if action == "delete":
            del tokens[i]
        elif action == "duplicate":
            tokens.insert(i, tokens[i])
        elif action == "swap":
            j = draw(st.integers(0, len(tokens) - 1))
            tokens[i], tokens[j] = tokens[j], tokens[i]
        elif action == "stray":
            tokens.insert(i, draw(st.sampled_from(STRAY)))
        elif action == "truncate":
            tokens = tokens[: i + 1]
            if draw(st.booleans()) and tokens:  # cut inside the last token too
                tokens[-1] = tokens[-1][: draw(st.integers(0, len(tokens[-1])))]
        elif tokens[i].isspace():
            tokens[i] = draw(st.sampled_from(["\r\n", "\t", " \u200b", "\n\n", "", " "]))
    prefix = draw(st.sampled_from(["", "", "\ufeff", "\r\n"]))
    return name, prefix + "".join(tokens)


@fuzz_settings(150)
@given(mutated())
def test_mutated_statutes_get_diagnostics_inside_the_file(case: tuple[str, str]) -> None:
    name, text = case
    outcome = through_pipeline(text, f"mutated-{Path(name).stem}.statute", examples_pass=False)
    tally("2 mutations", "compiled" if outcome.stage == "compiled" else f"refused at {outcome.stage}")
    # Either it compiled into a module, or a stage refused it with at least one error (positions checked there).
    if outcome.stage == "compiled":
        assert outcome.module is not None and outcome.checked is not None
    else:
        assert outcome.stage in {"parse", "check"} and any(d.is_error for d in outcome.diagnostics), outcome.stage


def test_every_statute_is_in_the_pool() -> None:
    names = {name for name, _ in _sources()}
    assert {"kz_amnesty_2022.statute", "us_irc_121.statute"} <= names
    assert len(names) >= 6
