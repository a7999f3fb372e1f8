"""Synthetic registers (compiler.population.synth, compiler.population.register): deterministic, valid, realistic,
breakable on purpose."""

from __future__ import annotations

import argparse
import collections
import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from compiler.commands.register import add_synth_arguments, synth_command
from compiler.driver import build
from compiler.model import ir
from compiler.population.register import BROKEN_JSON, broken
from compiler.population.synth import Generator, load_profile, profile_path
from compiler.population.synth_values import ProfileError

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"


@pytest.fixture(scope="module")
def checked() -> ir.Checked:
    return build.check_file(AMNESTY)


@pytest.fixture(scope="module")
def profile() -> dict[str, Any]:
    return load_profile(profile_path(AMNESTY))


def test_the_same_seed_gives_the_same_register_and_a_longer_one_starts_alike(
    checked: ir.Checked, profile: dict[str, Any]
) -> None:
    generator = Generator(checked, profile)
    first = list(generator.cases(300, seed=1))
    assert first == list(Generator(checked, profile).cases(300, seed=1))
    assert first[:120] == list(generator.cases(120, seed=1))
    assert first != list(generator.cases(300, seed=2))
    assert [c["id"] for c in first[:2]] == ["SYN-0000001", "SYN-0000002"]


@pytest.mark.parametrize("with_profile", [True, False])
def test_every_generated_case_is_a_valid_case(checked: ir.Checked, profile: dict[str, Any], with_profile: bool) -> None:
    module = build.load_module(checked)
    cases = list(Generator(checked, profile if with_profile else None).cases(800, seed=3))
    refused = []
    for case in cases:
        try:
            module.load_case(case)
        except module.CaseError as exc:  # it names the field whose bound or value the generator broke
            refused.append(f"{case['id']}: {exc}")
    assert len(cases) == 800 and refused == [], refused[:3]


def test_the_profile_makes_the_register_realistic(checked: ir.Checked, profile: dict[str, Any]) -> None:
    cases = list(Generator(checked, profile).cases(3000, seed=5))
    convicted = {"serving sentence", "sentence served"}
    every_charge = [ch for c in cases for ch in c["charges"]]
    assert all(("sentence" in ch) == (ch["stage"] in convicted) for ch in every_charge)
    assert all(("sentence_start" in ch) == (ch["stage"] in convicted) for ch in every_charge)
    assert all(ch["sentence_start"] > ch["act_date"] for ch in every_charge if "sentence_start" in ch)
    # each charge at its own stage: some persons have charges at different stages
    assert sum(len({ch["stage"] for ch in c["charges"]}) > 1 for c in cases) > 0.05 * len(cases)
    roles = collections.Counter(c["role"] for c in cases)
    assert roles["civilian"] > 0.8 * len(cases) and roles["serviceman"] > 0
    officers = [ch for c in cases if c["role"] != "civilian" for ch in c["charges"]]
    assert collections.Counter(ch["circumstances"] for ch in officers).most_common(1)[0][0] == "suppressing the riots"
    charges = [ch for c in cases for ch in c["charges"]]
    in_riots = [ch for ch in charges if ch["circumstances"] != "unconnected"]
    assert sum("2022-01-04" <= ch["act_date"] <= "2022-01-07" for ch in in_riots) > 0.9 * len(in_riots)
    lengths = collections.Counter(len(c["charges"]) for c in cases)
    assert lengths[1] > lengths[2] > lengths[3] > 0
    for ch in every_charge:
        if ch["stage"] == "serving sentence" and _rank(ch["gravity"]) >= 3:
            assert int(ch["sentence"].split()[0]) >= 3, "a grave crime gets years, not months"
    ages = collections.Counter(c["age_at_act"] for c in cases)
    assert ages[14] < 0.03 * len(cases), "the normal is truncated, not clipped onto the bound"


def _rank(gravity: str) -> int:
    return ["criminal misdemeanour", "minor", "medium", "grave", "especially grave"].index(gravity)


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        ({"records": {"Person": {"fields": {"role": {"weights": {"pirate": 1}}}}}}, "'pirate' is not a role"),
        ({"records": {"Person": {"fields": {"height": {"value": 3}}}}}, "a person has no field 'height'"),
        ({"records": {"Robot": {}}}, "there is no record 'Robot'"),
        (
            {"records": {"Person": {"fields": {"role": {"by": "stage", "cases": {}}}}}},
            "'stage' is not generated before this field",
        ),
        ({"records": {"Charge": {"fields": {"stage": {"given": 0.5}}}}}, "only an optional field can be left out"),
    ],
)
def test_a_profile_that_does_not_fit_the_vocabulary_is_refused(
    checked: ir.Checked, profile: dict[str, Any], message: str
) -> None:
    with pytest.raises(ProfileError, match=message):
        Generator(checked, profile)


def test_broken_rows_leave_the_valid_rows_as_they_were(checked: ir.Checked, profile: dict[str, Any]) -> None:
    module = build.load_module(checked)
    clean = list(Generator(checked, profile).cases(1000, seed=9))
    mixed = list(broken(iter(clean), checked, 0.1, seed=9))
    changed = [i for i, (a, b) in enumerate(zip(clean, mixed, strict=True)) if a != b]
    assert 50 <= len(changed) <= 150
    for i in changed:
        if mixed[i].get(BROKEN_JSON):
            continue
        with pytest.raises(module.CaseError):
            module.load_case({k: v for k, v in mixed[i].items() if k != "id"})


def test_the_synth_command_writes_jsonl_and_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_synth_arguments(parser)
    for name in ("r.jsonl", "r.csv"):
        args = parser.parse_args([str(AMNESTY), "--n", "40", "--seed", "1", "--out", str(tmp_path / name)])
        assert synth_command(args) == 0
    rows = [json.loads(line) for line in (tmp_path / "r.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 40 and rows[0]["id"] == "SYN-0000001"
    header, *lines = (tmp_path / "r.csv").read_text(encoding="utf-8").splitlines()
    assert header.startswith("id,role,age_at_act,relapse") and len(lines) == 40
    assert "wrote 40 cases" in capsys.readouterr().err
    assert synth_command(parser.parse_args([str(AMNESTY), "--n", "3"])) == 0
    assert len(capsys.readouterr().out.splitlines()) == 3


def test_generation_without_a_profile_covers_every_enumeration_value(checked: ir.Checked) -> None:
    cases = list(itertools.islice(Generator(checked).cases(600, seed=4), 600))
    stages = {ch["stage"] for c in cases for ch in c["charges"]}
    assert stages == {v.text for v in checked.enum("Stage").values}
