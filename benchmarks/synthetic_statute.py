"""Synthetic statutes of any number of articles, for the compiler benchmark (benchmarks/run.py, part 3).

Shape "grouped" (the benchmark's): like a large code, many outcomes each decided by a few articles. Every group of
ten articles decides one outcome ("the benefit kalo"); each article adds an eligibility predicate and a rule for
its group's outcome, and every tenth article is an exception to the one before it.

Shape "single": every article decides the same outcome, so one definition has as many rules as the statute has
articles: the worst case for anything that compares a definition's rules with each other.
"""

from __future__ import annotations

import sys

_SYLLABLES = ("ka", "lo", "mi", "pu", "re", "sa", "tu", "vo", "ne", "di", "ga", "hu", "be", "fo", "ji", "ze")
_REGIONS = ("north", "south", "east", "west")


def word(i: int) -> str:
    """A made-up word for a number, never a word of the statute language: 0 -> 'ka', 17 -> 'lolo'."""
    out = ""
    while True:
        i, r = divmod(i, 16)
        out += _SYLLABLES[r]
        if not i:
            return out


def statute(articles: int, shape: str = "grouped") -> str:
    groups = max(1, (articles + 9) // 10) if shape == "grouped" else 1
    lines = [
        f'Title: "A synthetic benefits statute of {articles} articles".',
        "Each case is about a person.",
        "A person has:",
        "  - age: whole number from 0 to 120;",
        "  - income: money in USD;",
        "  - region: one of north, south, east, west;",
        "  - start: date;",
        "  - children: list of child.",
        "A child has:",
        "  - age: whole number from 0 to 30.",
    ]
    lines += [f"Outcome the benefit {word(g)}: money in USD; by default 0 USD." for g in range(groups)]
    for i in range(1, articles + 1):
        group = word((i - 1) // 10) if shape == "grouped" else word(0)
        scheme = f"scheme {word(i)}"
        lines += [
            "",
            f"Article {i}. Scheme {i}",
            f"Rule: the person is eligible under {scheme} if the age is at least {18 + i % 50}"
            f" and the income is at most {1000 * (1 + i % 90)} USD and the region is {_REGIONS[i % 4]}.",
        ]
        if i % 10 == 0:
            lines.append(
                f"Exception to Article {i - 1}: the benefit {group} is 0 USD"
                f" if the person is eligible under {scheme} and the number of children is at least {1 + i % 3}."
            )
        else:
            lines.append(
                f"Rule: the benefit {group} is {10 * i} USD"
                f" if the person is eligible under {scheme} and the start is on or after 1 January 2020."
            )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.stdout.write(statute(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "grouped"))
