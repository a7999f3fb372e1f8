"""What a name can refer to while an expression is checked, and the failure a check raises."""

from __future__ import annotations

from dataclasses import dataclass

from compiler.frontend.diagnostics import Diagnostic
from compiler.model import ir
from compiler.model.idents import snake


class CheckFailure(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


@dataclass(frozen=True)
class Var:
    key: str  # how the drafter names it: "charge"
    ident: str  # the Python name
    record: str


@dataclass(frozen=True)
class Input:
    """An input of the formula whose cases are being checked."""

    key: str  # "lower rate"
    ident: str
    type: ir.Type


@dataclass(frozen=True)
class Scope:
    """The records a name can refer to here: quantifier elements (innermost last), then the case's root. Inside a
    formula (`formula` its label), its inputs and the parameters instead: a formula reads no fact of a case."""

    vars: tuple[Var, ...] = ()
    formula: str | None = None
    inputs: tuple[Input, ...] = ()

    def bind(self, key: str, record: str) -> tuple[Scope, Var]:
        taken = {v.ident for v in self.vars}
        ident, n = snake(key), 2
        base = ident
        while ident in taken:
            ident, n = f"{base}_{n}", n + 1
        var = Var(key, ident, record)
        return Scope((*self.vars, var), self.formula, self.inputs), var


def subject_scope(record: ir.RecordDef) -> tuple[Scope, Var]:
    """The scope of the rules of a record's definition ("a charge is ... if the charge ..."), and the variable that
    names the record in them: every pass that reads those rules binds the record by this one name."""
    return Scope().bind(record.label.lower(), record.ident)
