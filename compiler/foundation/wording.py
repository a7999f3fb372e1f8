"""Counts in the words a reader expects: "1 row", "2 rows", "1,000 rows", "0 rows".

The one place a count meets its noun, for every summary line and page the commands print (run, report, diff,
synth, check, prove): a count of one written with a plural ("1 rows") reads as a mistake in the count.
"""

from __future__ import annotations


def noun(count: int, singular: str, plural: str | None = None) -> str:
    """The form of `singular` that agrees with `count`: the plural is `plural`, or the singular with an s."""
    if count == 1:
        return singular
    return plural if plural is not None else singular + "s"


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """`count` with thousands separated, and its noun in the form that agrees: counted(1, "row") is "1 row",
    counted(1000, "row") "1,000 rows", counted(2, "does not", "do not") "2 do not"."""
    return f"{count:,} {noun(count, singular, plural)}"
