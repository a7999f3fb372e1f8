"""Syntax tree -> checked statute (compiler.model.ir): the checker's passes, run in order over one public context.

Ranges of articles are first read as the headings they cover (compiler.check.article_ranges). The passes are
declarations (compiler.check.declarations), rules (compiler.check.rules), examples, guarantees and
requirements, then the statute's date of entry into force and the "never used" warnings here. Each takes the
CheckContext (compiler.check.check_context) and returns its result and its diagnostics; this module only runs them in
order and puts their results together. Every problem becomes a Diagnostic with the article it is in; the checker goes on
after an error so that a drafter sees every problem at once, and raises StatuteError at the end if any was an error."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TypeVar

from compiler.check.article_ranges import expand_article_ranges
from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.declarations import check_declarations
from compiler.check.declared_names import check_declared_names
from compiler.check.examples import check_examples
from compiler.check.formulas import check_formulas, declare_formulas
from compiler.check.guarantees import check_guarantees
from compiler.check.requirements import check_requirements
from compiler.check.rules import check_rules, discover_predicates
from compiler.check.symbols import Symbols
from compiler.foundation.gcpause import paused_gc
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, StatuteError, error, warning
from compiler.model import ir
from compiler.model.idents import module_name, snake
from compiler.model.kinds import Kind

_T = TypeVar("_T")


def check(statute: s.Statute) -> ir.Checked:
    """Check a parsed statute; raise StatuteError listing every error (warnings ride along in `warnings`)."""
    with paused_gc():
        statute, ranges = expand_article_ranges(statute)
        return _run(CheckContext.start(statute), ranges)


def _run(ctx: CheckContext, ranges: list[Diagnostic]) -> ir.Checked:
    found: list[Diagnostic] = list(ranges)  # problems with ranges of articles, found before the passes

    def kept(passed: Passed[_T]) -> _T:
        found.extend(passed.diagnostics)
        return passed.result

    kept(check_declarations(ctx))
    kept(check_declared_names(ctx))
    kept(declare_formulas(ctx))
    formulas = kept(check_formulas(ctx))
    ctx.symbols.definitions.update(kept(discover_predicates(ctx)))
    definitions, outcomes = kept(check_rules(ctx))
    examples = kept(check_examples(ctx, definitions))
    guarantees, switched_off = kept(check_guarantees(ctx, definitions))
    requirements = kept(check_requirements(ctx))
    in_force = kept(_in_force(ctx))
    kept(_results_clash(ctx, outcomes))
    kept(_unused(ctx))
    if any(d.is_error for d in found):
        raise StatuteError(sorted(found, key=lambda d: (d.span.start, d.message)))
    statute = ctx.statute
    checked = ir.Checked(
        file=statute.file,
        source=statute.source,
        module=module_name(Path(statute.file).stem),
        title=ctx.header_value("title") or Path(statute.file).stem,
        header=tuple(_header_items(ctx)),
        locale=ctx.header_value("locale") or "en",
        in_force=in_force,
        root=ctx.symbols.root,
        records=tuple(ctx.symbols.records.values()),
        enums=tuple(ctx.symbols.enums.values()),
        parameters=tuple(ctx.symbols.parameters.values()),
        definitions=definitions,
        outcomes=outcomes,
        examples=examples,
        articles=statute.articles,
        guarantees=guarantees,
        switched_off=switched_off,
        requirements=requirements,
        scales=tuple(ctx.symbols.scales.values()),
        record_outcomes=record_outcomes(ctx.symbols, definitions),
        formulas=formulas,
        warnings=tuple(sorted(found, key=lambda d: d.span.start)),
    )
    return checked


def record_outcomes(sym: Symbols, definitions: Iterable[ir.Definition]) -> tuple[ir.RecordOutcomes, ...]:
    """The outcomes of each record of a list of the case, under the list's key, in the order declared."""
    declared = [d for d in definitions if d.kind == "outcome" and d.owner is not None]
    declared.sort(key=lambda d: d.span.start)
    found: list[ir.RecordOutcomes] = []
    for f in sym.records[sym.root].fields:
        if f.type.kind is Kind.LIST and (mine := [d for d in declared if d.owner == f.type.name]):
            outcomes = tuple(ir.RecordOutcome(snake(d.label), d.ident) for d in mine)
            found.append(ir.RecordOutcomes(f.ident, f.type.name or "", outcomes))
    return tuple(found)


def _results_clash(ctx: CheckContext, outcomes: tuple[str, ...]) -> Passed[None]:
    """A list whose records get outcomes is a key of the results beside the case's outcomes: they must differ."""
    found = Diagnostics()
    sym = ctx.symbols
    listed = {d.owner for d in sym.definitions.values() if d.kind == "outcome" and d.owner is not None}
    for f in sym.records[sym.root].fields:
        if f.type.kind is Kind.LIST and f.type.name in listed and f.ident in outcomes:
            d = next(d for d in sym.definitions.values() if d.ident == f.ident)
            found.add(
                error(
                    f"the outcome '{d.label}' has the name of the list '{f.label}', whose records' outcomes "
                    "the results give under that name",
                    d.span,
                    "rename the outcome",
                ),
                d.citation.article,
            )
    return found.passed(None)


def _header_items(ctx: CheckContext) -> Iterable[tuple[str, str]]:
    for h in ctx.statements(s.Header):
        if h.key in {"locale", "currency"}:
            continue
        text = h.value if h.date is None else f"{h.value}, {h.date.value.isoformat()}"
        yield (h.key, text)


def _in_force(ctx: CheckContext) -> Passed[str | None]:
    """The date the statute comes into force: an ISO date, the identifier of a date parameter, or None."""
    found = Diagnostics()
    for stmt in ctx.statements(s.InForce):
        if stmt.date is not None:
            return found.passed(stmt.date.value.isoformat())
        assert stmt.parameter is not None
        param = ctx.symbols.parameters.get(stmt.parameter.name.key)
        if param is None or param.type != ir.DATE:
            what = "not a parameter" if param is None else f"{param.type.describe()}, not a date"
            found.add(error(f"'{stmt.parameter.name.text}' is {what}", stmt.parameter.span))
            return found.passed(None)
        ctx.symbols.used_parameters.add(param.ident)
        return found.passed(param.ident)
    return found.passed(None)


def _unused(ctx: CheckContext) -> Passed[None]:
    """A warning at each fact no rule reads and each parameter nothing uses: run last, once every use is known."""
    found = Diagnostics()
    sym = ctx.symbols
    for record in sym.records.values():
        for f in record.fields:
            if (record.ident, f.ident) not in sym.used_fields and f.type.kind is not Kind.LIST:
                found.add(
                    warning(
                        f"the fact '{f.label}' of a {record.label} is never used by a rule",
                        f.span,
                        "remove it, or keep it as information for the case files",
                    )
                )
    for formula in sym.formulas.values():
        if formula.ident not in sym.used_formulas:
            found.add(warning(f"the formula '{formula.label}' is never used", formula.span), formula.citation.article)
    for p in sym.parameters.values():
        if p.ident not in sym.used_parameters:
            found.add(warning(f"the parameter '{p.label}' is never used", p.span), p.citation.article)
    for key, scale in sym.scales.items():
        if key not in sym.used_scales:
            found.add(
                warning(
                    f"the scale '{scale.label}' is never applied",
                    scale.span,
                    f"apply it in a rule: '... {scale.label} applied to ...'",
                )
            )
    return found.passed(None)
