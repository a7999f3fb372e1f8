"""Synthetic case registers on disk (`statute synth`: compiler/commands/register.py).

A register is written as JSON Lines, CSV or Parquet (by the file's suffix), atomically. On request a share of its
rows is deliberately broken, each in one way a real register breaks (a value not in the vocabulary, a date in
words, a required fact missing, a number out of bounds, a line that is not JSON), so that population runs can be
tested on bad rows. Which rows break, and how, depends on the seed only: the valid rows are the same with or
without broken ones.
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from compiler.foundation.inert import json_text
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population.casefiles import RowWriter, arrow_schema, file_format

BROKEN_JSON = "__broken_json__"  # marks a row to be written as a line that is not JSON


def broken(cases: Iterable[dict[str, Any]], checked: ir.Checked, share: float, seed: int) -> Iterator[dict[str, Any]]:
    """The cases, with about `share` of them broken (see the module's docstring)."""
    rng = random.Random(f"{seed}/broken")  # its own stream: the valid rows do not move
    root = checked.record(checked.root)
    for case in cases:
        if share > 0 and rng.random() < share:
            yield _break(case, root, rng)
        else:
            yield case


def _break(case: dict[str, Any], root: ir.RecordDef, rng: random.Random) -> dict[str, Any]:
    ways: list[tuple[str, ir.FieldDef | None]] = [("json", None)]
    for d in root.fields:
        if d.type.kind is Kind.ENUM:
            ways.append(("enum", d))
        if d.type.kind is Kind.DATE and d.ident in case:
            ways.append(("date", d))
        if not d.optional:
            ways.append(("missing", d))
        if d.type.kind is Kind.INT and isinstance(d.high, int):
            ways.append(("bounds", d))
    way, chosen = ways[rng.randrange(len(ways))]
    case = dict(case)
    f = chosen
    if way == "json" or f is None:
        case[BROKEN_JSON] = True
    elif way == "enum":
        case[f.ident] = "unheard-of " + f.label
    elif way == "date":
        case[f.ident] = "5th of January"
    elif way == "missing":
        case.pop(f.ident, None)
    else:
        assert isinstance(f.high, int)
        case[f.ident] = f.high + 1 + rng.randrange(100)
    return case


def write_register(path: Path | None, cases: Iterable[dict[str, Any]], checked: ir.Checked) -> int:
    """Write cases to `path` (stdout as JSON Lines when None); return how many were written."""
    root = checked.record(checked.root)
    columns = ["id", *(f.ident for f in root.fields)]
    if path is None:
        count = 0
        for case in cases:
            sys.stdout.write(_json_line(case))
            count += 1
        return count
    fmt = file_format(path)
    schema = (
        arrow_schema(checked, {"id": ir.TEXT} | {f.ident: f.type for f in root.fields}) if fmt == "parquet" else None
    )
    count = 0
    with RowWriter(path, columns, schema) as out:
        batch: list[dict[str, Any]] = []
        for case in cases:
            batch.append(case)
            count += 1
            if len(batch) == 2000:
                out.write(_serialise(out, batch))
                batch = []
        out.write(_serialise(out, batch))
    return count


def _serialise(out: RowWriter, batch: list[dict[str, Any]]) -> str | list[dict[str, Any]]:
    if out.format == "jsonl":
        return "".join(_json_line(case) for case in batch)
    # A CSV cell or a Parquet column cannot hold broken JSON: such rows go in unbroken.
    return out.serialise([{k: v for k, v in case.items() if k != BROKEN_JSON} for case in batch])


def _json_line(case: dict[str, Any]) -> str:
    if case.get(BROKEN_JSON):
        return '{"id": ' + json.dumps(case.get("id")) + ', "role": \n'
    return json_text(case) + "\n"
