"""Formulas (docs/language.md section 10, "Formulas"): a named computation with typed inputs, used by several rules,
one test or more per stage and command.

tests/statutes/two_bracket_income_tax.statute (Catala's tutorial tax, told again in this project's words) uses a
formula of two cases twice with other rates; statutes/us_irc_121.statute uses one for the reduced limit of (c), three
times. The differential tests (tests/test_differential.py) decide both with the module and the interpreter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from statute_snippets import VOCABULARY, check_diagnostics, checked, errors, parse_errors, the_error, warnings_of

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.check.check import check
from compiler.commands.cli import main
from compiler.driver.build import load_module
from compiler.frontend import syntax as s
from compiler.frontend.parse import parse, parse_file
from compiler.interpret.decide import decide
from compiler.interpret.engine import InterpreterEvaluator
from compiler.model import ir
from compiler.model.evaluator import Decision

ROOT = Path(__file__).resolve().parent
STATUTE = ROOT / "statutes" / "two_bracket_income_tax.statute"
IRC_121 = ROOT.parent / "statutes" / "us_irc_121.statute"


@pytest.fixture(scope="module")
def statute() -> ir.Checked:
    return check(parse_file(STATUTE))


def _rule(value: str, condition: str = "") -> str:
    return f"Article 2. Uses\nRule: the limit is {value}{' if ' + condition if condition else ''}.\n"


FORMULAS = """\
Article 1. Levies
Formula the levy of an amount: money, given a share: percentage, gives money:
  the amount times the share rounded down to whole cents.
Formula the flat fee, given a count: whole number and a severity: a gravity, gives money:
  - 100 USD times the count if the severity is at least grave;
  - otherwise 10 USD times the count.
"""


# ------------------------------------------------------------------ parse


def test_a_formula_declares_its_inputs_result_and_cases() -> None:
    statute = parse(VOCABULARY + FORMULAS, "test.statute")
    levy, fee = (x for x in statute.statements if isinstance(x, s.Formula))
    assert (levy.name.key, [i.name.key for i in levy.inputs], levy.of_input) == ("levy", ["amount", "share"], True)
    assert isinstance(levy.result, s.MoneyType) and [c.condition for c in levy.cases] == [None]
    assert ([i.name.key for i in fee.inputs], fee.of_input) == (["count", "severity"], False)
    assert [c.condition is None for c in fee.cases] == [False, True]  # the last is "otherwise"
    assert fee.provenance.article is not None and fee.provenance.article.label == "Article 1"


def test_a_call_names_each_input_after_given() -> None:
    (rule,) = [x for x in parse(VOCABULARY + _rule(
        "the levy of the gain, given a share of 10%"), "t").statements if isinstance(x, s.Rule)]  # fmt: skip
    call = rule.value
    assert isinstance(call, s.Call) and isinstance(call.head, s.Ref)
    assert call.head.name.key == "levy of gain" and [a.name.key for a in call.args] == ["share"]
    (rule,) = [x for x in parse(VOCABULARY + _rule(
        "the levy of 100 USD, given a share of the reduction"), "t").statements if isinstance(x, s.Rule)]  # fmt: skip
    call = rule.value
    assert isinstance(call, s.Call) and isinstance(call.head, s.CallOf)  # "of" before a number: the value
    assert call.args[0].value is None and call.args[0].name.key == "share of reduction"  # cut by the checker


def test_a_formula_without_its_last_otherwise_does_not_parse() -> None:
    source = VOCABULARY + "Formula the fee, given a count: whole number, gives money:\n  - 1 USD if the count is 1;\n"
    assert parse_errors(source + "  - 2 USD if the count is 2.\n")


# ------------------------------------------------------------------ check


def test_calls_are_checked_against_the_formula_and_ordered_as_declared() -> None:
    result = checked(FORMULAS + _rule("the flat fee, given a severity of minor and a count of the age"))
    (limit,) = (d for d in result.definitions if d.ident == "limit")
    call = limit.rules[0].value
    assert isinstance(call, ir.Call) and call.formula == "flat_fee"
    assert isinstance(call.args[0], ir.FieldRef) and isinstance(call.args[1], ir.EnumLit)  # count, then severity
    assert [f.ident for f in result.formulas] == ["levy", "flat_fee"]
    assert "the formula 'levy' is never used" in warnings_of(result)
    assert "the formula 'flat fee' is never used" not in warnings_of(result)


@pytest.mark.parametrize(
    ("value", "message", "hint"),
    [
        ("the levy of the gain", "the levy needs a share, which is not given", "given a share of ..."),
        ("the levy of the gain, given a share of 5 USD", "the share of the levy is a percentage, but this is", None),
        (
            "the levy of the gain, given a shore of 5%",
            "the formula 'levy' has no input 'shore'",
            "did you mean 'share'",
        ),
        ("the lovy of the gain, given a share of 5%", "'lovy' is not a formula of this statute", "did you mean 'levy'"),
        ("the levy of the gain, given a share of 5%, a share of 6%", "the share of the levy is given twice", None),
        ("the gain, given a share of 5%", "'gain' is not a formula of this statute", None),
        ("the flat fee of the age, given a severity of minor", "takes all its inputs after 'given'", None),
        ("the levy of the gain, given a share of 5% rounded down to whole cents", None, None),
    ],
)
def test_a_call_must_give_each_input_once_with_a_value_of_its_type(
    value: str, message: str | None, hint: str | None
) -> None:
    if message is None:  # rounding after a call's last input: a syntax error, the call must be bracketed
        with pytest.raises(Exception):  # noqa: B017
            checked(FORMULAS + _rule(value))
        return
    error = the_error(FORMULAS + _rule(value))
    assert message in error.message
    assert hint is None or (error.hint is not None and hint in error.hint)


def test_a_formula_may_not_use_itself_directly_or_through_another() -> None:
    body = (
        "Article 1. Loops\n"
        "Formula the spin of an amount: money, gives money: the twirl of the amount.\n"
        "Formula the twirl of an amount: money, gives money: the spin of the amount.\n"
        "Formula the loop of an amount: money, gives money: the loop of the amount.\n"
    ) + _rule("the spin of the gain plus the loop of the gain")
    found = errors(check_diagnostics(body))
    messages = sorted(d.message for d in found)
    assert messages == [
        "the formula 'loop' uses itself",
        "the formula 'spin' uses itself (the spin uses the twirl; the twirl uses the spin)",
    ]
    loop = next(d for d in found if "loop" in d.message)
    lines = body.splitlines()
    assert lines[loop.span.line - VOCABULARY.count("\n") - 1].startswith("Formula the loop")
    assert loop.span.column == lines[3].index("loop of the amount.") + 1  # at the use, not the declaration
    assert loop.hint is not None and "cannot use itself" in loop.hint


@pytest.mark.parametrize(
    ("formula", "message"),
    [
        (
            "Formula the fee of an age: whole number, gives money: 1 USD.",
            "the input 'age' has the name of the fact 'age'",
        ),
        ("Formula the fee of a reduction: decimal, gives money: 1 USD.", "has the name of the parameter 'reduction'"),
        ("Formula the limit of an amount: money, gives money: 1 USD.", "'limit' is already the definition 'limit'"),
        ("Formula the fee of an amount: money, gives money: the gain.", "reads only its inputs and the parameters"),
        ("Formula the fee of an amount: money, gives money: 1 USD if the amount is 0 USD.", None),
        ("Formula the fee of an amount: money, gives money: the amount times 2%.", "say how to round it"),
        ("Formula the fee of an amount: money, gives whole number: the amount.", "but this gives an amount of money"),
        ("Formula the fee of an item: a charge, gives money: 1 USD.", "a formula works on single values"),
    ],
)
def test_a_formula_reads_only_its_inputs_named_apart_and_gives_its_type(formula: str, message: str | None) -> None:
    if message is None:  # one value with a condition: "if" has no place in a formula of one value
        assert parse_errors(VOCABULARY + formula + "\n")
        return
    assert message in the_error(f"Article 1. Fees\n{formula}\n").message


def test_a_formula_uses_parameters_and_other_formulas() -> None:
    body = (
        "Parameter the levy share: 75%.\n"
        + FORMULAS
        + (
            "Formula the reduced levy of an amount: money, gives money:\n"
            "  the levy of the amount, given a share of the levy share.\n"
        )
        + _rule("the reduced levy of the gain")
    )
    result = checked(body)
    assert [f.ident for f in result.formulas].index("levy") < [f.ident for f in result.formulas].index("reduced_levy")
    assert "the parameter 'levy share' is never used" not in warnings_of(result)
    module = load_module(result)
    case = {"role": "civilian", "stage": "on trial", "age": 30, "gain": "1000.00", "rate": "0", "name": "x",
            "cooperated": False, "charges": []}  # fmt: skip
    assert module.Evaluation(module.load_case(case)).limit() == 750  # 1,000 USD times 75%
    interpreter = InterpreterEvaluator(result, GeneratedEvaluator(result, module))
    worked = interpreter.work_out(interpreter.read_case(case), "limit").result
    assert isinstance(worked, Decision) and getattr(worked.values["limit"], "amount", None) == 750


# ------------------------------------------------------------------ the module and the interpreter


@pytest.mark.parametrize(
    ("case", "tax"),
    [
        ({"income": "230000.00", "dependent_children": 0}, "72000.00"),
        ({"income": "150000.00", "dependent_children": 2}, "30000.00"),
        ({"income": "12345.67", "dependent_children": 3}, "1851.85"),
        ({"income": "9999.99", "dependent_children": 5}, "0.00"),
    ],
)
def test_the_module_and_the_interpreter_apply_the_formula_alike(
    statute: ir.Checked, case: dict[str, object], tax: str
) -> None:
    module = load_module(statute)
    assert module.decision_as_dict(module.decide(module.load_case(case))) == {"income_tax": tax}
    assert decide(statute, case) == {"income_tax": tax}


def test_the_module_holds_a_function_citing_its_article(tmp_path: Path) -> None:
    assert main(["compile", str(STATUTE), "-o", str(tmp_path)]) == 0
    source = (tmp_path / "two_bracket_income_tax.py").read_text(encoding="utf-8")
    header = (
        "def two_bracket_tax(amount: Fraction, breakpoint_: Fraction, lower_rate: Fraction, upper_rate: Fraction) "
        "-> Fraction:"
    )
    assert header in source or header.replace("breakpoint_", "breakpoint") in source
    start = source.index("def two_bracket_tax(")
    function = source[start : source.index("\n\n\n", start)]
    assert "Declared in Article 1. Tax in two brackets." in function
    assert "    if amount <= " in function and function.count("return ") == 2
    assert source.count("two_bracket_tax(taxpayer") + source.count("two_bracket_tax(individual") >= 2


# ------------------------------------------------------------------ commands


@pytest.mark.parametrize(
    ("lang", "formula", "value", "income"),
    [
        ("en", "formula two-bracket tax", "that is 30,000.00 USD", "150,000.00 USD"),
        ("ru", "формула «two-bracket tax»", "то есть 30 000,00 USD", "150 000,00 USD"),
    ],
)
@pytest.mark.parametrize("form", ["text", "markdown", "html"])
def test_explanations_show_the_inputs_the_case_and_the_result(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, formula: str, value: str, income: str, form: str
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"income": "150000.00", "dependent_children": 2}), encoding="utf-8")
    assert main(["explain", str(STATUTE), "--case", str(case), "--lang", lang, "--format", form, "--no-changes"]) == 0
    text = capsys.readouterr().out
    assert formula in text and value in text
    assert f"the income ({income})" in text  # the call's input, in the rule's words
    assert f"the amount ({income}) is at most the breakpoint" in text  # the case that did not apply
    assert "a lower rate of 15%" in text


def test_the_prover_puts_the_formula_in_place(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("z3")
    main(["prove", str(STATUTE)])
    report = capsys.readouterr().out
    assert "2 guarantees: 2 proved, 0 fail" in report
    broken = tmp_path / "broken.statute"
    broken.write_text(STATUTE.read_text(encoding="utf-8").replace("income times 30%", "income times 29%"), "utf-8")
    main(["prove", str(broken)])
    report = capsys.readouterr().out
    assert "FAILS       A family pays at most 30% of its income" in report
    assert "confirmed by the evaluator" in report
    main(["prove", str(IRC_121)])
    assert "0 fail" in capsys.readouterr().out


def test_test_run_report_and_diff_work_through_the_formula(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["test", str(STATUTE), "--examples", "200"]) == 0
    cases = tmp_path / "cases.jsonl"
    assert main(["synth", str(STATUTE), "--n", "40", "--out", str(cases)]) == 0
    out, interpreted = tmp_path / "module.jsonl", tmp_path / "interpreter.jsonl"
    assert main(["run", str(STATUTE), "--cases", str(cases), "--out", str(out)]) == 0
    main(["run", str(STATUTE), "--cases", str(cases), "--out", str(interpreted), "--engine", "interpreter"])
    assert out.read_text(encoding="utf-8") == interpreted.read_text(encoding="utf-8")
    report = tmp_path / "report.html"
    assert main(["report", str(STATUTE), "--cases", str(cases), "--out", str(report)]) == 0
    amended = tmp_path / "amended.statute"
    amended.write_text(STATUTE.read_text(encoding="utf-8").replace("lower rate of 20%", "lower rate of 25%"), "utf-8")
    capsys.readouterr()
    main(["diff", str(STATUTE), str(amended), "--cases", str(cases)])
    assert "income tax" in capsys.readouterr().out
    assert main(["schema", str(STATUTE)]) == 0
