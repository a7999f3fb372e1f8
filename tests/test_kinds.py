"""compiler/model/kinds.py: the kinds of value and their traits table (docs/design/type-kinds.md)."""

from __future__ import annotations

import pytest

from compiler.model import ir
from compiler.model.kinds import Kind, fits_into, traits


def test_the_kinds_keep_the_words_readers_see() -> None:
    """`kind.value` is what the prover's report and generated comments write: the strings of before the enum."""
    assert [k.value for k in Kind] == [
        "bool",
        "int",
        "number",
        "money",
        "percentage",
        "date",
        "duration",
        "text",
        "period",
        "enum",
        "record",
        "list",
        "citation",
    ]


@pytest.mark.parametrize(
    ("type_", "words"),
    [
        (ir.BOOL, "yes or no"),
        (ir.INT, "a whole number"),
        (ir.NUMBER, "a number"),
        (ir.Type(Kind.MONEY), "an amount of money"),
        (ir.Type(Kind.MONEY, "USD"), "an amount of money in USD"),
        (ir.PERCENTAGE, "a percentage"),
        (ir.DATE, "a date"),
        (ir.DURATION, "a duration"),
        (ir.TEXT, "a text"),
        (ir.PERIOD, "a period of dates"),
        (ir.Type(Kind.ENUM, "CrimeGravity"), "a crime gravity"),
        (ir.Type(Kind.RECORD, "Charge"), "a charge"),
        (ir.Type(Kind.LIST, "Charge"), "a list of charge"),
        (ir.CITATION, "a citation"),
        (ir.Type(Kind.CITATION, "Penal Code"), "a citation of the Penal Code"),
    ],
)
def test_a_type_is_described_in_the_drafters_words(type_: ir.Type, words: str) -> None:
    assert type_.describe() == words


def test_the_traits_answer_the_questions_the_sets_of_kinds_used_to() -> None:
    """The sets that stood in the consumers before the table (expressions.ORDERED and NUMERIC, the kinds that have a
    total, the containers, the categorical outcomes of reports and diffs), now one row per kind."""

    def having(trait: str) -> set[str]:
        return {k.value for k in Kind if getattr(traits(k), trait)}

    assert having("ordered") == {"int", "number", "money", "percentage", "date", "duration", "enum"}
    assert having("numeric") == {"int", "number", "percentage"}
    assert having("summable") == {"int", "number", "money", "percentage", "duration"}
    assert having("container") == {"record", "list"}
    assert having("categorical") == {"bool", "enum"}
    assert having("truth_valued") == {"bool"}
    assert {k.value for k in Kind if traits(k).scaled is not None} == {"money", "duration"}


def test_a_whole_number_and_a_percentage_fit_where_a_number_is_asked_and_nothing_else_does() -> None:
    fitting = {(a.value, b.value) for a in Kind for b in Kind if a is not b and fits_into(a, b)}
    assert fitting == {("int", "number"), ("percentage", "number")}
