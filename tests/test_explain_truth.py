"""Explanations that cannot drift from the decision (issue 12, section 2): each test a statute that once made the
explanation crash, drop an outcome, give no reason, or miss a change that flips the decision."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from compiler import build
from compiler.explain.counterfactual import replace
from compiler.explain.decision import explain
from compiler.explain.model import Explanation
from compiler.explain.render import locale_for, render


def _explained(tmp_path: Path, text: str, data: dict[str, Any]) -> tuple[Any, Any, Explanation]:
    path = tmp_path / "statute.statute"
    path.write_text(text, encoding="utf-8")
    checked = build.check_file(path)
    module = build.load_module(checked)
    case = module.load_case(data)
    return module, case, explain(checked, module, case, locale_for("en"))


# docs/language.md, section 9: the repeat offender rule, with an outcome that asks it.
REPEAT_OFFENDER = """Each case is about a person.
A person has:
  - charges: list of charge.
A charge has:
  - gravity: one of minor, medium, grave, especially grave.

Outcome the measure: one of released, refused; by default refused.

Article 1. Repeat offenders

Rule: the person is a repeat offender if the number of charges where the gravity is grave is at least 2.
Rule: the measure is released if not the person is a repeat offender.
"""


def test_a_count_with_where_compared_is_explained(tmp_path: Path) -> None:
    """`the number of <list> where <condition> is at least N` once made the traced form read the loop's variable
    outside its loop (NameError): the explanation crashed on docs/language.md's own example."""
    charges = [{"gravity": "grave"}, {"gravity": "grave"}, {"gravity": "minor"}]
    module, case, explanation = _explained(tmp_path, REPEAT_OFFENDER, {"charges": charges})
    assert module.decide(case).measure.name == "REFUSED"
    text = render(explanation, "text", locale_for("en"))
    assert "the number of charges where the gravity is grave (2) is at least 2" in text
    assert [o.value for o in explanation.outcomes] == ["refused"]
    change = explanation.changes[0]
    assert module.decide(replace(case, change.path, change.value)).measure.name == "RELEASED"
