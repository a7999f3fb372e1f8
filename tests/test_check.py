"""Syntax tree -> checked statute: names, types, cycles, exceptions, warnings, examples and the model's shape."""

from __future__ import annotations

from pathlib import Path

import pytest
from statute_snippets import (
    VOCABULARY,
    VOCABULARY_LINES,
    check_diagnostics,
    checked,
    errors,
    parse_source,
    the_error,
    warnings_of,
    where,
)

from compiler.check.check import check
from compiler.frontend.parse import parse_file
from compiler.model import ir
from compiler.model.kinds import Kind


def definition(result: ir.Checked, ident: str) -> ir.Definition:
    return result.definition(ident)


def only_rule(result: ir.Checked, ident: str) -> ir.RuleDef:
    (rule,) = definition(result, ident).rules
    return rule


def condition_of(body: str, ident: str = "person_is_covered") -> ir.Expr:
    """The checked condition of the one rule deciding `ident`."""
    cond = only_rule(checked(body), ident).condition
    assert cond is not None
    return cond


def rule_on_line(result: ir.Checked, line: int) -> ir.RuleDef:
    """The rule written on `line` of the text after VOCABULARY."""
    found = [r for d in result.definitions for r in d.rules if r.span.line - VOCABULARY_LINES == line]
    assert len(found) == 1, found
    return found[0]


# ------------------------------------------------------------------ resolving names


def test_field_of_the_root_record() -> None:
    cond = condition_of("Rule: the person is covered if the age is at least 18.")
    assert isinstance(cond, ir.Cmp) and cond.op == ">="
    assert isinstance(cond.left, ir.FieldRef)
    assert (cond.left.record, cond.left.field, cond.left.type) == ("Person", "age", ir.INT)
    assert isinstance(cond.left.subject, ir.RootRef)
    assert isinstance(cond.right, ir.Lit) and cond.right.value == 18


def test_field_of_the_root_named_with_of() -> None:
    cond = condition_of("Rule: the person is covered if the age of the person is at least 18.")
    assert isinstance(cond, ir.Cmp) and isinstance(cond.left, ir.FieldRef)
    assert cond.left.field == "age"
    assert isinstance(cond.left.subject, ir.RootRef)


def test_field_of_a_record_named_with_of() -> None:
    cond = condition_of(
        "Rule: a charge is recent if the act date of the charge is within the events period.", "charge_is_recent"
    )
    assert isinstance(cond, ir.Within)
    assert isinstance(cond.operand, ir.FieldRef) and cond.operand.field == "act_date"
    assert isinstance(cond.operand.subject, ir.VarRef) and cond.operand.subject.type == ir.Type(Kind.RECORD, "Charge")
    assert isinstance(cond.period, ir.ParamRef) and cond.period.ident == "EVENTS_PERIOD"


def test_bare_field_names_in_a_where_refer_to_the_element() -> None:
    cond = condition_of(
        "Rule: the person is covered if any charge where (the gravity is grave and the charge is proven)."
    )
    assert isinstance(cond, ir.Quant) and cond.kind == "any"
    assert isinstance(cond.source, ir.FieldRef) and cond.source.field == "charges"
    assert isinstance(cond.body, ir.And)
    gravity, proven = cond.body.items
    assert isinstance(gravity, ir.Cmp) and isinstance(gravity.left, ir.FieldRef)
    assert isinstance(gravity.left.subject, ir.VarRef) and gravity.left.subject.var == cond.var
    assert isinstance(gravity.right, ir.EnumLit) and gravity.right.value == "GRAVE"
    assert isinstance(proven, ir.FieldRef) and proven.field == "proven" and proven.type == ir.BOOL
    assert isinstance(proven.subject, ir.VarRef) and proven.subject.var == cond.var


def test_a_charge_field_outside_a_quantifier_is_not_visible() -> None:
    d = the_error("Rule: the person is covered if the act date is before 1 January 2022.")
    assert d.message == "'act date' is not defined in this statute"


@pytest.mark.parametrize(("quantifier", "kind"), [("any", "any"), ("every", "every"), ("no", "no")])
def test_quantifier_over_a_predicate_of_the_element(quantifier: str, kind: str) -> None:
    result = checked(
        "Rule: a charge is serious if the gravity is at least grave.\n"
        f"Rule: the person is covered if {quantifier} charge is serious.\n"
    )
    cond = only_rule(result, "person_is_covered").condition
    assert isinstance(cond, ir.Quant) and cond.kind == kind
    assert isinstance(cond.body, ir.DefRef) and cond.body.definition == "charge_is_serious"
    assert isinstance(cond.body.subject, ir.VarRef) and cond.body.subject.var == cond.var


def test_count_and_aggregates_bind_the_element() -> None:
    cond = condition_of(
        "Rule: the person is covered\n"
        "  if the number of charges where the gravity is grave is at least 2\n"
        "  and the least act date among the charges where the charge is proven is before 1 January 2022.\n"
    )
    assert isinstance(cond, ir.And)
    count, least = (c.left for c in cond.items)  # type: ignore[union-attr]
    assert isinstance(count, ir.CountE) and count.type == ir.INT and count.where is not None
    assert isinstance(least, ir.Agg) and (least.kind, least.type) == ("least", ir.DATE)
    assert isinstance(least.value, ir.FieldRef) and isinstance(least.value.subject, ir.VarRef)
    assert least.value.subject.var == least.var


def test_greatest_of_an_enumeration_is_ordered() -> None:
    result = checked(
        "Definition the gravest gravity: a gravity.\n"
        "Rule: the gravest gravity is the greatest gravity among the charges.\n"
        "Rule: the person is covered if the gravest gravity is at most medium.\n"
    )
    gravest = definition(result, "gravest_gravity")
    assert gravest.type.kind is Kind.ENUM
    cond = only_rule(result, "person_is_covered").condition
    assert isinstance(cond, ir.Cmp) and cond.op == "<="
    assert isinstance(cond.right, ir.EnumLit) and cond.right.value == "MEDIUM"


def test_parameters_resolve_and_count_as_used() -> None:
    result = checked("Rule: the new sentence is the sentence reduced by the reduction rounded down to whole days.")
    rule = only_rule(result, "new_sentence")
    assert isinstance(rule.value, ir.Round) and (rule.value.mode, rule.value.unit) == ("down", "days")
    assert "the parameter 'reduction' is never used" not in warnings_of(result)
    assert "the parameter 'events period' is never used" in warnings_of(result)
    (reduction,) = (p for p in result.parameters if p.ident == "REDUCTION")
    assert reduction.type == ir.NUMBER


def test_definitions_resolve() -> None:
    result = checked("Rule: the limit is 100 USD.\nRule: the person is covered if the gain is more than the limit.")
    cond = only_rule(result, "person_is_covered").condition
    assert isinstance(cond, ir.Cmp) and isinstance(cond.right, ir.DefRef)
    assert cond.right.definition == "limit"
    assert cond.right.subject is None


def test_record_level_definitions() -> None:
    result = checked(
        "Definition the weight of a charge: whole number.\n"
        "Rule: the weight of a charge is 3 if the gravity of the charge is grave.\n"
        "Rule: the person is covered\n"
        "  if any charge where the weight of the charge is at least 3 and the total weight among the charges is 3.\n"
    )
    weight = definition(result, "charge_weight")
    assert (weight.kind, weight.owner, weight.type) == ("definition", "Charge", ir.INT)
    cond = only_rule(result, "person_is_covered").condition
    assert isinstance(cond, ir.And)
    quant, total = cond.items
    assert isinstance(quant, ir.Quant) and isinstance(quant.body, ir.Cmp)
    assert isinstance(quant.body.left, ir.DefRef) and quant.body.left.definition == "charge_weight"
    assert isinstance(quant.body.left.subject, ir.VarRef) and quant.body.left.subject.var == quant.var
    assert isinstance(total, ir.Cmp) and isinstance(total.left, ir.Agg) and total.left.type == ir.INT


def test_predicates_of_the_case_and_of_a_record() -> None:
    result = checked(
        "Rule: the measure is released if the person is covered and not the person is excluded.\n"
        "Rule: the person is covered if any charge is connected.\n"
        "Rule: the person is excluded if the age is less than 18.\n"
        "Rule: a charge is connected if the charge is proven.\n"
    )
    covered = definition(result, "person_is_covered")
    connected = definition(result, "charge_is_connected")
    assert (covered.kind, covered.owner, covered.type) == ("predicate", None, ir.BOOL)
    assert (connected.kind, connected.owner) == ("predicate", "Charge")
    assert covered.label == "person is covered"
    cond = only_rule(result, "measure").condition
    assert isinstance(cond, ir.And)
    assert isinstance(cond.items[0], ir.DefRef) and cond.items[0].definition == "person_is_covered"
    assert isinstance(cond.items[1], ir.NotE)


def test_a_rule_can_deny_a_predicate() -> None:
    result = checked(
        "Rule: the person is covered.\nRule: the person is not covered if the age is less than 18.\n"
        "Rule: the measure is released if the person is covered."
    )
    values = [r.value for r in definition(result, "person_is_covered").rules]
    assert [v.value for v in values if isinstance(v, ir.Lit)] == [True, False]


def test_predicate_named_by_a_whole_sentence() -> None:
    result = checked(
        "Rule: the ownership requirement is met if the age is at least 18.\n"
        "Rule: the measure is released if the ownership requirement is met.\n"
    )
    met = definition(result, "ownership_requirement_is_met")
    assert (met.kind, met.owner) == ("predicate", None)
    cond = only_rule(result, "measure").condition
    assert isinstance(cond, ir.DefRef) and cond.definition == met.ident


@pytest.mark.parametrize(
    ("text", "enum", "value"),
    [
        ("the role is law enforcement officer", "Role", "LAW_ENFORCEMENT_OFFICER"),
        ("the role is the serviceman", "Role", "SERVICEMAN"),
        ("the stage is on trial", "Stage", "ON_TRIAL"),
    ],
)
def test_enumeration_values(text: str, enum: str, value: str) -> None:
    cond = condition_of(f"Rule: the person is covered if {text}.")
    assert isinstance(cond, ir.Cmp) and isinstance(cond.right, ir.EnumLit)
    assert (cond.right.enum, cond.right.value) == (enum, value)


def test_enumeration_one_of() -> None:
    cond = condition_of("Rule: the person is covered if the stage is not one of on trial, serving sentence.")
    assert isinstance(cond, ir.OneOf) and cond.negated
    assert [v.value for v in cond.values if isinstance(v, ir.EnumLit)] == ["ON_TRIAL", "SERVING_SENTENCE"]


def test_enumerated_outcome_and_its_default() -> None:
    result = checked("Rule: the measure is reduction of sentence if the age is 20.")
    measure = definition(result, "measure")
    assert isinstance(measure.default, ir.EnumLit) and measure.default.value == "OUTSIDE"
    rule = only_rule(result, "measure")
    assert isinstance(rule.value, ir.EnumLit) and rule.value.value == "REDUCTION_OF_SENTENCE"
    assert [v.text for v in result.enum("Measure").values] == [
        "released",
        "reduction of sentence",
        "excluded",
        "outside",
    ]


def test_is_given_on_an_optional_fact() -> None:
    cond = condition_of("Rule: the person is covered if the sentence is given and the sentence start is not known.")
    assert isinstance(cond, ir.And)
    given, not_known = cond.items
    assert isinstance(given, ir.Known) and not given.negated
    assert isinstance(not_known, ir.Known) and not_known.negated


def test_arithmetic_types() -> None:
    result = checked(
        "Definition the end: date.\n"
        "Rule: the end is the sentence start plus the sentence.\n"
        "Rule: the new sentence is 1 January 2023 minus the sentence start.\n"
        "Rule: the limit is the lesser of the gain and 100 USD times 2.\n"
    )
    assert only_rule(result, "end").value.type == ir.DATE
    assert only_rule(result, "new_sentence").value.type == ir.DURATION
    limit = only_rule(result, "limit").value
    assert isinstance(limit, ir.MinMax) and (limit.kind, limit.type.kind) == ("least", Kind.MONEY)


# ------------------------------------------------------------------ type errors


def test_comparing_a_date_with_money() -> None:
    d = the_error("Rule: the person is covered if the sentence start is at least the gain.")
    assert d.message == "cannot compare a date with an amount of money"
    assert d.hint == "both sides must be of the same kind"
    assert where(d) == (1, 32)


def test_adding_a_date_to_a_date() -> None:
    d = the_error("Definition the end: date.\nRule: the end is the sentence start plus the sentence start.")
    assert d.message == "cannot add a date and a date"
    assert d.hint is not None and "durations go with dates" in d.hint
    assert where(d) == (2, 18)


def test_is_within_on_something_not_a_date() -> None:
    d = the_error("Rule: the person is covered if the age is within the events period.")
    assert d.message == "only a date can be within a period; this is a whole number"
    assert where(d) == (1, 32)


def test_is_within_something_not_a_period() -> None:
    d = the_error("Rule: the person is covered if the sentence start is within the age.")
    assert d.message.startswith("'is within' needs a period")
    assert d.message.endswith("not a whole number")
    assert where(d) == (1, 61)


def test_rule_giving_the_wrong_type() -> None:
    d = the_error("Rule: the new sentence is 5 USD.")
    assert d.message == "'new sentence' is a duration, but this rule gives an amount of money in USD"
    assert where(d) == (1, 27)


def test_predicate_rule_giving_a_value_is_not_a_definition() -> None:
    d = the_error("Rule: the limit is 1 year.")
    assert d.message == "'limit' is an amount of money, but this rule gives a duration"


@pytest.mark.parametrize(
    ("value", "what", "unit"),
    [
        ("the gain times the reduction", "an amount of money", "cents"),
        ("one half of the gain", "an amount of money", "cents"),
        ("the gain divided by 3", "an amount of money", "cents"),
        ("the gain times 0.5 plus 1 USD", "an amount of money", "cents"),
    ],
)
def test_money_times_a_fraction_must_be_rounded(value: str, what: str, unit: str) -> None:
    d = the_error(f"Rule: the limit is {value}.")
    assert d.message == (
        f"multiplying or dividing {what} by a fraction can leave part of a {unit[:-1]}; say how to round it"
    )
    assert d.hint == f"add 'rounded down to whole {unit}' (or 'rounded up', 'rounded half up')"
    assert where(d) == (1, 20)


def test_duration_reduced_by_a_fraction_must_be_rounded() -> None:
    d = the_error("Rule: the new sentence is the sentence reduced by the reduction.")
    assert d.message.startswith("multiplying or dividing a duration by a fraction can leave part of a day")
    assert d.hint is not None and "rounded down to whole days" in d.hint


@pytest.mark.parametrize(
    "value",
    [
        "the gain times the reduction rounded down to whole cents",
        "the gain times 2",
        "the gain plus 1 USD",
        "one half of the gain rounded half up to whole cents",
    ],
)
def test_exact_money_needs_no_rounding(value: str) -> None:
    assert only_rule(checked(f"Rule: the limit is {value}."), "limit").value.type.kind is Kind.MONEY


def test_comparing_with_a_fraction_of_money_must_be_rounded() -> None:
    d = the_error("Rule: the person is covered if the gain is at least one half of the limit.")
    assert d.message.startswith("multiplying or dividing an amount of money by a fraction")


def test_rounding_money_to_days() -> None:
    d = the_error("Rule: the limit is the gain times 0.5 rounded down to whole days.")
    assert d.message == "an amount of money cannot be rounded to days"


@pytest.mark.parametrize(
    "cond",
    [
        "the gain is one half of the limit",
        "the gain is one of one half of the limit, the limit",
        "the gain is between one half of the limit and the limit",
    ],
)
def test_every_comparison_with_a_fraction_of_money_must_be_rounded(cond: str) -> None:
    d = the_error(f"Rule: the person is covered if {cond}.")
    assert d.message.startswith("multiplying or dividing an amount of money by a fraction")


@pytest.mark.parametrize(
    ("cond", "kind"),
    [("the cooperated is between yes and no", "yes or no"), ('the name is between "a" and "m"', "a text")],
)
def test_is_between_needs_an_ordered_kind(cond: str, kind: str) -> None:
    d = the_error(f"Rule: the person is covered if {cond}.")
    assert d.message.startswith(kind)


def test_is_given_on_a_required_fact() -> None:
    d = the_error("Rule: the person is covered if the age is given.")
    assert d.message == "'is given' only makes sense for a fact or outcome that may be missing"
    assert d.hint == "declare the field with ', optional' or drop the test"
    assert where(d) == (1, 32)


def test_ordering_text() -> None:
    d = the_error('Rule: the person is covered if the name is at least "M".')
    assert d.message == "a text cannot be 'at least' anything"


def test_an_amount_in_another_currency() -> None:
    d = the_error(
        "Rule: the limit is 5 EUR.",
        VOCABULARY.replace("Definition the limit: money.", "Definition the limit: money in USD."),
    )
    assert d.message == "this amount is in EUR, but USD is expected here"


def test_is_not_on_a_value() -> None:
    d = the_error("Rule: the new sentence is not 3 days.")
    assert d.message == "'is not' can only deny a yes/no fact; say what the value is"


def test_a_number_is_not_a_condition() -> None:
    d = the_error("Rule: the person is covered if the age.")
    assert d.message == "'age' is a whole number, not a condition that holds or not"


def test_a_value_of_another_enumeration() -> None:
    d = the_error("Rule: the person is covered if the role is grave.")
    assert d.message == "'grave' is not one of the values of role"
    assert d.hint == "the values are: civilian, law enforcement officer, serviceman"


# ------------------------------------------------------------------ misspelt and undeclared names


def test_misspelt_name_with_did_you_mean() -> None:
    d = the_error("Article 2. Release\nRule: the new sentence is the sentense if the age is at least 18.")
    assert d.message == "'sentense' is not defined in this statute"
    assert d.hint == "did you mean 'sentence'?"
    assert where(d) == (2, 31)
    assert d.article == "Article 2. Release"


def test_misspelt_field_of_the_element_in_a_where() -> None:
    d = the_error("Rule: the person is covered if any charge where the gravty is grave.")
    assert d.message == "'gravty' is not defined in this statute"
    assert d.hint == "did you mean 'gravity'?"


def test_misspelt_predicate() -> None:
    d = the_error(
        "Rule: a charge is serious if the charge is proven.\nRule: the person is covered if any charge is seriuos."
    )
    assert d.message == "nothing in this statute says when a charge is 'seriuos'"
    assert d.hint == "did you mean 'serious'?"
    assert where(d) == (2, 46)


def test_misspelt_enumeration_value() -> None:
    d = the_error("Rule: the person is covered if the role is civillian.")
    assert d.message == "'civillian' is not one of the values of role"
    assert d.hint == "did you mean 'civilian'?"
    assert where(d) == (1, 44)


def test_unknown_name_without_a_close_match() -> None:
    d = the_error("Rule: the person is covered if the weather is at least 18.")
    assert d.message == "'weather' is not defined in this statute"
    assert d.hint == "declare it as a field, a Parameter, a Definition or an Outcome"


def test_undeclared_definition() -> None:
    d = the_error("Rule: the penalty is 5 USD.")
    assert d.message == "'penalty' is not declared in this statute"
    assert d.hint == "declare it first: 'Definition penalty: <type>.' or 'Outcome penalty: <type>.'"
    assert where(d) == (1, 11)


def test_undeclared_definition_close_to_a_declared_one() -> None:
    d = the_error("Rule: the limt is 5 USD.")
    assert d.hint == "did you mean 'limit'?"


def test_exception_naming_a_missing_article() -> None:
    d = the_error(
        "Article 2. Release\nRule: the limit is 1 USD.\nArticle 3. Other\nException to Section 9: the limit is 2 USD."
    )
    assert d.message == "there is no Section 9 in this statute"
    assert d.hint == "exceptions name the articles they prevail over"
    assert where(d) == (4, 22)
    assert d.article == "Article 3. Other"


def test_exception_naming_a_missing_article_close_to_another() -> None:
    d = the_error(
        "Article 2. Release\nRule: the limit is 1 USD.\nArticle 3. Other\nException to Article 21: the limit is 2 USD."
    )
    assert d.message == "there is no Article 21 in this statute"
    assert d.hint is not None and "article 2" in d.hint.lower()


def test_exception_to_an_article_without_such_a_rule_is_a_warning() -> None:
    result = checked(
        "Article 1. A\nRule: the limit is 1 USD.\nArticle 2. B\nException to Article 1: the new sentence is 1 year."
    )
    assert "Article 1 has no rule about 'new sentence' for this exception to prevail over" in warnings_of(result)


def test_list_of_an_undeclared_record() -> None:
    d = the_error("A thing has:\n  - items: list of widget.")
    assert d.message == "'widget' is not a record declared in this statute"
    assert d.hint == "declare it: 'A widget has: ...'"


def test_statute_without_a_case_declaration() -> None:
    d = the_error("", VOCABULARY.replace("Each case is about a person.\n", ""))
    assert d.message == "the statute does not say what a case is about"
    assert d.hint == "add 'Each case is about a person.'"


def test_case_about_an_undeclared_record() -> None:
    d = the_error("", VOCABULARY.replace("Each case is about a person.", "Each case is about a persn."))
    assert d.message == "'persn' is not a record declared in this statute"
    assert d.hint == "did you mean 'person'?"


# ------------------------------------------------------------------ cycles and exceptions over themselves


def test_cycle_between_definitions_names_the_path() -> None:
    d = the_error(
        "Definition the first total: money.\nDefinition the second total: money.\n"
        "Article 1. Totals\n"
        "Rule: the first total is the second total.\n"
        "Rule: the second total is the first total plus 1 USD.\n"
        "Rule: the limit is the first total.\n"
    )
    assert d.message == "'first total' depends on itself: first total -> second total -> first total"
    assert d.hint == "a definition cannot be used, even indirectly, in its own rules"
    assert where(d) == (4, 1)


def test_definition_using_itself() -> None:
    d = the_error("Rule: the limit is the limit plus 1 USD.")
    assert d.message == "'limit' depends on itself: limit -> limit"


def test_cycle_between_predicates() -> None:
    d = the_error(
        "Rule: the person is covered if the person is eligible.\nRule: the person is eligible if the person is covered."
    )
    assert d.message == (
        "'person is covered' depends on itself: person is covered -> person is eligible -> person is covered"
    )


def test_cycle_through_a_record_level_definition() -> None:
    d = the_error(
        "Definition the weight of a charge: whole number.\n"
        "Rule: the weight of a charge is the weight of the charge plus 1.\n"
    )
    assert d.message.startswith("'weight' depends on itself")


def test_exceptions_prevailing_over_themselves_through_others() -> None:
    found = errors(
        check_diagnostics(
            "Article 1. A\nException to Article 2: the limit is 1 USD.\n"
            "Article 2. B\nException to Article 3: the limit is 2 USD.\n"
            "Article 3. C\nException to Article 1: the limit is 3 USD.\n"
        )
    )
    assert [d.message for d in found] == ["this exception prevails, through other exceptions, over itself"] * 3
    assert [where(d) for d in found] == [(2, 1), (4, 1), (6, 1)]
    assert [d.article for d in found] == ["Article 1. A", "Article 2. B", "Article 3. C"]


# ------------------------------------------------------------------ declared twice


@pytest.mark.parametrize(
    ("body", "message", "position"),
    [
        ("Outcome the measure: money.", "'measure' is declared twice", (1, 13)),
        ("Definition the reduction: decimal.", "'reduction' is declared twice", (1, 16)),
        ("Parameter the reduction: one half.", "the parameter 'reduction' is set twice", (1, 15)),
        ("A person has:\n  - x: text.", "'person' is declared twice", (1, 3)),
        ("A thing has:\n  - x: text;\n  - x: date.", "the field 'x' is declared twice", (3, 5)),
        ("Outcome the colour: one of red, red.", "'red' is listed twice", (1, 33)),
        ("Each case is about a charge.", "a statute has one kind of case; this is a second one", (1, 1)),
    ],
)
def test_declared_twice(body: str, message: str, position: tuple[int, int]) -> None:
    d = the_error(body)
    assert d.message == message
    assert where(d) == position


def test_the_same_enumeration_declared_twice_is_one_enumeration() -> None:
    result = checked("Outcome the status: one of minor, medium, grave, especially grave; by default minor.")
    assert result.definition("status").type == ir.Type(Kind.ENUM, "Gravity")


def test_bound_above_the_upper_bound() -> None:
    d = the_error("A thing has:\n  - size: whole number from 10 to 1.")
    assert d.message == "the lower bound is above the upper bound"


def test_bound_of_the_wrong_kind() -> None:
    d = the_error("A thing has:\n  - size: whole number from 1 January 2022 to 10.")
    assert d.message == "this bound is a date, but the field is a whole number"


# ------------------------------------------------------------------ warnings


def test_unused_facts_are_warned_about() -> None:
    result = checked("Rule: the person is covered if the age is at least 18.")
    warnings = warnings_of(result)
    assert "the fact 'role' of a person is never used by a rule" in warnings
    assert "the fact 'proven' of a charge is never used by a rule" in warnings
    assert "the fact 'age' of a person is never used by a rule" not in warnings
    assert not any("'charges'" in w for w in warnings)  # lists are how records arrive, not facts
    (role,) = (d for d in result.warnings if "'role'" in getattr(d, "message", ""))
    assert role.hint == "remove it, or keep it as information for the case files"  # type: ignore[attr-defined]
    assert (role.span.line, role.span.column) == (3, 5)  # type: ignore[attr-defined]


def test_warnings_do_not_stop_the_check() -> None:
    result = checked("")
    assert all(not getattr(d, "is_error", False) for d in result.warnings)
    assert "no rule decides 'limit'" in warnings_of(result)
    assert "no rule decides 'new sentence'" not in warnings_of(result)  # optional
    assert "no rule decides 'measure'" not in warnings_of(result)  # has a default


@pytest.mark.parametrize(
    "cond",
    [
        "1 is 2",
        "the age is at least 18 and 1 is 2",
        "1 is 2 or 2 is 3",
        "the role is civilian and the role is serviceman",
        "the role of the person is civilian and the age is 3 and the role is serviceman",
        "the age is 18 unless 1 is 1",
        "not 1 is 1",
    ],
)
def test_rule_that_can_never_apply(cond: str) -> None:
    result = checked(f"Article 4. Never\nRule: the person is covered if {cond}.")
    (warning,) = (d for d in result.warnings if "can never apply" in getattr(d, "message", ""))
    assert warning.message == "this rule can never apply: its condition can never hold"  # type: ignore[attr-defined]
    assert where(warning) == (2, 1)  # type: ignore[arg-type]
    assert warning.article == "Article 4. Never"  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "cond",
    [
        "1 is 1",
        "the role is civilian and the role is civilian",
        "the role is civilian or the role is serviceman",
        "1 is 2 or the age is 3",
        "the role is civilian and the stage is on trial",
    ],
)
def test_rule_that_can_apply_is_not_warned_about(cond: str) -> None:
    result = checked(f"Rule: the person is covered if {cond}.")
    assert not any("can never apply" in w for w in warnings_of(result))


def test_a_parameter_switching_a_rule_off_is_not_warned_about() -> None:
    result = checked("Parameter the rule applies: no.\nRule: the person is covered if the rule applies.")
    assert not any("can never apply" in w for w in warnings_of(result))


# ------------------------------------------------------------------ the article a diagnostic is in


def test_diagnostic_names_the_article_heading() -> None:
    found = errors(
        check_diagnostics(
            "Rule: the limit is 1 year.\nSection 121(b)(3). Once every two years\nRule: the limit is 2 years.\n"
        )
    )
    assert [(where(d)[0], d.article) for d in found] == [(1, None), (3, "Section 121(b)(3). Once every two years")]


def test_errors_come_sorted_by_position() -> None:
    found = check_diagnostics(
        "Rule: the person is covered if the wether is 1.\nRule: the limit is 1 year.\nRule: the new sentence is 1 USD."
    )
    starts = [d.span.start for d in found]
    assert starts == sorted(starts)
    assert [where(d)[0] for d in errors(found)] == [1, 2, 3]


# ------------------------------------------------------------------ examples

CHECKED_RULES = (
    "Rule: a charge is serious if the gravity is at least grave and the charge is proven.\n"
    "Rule: the person is covered if the age is at least 18 and any charge is serious.\n"
    "Article 2. Release\n"
    "Rule: the measure is released if the person is covered and the role is civilian.\n"
    "Rule: the new sentence is the sentence reduced by the reduction rounded down to whole days\n"
    "  if the person is covered and the sentence is given.\n"
)
GOOD_FACTS = (
    'role: civilian; stage: serving sentence; age: 24; gain: 1,000.50 USD; rate: 0.5; name: "Ann";\n'
    "    cooperated: no; sentence: 4 years;\n"
    "    charges: (gravity: grave; act date: 5 January 2022; proven: yes), (gravity: minor; act date: 2022-01-06;\n"
    "      proven: no)"
)


def example_result(facts: str, expected: str = "the measure is released") -> ir.Checked:
    return checked(CHECKED_RULES + f'Example "E" (Article 2):\n  Facts: {facts}.\n  Expected: {expected}.\n')


def example_error(facts: str, expected: str = "the measure is released") -> tuple[str, str | None, tuple[int, int]]:
    d = the_error(CHECKED_RULES + f'Example "E" (Article 2):\n  Facts: {facts}.\n  Expected: {expected}.\n')
    assert d.article == "Article 2. Release"
    return d.message, d.hint, where(d)


def test_example_becomes_a_case_and_expectations() -> None:
    result = example_result(GOOD_FACTS, "the measure is released; the new sentence is 1 year")
    (example,) = result.examples
    assert (example.title, example.articles) == ("E", ("Article 2",))
    assert example.case == {
        "role": "civilian",
        "stage": "serving sentence",
        "age": 24,
        "gain": "1000.5",
        "rate": "0.5",
        "name": "Ann",
        "cooperated": False,
        "sentence": "4 years",
        "charges": [
            {"gravity": "grave", "act_date": "2022-01-05", "proven": True},
            {"gravity": "minor", "act_date": "2022-01-06", "proven": False},
        ],
    }
    assert [(e.definition, e.value, e.conflict) for e in example.expected] == [
        ("measure", "released", False),
        ("new_sentence", ir.Duration(12, 0), False),
    ]


def test_example_with_no_records_and_an_undecided_outcome() -> None:
    facts = GOOD_FACTS.split("charges:")[0].replace("sentence: 4 years;", "") + "charges: none"
    result = example_result(facts, "the measure is outside; the new sentence is not decided")
    (example,) = result.examples
    assert example.case["charges"] == []
    assert "sentence" not in example.case  # an optional fact left out
    assert [(e.definition, e.value) for e in example.expected] == [("measure", "outside"), ("new_sentence", None)]


def test_example_expecting_a_conflict() -> None:
    (example,) = example_result(GOOD_FACTS, "conflict in the measure").examples
    assert [(e.definition, e.conflict) for e in example.expected] == [("measure", True)]


def test_example_with_an_unknown_fact() -> None:
    message, hint, _ = example_error(GOOD_FACTS + "; height: 3")
    assert message == "a person has no fact 'height'"
    assert hint == "the facts are: role, stage, age, sentence, sentence start, gain, rate, name, cooperated, charges"


def test_example_with_a_misspelt_fact() -> None:
    message, hint, position = example_error(GOOD_FACTS.replace("age: 24", "agee: 24"))
    assert message == "a person has no fact 'agee'"
    assert hint == "did you mean 'age'?"
    assert position == (8, 51)


def test_example_with_an_unknown_fact_of_a_nested_record() -> None:
    message, _, _ = example_error(GOOD_FACTS.replace("proven: yes", "proven: yes; court: 2"))
    assert message == "a charge has no fact 'court'"


def test_example_missing_required_facts() -> None:
    message, hint, position = example_error(GOOD_FACTS.replace("age: 24; ", "").replace("rate: 0.5; ", ""))
    assert message == "this example does not give the age, rate of the person"
    assert hint == "every fact not declared ', optional' must be given"
    assert position == (8, 10)


def test_example_missing_a_required_fact_of_a_nested_record() -> None:
    message, _, _ = example_error(GOOD_FACTS.replace("act date: 5 January 2022; ", ""))
    assert message == "this example does not give the act date of the charge"


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("age: 24", "age: 1 January 2022", "'age' is a whole number, but this is a date"),
        ("age: 24", "age: old", "'age' is a whole number, not a word"),
        ("age: 24", "age: (x: 1)", "'age' is a whole number, not a list"),
        ("gain: 1,000.50 USD", "gain: 3 days", "'gain' is an amount of money, but this is a duration"),
        ("cooperated: no", "cooperated: 1", "'cooperated' is yes or no, but this is a whole number"),
        ("role: civilian", "role: pilot", "'pilot' is not one of the values of role"),
        ("role: civilian", "role: 3", "'role' is a role, but this is a whole number"),
    ],
)
def test_example_fact_of_the_wrong_type(old: str, new: str, message: str) -> None:
    assert example_error(GOOD_FACTS.replace(old, new))[0] == message


def test_example_list_given_as_a_value() -> None:
    facts = GOOD_FACTS.split("charges:")[0] + "charges: 3"
    assert example_error(facts)[0] == "'charges' is a list: write '(...), (...)' or 'none'"


def test_example_fact_given_twice() -> None:
    assert example_error(GOOD_FACTS + "; age: 25")[0] == "'age' is given twice"


def test_example_expecting_an_unknown_outcome() -> None:
    message, hint, _ = example_error(GOOD_FACTS, "the mesure is released")
    assert message == "'mesure' is not an outcome or definition of this statute"
    assert hint == "did you mean 'measure'?"


def test_example_expecting_a_value_of_the_wrong_type() -> None:
    message, _, _ = example_error(GOOD_FACTS, "the new sentence is 3 USD")
    assert message == "'new sentence' is a duration, but this is an amount of money in USD"


def test_example_fact_outside_the_declared_bounds() -> None:
    message, _, _ = example_error(GOOD_FACTS.replace("age: 24", "age: 300"))
    assert "300" in message


# ------------------------------------------------------------------ in force


def test_in_force_on_a_parameter() -> None:
    result = checked("Parameter the entry date: 2 November 2022.\nIn force: the entry date.")
    assert result.in_force == "ENTRY_DATE"
    assert "the parameter 'entry date' is never used" not in warnings_of(result)


def test_in_force_on_a_date() -> None:
    assert checked("In force: 2 November 2022.").in_force == "2022-11-02"


def test_in_force_on_an_unknown_parameter() -> None:
    d = the_error("In force: the entry date.")
    assert d.message == "'entry date' is not a parameter"
    assert where(d) == (1, 11)


def test_in_force_on_a_parameter_that_is_not_a_date() -> None:
    d = the_error("In force: the reduction.")
    assert "date" in d.message


def test_title_is_the_header_text() -> None:
    result = check(parse_source('Title: "On Amnesty".\n' + VOCABULARY))
    assert result.title == "On Amnesty"
    assert result.header == (("title", "On Amnesty"),)


# ------------------------------------------------------------------ the shape of the checked model

STRUCTURE = (
    "Definition the base term: duration.\n"  # 1
    "Definition the cap: duration.\n"  # 2
    "Article 1. Base\n"  # 3
    "Rule: the cap is the base term plus 1 year.\n"  # 4
    "Rule: the base term is 2 years.\n"  # 5
    "Rule: the measure is released if the age is at least 18.\n"  # 6
    "Rule: the new sentence is the cap if the measure is released.\n"  # 7
    "Article 2. First exception\n"  # 8
    "Exception to Article 1: the measure is excluded if the age is at least 60.\n"  # 9
    "Article 3. Second exception\n"  # 10
    "Exception to Article 2: the measure is outside if the age is at least 90.\n"  # 11
    "Section 4(b). Elsewhere\n"  # 12
    "Rule: the person is covered if the age is at least 1.\n"  # 13
    "Rule: the person is covered if the age is at most 1.\n"  # 14
)


def test_rule_idents_count_within_each_article() -> None:
    result = checked(STRUCTURE)
    assert [rule_on_line(result, line).ident for line in (4, 5, 6, 7, 9, 11, 13, 14)] == [
        "article_1_rule_1",
        "article_1_rule_2",
        "article_1_rule_3",
        "article_1_rule_4",
        "article_2_rule_1",
        "article_3_rule_1",
        "section_4_b_rule_1",
        "section_4_b_rule_2",
    ]


def test_rule_idents_keep_subsection_a() -> None:
    result = checked("Section 121(a). Exclusion\nRule: the limit is 1 USD.\n")
    assert rule_on_line(result, 2).ident == "section_121_a_rule_1"


def test_rules_cite_their_article() -> None:
    result = checked(STRUCTURE)
    assert rule_on_line(result, 9).citation.heading == "Article 2. First exception"
    assert rule_on_line(result, 13).citation.label == "Section 4(b)"


def test_overridden_by_is_transitive() -> None:
    result = checked(STRUCTURE)
    base, first, second = (rule_on_line(result, line) for line in (6, 9, 11))
    assert set(base.overridden_by) == {first.ident, second.ident}
    assert first.overridden_by == (second.ident,)
    assert second.overridden_by == ()
    assert rule_on_line(result, 4).overridden_by == ()


def test_prevailing_rules_come_first() -> None:
    result = checked(STRUCTURE)
    lines = [r.span.line - VOCABULARY_LINES for r in definition(result, "measure").rules]
    assert lines == [11, 9, 6]


def test_exception_to_several_articles() -> None:
    result = checked(
        "Article 2. A\nRule: the limit is 1 USD if the age is 1.\n"
        "Article 3. B\nRule: the limit is 2 USD if the age is 2.\n"
        "Article 4. C\nRule: the limit is 3 USD if the age is 3.\n"
        "Article 5. D\nRule: the limit is 4 USD if the age is 4.\n"
        "Article 6. E\nException to Articles 2, 3 and 4: the limit is 0 USD if the age is 5.\n"
    )
    exception = rule_on_line(result, 10)
    overridden = [rule_on_line(result, line).overridden_by for line in (2, 4, 6, 8)]
    assert overridden == [(exception.ident,)] * 3 + [()]
    order = [r.ident for r in definition(result, "limit").rules]
    assert all(order.index(exception.ident) < order.index(rule_on_line(result, n).ident) for n in (2, 4, 6))


def test_exception_to_an_article_does_not_reach_a_longer_number() -> None:
    result = checked(
        "Article 1. A\nRule: the limit is 1 USD if the age is 1.\n"
        "Article 12. B\nRule: the limit is 2 USD if the age is 2.\n"
        "Article 3. C\nException to Article 1: the limit is 3 USD if the age is 3.\n"
    )
    exception = rule_on_line(result, 6)
    assert rule_on_line(result, 2).overridden_by == (exception.ident,)
    assert rule_on_line(result, 4).overridden_by == ()


def test_exception_to_a_section_reaches_its_subsections() -> None:
    result = checked(
        "Section 121. Whole\nRule: the limit is 1 USD if the age is 1.\n"
        "Section 121(b)(1). Part\nRule: the limit is 2 USD if the age is 2.\n"
        "Section 122. Other\nException to Section 121: the limit is 3 USD if the age is 3.\n"
    )
    exception = rule_on_line(result, 6)
    assert rule_on_line(result, 2).overridden_by == (exception.ident,)
    assert rule_on_line(result, 4).overridden_by == (exception.ident,)


def test_definitions_come_in_dependency_order() -> None:
    order = [d.ident for d in checked(STRUCTURE).definitions]
    assert order.index("base_term") < order.index("cap") < order.index("new_sentence")
    assert order.index("measure") < order.index("new_sentence")
    assert sorted(order) == sorted(["base_term", "cap", "measure", "new_sentence", "limit", "person_is_covered"])


def test_outcomes_keep_declaration_order() -> None:
    vocabulary = VOCABULARY.replace("Outcome the new sentence: duration, optional.\n", "").replace(
        "Outcome the measure:", "Outcome the new sentence: duration, optional.\nOutcome the measure:"
    )
    result = checked(STRUCTURE, vocabulary)
    assert result.outcomes == ("new_sentence", "measure")
    order = [d.ident for d in result.definitions]
    assert order.index("measure") < order.index("new_sentence")  # the model still evaluates measure first


def test_definition_kinds_and_types() -> None:
    result = checked(STRUCTURE)
    kinds = {d.ident: (d.kind, d.type, d.optional) for d in result.definitions}
    assert kinds["measure"] == ("outcome", ir.Type(Kind.ENUM, "Measure"), False)
    assert kinds["new_sentence"] == ("outcome", ir.DURATION, True)
    assert kinds["cap"] == ("definition", ir.DURATION, False)
    assert kinds["person_is_covered"] == ("predicate", ir.BOOL, False)
    assert [p.ident for p in result.parameters] == ["EVENTS_PERIOD", "REDUCTION"]
    assert result.root == "Person"
    assert [r.ident for r in result.records] == ["Person", "Charge"]


def test_rule_numbering_does_not_leak_between_checks() -> None:
    statute = parse_source(VOCABULARY + "Article 2. A\nRule: the limit is 1 USD.\n")
    # The rules pass numbers an article's rules afresh on each run (tests/test_check_context.py runs it alone).
    idents = [only_rule(check(statute), "limit").ident for _ in range(3)]
    assert idents == ["article_2_rule_1"] * 3


# ------------------------------------------------------------------ the project's statutes

STATUTES = sorted(Path(__file__).parent.parent.joinpath("statutes").glob("*.statute"))


@pytest.mark.parametrize("path", STATUTES, ids=lambda p: p.name)
def test_project_statutes_check_without_errors(path: Path) -> None:
    result = check(parse_file(path))
    assert not any(getattr(d, "is_error", False) for d in result.warnings)
    assert result.outcomes
    assert result.examples
    assert all(d.rules or d.default is not None or d.optional for d in result.definitions if d.kind == "outcome")


def test_flagship_statute_model() -> None:
    result = check(parse_file(Path(__file__).parent.parent / "statutes" / "kz_amnesty_2022.statute"))
    assert result.root == "Person"
    assert result.outcomes == ("amnesty_measure",)
    assert [(o.key, o.definition) for g in result.record_outcomes for o in g.outcomes] == [
        ("charge_measure", "charge_measure"),
        ("new_sentence", "charge_new_sentence"),
    ]
    assert result.in_force == "ENTRY_INTO_FORCE_DATE"
    assert [a.label for a in result.articles] == [*(f"Article {n}" for n in range(1, 6)), "Article 9"]
    measure = result.definition("charge_measure")
    exceptions = [r for r in measure.rules if r.citation.label == "Article 5"]
    assert exceptions and measure.rules[: len(exceptions)] == tuple(exceptions)
    for rule in measure.rules:
        if rule.citation.label in {"Article 2", "Article 3", "Article 4"}:
            assert {e.ident for e in exceptions} <= set(rule.overridden_by)
