"""The fuzz suites' own helpers can fail: a statute whose examples fail is caught, and so is a runner that writes
something other than its documented failure lines."""

from __future__ import annotations

import pytest

from compiler.driver import runner
from fuzz.support import through_pipeline

STATUTE = """\
Each case is about a person.
A person has:
  - age: whole number from 0 to 120.
Outcome the measure: one of adult, minor; by default minor.

Article 1. Adults

Rule: the measure is adult if the age is at least 18.

Example "A person of 30 is an adult":
  Facts: age: 30.
  Expected: the measure is {expected}.
"""


def test_a_statute_that_passes_its_examples_goes_through() -> None:
    outcome = through_pipeline(STATUTE.format(expected="adult"))
    assert outcome.stage == "compiled" and outcome.example_failures == ()


def test_a_statute_whose_own_example_fails_is_caught() -> None:
    with pytest.raises(AssertionError, match="the statute's own examples fail"):
        through_pipeline(STATUTE.format(expected="minor"))


def test_drawn_examples_may_fail_but_only_with_the_runners_lines() -> None:
    outcome = through_pipeline(STATUTE.format(expected="minor"), examples_pass=False)
    assert outcome.example_failures == ("expected measure to be minor, got adult",)


def test_a_failure_line_the_runner_does_not_write_is_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    def garbled(*args: object) -> object:
        yield "Traceback (most recent call last):\n  ..."

    monkeypatch.setattr(runner, "_example_failures", garbled)
    with pytest.raises(AssertionError, match="not a failure line of the runner"):
        through_pipeline(STATUTE.format(expected="minor"), examples_pass=False)
