"""Amendments: two versions of a statute run over the same cases, and the cases whose outcome changes.

Cases are grouped by the change ("reduction at sentencing -> excluded"); each group names the articles whose rules
decided the outcome before and after, and explains one example case: its facts, both decisions with the deciding
rules in the drafter's words, and the changes in the text (rules and parameters) that its evaluation met. Which
rules decided is read from a trace of each decision, not guessed.
"""

from __future__ import annotations

import collections
import dataclasses
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from compiler.backends.python.generated import GeneratedEvaluator, GeneratedRowDecider
from compiler.driver import build
from compiler.foundation import inert
from compiler.foundation.inert import json_text
from compiler.foundation.wording import counted
from compiler.model import ir
from compiler.model.evaluator import (
    DefinitionDecided,
    DefinitionEntered,
    RowDecider,
    RuleBegun,
    RuleEnded,
    TraceEvent,
)
from compiler.model.value_forms import shown_value
from compiler.model.walk import find_all
from compiler.population.batch_rows import Decided, Rejected, decide_rows
from compiler.population.casefiles import FieldTypes, case_data, read_rows, root_types


@dataclass(frozen=True)
class Version:
    checked: ir.Checked
    decider: RowDecider  # the module, as the one loop deciding rows calls it (batch_rows.decide_rows)
    evaluator: GeneratedEvaluator  # the module's decisions and traces, typed
    name: str  # the file name, to say which version


@dataclass
class Example:
    row: int
    case_id: str
    facts: dict[str, Any]
    before: list[str]  # one line per changed outcome: value and the rule that decided it
    after: list[str]
    met: list[str]  # the changes in the text this case's evaluation met


@dataclass
class Group:
    change: tuple[str, ...]  # one part per outcome that changed: "amnesty measure: released -> excluded"
    count: int = 0
    articles: collections.Counter[str] = field(default_factory=collections.Counter)  # "Article 3 -> Article 4"
    ids: list[str] = field(default_factory=list)  # the first few cases
    example: Example | None = None


@dataclass
class Comparison:
    old: Version
    new: Version
    rows: int = 0
    unchanged: int = 0
    rejected_both: int = 0
    groups: dict[tuple[str, ...], Group] = field(default_factory=dict)
    text_changes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(g.count for g in self.groups.values())


def load_version(path: str, checked: ir.Checked | None = None) -> Version:
    """The version of the statute at `path` (`checked`: already checked, its diagnostics printed)."""
    checked = checked if checked is not None else build.check_file(Path(path))
    module = build.load_module(checked)
    return Version(checked, GeneratedRowDecider(module), GeneratedEvaluator(checked, module), Path(path).name)


# ------------------------------------------------------------------ what changed in the text


def text_changes(old: ir.Checked, new: ir.Checked) -> tuple[list[str], set[str]]:
    """Lines saying what changed between the versions, and the idents of the new version's rules that changed or
    use a changed parameter directly."""
    lines: list[str] = []
    changed_params: set[str] = set()
    old_params = {p.ident: p for p in old.parameters}
    for p in new.parameters:
        before = old_params.pop(p.ident, None)
        if before is None:
            lines.append(f"new parameter: the {p.label}: {shown_value(p.value, p.type)}")
            changed_params.add(p.ident)
        elif before.value != p.value:
            lines.append(
                f"parameter the {p.label}: {shown_value(before.value, before.type)} -> {shown_value(p.value, p.type)}"
            )
            changed_params.add(p.ident)
    lines += [f"parameter removed: the {p.label}" for p in old_params.values()]
    scale_lines, changed_scales = _scale_changes(old, new)
    lines += scale_lines
    old_rules = {r.ident: old.words(r.span) for d in old.definitions for r in d.rules}
    changed: set[str] = set()
    for d in new.definitions:
        for r in d.rules:
            words = new.words(r.span)
            if old_rules.pop(r.ident, None) != words:
                changed.add(r.ident)
                lines.append(f"{r.citation.label}, {r.ident}: {words}")
            elif _params_used(r) & changed_params or _scales_used(r) & changed_scales:
                changed.add(r.ident)
    lines += [f"rule removed: {ident}: {words}" for ident, words in old_rules.items()]
    return lines, changed


def _params_used(rule: ir.RuleDef) -> set[str]:
    return {p.ident for p in find_all(rule, ir.ParamRef)}


def _scales_used(rule: ir.RuleDef) -> set[str]:
    return {a.scale.ident for a in find_all(rule, ir.ScaleApplied)}


def _scale_changes(old: ir.Checked, new: ir.Checked) -> tuple[list[str], set[str]]:
    """Lines for the scales whose kind or brackets changed (as the drafter wrote them), and their idents."""

    def brackets(checked: ir.Checked, scale: ir.Scale) -> str:
        return f"{scale.kind.value}: " + "; ".join(checked.words(b.span) for b in scale.brackets)

    lines: list[str] = []
    changed: set[str] = set()
    before = {s.ident: s for s in old.scales}
    for scale in new.scales:
        was = before.pop(scale.ident, None)
        now = brackets(new, scale)
        if was is None:
            lines.append(f"new scale: the {scale.label}, {now}")
            changed.add(scale.ident)
        elif (was.kind, was.brackets_values) != (scale.kind, scale.brackets_values):
            lines.append(f"scale the {scale.label}: {brackets(old, was)} -> {now}")
            changed.add(scale.ident)
    lines += [f"scale removed: the {s.label}" for s in before.values()]
    return lines, changed


# ------------------------------------------------------------------ comparing case by case


def compare(old: Version, new: Version, cases: Path, examples: int = 5) -> Comparison:
    result = Comparison(old, new)
    result.text_changes, changed_rules = text_changes(old.checked, new.checked)
    types_ = root_types(new.checked)
    for number, raw in read_rows(cases):
        result.rows += 1
        before, after = _decided(old, number, raw, types_), _decided(new, number, raw, types_)
        if isinstance(before, Rejected) and isinstance(after, Rejected):
            result.rejected_both += 1
            continue
        parts, articles = _difference(old, new, before, after)
        if not parts:
            result.unchanged += 1
            continue
        group = result.groups.setdefault(parts, Group(parts))
        group.count += 1
        group.articles[articles] += 1
        case_id = before.case_id
        if len(group.ids) < examples:
            group.ids.append(case_id)
        if group.example is None:
            _, facts = case_data(number, raw, types_)
            group.example = _example(old, new, before, after, facts, changed_rules, number, case_id)
    return result


def _decided(
    version: Version, number: int, raw: str | bytes | dict[str, Any], types_: FieldTypes
) -> Decided | Rejected:
    """The row decided by `version` with a trace, in the one loop of population runs (a decision that cannot be
    written is rejected there, as a population run rejects it)."""
    [result] = decide_rows(version.decider, [(number, *case_data(number, raw, types_))], trace=True, shown=True)
    return result


def _difference(
    old: Version, new: Version, before: Decided | Rejected, after: Decided | Rejected
) -> tuple[tuple[str, ...], str]:
    if isinstance(before, Rejected) or isinstance(after, Rejected):
        was = f"rejected ({before.kind})" if isinstance(before, Rejected) else "decided"
        now = f"rejected ({after.kind})" if isinstance(after, Rejected) else "decided"
        return (f"{was} -> {now}",), "-"
    decided_old, decided_new = old.evaluator.decision(before.decision), new.evaluator.decision(after.decision)
    shown_old, shown_new = decided_old.shown, decided_new.shown
    parts: list[str] = []
    articles: list[str] = []
    for outcome in new.checked.outcomes:
        if outcome not in shown_old or shown_old[outcome] == shown_new[outcome]:
            continue
        label = new.checked.definition(outcome).label
        value_old, value_new = decided_old.values[outcome], decided_new.values[outcome]
        if new.checked.definition(outcome).type.traits.categorical:
            parts.append(f"{_words(shown_old[outcome])} -> {_words(shown_new[outcome])}")
        else:
            parts.append(f"{label} {_direction(value_old, value_new)}")
        articles.append(f"{_deciding(old, before, outcome)} -> {_deciding(new, after, outcome)}")
    changed = _record_changes(new.checked, shown_old, shown_new, decided_old.values, decided_new.values)
    for part, definition, number in changed:
        parts.append(part)
        was, now = (_deciding(v, d, definition, number) for v, d in ((old, before), (new, after)))
        articles.append(f"{was} -> {now}")
    return tuple(parts), "; ".join(dict.fromkeys(articles))


def _record_changes(
    checked: ir.Checked,
    shown_old: Mapping[str, object],
    shown_new: Mapping[str, object],
    values_old: Mapping[str, object],
    values_new: Mapping[str, object],
) -> list[tuple[str, str, int]]:
    """The changes of each record's outcomes, record by record: "charge 2: charge measure excluded -> case
    terminated", "child 1: benefit higher", each with the outcome's definition and the record's number."""
    parts: list[tuple[str, str, int]] = []
    for group in checked.record_outcomes:
        was, now = shown_old.get(group.key), shown_new.get(group.key)
        if not isinstance(was, list) or not isinstance(now, list) or was == now:
            continue
        label = checked.record(checked.root).field(group.key).member or checked.record(group.record).label
        olds, news = values_old[group.key], values_new[group.key]
        assert isinstance(olds, tuple) and isinstance(news, tuple)
        for number, (a, b, va, vb) in enumerate(zip(was, now, olds, news, strict=True), start=1):
            for o in group.outcomes:
                if a[o.key] == b[o.key]:
                    continue
                d = checked.definition(o.definition)
                change = f"{_words(a[o.key])} -> {_words(b[o.key])}"
                if not d.type.traits.categorical:
                    change = _direction(va[o.key], vb[o.key])
                parts.append((f"{_named(label, a, number)}: {d.label} {change}", d.ident, number))
    return parts


def _named(label: str, shown: object, number: int) -> str:
    """'child "Eille"' for a record whose results carry the id its case gave it, else "child 2"."""
    given = shown.get("id") if isinstance(shown, Mapping) else None
    return f'{label} "{given}"' if isinstance(given, str | int) and not isinstance(given, bool) else f"{label} {number}"


def _words(value: object) -> str:
    if value is None:
        return "not decided"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _direction(was: object, now: object) -> str:
    if was is None or now is None:
        return f"{'not decided' if was is None else 'decided'} -> {'not decided' if now is None else 'decided'}"
    try:
        return "lower" if _LESS(now, was) else "higher" if _GREATER(now, was) else "changed"
    except TypeError:
        return "changed"


# Two outcomes' values compared by their own ordering (a module's Duration, dates, decimals), whatever their class.
_LESS: Callable[[object, object], object] = getattr(operator, "lt")  # noqa: B009
_GREATER: Callable[[object, object], object] = getattr(operator, "gt")  # noqa: B009


def _events(version: Version, decided: Decided) -> tuple[TraceEvent, ...]:
    return version.decider.trace_events(decided.trace)


def _deciding_rules(version: Version, decided: Decided, outcome: str, number: int = 0) -> tuple[str, ...]:
    """The rules that decided `outcome`: the case's, or with `number` that of the record of that number, which the
    decision works out at its top level once for each record, in order."""
    stack: list[str] = []
    seen = 0
    for event in _events(version, decided):
        if isinstance(event, DefinitionEntered):
            stack.append(event.definition)
        elif isinstance(event, DefinitionDecided) and stack.pop() == outcome:
            if not number:
                return event.rules
            if not stack:
                seen += 1
                if seen == number:
                    return event.rules
    return ()


def _rule_words(version: Version, rule: str) -> tuple[str, str]:
    words = version.evaluator.rule_words(rule)
    assert words is not None, rule
    return words


def _deciding(version: Version, decided: Decided | Rejected, outcome: str, number: int = 0) -> str:
    assert isinstance(decided, Decided)
    rules = _deciding_rules(version, decided, outcome, number)
    articles = list(dict.fromkeys(_rule_words(version, r)[0] for r in rules))
    return " and ".join(articles) if articles else "no rule (default)"


def _example(
    old: Version,
    new: Version,
    before: Decided | Rejected,
    after: Decided | Rejected,
    facts: dict[str, Any] | str,
    changed_rules: set[str],
    row: int,
    case_id: str,
) -> Example:
    applied = _applied(old, before) | _applied(new, after)
    words = {r: found for r in sorted(applied & changed_rules) if (found := new.evaluator.rule_words(r)) is not None}
    met = [f"{article}, {r}: {text}" for r, (article, text) in words.items()]
    return Example(
        row, case_id, facts if isinstance(facts, dict) else {}, _explained(old, before), _explained(new, after), met
    )


def _applied(version: Version, result: Decided | Rejected) -> set[str]:
    """The rules that applied in a decision (a changed rule that was tested but did not apply made no difference)."""
    if isinstance(result, Rejected):
        return set()
    begun: list[str] = []
    applied: set[str] = set()
    for event in _events(version, result):
        if isinstance(event, RuleBegun):
            begun.append(event.rule)
        elif isinstance(event, RuleEnded):
            rule = begun.pop()
            if event.applied:
                applied.add(rule)
    return applied


def _explained(version: Version, result: Decided | Rejected) -> list[str]:
    if isinstance(result, Rejected):
        return [f"rejected: {result.detail}"]
    shown = version.evaluator.decision(result.decision).shown
    lines = []
    for outcome in version.checked.outcomes:
        label = version.checked.definition(outcome).label
        rules = _deciding_rules(version, result, outcome)
        why = "; ".join("{}: {}".format(*_rule_words(version, r)) for r in rules)
        lines.append(f"the {label} is {_words(shown[outcome])} ({why or 'no rule applies: the default'})")
    for group in version.checked.record_outcomes:
        root = version.checked.record(version.checked.root)
        record = root.field(group.key).member or version.checked.record(group.record).label
        records = shown.get(group.key)
        assert isinstance(records, list), records
        for number, values in enumerate(records, start=1):
            for o in group.outcomes:
                label = version.checked.definition(o.definition).label
                rules = _deciding_rules(version, result, o.definition, number)
                why = "; ".join("{}: {}".format(*_rule_words(version, r)) for r in rules)
                value = _words(values[o.key])
                named = _named(record, values, number)
                lines.append(f"the {label} of {named} is {value} ({why or 'no rule applies: the default'})")
    return lines


# ------------------------------------------------------------------ showing it


def markdown(result: Comparison) -> str:
    """The comparison in Markdown. Case ids and values, file names and the statute's words are escaped as they are
    placed (compiler.foundation.inert): none becomes a link, HTML or a line of its own."""
    md = inert.markdown
    old, new = result.old, result.new
    out = [
        f"# {md(old.name)} -> {md(new.name)}",
        "",
        f"{counted(result.rows, 'case')}: {counted(result.changed, 'changes outcome', 'change outcome')}, "
        f"{counted(result.unchanged, 'does not', 'do not')}"
        + (f", {result.rejected_both:,} rejected by both" if result.rejected_both else "")
        + ".",
        "",
        "## What changed in the text",
        "",
        *([f"- {md(line)}" for line in result.text_changes] or ["- nothing that decides a case"]),
    ]
    for group in sorted(result.groups.values(), key=lambda g: (-g.count, g.change)):
        noun = "case" if group.count == 1 else "cases"
        out += ["", f"## {'; '.join(md(part) for part in group.change)}: {group.count:,} {noun}", ""]
        out += [f"- decided by {md(articles)} ({n:,})" for articles, n in group.articles.most_common()]
        out.append(f"- cases: {', '.join(map(md, group.ids))}{', ...' if group.count > len(group.ids) else ''}")
        if group.example is not None:
            out += _example_lines(group.example, old.name, new.name)
    return "\n".join(out) + "\n"


def _example_lines(example: Example, old: str, new: str) -> list[str]:
    facts = json_text(example.facts)
    lines = ["", f"Example: {inert.markdown(example.case_id)} (row {example.row})", ""]
    # An indented code block: shown as it is, so made visible only; a line break would end the block.
    block = [f"facts: {facts}"]
    block += [f"{old}: {line}" for line in example.before]
    block += [f"{new}: {line}" for line in example.after]
    block += [f"the change it met: {line}" for line in example.met]
    return lines + [f"    {inert.visible(line)}" for line in block]


def as_json(result: Comparison) -> dict[str, Any]:
    return {
        "old": result.old.name,
        "new": result.new.name,
        "rows": result.rows,
        "changed": result.changed,
        "unchanged": result.unchanged,
        "rejected_by_both": result.rejected_both,
        "text_changes": result.text_changes,
        "groups": [
            {
                "change": list(g.change),
                "count": g.count,
                "decided_by": dict(g.articles),
                "cases": g.ids,
                "example": dataclasses.asdict(g.example) if g.example else None,
            }
            for g in sorted(result.groups.values(), key=lambda g: (-g.count, g.change))
        ],
    }
