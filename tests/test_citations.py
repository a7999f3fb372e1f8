"""Citations of another law as values ("Article 111 parts 1 to 4"), headings such as "Article 2 bis" and ranges of
articles ("Exception to Articles 1 to 2 bis"), one test or more per stage.

tests/statutes/jobseeker_allowance.statute (a benefit citing the Labour Code and the Penal Code) and the amnesty
(statutes/kz_amnesty_2022.statute, a charge's offence of the Penal Code) carry them through every command; the
runtime's reading and testing of citations (compiler/citations.py) is checked here against the interpreter's own
(compiler/interpret/values.py) on drawn citations.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from statute_snippets import VOCABULARY, checked, parse_source, the_error

from compiler.check.check import check
from compiler.citations import CitedProvisions, citation_text, cited, parse_citation, parse_cited, within
from compiler.commands.cli import main
from compiler.driver.build import load_module
from compiler.frontend.parse import parse_file
from compiler.interpret.decide import decide
from compiler.interpret.values import Cited, read_cited
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population.schema import case_schema

ROOT = Path(__file__).resolve().parent
STATUTE = ROOT / "statutes" / "jobseeker_allowance.statute"
CASE = {"age": 40, "months_insured": 30, "dismissal_ground": "Article 52 part 2", "convictions": []}
WITH_OFFENCE = VOCABULARY.replace("  - proven: yes or no.\n", "  - proven: yes or no;\n  - offence: citation.\n")


@pytest.fixture(scope="module")
def statute() -> ir.Checked:
    return check(parse_file(STATUTE))


# ------------------------------------------------------------------ the values: read, written, tested


@pytest.mark.parametrize(
    ("text", "items", "written"),
    [
        ("Article 111", [(111, 0, 0, 0)], "Article 111"),
        ("article 111  part 3", [(111, 0, 0, 3)], "Article 111 part 3"),
        ("Article 111 parts 1 to 4", [(111, 0, 0, n) for n in (1, 2, 3, 4)], "Article 111 parts 1 to 4"),
        ("Article 228.1 part 3", [(228, 1, 0, 3)], "Article 228.1 part 3"),
        ("Article 106 parts 1 and 2", [(106, 0, 0, 1), (106, 0, 0, 2)], "Article 106 parts 1 and 2"),
        ("Article 3 bis", [(3, 0, 2, 0)], "Article 3 bis"),
        ("Article 5 parts 1, 2, 3 and 7", [(5, 0, 0, n) for n in (1, 2, 3, 7)], "Article 5 parts 1 to 3 and 7"),
        ("Article 256 parts 1 to 3, Article 255", None, "Article 255, Article 256 parts 1 to 3"),
        ("Article 5 part 2, Article 5", [(5, 0, 0, 0)], "Article 5"),  # the whole article takes in its parts
    ],
)
def test_a_citation_is_read_and_written_as_the_law_writes_it(text: str, items: list | None, written: str) -> None:
    value = parse_citation(text)
    if items is not None:
        assert value.items == tuple(items)
    assert value.text == written == citation_text(parse_citation(written))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Art. 5", "is not a citation"),
        ("Article 0", "articles are numbered from 1"),
        ("Article 5 part 0", "parts are numbered from 1"),
        ("Article 5 parts 4 to 1", "a range runs upwards"),
        ("Article 5 parts 3", "write 'part' before one part and 'parts' before several"),
        ("Article 5 part 1 and 2", "write 'part' before one part and 'parts' before several"),
    ],
)
def test_a_malformed_citation_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        parse_citation(text)


@pytest.mark.parametrize(
    ("inner", "outer", "expected"),
    [
        ("Article 111 part 2", "Article 111 parts 1 to 4", True),
        ("Article 111 part 5", "Article 111 parts 1 to 4", False),
        ("Article 111 part 7", "Article 111", True),  # a whole article covers every part of it
        ("Article 111", "Article 111", True),
        ("Article 111", "Article 111 part 3", False),  # an offence without its part: not within a part
        ("Article 111", "Article 111 parts 1 to 4", False),
        ("Article 111.1 part 1", "Article 111", False),  # 111.1 is an article of its own
        ("Article 3 bis", "Article 3", False),
        ("Article 111 parts 1 and 2", "Article 111 parts 1 to 4", True),
    ],
)
def test_within_is_one_provision_inside_the_provisions_named(inner: str, outer: str, expected: bool) -> None:
    assert within(parse_citation(inner), parse_citation(outer)) is expected
    assert Cited(frozenset(parse_citation(inner).items)).within(Cited(frozenset(parse_citation(outer).items))) is (
        expected
    )


_ITEMS = st.tuples(st.integers(1, 12), st.integers(0, 2), st.sampled_from([0, 2, 3]), st.integers(0, 6))


@settings(max_examples=300, deadline=None)
@given(inner=st.lists(_ITEMS, min_size=1, max_size=3), outer=st.lists(_ITEMS, min_size=1, max_size=6))
def test_the_runtime_and_the_interpreter_agree_on_drawn_citations(
    inner: list[tuple[int, int, int, int]], outer: list[tuple[int, int, int, int]]
) -> None:
    """compiler/citations.py (the generated module's) against the interpreter's own Cited, written independently."""
    a, b = cited(inner), cited(outer)
    assert within(a, b) == Cited(frozenset(inner)).within(Cited(frozenset(outer)))
    assert a.text == Cited(frozenset(a.items)).text()
    assert parse_citation(a.text) == a  # the text reads back as the same provisions
    if len(a.items) == 1:
        assert read_cited(a.text) == Cited(frozenset(a.items))


# ------------------------------------------------------------------ the checker


def test_a_citation_field_literal_and_parameter() -> None:
    result = checked(
        "Parameter the excluded offences: Article 255, Article 256 parts 1 to 3.\n"
        "Rule: the measure is excluded if any charge where the offence is one of the excluded offences, Article 258.\n",
        WITH_OFFENCE,
    )
    (excluded,) = (p for p in result.parameters if "excluded" in p.ident.lower())
    assert excluded.type == ir.CITATION and isinstance(excluded.value, CitedProvisions)
    assert excluded.value.text == "Article 255, Article 256 parts 1 to 3"
    assert result.record("Charge").field("offence").type.kind is Kind.CITATION


def test_the_code_a_citation_cites_is_its_type_name() -> None:
    result = checked("", WITH_OFFENCE.replace("offence: citation.", "offence: citation of the Penal Code."))
    assert result.record("Charge").field("offence").type.describe() == "a citation of the Penal Code"


def test_is_with_a_citation_asks_within_as_is_one_of_does() -> None:
    result = checked("Rule: a charge is covered if the offence of the charge is not Article 111.\n", WITH_OFFENCE)
    (rule,) = (d for d in result.definitions if "covered" in d.ident)
    test = rule.rules[0].condition
    assert isinstance(test, ir.OneOf) and test.negated and len(test.values) == 1


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("Rule: a charge is covered if the offence of the charge is Article 5 part 0.\n", "cannot be read"),
        ("Rule: a charge is covered if the offence of the charge is at least Article 5.\n", "cannot be 'at least'"),
        ('Rule: a charge is covered if the offence of the charge is "Article 5".\n', "text"),
    ],
)
def test_a_citation_is_refused_where_it_means_nothing(body: str, message: str) -> None:
    assert message in the_error(body, WITH_OFFENCE).message


def test_a_citation_is_one_token_so_its_commas_stay_inside_it() -> None:
    statute = parse_source("Parameter the list: Article 255, Article 256 parts 1, 2 and 4, Article 3 bis.\n")
    (parameter,) = statute.statements
    assert parameter.value.text == "Article 255, Article 256 parts 1, 2 and 4, Article 3 bis"


# ------------------------------------------------------------------ headings and ranges


def test_a_heading_may_carry_a_latin_suffix(statute: ir.Checked) -> None:
    assert [a.label for a in statute.articles] == ["Article 1", "Article 2", "Article 2 bis", "Article 3"]


def test_a_range_covers_the_headings_between_its_ends_in_file_order(statute: ir.Checked) -> None:
    (allowance,) = (d for d in statute.definitions if d.ident == "allowance")
    (exception,) = (r for r in allowance.rules if r.citation.article and r.citation.article.label == "Article 3")
    overridden = {r.citation.article.label for r in allowance.rules if exception.ident in r.overridden_by}
    assert overridden == {"Article 1", "Article 2", "Article 2 bis"}


@pytest.mark.parametrize(
    ("refs", "message"),
    [
        ("Articles 2 to 9", "the range names Article 9, which is not a heading of this statute"),
        ("Articles 2 bis to 1", "the range runs backwards: Article 2 bis comes after Article 1"),
    ],
)
def test_a_range_needs_both_ends_in_order(refs: str, message: str) -> None:
    text = STATUTE.read_text(encoding="utf-8").replace("Exception to Articles 1 to 2 bis", f"Exception to {refs}")
    with pytest.raises(Exception) as caught:
        check(parse_source(text))
    assert message in str([d.message for d in caught.value.diagnostics])  # type: ignore[attr-defined]


# ------------------------------------------------------------------ run: the module and the interpreter


def test_the_module_and_the_interpreter_decide_on_citations(statute: ir.Checked) -> None:
    module = load_module(statute)
    decided = {"allowance": "reduced allowance"}
    assert module.decision_as_dict(module.decide(module.load_case(CASE))) == decided
    assert decide(statute, CASE) == decided


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ("Article 52 parts 1 and 2", "expected one article and at most one part of it"),
        ("Art. 52", "is not a citation such as"),
        (52, 'expected a citation such as "Article 111 part 3", not 52'),
    ],
)
def test_a_case_gives_one_citation_as_text(statute: ir.Checked, given: object, reason: str) -> None:
    module = load_module(statute)
    with pytest.raises(module.CaseError, match=re.escape(reason)):
        module.load_case({**CASE, "dismissal_ground": given})


def test_run_rejects_a_malformed_citation_by_row_field_and_reason(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cases = tmp_path / "cases.jsonl"
    bad = {**CASE, "id": "X", "dismissal_ground": "Article 52 part"}
    cases.write_text(json.dumps({**CASE, "id": "A"}) + "\n" + json.dumps(bad) + "\n", encoding="utf-8")
    main(["run", str(STATUTE), "--cases", str(cases)])
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "row 2 (X)" in text and "claimant.dismissal_ground" in text and "is not a citation" in text


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_synth_draws_plausible_citations_that_run_alike_in_both_engines(tmp_path: Path, suffix: str) -> None:
    cases = tmp_path / f"cases{suffix}"
    assert main(["synth", str(STATUTE), "--n", "60", "--out", str(cases)]) == 0
    out, interpreted = tmp_path / "module.jsonl", tmp_path / "interpreter.jsonl"
    assert main(["run", str(STATUTE), "--cases", str(cases), "--out", str(out)]) == 0
    main(["run", str(STATUTE), "--cases", str(cases), "--out", str(interpreted), "--engine", "interpreter"])
    assert interpreted.read_text(encoding="utf-8") == out.read_text(encoding="utf-8")
    decided = {json.loads(line)["allowance"] for line in out.read_text(encoding="utf-8").splitlines()}
    assert len(decided) >= 2  # the drawn grounds fall on both sides of the lists


def test_the_schema_asks_for_one_citation(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", str(STATUTE)]) == 0
    optional = json.loads(capsys.readouterr().out)["properties"]["dismissal_ground"]
    pattern = optional["anyOf"][0]["pattern"]
    assert re.search(pattern, "Article 228.1 part 3") and re.search(pattern, "Article 3 bis")
    assert not re.search(pattern, "Article 52 parts 1 to 3")


_DISMISSAL_GROUND = case_schema(check(parse_file(STATUTE)))["properties"]["dismissal_ground"]
_NUMBERS = st.one_of(st.integers(0, 12), st.integers(0, 10**7)).map(str) | st.sampled_from(["0", "00", "01", "007"])


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["Article", "article", "ARTICLE", "Art."]),
    _NUMBERS,
    st.none() | _NUMBERS,
    st.sampled_from(["", " bis", " ter", " BIS", " novies", " decies"]),
    st.none() | _NUMBERS,
)
def test_the_schema_s_pattern_takes_the_citations_a_case_reader_takes(
    word: str, article: str, sub: str | None, suffix: str, part: str | None
) -> None:
    """A register checked against the schema is read by the case reader: the pattern takes what the reader takes
    (an article numbered from 1, at most 6 digits, a part numbered from 1), and no more."""
    text = f"{word} {article}{'' if sub is None else '.' + sub}{suffix}{'' if part is None else ' part ' + part}"
    pattern = _DISMISSAL_GROUND["anyOf"][0]["pattern"]
    try:
        parse_cited(text)
        taken = True
    except ValueError:
        taken = False
    assert bool(re.search(pattern, text)) == taken, text


# ------------------------------------------------------------------ explain, prove, test, report, diff


@pytest.mark.parametrize(
    ("lang", "shown"),
    [
        ("en", "(Article 52 part 2) is one of the grounds for dismissal for misconduct (Article 52 parts 1 to 3, "),
        ("ru", "(часть 2 статьи 52) is one of the grounds for dismissal for misconduct (части 1–3 статьи 52; "),
    ],
)
def test_explanations_write_citations_in_the_laws_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lang: str, shown: str
) -> None:
    case = tmp_path / "case.json"
    case.write_text(json.dumps(CASE), encoding="utf-8")
    assert main(["explain", str(STATUTE), "--case", str(case), "--lang", lang]) == 0
    assert shown in capsys.readouterr().out


def test_the_prover_proves_with_citations_and_shows_a_counterexample_as_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("z3")
    broken = tmp_path / "broken.statute"
    text = STATUTE.read_text(encoding="utf-8")
    broken.write_text(text.replace("not one of Article 52, Article 54, Article 56", "not Article 49"), encoding="utf-8")
    main(["prove", str(broken)])
    report = capsys.readouterr().out
    assert "PROVED      A barring conviction that is not spent excludes any allowance" in report
    assert "FAILS       Only a ground not of the claimant's making" in report
    assert re.search(r'"dismissal_ground": "Article 49( part \d+)?"', report)


def test_the_property_tests_draw_citations_at_the_edges_of_the_lists(statute: ir.Checked) -> None:
    from compiler.backends.python.properties import property_tests_source

    source = property_tests_source(statute)
    assert '"dismissal_ground": citations(' in source
    assert '"Article 52 part 4",' in source and '"Article 3 bis part 1",' in source and '"Article 52",' in source


def test_diff_writes_a_changed_list_as_the_law_writes_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.jsonl"
    main(["synth", str(STATUTE), "--n", "40", "--out", str(cases)])
    amended = tmp_path / "amended.statute"
    text = STATUTE.read_text(encoding="utf-8")
    amended.write_text(text.replace("Article 52 parts 1 to 3,", "Article 52 parts 1 to 4,"), encoding="utf-8")
    capsys.readouterr()
    main(["diff", str(STATUTE), str(amended), "--cases", str(cases)])
    assert "Article 52 parts 1 to 3, Article 52.1, Article 54 part 2 -> Article 52 parts 1 to 4," in (
        capsys.readouterr().out
    )
