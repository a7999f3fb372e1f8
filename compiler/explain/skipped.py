"""Why a rule the evaluation skipped could not have applied.

The generated module does not test a rule that a rule which applied excludes: both test the same fact and ask
incompatible things of it ("the stage is serving sentence" and "the stage is sentence served"). The trace records
no events for the skipped rule, but it recorded the fact's value in the test that held; that value, read against
the skipped rule's test of the same fact, is the condition that failed. Only the tests the backend reasons about
are read here: an enumeration fact compared with values of its enumeration, "is given", and "X" against "not X".
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Callable, Iterable, Mapping

from compiler.explain.tracetree import Atom
from compiler.model import ir
from compiler.model.walk import shape

# Enumeration members compared by their own operators (typeshed's ordering functions ask for a statically ordered type).
_ORDER: dict[str, Callable[[object, object], object]] = {
    op: getattr(operator, name)
    for op, name in {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}.items()
}


def conjuncts(e: ir.Expr) -> list[ir.Expr]:
    return [x for item in e.items for x in conjuncts(item)] if isinstance(e, ir.And) else [e]


def failing_part(
    skipped: ir.Expr, applied: Iterable[tuple[ir.Expr, dict[int, Atom]]]
) -> tuple[ir.Expr, dict[int, Atom]] | None:
    """The part of the skipped rule's condition that cannot hold, with the atom it would have recorded, given the
    conditions of the rules that applied and their tested atoms; None when no such part is found."""
    for condition, atoms in applied:
        for held in conjuncts(condition):
            atom = atoms.get(_atom(held).span.start)
            if atom is None:
                continue
            for part in conjuncts(skipped):
                outcome = _outcome(part, held, atom)
                if outcome is not None:
                    return part, {_atom(part).span.start: outcome}
    return None


def _atom(e: ir.Expr) -> ir.Expr:
    return e.operand if isinstance(e, ir.NotE) else e


def _outcome(part: ir.Expr, held: ir.Expr, atom: Atom) -> Atom | None:
    """The atom `part` would have recorded, when the recorded `atom` of the test `held` shows it fails."""
    if shape(_atom(part)) == shape(_atom(held)) and isinstance(part, ir.NotE) != isinstance(held, ir.NotE):
        # The same test as the one recorded, so the same result: the `not` of one of them is read by the caller.
        return dataclasses.replace(atom, atom=_atom(part).span.start, elements=())
    subject, value = _fact(held, atom)
    if subject is None or shape(subject) != shape(_subject(_atom(part))):
        return None
    raw = _test(_atom(part), value)
    if raw is None or raw != isinstance(part, ir.NotE):  # not read here, or the part would hold
        return None
    left = None if isinstance(value, _Given) else value
    return Atom(_atom(part).span.start, atom.compare, left, None, raw, atom.definitions, ())


def _subject(e: ir.Expr) -> ir.Expr | None:
    if isinstance(e, ir.Cmp):
        return e.left
    if isinstance(e, ir.OneOf | ir.Known):
        return e.operand
    return None


def _fact(held: ir.Expr, atom: Atom) -> tuple[ir.Expr | None, object]:
    """The fact a test that held was about, and the value it recorded for it."""
    inner = _atom(held)
    if isinstance(inner, ir.Known):
        given = atom.result != isinstance(held, ir.NotE)
        return inner.operand, _Given(given != inner.negated)
    if atom.compare and isinstance(inner, ir.Cmp | ir.OneOf):
        return _subject(inner), atom.left
    return None, None


@dataclasses.dataclass(frozen=True)
class _Given:
    given: bool


def _test(e: ir.Expr, value: object) -> bool | None:
    """`e` read against the recorded value of its fact; None when it is not a test read here."""
    if isinstance(e, ir.Known):
        return value.given != e.negated if isinstance(value, _Given) else None
    members = getattr(type(value), "__members__", None)  # an enumeration's members by name
    if isinstance(value, _Given) or value is None or not isinstance(members, Mapping):
        return None
    if isinstance(e, ir.Cmp) and isinstance(e.right, ir.EnumLit):
        return bool(_ORDER[e.op](value, members[e.right.value]))
    if isinstance(e, ir.OneOf) and all(isinstance(v, ir.EnumLit) for v in e.values):
        options = {members[v.value] for v in e.values if isinstance(v, ir.EnumLit)}
        return (value in options) != e.negated
    return None
