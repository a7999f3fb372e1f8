"""Whether a rule set aside by an exception would have applied, read from what the trace and the case already hold.

The generated module does not test a rule once an exception that prevails over it has applied, so the trace has no
events for it. An explanation may call such a rule "set aside" only when it would have applied; when its condition
would have failed, it says why, as for any rule that does not apply. Its condition is read here from facts of the
case, and from yes/no, number or enumeration definitions of the case that the decision worked out anyway, or that
the module works out for the explanation (decision.py), each with its node so the explanation can refer to it. The
tests read are a yes/no, "is given", an enumeration compared with values of its enumeration, a number or a date
compared with a literal, joined by and, or and not. Anything else is unknown, and the explanation then says only
that the rule was not considered.
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Callable, Mapping
from fractions import Fraction

from compiler.backends.python import naming
from compiler.explain.tracetree import Atom, DefinitionNode, TraceTree
from compiler.model import ir

# The module's values compared by their own operators, whatever their class (typeshed's ordering functions ask for a
# statically ordered type).
_ORDER: dict[str, Callable[[object, object], object]] = {
    op: getattr(operator, name)
    for op, name in {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}.items()
}


WorkOut = Callable[[str], DefinitionNode | None]


class Untested:
    def __init__(self, case: object, tree: TraceTree, work_out: WorkOut | None = None) -> None:
        """`work_out` decides a definition of the case the decision did not need, with the generated module (it
        reads the module's own trace of it); None: only what the trace holds is read."""
        self.case, self.tree, self.work_out = case, tree, work_out
        self.atoms: dict[int, Atom] = {}

    def holds(self, e: ir.Expr) -> bool | None:
        """Whether `e` holds for the case: True, False, or None when it cannot be read without deciding more; the
        atoms read are kept in `atoms`, as the trace would have recorded them."""
        if isinstance(e, ir.And):
            parts = [self.holds(i) for i in e.items]
            return False if False in parts else True if all(p is True for p in parts) else None
        if isinstance(e, ir.Or):
            parts = [self.holds(i) for i in e.items]
            return True if True in parts else False if all(p is False for p in parts) else None
        if isinstance(e, ir.NotE):
            inner = self.holds(e.operand)
            return None if inner is None else not inner
        return self._atom(e)

    def _atom(self, e: ir.Expr) -> bool | None:
        if isinstance(e, ir.Known) and (found := self._value(e.operand)) is not None:
            result = (found[0] is None) == e.negated
            return self._keep(Atom(e.span.start, False, None, None, result, found[1], ()))
        if isinstance(e, ir.FieldRef | ir.DefRef) and e.type.traits.truth_valued:
            found = self._value(e)
            if found is None or not isinstance(found[0], bool):
                return None
            return self._keep(Atom(e.span.start, False, None, None, found[0], found[1], ()))
        if isinstance(e, ir.Cmp | ir.OneOf):
            return self._enum_test(e)
        return None

    def _enum_test(self, e: ir.Cmp | ir.OneOf) -> bool | None:
        operand = e.left if isinstance(e, ir.Cmp) else e.operand
        found = self._value(operand)
        if found is None or found[0] is None:
            return None
        value, nodes = found
        if isinstance(e, ir.Cmp) and isinstance(e.right, ir.Lit) and e.op in _ORDER:
            right = e.right.value  # a number or a date, held alike by the module (not durations or money)
            if isinstance(value, bool) or not isinstance(value, int | Fraction | datetime.date):
                return None
            if isinstance(right, bool) or not isinstance(
                right, type(value) if isinstance(value, datetime.date) else int | Fraction
            ):
                return None
            return self._keep(Atom(e.span.start, True, value, right, bool(_ORDER[e.op](value, right)), nodes, ()))
        members = getattr(type(value), "__members__", None)  # an enumeration's members by name
        if not isinstance(members, Mapping):
            return None
        if isinstance(e, ir.Cmp):
            if not isinstance(e.right, ir.EnumLit) or e.op not in _ORDER:
                return None
            member = members[e.right.value]
            return self._keep(Atom(e.span.start, True, value, member, bool(_ORDER[e.op](value, member)), nodes, ()))
        if not all(isinstance(v, ir.EnumLit) for v in e.values):
            return None
        options = tuple(members[v.value] for v in e.values if isinstance(v, ir.EnumLit))
        result = (value in options) != e.negated
        return self._keep(Atom(e.span.start, True, value, options, result, nodes, ()))

    def _keep(self, atom: Atom) -> bool:
        self.atoms[atom.atom] = atom
        return atom.result

    def _value(self, e: ir.Expr) -> tuple[object, tuple[DefinitionNode, ...]] | None:
        """A fact of the case, or a definition of the case the decision worked out (with its node); None when it
        cannot be read without deciding."""
        if isinstance(e, ir.FieldRef) and isinstance(e.subject, ir.RootRef):
            return getattr(self.case, naming.attribute(e.field), None), ()
        if isinstance(e, ir.DefRef) and e.subject is None:
            node = self.tree.first.get(e.definition)
            if node is None and self.work_out is not None:
                node = self.work_out(e.definition)
            if node is not None and node.complete:
                return node.value, (node,)
        return None
