#!/usr/bin/env python3
"""Convert an amnesty register of the first format (a stage, a sentence and a sentence start for the person) to the
format of statutes/kz_amnesty_2022.statute today (a stage, a sentence and a sentence start for each charge).

    python statutes/kz_amnesty_2022_convert.py OLD.jsonl NEW.jsonl [--rejects REJECTS.jsonl]

Standalone: the standard library only, so that a register's keeper can run it without the compiler. It reads JSON
Lines and writes JSON Lines, one converted row for each row read, in the same order; a row it cannot convert is
written to the rejects file (or, without --rejects, described on standard error) with its row number, its id, the
field and the reason, never guessed at. Every row read is either converted or rejected. NEW.jsonl is written whole
(a hidden temporary file renamed into place) and is never the input, nor the rejects file, links included.

How a row is converted (README.md, "Converting an old register"):

- the person's stage becomes the stage of every charge: the first format had one stage for the whole case;
- the person's sentence and sentence start become those of each charge of the gravest gravity, the charges the
  first format's sentence was decided by, and of each grave or especially grave charge, which Articles 3 and 4 cannot
  reduce without one; a lesser charge beside a graver one gets none, as the register never said which part of the
  sentence punished it (it needs none: Article 2 remits it whatever its length);
- every other field is kept as it is, in its place; a row is not checked against the statute here (`statute run`
  does that, and rejects what the statute refuses).

Exit status: 0 when every row converted, 1 when some row was rejected, 2 for a usage error (nothing written).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

GRAVITIES = ("criminal misdemeanour", "minor", "medium", "grave", "especially grave")  # lightest first
MOVED = ("stage", "sentence", "sentence_start")  # from the person to its charges
TO_GRAVEST = ("sentence", "sentence_start")  # only to the gravest charges and the grave ones
GRAVE = GRAVITIES.index("grave")


class Rejected(Exception):
    """A row that cannot be converted: the field (as `charges[2].gravity`) and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field
        self.reason = reason


def convert_row(row: object) -> dict[str, Any]:
    """One row of the first format, converted; raises Rejected naming the field at fault."""
    if not isinstance(row, dict):
        raise Rejected("", f"a row must be a JSON object, not {_kind(row)}")
    charges = row.get("charges")
    if not isinstance(charges, list):
        raise Rejected("charges", "missing" if charges is None else f"must be a list of charges, not {_kind(charges)}")
    for n, charge in enumerate(charges, start=1):
        if not isinstance(charge, dict):
            raise Rejected(f"charges[{n}]", f"a charge must be a JSON object, not {_kind(charge)}")
        already = [key for key in MOVED if key in charge]
        if already:
            raise Rejected(f"charges[{n}].{already[0]}", "this row is already in the new format (a charge has its own)")
    if "stage" not in row:
        raise Rejected("stage", "missing: the first format gives the stage of the whole case")
    for key in MOVED:
        value = row.get(key)
        if value is not None and not isinstance(value, str):
            raise Rejected(key, f"must be text, not {_kind(value)}")
    gravities = []
    for n, charge in enumerate(charges, start=1):
        gravity = charge.get("gravity")
        if gravity not in GRAVITIES:
            shown = "missing" if gravity is None else f"{json.dumps(gravity, ensure_ascii=False)} is not a gravity"
            raise Rejected(f"charges[{n}].gravity", f"{shown}: one of {', '.join(GRAVITIES)}")
        gravities.append(GRAVITIES.index(gravity))
    sentenced = {max(gravities, default=GRAVE), *range(GRAVE, len(GRAVITIES))}  # the gravest, and grave or graver
    moved = {key: row[key] for key in MOVED if key in row}
    out = {key: value for key, value in row.items() if key not in MOVED}
    out["charges"] = [
        charge | {key: value for key, value in moved.items() if key not in TO_GRAVEST or gravity in sentenced}
        for charge, gravity in zip(charges, gravities, strict=True)
    ]
    return out


def _kind(value: object) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "yes or no", type(None): "null"}.get(
        type(value), "a number"
    )


def convert_lines(lines: Iterable[str]) -> Iterator[tuple[int, dict[str, Any] | None, dict[str, Any] | None]]:
    """(row number, converted row, rejection) for each non-blank line, numbered from 1 as the file's lines."""
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, None, {"row": number, "id": None, "field": "", "reason": f"not JSON: {exc.msg}"}
            continue
        ident = row.get("id") if isinstance(row, dict) else None
        try:
            yield number, convert_row(row), None
        except Rejected as rejected:
            yield number, None, {"row": number, "id": ident, "field": rejected.field, "reason": rejected.reason}


def _same(a: Path, b: Path) -> bool:
    """Whether two paths name one file: the same path resolved (links followed), or the same file on disk."""
    if a.resolve() == b.resolve():
        return True
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _write_whole(path: Path, text: str) -> None:
    """`text` into `path` through a hidden file beside it, renamed into place: never half a file."""
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _line(value: object) -> str:
    return json.dumps(value, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path, help="the register in the first format (JSON Lines)")
    parser.add_argument("new", type=Path, help="where to write the converted register (JSON Lines); not the input")
    parser.add_argument("--rejects", type=Path, help="where to write the rows not converted (JSON Lines)")
    args = parser.parse_args(argv)
    outputs = [args.new] + ([args.rejects] if args.rejects else [])
    if not args.old.is_file():
        parser.error(f"{args.old} is not a file")
    for out in outputs:
        if _same(out, args.old):
            parser.error(f"{out} is the input: write the converted register to a new file")
        if not out.parent.is_dir():
            parser.error(f"{out}: no folder {out.parent}")
    if args.rejects and _same(args.new, args.rejects):
        parser.error("the converted register and the rejects must be two files")
    converted, rejected = [], []
    with args.old.open(encoding="utf-8") as lines:
        for _, row, rejection in convert_lines(lines):
            if row is not None:
                converted.append(_line(row))
            else:
                rejected.append(rejection)
    _write_whole(args.new, "".join(converted))
    if args.rejects:
        _write_whole(args.rejects, "".join(_line(r) for r in rejected))
    else:
        for r in rejected:
            shown = json.dumps(r["id"], ensure_ascii=True)
            field = json.dumps(r["field"], ensure_ascii=True)
            print(
                f"row {r['row']} (id {shown}): {field}: {json.dumps(r['reason'], ensure_ascii=True)}", file=sys.stderr
            )
    total = len(converted) + len(rejected)
    print(f"{total} rows read: {len(converted)} converted, {len(rejected)} rejected", file=sys.stderr)
    return 1 if rejected else 0


if __name__ == "__main__":
    sys.exit(main())
