"""Links between the facts of a synthetic case (compiler.population.synth_links): a sentence that starts after the
acts it punishes, an act after the fourteenth birthday, an age that fits the dates, an amount at most another; checked
where the profile is read, with the place of a fault in the profile's file; deterministic for a seed."""

from __future__ import annotations

import argparse
import copy
import datetime
import json
from pathlib import Path
from typing import Any

import pytest

from compiler.commands.register import add_synth_arguments, synth_command
from compiler.driver import build
from compiler.interpret.read import parse_duration
from compiler.model import ir
from compiler.population.synth import Generator, load_places, load_profile, profile_path
from compiler.population.synth_places import places
from compiler.population.synth_values import ProfileError
from compiler.values import whole_between

STATUTES = Path(__file__).parent.parent / "statutes"
AMNESTY = STATUTES / "kz_amnesty_2022.statute"
SECTION_121 = STATUTES / "us_irc_121.statute"

FINES = """Title: "Fines for late payment".
Locale: en.
Currency: EUR.

Each case is about a person.

A person has:
  - birth date: date from 1 January 1920 to 31 December 2015;
  - age at the act: whole number from 0 to 110;
  - fine: money from 0 EUR to 10,000 EUR;
  - paid: money from 0 EUR to 10,000 EUR;
  - charges: list of charge.

A charge has:
  - act date: date from 1 January 2000 to 31 December 2030;
  - decided on: date from 1 January 2000 to 31 December 2032, optional.

Outcome the balance: money.

Article 1. Balance

Rule: the balance is the fine minus the paid.
"""

LINKED: dict[str, Any] = {
    "records": {
        "Person": {
            "order": ["birth_date", "charges", "age_at_act", "fine", "paid"],
            "fields": {
                "birth_date": {"date": ["1950-01-01", "2000-12-31"]},
                "age_at_act": {"years from": "the birth date", "to": "the act date of every charge"},
                "fine": {"uniform": [100, 5000]},
                "paid": {"at most": "the fine", "by": [0, 300]},
            },
        },
        "Charge": {
            "order": ["act_date", "decided_on"],
            "fields": {
                "act_date": {"after": "the birth date", "by": "14 years to 29 years"},
                "decided_on": {"given": 0.7, "after": "the act date", "by": "1 month to 2 years"},
            },
        },
    }
}


@pytest.fixture(scope="module")
def fines(tmp_path_factory: pytest.TempPathFactory) -> ir.Checked:
    path = tmp_path_factory.mktemp("fines") / "fines.statute"
    path.write_text(FINES, encoding="utf-8")
    return build.check_file(path)


@pytest.fixture(scope="module")
def amnesty() -> ir.Checked:
    return build.check_file(AMNESTY)


def _day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_linked_facts_hang_together(fines: ir.Checked) -> None:
    cases = list(Generator(fines, LINKED).cases(2000, seed=7))
    decided = 0
    for case in cases:
        born = _day(case["birth_date"])
        acts = [_day(c["act_date"]) for c in case["charges"]]
        assert all(whole_between("years", born, act) >= 14 for act in acts), case
        assert case["age_at_act"] == whole_between("years", born, min(acts))
        for charge in case["charges"]:
            if "decided_on" in charge:
                decided += 1
                assert _day(charge["decided_on"]) > _day(charge["act_date"])
        assert 0 <= float(case["fine"]) - float(case["paid"]) <= 300
    assert 0.6 < decided / sum(len(c["charges"]) for c in cases) < 0.8


def test_links_are_deterministic_for_a_seed(fines: ir.Checked) -> None:
    first = list(Generator(fines, LINKED).cases(200, seed=3))
    assert first == list(Generator(fines, LINKED).cases(200, seed=3))
    assert first != list(Generator(fines, LINKED).cases(200, seed=4))


def test_without_its_links_the_amnesty_profile_draws_cases_that_break_the_requirement(amnesty: ir.Checked) -> None:
    """The amnesty requires every charge's act on or before its sentence start. Its profile links the two, so no
    draw breaks it; the same profile with the start drawn from a plain range of dates breaks it again and again."""
    profile = load_profile(profile_path(AMNESTY))
    linked = Generator(amnesty, profile)
    cases = list(linked.cases(4000, seed=11))
    assert linked.redrawn == 0
    starts = [charge for case in cases for charge in case["charges"] if "sentence_start" in charge]
    assert len(starts) > 1000 and all(charge["sentence_start"] >= charge["act_date"] for charge in starts)
    unlinked = copy.deepcopy(profile)
    unlinked["records"]["Charge"]["fields"]["sentence_start"] = {
        "given_if": {"stage": ["serving sentence", "sentence served"]},
        "date": ["2022-01-10", "2022-10-31"],
    }
    plain = Generator(amnesty, unlinked)
    list(plain.cases(4000, seed=11))
    assert plain.redrawn > 20


def test_the_section_121_profile_links_periods(tmp_path: Path) -> None:
    checked = build.check_file(SECTION_121)
    generator = Generator(checked, load_profile(profile_path(SECTION_121)))
    cases = list(generator.cases(3000, seed=2))
    days = lambda case, name: parse_duration(case[name]).total_days  # noqa: E731
    for case in cases:
        assert days(case, "days_used_as_principal_residence") <= days(case, "days_owned")
        if "days_since_last_excluded_sale" in case:
            assert days(case, "days_since_last_excluded_sale") >= days(case, "days_owned")
        joint = case["reported_on_joint_return"]
        assert ("spouse_days_owned" in case) == joint
        if joint:
            assert days(case, "spouse_days_used_as_principal_residence") <= days(case, "spouse_days_owned")
    assert 0.2 < sum("days_since_last_excluded_sale" in c for c in cases) / len(cases) < 0.4
    assert generator.redrawn == 0
    module = build.load_module(checked)
    for case in cases[:300]:
        module.load_case({k: v for k, v in case.items() if k != "id"})


def _person(fields: dict[str, Any]) -> dict[str, Any]:
    return {"records": {"Person": {"order": ["birth_date", "charges"], "fields": fields}}}


@pytest.mark.parametrize(
    ("profile", "message"),
    [
        (_person({"age_at_act": {"years from": "the brith date", "to": "x"}}), "did you mean 'birth date'"),
        (
            {"records": {"Charge": {"fields": {"act_date": {"after": "the birth date of every person"}}}}},
            "no list of 'person' is generated before this field",
        ),
        (
            _person({"age_at_act": {"years from": "the birth date", "to": "the act dat of every charge"}}),
            "a charge has no field 'act dat' \\(did you mean 'act date'\\?\\)",
        ),
        (
            {"records": {"Person": {"order": ["paid"], "fields": {"paid": {"at most": "the fine"}}}}},
            "no field 'fine' .* is generated before this one",
        ),
        (_person({"fine": {"after": "the birth date"}}), "'after' moves a date from a date"),
        (_person({"paid": {"at least": "the birth date"}}), "cannot be at least the birth date \\(a date\\)"),
        (_person({"age_at_act": {"years from": "the birth date"}}), 'needs "to"'),
        (_person({"birth_date": {"afer": "the birth date"}}), "'afer' is not a key .* \\(did you mean 'after'\\?\\)"),
        (_person({"age_at_act": {"years from": "the birth date", "to": "the birth date", "by": [1, 2]}}), "'by'"),
        (
            {"records": {"Charge": {"fields": {"act_date": {"after": "the birth date", "by": "2 years to 1 year"}}}}},
            "runs backwards",
        ),
        (
            {"records": {"Charge": {"fields": {"act_date": {"after": "the birth date", "by": "soon"}}}}},
            "is a range such as",
        ),
    ],
)
def test_a_link_that_does_not_fit_is_refused(fines: ir.Checked, profile: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message):
        Generator(fines, profile)


def test_an_error_names_its_place_in_the_profile_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    profile = json.loads(profile_path(AMNESTY).read_text(encoding="utf-8"))
    spec = profile["records"]["Charge"]["fields"]["sentence_start"]
    spec["else"]["after"] = "the act dat"
    path = tmp_path / "p.synth.json"
    text = json.dumps(profile, indent=2)
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if 'the act dat"' in row)
    parser = argparse.ArgumentParser()
    add_synth_arguments(parser)
    assert synth_command(parser.parse_args([str(AMNESTY), "--n", "2", "--profile", str(path)])) == 1
    err = capsys.readouterr().err
    assert f"{path}:{line}:13: Charge.sentence_start[else]: 'after': 'the act dat'" in err
    assert "did you mean 'act date'" in err and "Traceback" not in err
    with pytest.raises(ProfileError, match=f"{path}:{line}:13"):
        Generator(build.check_file(AMNESTY), profile, str(path), load_places(path))


def test_places_are_lines_and_columns_of_keys() -> None:
    text = '{\n  "a": {"b": [1, {"c": 2}]},\n  "d": "x"\n}'
    at = places("p.json", text)
    assert at.at(("a",)) == "p.json:2:3"
    assert at.at(("a", "b")) == "p.json:2:9"
    assert at.at(("a", "b", 1, "c")) == "p.json:2:19"
    assert at.at(("d", "nowhere")) == "p.json:3:3"
    assert at.at(("z",)) == "p.json"
    assert places("p.json", "{not json").at(("a",)) == "p.json"


def test_the_synth_command_says_how_many_draws_broke_a_requirement(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    profile = load_profile(profile_path(AMNESTY))
    profile["records"]["Charge"]["fields"]["sentence_start"] = {
        "given_if": {"stage": ["serving sentence", "sentence served"]},
        "date": ["2022-01-01", "2022-01-10"],
    }
    path = tmp_path / "unlinked.synth.json"
    path.write_text(json.dumps(profile), encoding="utf-8")
    parser = argparse.ArgumentParser()
    add_synth_arguments(parser)
    out = tmp_path / "r.jsonl"
    assert (
        synth_command(parser.parse_args([str(AMNESTY), "--n", "300", "--profile", str(path), "--out", str(out)])) == 0
    )
    assert "broke a requirement of the statute and were drawn again" in capsys.readouterr().err
    assert synth_command(parser.parse_args([str(AMNESTY), "--n", "300", "--out", str(out)])) == 0
    assert "drawn again" not in capsys.readouterr().err
