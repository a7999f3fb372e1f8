"""The formulas pass: each "Formula ..." declared (its name, inputs and result, entered in the symbols before any
rule is checked, so that a rule or a formula may use a formula declared further down), then its cases checked, and
no formula allowed to use itself, directly or through others (docs/language.md section 10, "Formulas").

A formula reads only its inputs and the parameters: its value is the same wherever it is used with the same inputs,
which is what lets the generated module make it a plain function and the prover put its cases in place."""

from __future__ import annotations

from compiler.check.check_context import CheckContext, Diagnostics, Passed
from compiler.check.declarations import citation, declared_type
from compiler.check.scopes import CheckFailure, Input, Scope
from compiler.check.symbols import FormulaInfo
from compiler.check.type_rules import fits, require_exact
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import error
from compiler.model import ir
from compiler.model.idents import snake
from compiler.model.walk import find_all


def declare_formulas(ctx: CheckContext) -> Passed[None]:
    """Enter each formula in `ctx.symbols`: its name, its inputs and its result's type."""
    found = Diagnostics()
    for f in ctx.statements(s.Formula):
        try:
            info = _declared(ctx, f)
        except CheckFailure as exc:
            found.add(exc.diagnostic, f.provenance.article)
            continue
        ctx.symbols.formulas[f.name.key] = info
    return found.passed(None)


def _declared(ctx: CheckContext, f: s.Formula) -> FormulaInfo:
    sym = ctx.symbols
    key = f.name.key
    if key in sym.formulas:
        raise CheckFailure(error(f"the formula '{f.name.text}' is declared twice", f.name.span))
    clash = _taken(ctx, key)
    if clash is not None:
        raise CheckFailure(error(f"'{f.name.text}' is already {clash}", f.name.span, "give the formula another name"))
    inputs: list[tuple[str, ir.FormulaInputDef]] = []
    for given in f.inputs:
        if given.name.key in (k for k, _ in inputs):
            raise CheckFailure(error(f"the input '{given.name.text}' is listed twice", given.span))
        shadowed = _taken(ctx, given.name.key)
        if shadowed is not None:
            raise CheckFailure(
                error(
                    f"the input '{given.name.text}' has the name of {shadowed}",
                    given.span,
                    "a formula's input needs a name of its own, so that a reader of the formula knows which is "
                    "meant: 'an amount', 'a base'",
                )
            )
        type_ = _value_type(ctx, given.type, given.name, f"the input '{given.name.text}'")
        inputs.append((given.name.key, ir.FormulaInputDef(snake(given.name.key), given.name.text, type_, given.span)))
    result = _value_type(ctx, f.result, f.name, "a formula's result")
    ident = ctx.idents.take(snake(key))
    return FormulaInfo(ident, f.name.text, tuple(inputs), f.of_input, result, f.span, citation(f.provenance))


def _taken(ctx: CheckContext, key: str) -> str | None:
    """What else of the statute has this name: a parameter, a definition, a fact, a record."""
    sym = ctx.symbols
    if key in sym.parameters:
        return f"the parameter '{sym.parameters[key].label}'"
    info = next((d for (_, k), d in sym.definitions.items() if k == key), None)
    if info is not None:
        return f"the {info.kind} '{info.label}'"
    for record in sym.records.values():
        if key in sym.fields_by_record.get(record.ident, {}):
            return f"the fact '{key}' of {_a(record.label)}"
    if key in sym.record_keys:
        return f"the record '{key}'"
    if key in sym.formulas:
        return f"the formula '{sym.formulas[key].label}'"
    return None


def _a(label: str) -> str:
    return f"an {label}" if label[:1].lower() in "aeiou" else f"a {label}"


def _value_type(ctx: CheckContext, t: s.TypeExpr, name: s.Name, what: str) -> ir.Type:
    type_ = declared_type(ctx, t, name)
    if type_.traits.container:
        raise CheckFailure(error(f"{what} is {type_.describe()}; a formula works on single values", t.span))
    return type_


def check_formulas(ctx: CheckContext) -> Passed[tuple[ir.FormulaDef, ...]]:
    """Each formula with its cases checked, after the formulas it uses; a formula that uses itself is refused."""
    found = Diagnostics()
    checked: dict[str, ir.FormulaDef] = {}
    for f in ctx.statements(s.Formula):
        info = ctx.symbols.formulas.get(f.name.key)
        if info is None or info.span != f.span:
            continue
        try:
            checked[info.ident] = _formula(ctx, f, info)
        except CheckFailure as exc:
            found.add(exc.diagnostic, f.provenance.article)
    return found.passed(_in_order(checked, found))


def _formula(ctx: CheckContext, f: s.Formula, info: FormulaInfo) -> ir.FormulaDef:
    inputs = tuple(Input(key, i.ident, i.type) for key, i in info.inputs)
    scope = Scope(formula=info.label, inputs=inputs)
    cases: list[ir.FormulaCaseDef] = []
    for case in f.cases:
        value = ctx.exprs.expr(case.value, scope, info.type)
        require_exact(value, case.value.span)
        if not fits(value.type, info.type):
            raise CheckFailure(
                error(
                    f"the {info.label} is {info.type.describe()}, but this gives {value.type.describe()}",
                    case.value.span,
                )
            )
        condition = ctx.exprs.condition(case.condition, scope) if case.condition is not None else None
        cases.append(ir.FormulaCaseDef(value, condition, case.span))
    return ir.FormulaDef(
        info.ident,
        info.label,
        tuple(i for _, i in info.inputs),
        info.type,
        tuple(cases),
        info.span,
        info.citation,
        info.of_input,
    )


def _in_order(formulas: dict[str, ir.FormulaDef], found: Diagnostics) -> tuple[ir.FormulaDef, ...]:
    """The formulas, each after those it uses; a cycle of uses is reported at the use that closes it."""
    ordered: list[ir.FormulaDef] = []
    state: dict[str, str] = {}  # ident -> "visiting" or "done"

    def visit(ident: str, path: list[tuple[str, ir.Call | None]]) -> None:
        if state.get(ident) == "done" or ident not in formulas:
            return
        if state.get(ident) == "visiting":
            start = next(i for i, (p, _) in enumerate(path) if p == ident)
            _report_cycle(formulas, path[start:], found)
            return
        state[ident] = "visiting"
        for call in find_all(formulas[ident], ir.Call):
            visit(call.formula, [*path, (ident, call)])
        state[ident] = "done"
        ordered.append(formulas[ident])

    for ident in formulas:
        visit(ident, [])
    return tuple(ordered)


def _report_cycle(
    formulas: dict[str, ir.FormulaDef], path: list[tuple[str, ir.Call | None]], found: Diagnostics
) -> None:
    labels = [formulas[ident].label for ident, _ in path]
    last_ident, call = path[-1]
    assert call is not None
    steps = "; ".join(f"the {a} uses the {b}" for a, b in zip(labels, [*labels[1:], labels[0]], strict=True))
    what = f"the formula '{labels[0]}' uses itself" + ("" if len(labels) == 1 else f" ({steps})")
    found.add(
        error(
            what,
            call.span,
            "a formula cannot use itself, directly or through another formula: write the computation out, with its "
            "cases",
        ),
        formulas[last_ident].citation.article,
    )
