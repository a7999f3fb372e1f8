"""Hypothesis strategies for case data: cases inside a statute's schema, and hostile ones outside it.

Values are in the form a JSON case file carries them (see docs/language.md, section 13), built from the checked
statute's records and fields.
"""

from __future__ import annotations

import datetime
import json
from fractions import Fraction
from typing import Any, assert_never

from hypothesis import strategies as st

from compiler.backends.python.python_reader import calendar_bounds
from compiler.check.month_counting import order_hangs_on_month
from compiler.interpret.read import read_case
from compiler.interpret.requirements import broken_requirements
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import duration_text, number_text, percentage_text

MIN_DATE, MAX_DATE = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)


def _bounded_int(f: ir.FieldDef) -> st.SearchStrategy[int]:
    low = int(f.low) if isinstance(f.low, int | Fraction) else -(10**6)
    high = int(f.high) if isinstance(f.high, int | Fraction) else 10**6
    return st.integers(low, high)


def _date(f: ir.FieldDef) -> st.SearchStrategy[str]:
    low = f.low if isinstance(f.low, datetime.date) else MIN_DATE
    high = f.high if isinstance(f.high, datetime.date) else MAX_DATE
    return st.dates(low, high).map(datetime.date.isoformat)


def _duration(f: ir.FieldDef) -> st.SearchStrategy[str]:
    low = f.low.total_days if isinstance(f.low, ir.Duration) else 0
    high = f.high.total_days if isinstance(f.high, ir.Duration) else 40 * 360
    days = st.integers(low, high)
    in_days = days.map(lambda n: ir.Duration(0, n))
    in_months = days.map(lambda n: ir.Duration(n // 30, n % 30))
    if calendar_bounds(f):
        # the case reader refuses a value whose place against a bound hangs on a month's length ("1 year 1 month
        # 4 days" against 400 days): a case inside the schema gives such a value in the bound's unit
        assert isinstance(f.low, ir.Duration) and isinstance(f.high, ir.Duration)
        bounds = (f.low, f.high)
        in_days = in_days.filter(lambda d: not _hangs_on_month(d, *bounds))
        in_months = in_months.filter(lambda d: not _hangs_on_month(d, *bounds))
    return st.one_of(
        in_days.map(lambda d: f"{d.days} days"),
        in_months.map(lambda d: duration_text(d.months, d.days)),
        in_months.map(lambda d: f"P{d.months}M{d.days}D"),
    )


def _hangs_on_month(value: ir.Duration, low: ir.Duration, high: ir.Duration) -> bool:
    return order_hangs_on_month(low, value) or order_hangs_on_month(value, high)


def _decimal(f: ir.FieldDef) -> st.SearchStrategy[object]:
    low = Fraction(f.low) if isinstance(f.low, int | Fraction) else Fraction(-(10**9))
    high = Fraction(f.high) if isinstance(f.high, int | Fraction) else Fraction(10**9)
    cents = st.integers(int(low * 100), int(high * 100)).map(lambda n: Fraction(n, 100))
    return st.one_of(cents.map(number_text), cents.filter(lambda x: x.denominator == 1).map(int))


def field_value(checked: ir.Checked, f: ir.FieldDef, depth: int = 0) -> st.SearchStrategy[Any]:
    """A value of field `f` that the generated loader must accept."""
    match f.type.kind:
        case Kind.BOOL:
            return st.booleans()
        case Kind.INT:
            return _bounded_int(f)
        case Kind.NUMBER | Kind.MONEY:
            return _decimal(f)
        case Kind.PERCENTAGE:
            return _decimal(f).map(lambda share: percentage_text(Fraction(share)))
        case Kind.DATE:
            return _date(f)
        case Kind.DURATION:
            return _duration(f)
        case Kind.TEXT:
            return st.text(max_size=40)
        case Kind.ENUM:
            assert f.type.name is not None
            words = [v.text for v in checked.enum(f.type.name).values]
            # Capitals only where they read back as the word: "ﬁle" in capitals is "FILE", the word "file", not "ﬁle".
            shouted = [w for w in words if w.upper().lower() == w.lower()]
            capitals = st.sampled_from(shouted).map(lambda w: f"  The {w.upper()} ") if shouted else st.nothing()
            return st.sampled_from(words) | capitals
        case Kind.LIST:
            assert f.type.name is not None
            return st.lists(
                record_value(checked, checked.record(f.type.name), depth + 1), max_size=3 if depth < 2 else 0
            )
        case Kind.RECORD:
            assert f.type.name is not None
            return record_value(checked, checked.record(f.type.name), depth + 1)
        case Kind.CITATION:  # one article, at most one part: as a case gives an offence
            return st.builds(
                lambda article, sub, part: (
                    f"Article {article}{f'.{sub}' if sub else ''}{f' part {part}' if part else ''}"
                ),
                st.integers(1, 400),
                st.integers(0, 2),
                st.integers(0, 5),
            )
        case Kind.PERIOD:
            raise ValueError("a case cannot give a period")
        case _:
            assert_never(f.type.kind)


def record_value(checked: ir.Checked, record: ir.RecordDef, depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    required = {f.ident: field_value(checked, f, depth) for f in record.fields if not f.optional}
    optional = {f.ident: st.none() | field_value(checked, f, depth) for f in record.fields if f.optional}
    return st.fixed_dictionaries(required, optional=optional)


def valid_cases(checked: ir.Checked) -> st.SearchStrategy[dict[str, Any]]:
    """Cases within the schema that keep the statute's requirements (a case that breaks one is rejected when read,
    as one outside the schema is: hostile_cases draws those)."""
    root = checked.record(checked.root)
    ids = st.one_of(st.text(max_size=12), st.integers(-(10**6), 10**6))
    drawn = st.tuples(record_value(checked, root), st.none() | ids).map(
        lambda pair: pair[0] if pair[1] is None else {"id": pair[1], **pair[0]}
    )
    return drawn.filter(lambda case: coherent(checked, case)) if checked.requirements else drawn


def coherent(checked: ir.Checked, case: dict[str, Any]) -> bool:
    """The case keeps the requirements, by the reference interpreter's reading of it as a case file holds it."""
    as_read = json.loads(json.dumps(case, ensure_ascii=False))
    return not broken_requirements(checked, read_case(checked, {k: v for k, v in as_read.items() if k != "id"}))


# ------------------------------------------------------------------ outside the schema


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = [value]
    return value


# Values no field should take as they are, or at the edge of what it takes.
HOSTILE_VALUES: tuple[Any, ...] = (
    None,
    True,
    0,
    -1,
    10**30,
    -(10**400),
    1e308,
    -0.0,
    float("inf"),
    float("nan"),
    "",
    " ",
    "\x00",
    "\u202e\u200b",
    "x" * 10_000,
    "9999-12-31",
    "0001-01-01",
    "2022-02-30",
    "10000-01-01",
    "99999999999999 days",
    "P99999999999Y",
    "P",
    "3 years 6 months and 99999999999 days",
    "-5",
    "1/3",
    "1e400",
    "12.5.3",
    "<script>alert(1)</script>",
    "__import__('os').system('touch PWNED')",
    [],
    {},
    [None],
    [{}],
    {"id": "nested"},
    list(range(10_000)),
    [{"x": 1}] * 10_000,
    _nested(200),
    _nested(5_000),
)


def hostile_value() -> st.SearchStrategy[Any]:
    return st.sampled_from(HOSTILE_VALUES) | st.text() | st.integers() | st.floats()


@st.composite
def hostile_cases(draw: st.DrawFn, checked: ir.Checked) -> Any:
    """A case from the schema with some of it broken: a field with a value of any kind, a required field missing,
    an unknown field, a list element broken, or not an object at all."""
    case: Any = draw(valid_cases(checked))
    if draw(st.integers(0, 20)) == 0:
        return draw(hostile_value())
    for _ in range(draw(st.integers(1, 4))):
        keys = [k for k in case if k != "id"]
        action = draw(st.sampled_from(["replace", "replace", "drop", "extra", "element"]))
        if action == "replace" and keys:
            case[draw(st.sampled_from(keys))] = draw(hostile_value())
        elif action == "drop" and keys:
            del case[draw(st.sampled_from(keys))]
        elif action == "extra":
            case[draw(st.sampled_from(["extra", "ID", "__class__", "", "x" * 1000, "\x00"]))] = draw(hostile_value())
        elif action == "element":
            lists = [k for k in keys if isinstance(case[k], list) and case[k]]
            if lists:
                key = draw(st.sampled_from(lists))
                elements = list(case[key])
                index = draw(st.integers(0, len(elements) - 1))
                if isinstance(elements[index], dict) and elements[index] and draw(st.booleans()):
                    inner = dict(elements[index])
                    inner[draw(st.sampled_from(sorted(inner)))] = draw(hostile_value())
                    elements[index] = inner
                else:
                    elements[index] = draw(hostile_value())
                case[key] = elements
    return case
