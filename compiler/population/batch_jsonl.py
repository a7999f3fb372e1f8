"""The fast JSON Lines path of population runs: JSON Lines out, the usual run, at a fraction of the general path's
cost. A chunk's lines are parsed by one json.loads, and each distinct decision's JSON is made once per process;
the rows are decided by the one loop (compiler/population/batch_rows.py), so a bad row's reject is the very same as on
the general path (tests/test_batch.py checks the bytes of both)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any, Final

from compiler.backends.python import naming
from compiler.foundation.inert import json_text
from compiler.model.evaluator import RowDecider
from compiler.population.batch_rows import ReadRow, Rejected, decide_rows, unwritable
from compiler.population.casefiles import FieldTypes, RawRow, case_data, json_object_loads, split_id
from compiler.population.results import Lists

# Per generated module, in each process: the JSON of each distinct decision (after its "{"), by decision_key.
_TAILS: dict[str, dict[object, str]] = {}


def jsonl_chunk(
    decider: RowDecider, module_name: str, rows: list[RawRow], types_: FieldTypes, key: Callable[[object], object]
) -> tuple[str, list[dict[str, object]]]:
    """The results' JSON lines of a chunk of rows, and the rejects' records."""
    lines: list[str] = []
    rejects: list[dict[str, object]] = []
    if module_name not in _TAILS and len(_TAILS) >= 8:  # a process running many statutes (tests)
        _TAILS.clear()
    tails = _TAILS.setdefault(module_name, {})
    if len(tails) > 4096:  # a register of many distinct decisions: memory stays flat
        tails.clear()
    for result in decide_rows(decider, parsed_rows(rows, types_)):
        if isinstance(result, Rejected):
            rejects.append(result.record())
            continue
        number, case_id, _, decision, _, _ = result
        values = key(decision)
        tail = tails.get(values)
        if tail is None:
            try:
                tail = tails[values] = json_text(decider.decision_as_dict(decision))[1:]
            except Exception as exc:  # a number too long to write: this row only
                rejects.append(unwritable(number, case_id, exc).record())
                continue
        if case_id.isascii() and case_id.isprintable() and '"' not in case_id and "\\" not in case_id:  # json_line's
            lines.append('{"id": "' + case_id + '", ' + tail + "\n")
        else:
            lines.append('{"id": ' + json_text(case_id) + ", " + tail + "\n")
    return "".join(lines), rejects


def json_line(case_id: str, tail: str) -> str:
    """The same text as json_text({"id": case_id, **decision}), given the decision's JSON after its "{"."""
    if case_id.isascii() and case_id.isprintable() and '"' not in case_id and "\\" not in case_id:
        return '{"id": "' + case_id + '", ' + tail + "\n"
    return '{"id": ' + json_text(case_id) + ", " + tail + "\n"


def decision_key(
    columns: Sequence[str], durations: Sequence[str], lists: Lists = (), list_durations: Lists = ()
) -> Callable[[Any], object]:
    """What tells decisions apart as JSON shows them: the outcomes' values (`columns` after the id), but a
    duration's months and days, since "1 year" == "360 days" (durations compare by their days) but they are not
    shown alike. Plain values only, which hash without a Python call.

    A list whose records get outcomes (`lists`: its key and its records' outcome keys; `list_durations`: those of
    them that are durations) is told apart by the tuple of its records' keys, in the case's order, each made the same
    way: so two decisions share a key only when every record's outcomes are shown alike, and an empty list is ()."""
    listed = {key for key, _ in lists}
    key = _flat_key([c for c in columns[1:] if c not in listed], durations)
    if not lists:
        return key
    timed = dict(list_durations)
    parts = [
        (operator.attrgetter(naming.attribute(name)), _flat_key(outcomes, timed.get(name, ()), naming.attribute))
        for name, outcomes in lists
    ]

    def nested(decision: Any) -> object:
        return key(decision), tuple([tuple(map(record, get(decision))) for get, record in parts])

    return nested


def _flat_key(
    outcomes: Sequence[str], durations: Sequence[str], attribute: Callable[[str], str] = naming.name
) -> Callable[[Any], object]:
    """The key of an object holding `outcomes` as attributes (a Decision, a record's decision): their values, a
    duration's as its months and days."""
    others = [attribute(key) for key in outcomes if key not in durations]
    plain: Callable[[Any], object] = operator.attrgetter(*others) if others else lambda decision: None
    timed_ = [attribute(key) for key in outcomes if key in durations]
    if not timed_:
        return plain
    timed: Callable[[Any], Any] = operator.attrgetter(*timed_)
    if len(timed_) == 1:

        def key(decision: Any) -> object:
            value = timed(decision)
            return plain(decision), None if value is None else (value.months, value.days)

        return key

    def keys(decision: Any) -> object:
        return plain(decision), tuple(None if v is None else (v.months, v.days) for v in timed(decision))

    return keys


_MISSING: Final = object()

# Between the lines of a chunk parsed as one JSON array: a text that a line holding neither it nor a \u escape cannot
# make (no other escape makes its letters), so that each one found in the array is one put there.
_SEPARATOR_TEXT: Final = "statute-batch-separator"
_SEPARATOR_BYTES: Final = _SEPARATOR_TEXT.encode()
_SEPARATOR: Final = b',"' + _SEPARATOR_BYTES + b'",'


def parsed_rows(rows: list[RawRow], types_: FieldTypes) -> list[ReadRow]:
    """(row, case id, the case or why the row cannot be read): what case_data gives for each row.

    A chunk's JSON lines are parsed by one json.loads, as one array with a separator between the lines: a third
    faster than a call per line (keys are made once, not per line). The array stands for the lines only when it
    holds a value, the separator, a value, ... with every separator in its place: when each line holds exactly one
    JSON value. Else each line is read alone, and so is a line holding a \\u escape (case_data checks what it
    makes).
    """
    values = _parse_lines([raw for _, raw in rows])
    if values is None:
        plain = [i for i, (_, raw) in enumerate(rows) if isinstance(raw, bytes) and b"\\u" not in raw]
        found = dict(zip(plain, _parse_lines([rows[i][1] for i in plain]) or [], strict=False))
        values = [found.get(i, _MISSING) for i in range(len(rows))]
    out: list[ReadRow] = []
    for (number, raw), data in zip(rows, values, strict=True):
        if type(data) is dict:
            case_id = data.get("id")
            if type(case_id) is str:  # the usual id: no call
                del data["id"]
                out.append((number, case_id, data))
            else:
                out.append((number, *split_id(number, data)))
        elif data is _MISSING:
            out.append((number, *case_data(number, raw, types_)))
        else:
            out.append((number, f"row {number}", "not a JSON object"))
    return out


def _parse_lines(lines: list[Any]) -> list[Any] | None:
    """The JSON value of each line, or None unless they are all lines of bytes read alike by one json.loads."""
    try:
        blob = _SEPARATOR.join(lines)  # TypeError unless every row is a line of bytes
    except TypeError:
        return None
    if not lines or b"\\u" in blob or blob.count(_SEPARATOR_BYTES) != len(lines) - 1:
        return None
    try:
        parsed = json_object_loads((b"[" + blob + b"]").decode("utf-8"))  # an object giving a key twice: ValueError
    except (ValueError, RecursionError):  # a line that is not UTF-8 or not JSON: each is read alone
        return None
    if len(parsed) != 2 * len(lines) - 1 or parsed[1::2].count(_SEPARATOR_TEXT) != len(lines) - 1:
        return None
    return parsed[::2]  # type: ignore[no-any-return]
