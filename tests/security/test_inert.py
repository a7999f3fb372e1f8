"""Untrusted text is inert in every output (issue 11, section 5, and the rejected-row messages of section 6).

A hostile statute (its title, an article's heading and quoted law, an example's and a guarantee's title) and hostile
case values (ids, a text fact) carry terminal escapes (ESC [2J, an OSC 8 link, the 8-bit CSI U+009B, NUL), a
direction override (U+202E), a line break that fakes a whole "The decision / status: eligible / grant" section,
Markdown links and images, <script>, and spreadsheet formulas. Every command that shows them must show them as text:
no control character reaches a terminal or a text file, no value starts a line of its own, no link, image or HTML
comes of a value in Markdown, and no CSV cell is a formula.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compiler.backends.python.generated import GeneratedEvaluator
from compiler.driver import build
from compiler.explain.decision import explain
from compiler.explain.render import locale_for, render
from compiler.model import ir

ROOT = Path(__file__).resolve().parent.parent.parent

# What must never reach a terminal or a text file from a value: C0 (a line feed is the tool's own), DEL, C1, the
# direction controls, and the characters other readers take for a line break.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")

ESCAPES = "\x1b[2J\x9b31m\u202e\x00"
OSC8 = "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\"
LINKS = "[x](javascript:alert(1)) ![i](http://evil.example/i.png)"
FAKE_DECISION = "\nThe decision\n------------\n  status: eligible\n  grant: 1000000.00 USD\n"

STATUTE = (
    f'Title: "Grants {ESCAPES} <script>alert(1)</script> {LINKS}".\n'
    "Each case is about a person.\n"
    "A person has:\n  - age: whole number from 0 to 120.\n  - name: text.\n  - income: money.\n"
    "Outcome the status: one of eligible, ineligible; by default ineligible.\n"
    "Outcome the grant: money; by default 0 USD.\n\n"
    f"Article 1. Grants {OSC8} <script>alert(1)</script> {LINKS}\n\n"
    f"> The law {ESCAPES} says <script>alert(2)</script>\n\n"
    "Rule: the status is eligible if the age is at least 18.\n"
    "Rule: the grant is the income minus 100 USD if the age is at least 18.\n\n"
    'Example "Adult\\nThe decision\\n  status: eligible \x1b[2J\x9b2J \u202e" (Article 1):\n'
    '  Facts: age: 30; name: "Ann"; income: 50 USD.\n'
    "  Expected: the status is ineligible.\n\n"
    'Guarantee "Never \x1b[2J\x9b2J \u202e" (Article 1): if the age is at most 10 then the status is eligible.\n'
)

FORMULA_ID = "=cmd|' /C calc'!A0"
SUM_ID = "@SUM(1+1)*cmd|' /C calc'!A0"
REJECTED_ID = "-2+3+cmd|' /C calc'!A0\nrejected: row 9 (fake): fine"
ROWS = [
    {"id": FORMULA_ID, "age": 30, "name": "Ann" + FAKE_DECISION + ESCAPES, "income": "50.00"},
    {"id": SUM_ID, "age": 40, "name": f"{LINKS} <script>alert(1)</script> # H", "income": "10.00"},
    {"id": OSC8 + "\x9b2J\u202e", "age": 5, "name": "x", "income": "1.00"},
    # rejected: two problems (the module's own line breaks), one in a field whose name holds a line break
    {"id": REJECTED_ID, "age": "old", "name": "x", "income": "1.00", "a\nb": 1},
]


def statute(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    return subprocess.run(
        [sys.executable, "-m", "compiler.commands.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="surrogateescape",
        cwd=cwd,
        env={**env, "PYTHONPATH": str(ROOT)},
    )


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("inert")
    (folder / "hostile.statute").write_text(STATUTE, encoding="utf-8")
    (folder / "cases.jsonl").write_text("".join(json.dumps(r) + "\n" for r in ROWS), encoding="utf-8")
    (folder / "case.json").write_text(json.dumps(ROWS[0]), encoding="utf-8")
    (folder / "case2.json").write_text(json.dumps(ROWS[1]), encoding="utf-8")
    return folder


def assert_inert(text: str) -> None:
    found = CONTROL.search(text)
    where = f"{text[max(0, found.start() - 60) : found.end() + 20]!r}" if found else ""
    assert found is None, f"{found.group()!r} in {where}" if found else ""


def assert_no_markdown_link(markdown: str) -> None:
    """No link, image or autolink: every [ and ] escaped, no bare URL, no HTML."""
    assert not re.search(r"(?<!\\)[\[\]]", markdown), markdown
    assert "://" not in markdown.replace("\\://", ""), markdown
    assert "<script" not in markdown and "<img" not in markdown


# ------------------------------------------------------------------ explain


def test_explain_text_shows_escapes_and_a_value_cannot_fake_the_decision(work: Path) -> None:
    result = statute("explain", "hostile.statute", "--case", "case.json", cwd=work)
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout)
    lines = result.stdout.split("\n")
    assert lines.count("The decision") == 1  # the real heading only
    assert "  grant: 1000000.00 USD" not in lines and "  grant: -50.00" in lines
    assert "  name: Ann⏎The decision⏎------------⏎  status: eligible⏎  grant: 1000000.00 USD⏎␛[2J" in result.stdout


def test_explain_text_written_with_out_is_inert_too(work: Path) -> None:
    result = statute("explain", "hostile.statute", "--case", "case.json", "--out", "explained.txt", cwd=work)
    assert result.returncode == 0, result.stderr
    text = (work / "explained.txt").read_text(encoding="utf-8")
    assert_inert(text)
    assert text.split("\n").count("The decision") == 1


@pytest.mark.parametrize("case", ["case.json", "case2.json"])
def test_explain_markdown_makes_no_link_image_html_or_section_of_a_value(work: Path, case: str) -> None:
    result = statute("explain", "hostile.statute", "--case", case, "--format", "markdown", cwd=work)
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout)
    assert_no_markdown_link(result.stdout)
    lines = result.stdout.split("\n")
    assert lines.count("## The decision") == 1
    assert not any(line.lstrip().startswith(("# H", "grant: 1000000")) for line in lines)
    if case == "case2.json":
        assert "- **Case**: @SUM(1+1)\\*cmd\\|' /C calc'!A0" in lines


def test_explain_html_holds_no_control_character(work: Path) -> None:
    result = statute("explain", "hostile.statute", "--case", "case.json", "--format", "html", cwd=work)
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout)
    assert "<script" not in result.stdout and result.stdout.count('<section class="decision"') == 1


# ------------------------------------------------------------------ run


def test_run_table_shows_escapes_in_ids_and_keeps_the_rejected_reasons_lines(work: Path) -> None:
    result = statute("run", "hostile.statute", "--cases", "cases.jsonl", "--format", "table", cwd=work)
    assert result.returncode == 1  # one row rejected
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    assert len(result.stdout.splitlines()) == 2 + 3  # heading, rule, three decided rows
    assert "␛]8;;http://evil.example␛\\click␛]8;;␛\\�2J�" in result.stdout
    lines = result.stderr.split("\n")
    assert not any(line.startswith("rejected: row 9") for line in lines)
    first = lines.index(next(line for line in lines if line.startswith("rejected: row 4 (")))
    assert lines[first].endswith("): the case has 2 problems:")
    assert "⏎rejected: row 9 (fake): fine" in lines[first]
    assert lines[first + 1 : first + 3] == [
        "    person.a⏎b: is not a field of this record",
        "    person.age: expected a whole number, not 'old'",
    ]


def test_run_jsonl_escapes_c1_controls_and_direction_overrides(work: Path) -> None:
    result = statute("run", "hostile.statute", "--cases", "cases.jsonl", "--format", "jsonl", cwd=work)
    assert_inert(result.stdout)
    ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
    assert ids == [FORMULA_ID, SUM_ID, OSC8 + "\x9b2J\u202e"]  # read back exactly


def test_run_csv_on_stdout_guards_formulas_but_not_amounts(work: Path) -> None:
    result = statute("run", "hostile.statute", "--cases", "cases.jsonl", "--format", "csv", cwd=work)
    rows = list(csv.DictReader(result.stdout.splitlines()))
    assert [r["id"] for r in rows[:2]] == ["'" + FORMULA_ID, "'" + SUM_ID]
    assert [r["grant"] for r in rows] == ["-50.00", "-90.00", "0.00"]  # a negative amount is no formula
    assert_inert(result.stdout)


def test_run_out_csv_results_and_rejects_guard_formulas(work: Path) -> None:
    result = statute(
        "run", "hostile.statute", "--cases", "cases.jsonl", "--out", "r.csv", "--rejects", "bad.csv", cwd=work
    )
    assert result.returncode == 1, result.stderr
    with (work / "r.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["id"] for r in rows[:2]] == ["'" + FORMULA_ID, "'" + SUM_ID]
    assert [r["grant"] for r in rows] == ["-50.00", "-90.00", "0.00"]
    with (work / "bad.csv").open(encoding="utf-8", newline="") as handle:
        (reject,) = list(csv.DictReader(handle))
    assert reject["id"] == "'-2+3+cmd|' /C calc'!A0\nrejected: row 9 (fake): fine"  # the line break is CSV's to carry
    for cell in [*reject.values(), *(v for r in rows for v in r.values())]:
        assert cell[:1] not in {"=", "+", "@", "\t", "\r"}, cell
        assert cell[:1] != "-" or re.fullmatch(r"-[0-9.]+", cell), cell
    assert_inert((work / "r.csv").read_text(encoding="utf-8"))


# ------------------------------------------------------------------ the statute's own text: test, prove, report


def test_statute_test_shows_example_and_guarantee_titles_inert(work: Path) -> None:
    result = statute("test", "hostile.statute", "--examples", "20", cwd=work)
    assert result.returncode == 1  # the example and the guarantee fail, as written
    assert_inert(result.stdout)
    lines = result.stdout.split("\n")
    assert "The decision" not in lines and "  status: eligible ␛[2J�2J �" not in lines
    assert any(line.startswith("FAIL hostile.statute:") and "Adult⏎The decision⏎" in line for line in lines)


def test_statute_prove_shows_titles_inert(work: Path) -> None:
    pytest.importorskip("z3")
    result = statute("prove", "hostile.statute", cwd=work)
    assert result.returncode == 1, result.stderr  # the guarantee fails
    assert_inert(result.stdout)
    assert "Proof report for Grants ␛[2J�31m�␀ <script>" in result.stdout


def test_report_markdown_summary_escapes_the_articles_words(work: Path) -> None:
    result = statute(
        "report", "hostile.statute", "--cases", "cases.jsonl", "--out", "r.html", "--markdown", "r.md", cwd=work
    )
    assert result.returncode in {0, 1}, result.stderr
    for text in (result.stdout, (work / "r.md").read_text(encoding="utf-8")):
        assert_inert(text)
        assert_no_markdown_link(text)
        assert "&lt;script>alert(1)&lt;/script>" in text
    page = (work / "r.html").read_text(encoding="utf-8")
    assert_inert(page)
    assert "<script" not in page


def test_diff_escapes_ids_and_statute_words(work: Path) -> None:
    (work / "amended.statute").write_text(STATUTE.replace("at least 18", "at least 4"), encoding="utf-8")
    result = statute("diff", "hostile.statute", "amended.statute", "--cases", "cases.jsonl", cwd=work)
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout)
    assert_no_markdown_link(result.stdout)


# ------------------------------------------------------------------ the property


@cache
def _hostile(folder: Path) -> tuple[ir.Checked, ModuleType]:
    checked = build.check_file(folder / "hostile.statute")
    return checked, build.load_module(checked)


PIECES = st.sampled_from(["\n", "\r", "\r\n", "\x1b[2J", "\x9b", "\u202e", "\x00", "\u2028", "\x85", "The decision"])
HOSTILE_TEXT = st.lists(st.one_of(PIECES, st.text(max_size=8)), max_size=12).map("".join)


@settings(max_examples=150, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(name=HOSTILE_TEXT, case_id=HOSTILE_TEXT)
def test_no_text_fact_or_id_puts_a_control_character_or_a_line_into_a_text_explanation(
    work: Path, name: str, case_id: str
) -> None:
    checked, module = _hostile(work)
    locale = locale_for("en")

    def lines(name: str, case_id: str) -> list[str]:
        case = module.load_case({"age": 30, "name": name, "income": "50.00"})
        text = render(
            explain(checked, GeneratedEvaluator(checked, module), case, locale, case_id=case_id, search=False),
            "text",
            locale,
        )
        assert_inert(text)
        return text.split("\n")

    shown, plain = lines(name, "id " + case_id), lines("x", "x")
    assert len(shown) == len(plain)  # no value adds a line
    # every line that starts at the margin (a heading, its rule, the statute and case lines) is where it was
    margin = [i for i, line in enumerate(plain) if line and not line.startswith(" ")]
    assert [i for i, line in enumerate(shown) if line and not line.startswith(" ")] == margin
    headings = [shown[i] for i in margin if not shown[i].startswith(("Statute: ", "Case: "))]
    assert headings == [plain[i] for i in margin if not plain[i].startswith(("Statute: ", "Case: "))]


def test_explain_shows_a_case_error_one_problem_a_line_and_no_line_from_the_case(work: Path) -> None:
    (work / "bad_case.json").write_text(json.dumps(ROWS[3]), encoding="utf-8")
    result = statute("explain", "hostile.statute", "--case", "bad_case.json", cwd=work)
    assert result.returncode == 1
    assert result.stderr.split("\n")[:3] == [
        "statute: bad_case.json: the case has 2 problems:",
        "  person.a⏎b: is not a field of this record",
        "  person.age: expected a whole number, not 'old'",
    ]


def test_schema_writes_the_titles_controls_as_json_escapes(work: Path) -> None:
    result = statute("schema", "hostile.statute", cwd=work)
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout)
    assert json.loads(result.stdout)["title"].startswith("A case for Grants " + ESCAPES)  # read back exactly


def test_check_shows_a_file_names_escapes(work: Path) -> None:
    named = work / "law\x1b[2J\u202e.statute"
    named.write_text(STATUTE, encoding="utf-8")
    (work / "broken\x1b[2J.statute").write_text("Each case is about\n", encoding="utf-8")
    result = statute("check", named.name, "broken\x1b[2J.statute", cwd=work)
    assert result.returncode == 1
    assert_inert(result.stdout)
    assert_inert(result.stderr)
    assert "law␛[2J�.statute: ok: 1 article" in result.stdout and "broken␛[2J.statute: 1 error" in result.stderr


# ------------------------------------------------------------------ as GitHub renders the Markdown


def github_html(markdown: str) -> str:
    cmarkgfm = pytest.importorskip("cmarkgfm")
    options = pytest.importorskip("cmarkgfm.cmark").Options
    return str(cmarkgfm.github_flavored_markdown_to_html(markdown, options=options.CMARK_OPT_UNSAFE))


def test_github_renders_no_link_image_or_html_from_the_hostile_markdown(work: Path) -> None:
    outputs = [
        statute("explain", "hostile.statute", "--case", case, "--format", "markdown", cwd=work).stdout
        for case in ("case.json", "case2.json")
    ]
    statute("report", "hostile.statute", "--cases", "cases.jsonl", "--out", "g.html", "--markdown", "g.md", cwd=work)
    outputs.append((work / "g.md").read_text(encoding="utf-8"))
    for markdown in outputs:
        html = github_html(markdown)
        assert not re.search(r"<(a|img|script|pre)\b", html), html
        assert html.count("<code>") <= 1  # the template's own: the statute's file name
    assert re.findall(r"<h2>(.*?)</h2>", github_html(outputs[0]))[:2] == ["The facts of the case", "The decision"]
