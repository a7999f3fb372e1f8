"""The results of `statute test`'s property checks as text: a line per check, and for a failure the smallest case
found (as a case file holds it), the guarantee and the articles it breaks, the decision and its explanation.

The explanation comes from compiler/explain; when it cannot be built, the decision's trace is printed instead.
"""

from __future__ import annotations

import types
from typing import TYPE_CHECKING, Any

from compiler.foundation.inert import json_text, visible
from compiler.frontend.diagnostics import Style
from compiler.model import ir
from compiler.values import _shown as message_text  # how the module's own messages show a value

if TYPE_CHECKING:
    from compiler.driver.guarantee_testing import CheckResult, PropertyRun

_INDENT = "     "


def render_results(run: PropertyRun, checked: ir.Checked, module: types.ModuleType, style: Style, verbose: bool) -> str:
    lines: list[str] = []
    for r in run.results:
        if r.passed:
            if verbose:
                rate = f"{r.cases / r.seconds:,.0f} cases/s" if r.seconds > 0 else "-"
                lines.append(f"{style.bold}pass{style.reset} {visible(_heading(r))}: {r.cases} cases, {rate}")
            continue
        lines.append(f"{style.red}FAIL{style.reset} {visible(_heading(r))}")
        # A guarantee's title, the values of a counterexample: the statute's text and drawn data, shown, not obeyed.
        lines += [visible(line) for line in _failure(r, checked, module, run.seed)]
    if run.undecided is not None:
        reason, case = run.undecided
        count, drawn = run.outcomes.get("undecided", 0), sum(run.outcomes.values())
        lines.append(
            f"note: {count} of the {drawn} cases drawn cannot be decided for want of a fact they do not give "
            f"(reported, not a failure, as in `statute prove`); the first: {visible(reason)}"
        )
        if verbose:
            lines += _indented(json_text(case, indent=2))
    failed = sum(1 for r in run.results if not r.passed)
    lines.append(
        f"guarantees and properties: {len(run.results) - failed} passed, {failed} failed "
        f"({len(run.results)} checks on up to {run.examples} cases, seed {run.seed}; {run.seconds:.1f} s)"
    )
    return "\n".join(lines) + "\n"


def _heading(r: CheckResult) -> str:
    where = "; ".join(p for p in (", ".join(r.articles), f"line {r.line}" if r.line else "") if p)
    return f"{r.name}: {r.title}" + (f" ({where})" if where else "")


def _failure(r: CheckResult, checked: ir.Checked, module: types.ModuleType, seed: int) -> list[str]:
    lines: list[str] = []
    if r.derived_from is not None:
        rule = next(x for d in checked.definitions for x in d.rules if x.ident == r.derived_from)
        lines.append(f"{_INDENT}derived from the exception {rule.ident} ({rule.citation.label}, line {rule.span.line})")
    if not (r.line is not None and str(r.failure).startswith("breaks ")):  # a guarantee's heading says it
        lines.append(f"{_INDENT}{r.failure}")
    if r.counterexample is None:
        return lines
    found = f"the smallest case found, after {r.cases} cases, seed {seed}"
    lines.append(f"{_INDENT}counterexample ({found}), as a case file:")
    lines += _indented(json_text(r.counterexample, indent=2))  # a case file to copy: escapes, not lossy signs
    lines += _explained(r.counterexample, checked, module)
    return lines


def _indented(text: str, indent: str = _INDENT + "  ") -> list[str]:
    # Only a line feed ends a line: JSON leaves U+2028 or U+0085 in a string, which splitlines would take for one.
    return [indent + line if line else "" for line in text.removesuffix("\n").split("\n")]


def _explained(case: dict[str, Any], checked: ir.Checked, module: types.ModuleType) -> list[str]:
    """The decision's explanation in text, or its trace when explanations cannot be built for it."""
    try:
        loaded = module.load_case(case)
    except Exception as exc:
        return [f"{_INDENT}the evaluator refuses the case: {exc}"]
    try:
        from compiler.backends.python.generated import GeneratedEvaluator
        from compiler.explain.decision import explain
        from compiler.explain.render import locale_for, render

        locale = locale_for("en")
        explanation = explain(checked, GeneratedEvaluator(checked, module), loaded, locale, case_id="counterexample")
        return [f"{_INDENT}the decision, explained:", *_indented(render(explanation, "text", locale))]
    except Exception as exc:  # an explanation that cannot be built must not hide the counterexample
        why = f"{type(exc).__name__}: {exc}"
        return [f"{_INDENT}no explanation ({why}); the decision's trace:", *_trace(module, loaded)]


def _trace(module: types.ModuleType, case: Any) -> list[str]:
    trace = module.Trace()
    lines: list[str] = []
    try:
        decision = module.decide(case, trace)
        ended = f"decided: {module.decision_as_dict(decision)}"
    except Exception as exc:
        ended = f"stopped: {type(exc).__name__}: {exc}"
    depth = 1
    for event in trace.events:
        name = type(event).__name__
        if name in {"TraceLeave", "TraceEndRule"}:
            depth = max(1, depth - 1)
        lines.append(_INDENT + "  " * depth + _event_text(module, event))
        if name in {"TraceEnter", "TraceBeginRule"}:
            depth += 1
    return [*lines, _INDENT + "  " + ended]


def _event_text(module: types.ModuleType, event: Any) -> str:
    name = type(event).__name__
    atoms: dict[int, str] = getattr(module, "ATOMS", {})
    if name == "TraceEnter":
        label = module.DEFINITIONS[event.definition].label
        return f"{label}" + ("" if event.subject is None else f" (of {_shown(event.subject)})") + ":"
    if name == "TraceBeginRule":
        rule = module.RULES[event.rule]
        return f"{rule.ident} ({rule.article}, line {rule.line}): {rule.words}"
    if name == "TraceEndRule":
        return "applies" if event.applied else "does not apply"
    if name == "TraceLeave":
        by = f" (by {', '.join(event.rules)})" if event.rules else " (no rule applies)"
        return f"= {_shown(event.value)}{by}"
    if name == "TraceCompare":
        verdict = "yes" if event.result else "no"
        return f"{atoms.get(event.atom, event.atom)}: {_shown(event.left)} / {_shown(event.right)}: {verdict}"
    if name == "TraceTruth":
        return f"{atoms.get(event.atom, event.atom)}: {'yes' if event.value else 'no'}"
    if name == "TraceElement":
        return f"{atoms.get(event.atom, event.atom)}: element {event.index + 1}"
    return repr(event)


def _shown(value: object) -> str:
    """A traced value as the module's messages show it (values._shown: decimals, yes/no, ISO dates, the drafter's
    words), a list element by element."""
    if isinstance(value, tuple):
        return "(" + ", ".join(_shown(v) for v in value) + ")"
    return message_text(value)
