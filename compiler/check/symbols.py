"""What a statute declares, by name: the table the checker fills and the expression checker reads."""

from __future__ import annotations

from dataclasses import dataclass, field

from compiler.frontend.diagnostics import Span
from compiler.model import ir


@dataclass
class DefInfo:
    """A definition, outcome or predicate as the checker knows it while reading rules."""

    ident: str
    label: str
    kind: str  # outcome, definition, predicate
    owner: str | None  # record ident, or None for the case as a whole
    type: ir.Type
    optional: bool
    span: Span
    citation: ir.Citation
    default: ir.Expr | None = None


@dataclass(frozen=True)
class FormulaInfo:
    """A formula as the checker knows it before its cases are checked: enough to check a call."""

    ident: str
    label: str
    inputs: tuple[tuple[str, ir.FormulaInputDef], ...]  # (key, input), in the order declared
    of_input: bool  # the first input is given after "of" in a call
    type: ir.Type
    span: Span
    citation: ir.Citation


@dataclass
class Symbols:
    records: dict[str, ir.RecordDef] = field(default_factory=dict)  # ident -> record
    record_keys: dict[str, str] = field(default_factory=dict)  # drafter's key ("charge") -> ident
    root: str = ""
    enums: dict[str, ir.EnumDef] = field(default_factory=dict)
    parameters: dict[str, ir.ParameterDef] = field(default_factory=dict)  # key -> parameter
    definitions: dict[tuple[str | None, str], DefInfo] = field(default_factory=dict)  # (owner, key) -> info
    fields_by_record: dict[str, dict[str, ir.FieldDef]] = field(default_factory=dict)  # ident -> key -> field
    used_fields: set[tuple[str, str]] = field(default_factory=set)
    used_parameters: set[str] = field(default_factory=set)
    scales: dict[str, ir.Scale] = field(default_factory=dict)  # key -> scale
    used_scales: set[str] = field(default_factory=set)
    faulty_scales: set[str] = field(default_factory=set)  # declared with an error, already reported
    formulas: dict[str, FormulaInfo] = field(default_factory=dict)  # key -> formula
    # Households (compiler/check/roles.py): the noun of one record of a role or group ("adult", "member") -> (the
    # record holding the role, the role's field or group ident); and each record's groups of roles by their key.
    nouns: dict[str, tuple[str, str]] = field(default_factory=dict)
    groups: dict[str, dict[str, ir.GroupDef]] = field(default_factory=dict)  # record ident -> key -> group
    used_formulas: set[str] = field(default_factory=set)

    def record_for_key(self, key: str) -> str | None:
        """ "charge", "charges", "person" -> the record ident, accepting a plural."""
        for candidate in (key, key[:-1] if key.endswith("s") else "", key[:-2] if key.endswith("es") else ""):
            if candidate and candidate in self.record_keys:
                return self.record_keys[candidate]
        return None

    def names_in_scope(self, records: list[str]) -> list[str]:
        """Every name a drafter could mean here, for "did you mean" hints."""
        names = list(self.parameters)
        names += [key for (owner, key) in self.definitions if owner is None or owner in records]
        for record in records:
            names += list(self.fields_by_record.get(record, {}))
        names += list(self.record_keys)
        return names
