"""A small checked statute built by hand, for the Python backend's tests (tests/test_python_backend.py).

A record-level predicate with two rules, a case-level predicate with a quantifier, a total, an outcome with an
exception and a default (two of its rules can conflict), an optional outcome with rounding, and a definition that
can be left undecided. `at` finds the drafter's words in SOURCE, so spans and atoms are real.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from fractions import Fraction

from compiler.frontend.diagnostics import Span
from compiler.frontend.syntax import Article, Note
from compiler.model import ir
from compiler.model.kinds import Kind

SOURCE = """Title: "Fines".
Article 1. Grave offences
Rule: an offence is grave if the gravity of the offence is at least grave.
Rule: an offence is grave if the gravity is serious and the date is within the events period.
Article 2. Measures
Rule: the person is eligible if the age is at least 18 and no offence is grave and the person is resident.
Rule: the fine total is the total fine among the offences where the fine is given.
Rule: the measure is warning if the person is eligible.
Rule: the measure is fine if the fine total is more than the limit.
Rule: the reduced stay is the stay reduced by the share rounded down to whole days if the stay is given.
Rule: the fine due is the lesser of the fine total times the share and the limit rounded half up to cents.
Rule: the deadline is 1 March 2022 plus the stay if the person is eligible.
Article 3. Exclusions
Exception to Article 2: the measure is excluded if any offence is grave.
"""
FILE = "fines.statute"


def at(phrase: str, line: int = 0, nth: int = 0) -> Span:
    """The span of `phrase` in SOURCE: its `nth` occurrence on `line` (1-based), or in the whole text."""
    first = 0 if not line else sum(len(text) + 1 for text in SOURCE.split("\n")[: line - 1])
    start = first - 1
    for _ in range(nth + 1):
        start = SOURCE.index(phrase, start + 1)
    end = start + len(phrase)
    row, column = SOURCE.count("\n", 0, start) + 1, start - SOURCE.rfind("\n", 0, start)
    return Span(FILE, row, column, SOURCE.count("\n", 0, end) + 1, end - SOURCE.rfind("\n", 0, end), start, end)


GRAVITY, MEASURE = ir.Type(Kind.ENUM, "Gravity"), ir.Type(Kind.ENUM, "Measure")
MONEY, OFFENCE, PERSON = ir.Type(Kind.MONEY, "EUR"), ir.Type(Kind.RECORD, "Offence"), ir.Type(Kind.RECORD, "Person")
OFFENCES = ir.Type(Kind.LIST, "Offence")
ARTICLES = tuple(
    Article("Article", n, title, at(f"Article {n}."), (text,))
    for n, title, text in [
        ("1", "Grave offences", "An offence is grave if it is grave, or serious and committed during the events."),
        ("2", "Measures", "Eligible persons get a warning; large fines are collected."),
        ("3", "Exclusions", "Grave offenders are excluded."),
    ]
)


def root(line: int) -> ir.RootRef:
    return ir.RootRef(PERSON, at("the person", line))


def offence_var(line: int) -> ir.VarRef:
    return ir.VarRef("offence", OFFENCE, at("offence", line))


def field(subject: ir.Expr, name: str, t: ir.Type, span: Span, optional: bool = False) -> ir.FieldRef:
    record = "Person" if isinstance(subject, ir.RootRef) else "Offence"
    return ir.FieldRef(subject, record, name, t, optional, span)


def yes(line: int) -> ir.Lit:
    return ir.Lit(True, ir.BOOL, at("is", line))


def rule(ident: str, article: int, line: int, condition: ir.Expr | None, value: ir.Expr, *over: str) -> ir.RuleDef:
    notes = (Note("assumption", '"We read it so."', at("Rule", line)),) if ident == "article_2_rule_1" else ()
    citation = ir.Citation(ARTICLES[article - 1], None, notes)
    text = SOURCE.split("\n")[line - 1]
    return ir.RuleDef(ident, "", citation, condition, value, over, at(text, line))


def definition(
    ident: str, kind: str, owner: str | None, t: ir.Type, rules: list[ir.RuleDef], default: ir.Expr | None = None
) -> ir.Definition:
    label = ident.replace("_", " ")
    rules = [replace(r, definition=ident) for r in rules]
    optional = ident == "reduced_stay"
    return ir.Definition(
        ident, label, kind, owner, t, optional, default, tuple(rules), at("Title"), ir.Citation(None, None, ())
    )


def grave_rules() -> list[ir.RuleDef]:
    gravity = field(offence_var(3), "gravity", GRAVITY, at("the gravity of the offence", 3))
    grave = ir.EnumLit("Gravity", "GRAVE", GRAVITY, at("grave", 3, 1))
    first = ir.Cmp(">=", gravity, grave, at("the gravity of the offence is at least grave", 3))
    serious = ir.Cmp(
        "==",
        field(offence_var(4), "gravity", GRAVITY, at("the gravity", 4)),
        ir.EnumLit("Gravity", "SERIOUS", GRAVITY, at("serious", 4)),
        at("the gravity is serious", 4),
    )
    events = ir.ParamRef("EVENTS_PERIOD", ir.PERIOD, at("the events period", 4))
    date = field(offence_var(4), "date", ir.DATE, at("the date", 4))
    within = ir.Within(date, None, None, events, False, at("the date is within the events period", 4))
    second = ir.And((serious, within), at("the gravity is serious and the date is within the events period", 4))
    return [rule("article_1_rule_1", 1, 3, first, yes(3)), rule("article_1_rule_2", 1, 4, second, yes(4))]


def offences(line: int) -> ir.FieldRef:
    return field(
        root(line) if line != 14 else ir.RootRef(PERSON, at("offence", 14)), "offences", OFFENCES, at("offence", line)
    )


def measure_rules() -> list[ir.RuleDef]:
    any_grave = ir.Quant(
        "any", offences(14), "offence", ir.DefRef("offence_is_grave", offence_var(14), ir.BOOL, at("grave", 14)),
        at("any offence is grave", 14),
    )  # fmt: skip
    eligible = ir.DefRef("person_is_eligible", None, ir.BOOL, at("the person is eligible", 8))
    limit = ir.ParamRef("LIMIT", MONEY, at("the limit", 9))
    more = ir.Cmp(
        ">",
        ir.DefRef("fine_total", None, MONEY, at("the fine total", 9)),
        limit,
        at("the fine total is more than the limit", 9),
    )
    return [
        rule("article_3_rule_1", 3, 14, any_grave, ir.EnumLit("Measure", "EXCLUDED", MEASURE, at("excluded", 14))),
        rule(
            "article_2_rule_3",
            2,
            8,
            eligible,
            ir.EnumLit("Measure", "WARNING", MEASURE, at("warning", 8)),
            "article_3_rule_1",
        ),
        rule("article_2_rule_4", 2, 9, more, ir.EnumLit("Measure", "FINE", MEASURE, at("fine", 9)), "article_3_rule_1"),
    ]


def other_rules() -> dict[str, ir.RuleDef]:
    adult = ir.Cmp(
        ">=",
        field(root(6), "age", ir.INT, at("the age", 6)),
        ir.Lit(18, ir.INT, at("18", 6)),
        at("the age is at least 18", 6),
    )
    none_grave = ir.Quant(
        "no", offences(6), "offence", ir.DefRef("offence_is_grave", offence_var(6), ir.BOOL, at("grave", 6)),
        at("no offence is grave", 6),
    )  # fmt: skip
    resident = field(root(6), "resident", ir.BOOL, at("resident", 6))
    eligible = ir.And((adult, none_grave, resident), at("the age is at least 18 and no offence", 6))
    fine = field(offence_var(7), "fine", MONEY, at("fine", 7, 1), optional=True)
    given = ir.Known(replace(fine, span=at("the fine", 7, 1)), False, at("the fine is given", 7))
    total = ir.Agg("total", offences(7), "offence", fine, given, MONEY, at("the total fine among the offences", 7))
    stay = field(root(10), "stay", ir.DURATION, at("the stay", 10), optional=True)
    share = ir.ParamRef("SHARE", ir.NUMBER, at("the share", 10))
    part = ir.Arith("*", stay, share, ir.DURATION, at("the stay reduced by the share", 10))
    rest = ir.Arith("-", replace(stay, span=at("the stay reduced", 10)), part, ir.DURATION, at("reduced by", 10))
    reduced = ir.Round(rest, "down", "days", ir.DURATION, at("rounded down to whole days", 10))
    stay_given = ir.Known(replace(stay, span=at("the stay", 10, 1)), False, at("the stay is given", 10))
    fine_total = ir.DefRef("fine_total", None, MONEY, at("the fine total", 11))
    third = ir.Arith(
        "*", fine_total, replace(share, span=at("the share", 11)), MONEY, at("the fine total times the share", 11)
    )
    lesser = ir.MinMax("least", third, ir.ParamRef("LIMIT", MONEY, at("the limit", 11)), MONEY, at("the lesser of", 11))
    due = ir.Round(lesser, "half up", "cents", MONEY, at("rounded half up to cents", 11))
    start = ir.Lit(datetime.date(2022, 3, 1), ir.DATE, at("1 March 2022", 12))
    deadline = ir.Arith(
        "+", start, replace(stay, span=at("the stay", 12)), ir.DATE, at("1 March 2022 plus the stay", 12)
    )
    eligible_then = ir.DefRef("person_is_eligible", None, ir.BOOL, at("the person is eligible", 12))
    return {
        "person_is_eligible": rule("article_2_rule_1", 2, 6, eligible, yes(6)),
        "fine_total": rule("article_2_rule_2", 2, 7, None, total),
        "reduced_stay": rule("article_2_rule_5", 2, 10, stay_given, reduced),
        "fine_due": rule("article_2_rule_6", 2, 11, None, due),
        "deadline": rule("article_2_rule_7", 2, 12, eligible_then, deadline),
    }


def statute() -> ir.Checked:
    rules = other_rules()
    person = ir.RecordDef(
        "Person",
        "person",
        (
            ir.FieldDef("age", "age", ir.INT, False, 14, 100, at("age")),
            ir.FieldDef("resident", "resident", ir.BOOL, False, None, None, at("resident")),
            ir.FieldDef("stay", "stay", ir.DURATION, True, ir.Duration(0, 0), ir.Duration(120, 0), at("stay")),
            ir.FieldDef("offences", "offences", OFFENCES, False, None, None, at("offences")),
        ),
        at("person"),
    )
    offence = ir.RecordDef(
        "Offence",
        "offence",
        (
            ir.FieldDef("gravity", "gravity", GRAVITY, False, None, None, at("gravity")),
            ir.FieldDef(
                "date", "date", ir.DATE, False, datetime.date(2020, 1, 1), datetime.date(2030, 12, 31), at("date")
            ),
            ir.FieldDef("fine", "fine", MONEY, True, None, None, at("fine")),
        ),
        at("offence"),
    )
    enums = tuple(
        ir.EnumDef(ident, ident.lower(), tuple(ir.EnumValue(v.upper(), v, at("Title")) for v in values), at("Title"))
        for ident, values in [
            ("Gravity", ("minor", "serious", "grave")),
            ("Measure", ("none", "warning", "fine", "excluded")),
        ]
    )
    events = ir.Period(datetime.date(2022, 1, 4), datetime.date(2022, 1, 7))
    riots = ir.Citation(None, None, (Note("assumption", '"The riots."', at("Title")),))
    no_citation = ir.Citation(None, None, ())
    return ir.Checked(
        file=FILE,
        source=SOURCE,
        module="fines",
        title='"Fines"',
        header=(("title", '"Fines"'), ("passed", "the Council, 2022-01-01")),
        locale="en",
        in_force=None,
        root="Person",
        records=(person, offence),
        enums=enums,
        parameters=(
            ir.ParameterDef("EVENTS_PERIOD", "events period", ir.PERIOD, events, at("the events period"), riots),
            ir.ParameterDef("SHARE", "share", ir.NUMBER, Fraction(1, 3), at("the share"), no_citation),
            ir.ParameterDef("LIMIT", "limit", MONEY, Fraction(1000), at("the limit"), no_citation),
        ),
        definitions=(
            definition("offence_is_grave", "predicate", "Offence", ir.BOOL, grave_rules()),
            definition("person_is_eligible", "predicate", None, ir.BOOL, [rules["person_is_eligible"]]),
            definition("fine_total", "definition", None, MONEY, [rules["fine_total"]]),
            definition(
                "measure",
                "outcome",
                None,
                MEASURE,
                measure_rules(),
                ir.EnumLit("Measure", "NONE", MEASURE, at("Title")),
            ),
            definition("reduced_stay", "outcome", None, ir.DURATION, [rules["reduced_stay"]]),
            definition("fine_due", "outcome", None, MONEY, [rules["fine_due"]]),
            definition("deadline", "definition", None, ir.DATE, [rules["deadline"]]),
        ),
        outcomes=("measure", "reduced_stay", "fine_due"),
        examples=(),
        articles=ARTICLES,
    )
