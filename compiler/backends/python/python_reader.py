"""The fast case readers of a generated module: one function per record, reading its fields directly.

Almost every row of a register is plainly right. `_read_<record>` reads such a record with dict lookups and type
checks written inline, without a CaseReader call and a parser call per field: an enumeration value is one lookup of
its exact words, a date, duration or number one lookup among the texts of that field already read and found in range
(runtime_cases.KnownTexts). At anything else (a field missing or not of the record, a wrong type, a value out of
range, words that are not exact) it raises, and `load_case` reads the case again with the careful readers
(`_load_<record>`, python.py): every message about a case is theirs, naming the record and the field. Whenever the
fast reader succeeds, the careful one would have built an equal record without a problem.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from typing import assert_never

from compiler.backends.python import naming
from compiler.backends.python.python_literals import Literals
from compiler.backends.python.python_text import Code, Writer, call, string, tuple_of
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import MAX_DIGITS

# What the fast readers raise, besides KeyError (a field missing, words not exact) and TypeError (a list or an object
# where a text was expected: no dict key): load_case catches the three.
UNUSUAL = "(KeyError, TypeError, UnusualCase)"


def reader_name(ident: str) -> str:
    """`_read_charge`: the fast reader of the record `ident` (named like its careful reader, `_load_charge`)."""
    return "_read_" + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", ident).lower()


class _Tables:
    """The module-level tables the fast readers look values up in, numbered in the order the readers need them:
    numbers, because a name made from a record's and a field's names could be another's."""

    def __init__(self) -> None:
        self.tables: list[tuple[str, str, Code, str]] = []  # (name, annotation, code, what it is)
        self.by_enum: dict[str, str] = {}

    def add(self, annotation: str, code: Code, comment: str) -> str:
        name = f"_READ_{len(self.tables) + 1}"
        self.tables.append((name, annotation, code, comment))
        return name

    def words(self, enum: ir.EnumDef) -> str:
        if enum.ident not in self.by_enum:
            ident = naming.ident(enum.ident, "the enumeration")
            code = Code(f"{{value.text: value for value in {ident}}}")
            self.by_enum[enum.ident] = self.add(f"dict[str, {ident}]", code, f"{ident} by its exact words")
        return self.by_enum[enum.ident]

    def write(self, w: Writer) -> None:
        for name, annotation, code, comment in self.tables:
            w.comment(comment)
            w.statement(f"{name}: Final[{annotation}] = ", code)


def write_readers(w: Writer, checked: ir.Checked, literals: Literals) -> None:
    """The fast reader of every record, after the tables they use."""
    tables = _Tables()
    body = Writer()
    for r in checked.records:
        _write_reader(body, r, checked, literals, tables)
    w.line()
    w.line()
    w.comment(
        "The fast readers' tables: each record's field names, each enumeration's values by their exact words, and "
        "each date, duration and number field's texts already read and in range."
    )
    tables.write(w)
    w.lines.extend(body.lines)


def _write_reader(w: Writer, r: ir.RecordDef, checked: ir.Checked, literals: Literals, tables: _Tables) -> None:
    ident = naming.ident(r.ident, "the record")
    fields = ""
    if any(f.optional for f in r.fields):
        names = tuple_of([Code(string(f.ident)) for f in r.fields])
        fields = tables.add("frozenset[str]", call("frozenset", names), f"the fields of {ident}")
    w.line()
    w.line()
    with w.block(f"def {reader_name(ident)}(data: Any) -> {ident}:"):
        w.docstring(
            [
                f"A {r.label} from `data` when every field is plainly right, as in almost every row of a register.",
                "Raises KeyError, TypeError or UnusualCase at anything else: load_case then reads the case again "
                "with the careful reader, which says what is wrong.",
            ]
        )
        if any(f.optional for f in r.fields):
            with w.block(f"if type(data) is not dict or not data.keys() <= {fields}:"):
                w.line("raise UnusualCase")
        else:
            w.comment("Every field is looked up below: as many keys as fields, and there is no other.")
            with w.block(f"if type(data) is not dict or len(data) != {len(r.fields)}:"):
                w.line("raise UnusualCase")
        for f in r.fields:
            _write_field(w, r, f, checked, literals, tables)
        # The fields in the order of the record's (a fifth faster than by name).
        w.statement("return ", call(ident, *(_local(f) for f in r.fields)))


def _write_field(
    w: Writer, r: ir.RecordDef, f: ir.FieldDef, checked: ir.Checked, literals: Literals, tables: _Tables
) -> None:
    local, key = _local(f), string(f.ident)
    check: str | None = None  # when the value is not plainly right
    convert = "{}"  # what the value becomes
    match f.type.kind:
        case Kind.ENUM:
            convert = tables.words(checked.enum(f.type.name or "")) + "[{}]"
        case Kind.NUMBER | Kind.MONEY:
            convert = _known_texts(r, f, literals, tables, "parse_decimal", "Fraction")
        case Kind.PERCENTAGE:
            convert = _known_texts(r, f, literals, tables, "parse_percentage", "Fraction")
        case Kind.CITATION:
            convert = _known_texts(r, f, literals, tables, "parse_cited", "CitedProvisions")
        case Kind.DATE:
            convert = _known_texts(r, f, literals, tables, "parse_date", "datetime.date")
        case Kind.DURATION:
            convert = _known_texts(r, f, literals, tables, "parse_duration", "Duration")
        case Kind.BOOL:
            check = f"{local} is not True and {local} is not False"
        case Kind.TEXT:
            check = f"type({local}) is not str"
        case Kind.INT:
            check = f"type({local}) is not int or {_int_range(local, f, literals)}"
        case Kind.RECORD:
            convert = reader_name(naming.ident(f.type.name or "", "the record")) + "({})"
        case Kind.LIST:
            check = f"type({local}) is not list"
            convert = f"tuple(map({reader_name(naming.ident(f.type.name or '', 'the record'))}, {{}}))"
        case Kind.PERIOD:
            raise ValueError(f"a case cannot give {f.type.describe()}")
        case _:
            assert_never(f.type.kind)
    if not f.optional and check is None:
        w.line(f"{local} = {convert.format(f'data[{key}]')}")
        return
    w.line(f"{local} = data.get({key})" if f.optional else f"{local} = data[{key}]")
    with w.block(f"if {local} is not None:") if f.optional else nullcontext():
        if check is not None:
            with w.block(f"if {check}:"):
                w.line("raise UnusualCase")
        if convert != "{}":
            w.line(f"{local} = {convert.format(local)}")


def _local(f: ir.FieldDef) -> str:
    """The local holding field `f` as it is read: its attribute's name and an underscore, clear of every other name."""
    return naming.attribute_ident(f.ident) + "_"


def _known_texts(
    r: ir.RecordDef, f: ir.FieldDef, literals: Literals, tables: _Tables, parser: str, annotation: str
) -> str:
    """A table of the texts of this fact read so far that the careful reader's `parser` found right, and their values
    (within the field's bounds, if any): what the fast reader looks a text up in."""
    code = parser
    if f.low is not None and f.high is not None:
        code += f", {literals.code(f.low, f.type)}, {literals.code(f.high, f.type)}"
        code += ", True" if calendar_bounds(f) else ""
    comment = (
        f"{naming.name(r.ident)}.{naming.attribute(f.ident)}: the texts read so far that are right, and their values"
    )
    return tables.add(f"KnownTexts[{annotation}]", Code(f"KnownTexts({code})"), comment) + "[{}]"


def calendar_bounds(f: ir.FieldDef) -> bool:
    """A duration fact with bounds that do not say how a month counts: its case value is refused where its place
    against a bound hangs on a month's length (runtime_cases.Reader._in_range)."""
    return f.type.kind is Kind.DURATION and f.low is not None and f.high is not None and not f.thirty_day_bounds


def _int_range(local: str, f: ir.FieldDef, literals: Literals) -> str:
    """`not low <= x <= high`, and not more digits than a case may give (unless the bounds already say so)."""
    conditions = []
    if f.low is not None and f.high is not None:
        conditions.append(f"not {literals.code(f.low, f.type)} <= {local} <= {literals.code(f.high, f.type)}")
    limit = 10**MAX_DIGITS
    bounded = all(isinstance(b, int) and abs(b) < limit for b in (f.low, f.high))
    if not bounded:
        conditions.append(f"not -WHOLE_LIMIT < {local} < WHOLE_LIMIT")
    return " or ".join(conditions)
