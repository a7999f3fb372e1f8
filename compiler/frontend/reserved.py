"""The words of the statute language that cannot stand inside a name, where, and why: the one list.

The grammar (grammar/statute.lark) decides where a name ends; this module says it in a drafter's words. Each kind of
name has rules of its own in the grammar, and ends only at the words that can follow it where it stands:

- a name in a rule, a condition, a value or an expectation (`the act date`) ends at the words that continue a
  sentence (`is`, `and`, `if`, `plus` ...), and a few words start a calculation when they come first;
- a name being declared (a parameter, an outcome, a definition, a scale, a formula and its inputs, a field, the fact
  of an example) ends only at `:` or `,`, so any word may stand in it; but a word that ends a name in a rule still
  cannot stand in it if a rule is to use it (compiler/check/declarations.py says so at the declaration), except `is`
  in the name of a yes/no value named by a whole sentence (`the conviction is expunged`);
- a record's name (and a cited law's) ends where a field's type ends: at the next statement, whose first word it
  cannot hold (a field's closing `;` or `.` may be left out);
- a value of an enumeration ends there too, and at `,` and `and`.

tests/test_names.py checks these lists against the grammar: every word listed ends a name of its kind there, and no
other word of the language does. docs/language.md (section 3) holds the table `python -m compiler.frontend.reserved`
prints.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Reserved:
    """A word (or phrase) that ends a name where it stands, and what it starts instead, with an example."""

    word: str
    starts: str
    example: str


# A name in a rule, a condition, a value or an expectation: a word after the name's first that ends it.
IN_RULES: tuple[Reserved, ...] = (
    Reserved("is", "a test or a rule's conclusion", "the age is at least 18"),
    Reserved("are", "a test", "the charges are proven"),
    Reserved("and", "the next condition, value or formula input", "the person is adult and the charge is minor"),
    Reserved("or", "the next condition", "the stage is on trial or the stage is convicted"),
    Reserved("if", "a rule's condition", "Rule: the measure is released if ..."),
    Reserved("unless", "a rule's exception", "Rule: ... unless the person is a recidivist"),
    Reserved("then", "a guarantee's conclusion", "Guarantee: if ... then ..."),
    Reserved("where", "a quantifier's condition", "any charge where the gravity is grave"),
    Reserved("among", "the list an aggregate reads", "the greatest term among the charges"),
    Reserved("to", "the end of a span of time", "the whole years from the birth date to the act date"),
    Reserved("plus", "an addition", "the base plus the supplement"),
    Reserved("minus", "a subtraction", "the term minus the time served"),
    Reserved("times", "a multiplication", "the daily rate times the days"),
    Reserved("divided", "a division, 'divided by'", "the income divided by 12"),
    Reserved("reduced", "a subtraction, 'reduced by'", "the term reduced by one quarter"),
    Reserved("rounded", "a rounding", "the tax rounded down to whole cents"),
)
# Phrases that end a name in a rule; each word alone may stand in a name.
PHRASES_IN_RULES: tuple[Reserved, ...] = (
    Reserved("applied to", "a scale worked out on a base", "the contribution scale applied to the salary"),
    Reserved("counting a month as 30 days", "how months are counted", "... is at least 6 months counting ..."),
    Reserved(", given", "a formula's inputs", "the tax, given a threshold of 10,000 EUR"),
    Reserved("of <a number>", "a formula's input value", "the half of 300 EUR"),
)
# The first word of a name in a rule, after 'the': these start a calculation instead.
FIRST_AFTER_THE: tuple[Reserved, ...] = (
    Reserved("number", "a count, 'the number of'", "the number of charges where ..."),
    *(
        Reserved(w, "an aggregate over a list", f"the {w} term among the charges")
        for w in ("greatest", "least", "total")
    ),
    *(
        Reserved(w, "the lesser or greater of two values", f"the {w} of the term and 5 years")
        for w in ("lesser", "greater", "shorter", "longer", "smaller", "larger")
    ),
)
# The first word of a name in a rule written without 'the', as an enumeration's values are ("the stage is on trial").
FIRST_BARE: tuple[Reserved, ...] = (
    *(Reserved(w, "a quantifier", f"{w} charge where ...") for w in ("any", "every", "no")),
    Reserved("not", "a negation", "the stage is not on trial"),
    Reserved("from", "a period", "from 4 January 2022 to 7 January 2022"),
    Reserved(
        "one half", "a fraction: 'one half', 'a third', 'two thirds', 'three quarters' ...", "one half of the term"
    ),
)
# ... and after 'is' in a condition, where a test may start instead.
FIRST_AFTER_IS: tuple[Reserved, ...] = (
    *(Reserved(w, "a comparison", f"the act date is {w} the events period") for w in ("after", "before")),
    Reserved("between", "a range", "the age is between 14 and 18"),
    Reserved("within", "a period's test", "the act date is within the events period"),
    *(Reserved(w, "a test of an optional value", f"the sentence is {w}") for w in ("known", "given")),
    Reserved("one", "a test of several values, 'one of'", "the stage is one of on trial, convicted"),
    *(
        Reserved(p, "a comparison", f"the age is {p} 18")
        for p in ("at least", "at most", "more than", "less than", "greater than", "on or before", "on or after")
    ),
)
# The first word of a fact's name among the changes of an example built on another ("Facts: as in example "X", but:
# ...").
FIRST_IN_CHANGES: tuple[Reserved, ...] = (
    Reserved("another", "a record added", "another charge: (gravity: grave)"),
    Reserved("without", "a fact removed", "without sentence"),
)
# The statements a field's type may be followed by without its ';' or '.': their first words end a record's or an
# enumeration value's name.
STATEMENT_WORDS: tuple[str, ...] = (
    "adopted",
    "approved",
    "assumption",
    "currency",
    "definition",
    "each",
    "example",
    "exception",
    "formula",
    "guarantee",
    "jurisdiction",
    "locale",
    "note",
    "outcome",
    "parameter",
    "passed",
    "published",
    "rule",
    "signed",
    "source",
    "title",
)
IN_RECORD_NAMES: tuple[Reserved, ...] = (
    Reserved("has", "a record's fields", "A charge has: ..."),
    Reserved("and", "the next formula input", "given a charge: a charge and a rate: percentage"),
    *(
        Reserved(w, "the next statement (a field's ';' may be left out)", f"{w.capitalize()} ...")
        for w in STATEMENT_WORDS
    ),
)
IN_ENUM_VALUES: tuple[Reserved, ...] = (
    Reserved("and", "the next formula input", "given a stage: one of on trial, convicted and a rate: percentage"),
    *(
        Reserved(w, "the next statement (a field's ';' may be left out)", f"{w.capitalize()} ...")
        for w in STATEMENT_WORDS
    ),
)

JOINTS = frozenset({"the", "a", "an", "of"})  # words a name may hold between its words
RULE_WORDS = frozenset(r.word for r in IN_RULES)
_WHY = {r.word: r for r in IN_RULES}
_BARE = {r.word: r for r in (*FIRST_BARE, *FIRST_AFTER_IS) if " " not in r.word}


def in_rules(word: str) -> Reserved | None:
    """What `word` starts where it follows a word of a name in a rule, or None if it may stand inside one."""
    return _WHY.get(word.lower())


def first_word(word: str) -> Reserved | None:
    """What `word` starts as the first word of a name after 'the', or None."""
    return next((r for r in FIRST_AFTER_THE if r.word == word.lower()), None)


def unusable_in_rules(words: Iterable[str], yes_no: bool, bare: bool = False) -> tuple[int, Reserved] | None:
    """The first word of a declared name that a rule could not write in it (its index and why), or None.

    `bare`: the name is written without 'the' in rules, as an enumeration's value is ("the stage is on trial"), so
    its first word must not start a value or a test either. A name's first word that starts a calculation after 'the'
    ("the total delay") is no reason to refuse it here: a rule can still conclude it, and a rule that reads it is
    told so where it does (compiler/frontend/parse_errors.py).
    A yes/no value may be named by a whole sentence with 'is' in it ("the conviction is expunged"): a condition that
    reads so is read as that name (compiler/check/expressions.py), and a rule concluding it as saying yes; what
    follows its 'is' is read as a value, so it must not start a test."""
    lowered = [w.lower() for w in words]
    content = [i for i, w in enumerate(lowered) if w not in {"the", "a", "an"}]
    if not content:
        return None
    if bare and (starts := _BARE.get(lowered[content[0]])) is not None:
        return content[0], starts
    # a word that ends a name where it follows a word of the name; after 'the', 'a', 'an' or 'of' any word may follow
    breaking = [i for i in content[1:] if lowered[i - 1] not in JOINTS and lowered[i] in RULE_WORDS]
    if yes_no and breaking and lowered[breaking[0]] == "is":
        split = breaking[0]
        value = [i for i in content if i > split]
        if value and lowered[value[0]] not in _BARE:
            breaking = breaking[1:]
    return (breaking[0], _WHY[lowered[breaking[0]]]) if breaking else None


def word_column(text: str, words: tuple[str, ...], index: int) -> int:
    """Where the index-th word of a name starts in `text` (the name's own text, as the drafter wrote it)."""
    at = 0
    for i, word in enumerate(words):
        match = re.search(re.escape(word), text[at:])
        if match is None:
            return 0
        if i == index:
            return at + match.start()
        at += match.end()
    return 0


def markdown() -> str:
    """The table of docs/language.md, section 3 (`python -m compiler.frontend.reserved` prints it)."""
    rows = ["| where the name stands | the words that end it there, and what they start instead |", "|---|---|"]
    for where, items in (
        ("in a rule, a condition, a value, an expectation: after a word of the name", IN_RULES),
        ("... a phrase, after a word of the name", PHRASES_IN_RULES),
        ("... its first word, after `the`", FIRST_AFTER_THE),
        ("... its first word, without `the` (an enumeration's value)", FIRST_BARE),
        ("... its first word, without `the`, after `is` in a condition", FIRST_AFTER_IS),
    ):
        rows.append(f"| {where} | {_groups(items)} |")
    for where, items in (
        ("a record's name, a cited law's: after a word of the name", IN_RECORD_NAMES),
        ("a value of an enumeration: after a word of the value", IN_ENUM_VALUES),
    ):
        special = [r for r in items if r.word not in STATEMENT_WORDS]
        statements = ", ".join(f"`{w}`" for w in STATEMENT_WORDS)
        rows.append(
            f"| {where} | {_groups(special)}; {statements}: the next statement (a field's `;` may be left out) |"
        )
    rows.append(f"| an example's fact, changed from another example's: its first word | {_groups(FIRST_IN_CHANGES)} |")
    rows.append(
        "| a name being declared: a parameter, an outcome, a definition, a scale, a formula and its inputs, a field,"
        " an example's fact | none: it ends at `:` or `,`; but a rule can use the name only if it holds none of the"
        " words above where they end a name in a rule (`is` in a yes/no value's name aside) |"
    )
    return "\n".join(rows) + "\n"


def _groups(items: Iterable[Reserved]) -> str:
    """ "`greatest`, `least`, `total`: an aggregate over a list (`the greatest term among the charges`)"."""
    groups: dict[str, list[Reserved]] = {}
    for r in items:
        groups.setdefault(r.starts, []).append(r)
    return "; ".join(
        ", ".join(f"`{r.word}`" for r in same) + f": {starts} (`{same[0].example}`)" for starts, same in groups.items()
    )


def main() -> int:
    sys.stdout.write(markdown())
    return 0


if __name__ == "__main__":
    sys.exit(main())
