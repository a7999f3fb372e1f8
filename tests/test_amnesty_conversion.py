"""The converter of an amnesty register of the first format (statutes/kz_amnesty_2022_convert.py): the person's
stage, sentence and sentence start become each charge's; the register in statutes/ is the first format's register
(tests/data/kz_amnesty_2022_v1.jsonl) converted; bad rows are rejected with their row, field and reason, and every
row read is converted or rejected; the output is never the input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from compiler.driver import build
from compiler.population.batch import run_file
from compiler.population.batch_workers import make_job

ROOT = Path(__file__).parent.parent
CONVERTER = ROOT / "statutes" / "kz_amnesty_2022_convert.py"
OLD = ROOT / "tests" / "data" / "kz_amnesty_2022_v1.jsonl"
NEW = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"


def _convert(*args: object) -> subprocess.CompletedProcess[str]:
    """The converter as its users run it: a standalone script, in isolated mode (no site, no project on the path)."""
    command = [sys.executable, "-I", "-S", str(CONVERTER), *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", check=False)


def _rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _person(**changes: Any) -> dict[str, Any]:
    charge = {"offence": "Article 188 part 1 (theft)", "gravity": "minor", "category": "ordinary"}
    charge |= {"circumstances": "in the riots", "act_date": "2022-01-05", "proven": True}
    row = {"id": "P-1", "role": "civilian", "stage": "serving sentence", "age_at_act": 30}
    row |= {"relapse": "without relapse", "sentence": "2 years", "sentence_start": "2022-03-01", "charges": [charge]}
    return row | changes


def test_the_register_is_the_first_format_converted(tmp_path: Path) -> None:
    out = tmp_path / "new.jsonl"
    done = _convert(OLD, out)
    assert done.returncode == 0, done.stderr
    assert "150 rows read: 150 converted, 0 rejected" in done.stderr
    assert out.read_bytes() == NEW.read_bytes()


def test_stage_goes_to_every_charge_and_the_sentence_to_the_gravest(tmp_path: Path) -> None:
    lesser = _person()["charges"][0]
    grave = lesser | {"offence": "Article 272 part 2", "gravity": "grave"}
    gravest = lesser | {"offence": "Article 191 part 4", "gravity": "especially grave", "act_date": "2022-01-06"}
    row = _person(charges=[lesser, grave, gravest], note="kept")
    (tmp_path / "old.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert _convert(tmp_path / "old.jsonl", tmp_path / "new.jsonl").returncode == 0
    [converted] = _rows(tmp_path / "new.jsonl")
    assert list(converted) == ["id", "role", "age_at_act", "relapse", "charges", "note"]
    first, second, third = converted["charges"]
    assert first == lesser | {"stage": "serving sentence"}  # a lesser charge: the stage, no part of the sentence
    sentence = {"stage": "serving sentence", "sentence": "2 years", "sentence_start": "2022-03-01"}
    assert third == gravest | sentence  # the gravest charge, which the sentence was decided by
    assert second == grave | sentence  # a grave charge, which Article 3 cannot reduce without a sentence
    two_medium = _person(charges=[lesser | {"gravity": "medium"}, lesser])
    (tmp_path / "old.jsonl").write_text(json.dumps(two_medium) + "\n", encoding="utf-8")
    assert _convert(tmp_path / "old.jsonl", tmp_path / "new.jsonl").returncode == 0
    [converted] = _rows(tmp_path / "new.jsonl")
    assert ["sentence" in c for c in converted["charges"]] == [True, False]


def test_a_person_without_sentence_or_charges_converts(tmp_path: Path) -> None:
    rows = [_person(stage="on trial", sentence=None), _person(charges=[])]
    del rows[0]["sentence_start"]
    (tmp_path / "old.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    assert _convert(tmp_path / "old.jsonl", tmp_path / "new.jsonl").returncode == 0
    first, second = _rows(tmp_path / "new.jsonl")
    assert first["charges"][0]["stage"] == "on trial" and first["charges"][0]["sentence"] is None
    assert "sentence_start" not in first["charges"][0]
    assert second["charges"] == [] and "stage" not in second


BAD = [
    ("not json at all", "", "not JSON"),
    ("[1, 2]", "", "a row must be a JSON object"),
    (json.dumps(_person(charges="none")), "charges", "must be a list of charges"),
    (json.dumps({k: v for k, v in _person().items() if k != "charges"}), "charges", "missing"),
    (json.dumps(_person(charges=[7])), "charges[1]", "a charge must be a JSON object"),
    (json.dumps({k: v for k, v in _person().items() if k != "stage"}), "stage", "missing"),
    (json.dumps(_person(sentence=24)), "sentence", "must be text"),
    (json.dumps(_person(charges=[_person()["charges"][0] | {"gravity": "serious"}])), "charges[1].gravity", "serious"),
    (json.dumps(_person(charges=[_person()["charges"][0] | {"stage": "on trial"}])), "charges[1].stage", "already"),
]


@pytest.mark.parametrize(("line", "field", "reason"), BAD, ids=[b[1] + ":" + b[2] for b in BAD])
def test_a_bad_row_is_rejected_with_its_row_field_and_reason(
    tmp_path: Path, line: str, field: str, reason: str
) -> None:
    good = json.dumps(_person())
    (tmp_path / "old.jsonl").write_text(f"{good}\n\n{line}\n{good}\n", encoding="utf-8")
    done = _convert(tmp_path / "old.jsonl", tmp_path / "new.jsonl", "--rejects", tmp_path / "bad.jsonl")
    assert done.returncode == 1
    assert "3 rows read: 2 converted, 1 rejected" in done.stderr  # rows in = converted + rejected
    assert len(_rows(tmp_path / "new.jsonl")) == 2
    [rejected] = _rows(tmp_path / "bad.jsonl")
    assert rejected["row"] == 3 and rejected["field"] == field and reason in rejected["reason"]
    assert rejected["id"] == (None if field == "" else "P-1")


def test_rejects_on_the_terminal_are_inert(tmp_path: Path) -> None:
    """Without --rejects each rejected row is one line on standard error; nothing in it drives the terminal."""
    row = _person(id="\x1b[2J\nfake", charges=[_person()["charges"][0] | {"gravity": "\x1b[31mred"}])
    (tmp_path / "old.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    done = _convert(tmp_path / "old.jsonl", tmp_path / "new.jsonl")
    assert done.returncode == 1 and "\x1b" not in done.stderr
    assert done.stderr.splitlines()[0].startswith('row 1 (id "\\u001b[2J\\nfake"): "charges[1].gravity"')


def test_the_output_is_never_the_input(tmp_path: Path) -> None:
    old = tmp_path / "old.jsonl"
    text = json.dumps(_person()) + "\n"
    old.write_text(text, encoding="utf-8")
    os.symlink(old, tmp_path / "link.jsonl")
    os.link(old, tmp_path / "hard.jsonl")
    for out in (old, tmp_path / "link.jsonl", tmp_path / "hard.jsonl", tmp_path / "." / "old.jsonl"):
        done = _convert(old, out)
        assert done.returncode == 2 and "is the input" in done.stderr
    done = _convert(old, tmp_path / "new.jsonl", "--rejects", old)
    assert done.returncode == 2 and "is the input" in done.stderr
    done = _convert(old, tmp_path / "new.jsonl", "--rejects", tmp_path / "new.jsonl")
    assert done.returncode == 2 and "two files" in done.stderr
    assert old.read_text(encoding="utf-8") == text and not (tmp_path / "new.jsonl").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no partial file left


def test_the_converted_register_is_decided_whole() -> None:
    """README quick start: every case of the converted register is decided, none rejected."""
    checked = build.check_file(AMNESTY)
    summary = run_file(make_job(checked, None, None), NEW, None, None, 1, sys.stderr)
    assert (summary.rows, summary.decided, summary.rejected) == (150, 150, 0)
