"""statute prove: guarantees proved or refuted for every case within the declared domains, conflicts and gaps found.

The encoding is checked against the generated evaluator (the statutes' examples and case files decide alike in
both), calendar arithmetic against the runtime, and faulty variants of the amnesty statute (tests/statutes/) must
be caught with witnesses that the evaluator confirms.
"""

from __future__ import annotations

import datetime
import json
import random
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

z3 = pytest.importorskip("z3")

from compiler.check.check import check  # noqa: E402
from compiler.commands import prove as prove_cli  # noqa: E402
from compiler.commands.prove import confirmer as confirmer_for  # noqa: E402
from compiler.commands.prove import prove_command  # noqa: E402
from compiler.frontend.parse import parse_file  # noqa: E402
from compiler.interpret.read import read_case  # noqa: E402
from compiler.interpret.requirements import broken_requirements  # noqa: E402
from compiler.model import ir  # noqa: E402
from compiler.model.evaluator import Decision, Evaluator  # noqa: E402
from compiler.model.kinds import Kind  # noqa: E402
from compiler.prove import render_report  # noqa: E402
from compiler.prove.calendar import add_duration  # noqa: E402
from compiler.prove.confirm import Confirmer  # noqa: E402
from compiler.prove.prover import Answer, Prover, prove  # noqa: E402
from compiler.prove.report import FAILS, NOT_PROVED, PROVED, UNKNOWN, ProofReport, Witness  # noqa: E402
from compiler.values import Duration, add_to_date, order_hangs_on_month  # noqa: E402

ROOT = Path(__file__).parent.parent
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
IRC = ROOT / "statutes" / "us_irc_121.statute"
VARIANTS = Path(__file__).parent / "statutes"

_REPORTS: dict[Path, ProofReport] = {}


def checked(path: Path) -> ir.Checked:
    return check(parse_file(path))


def proved(c: ir.Checked) -> ProofReport:
    """The proof of `c`, its witnesses re-run in its generated module (as `statute prove` does)."""
    return prove(c, max_list=3, timeout_s=30, confirmer=confirmer_for(c))


def report(path: Path) -> ProofReport:
    """One proof per statute for the whole test run: each takes a few seconds."""
    if path not in _REPORTS:
        _REPORTS[path] = proved(checked(path))
    return _REPORTS[path]


def by_ident(r: ProofReport, ident: str) -> Any:
    return next(g for g in r.guarantees if g.ident == ident)


# ------------------------------------------------------------------ the real statutes


@pytest.mark.parametrize("path", [AMNESTY, IRC], ids=["amnesty", "irc"])
def test_real_statutes_prove_every_guarantee_with_no_conflict_or_gap(path: Path) -> None:
    r = report(path)
    assert r.guarantees, "the statute has guarantees to prove"
    assert [(g.ident, g.status, g.reason) for g in r.guarantees if g.status != PROVED] == []
    assert r.failing_findings == ()
    assert r.all_well
    assert r.evaluator_note == ""


def test_the_amnesty_rule_switched_off_by_a_parameter_is_reported_as_never_applying() -> None:
    dead = [f for f in report(AMNESTY).findings if f.check == "never applies" and f.status == "found"]
    assert [(f.definition, f.line) for f in dead] == [("charge is due for release", 159)]
    assert "parameters" in dead[0].detail


def test_report_text_names_the_domain_and_each_result() -> None:
    text = render_report(report(AMNESTY))
    assert "lists of up to 3 records" in text
    assert text.count("proved for all cases within the declared domains") == len(report(AMNESTY).guarantees)
    assert "No one convicted of terrorism is released (Article 5; line 218)" in text
    assert "Summary: 7 guarantees: 7 proved, 0 fail" in text
    # derived from an exception of each charge's measure, for every charge
    assert "Article 5: for every charge, whenever the person is disqualified and the charge is covered, its " in text
    assert "Time per guarantee: guarantee_1 " in text


# ------------------------------------------------------------------ faulty variants


def test_a_release_overriding_the_exclusions_breaks_the_article_5_guarantees() -> None:
    r = report(VARIANTS / "amnesty_faulty_release.statute")
    g = by_ident(r, "guarantee_1")
    assert g.status == FAILS, g
    assert g.witness is not None and g.witness.confirmed is True
    assert "released from punishment" in g.witness.evaluator
    # Article 6 names Article 5: the guarantees derived from Article 5 give way to it (issue 12)
    assert by_ident(r, "article_5_rule_4_excludes").status == PROVED
    assert (
        "unless an exception that prevails over it applies (Article 6)"
        in by_ident(r, "article_5_rule_4_excludes").title
    )
    terrorism = by_ident(r, "guarantee_1").witness.case
    assert any(c["category"] == "terrorist" and c["proven"] for c in terrorism["charges"])
    assert by_ident(r, "guarantee_3").status == PROVED
    assert not r.all_well
    text = render_report(r)
    assert "FAILS       No one convicted of terrorism is released" in text
    assert "confirmed by the evaluator" in text


def test_a_guarantee_in_a_chain_of_exceptions_gives_way_to_those_that_prevail_over_it() -> None:
    """The guarantee derived from Article 3, in the middle of a chain, failed for a recidivist whom Article 4
    lawfully refuses (issue 12): every guarantee of the correct statute is proved."""
    r = report(VARIANTS / "exception_chain_recidivist.statute")
    assert [(g.ident, g.status) for g in r.guarantees] == [
        ("article_4_rule_1_excludes", PROVED),
        ("article_3_rule_1_excludes", PROVED),
        ("article_2_rule_1_excludes", PROVED),
    ]
    assert [f for f in r.findings if f.status == "found"] == []


def test_a_rule_without_an_exception_conflicts_with_the_others() -> None:
    r = report(VARIANTS / "amnesty_conflict.statute")
    conflicts = [f for f in r.findings if f.check == "conflict" and f.status == "found"]
    assert conflicts and all(f.definition == "amnesty measure" for f in conflicts)
    assert all("Article 6" in f.rules[1] for f in conflicts)
    for f in conflicts:
        assert f.witness is not None and f.witness.confirmed is True, f
        assert "ConflictError" in f.witness.evaluator
        charges = f.witness.case["charges"]
        assert isinstance(charges, list) and len(charges) == 1  # the witness is made small
    assert not r.all_well


def test_the_conflict_witness_is_made_small_on_a_machine_a_hundred_times_slower(monkeypatch: Any) -> None:
    """The witness above had 2 charges now and then under load: the searches for a smaller one had 2 seconds of
    wall time each, and ran out. They are now limited in the solver's own steps, which a busy machine does not
    change. Here every wall-clock limit is cut a hundredfold (as if the machine were that much slower): the old
    2 seconds became 20 ms, and the witness kept more charges than needed."""
    set_option = z3.Solver.set

    def slower(self: Any, *args: Any, **kwargs: Any) -> Any:
        if args[:1] == ("timeout",):
            args = ("timeout", max(1, args[1] // 100))
        return set_option(self, *args, **kwargs)

    monkeypatch.setattr(z3.Solver, "set", slower)
    c = checked(VARIANTS / "amnesty_conflict.statute")
    prover = Prover(c, 3, 3000, confirmer_for(c))  # 3000 s, 30 s on the slow machine: each needs < 2
    conflicts = [f for f in prover.conflicts(c.definition("amnesty_measure")) if f.status == "found"]
    assert conflicts
    for f in conflicts:
        assert f.witness is not None and f.witness.confirmed is True, f
        charges = f.witness.case["charges"]
        assert isinstance(charges, list) and len(charges) == 1


def test_an_outcome_without_its_default_has_a_gap() -> None:
    r = report(VARIANTS / "amnesty_gap.statute")
    gaps = [f for f in r.findings if f.check == "gap" and f.status == "found"]
    assert [g.definition for g in gaps] == ["amnesty measure"]
    assert gaps[0].witness is not None and gaps[0].witness.confirmed is True
    assert "UndecidedError" in gaps[0].witness.evaluator
    assert all(g.status == PROVED for g in r.guarantees)
    assert not r.all_well


def test_an_unsupported_construct_is_reported_as_not_proved() -> None:
    r = report(VARIANTS / "unsupported_nested_list.statute")
    assert [g.status for g in r.guarantees] == [NOT_PROVED, NOT_PROVED]
    for g in r.guarantees:
        assert g.reason.startswith("unsupported construct at line 29 (a list inside a list element")
    assert any(f.status == NOT_PROVED for f in r.failing_findings)
    assert "not proved: unsupported construct at line 29" in render_report(r)
    assert not r.all_well


def test_an_unconfirmed_counterexample_is_a_failure_of_the_prover_not_a_proof() -> None:
    class Doubting(Confirmer):
        def guarantee(self, g: ir.GuaranteeDef, case: dict[str, object]) -> Witness:
            return Witness(case, False, "decided otherwise")

    c = checked(VARIANTS / "amnesty_faulty_release.statute")
    prover = Prover(c, 3, 30, Doubting(c, None))
    g = prover.guarantee(c.guarantees[0])
    assert g.status == NOT_PROVED and "NOT confirmed" in g.reason
    r = ProofReport(c.file, c.title, 3, 30, (g,), (), g.seconds, "")
    assert "NOT confirmed by the evaluator" in render_report(r)


def test_a_timeout_is_reported_as_unknown() -> None:
    class Slow(Prover):
        def ask(self, goal: Any, *more: Any, seconds: float | None = None) -> Answer:
            return Answer("unknown", None, 30.0, "timeout")

    c = checked(AMNESTY)
    prover = Slow(c, 3, 30, Confirmer(c, None))
    g = prover.guarantee(c.guarantees[0])
    assert (g.status, g.reason) == (UNKNOWN, "unknown (timeout)")


# ------------------------------------------------------------------ the encoding against the evaluator


def _pinned_outcomes(prover: Prover, case: dict[str, object]) -> dict[str, object]:
    """The outcomes the encoding gives one fixed case, in the form decision_as_dict uses (or the error)."""
    solver = z3.Solver()
    solver.add(*prover.base, *prover.domain.pin(case))
    assert solver.check() == z3.sat
    model = solver.model()
    out: dict[str, object] = {}
    for ident in prover.checked.outcomes:
        d = prover.checked.definition(ident)
        term = prover.model.instance(ident, None).term

        def ev(x: Any) -> Any:
            return model.eval(x, model_completion=True)

        if not z3.is_true(ev(term.ok)):
            return {"error": True}
        if not z3.is_true(ev(term.present)):
            out[ident] = None
        elif d.type.kind is Kind.ENUM:
            assert d.type.name is not None
            out[ident] = prover.checked.enum(d.type.name).values[ev(term.value).as_long() - 1].text
        elif d.type.kind is Kind.DURATION:
            months, days = (_fraction(ev(v)) for v in term.value)
            out[ident] = Duration(int(months), days).total_days
        else:
            out[ident] = _fraction(ev(term.value))
    return out


def _fraction(value: Any) -> Fraction:
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    return Fraction(value.numerator_as_long(), value.denominator_as_long())


def _evaluator_outcomes(evaluator: Evaluator | None, prover: Prover, case: dict[str, object]) -> dict[str, object]:
    assert evaluator is not None
    decision = evaluator.decide(evaluator.read_case(case))
    if not isinstance(decision, Decision):
        return {"error": True}
    out: dict[str, object] = {}
    for ident in prover.checked.outcomes:
        value: Any = decision.values[ident]
        if value is None or isinstance(value, Duration) or hasattr(value, "total_days"):
            out[ident] = None if value is None else value.total_days
        elif hasattr(value, "text"):
            out[ident] = value.text
        else:
            out[ident] = Fraction(value)
    return out


@pytest.mark.parametrize("path", [AMNESTY, IRC], ids=["amnesty", "irc"])
def test_the_encoding_decides_every_example_as_the_evaluator_does(path: Path) -> None:
    c = checked(path)
    confirmer = confirmer_for(c)
    assert confirmer.evaluator is not None, confirmer.note
    prover = Prover(c, 3, 30, confirmer)
    for example in c.examples:
        case = example.case
        assert _pinned_outcomes(prover, case) == _evaluator_outcomes(confirmer.evaluator, prover, case), example.title


def test_the_encoding_decides_the_amnesty_case_file_as_the_evaluator_does() -> None:
    c = checked(AMNESTY)
    confirmer = confirmer_for(c)
    prover = Prover(c, 3, 30, confirmer)
    lines = (ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl").read_text(encoding="utf-8").splitlines()
    cases = [json.loads(line) for line in lines[::3] if line.strip()]
    for case in cases:
        case.pop("id", None)
        if len(case.get("charges", [])) > 3:
            continue
        assert _pinned_outcomes(prover, case) == _evaluator_outcomes(confirmer.evaluator, prover, case), case


def _hangs_on_month(f: ir.FieldDef, months: int, days: int) -> bool:
    """A duration whose place against the field's bounds hangs on a month's length (docs/language.md, section 10)."""
    if f.thirty_day_bounds or not isinstance(f.low, ir.Duration) or not isinstance(f.high, ir.Duration):
        return False
    value, low, high = Duration(months, days), Duration(f.low.months, f.low.days), Duration(f.high.months, f.high.days)
    return order_hangs_on_month(low, value) or order_hangs_on_month(value, high)


def _random_case(c: ir.Checked, rng: random.Random, record: str) -> dict[str, object]:
    """A random case within the declared domains, leaning to the amnesty's interesting corners (riot dates,
    grave crimes, sentences being served, facts left out)."""
    out: dict[str, object] = {}
    for f in c.record(record).fields:
        kind = f.type.kind
        if kind is Kind.LIST:
            assert f.type.name is not None
            out[f.ident] = [_random_case(c, rng, f.type.name) for _ in range(rng.randint(0, 3))]
        elif f.optional and rng.random() < 0.4:
            continue
        elif kind is Kind.BOOL:
            out[f.ident] = rng.random() < 0.5
        elif kind is Kind.INT:
            least, most = (f.low, f.high) if isinstance(f.low, int) and isinstance(f.high, int) else (0, 100)
            out[f.ident] = rng.randint(least, most)
        elif kind is Kind.ENUM:
            assert f.type.name is not None
            values = c.enum(f.type.name).values
            out[f.ident] = values[rng.choice([0, 0, rng.randrange(len(values))])].text
        elif kind is Kind.DATE:
            low = f.low if isinstance(f.low, datetime.date) else datetime.date(2021, 1, 1)
            high = f.high if isinstance(f.high, datetime.date) else datetime.date(2031, 1, 1)
            riots = datetime.date(2022, 1, 4) + datetime.timedelta(days=rng.randint(-1, 4))
            day = riots if rng.random() < 0.6 else low + datetime.timedelta(days=rng.randint(0, 3000))
            out[f.ident] = min(max(day, low), high).isoformat()
        elif kind is Kind.DURATION:
            most = f.high.total_days if isinstance(f.high, ir.Duration) else 4000
            months = rng.randint(0, most // 30)
            days = rng.randint(0, min(40, most - 30 * months))
            out[f.ident] = f"{months} months {days} days"
            if _hangs_on_month(f, months, days):  # the case reader refuses it: the same length in days
                out[f.ident] = f"{30 * months + days} days"
        elif kind in (Kind.MONEY, Kind.NUMBER):
            out[f.ident] = str(rng.randint(0, 1_000_000))
        else:
            out[f.ident] = ""
    return out


@pytest.mark.parametrize("path", [AMNESTY, IRC], ids=["amnesty", "irc"])
def test_the_encoding_decides_random_cases_as_the_evaluator_does(path: Path) -> None:
    """Outcomes and errors alike (a missing fact the decision needs makes both stop)."""
    c = checked(path)
    confirmer = confirmer_for(c)
    prover = Prover(c, 3, 30, confirmer)
    rng = random.Random(20221102)
    compared = 0
    for _ in range(80):  # a charge's sentence start before its act breaks a requirement: some are drawn again
        case = _random_case(c, rng, c.root)
        if broken_requirements(c, read_case(c, case)):
            continue  # a case the statute rejects: the proof assumes the requirements, so pinning it is unsat
        compared += 1
        assert _pinned_outcomes(prover, case) == _evaluator_outcomes(confirmer.evaluator, prover, case), case
    assert compared >= 40


# ------------------------------------------------------------------ calendar arithmetic

CALENDAR_STATUTE = """\
Title: "Calendar test".
Each case is about a person.
A person has:
  - start: date from 1 January 2024 to 31 December 2024;
  - term: duration from 0 days to 2 years.
Outcome the end: date.
Article 1. The end
Rule: the end is the start plus the term.
Guarantee "A month after 31 January 2024 is 1 March" (Article 1):
  if the start is 31 January 2024 and the term is 1 month counting a month as 30 days then the end is 1 March 2024.
Guarantee "The end is at most the term after the start, in days" (Article 1):
  the end minus the start is at most the term counting a month as 30 days.
Guarantee "Two years after 29 February 2024 is 1 March 2026" (Article 1):
  if the start is 29 February 2024 and the term is 2 years counting a month as 30 days then the end is 1 March 2026.
"""


def test_date_plus_months_in_a_statute_is_refuted_exactly_and_confirmed(tmp_path: Path) -> None:
    path = tmp_path / "calendar.statute"
    path.write_text(CALENDAR_STATUTE, encoding="utf-8")
    r = proved(checked(path))
    assert [g.status for g in r.guarantees] == [FAILS, FAILS, FAILS]
    assert all(g.witness is not None and g.witness.confirmed is True for g in r.guarantees)
    february, longer, leap = (g.witness for g in r.guarantees if g.witness is not None)
    assert february.case == {"start": "2024-01-31", "term": "1 month"}
    assert '"end": "2024-02-29"' in february.evaluator
    assert '"end": "2026-02-28"' in leap.evaluator
    start = datetime.date.fromisoformat(str(longer.case["start"]))
    months = Duration.parse(str(longer.case["term"]))
    assert (add_to_date(start, months) - start).days > months.total_days  # calendar months beat 30 days


@pytest.mark.parametrize(
    ("day", "months", "days"),
    [
        (datetime.date(2022, 1, 31), 1, 0),  # 28 February 2022
        (datetime.date(2024, 1, 31), 1, 0),  # 29 February 2024, a leap year
        (datetime.date(2024, 2, 29), 12, 0),  # 28 February 2025
        (datetime.date(2024, 2, 29), 48, 0),  # 29 February 2028
        (datetime.date(2024, 2, 29), -12, 0),
        (datetime.date(2000, 2, 29), 1200, 0),  # 2100 is not a leap year
        (datetime.date(2022, 3, 31), -1, 0),
        (datetime.date(2022, 8, 31), 1, 1),
        (datetime.date(2022, 11, 2), 12, 0),
        (datetime.date(2023, 12, 31), 2, 5),
        (datetime.date(1, 1, 1), 0, 0),
        (datetime.date(9999, 11, 30), 1, 0),
    ],
)
def test_date_plus_months_is_calendar_arithmetic_as_the_runtime_does_it(
    day: datetime.date, months: int, days: int
) -> None:
    x, m, d = z3.Ints("x m d")
    result, in_range = add_duration(x, m, d, 1)
    solver = z3.Solver()
    solver.add(x == day.toordinal(), m == months, d == days)
    assert solver.check() == z3.sat
    model = solver.model()
    expected = add_to_date(day, Duration(months, days))
    assert datetime.date.fromordinal(model.eval(result).as_long()) == expected
    assert z3.is_true(model.eval(in_range))


def test_31_january_plus_one_month_is_the_last_day_of_february() -> None:
    x, r = z3.Int("x"), z3.Int("r")
    for year, last in [(2022, 28), (2024, 29), (1900, 28), (2000, 29)]:
        solver = z3.Solver()
        solver.add(x == datetime.date(year, 1, 31).toordinal(), r == add_duration(x, z3.IntVal(1), z3.IntVal(0), 1)[0])
        assert solver.check() == z3.sat
        assert datetime.date.fromordinal(solver.model()[r].as_long()) == datetime.date(year, 2, last)


def test_every_day_of_four_years_plus_months_agrees_with_the_runtime() -> None:
    """Every day from 2023 to 2026 (a leap year among them), moved by a spread of months, back and forth."""
    x, m = z3.Ints("x m")
    result, _ = add_duration(x, m, z3.IntVal(0), 1)
    first = datetime.date(2023, 1, 1)
    for offset in range(0, 4 * 366, 3):
        day = first + datetime.timedelta(days=offset)
        for months in (1, -1, 11, 12, -12, 25, -49, 600):
            moved = z3.simplify(z3.substitute(result, (x, z3.IntVal(day.toordinal())), (m, z3.IntVal(months))))
            expected = add_to_date(day, Duration(months, 0))
            assert datetime.date.fromordinal(moved.as_long()) == expected, (day, months)


# ------------------------------------------------------------------ the command


def test_prove_command_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    assert prove_command(str(IRC), 3, 30) == 0
    out = capsys.readouterr().out
    assert "PROVED" in out and "lists of up to 3 records" in out
    assert prove_command(str(VARIANTS / "unsupported_nested_list.statute"), 2, 30) == 1
    assert "lists of up to 2 records" in capsys.readouterr().out
    assert prove_command(str(ROOT / "no-such.statute"), 3, 30) == 1


def test_prove_command_without_z3_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(prove_cli, "z3_available", lambda: False)
    assert prove_command(str(IRC), 3, 30) == 1
    err = capsys.readouterr().err
    assert "pip install 'statute-compiler[prove]'" in err


# ------------------------------------------------------------------ every message a true sentence

BEYOND_THE_CALENDAR = """Each case is about a person.
A person has:
  - start: date;
  - score: whole number from 0 to 10.

Outcome the release: date.
Outcome the flag: one of raised, lowered; by default lowered.

Article 1. Release

Rule: the release is the start plus 1 year.
Rule: the flag is raised if the score is at least 5.

Guarantee "Nothing is flagged in the last year of the calendar" (Article 1):
  if the start is after 31 December 9998 then the flag is lowered.
"""


def test_a_case_beyond_the_calendar_is_confirmed_as_undecidable_in_true_words(tmp_path: Path) -> None:
    """A CalendarError was read as no stop at all: "NOT confirmed by the evaluator: the evaluator stops was not
    reproduced (a fault of the prover)", then the CalendarError the evaluator stopped with."""
    path = tmp_path / "calendar.statute"
    path.write_text(BEYOND_THE_CALENDAR, encoding="utf-8")
    r = proved(checked(path))
    stops = next(f for f in r.findings if f.check == "stops")
    assert stops.witness is not None and stops.witness.confirmed is True and not stops.witness.decided
    assert stops.witness.evaluator.startswith("CalendarError: ")
    text = render_report(r)
    assert "confirmed by the evaluator: it cannot decide this case" in text
    assert "the evaluator gives no decision: CalendarError: " in text
    assert "was not reproduced" not in text and "the evaluator decides: CalendarError" not in text


def test_a_counterexample_the_evaluator_cannot_decide_is_not_confirmed(tmp_path: Path) -> None:
    """The only cases that break the guarantee are those whose release falls beyond the calendar: the evaluator
    decides none of them, so none is a confirmed counterexample (it was marked confirmed, the evaluator's text an
    error), and the report says that every case the evaluator decides keeps the guarantee."""
    path = tmp_path / "calendar.statute"
    path.write_text(BEYOND_THE_CALENDAR, encoding="utf-8")
    g = by_ident(proved(checked(path)), "guarantee_1")
    assert g.status == NOT_PROVED, g
    assert g.witness is not None and g.witness.confirmed is False and not g.witness.decided
    assert "every case it decides keeps the guarantee" in g.reason and "CalendarError" in g.reason
