"""Checks tests/data/country_template/expectations.jsonl: 38 tests and 59 expected values, each well formed.

The file restates the expected figures of openfisca-country-template 8.2.0's YAML tests in our case shape
(README.md beside it). This script reads only that file, with the standard library: it needs neither the package nor
the compiler, so the counts can be checked anywhere. Run it as `python tests/data/country_template/check_counts.py`;
tests/test_country_template_data.py runs it too.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
EXPECTATIONS = HERE / "expectations.jsonl"

TESTS = 38
VALUES = 59
# What an expected value needs beyond today's language: issue 14's items 1 to 3, issue 15, and a second statute.
NEEDS = ("per-record decisions", "households", "scales", "dated parameters", "reform")
STATUTES = (
    "base",
    "reform: goes to school",
    "reform: housing allowance at 10%",
    "reform: new tax",
    "reform: contribution scale",
)
ROLES = ("adults", "children")
HOUSEHOLD_FACTS = {"id", "month", "rent", "accommodation_size", "housing_occupancy_status", *ROLES}
PERSON_FACTS = {"id", "birth_date", "salary", "capital_returns", "car_holder", "goes_to_school"}


@dataclass
class Counts:
    tests: int = 0
    checks: int = 0
    values: int = 0
    by_need: Counter[str] = field(default_factory=Counter)
    without_dated_parameters: int = 0
    today: int = 0  # needing none of NEEDS
    facts_expected: int = 0
    problems: list[str] = field(default_factory=list)


def values_in(expected: dict[str, object]) -> int:
    """The expected values of one check: the household's, and each member's under its role (its id is no value)."""
    count = 0
    for key, value in expected.items():
        if key in ROLES:
            assert isinstance(value, list)
            count += sum(len(member) - 1 for member in value)
        else:
            count += 1
    return count


def check_one(test: str, check: dict[str, object], counts: Counts) -> None:
    case, expected, needs = check["case"], check["expected"], check["needs"]
    assert isinstance(case, dict) and isinstance(expected, dict) and isinstance(needs, list)
    if set(case) - HOUSEHOLD_FACTS or not {"id", "month", *ROLES} <= set(case):
        counts.problems.append(f"{test}: the case's facts are {sorted(case)}")
    for role in ROLES:
        members = case.get(role, [])
        assert isinstance(members, list)
        ids = [member.get("id") for member in members]
        if any(set(member) - PERSON_FACTS or "id" not in member for member in members) or len(set(ids)) != len(ids):
            counts.problems.append(f"{test}: a member of {role} has unknown facts, no id, or another member's id")
        if role in expected and [row.get("id") for row in expected[role]] != ids:
            counts.problems.append(f"{test}: the results of {role} are not one per member, in the case's order")
    if unknown := set(needs) - set(NEEDS):
        counts.problems.append(f"{test}: unknown needs {sorted(unknown)}")
    n = values_in(expected)
    counts.checks += 1
    counts.values += n
    for need in needs:
        counts.by_need[need] += n
    if not needs:
        counts.today += n
    if "dated parameters" not in needs:
        counts.without_dated_parameters += n
    facts = check.get("facts_expected", [])
    assert isinstance(facts, list)
    counts.facts_expected += len(facts)


def count(path: Path = EXPECTATIONS) -> Counts:
    counts = Counts()
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        test = row["test"]
        if test in seen or row["statute"] not in STATUTES or not row["checks"]:
            counts.problems.append(f"{test}: a test named twice, of an unknown statute, or without checks")
        seen.add(test)
        counts.tests += 1
        for check in row["checks"]:
            check_one(test, check, counts)
    if counts.tests != TESTS or counts.values != VALUES:
        counts.problems.append(f"{counts.tests} tests and {counts.values} values; the package has {TESTS} and {VALUES}")
    return counts


def main() -> int:
    counts = count()
    print(f"{counts.tests} tests, {counts.checks} cases, {counts.values} expected values")
    print(
        f"  without dated parameters: {counts.without_dated_parameters}; facts, not decisions: {counts.facts_expected}"
    )
    print(f"  in today's language: {counts.today}")
    for need in NEEDS:
        print(f"  needing {need}: {counts.by_need[need]}")
    for problem in counts.problems:
        print(f"problem: {problem}", file=sys.stderr)
    return 1 if counts.problems else 0


if __name__ == "__main__":
    sys.exit(main())
