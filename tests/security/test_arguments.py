"""Every argument is checked before any work: a bad number, a value out of range or two options that contradict each
other exit 2 with one line saying why (after argparse's usage, for a value argparse refuses), print nothing else,
write nothing and raise no traceback. Issue 11, section 6; each case below failed on the code before the fix (it
was accepted, refused with exit 1, refused only after work was done and printed, or ended in a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.commands import cli

ROOT = Path(__file__).resolve().parent.parent.parent
AMNESTY = str(ROOT / "statutes" / "kz_amnesty_2022.statute")
CASES = str(ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl")
VARIANT = str(ROOT / "statutes" / "kz_amnesty_2022_variant.statute")

RUN = ["run", AMNESTY, "--cases", CASES]
BAD_ARGUMENTS: dict[str, list[str]] = {
    "synth --n negative": ["synth", AMNESTY, "--n", "-5", "--out", "cases.jsonl"],
    "synth --n in Arabic-Indic digits": ["synth", AMNESTY, "--n", "٣", "--out", "cases.jsonl"],
    "synth --broken above 1": ["synth", AMNESTY, "--n", "3", "--broken", "2", "--out", "cases.jsonl"],
    "synth --broken negative": ["synth", AMNESTY, "--n", "3", "--broken", "-0.5", "--out", "cases.jsonl"],
    "synth --broken nan": ["synth", AMNESTY, "--n", "3", "--broken", "nan", "--out", "cases.jsonl"],
    "synth --out of an unknown type": ["synth", AMNESTY, "--n", "3", "--out", "cases.txt"],
    "run --workers 0": [*RUN, "--out", "r.jsonl", "--workers", "0"],
    "run --workers negative": [*RUN, "--out", "r.jsonl", "--workers", "-2"],
    "run --workers beyond reason": [*RUN, "--out", "r.jsonl", "--workers", "100000"],
    "run --format csv with --out .jsonl": [*RUN, "--out", "r.jsonl", "--format", "csv"],
    "run --format table with --out .csv": [*RUN, "--out", "r.csv", "--format", "table"],
    "run --out of an unknown type": [*RUN, "--out", "r.txt"],
    "run --explain with --out": [*RUN, "--out", "r.jsonl", "--explain", "explained"],
    "run --rejects without --out": [*RUN, "--rejects", "rejects.jsonl"],
    "run --workers without --out": [*RUN, "--workers", "2"],
    "run --explain-format without --explain": [*RUN, "--explain-format", "text"],
    "diff --out neither Markdown nor JSON": ["diff", AMNESTY, VARIANT, "--cases", CASES, "--out", "changes.txt"],
    "report --workers 0": ["report", AMNESTY, "--cases", CASES, "--out", "report.html", "--workers", "0"],
    "test --examples negative": ["test", AMNESTY, "--examples", "-1"],
    "prove --max-list negative": ["prove", AMNESTY, "--max-list", "-1"],
    "prove --timeout nan": ["prove", AMNESTY, "--timeout", "nan"],
    "prove --timeout inf": ["prove", AMNESTY, "--timeout", "inf"],
    "prove --timeout 0": ["prove", AMNESTY, "--timeout", "0"],
    "prove --timeout beyond the solver's limit": ["prove", AMNESTY, "--timeout", "1e300"],
}


def statute(argv: list[str]) -> int:
    """`statute ARGV` in this process; argparse's own refusals exit through SystemExit, as they do for a user."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 1


@pytest.mark.parametrize("argv", BAD_ARGUMENTS.values(), ids=BAD_ARGUMENTS.keys())
def test_a_bad_argument_exits_2_with_one_line_before_any_work(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert statute(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""  # nothing printed: no results, no examples, no proof
    assert "Traceback" not in err
    lines = err.splitlines()
    message = lines[-1]
    if message.startswith("statute: "):  # refused by the command: its one line alone
        assert len(lines) == 1, err
    else:  # refused by argparse: its usage, then one line naming the argument
        assert lines[0].startswith("usage: statute "), err
        assert all(line.startswith(" ") for line in lines[1:-1]), err
        assert message.startswith(f"statute {argv[0]}: error: argument "), err
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_the_messages_say_what_is_expected(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    expected = {
        "synth --n negative": "argument --n: must be a whole number 0 or more, got -5",
        "synth --broken above 1": "argument --broken: must be a share from 0 to 1, such as 0.01, got 2",
        "run --workers 0": "argument --workers: must be a whole number from 1 to 256, got 0",
        "prove --timeout nan": "argument --timeout: expected a number such as 0.5, got 'nan'",
        "run --format csv with --out .jsonl": (
            "statute: --format csv contradicts --out r.jsonl, which is written as jsonl (its file type says so)"
        ),
        "run --rejects without --out": "statute: --rejects is for a population run: give --out RESULTS too",
    }
    for name, line in expected.items():
        assert statute(BAD_ARGUMENTS[name]) == 2
        assert capsys.readouterr().err.splitlines()[-1].endswith(line), name


def test_options_that_agree_are_accepted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert statute([*RUN, "--out", "r.jsonl", "--format", "jsonl"]) == 0
    assert (tmp_path / "r.jsonl").read_text(encoding="utf-8").count("\n") == 150
    assert statute(["synth", AMNESTY, "--n", "0", "--broken", "1", "--out", "none.jsonl"]) == 0
    assert (tmp_path / "none.jsonl").read_text(encoding="utf-8") == ""
    assert statute(["synth", AMNESTY, "--n", "4", "--broken", "0.5", "--seed", "-3", "--out", "some.jsonl"]) == 0
    assert (tmp_path / "some.jsonl").read_text(encoding="utf-8").count("\n") == 4
    capsys.readouterr()
