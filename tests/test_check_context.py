"""The checker's passes over the public context (compiler.check.check_context): each pass, run on its own, returns its
result and its own diagnostics, and leaves nothing in a list another pass reports into."""

from __future__ import annotations

from statute_snippets import VOCABULARY, parse_source

from compiler.check.check_context import CheckContext, Diagnostics
from compiler.check.declarations import check_declarations
from compiler.check.examples import check_examples
from compiler.check.guarantees import check_guarantees
from compiler.check.requirements import check_requirements
from compiler.check.rules import check_rules, discover_predicates
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, error
from compiler.model import ir
from compiler.model.kinds import Kind

RULES = """\
Article 2. Release
Rule: the limit is 1 USD.
Exception to Article 9: the limit is 2 USD.
Rule: the measure is released if the person is covered.
Rule: the person is covered if the age is at least 18.
"""


def declared(text: str) -> CheckContext:
    """A context whose declarations and predicates are in, as check.py leaves it before the rules pass."""
    ctx = CheckContext.start(parse_source(VOCABULARY + text))
    assert check_declarations(ctx).diagnostics == ()
    ctx.symbols.definitions.update(discover_predicates(ctx).result)
    return ctx


def test_the_rules_pass_returns_its_diagnostics_in_its_articles() -> None:
    passed = check_rules(declared(RULES))
    definitions, outcomes = passed.result
    assert outcomes == ("measure", "new_sentence")
    assert [d.message for d in passed.diagnostics] == ["there is no Article 9 in this statute"]
    assert passed.diagnostics[0].article == "Article 2. Release"
    assert {d.ident for d in definitions} >= {"limit", "measure", "person_is_covered"}


def test_a_pass_leaves_the_others_diagnostics_alone() -> None:
    ctx = declared(RULES + 'Guarantee off (Article 7): "Reviewed separately.".\n')
    rules = check_rules(ctx)
    guarantees = check_guarantees(ctx, rules.result[0])
    assert [d.message for d in guarantees.diagnostics] == ["there is no Article 7 in this statute"]
    assert "there is no Article 7 in this statute" not in [d.message for d in rules.diagnostics]
    again = check_rules(ctx)  # the same pass again: the same diagnostics, nothing carried over from the first run
    assert again.diagnostics == rules.diagnostics


def test_rule_numbers_belong_to_one_run_of_the_rules_pass() -> None:
    first = check_rules(declared(RULES)).result[0]
    second = check_rules(declared(RULES)).result[0]
    idents = [[r.ident for d in result for r in d.rules] for result in (first, second)]
    assert idents[0] == idents[1]
    assert "article_2_rule_1" in idents[0]


def test_examples_and_requirements_return_their_own_diagnostics() -> None:
    ctx = declared(
        "Requirement: the measure is released.\n"
        'Example "Wings":\n  Facts: wings: 2.\n  Expected: the measure is released.\n'
    )
    rules = check_rules(ctx)
    examples = check_examples(ctx, rules.result[0])
    requirements = check_requirements(ctx)
    assert examples.result == () and requirements.result == ()
    assert [d.message.split(" but ")[0] for d in examples.diagnostics] == ["a person has no fact 'wings'"]
    assert [d.message.split(",")[0] for d in requirements.diagnostics] == [
        "a requirement reads only the facts of a case and the parameters"
    ]


def test_the_declarations_pass_fills_the_symbols() -> None:
    ctx = CheckContext.start(parse_source(VOCABULARY))
    passed = check_declarations(ctx)
    assert passed.result is None and passed.diagnostics == ()
    assert ctx.symbols.root == "Person" and ctx.root_label == "person"
    assert ctx.symbols.definitions[(None, "limit")].type == ir.Type(Kind.MONEY, None)
    assert [p.ident for p in ctx.symbols.parameters.values()] == ["EVENTS_PERIOD", "REDUCTION"]


def test_diagnostics_name_the_article_unless_one_is_named() -> None:
    article = s.Article("Article", "3", "Other", Span.unknown("x"))
    found = Diagnostics()
    found.add(error("first", Span.unknown("x")), article)
    found.add(error("second", Span.unknown("x"), article="Article 1. Own"), article)
    found.add(error("third", Span.unknown("x")))
    assert [d.article for d in found.found] == ["Article 3. Other", "Article 1. Own", None]
    assert found.passed(1).diagnostics == found.found
