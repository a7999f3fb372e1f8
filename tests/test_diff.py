"""Amendments (compiler.population.diff): two versions of the amnesty over the same cases, grouped by the change."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from compiler.commands import diff as diff_commands
from compiler.driver import build
from compiler.driver.runner import run_examples
from compiler.population import diff

STATUTES = Path(__file__).parent.parent / "statutes"
SIGNED = STATUTES / "kz_amnesty_2022.statute"
VARIANT = STATUTES / "kz_amnesty_2022_variant.statute"
CASES = STATUTES / "kz_amnesty_2022.cases.jsonl"


@pytest.fixture(scope="module")
def comparison() -> diff.Comparison:
    return diff.compare(diff.load_version(str(SIGNED)), diff.load_version(str(VARIANT)), CASES)


def test_the_variant_passes_its_own_examples() -> None:
    checked = build.check_file(VARIANT)
    results = run_examples(checked, build.load_module(checked))
    assert [r.failures for r in results if not r.passed] == []


def test_every_case_is_accounted_for(comparison: diff.Comparison) -> None:
    assert comparison.rows == 150
    assert comparison.changed + comparison.unchanged + comparison.rejected_both == 150
    assert comparison.changed > 0


def test_the_text_changes_are_named(comparison: diff.Comparison) -> None:
    assert "parameter the especially grave crime reduction: 0.5 -> 0.75" in comparison.text_changes
    assert any("article_5_rule_2" in line and "organisation of mass riots" in line for line in comparison.text_changes)


def test_cases_are_grouped_by_the_change_with_the_articles_responsible(comparison: diff.Comparison) -> None:
    groups = {g.change: g for g in comparison.groups.values()}
    # each charge's measure and new sentence change with the person's measure (Article 9 reads the charges')
    excluded = groups[
        (
            "reduction of sentence -> excluded",
            "charge 1: charge measure reduction of sentence -> excluded",
            "charge 1: new sentence higher",
        )
    ]
    assert excluded.articles == {"Article 9 -> Article 9; Article 3 -> Article 5": excluded.count}
    example = excluded.example
    assert example is not None and example.facts["age_at_act"] < 18
    assert any("excluded" in line and "Article 5" in line for line in example.after)
    assert any("article_5_rule_2" in line for line in example.met)
    shorter = groups[("charge 1: new sentence lower",)]
    assert shorter.example is not None
    assert any("article_3_rule_2" in line for line in shorter.example.met)
    for group in comparison.groups.values():
        assert group.example is not None and group.ids and group.count >= len(group.ids)


def test_a_statute_compared_with_itself_changes_nothing() -> None:
    version = diff.load_version(str(SIGNED))
    same = diff.compare(version, version, CASES)
    assert (same.changed, same.unchanged, same.text_changes) == (0, 150, [])


def test_the_diff_command_prints_markdown_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    diff_commands.add_diff_arguments(parser)
    out = tmp_path / "diff.json"
    args = parser.parse_args([str(SIGNED), str(VARIANT), "--cases", str(CASES), "--out", str(out)])
    assert diff_commands.diff_command(args) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("# kz_amnesty_2022.statute -> kz_amnesty_2022_variant.statute")
    assert (
        "## reduction of sentence -> excluded; charge 1: charge measure reduction of sentence -> excluded; " in printed
    )
    assert "Example: KZ-" in printed
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["rows"] == 150 and data["groups"][0]["example"]["case_id"].startswith("KZ-")
