"""Syntax nodes as plain JSON values, and back with every node's class and every field's value checked.

The parse cache (compiler/frontend/parse_cache.py) keeps each article's nodes as this data, never as a pickle: reading
it back builds only the classes of compiler.frontend.syntax, each from the field values its annotations allow (a class
among those the field may hold, texts, whole numbers, yes/no, fractions and dates built from checked digit strings,
spans inside the part they came from). Anything else raises Invalid, and the caller parses the part again.

A node is written as a list: its class name, then its fields in order; a tuple as a list; a Fraction as "n" or
"n/d"; a date as "YYYY-MM-DD"; a span as six numbers relative to the part (null for an unknown span). The parser's
other values, an article heading, a quoted line of law and a note, are ["heading", node], ["quote", text] and
["note", node].
"""

from __future__ import annotations

import dataclasses
import datetime
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from typing import Any

from compiler.frontend import syntax, syntax_expr
from compiler.frontend.diagnostics import Span

_MODULES = {syntax.__name__, syntax_expr.__name__}  # syntax gives the classes of syntax_expr under its own name
_CLASSES: dict[str, type] = {
    cls.__name__: cls
    for cls in vars(syntax).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ in _MODULES
}
_FRACTION = re.compile(r"(-?[0-9]+)(?:/([0-9]+))?")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class Invalid(ValueError):
    """The data is not syntax nodes that the part it is stored for could give."""


@dataclass(frozen=True)
class Part:
    """Where the nodes read belong: their file, the lines and characters before the part, the part's text."""

    file: str
    lines_before: int
    chars_before: int
    length: int  # characters
    lines: int  # lines (line breaks + 1)


Decode = Callable[[Any, Part], Any]


# ------------------------------------------------------------------ writing


def encode_items(items: list[Any], lines_before: int, chars_before: int) -> list[Any]:
    """The parser's values for one part, with spans relative to the part, as JSON values."""
    shift = (lines_before, chars_before)
    return [[item[0], _encode(item[1], shift)] if type(item) is tuple else _encode(item, shift) for item in items]


def _encode(value: Any, shift: tuple[int, int]) -> Any:
    kind = type(value)
    if kind is Span:
        if value == Span.unknown(value.file):
            return None
        lines, chars = shift
        where = (value.line - lines, value.column, value.end_line - lines, value.end_column)
        return [*where, value.start - chars, value.end - chars]
    if kind is tuple:
        return [_encode(v, shift) for v in value]
    if kind is Fraction:
        return str(value)
    if kind is datetime.date:
        return value.isoformat()
    if kind.__name__ in _CLASSES and _CLASSES[kind.__name__] is kind:
        return [kind.__name__, *[_encode(getattr(value, f.name), shift) for f in dataclasses.fields(value)]]
    assert value is None or kind in (str, int, bool), kind
    return value


# ------------------------------------------------------------------ reading


def decode_items(data: Any, part: Part) -> list[Any]:
    """The parser's values for one part from `data`, spans placed in the file; raises Invalid."""
    if type(data) is not list:
        raise Invalid("not a list of statements")
    items: list[Any] = []
    statement = _decoder(syntax.Statement)
    for item in data:
        if type(item) is list and len(item) == 2 and item[0] in ("heading", "quote", "note"):
            match item[0]:
                case "heading":
                    items.append(("heading", _decoder(syntax.Article)(item[1], part)))
                case "quote":
                    items.append(("quote", _text(item[1], part)))
                case "note":
                    items.append(("note", _decoder(syntax.Note)(item[1], part)))
        else:
            items.append(statement(item, part))
    return items


@cache
def _decoder(hint: Any) -> Decode:
    """How to read a value of the annotated type `hint` (a syntax class, a union of them, a tuple, a plain type)."""
    origin = typing.get_origin(hint)
    if origin is types.UnionType or origin is typing.Union:
        return _union(typing.get_args(hint))
    if origin is tuple:
        element, ellipsis = typing.get_args(hint)
        assert ellipsis is Ellipsis, hint
        return _tuple(element)
    if hint is Span:
        return _span
    if isinstance(hint, type) and _CLASSES.get(hint.__name__) is hint:
        return _union((hint,))
    plain: dict[Any, Decode] = {
        str: _text,
        bool: _bool,
        int: _int,
        Fraction: _fraction,
        datetime.date: _date,
        type(None): _none,
    }
    return plain[hint]


def _union(members: tuple[Any, ...]) -> Decode:
    """A node of one of the classes in `members` (a list starting with its name); None or a tuple if allowed."""
    classes = {m.__name__: m for m in members if isinstance(m, type) and m.__name__ in _CLASSES}
    optional = type(None) in members
    tuples = [m for m in members if typing.get_origin(m) is tuple]
    plain = [m for m in members if m not in (*classes.values(), type(None), *tuples)]
    assert len(tuples) + len(plain) <= 1, members  # at most one reading of a value that is not a node
    read_other = _decoder((*tuples, *plain)[0]) if tuples or plain else None

    def read(value: Any, part: Part) -> Any:
        if value is None and optional:
            return None
        if type(value) is list and value and type(value[0]) is str:
            cls = classes.get(value[0])
            if cls is None:
                raise Invalid(f"{value[0]!r} is not a syntax node allowed here")
            fields = _fields(cls)
            if len(value) != len(fields) + 1:
                raise Invalid(f"{value[0]} has {len(fields)} fields")
            return cls(*[field(v, part) for field, v in zip(fields, value[1:], strict=True)])
        if read_other is not None:
            return read_other(value, part)
        raise Invalid(f"expected one of {', '.join(classes)}")

    return read


@cache
def _fields(cls: type) -> tuple[Decode, ...]:
    hints = typing.get_type_hints(cls, vars(syntax))
    return tuple(_decoder(hints[f.name]) for f in dataclasses.fields(cls))


def _tuple(element: Any) -> Decode:
    def read(value: Any, part: Part) -> tuple[Any, ...]:
        if type(value) is not list:
            raise Invalid("expected a list")
        read_element = _decoder(element)
        return tuple([read_element(v, part) for v in value])

    return read


def _span(value: Any, part: Part) -> Span:
    if value is None:
        return Span.unknown(part.file)
    if type(value) is not list or len(value) != 6:
        raise Invalid("a span is six whole numbers")
    line, column, end_line, end_column, start, end = value
    if not type(line) is type(column) is type(end_line) is type(end_column) is type(start) is type(end) is int:
        raise Invalid("a span is six whole numbers")
    if not (1 <= line <= end_line <= part.lines and 0 <= start <= end <= part.length and column >= 1 <= end_column):
        raise Invalid("a span outside its part")
    lines, chars = part.lines_before, part.chars_before
    return Span(part.file, line + lines, column, end_line + lines, end_column, start + chars, end + chars)


def _text(value: Any, part: Part) -> str:
    if type(value) is not str or len(value) > part.length:  # no text of a part is longer than the part
        raise Invalid("expected a text from the part")
    return value


def _bool(value: Any, part: Part) -> bool:
    if type(value) is not bool:
        raise Invalid("expected yes or no")
    return value


def _int(value: Any, part: Part) -> int:
    # Whole numbers (a duration's months and days) come from the part's digits, times 12 or 7 at most.
    if type(value) is not int or len(str(abs(value))) > part.length + 2:
        raise Invalid("expected a whole number from the part")
    return value


def _fraction(value: Any, part: Part) -> Fraction:
    """Only digits: Fraction() itself reads '1e300000000', which takes hours to build."""
    found = _FRACTION.fullmatch(value) if type(value) is str and len(value) <= 2 * part.length + 8 else None
    if found is None:
        raise Invalid("expected a fraction of digits from the part")
    numerator, denominator = found.group(1), found.group(2)
    try:
        return Fraction(int(numerator), int(denominator) if denominator else 1)
    except (ValueError, ZeroDivisionError):  # more digits than Python reads, or a zero denominator
        raise Invalid("expected a fraction of digits from the part") from None


def _date(value: Any, part: Part) -> datetime.date:
    if type(value) is not str or not _DATE.fullmatch(value):
        raise Invalid("expected a date")
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise Invalid("expected a date in the calendar") from None


def _none(value: Any, part: Part) -> None:
    if value is not None:
        raise Invalid("expected nothing")
