"""The JSON Schema of a case file, from the checked statute's vocabulary."""

from __future__ import annotations

from typing import Any, assert_never

from compiler.citations import CITATION_SUFFIXES
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.value_forms import json_value

_UNIT = r"\d+\s+(years?|months?|weeks?|days?)"
_DURATION = rf"^(P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?|\s*{_UNIT}(,?\s+(and\s+)?{_UNIT})*\s*)$"
_DECIMAL = r"^-?\d+(\.\d+)?(/\d+)?$"
# "Article 228.1 part 3", "Article 3 bis": one article and at most one part, as the case reader takes it (citations.py)
_NUMBERED = r"(?!0+(?![0-9]))[0-9]{1,6}"  # an article's, a sub-article's or a part's number: 1 to 999999, never 0


def _any_case(word: str) -> str:
    """`word` in any case, for a JSON Schema pattern (which has no flag to ignore case)."""
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


_SUFFIXES = "|".join(_any_case(s) for s in CITATION_SUFFIXES[2:])
_CITATION = (
    rf"^\s*{_any_case('article')}\s+{_NUMBERED}(\.{_NUMBERED})?"
    rf"(\s+({_SUFFIXES}))?(\s+{_any_case('part')}\s+{_NUMBERED})?\s*$"
)
_PERCENTAGE = r"^\s*[+-]?\d+(\.\d+)?\s*%\s*$"  # "15%", "12.5%": as the case reader takes it (runtime_cases)


def case_schema(checked: ir.Checked) -> dict[str, Any]:
    root = checked.record(checked.root)
    schema = _record_schema(checked, root)
    schema["properties"] = {"id": {"type": ["string", "integer"], "description": "names the case"}} | schema[
        "properties"
    ]
    defs = {r.ident: _record_schema(checked, r) for r in checked.records if r.ident != root.ident}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"A case for {checked.title}",
        **schema,
        **({"$defs": defs} if defs else {}),
    }


def _record_schema(checked: ir.Checked, record: ir.RecordDef) -> dict[str, Any]:
    named: dict[str, Any] = {}
    if checked.takes_id(record.ident):  # a record of a list may carry an id (unique within its list: not said here)
        named = {"id": {"type": ["string", "integer"], "description": f"names the {record.label}"}}
    return {
        "type": "object",
        "description": f"a {record.label}",
        "properties": named | {f.ident: _field_schema(checked, f) for f in record.fields},
        "required": [f.ident for f in record.fields if not f.optional],
        "additionalProperties": False,
    }


def _field_schema(checked: ir.Checked, field: ir.FieldDef) -> dict[str, Any]:
    schema = _type_schema(checked, field.type)
    schema["description"] = field.label
    if field.low is not None and field.type.kind is Kind.INT:
        schema["minimum"], schema["maximum"] = field.low, field.high
    elif field.low is not None:
        counting = " counting a month as 30 days" if field.thirty_day_bounds else ""
        schema["description"] += (
            f" (from {json_value(field.low, field.type)} to {json_value(field.high, field.type)}{counting})"  # type: ignore[arg-type]
        )
    if field.optional:
        schema = {"anyOf": [schema, {"type": "null"}], "description": field.label}
    return schema


def _type_schema(checked: ir.Checked, t: ir.Type) -> dict[str, Any]:
    match t.kind:
        case Kind.BOOL:
            return {"type": "boolean"}
        case Kind.INT:
            return {"type": "integer"}
        case Kind.NUMBER | Kind.MONEY:
            return {"type": ["string", "integer"], "pattern": _DECIMAL}
        case Kind.PERCENTAGE:
            return {"type": "string", "pattern": _PERCENTAGE}
        case Kind.CITATION:
            return {"type": "string", "pattern": _CITATION}
        case Kind.DATE:
            return {"type": "string", "format": "date"}
        case Kind.DURATION:
            return {"type": "string", "pattern": _DURATION}
        case Kind.ENUM:
            assert t.name is not None
            return {"type": "string", "enum": [v.text for v in checked.enum(t.name).values]}
        case Kind.LIST:
            return {"type": "array", "items": {"$ref": f"#/$defs/{t.name}"}}
        case Kind.RECORD:
            return {"$ref": f"#/$defs/{t.name}"}
        case Kind.TEXT | Kind.PERIOD:
            return {"type": "string"}
        case _:
            assert_never(t.kind)
