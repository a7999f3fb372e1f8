"""Output names that differ only in letter case (compiler/foundation/paths.py): on a file system that ignores case
(macOS and Windows by default) `R.jsonl` and `r.jsonl` are one file, so the second output would overwrite the first, or
an output the input. Refused before any work, on every file system alike: one line `statute: ...`, exit 2 (a bad
combination of arguments), nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from compiler.commands.cli import main
from compiler.foundation.paths import check_outputs

ROOT = Path(__file__).resolve().parents[2]
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
CASES = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
ONE_CASE = ROOT / "tests" / "data" / "explain" / "kz_adult_organiser.json"


@pytest.fixture(autouse=True)
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "law.statute").write_bytes(AMNESTY.read_bytes())
    (tmp_path / "in.jsonl").write_text("".join(CASES.read_text(encoding="utf-8").splitlines(True)[:5]))
    (tmp_path / "case.json").write_bytes(ONE_CASE.read_bytes())
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "in.jsonl").write_bytes((tmp_path / "in.jsonl").read_bytes())
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _refused(capsys: pytest.CaptureFixture[str], work: Path, *argv: str) -> str:
    """Exit 2, one line `statute: ...`, nothing on standard output, every file of the folder as it was."""
    before = sorted(work.rglob("*"))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert code == 2, err
    assert out == "" and err.startswith("statute: ") and err.count("\n") == 1, err
    assert "differ only in letter case" in err
    assert sorted(work.rglob("*")) == before
    return err


RUN = ("run", "law.statute", "--cases", "in.jsonl")


@pytest.mark.parametrize(
    ("argv", "names"),
    [
        ((*RUN, "--out", "R.jsonl", "--rejects", "r.jsonl"), ("--rejects r.jsonl", "--out R.jsonl")),
        ((*RUN, "--out", "IN.jsonl"), ("--out IN.jsonl", "the input in.jsonl")),
        ((*RUN, "--out", "o.jsonl", "--rejects", "Law.Statute"), ("--rejects Law.Statute", "the input law.statute")),
        (("run", "law.statute", "--cases", "data/in.jsonl", "--explain", "DATA"), ("--explain DATA", "data/in.jsonl")),
        (
            ("report", "law.statute", "--cases", "in.jsonl", "--out", "r.html", "--markdown", "R.HTML"),
            ("--markdown R.HTML", "--out r.html"),
        ),
        (("explain", "law.statute", "--case", "case.json", "--out", "CASE.json"), ("--out CASE.json",)),
        (("synth", "law.statute", "--profile", "R.JSONL", "--out", "r.jsonl"), ("--out r.jsonl", "the input R.JSONL")),
    ],
)
def test_names_that_differ_only_in_case_are_refused(
    capsys: pytest.CaptureFixture[str], work: Path, argv: tuple[str, ...], names: tuple[str, ...]
) -> None:
    err = _refused(capsys, work, *argv)
    for name in names:
        assert name in err, err


def test_a_folder_named_in_another_case_is_the_same_folder(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    err = _refused(capsys, work, *RUN, "--out", "Out/r.jsonl", "--rejects", "out/R.jsonl")
    assert "--rejects out/R.jsonl" in err


def test_names_that_differ_in_more_than_case_are_written(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    assert main([*RUN, "--out", "r.jsonl", "--rejects", "bad.jsonl"]) == 0
    assert (work / "r.jsonl").is_file()
    check_outputs(["in.jsonl"], {"--out": "in2.jsonl", "--markdown": "In2.md"})  # no error


def test_the_same_name_twice_is_still_a_path_problem(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*RUN, "--out", "r.jsonl", "--rejects", "r.jsonl"]) == 1
    assert "is the same file as" in capsys.readouterr().err


def test_a_name_in_another_unicode_form_is_the_same_name(capsys: pytest.CaptureFixture[str], work: Path) -> None:
    """'é' as one character and as 'e' with a combining accent: one name on macOS, which normalises names."""
    err = _refused(capsys, work, *RUN, "--out", "r\u00e9.jsonl", "--rejects", "RE\u0301.jsonl")
    assert "--rejects" in err
