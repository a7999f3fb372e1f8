"""Case files read and written as streams: JSON Lines, CSV, and Parquet when pyarrow is installed.

Reading yields raw rows (a JSON line stays text, so that parsing can happen in a worker process); `case_data` turns
a raw row into the dict `load_case` takes, or the reason it cannot. Writing goes to a temporary file beside the
target that replaces it only when the whole file is written (compiler/foundation/atomic.py): an interrupted run leaves
no half-written file."""

from __future__ import annotations

import csv
import datetime
import decimal
import importlib
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, assert_never

from compiler.foundation import inert
from compiler.foundation.atomic import AtomicFile as AtomicFile  # kept importable from here, where it was written first
from compiler.foundation.atomic import OutputError, describe
from compiler.foundation.inert import json_text
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population.csv_records import BrokenRecord, csv_records
from compiler.values import MAX_DIGITS

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
    """A raw row that could not be read at all: the reason, which case_data passes on, and the field at fault when
    one is (a CSV column, a JSON key, the id)."""

    field: str | None = None

    @classmethod
    def at(cls, reason: str, field: str | None = None) -> Unreadable:
        unreadable = cls(reason)
        unreadable.field = field
        return unreadable


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _csv_rows(path: Path) -> Iterator[RawRow]:
    # utf-8-sig: spreadsheets start a CSV with a byte-order mark; surrogateescape: a byte that is not UTF-8 spoils
    # only its own row, which is refused.
    with path.open(encoding="utf-8-sig", errors="surrogateescape", newline="") as handle:
        records = csv_records(handle)
        first = next(records, None)
        if first is None:
            return
        header = first[1]
        if isinstance(header, BrokenRecord):
            raise CaseFileError(f"{path}: the header (line {first[0]}) cannot be read: {header}")
        if _LONE_SURROGATE.search("".join(header)):
            raise CaseFileError(f"{path}: the header (line {first[0]}) is not UTF-8 text")
        twice = next((name for i, name in enumerate(header) if name in header[:i]), None)
        for number, cells in records:
            if isinstance(cells, BrokenRecord):
                resumed = "; the row is refused and reading goes on with the next line" if cells.quote else ""
                yield number, Unreadable.at(cells + resumed, cells.column)
            elif twice is not None:  # which of the two cells would be the fact? Neither is taken.
                yield number, Unreadable.at(f"column '{twice}' is in the header more than once", twice)
            elif _LONE_SURROGATE.search("".join(cells)):
                yield number, Unreadable("not UTF-8 text")
            else:
                yield number, {name: cell for name, cell in zip(header, cells, strict=True) if cell != ""}


def _parquet_rows(path: Path) -> Iterator[RawRow]:
    arrow, parquet = pyarrow_modules()
    number = 0
    try:  # a file that is not Parquet, or is cut short, or whose pages are corrupt: the file cannot be used
        for batch in parquet.ParquetFile(path).iter_batches(batch_size=4096):
            for row in batch.to_pylist():
                number += 1
                yield number, {k: _plain(v) for k, v in row.items() if v is not None}
    except (arrow.ArrowException, ValueError, OSError) as exc:
        after = f" after row {number}" if number else ""
        raise CaseFileError(f"{path}: not a readable Parquet file{after} ({_one_line(str(exc))})") from None


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= 200 else line[:197] + "..."


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


class _RepeatedKey(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object, unless it gives a key twice: json.loads would keep the last, and the row would say two things."""
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        raise _RepeatedKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return data


def json_object_loads(text: str | bytes) -> Any:
    """json.loads, refusing an object that gives a key twice (_RepeatedKey, a ValueError)."""
    return json.loads(text, object_pairs_hook=_object)


def case_data(number: int, raw: str | bytes | dict[str, Any], types: FieldTypes) -> tuple[str, dict[str, Any] | str]:
    """(case id, the case as load_case takes it) or (case id, why the row cannot be read: an Unreadable)."""
    if isinstance(raw, Unreadable):
        return f"row {number}", raw
    if isinstance(raw, str | bytes):
        data = json_case(raw)
        return (f"row {number}", data) if isinstance(data, Unreadable) else split_id(number, data)
    case_id, data = split_id(number, dict(raw))
    if isinstance(data, str):
        return case_id, data
    for key, text in data.items():
        if isinstance(text, str) and key in types:
            try:
                data[key] = csv_cell(text, types[key])
            except ValueError as exc:
                return case_id, Unreadable.at(f"column '{key}': {exc}", key)
    return case_id, data


def json_case(raw: str | bytes) -> dict[str, Any] | Unreadable:
    """The JSON object `raw` holds, or why it is no case (every reader's rule: see docs/population.md)."""
    try:
        data = json_object_loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)  # str parses faster
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}" if exc.lineno > 1 else f"column {exc.colno}"
        return Unreadable(f"not valid JSON ({exc.msg}, {where})")
    except UnicodeDecodeError:
        return Unreadable("not UTF-8 text")
    except RecursionError:  # how the json module refuses arrays and objects nested thousands deep
        return Unreadable("nested too deeply to read")
    except _RepeatedKey as exc:
        return Unreadable.at(f"gives the key '{exc.key}' twice in one object", exc.key)
    except ValueError:  # how the json module refuses a number of more than 4300 digits
        return Unreadable("holds a number with too many digits to read")
    if not isinstance(data, dict):
        return Unreadable("not a JSON object")
    if (b"\\u" in raw if isinstance(raw, bytes) else "\\u" in raw) and _LONE_SURROGATE.search(
        json.dumps(data, ensure_ascii=False)
    ):
        return Unreadable("holds a \\u escape that is no character (half of a surrogate pair)")
    return data


def split_id(number: int, data: dict[str, Any]) -> tuple[str, dict[str, Any] | Unreadable]:
    """(the case's id, the case without it): an id is a text or a whole number; a case without one is "row N"."""
    case_id = data.pop("id", None)
    if case_id is None:
        return f"row {number}", data
    if type(case_id) is str:
        return case_id, data
    if type(case_id) is int:  # not a bool, which is an int too
        return str(case_id), data
    return f"row {number}", Unreadable.at(f"the id must be a text or a whole number, not {_kind(case_id)}", "id")


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return "the number " + repr(value)[:40]
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, bytes):
        return "binary data"
    return type(value).__name__


_WHOLE = re.compile(r"[+-]?[0-9]+")


def csv_cell(text: str, type_: ir.Type) -> object:
    """A CSV cell as JSON would carry it: yes/no, whole numbers, and lists of records written as JSON."""
    match type_.kind:
        case Kind.BOOL:
            lowered = text.strip().lower()
            if lowered in {"true", "yes", "1"}:
                return True
            if lowered in {"false", "no", "0"}:
                return False
            raise ValueError(f"'{text}' is not yes or no")
        case Kind.INT:
            if not _WHOLE.fullmatch(text.strip()):  # ASCII digits only, as JSON: not "٣٠", "3_0" or "3.0"
                shown = text if len(text) <= 40 else text[:37] + "..."
                raise ValueError(f"'{shown}' is not a whole number (digits 0 to 9, with a sign if any)")
            if len(text.strip().lstrip("+-")) > MAX_DIGITS:
                raise ValueError(f"a number of more than {MAX_DIGITS} digits is not a fact of a case")
            return int(text)
        case Kind.LIST | Kind.RECORD:
            try:
                return json_object_loads(text)
            except _RepeatedKey as exc:
                raise ValueError(f"the key '{exc.key}' is given twice in one object") from None
            except (ValueError, RecursionError):  # not JSON, a number too long, nested too deeply
                raise ValueError("a list of records in a CSV cell must be written as JSON") from None
        case Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE | Kind.DATE | Kind.DURATION | Kind.TEXT | Kind.PERIOD:
            return text  # as JSON carries it: the case reader reads the text
        case Kind.ENUM | Kind.CITATION:
            return text
        case _:
            assert_never(type_.kind)


def root_types(checked: ir.Checked) -> FieldTypes:
    return {f.ident: f.type for f in checked.record(checked.root).fields}


# ------------------------------------------------------------------ writing


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
    if isinstance(
        value, str
    ):  # an id or a text from the case: never a formula in a spreadsheet (compiler.foundation.inert)
        return inert.csv_cell(value)
    return value


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
            try:
                self.file.write(csv_text([], self.columns, header=True))
            except BaseException as exc:  # no `with` has taken the file yet: its temporary file goes here
                self.file.__exit__(type(exc), exc, exc.__traceback__)
                raise

    def serialise(self, rows: Sequence[Mapping[str, Any]]) -> str | list[dict[str, Any]]:
        return serialise(self.format, self.columns, rows)

    def write(self, chunk: str | list[dict[str, Any]]) -> None:
        if isinstance(chunk, str):
            self.file.write(chunk)
        elif chunk:
            self._write_parquet(chunk)

    def _write_parquet(self, rows: list[dict[str, Any]]) -> None:
        arrow, parquet = pyarrow_modules()
        table = arrow.Table.from_pylist([{c: row.get(c) for c in self.columns} for row in rows], schema=self.schema)
        try:
            if self._parquet is None:
                self._parquet = parquet.ParquetWriter(self.file.handle, table.schema)
            self._parquet.write_table(table)
        except OSError as exc:  # pyarrow writes to the handle itself: a full disk shows here
            raise OutputError(f"cannot write {self.file.path}: {describe(exc)}") from None

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
        except BaseException as error:  # the file is not whole: it must not be moved into place
            self.file.__exit__(type(error), error, error.__traceback__)
            if isinstance(error, OSError):
                raise OutputError(f"cannot write {self.file.path}: {describe(error)}") from None
            raise
        self.file.__exit__(kind, exc, tb)


def serialise(fmt: str, columns: Sequence[str], rows: Sequence[Mapping[str, Any]]) -> str | list[dict[str, Any]]:
    if fmt == "csv":
        return csv_text(rows, columns)
    if fmt == "parquet":
        return [_parquet_row(row) for row in rows]
    return jsonl_text(rows)


def _parquet_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """`row` with each record's id as text: a Parquet column has one type, and an id may be a text or a number (the
    case's own id is text there too)."""
    out = dict(row)
    for key, value in row.items():
        if isinstance(value, list) and any(isinstance(r, dict) and isinstance(r.get("id"), int) for r in value):
            out[key] = [
                r | {"id": str(r["id"])} if isinstance(r, dict) and isinstance(r.get("id"), int) else r for r in value
            ]
    return out


def arrow_schema(
    checked: ir.Checked, columns: Mapping[str, ir.Type], records: Mapping[str, Mapping[str, ir.Type]] | None = None
) -> Any:
    """A pyarrow schema for rows in case-file form: yes/no and whole numbers typed, records as structs, lists of
    records as lists of structs, everything else (dates, durations, money, enumerations) as the text JSON carries.
    `records` adds a list of structs for each list whose records get outcomes: list key -> outcome key -> type."""
    arrow, _ = pyarrow_modules()

    def of(type_: ir.Type) -> Any:
        match type_.kind:
            case Kind.BOOL:
                return arrow.bool_()
            case Kind.INT:
                return arrow.int64()
            case Kind.RECORD | Kind.LIST:
                assert type_.name is not None
                record = arrow.struct([(f.ident, of(f.type)) for f in checked.record(type_.name).fields])
                return arrow.list_(record) if type_.kind is Kind.LIST else record
            case Kind.NUMBER | Kind.MONEY | Kind.PERCENTAGE | Kind.DATE | Kind.DURATION | Kind.TEXT | Kind.PERIOD:
                return arrow.string()
            case Kind.ENUM | Kind.CITATION:
                return arrow.string()
            case _:
                assert_never(type_.kind)

    nested = [
        (key, arrow.list_(arrow.struct([(o, of(t)) for o, t in outcomes.items()])))
        for key, outcomes in (records or {}).items()
    ]
    return arrow.schema([(name, of(type_)) for name, type_ in columns.items()] + nested)
