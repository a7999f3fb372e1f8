"""Hostile inputs for the bounds of work (issue 11, section 4), generated small: a case of many charges, a chain of
exceptions, thousands of undefined names, a long quoted text, many exclusive or conflicting rules. The regression
tests in test_bounds.py use them at small sizes; run this file to write them at the issue's sizes for measuring:

    python tests/security/hostile_bounds.py OUT_DIR
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"

CHAIN_VOCABULARY = """\
Each case is about a person.
A person has:
  - age: whole number from 0 to 200.
Outcome the grant: money in USD; by default 0 USD.

"""


def amnesty_case(charges: int) -> dict[str, Any]:
    """A case of the amnesty with `charges` charges, each connected with the events (73 KB at 400 charges)."""
    charge = {
        "offence": "Article 188 part 1",
        "gravity": "medium",
        "category": "ordinary",
        "circumstances": "in the riots",
        "act_date": "2022-01-05",
        "proven": True,
        "stage": "serving sentence",
        "sentence": "2 years",
        "sentence_start": "2022-03-01",
    }
    return {
        "role": "civilian",
        "age_at_act": 30,
        "relapse": "without relapse",
        "charges": [dict(charge, offence=f"Article 188 part {i + 1}") for i in range(charges)],
    }


def exception_chain(articles: int) -> str:
    """Article 1 a rule, each next article an exception to the one before: a chain `articles` long."""
    out = [CHAIN_VOCABULARY, "Article 1. The grant\n\nRule: the grant is 1 USD if the age is at least 18.\n\n"]
    for n in range(2, articles + 1):
        out.append(
            f"Article {n}. Exception {n}\n\n"
            f"Exception to Article {n - 1}: the grant is {n} USD if the age is at least {n % 150}.\n\n"
        )
    return "".join(out)


def undefined_names(count: int) -> str:
    """`count` rules each naming a fact the vocabulary does not have."""
    rules = "".join(
        f"Rule: the grant is 1 USD if the age is at least 1 and the xq{_word(i)} is at least 1.\n" for i in range(count)
    )
    return CHAIN_VOCABULARY + "Article 1. Undefined\n\n" + rules


def _word(n: int) -> str:
    """A name made of letters only (digits cannot name a fact): 0 -> "a", 26 -> "ba"."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[digit] + letters
        if n == 0:
            return letters


def quoted_text(size: int) -> str:
    """One rule comparing a text fact with a quoted text `size` characters long."""
    words = ("the amnesty applies to every person " * (size // 36 + 1))[:size]
    return (
        CHAIN_VOCABULARY.replace("from 0 to 200.", "from 0 to 200;\n  - name: text.")
        + f'Article 1. A long text\n\nRule: the grant is 1 USD if the age is at least 18 and the name is "{words}".\n'
    )


def exclusive_rules(count: int) -> str:
    """`count` rules of one outcome with mutually exclusive conditions (no conflict): one age band each."""
    rules = "".join(
        f"Rule: the grant is {i} USD if the age is at least {i} and the age is less than {i + 1}.\n"
        for i in range(count)
    )
    return CHAIN_VOCABULARY.replace("from 0 to 200", f"from 0 to {count + 10}") + "Article 1. Bands\n\n" + rules


def conflicting_rules(count: int) -> str:
    """`count` rules of one outcome that all apply to an adult, each with its own amount: every pair conflicts."""
    rules = "".join(f"Rule: the grant is {i} USD if the age is at least {18 + i % 3}.\n" for i in range(count))
    return CHAIN_VOCABULARY + "Article 1. Conflicts\n\n" + rules


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for n in (100, 400, 1600):
        (out / f"case_{n}.json").write_text(json.dumps(amnesty_case(n)), encoding="utf-8")
    for n in (200, 800, 3000):
        (out / f"chain_{n}.statute").write_text(exception_chain(n), encoding="utf-8")
    (out / "undefined_32000.statute").write_text(undefined_names(32000), encoding="utf-8")
    for mb in (2, 5):
        (out / f"quoted_{mb}mb.statute").write_text(quoted_text(mb * 1_000_000), encoding="utf-8")
    (out / "exclusive_400.statute").write_text(exclusive_rules(400), encoding="utf-8")
    (out / "conflicting_100.statute").write_text(conflicting_rules(100), encoding="utf-8")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
