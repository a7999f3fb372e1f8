"""tests/data/country_template/: the expected figures of OpenFisca's country template in our case shape.

The script beside the data counts them without the package (38 tests, 59 values); these tests run it, and show it
fails on a file that lost a line or gave a member's result under the wrong member."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

DATA = Path(__file__).resolve().parent / "data" / "country_template"


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_counts", DATA / "check_counts.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module


def test_the_file_has_the_packages_38_tests_and_59_values() -> None:
    counts = checker().count()
    assert (counts.tests, counts.values, counts.problems) == (38, 59, [])
    assert (counts.without_dated_parameters, counts.by_need["dated parameters"], counts.facts_expected) == (51, 8, 2)


def test_a_lost_line_is_a_problem(tmp_path: Path) -> None:
    lines = (DATA / "expectations.jsonl").read_text(encoding="utf-8").splitlines()
    short = tmp_path / "short.jsonl"
    short.write_text("\n".join(lines[1:]) + "\n", encoding="utf-8")
    assert checker().count(short).problems == ["37 tests and 57 values; the package has 38 and 59"]


def test_a_result_under_another_member_is_a_problem(tmp_path: Path) -> None:
    rows = [json.loads(line) for line in (DATA / "expectations.jsonl").read_text(encoding="utf-8").splitlines()]
    situation = next(row for row in rows if row["test"] == "situations-income-tax-1")
    situation["checks"][0]["expected"]["adults"][0]["id"] = "Michael"
    moved = tmp_path / "moved.jsonl"
    moved.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert checker().count(moved).problems == [
        "situations-income-tax-1: the results of adults are not one per member, in the case's order"
    ]
