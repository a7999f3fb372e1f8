"""The LALR tables shipped in the package (compiler/frontend/parse_tables.json) are those of grammar/statute.lark."""

from __future__ import annotations

import json

import lark
import pytest

from compiler.frontend import parse as p
from compiler.frontend import parse_tables
from compiler.frontend.grammar import grammar_text


@pytest.fixture
def shipped() -> dict[str, object]:
    document: dict[str, object] = json.loads(parse_tables.TABLES.read_text(encoding="utf-8"))
    if document["lark"] != lark.__version__:
        pytest.skip(f"tables made with Lark {document['lark']}: with {lark.__version__} they are built in memory")
    return document


def test_the_shipped_tables_are_those_the_grammar_gives(shipped: dict[str, object]) -> None:
    # After an edit of grammar/statute.lark: python -m compiler.frontend.parse_tables
    message = "compiler/frontend/parse_tables.json is out of date: python -m compiler.frontend.parse_tables"
    assert shipped["fingerprint"] == parse_tables.fingerprint(grammar_text()), message
    assert parse_tables.tables_text(grammar_text()) == parse_tables.TABLES.read_text(encoding="utf-8"), message


def test_the_parser_reads_the_shipped_tables(shipped: dict[str, object]) -> None:
    loaded = parse_tables._load(grammar_text())
    assert loaded is not None and len(loaded.rules) == len(p.parser().rules)


def test_tables_of_another_grammar_are_not_used() -> None:
    other = grammar_text().replace('"Rule"i', '"Regel"i', 1)
    assert parse_tables._load(other) is None
    assert parse_tables.build(other).parse("Regel: the x is 1.\n")
