"""Rows in = decided + rejected, on every path (issue 11, section 3, and the data tracebacks of section 6).

Each test builds a hostile case file (or statute) in tmp_path and runs the command as a user would, in process:
every row is either decided or rejected with its row, field and reason; nothing ends in a traceback; a file that
cannot be read at all is one line `statute: ...` and exit 1.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from compiler.commands import cli
from compiler.driver import build
from compiler.population import batch_jsonl, casefiles

# A small statute with a fact of each kind a reader converts: a decimal, money, a whole number.
ROWS = """Title: "Rows".

Article 1. Totals

> The total is the rate times the count, and the fee is kept.

Each case is about a person.
A person has:
- rate: decimal;
- fee: money in USD;
- count: whole number from 0 to 1000.

Outcome the total: decimal.
Outcome the fee due: money in USD.

Rule: the total is the rate times the count.
Rule: the fee due is the fee.
"""

# A valid row whose decision has a number Python will not write: a 40-digit rate (the most a case may give) squared
# seven times has about 4,600 digits.
SQUARES = """Title: "Squares".

Article 1. Squares

> The power is the rate squared seven times.

Each case is about a person.
A person has:
- rate: decimal.

Definition the p1: decimal.
Definition the p2: decimal.
Definition the p3: decimal.
Definition the p4: decimal.
Definition the p5: decimal.
Definition the p6: decimal.
Outcome the power: decimal.

Rule: the p1 is the rate times the rate.
Rule: the p2 is the p1 times the p1.
Rule: the p3 is the p2 times the p2.
Rule: the p4 is the p3 times the p3.
Rule: the p5 is the p4 times the p4.
Rule: the p6 is the p5 times the p5.
Rule: the power is the p6 times the p6.
"""
BIG_RATE = "1234567890123456789012345678901234567.891"  # 40 digits


def statute(tmp_path: Path, text: str = ROWS, name: str = "rows.statute") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run `statute ARGS` in this process: (exit code, stdout, stderr). An exception fails the test."""
    code = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def rejects(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def counts(err: str) -> tuple[int, int, int]:
    """(rows, decided, rejected) from the summary line of a population run or of `statute run`."""
    found = re.search(r"([\d,]+) (?:rows?|cases?): ([\d,]+) decided, ([\d,]+) rejected", err)
    assert found, err
    rows, decided, rejected = (int(g.replace(",", "")) for g in found.groups())
    assert rows == decided + rejected
    return rows, decided, rejected


def csv_file(tmp_path: Path, lines: list[str], name: str = "cases.csv") -> str:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return str(path)


def plain_rows(n: int) -> list[str]:
    return ["id,rate,fee,count"] + [f"C{i},1.5,10.00,{i % 7}" for i in range(1, n + 1)]


# ------------------------------------------------------------------ CSV records


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_unterminated_quote_rejects_its_row_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], workers: str
) -> None:
    # Row 11 of 5,000 opens a quote it never closes: it once swallowed the lines after it, up to the field-size
    # limit, and those rows were neither decided nor rejected.
    lines = plain_rows(5000)
    lines[11] = 'C11,"1.5,10.00,4'
    cases, out = csv_file(tmp_path, lines), tmp_path / "r.jsonl"
    code, _, err = command(capsys, "run", statute(tmp_path), "--cases", cases, "--out", str(out), "--workers", workers)
    assert code == 1
    assert counts(err) == (5000, 4999, 1)
    [bad] = rejects(tmp_path / "r.rejects.jsonl")
    assert bad["row"] == 12 and bad["kind"] == "unreadable" and bad["field"] == "rate"
    assert "cell 2 (column 'rate'): a quote opens the cell and is never properly closed" in str(bad["reason"])
    assert len(out.read_text(encoding="utf-8").splitlines()) == 4999


def test_a_broken_quote_near_the_end_is_about_the_quote(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Near the end of a file it swallowed the rest, and the reason was a misleading "missing fields".
    lines = plain_rows(50)
    lines[48] = 'C48,1.5,"10.00,3'
    code, _, err = command(capsys, "run", statute(tmp_path), "--cases", csv_file(tmp_path, lines))
    assert code == 1
    assert counts(err) == (50, 49, 1)
    assert "rejected: row 49 (row 49): row 49, cell 3 (column 'fee'): a quote opens the cell" in err
    assert "missing" not in err


def test_a_quoted_cell_may_span_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = ["id,rate,fee,count", '"first\nof two lines",1,1.00,1', "C2,2,2.00,2", 'C3,"3"x,3.00,3', "C4,4,4.00,4"]
    code, _, err = command(capsys, "run", statute(tmp_path), "--cases", csv_file(tmp_path, lines))
    assert counts(err) == (4, 3, 1) and code == 1
    assert "rejected: row 5 (row 5): row 5, cell 2 (column 'rate'): the quoted cell has text after its closing" in err


@pytest.mark.parametrize(
    ("lines", "reason"),
    [
        (["id,rate,fee,rate", "C1,1,1.00,2"], "column 'rate' is in the header more than once"),
        (["id,rate,fee,count", "C1,1,1.00,2,surplus"], "has 5 cells, but the header names 4 columns"),
        (["id,rate,fee,count", "C1,1,1.00,٣٠"], "column 'count': '٣٠' is not a whole number"),
        (["id,rate,fee,count", "C1,1,1.00,3_0"], "column 'count': '3_0' is not a whole number"),
        (["id,rate,fee,count", "C1,1,١٠٠,3"], "expected a number"),
        (["id,rate,fee,count", "C1,𝟏𝟎𝟎,1.00,3"], "expected a number"),
    ],
)
def test_questionable_csv_is_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], lines: list[str], reason: str
) -> None:
    out = tmp_path / "r.jsonl"
    code, _, err = command(capsys, "run", statute(tmp_path), "--cases", csv_file(tmp_path, lines), "--out", str(out))
    assert code == 1 and counts(err) == (1, 0, 1)
    [bad] = rejects(tmp_path / "r.rejects.jsonl")
    assert bad["row"] == 2 and reason in str(bad["reason"])


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        (b'id,"rate,fee,count', "the header (line 1) cannot be read: cell 2: a quote opens the cell and is never"),
        (b"id,r\xffate,fee,count", "the header (line 1) is not UTF-8 text"),
    ],
)
def test_a_header_that_cannot_be_read_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], header: bytes, reason: str
) -> None:
    cases = tmp_path / "cases.csv"
    cases.write_bytes(header + b"\nC1,1,1.00,2\n")
    code, out, err = command(capsys, "run", statute(tmp_path), "--cases", str(cases))
    assert (code, out) == (1, "") and err.startswith(f"statute: {cases}: {reason}") and err.count("\n") == 1


# ------------------------------------------------------------------ JSON: one rule for every reader


QUESTIONABLE_JSON = [
    ('{"id": "C1", "rate": "1", "fee": "1.00", "count": 2, "count": 3}', "count", "gives the key 'count' twice"),
    ('{"id": "C1", "rate": "1", "fee": "١٠٠", "count": 2}', "person.fee", "expected a number"),
    ('{"id": "C1", "rate": "1", "fee": "𝟏𝟎𝟎", "count": 2}', "person.fee", "expected a number"),
    ('{"id": true, "rate": "1", "fee": "1.00", "count": 2}', "id", "the id must be a text or a whole number, not true"),
    ('{"id": 1.5, "rate": "1", "fee": "1.00", "count": 2}', "id", "not the number 1.5"),
    ('{"id": [1], "rate": "1", "fee": "1.00", "count": 2}', "id", "not a list"),
    ('{"id": {"a": 1}, "rate": "1", "fee": "1.00", "count": 2}', "id", "not an object"),
]
GOOD = '{"id": "C%d", "rate": "2.5", "fee": "10.00", "count": 4}'


@pytest.mark.parametrize(("line", "field", "reason"), QUESTIONABLE_JSON)
@pytest.mark.parametrize("workers", ["1", "2"])
def test_questionable_json_lines_are_rejected(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, field: str, reason: str, workers: str
) -> None:
    # Among good rows, so that the batch's fast path (a chunk parsed at once) meets it too.
    cases, out = tmp_path / "cases.jsonl", tmp_path / "r.jsonl"
    cases.write_text("".join(GOOD % i + "\n" for i in range(5)) + line + "\n" + GOOD % 9 + "\n", encoding="utf-8")
    code, _, err = command(
        capsys, "run", statute(tmp_path), "--cases", str(cases), "--out", str(out), "--workers", workers
    )
    assert code == 1 and counts(err) == (7, 6, 1)
    [bad] = rejects(tmp_path / "r.rejects.jsonl")
    assert bad["row"] == 6 and bad["field"] == field and reason in str(bad["reason"]), bad
    code, _, err = command(capsys, "run", statute(tmp_path), "--cases", str(cases))  # the small run's reader
    assert code == 1 and counts(err) == (7, 6, 1) and reason in err


@pytest.mark.parametrize(("line", "field", "reason"), QUESTIONABLE_JSON)
def test_the_batch_fast_path_reads_as_case_data(line: str, field: str, reason: str) -> None:
    rows: list[tuple[int, str | bytes | dict[str, object]]] = [
        (number, (text + "\n").encode()) for number, text in enumerate([GOOD % 1, line, GOOD % 3], start=1)
    ]
    fast = batch_jsonl.parsed_rows(rows, {})
    careful = [(number, *casefiles.case_data(number, raw, {})) for number, raw in rows]
    assert fast == careful
    assert [getattr(data, "field", None) for *_, data in fast] == [getattr(d, "field", None) for *_, d in careful]


@pytest.mark.parametrize(("line", "field", "reason"), QUESTIONABLE_JSON)
def test_explain_reads_a_case_by_the_same_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, field: str, reason: str
) -> None:
    case = tmp_path / "case.json"
    case.write_text(line, encoding="utf-8")
    code, out, err = command(capsys, "explain", statute(tmp_path), "--case", str(case))
    assert code == 1 and not out
    assert err.startswith(f"statute: {case}: ") and reason in err  # a CaseError lists its problems, one a line


def test_a_whole_number_id_is_an_id(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases, out = tmp_path / "cases.jsonl", tmp_path / "r.jsonl"
    cases.write_text('{"id": 7, "rate": "1", "fee": "1.00", "count": 2}\n', encoding="utf-8")
    code, _, _ = command(capsys, "run", statute(tmp_path), "--cases", str(cases), "--out", str(out))
    assert code == 0 and json.loads(out.read_text(encoding="utf-8"))["id"] == "7"


def test_a_byte_order_mark_is_read_alike_by_run_and_explain(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    case = tmp_path / "case.json"
    case.write_bytes(b"\xef\xbb\xbf" + (GOOD % 1).encode())
    code, out, _ = command(capsys, "explain", statute(tmp_path), "--case", str(case))
    assert code == 0 and "Case: C1" in out
    code, out, err = command(capsys, "run", statute(tmp_path), "--cases", str(case.rename(tmp_path / "case.jsonl")))
    assert code == 0 and counts(err) == (1, 1, 0)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "the case is nested too deeply to read"),
        ('{"rate": ' + "9" * 5000 + "}", "the case holds a number with too many digits to read"),
    ],
)
def test_explain_refuses_unreadable_json_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, reason: str
) -> None:
    case = tmp_path / "case.json"
    case.write_text(text, encoding="utf-8")
    code, out, err = command(capsys, "explain", statute(tmp_path), "--case", str(case))
    assert (code, out, err) == (1, "", f"statute: {case}: {reason}\n")


# ------------------------------------------------------------------ Parquet


def test_parquet_binary_ids_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    cases = tmp_path / "cases.parquet"
    table = {"id": [b"abc", b"def"], "rate": ["1", "2"], "fee": ["1.00", "2.00"], "count": [1, 2]}
    parquet.write_table(arrow.table(table), cases)
    code, _, err = command(capsys, "run", statute(tmp_path), "--cases", str(cases))
    assert code == 1 and counts(err) == (2, 0, 2)
    assert "the id must be a text or a whole number, not binary data" in err and "b'abc'" not in err


@pytest.mark.parametrize("damage", ["cut", "garbled", "not parquet"])
@pytest.mark.parametrize("command_line", [("run",), ("run", "--out", "r.jsonl"), ("report", "--out", "r.html")])
def test_a_corrupt_parquet_file_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], damage: str, command_line: tuple[str, ...]
) -> None:
    arrow = pytest.importorskip("pyarrow")
    parquet = pytest.importorskip("pyarrow.parquet")
    good = tmp_path / "good.parquet"
    parquet.write_table(arrow.table({"id": ["a"], "rate": ["1"], "fee": ["1.00"], "count": [1]}), good)
    data = good.read_bytes()
    cases = tmp_path / "cases.parquet"
    cases.write_bytes(
        {"cut": data[: len(data) // 2], "garbled": data[:4] + b"\0" * 20 + data[24:], "not parquet": b"hello"}[damage]
    )
    name, *options = command_line
    options = [str(tmp_path / o) if o.startswith("r.") else o for o in options]
    code, out, err = command(capsys, name, statute(tmp_path), "--cases", str(cases), *options)
    assert code == 1 and not out
    assert err.startswith(f"statute: {cases}: not a readable Parquet file (") and err.count("\n") == 1
    assert not list(tmp_path.glob("r.*"))


# ------------------------------------------------------------------ numbers too long to write


def test_a_decision_too_long_to_write_rejects_its_row_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases, out = tmp_path / "cases.jsonl", tmp_path / "r.jsonl"
    rows = [{"id": "small", "rate": "2"}, {"id": "big", "rate": BIG_RATE}, {"id": "after", "rate": "3"}]
    cases.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for workers in ("1", "2"):
        args = ("run", statute(tmp_path, SQUARES), "--cases", str(cases), "--out", str(out), "--workers", workers)
        code, _, err = command(capsys, *args)
        assert code == 1 and counts(err) == (3, 2, 1)
        [bad] = rejects(tmp_path / "r.rejects.jsonl")
        assert bad["row"] == 2 and bad["id"] == "big" and bad["kind"] == "error"
        assert "the decision cannot be written" in str(bad["reason"]) and "(4,300 at most)" in str(bad["reason"])
    code, out_text, err = command(capsys, "run", statute(tmp_path, SQUARES), "--cases", str(cases))
    assert code == 1 and counts(err) == (3, 2, 1) and '"id": "after"' in out_text
    big = tmp_path / "big.json"
    big.write_text(json.dumps(rows[1]), encoding="utf-8")
    code, out_text, err = command(capsys, "explain", statute(tmp_path, SQUARES), "--case", str(big))
    assert code == 1 and not out_text and err.count("\n") == 1 and "has more digits than can be written" in err


def big_parameter_statute(tmp_path: Path) -> str:
    """A 4,000-digit parameter (within the limit) squared: every decision has 8,000 digits."""
    text = SQUARES.split("Definition the p1")[0] + (
        f"Parameter the big: {'9' * 4000}.\n\nOutcome the power: decimal.\n\n"
        "Rule: the power is the big times the big times the rate.\n\n"
        'Example "two" (Article 1):\n  Facts: rate: 2.\n  Expected: the power is 2.\n'
    )
    return statute(tmp_path, text, "big.statute")


def test_a_4000_digit_parameter_crashes_no_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    law = big_parameter_statute(tmp_path)
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"id": "a", "rate": "2"}\n{"id": "b", "rate": "3"}\n', encoding="utf-8")
    code, _, err = command(capsys, "run", law, "--cases", str(cases), "--out", str(tmp_path / "r.jsonl"))
    assert code == 1 and counts(err) == (2, 0, 2)
    code, _, err = command(capsys, "run", law, "--cases", str(cases))
    assert code == 1 and counts(err) == (2, 0, 2)
    code, out, err = command(capsys, "report", law, "--cases", str(cases), "--out", str(tmp_path / "r.html"))
    assert "2 rows, 0 decided, 2 rejected (2 error)" in out
    code, out, err = command(capsys, "diff", law, law, "--cases", str(cases))
    assert code == 0
    case = tmp_path / "case.json"
    case.write_text('{"rate": "2"}', encoding="utf-8")
    code, out, err = command(capsys, "explain", law, "--case", str(case))
    assert code == 1 and err.count("\n") == 1 and "8,001 digits" in err
    code, out, err = command(capsys, "test", law, "--examples", "5")
    assert code == 1 and "expected power to be 2, got a number of 8,001 digits (≈ 2.0000e+8000)" in out


def test_a_statute_number_over_the_limit_is_a_diagnostic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = SQUARES.split("Definition the p1")[0] + (
        f"Parameter the big: {'9' * 4400}.\n\nOutcome the power: decimal.\n\n"
        "Rule: the power is the big times the rate.\n"
    )
    law = statute(tmp_path, text, "huge.statute")
    code, _, err = command(capsys, "check", law)
    assert code == 1
    assert f"{law}:11:20: error: a number of 4,400 digits: a statute's numbers have at most 4,000 digits" in err


# ------------------------------------------------------------------ the generated module's readers


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("sentence", "P٣Y"),  # ISO duration in Arabic-Indic digits
        ("sentence", "P𝟑Y"),  # in mathematical bold digits
        ("sentence_start", "٢٠٢٢-05-26"),
        ("age_at_act", "٤٥"),
    ],
)
def test_load_case_reads_digits_0_to_9_only(field: str, value: str) -> None:
    # The fast reader (_read_person) gives way to the careful one, and both refuse: one rule for the module too.
    amnesty = Path(__file__).resolve().parents[2] / "statutes" / "kz_amnesty_2022.statute"
    module = build.load_module(build.check_file(amnesty))
    case = json.loads((amnesty.parent / "kz_amnesty_2022.cases.jsonl").read_text(encoding="utf-8").splitlines()[0])
    module.load_case(case)
    with pytest.raises(module.CaseError, match=field):
        module.load_case({**case, field: value})
