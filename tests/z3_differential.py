"""What the z3 side of the differential tests compares: a case's facts fixed in the prover's encoding
(compiler/prove), and the outcomes z3 then gives, in the form the generated module's `decision_as_dict` gives them.

One solver call per case asks for a model of the fixed case; a second asks for another model whose outcomes differ
from the first (there must be none: fixed facts leave the encoding one answer). Each call has a timeout; a timeout
is reported as such, never as agreement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import z3

from compiler.citations import cited
from compiler.interpret.values import decimal_text
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.prove.confirm import Confirmer
from compiler.prove.prover import Prover
from compiler.prove.terms import Term, Unsupported

TIMEOUT_MS = 5_000  # per solver call


@dataclass(frozen=True)
class Z3Answer:
    kind: str  # decided, stops (the decision stops at `stopped`), timeout, no model, two models, too long
    decision: dict[str, object] | None = None
    stopped: str | None = None  # the outcome whose term is not ok (a conflict, an undecided value, an error)
    detail: str = ""


def prover_for(checked: ir.Checked, max_list: int = 3) -> Prover | None:
    """A prover of the statute, or None when the encoding does not reach every outcome (an unsupported construct)."""
    prover = Prover(checked, max_list, TIMEOUT_MS / 1000, Confirmer(checked, None))
    if any(ident in prover.unencodable for ident in _every_outcome(checked)):
        return None
    return prover


def z3_answer(prover: Prover, case: dict[str, Any]) -> Z3Answer:
    """The outcomes of `case` in the encoding, with each fact of the case fixed."""
    try:
        pinned = prover.domain.pin(case)
    except ValueError as exc:  # more list records than the encoding's slots
        return Z3Answer("too long", detail=str(exc))
    solver = z3.Solver()
    solver.set("timeout", TIMEOUT_MS)
    solver.add(*prover.base, *pinned)
    found = solver.check()
    if found == z3.unknown:
        return Z3Answer("timeout", detail=solver.reason_unknown())
    if found == z3.unsat:
        return Z3Answer(
            "no model", detail="no case with these facts lies within the encoding's domains and requirements"
        )
    model = solver.model()
    decision: dict[str, object] = {}
    records = _record_shells(prover.checked, case)
    differs: list[Any] = []
    stopped = None
    # the module decides the outcomes in their order, the case's then each record's, and stops at the first that fails
    for place, ident, term in _outcome_terms(prover, case):
        ok = z3.is_true(model.eval(term.ok, model_completion=True))
        differs.append(_differs(model, term, ok))
        if not ok:
            stopped = ident
            break
        value = _json(prover.checked, ident, model, term)
        if place is None:
            decision[ident] = value
        else:
            key, index, name = place
            records[key][index][name] = value
    decision.update(records)
    solver.add(z3.Or(*differs))
    other = solver.check()
    if other == z3.unknown:
        return Z3Answer("timeout", detail=f"looking for a second model: {solver.reason_unknown()}")
    if other == z3.sat:
        return Z3Answer("two models", decision, stopped, "the fixed case has more than one answer")
    if stopped is not None:
        return Z3Answer("stops", None, stopped)
    return Z3Answer("decided", decision)


def _every_outcome(checked: ir.Checked) -> list[str]:
    return [*checked.outcomes, *(o.definition for g in checked.record_outcomes for o in g.outcomes)]


def _record_shells(checked: ir.Checked, case: dict[str, Any]) -> dict[str, list[dict[str, object]]]:
    """Each list whose records get outcomes, a dict per record of the case, in its order, holding the record's id
    where the case gives one (data, echoed first as the module does); an empty list where the case has none."""
    shells: dict[str, list[dict[str, object]]] = {}
    for group in checked.record_outcomes:
        given = case.get(group.key)
        items = given if isinstance(given, list) else []
        shells[group.key] = [{"id": r["id"]} if isinstance(r, dict) and "id" in r else {} for r in items]
    return shells


def _outcome_terms(prover: Prover, case: dict[str, Any]) -> list[tuple[tuple[str, int, str] | None, str, Term]]:
    """The terms of the case's outcomes, then of each record's ("charges", 0, "charge_measure"), in the module's
    order: record by record in the case's order, each record's outcomes in the order declared."""
    out: list[tuple[tuple[str, int, str] | None, str, Term]] = [
        (None, ident, prover.model.instance(ident, None).term) for ident in prover.checked.outcomes
    ]
    for group in prover.checked.record_outcomes:
        given = case.get(group.key)
        slots = prover.domain.root.lists[group.key].slots
        for index, slot in enumerate(slots[: len(given) if isinstance(given, list) else 0]):
            for o in group.outcomes:
                out.append(((group.key, index, o.key), o.definition, prover.model.instance(o.definition, slot).term))
    return out


def _differs(model: Any, term: Term, ok: bool) -> Any:
    """Another model's term is not what `model` gives: not ok where it is, or another value."""
    if not ok:
        return term.ok
    present = z3.is_true(model.eval(term.present, model_completion=True))
    if not present:
        return z3.Or(z3.Not(term.ok), term.present)
    parts = term.value if isinstance(term.value, tuple) else (term.value,)
    parts = tuple(n for p in parts for n in (p if isinstance(p, tuple) else (p,)))  # a citation's items
    other = [p != model.eval(p, model_completion=True) for p in parts]
    return z3.Or(z3.Not(term.ok), z3.Not(term.present), *other)


def _json(checked: ir.Checked, ident: str, model: Any, term: Term) -> object:
    """The model's value of an outcome as decision_as_dict gives it (a duration as it holds it: months and days)."""
    if not z3.is_true(model.eval(term.present, model_completion=True)):
        return None
    d = checked.definition(ident)

    def ev(x: Any) -> Any:
        return model.eval(x, model_completion=True)

    match d.type.kind:
        case Kind.BOOL:
            return z3.is_true(ev(term.value))
        case Kind.ENUM:
            assert d.type.name is not None
            return checked.enum(d.type.name).values[ev(term.value).as_long() - 1].text
        case Kind.DURATION:
            months, days = (_fraction(ev(v)) for v in term.value)
            if months.denominator == 1 and days.denominator == 1:
                return ir.Duration(int(months), int(days)).text
            return f"{decimal_text(months)} months {decimal_text(days)} days"
        case Kind.DATE:
            return datetime.date.fromordinal(ev(term.value).as_long()).isoformat()
        case Kind.INT:
            return ev(term.value).as_long()
        case Kind.MONEY:
            return decimal_text(_fraction(ev(term.value)), 2)
        case Kind.PERCENTAGE:
            return decimal_text(_fraction(ev(term.value)) * 100) + "%"
        case Kind.TEXT:
            return str(ev(term.value).as_string())
        case Kind.CITATION:  # items, the shorter of two rules' lists padded with repeats: cited() drops them
            return cited(tuple(int(ev(n).as_long()) for n in item) for item in term.value).text
    return decimal_text(_fraction(ev(term.value)))


def without_optional(checked: ir.Checked, case: dict[str, Any], record: str | None = None) -> dict[str, Any]:
    """`case` with every optional fact left out, in its lists' records too: where a rule needs a fact the case does
    not give, the decision stops (docs/language.md section 7), and the drawn cases rarely leave one out."""
    out: dict[str, Any] = {}
    for f in checked.record(record or checked.root).fields:
        if f.ident not in case or f.optional:
            continue
        value = case[f.ident]
        if f.type.kind is Kind.LIST and isinstance(value, list):
            value = [without_optional(checked, item, f.type.name) for item in value]
        elif f.type.kind is Kind.RECORD and isinstance(value, dict):
            value = without_optional(checked, value, f.type.name)
        out[f.ident] = value
    return {**{k: v for k, v in case.items() if k not in out and k not in _fields(checked, record)}, **out}


def _fields(checked: ir.Checked, record: str | None) -> set[str]:
    return {f.ident for f in checked.record(record or checked.root).fields}


def _fraction(value: Any) -> Fraction:
    if z3.is_int_value(value):
        return Fraction(value.as_long())
    return Fraction(value.numerator_as_long(), value.denominator_as_long())


def agrees(module_outcome: tuple[str, object], answer: Z3Answer) -> bool | None:
    """Whether z3's answer is the module's (None: no answer to compare, a timeout or a case too long)."""
    if answer.kind in {"timeout", "too long"}:
        return None
    kind, decided = module_outcome
    if kind == "decided":
        return answer.kind == "decided" and answer.decision == decided
    if kind == "rejected":  # a case the reader refuses (a requirement broken): outside the encoding's domains
        return answer.kind == "no model"
    return answer.kind == "stops"  # a conflict, an undecided value or an error: the encoding's ok is false


__all__ = ["TIMEOUT_MS", "Unsupported", "Z3Answer", "agrees", "prover_for", "without_optional", "z3_answer"]
