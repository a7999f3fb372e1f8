"""Case files read and written as streams: JSON Lines, CSV, and Parquet when pyarrow is installed.

Reading yields raw rows (a JSON line stays text, so that parsing can happen in a worker process); `case_data` turns
a raw row into the dict `load_case` takes, or the reason it cannot. Writing goes to a temporary file beside the
target that replaces it only when the whole file is written: an interrupted run leaves no half-written file.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import importlib
import io
import json
import os
import re
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from compiler import inert, ir

FORMATS = {".jsonl": "jsonl", ".ndjson": "jsonl", ".json": "jsonl", ".csv": "csv", ".parquet": "parquet"}
RawRow = tuple[int, str | bytes | dict[str, Any]]  # (row number, a JSON line or a row already read as a dict)
FieldTypes = dict[str, ir.Type]


class CaseFileError(ValueError):
    """A case or results file that cannot be used at all (unknown format, pyarrow missing)."""


def file_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise CaseFileError(f"{path}: unknown file type '{suffix}'; use .jsonl, .csv or .parquet")
    return FORMATS[suffix]


def pyarrow_modules() -> tuple[Any, Any]:
    """(pyarrow, pyarrow.parquet), or CaseFileError saying how to install them."""
    try:
        return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.parquet")
    except ImportError:
        raise CaseFileError("Parquet files need pyarrow: pip install pyarrow") from None


# ------------------------------------------------------------------ reading


def read_rows(path: Path) -> Iterator[RawRow]:
    """Every non-blank row of a case file, in order, with the number a person would use to find it."""
    fmt = file_format(path)
    if fmt == "csv":
        yield from _csv_rows(path)
    elif fmt == "parquet":
        yield from _parquet_rows(path)
    else:
        with path.open("rb") as lines:  # bytes: a line that is not UTF-8 is refused alone (case_data)
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield number, line.removeprefix(b"\xef\xbb\xbf") if number == 1 else line


class Unreadable(str):
    """A raw row that could not be read at all: the reason, which case_data passes on."""


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _csv_rows(path: Path) -> Iterator[RawRow]:
    # utf-8-sig: spreadsheets start a CSV with a byte-order mark; surrogateescape: a byte that is not UTF-8 spoils
    # only its own row, which is refused.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        reader = csv.DictReader(handle)
        start = 2
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:  # a cell past csv.field_size_limit(), for one
                yield start, Unreadable(f"cannot be read as CSV ({exc})")
            else:
                cells = {k: v for k, v in row.items() if k is not None and v not in (None, "")}
                text = "".join(f"{k}{v}" for k, v in cells.items())
                yield start, Unreadable("not UTF-8 text") if _LONE_SURROGATE.search(text) else cells
            start = reader.line_num + 1


def _parquet_rows(path: Path) -> Iterator[RawRow]:
    _, parquet = pyarrow_modules()
    number = 0
    for batch in parquet.ParquetFile(path).iter_batches(batch_size=4096):
        for row in batch.to_pylist():
            number += 1
            yield number, {k: _plain(v) for k, v in row.items() if v is not None}


def _plain(value: Any) -> Any:
    """Parquet's typed values in case-file form."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    return value


def case_data(number: int, raw: str | bytes | dict[str, Any], types: FieldTypes) -> tuple[str, dict[str, Any] | str]:
    """(case id, the case as load_case takes it) or (case id, why the row cannot be read)."""
    fallback = f"row {number}"
    if isinstance(raw, Unreadable):
        return fallback, str(raw)
    if isinstance(raw, str | bytes):
        try:
            data = json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)  # str parses faster
        except json.JSONDecodeError as exc:
            return fallback, f"not valid JSON ({exc.msg}, column {exc.colno})"
        except UnicodeDecodeError:
            return fallback, "not UTF-8 text"
        except RecursionError:  # how the json module refuses arrays and objects nested thousands deep
            return fallback, "nested too deeply to read"
        except ValueError:  # how the json module refuses a number of more than 4300 digits
            return fallback, "holds a number with too many digits to read"
        if not isinstance(data, dict):
            return fallback, "not a JSON object"
        if (b"\\u" in raw if isinstance(raw, bytes) else "\\u" in raw) and _LONE_SURROGATE.search(
            json.dumps(data, ensure_ascii=False)
        ):
            return fallback, "holds a \\u escape that is no character (half of a surrogate pair)"
        case_id = data.pop("id", None)
        return (fallback if case_id is None else str(case_id)), data
    data = dict(raw)
    case_id = data.pop("id", None)
    shown = fallback if case_id is None else str(case_id)
    for key, text in data.items():
        if isinstance(text, str) and key in types:
            try:
                data[key] = csv_cell(text, types[key])
            except ValueError as exc:
                return shown, f"column '{key}': {exc}"
    return shown, data


def csv_cell(text: str, type_: ir.Type) -> object:
    """A CSV cell as JSON would carry it: yes/no, whole numbers, and lists of records written as JSON."""
    if type_.kind == "bool":
        lowered = text.strip().lower()
        if lowered in {"true", "yes", "1"}:
            return True
        if lowered in {"false", "no", "0"}:
            return False
        raise ValueError(f"'{text}' is not yes or no")
    if type_.kind == "int":
        try:
            return int(text)
        except ValueError:
            shown = text if len(text) <= 40 else text[:37] + "..."
            raise ValueError(f"'{shown}' is not a whole number") from None
    if type_.kind in {"list", "record"}:
        try:
            return json.loads(text)
        except (ValueError, RecursionError):  # not JSON, a number too long, nested too deeply
            raise ValueError("a list of records in a CSV cell must be written as JSON") from None
    return text


def root_types(checked: ir.Checked) -> FieldTypes:
    return {f.ident: f.type for f in checked.record(checked.root).fields}


# ------------------------------------------------------------------ writing


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _umask()


class AtomicFile:
    """A file written beside `path` and moved into place on success; removed on any failure or interruption."""

    def __init__(self, path: Path, binary: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        os.chmod(self.tmp, 0o666 & ~_UMASK)  # mkstemp makes the file private; results are ordinary files
        self.handle: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.handle.close()
        if kind is None:
            os.replace(self.tmp, self.path)
        else:
            Path(self.tmp).unlink(missing_ok=True)


def csv_text(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], header: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    if header:
        writer.writerow(columns)
    for row in rows:
        writer.writerow([_csv_cell(row.get(c)) for c in columns])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, list | dict):
        return json_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):  # an id or a text from the case: never a formula in a spreadsheet (compiler.inert)
        return inert.csv_cell(value)
    return value


# Characters json.dumps leaves as they are that Python's str.splitlines (and some editors) take for a line break: a
# JSON Lines row holding one would read as two rows there. And the C1 controls, which some terminals obey as ESC
# sequences, and the direction overrides, which reorder what a terminal or an editor shows after them. Written as
# \u escapes, which every JSON reader reads back as they were.
_LINE_BREAKS = str.maketrans(
    {c: f"\\u{ord(c):04x}" for c in [*map(chr, range(0x80, 0xA0)), *"\u2028\u2029\u061c\u200e\u200f"]}
    | {chr(c): f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
)


def json_text(value: Any, indent: int | None = None) -> str:
    """`value` as JSON on one line (or indented, for a person to read): UTF-8 text as it is, but nothing any reader
    takes for a line break, nor anything a terminal would obey."""
    text = json.dumps(value, ensure_ascii=False, indent=indent)
    return text if text.isascii() else text.translate(_LINE_BREAKS)


def jsonl_text(rows: Sequence[Mapping[str, Any]]) -> str:
    return "".join(json_text(row) + "\n" for row in rows)


class RowWriter:
    """Writes rows of one shape (`columns`) to a JSON Lines, CSV or Parquet file, atomically.

    `write_text` takes rows already serialised by `serialise` (a worker process can do that part); Parquet rows
    travel as dicts and are written in record batches.
    """

    def __init__(self, path: Path, columns: Sequence[str], schema: Any = None) -> None:
        self.format = file_format(path)
        self.columns = list(columns)
        self.schema = schema  # a pyarrow schema (see arrow_schema); Parquet only
        self.file = AtomicFile(path, binary=self.format == "parquet")
        self._parquet: Any = None
        if self.format == "csv":
            self.file.handle.write(csv_text([], self.columns, header=True))

    def serialise(self, rows: Sequence[Mapping[str, Any]]) -> str | list[dict[str, Any]]:
        return serialise(self.format, self.columns, rows)

    def write(self, chunk: str | list[dict[str, Any]]) -> None:
        if isinstance(chunk, str):
            self.file.handle.write(chunk)
        elif chunk:
            self._write_parquet(chunk)

    def _write_parquet(self, rows: list[dict[str, Any]]) -> None:
        arrow, parquet = pyarrow_modules()
        table = arrow.Table.from_pylist([{c: row.get(c) for c in self.columns} for row in rows], schema=self.schema)
        if self._parquet is None:
            self._parquet = parquet.ParquetWriter(self.file.handle, table.schema)
        self._parquet.write_table(table)

    def __enter__(self) -> RowWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        try:
            if self._parquet is not None:
                self._parquet.close()
            elif self.format == "parquet" and kind is None:
                arrow, parquet = pyarrow_modules()
                empty = self.schema or arrow.schema([(c, arrow.string()) for c in self.columns])
                parquet.ParquetWriter(self.file.handle, empty).close()
        finally:
            self.file.__exit__(kind, exc, tb)


def serialise(fmt: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str | list[dict[str, Any]]:
    if fmt == "csv":
        return csv_text(rows, columns)
    if fmt == "parquet":
        return [dict(row) for row in rows]
    return jsonl_text(rows)


def arrow_schema(checked: ir.Checked, columns: Mapping[str, ir.Type]) -> Any:
    """A pyarrow schema for rows in case-file form: yes/no and whole numbers typed, records as structs, lists of
    records as lists of structs, everything else (dates, durations, money, enumerations) as the text JSON carries."""
    arrow, _ = pyarrow_modules()

    def of(type_: ir.Type) -> Any:
        if type_.kind == "bool":
            return arrow.bool_()
        if type_.kind == "int":
            return arrow.int64()
        if type_.kind in {"record", "list"}:
            assert type_.name is not None
            record = arrow.struct([(f.ident, of(f.type)) for f in checked.record(type_.name).fields])
            return arrow.list_(record) if type_.kind == "list" else record
        return arrow.string()

    return arrow.schema([(name, of(type_)) for name, type_ in columns.items()])
