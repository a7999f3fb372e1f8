"""The JSON Schema of a case file, from the checked statute's vocabulary."""

from __future__ import annotations

from typing import Any

from compiler import ir
from compiler.examples import json_value

_UNIT = r"\d+\s+(years?|months?|weeks?|days?)"
_DURATION = rf"^(P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?|\s*{_UNIT}(,?\s+(and\s+)?{_UNIT})*\s*)$"
_DECIMAL = r"^-?\d+(\.\d+)?(/\d+)?$"


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
    return {
        "type": "object",
        "description": f"a {record.label}",
        "properties": {f.ident: _field_schema(checked, f) for f in record.fields},
        "required": [f.ident for f in record.fields if not f.optional],
        "additionalProperties": False,
    }


def _field_schema(checked: ir.Checked, field: ir.FieldDef) -> dict[str, Any]:
    schema = _type_schema(checked, field.type)
    schema["description"] = field.label
    if field.low is not None and field.type.kind in {"int"}:
        schema["minimum"], schema["maximum"] = field.low, field.high
    elif field.low is not None:
        counting = " counting a month as 30 days" if field.thirty_day_bounds else ""
        schema["description"] += f" (from {json_value(field.low)} to {json_value(field.high)}{counting})"  # type: ignore[arg-type]
    if field.optional:
        schema = {"anyOf": [schema, {"type": "null"}], "description": field.label}
    return schema


def _type_schema(checked: ir.Checked, t: ir.Type) -> dict[str, Any]:
    if t.kind == "bool":
        return {"type": "boolean"}
    if t.kind == "int":
        return {"type": "integer"}
    if t.kind in {"number", "money"}:
        return {"type": ["string", "integer"], "pattern": _DECIMAL}
    if t.kind == "date":
        return {"type": "string", "format": "date"}
    if t.kind == "duration":
        return {"type": "string", "pattern": _DURATION}
    if t.kind == "enum":
        assert t.name is not None
        return {"type": "string", "enum": [v.text for v in checked.enum(t.name).values]}
    if t.kind == "list":
        return {"type": "array", "items": {"$ref": f"#/$defs/{t.name}"}}
    if t.kind == "record":
        return {"$ref": f"#/$defs/{t.name}"}
    return {"type": "string"}
