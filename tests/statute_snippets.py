"""Small statutes and helpers shared by test_parse.py and test_check.py.

Each test writes the few lines it is about and adds them to VOCABULARY, so a failure points at one construct.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from compiler.check.check import check
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, StatuteError
from compiler.frontend.parse import parse
from compiler.model import ir

FILE = "test.statute"

# A person with a list of charges: a field of every kind a rule can test. VOCABULARY_LINES tells a test on which
# line its own text starts.
VOCABULARY = """\
Each case is about a person.
A person has:
  - role: one of civilian, law enforcement officer, serviceman;
  - stage: one of under investigation, on trial, serving sentence;
  - age: whole number from 14 to 100;
  - sentence: duration, optional;
  - sentence start: date, optional;
  - gain: money;
  - rate: decimal;
  - name: text;
  - cooperated: yes or no;
  - charges: list of charge.
A charge has:
  - gravity: one of minor, medium, grave, especially grave;
  - act date: date;
  - proven: yes or no.
Parameter the events period: from 4 January 2022 to 7 January 2022.
Parameter the reduction: three quarters.
Outcome the measure: one of released, reduction of sentence, excluded, outside; by default outside.
Outcome the new sentence: duration, optional.
Definition the limit: money.
"""
VOCABULARY_LINES = VOCABULARY.count("\n")


def parse_source(source: str) -> s.Statute:
    return parse(source, FILE)


def only_statement(source: str) -> s.Statement:
    statute = parse_source(source)
    assert len(statute.statements) == 1, statute.statements
    return statute.statements[0]


def rule_of(source: str) -> s.Rule:
    statement = only_statement(source)
    assert isinstance(statement, s.Rule)
    return statement


def condition(text: str) -> s.Expr:
    """The syntax of `text` used as the condition of a rule."""
    rule = rule_of(f"Rule: the person is covered if {text}.")
    assert rule.condition is not None
    return rule.condition


def value(text: str) -> s.Expr:
    """The syntax of `text` used as the value a rule gives."""
    return rule_of(f"Rule: the limit is {text}.").value


def parse_errors(source: str) -> tuple[Diagnostic, ...]:
    with pytest.raises(StatuteError) as caught:
        parse_source(source)
    return caught.value.diagnostics


def checked(body: str, vocabulary: str = VOCABULARY) -> ir.Checked:
    return check(parse_source(vocabulary + body))


def check_diagnostics(body: str, vocabulary: str = VOCABULARY) -> tuple[Diagnostic, ...]:
    """Every diagnostic of a statute that must fail the check."""
    with pytest.raises(StatuteError) as caught:
        checked(body, vocabulary)
    return caught.value.diagnostics


def errors(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return [d for d in diagnostics if d.is_error]


def the_error(body: str, vocabulary: str = VOCABULARY) -> Diagnostic:
    """The one error a statute has (warnings ride along and are ignored)."""
    found = errors(check_diagnostics(body, vocabulary))
    assert len(found) == 1, [d.message for d in found]
    return found[0]


def warnings_of(result: ir.Checked) -> list[str]:
    return [d.message for d in result.warnings if isinstance(d, Diagnostic) and not d.is_error]


def where(d: Diagnostic) -> tuple[int, int]:
    """A diagnostic's line and column, counting lines from the end of VOCABULARY."""
    return (d.span.line - VOCABULARY_LINES, d.span.column)


def names(e: object) -> str:
    """A syntax tree as a short s-expression without spans: the shape a test asserts."""
    if isinstance(e, s.Ref):
        return e.name.key
    if isinstance(e, s.Name):
        return e.key
    if isinstance(e, s.Binary):
        return f"({e.op} {names(e.left)} {names(e.right)})"
    if isinstance(e, s.NumberLit):
        return str(e.value)
    if isinstance(e, s.AllOf):
        return "(and " + " ".join(names(i) for i in e.items) + ")"
    if isinstance(e, s.AnyOf):
        return "(or " + " ".join(names(i) for i in e.items) + ")"
    if isinstance(e, s.Not):
        return f"(not {names(e.operand)})"
    return type(e).__name__
