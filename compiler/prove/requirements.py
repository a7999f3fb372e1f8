"""The statute's requirements as assumptions of every proof: a case that breaks one is rejected when it is read,
never decided, so no counterexample, conflict, gap or rule that never applies may rest on such a case.

A requirement is encoded as the evaluator checks it (compiler/interpret/requirements.py): broken when its premise
holds and its condition is false, both worked out without error (a fact it needs that is missing keeps it), for the
case or, for "every charge where ...", for one charge within the list's length.
"""

from __future__ import annotations

import z3

from compiler.model import ir
from compiler.prove.calendar import Z3
from compiler.prove.encode import Encoder
from compiler.prove.terms import TRUE, Unsupported


def kept(checked: ir.Checked, encoder: Encoder) -> tuple[list[Z3], list[str]]:
    """What the cases of a proof keep: one constraint per requirement; and the idents of the requirements the
    solver cannot be told (a construct it does not encode), whose counterexamples the evaluator then refuses."""
    constraints: list[Z3] = []
    unencoded: list[str] = []
    for r in checked.requirements:
        try:
            constraints.append(z3.Not(_broken(r, encoder)))
        except Unsupported:
            unencoded.append(r.ident)
    return constraints, unencoded


def _broken(r: ir.RequirementDef, encoder: Encoder) -> Z3:
    applies = TRUE
    if r.premise is not None:
        premise = encoder.expr(r.premise, {}, None)
        applies = z3.And(premise.usable, premise.value)
    if r.each is None:
        condition = encoder.expr(r.condition, {}, None)
        return z3.And(applies, condition.usable, z3.Not(condition.value))
    try:
        slots, ok = encoder.slots(r.each.source, {}, None)
    except Unsupported:
        raise Unsupported(r.each.source.span, "a requirement on a list the prover cannot place") from None
    elements = []
    for slot, exists in slots:
        body = encoder.expr(r.condition, {r.each.var: slot}, None)
        elements.append(z3.And(exists, body.usable, z3.Not(body.value)))
    return z3.And(applies, ok, z3.Or(z3.BoolVal(False), *elements))
