"""The Python backend: the hand-built statute of backend_fines.py -> generated module -> decisions, errors, trace,
safety, typing."""

from __future__ import annotations

import ast
import datetime
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from backend_fines import ARTICLES, FILE, SOURCE, at, statute

from compiler.backends.python import naming
from compiler.backends.python.python import generate
from compiler.backends.python.python_text import unquoted
from compiler.frontend.syntax import Note
from compiler.model import ir


def load(source: str, directory: Path, name: str = "fines") -> ModuleType:
    path = directory / f"{name}.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the classes are made
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    yield load(generate(statute()), tmp_path_factory.mktemp("fines"))
    sys.modules.pop("fines", None)


def case(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"age": 30, "resident": True, "stay": "1 year 1 month", "offences": []}
    return data | changes


def offence(gravity: str = "minor", date: str = "2022-02-01", fine: object = "100.00") -> dict[str, Any]:
    return {"gravity": gravity, "date": date, "fine": fine}


# ------------------------------------------------------------------ decisions


def test_decisions_follow_the_rules(fines: ModuleType) -> None:
    decide, load_case, as_dict = fines.decide, fines.load_case, fines.decision_as_dict
    assert as_dict(decide(load_case(case(offences=[offence()])))) == {
        "measure": "warning",
        "reduced_stay": "8 months 20 days",  # 13 months less a third: 8 months and 2/3 month = 20 days
        "fine_due": "33.33",
    }
    grave_in_riots = offence("serious", "2022-01-05")
    assert decide(load_case(case(offences=[offence(), grave_in_riots]))).measure is fines.Measure.EXCLUDED
    minor_adult = load_case(case(age=16, offences=[offence(fine="0.05")]))
    assert as_dict(decide(minor_adult)) == {"measure": "none", "reduced_stay": "8 months 20 days", "fine_due": "0.02"}
    assert decide(load_case(case(stay=None))).reduced_stay is None
    assert fines.Gravity.GRAVE > fines.Gravity.SERIOUS  # values count in declaration order


def test_conflict_names_the_definition_and_both_rules(fines: ModuleType) -> None:
    person = fines.load_case(case(offences=[offence(fine="1500"), offence(fine="200")]))
    with pytest.raises(fines.ConflictError) as caught:
        fines.decide(person)
    message = str(caught.value)
    assert "measure" in message and "article_2_rule_3" in message and "article_2_rule_4" in message
    assert "Article 2" in message and "warning" in message and "fine" in message


def test_undecided_names_the_definition(fines: ModuleType) -> None:
    evaluation = fines.Evaluation(fines.load_case(case(age=15)))
    with pytest.raises(fines.UndecidedError, match="deadline: no rule applies"):
        evaluation.deadline()
    missing = fines.Evaluation(fines.load_case(case(stay=None)))
    with pytest.raises(fines.UndecidedError, match="deadline: the stay is not given"):
        missing.deadline()
    assert fines.Evaluation(fines.load_case(case())).deadline() == datetime.date(2023, 4, 1)


def test_case_level_definitions_are_computed_once(fines: ModuleType) -> None:
    evaluation = fines.Evaluation(fines.load_case(case(offences=[offence()])))
    assert evaluation.person_is_eligible() is evaluation.person_is_eligible() is True
    assert evaluation._person_is_eligible is True


# ------------------------------------------------------------------ reading a case


def test_load_case_lists_every_problem_with_record_and_field(fines: ModuleType) -> None:
    bad = case(age=True, stay="3 fortnights", gravty="x", offences=[offence(), offence("gravest", "2022-02-30", 12.5)])
    bad["offences"][0]["fine"] = 1.5  # a float read as it prints: accepted
    with pytest.raises(fines.CaseError) as caught:
        fines.load_case(bad | {"id": "case 7"})
    problems = {(p.path, p.field): p.reason for p in caught.value.problems}
    assert set(problems) == {
        ("person", "age"),
        ("person", "stay"),
        ("person", "gravty"),
        ("person.offences[1]", "gravity"),
        ("person.offences[1]", "date"),
    }
    assert "whole number" in problems[("person", "age")]
    assert "did you mean 'grave'" in problems[("person.offences[1]", "gravity")]
    assert "not one of: minor, serious, grave" in problems[("person.offences[1]", "gravity")]
    assert "person.offences[1].date" in str(caught.value)


def test_load_case_checks_bounds_requirements_and_shapes(fines: ModuleType) -> None:
    with pytest.raises(fines.CaseError) as caught:
        fines.load_case({"age": 120, "stay": "11 years", "offences": [3]})
    reasons = [str(p) for p in caught.value.problems]
    assert reasons == [
        "person.age: must be from 14 to 100, not 120",
        "person.resident: is required but missing",
        "person.stay: must be from 0 days to 10 years, not 11 years",
        "person.offences[0]: expected an object with the fields gravity, date, fine, not 3",
    ]


def test_load_case_reads_the_drafters_words_and_formats(fines: ModuleType) -> None:
    person = fines.load_case(case(stay="P1Y2M", offences=[offence("  The   SERIOUS ", fine=None) | {"fine": 7}]))
    assert person.offences[0].gravity is fines.Gravity.SERIOUS and person.offences[0].fine == Fraction(7)
    assert person.stay == fines.Duration(14, 0) and person.offences[0].gravity.text == "serious"


# ------------------------------------------------------------------ the trace


def test_trace_records_definitions_rules_and_atoms(fines: ModuleType) -> None:
    person = fines.load_case(case(offences=[offence("serious", "2022-01-05")]))
    trace = fines.Trace()
    assert fines.decide(person, trace) == fines.decide(person)
    events = trace.events
    kinds = [type(e).__name__ for e in events]
    assert kinds[0] == "TraceEnter" and events[0].definition == "measure"
    enters = [e for e in events if isinstance(e, fines.TraceEnter)]
    assert [e.definition for e in enters][:2] == ["measure", "offence_is_grave"] and enters[
        1
    ].subject is person.offences[0]
    begun = [e.rule for e in events if isinstance(e, fines.TraceBeginRule)]
    assert begun[:3] == ["article_3_rule_1", "article_1_rule_1", "article_1_rule_2"]
    assert "article_2_rule_3" not in begun  # overridden by the exception that applied
    compares = {e.atom: e for e in events if isinstance(e, fines.TraceCompare)}
    first = compares[at("the gravity of the offence is at least grave").start]
    assert (first.left, first.right, first.result) == (fines.Gravity.SERIOUS, fines.Gravity.GRAVE, False)
    within = compares[at("the date is within the events period").start]
    assert within.right == fines.EVENTS_PERIOD and within.result is True
    leaves = [e for e in events if isinstance(e, fines.TraceLeave)]
    assert (leaves[0].value, leaves[0].rules) == (True, ("article_1_rule_2",))
    measure = next(e for e in reversed(leaves) if e.value is fines.Measure.EXCLUDED)
    assert measure.rules == ("article_3_rule_1",)
    assert all(isinstance(a, int) and a in fines.ATOMS for a in (e.atom for e in compares.values()))
    elements = [e for e in events if isinstance(e, fines.TraceElement)]
    assert elements and elements[0].index == 0 and elements[0].element is person.offences[0]


def test_trace_of_a_default_and_of_skipped_tests(fines: ModuleType) -> None:
    trace = fines.Trace()
    fines.decide(fines.load_case(case(age=15)), trace)
    leave = next(e for e in trace.events if isinstance(e, fines.TraceLeave) and e.value is fines.Measure.NONE)
    assert leave.rules == ()
    truths = [e for e in trace.events if isinstance(e, fines.TraceTruth)]
    assert any(e.atom == at("the person is eligible", 8).start and e.value is False for e in truths)


# ------------------------------------------------------------------ the module itself


def test_module_constants_and_docstrings(fines: ModuleType) -> None:
    assert fines.STATUTE.title == "Fines" and fines.STATUTE.file == FILE
    assert fines.OUTCOMES == ("measure", "reduced_stay", "fine_due")
    info = fines.RULES["article_2_rule_1"]
    assert (info.article, info.line, info.definition) == ("Article 2", 6, "person_is_eligible")
    assert info.words.startswith("Rule: the person is eligible")
    assert Fraction(1, 3) == fines.SHARE and Fraction(1000) == fines.LIMIT
    doc = fines.Evaluation.person_is_eligible.__doc__
    assert "Article 2. Measures" in doc and "Eligible persons get a warning" in doc and "We read it so." in doc
    assert "generated by `statute compile` from fines.statute; do not edit" in str(fines.__doc__).lower()


def test_generation_is_deterministic_and_parses() -> None:
    first, second = generate(statute()), generate(statute())
    assert first == second
    ast.parse(first)


@pytest.mark.slow
def test_generated_module_passes_mypy_strict(tmp_path: Path) -> None:
    pytest.importorskip("mypy")
    (tmp_path / "fines.py").write_text(generate(statute()), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "fines.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout


def test_generated_module_runs_under_isolated_python(tmp_path: Path) -> None:
    (tmp_path / "fines.py").write_text(generate(statute()), encoding="utf-8")
    script = "import sys; sys.path.insert(0, sys.argv[1]); import fines; print(fines.decide(fines.load_case({'age': 20, 'resident': False, 'offences': []})).measure.text)"  # noqa: E501
    result = subprocess.run([sys.executable, "-I", "-S", "-c", script, str(tmp_path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "none"


# ------------------------------------------------------------------ safety

HOSTILE = [
    '"""; __import__("os").system("x") #',
    "\\",
    "__import__('os').system('x')",
    "line\nbreak\r\n# comment",
    "}}{{ <script>alert(1)</script>",
    '\x00\u2028"',
]


def test_hostile_text_stays_text(tmp_path: Path) -> None:
    checked = statute()
    for n, text in enumerate(HOSTILE):
        checked = replace(
            checked,
            title=text,
            file=text,
            header=((text, text),),
            articles=tuple(replace(a, title=text, text=(text,)) for a in checked.articles),
            enums=tuple(
                replace(e, label=text, values=tuple(replace(v, text=f"{text} {i} {n}") for i, v in enumerate(e.values)))
                for e in checked.enums
            ),
            records=tuple(
                replace(r, label=text, fields=tuple(replace(f, label=text) for f in r.fields)) for r in checked.records
            ),
            parameters=tuple(
                replace(p, label=text, citation=ir.Citation(ARTICLES[0], text, (Note("note", text, p.span),)))
                for p in checked.parameters
            ),
            definitions=tuple(
                replace(
                    d,
                    label=text,
                    rules=tuple(
                        replace(
                            r,
                            citation=ir.Citation(
                                replace(ARTICLES[1], title=text), text, (Note("source", text, r.span),)
                            ),
                        )
                        for r in d.rules
                    ),
                )
                for d in checked.definitions
            ),
            source=SOURCE.replace("Rule:", text[:5].ljust(5)) if len(text) >= 5 else SOURCE,
        )
        source = generate(checked)
        tree = ast.parse(source)
        defined = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
        defined |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        defined |= {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}
        assert defined == _expected_names(), defined ^ _expected_names()
        called = {ast.unparse(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
        assert not {"__import__", "exec", "eval", "compile", "os.system", "open"} & called
        assert not any(isinstance(n, ast.Import | ast.ImportFrom) and n not in tree.body for n in ast.walk(tree))
        module = load(source, tmp_path, f"hostile_{n}")
        assert module.STATUTE.title == unquoted(text) and module.STATUTE.header == ((text, text),)
        assert module.decide(module.load_case(case())).measure.name == "WARNING"


def _expected_names() -> set[str]:
    source = generate(statute())
    tree = ast.parse(source)
    names = {n.name for n in tree.body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    names |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
    return names | {n.target.id for n in tree.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)}


@pytest.mark.parametrize(
    ("where", "bad"),
    [
        ("definition", "x; import os"),
        ("enum", "Gravity(object)"),
        ("rule", "a-b"),
        ("field", "__class__"),
    ],
)
def test_unsafe_identifiers_are_refused(where: str, bad: str) -> None:
    checked = statute()
    if where == "definition":
        checked = replace(checked, definitions=(replace(checked.definitions[0], ident=bad), *checked.definitions[1:]))
    elif where == "enum":
        checked = replace(checked, enums=(replace(checked.enums[0], ident=bad), checked.enums[1]))
    elif where == "rule":
        first = checked.definitions[0]
        checked = replace(
            checked,
            definitions=(
                replace(first, rules=(replace(first.rules[0], ident=bad), first.rules[1])),
                *checked.definitions[1:],
            ),
        )
    else:
        person = checked.records[0]
        checked = replace(
            checked,
            records=(
                replace(person, fields=(replace(person.fields[0], ident=bad), *person.fields[1:])),
                checked.records[1],
            ),
        )
    with pytest.raises(ValueError, match="not a safe Python identifier"):
        generate(checked)


def test_names_of_the_module_are_renamed_and_clashes_refused() -> None:
    """A record called like the runtime's class takes another name (naming.py); two names the same are refused."""
    assert (naming.name("Duration"), naming.name("Offence")) == ("Duration_", "Offence")
    checked = statute()
    twice = replace(checked.records[1], ident=checked.records[0].ident)
    with pytest.raises(ValueError, match="clashes"):
        generate(replace(checked, records=(checked.records[0], twice)))


def test_generated_module_imports_only_the_standard_library() -> None:
    tree = ast.parse(generate(statute()))
    imported = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    imported |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}


# ------------------------------------------------------------------ loops: the statement forms of conditions

LOOPS = """Title: "Loops".

Each case is about a person.

A person has:
  - age: whole number from 0 to 120;
  - charges: list of charge.

A charge has:
  - gravity: one of minor, medium, grave;
  - sentence: duration from 0 days to 30 years;
  - fine: whole number from 0 to 1000, optional;
  - proven: yes or no.

Outcome the verdict: one of clear, flagged, heavy; by default clear.
Outcome the longest proven: duration, optional.
Outcome the total fine: whole number.
Definition the heaviest: a gravity.

Article 1. Charges

Rule: a charge is costly if the fine of the charge is at least 100.
Rule: a charge is costly if the gravity of the charge is grave and the charge is proven.
Rule: a charge is serious if the charge is costly and (the charge is proven or the age is at least 18).

Article 2. Verdicts

Rule: the heaviest is the greatest gravity among the charges.
Rule: the verdict is heavy if the number of charges is at least 1 and the heaviest is grave and any charge is serious.
Rule: the verdict is flagged if (every charge is proven or no charge is serious) and not (any charge is costly)
  and the number of charges is at least 2.
Rule: the longest proven is the greatest sentence among the charges counting a month as 30 days
  where the charge is serious.
Rule: the total fine is the total fine among the charges where the fine is given.
"""


@pytest.fixture(scope="module")
def loops(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    from compiler.check.check import check
    from compiler.frontend.parse import parse

    yield load(generate(check(parse(LOOPS, "loops.statute"))), tmp_path_factory.mktemp("loops"), "loops")
    sys.modules.pop("loops", None)


def charge(gravity: str = "minor", fine: int | None = None, proven: bool = True) -> dict[str, Any]:
    found = {"gravity": gravity, "sentence": "1 year", "proven": proven}
    return found if fine is None else found | {"fine": fine}


def outcome(module: ModuleType, data: dict[str, Any], traced: bool) -> object:
    """The decision as a dict, or the error's type and message; traced, also the events."""
    trace = module.Trace() if traced else None
    try:
        result: object = module.decision_as_dict(module.decide(module.load_case(data), trace))
    except module.DecisionError as exc:
        result = (type(exc).__name__, str(exc))
    return (result, trace.events) if trace is not None else result


def test_loops_decide_alike_with_and_without_a_trace(loops: ModuleType) -> None:
    """The plain form's loops (predicates written into them) and the traced form's decide every case alike."""
    cases = [
        {"age": age, "charges": [charge(g, fine, proven) for g, fine, proven in charges]}
        for age in (17, 18)
        for charges in (
            [],
            [("grave", 50, True)],
            [("minor", 150, False), ("grave", 0, False)],
            [("medium", 10, True), ("minor", 20, True)],
            [("medium", 10, False), ("grave", 500, False), ("minor", 0, True)],
        )
    ]
    for data in cases:
        plain, (traced, _) = outcome(loops, data, False), outcome(loops, data, True)
        assert plain == traced, data
    heavy = {"age": 40, "charges": [charge("minor", 10, True), charge("grave", 500, False)]}
    assert outcome(loops, heavy, False) == {"verdict": "heavy", "longest_proven": "1 year", "total_fine": 510}
    none = {"age": 40, "charges": [charge("minor", 10, True), charge("medium", 20, True)]}  # flagged, none serious
    reason = (
        "the greatest sentence among the charges counting a month as 30 days where the charge is serious:"
        " there are none"
    )
    assert outcome(loops, none, False) == ("UndecidedError", f"cannot decide the longest proven: {reason}")
    assert loops.Evaluation(loops.load_case(none)).verdict() is loops.Verdict.FLAGGED


def test_a_predicate_written_into_a_loop_still_names_itself(loops: ModuleType) -> None:
    """A fact missing inside the predicate the plain loop inlines: the error names that predicate, as the call did."""
    data = {"age": 40, "charges": [charge("grave", None, False)]}
    message = "cannot decide the charge is costly: fine of the charge is not given"
    assert outcome(loops, data, False) == ("UndecidedError", message)
    assert outcome(loops, data, True)[0] == ("UndecidedError", message)  # type: ignore[index]


def test_traced_loops_report_each_element_and_predicate(loops: ModuleType) -> None:
    data = {"age": 40, "charges": [charge("minor", 10, True), charge("grave", 500, True)]}
    _, events = outcome(loops, data, True)  # type: ignore[misc]
    elements = [(e.atom, e.index) for e in events if isinstance(e, loops.TraceElement)]
    atom = LOOPS.index("any charge is serious")
    assert [index for a, index in elements if a == atom] == [0, 1]  # the loop stops at the first serious charge
    entered = [e.definition for e in events if isinstance(e, loops.TraceEnter)]
    # the aggregate's `where` asks the predicate with the trace on: each charge reports itself
    assert entered.count("charge_is_serious") == 2 + 2
    leave = next(e for e in events if isinstance(e, loops.TraceLeave) and e.value is loops.Verdict.HEAVY)
    assert leave.rules == ("article_2_rule_2",)
