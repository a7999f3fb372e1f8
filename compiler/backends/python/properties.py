"""The checked statute -> a pytest module of Hypothesis property tests for its evaluator (`test_<statute>.py`).

The module imports Hypothesis, the standard library and the evaluator module (`import <statute> as statute`); it
carries its strategies and checks (compiler/backends/python/properties_runtime.py). It holds:

- a strategy per record, drawing valid cases from the statute's vocabulary as JSON case files hold them: enums
  sampled, whole numbers, decimals, money, dates and durations within their declared bounds (or around the values
  the statute uses, when a fact has none), optional facts sometimes left out, lists of 0 to 4 records (more where a
  rule counts further), each weighted toward its edges (properties_edges.py); half the cases are the statute's own
  examples with some facts drawn afresh;
- a test per guarantee; totality; no conflict; no gap; determinism (see properties_runtime.py for what fails each).

`statute test` runs the same checks in-process (compiler/driver/guarantee_testing.py) from this module's source.
"""

from __future__ import annotations

import ast
import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import TypeVar, assert_never

from compiler.backends.python import naming
from compiler.backends.python.naming import checked_ident
from compiler.backends.python.properties_edges import Edges, find_edges, neighbours
from compiler.backends.python.python_reader import calendar_bounds
from compiler.backends.python.python_text import Code, Writer, call, string, tuple_of, unquoted
from compiler.citations import CitedProvisions, citation_text, cited
from compiler.model import ir
from compiler.model.kinds import Kind

RUNTIME_FILE = Path(__file__).with_name("properties_runtime.py")
BEGIN, END = "# --- properties: begin ---", "# --- properties: end ---"
DEFAULT_RECORDS = 4  # MAX_RECORDS of properties_runtime.py
FIXED_CHECKS = ("totality", "no_conflict", "no_gap", "determinism")  # besides one per guarantee
DEFAULT_EXAMPLES = 1000  # cases `statute test` draws to run the checks on (compiler/driver/guarantee_testing.py) ...
DEFAULT_SEED = 0  # ... from this seed unless asked: the same cases every run

# Where a fact has no declared bounds: from 0 (or the first edge) to twice the largest edge, and at least this far.
_UNBOUNDED_INT = 100
_UNBOUNDED_AMOUNT = Fraction(1_000_000)
_UNBOUNDED_DAYS = 3650
_DATE_MARGIN = datetime.timedelta(days=5 * 365)
_DEFAULT_DATES = (datetime.date(2000, 1, 1), datetime.date(2040, 12, 31))
Ordered = TypeVar("Ordered", int, Fraction, datetime.date)


def runtime_parts() -> tuple[list[str], str]:
    """The import lines of properties_runtime.py and its source between the markers."""
    text = RUNTIME_FILE.read_text(encoding="utf-8")
    head, rest = text.split(BEGIN)
    body, _ = rest.split(END)
    imports = [line for line in head.splitlines() if line.startswith(("import ", "from ")) and "__future__" not in line]
    return imports, body.strip("\n")


def property_tests_source(checked: ir.Checked, import_name: str | None = None) -> str:
    """The source of `test_<module>.py`; it imports the evaluator as `import_name` (default: the module's name)."""
    name = checked_ident(import_name or checked.module, "the module")
    imports, runtime = runtime_parts()
    w = Writer()
    w.docstring(_module_doc(checked))
    w.line()
    w.line("from __future__ import annotations")
    w.line()
    w.lines.extend(_imports(imports))
    w.line()
    w.line(f"import {name} as statute")
    w.line()
    w.line("# ---- strategies and checks, copied from compiler/backends/python/properties_runtime.py " + "-" * 27)
    w.line()
    w.lines.extend(runtime.splitlines())
    w.line()
    w.line()
    w.line("# ---- the statute's vocabulary, weighted toward the edges its rules compare against " + "-" * 24)
    _write_strategies(w, checked)
    w.line()
    w.line()
    w.line("# ---- the properties " + "-" * 87)
    _write_tests(w, checked)
    source = re.sub(r"\n{3,}", "\n\n\n", w.text())
    try:
        ast.parse(source)
    except SyntaxError as exc:  # a bug here, never the drafter's doing
        raise ValueError(f"the generated test module does not parse: {exc}") from exc
    return source


def _imports(runtime_imports: list[str]) -> list[str]:
    """The runtime's imports, with those only the generated part uses; the standard library's first."""
    standard = sorted({*(i for i in runtime_imports if "hypothesis" not in i), "import functools"}, key=_import_key)
    names = {"event", "given"}
    rest = []
    for line in runtime_imports:
        if line.startswith("from hypothesis import ") and " as " not in line:
            names |= {n.strip() for n in line.removeprefix("from hypothesis import ").split(",")}
        elif "hypothesis" in line:
            rest.append(line)
    hypothesis = f"from hypothesis import {', '.join(sorted(names, key=lambda n: (n[0].islower(), n)))}"
    return [*standard, "", hypothesis, *rest]


def _import_key(line: str) -> tuple[bool, str]:
    return line.startswith("from "), line


def _module_doc(checked: ir.Checked) -> list[str]:
    return [
        f"Property tests of {unquoted(checked.title)}.",
        "",
        f"Generated by `statute compile` from {checked.file}; do not edit. Run with pytest beside "
        f"{checked.module}.py. Every case is drawn from the statute's vocabulary, weighted toward the values its "
        "rules compare against, and read by `load_case`; a failing test shows the smallest case found, as a case "
        "file holds it.",
        "",
        f"Checks: {len(checked.guarantees)} guarantees, totality (no crash), no conflict, no gap, determinism. "
        "STATUTE_EXAMPLES sets the cases per test (default 200), STATUTE_SEED the seed (default 0): the same "
        "cases on every run.",
    ]


# ------------------------------------------------------------------ strategies


def strategy_name(record: ir.RecordDef) -> str:
    """`charge_kind`: the function giving how to draw a record of this kind."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", naming.name(record.ident)).lower()
    return checked_ident(f"{words}_kind", "the strategy")


def _write_strategies(w: Writer, checked: ir.Checked) -> None:
    edges = find_edges(checked)
    back_edges = _back_edges(checked)
    for record in checked.records:
        w.line()
        w.line()
        w.line("@functools.cache")
        with w.block(f"def {strategy_name(record)}() -> Kind:"):
            w.docstring([f"How to draw a {unquoted(record.label)}: a strategy for each fact."])
            with w.block("return Kind("):
                with w.block("{"):
                    for f in record.fields:
                        w.statement(f"{string(f.ident)}: ", _strategy(checked, record, f, edges, back_edges), ",")
                w.line("},")
                optional = [Code(string(f.ident)) for f in record.fields if f.optional]
                if optional:
                    w.statement("optional=frozenset(", tuple_of(optional), "),")
            w.line(")")
    w.line()
    w.line()
    _write_examples(w, checked)
    w.line()
    w.line()
    with w.block("def cases() -> st.SearchStrategy[Case]:"):
        w.docstring(
            [
                "Valid cases of the statute, as JSON case files hold them: fresh from the vocabulary, or the "
                "statute's examples with some facts drawn afresh.",
            ]
        )
        drawn = f"cases_of({strategy_name(checked.record(checked.root))}(), EXAMPLE_CASES)"
        # Cases that break a requirement are left out: a drawn case whose facts cannot go together is no finding.
        w.line(f"return {drawn}.filter(coherent)" if checked.requirements else f"return {drawn}")


def _write_examples(w: Writer, checked: ir.Checked) -> None:
    w.comment("The statute's own examples, as case files hold them: the seeds of varied cases.")
    with w.block("EXAMPLE_CASES: Final[tuple[Case, ...]] = ("):
        for example in checked.examples:
            w.statement("", json_literal(example.case), ",")
    w.line(")")


def json_literal(value: object) -> Code:
    """A JSON value of an example's case as a Python expression (lists as tuples, which a case may hold too):
    strings through repr(), keys as checked identifiers."""
    if value is None or isinstance(value, bool | int):
        return Code(repr(value))
    if isinstance(value, str):
        return Code(string(value))
    if isinstance(value, list | tuple):
        return tuple_of([json_literal(v) for v in value])
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            head, inner = f"{naming.attribute_ident(str(key))}=", json_literal(item)
            items.append(Code(head + inner.text, parts=(inner,) if inner.parts else (), kind="prefix", head=head))
        return call("dict", *items)
    raise ValueError(f"an example's case holds {value!r}, which is not a JSON value")


def _back_edges(checked: ir.Checked) -> set[tuple[str, str]]:
    """The fields through which a record contains itself (directly or not): drawn empty, so that drawing ends."""
    found: set[tuple[str, str]] = set()

    def visit(ident: str, path: tuple[str, ...]) -> None:
        for f in checked.record(ident).fields:
            if f.type.traits.container and f.type.name:
                if f.type.name in path or f.type.name == ident:
                    found.add((ident, f.ident))
                else:
                    visit(f.type.name, (*path, ident))

    visit(checked.root, ())
    return found


def _strategy(
    checked: ir.Checked, record: ir.RecordDef, f: ir.FieldDef, edges: Edges, back: set[tuple[str, str]]
) -> Code:
    key = (record.ident, f.ident)
    match f.type.kind:
        case Kind.LIST | Kind.RECORD:
            return _records(checked, record, f, edges, back)
        case Kind.BOOL:
            return Code("st.booleans()")
        case Kind.ENUM:
            values = checked.enum(f.type.name or "").values
            every = call("st.sampled_from", tuple_of([Code(string(v.text)) for v in values]))
            chosen = edges.enums.get(key, set())
            if not chosen or len(chosen) == len(values):
                return every
            return call("at_edges", tuple_of([Code(string(v.text)) for v in values if v.ident in chosen]), every)
        case Kind.TEXT:
            known = sorted(v for v in edges.of(key) if isinstance(v, str))
            return call("texts", tuple_of([Code(string(t)) for t in known]))
        case Kind.INT:
            return _whole_numbers(f, edges.of(key))
        case Kind.NUMBER | Kind.MONEY:
            return _decimals(f, edges.of(key))
        case Kind.PERCENTAGE:
            return _decimals(f, edges.of(key), share=True)
        case Kind.CITATION:
            return call("citations", tuple_of([Code(string(t)) for t in citation_edges(edges.of(key))]))
        case Kind.DATE:
            return _dates(f, edges.of(key))
        case Kind.DURATION:
            return _durations(f, edges.of(key))
        case Kind.PERIOD:
            raise ValueError(f"no strategy for {f.type.describe()}")
        case _:
            assert_never(f.type.kind)


def _records(
    checked: ir.Checked, record: ir.RecordDef, f: ir.FieldDef, edges: Edges, back: set[tuple[str, str]]
) -> Code:
    """A record field draws one record, a list field up to the records its comparisons need (or none, through a
    field by which a record contains itself)."""
    inner, key = checked.record(f.type.name or ""), (record.ident, f.ident)
    one = f.type.kind is Kind.RECORD
    if key in back:
        if one and not f.optional:
            raise ValueError(f"the record {record.label} contains itself through {f.label}")
        return Code("st.just([])")
    if one:
        return call("One", strategy_name(inner))
    size = max(DEFAULT_RECORDS, edges.counts.get(key, 0))
    return call("Many", strategy_name(inner), "MAX_RECORDS" if size == DEFAULT_RECORDS else str(size))


def _whole_numbers(f: ir.FieldDef, found: set[ir.Value]) -> Code:
    values = {int(v) for v in found if isinstance(v, int | Fraction) and not isinstance(v, bool) and v == int(v)}
    low = int(f.low) if isinstance(f.low, int | Fraction) else min([0, *values])
    high = int(f.high) if isinstance(f.high, int | Fraction) else max(_UNBOUNDED_INT, 2 * max([0, *values]))
    near = [n for v in values for n in neighbours(v, Kind.INT, 0) if isinstance(n, int)]
    edges = _within(low, high, [*near, low, high])
    return call("whole_numbers", repr(low), repr(high), tuple_of([Code(repr(n)) for n in edges]))


def citation_edges(found: set[ir.Value]) -> list[str]:
    """Offences at the edges of the lists a statute tests: each provision it names, its article without a part and
    with the next part, and the next article (in the order the texts sort, so the module is deterministic)."""
    items = {item for value in found if isinstance(value, CitedProvisions) for item in value.items}
    near: set[tuple[int, int, int, int]] = set()
    for article, sub, suffix, part in items:
        near |= {(article, sub, suffix, part), (article, sub, suffix, 0), (article, sub, suffix, part + 1)}
        near.add((article + 1, sub, suffix, part))
    return sorted(citation_text(cited([item])) for item in near)


def _decimals(f: ir.FieldDef, found: set[ir.Value], share: bool = False) -> Code:
    """Numbers, money, or with `share` percentages (drawn as shares to 0.01%, from 0% to 100% unless bounded)."""
    values = {Fraction(v) for v in found if isinstance(v, int | Fraction) and not isinstance(v, bool)}
    fixed = f.type.traits.places
    places = fixed if fixed is not None else max([4 if share else 2, *(_places(v) for v in values)])
    low = Fraction(f.low) if isinstance(f.low, int | Fraction) else min([Fraction(0), *values])
    largest = max([Fraction(0), *values])
    unbounded = Fraction(1) if share else _UNBOUNDED_AMOUNT
    high = Fraction(f.high) if isinstance(f.high, int | Fraction) else max(unbounded, 2 * largest)
    near = [Fraction(n) for v in values for n in neighbours(v, f.type.kind, places) if isinstance(n, int | Fraction)]
    edges = _within(low, high, [*near, low, high])
    edges = [e for e in edges if _places(e) <= places]  # a third of a dollar is no amount a case can give
    code: list[Code | str] = [_fraction(low), _fraction(high), str(places)]
    code.append(tuple_of([Code(_fraction(e)) for e in edges]))
    return call("percentages" if share else "decimals", *code)


def _dates(f: ir.FieldDef, found: set[ir.Value]) -> Code:
    values = {v for v in found if isinstance(v, datetime.date)}
    near = [d for v in values for d in neighbours(v, Kind.DATE, 0) if isinstance(d, datetime.date)]
    low = f.low if isinstance(f.low, datetime.date) else (min(values) - _DATE_MARGIN if values else _DEFAULT_DATES[0])
    high = (
        f.high if isinstance(f.high, datetime.date) else (max(values) + _DATE_MARGIN if values else _DEFAULT_DATES[1])
    )
    edges = _within(low, high, [*near, low, high])
    return call("dates", _date(low), _date(high), tuple_of([Code(_date(d)) for d in edges]))


def _durations(f: ir.FieldDef, found: set[ir.Value]) -> Code:
    values = {v for v in found if isinstance(v, ir.Duration)}
    near = [d for v in values for d in neighbours(v, Kind.DURATION, 0) if isinstance(d, ir.Duration)]
    longest = max([0, *(int(v.total_days) for v in values)])
    low = int(f.low.total_days) if isinstance(f.low, ir.Duration) else 0
    high = int(f.high.total_days) if isinstance(f.high, ir.Duration) else max(_UNBOUNDED_DAYS, 2 * longest)
    bounds = [ir.Duration(0, low), ir.Duration(0, high)]
    if isinstance(f.high, ir.Duration):
        bounds.append(f.high)  # as the drafter wrote it: "30 years"
    chosen = {(d.months, d.days) for d in [*near, *bounds] if low <= d.total_days <= high and d.days >= 0}
    ordered = sorted(chosen, key=lambda md: (md[0] * 30 + md[1], md))
    chosen_edges = tuple_of([Code(f"({m}, {d})") for m, d in ordered])
    if calendar_bounds(f):  # the case reader refuses a value whose place against a bound hangs on a month's length
        assert isinstance(f.low, ir.Duration) and isinstance(f.high, ir.Duration)
        stated = Code(f"(({f.low.months}, {f.low.days}), ({f.high.months}, {f.high.days}))")
        return call("durations", str(low), str(high), chosen_edges, stated)
    return call("durations", str(low), str(high), chosen_edges)


def _within(low: Ordered, high: Ordered, values: list[Ordered]) -> list[Ordered]:
    """The distinct `values` from `low` to `high`, smallest first."""
    return sorted({v for v in values if low <= v <= high})


def _places(value: Fraction) -> int:
    for places in range(7):
        if (value * 10**places).denominator == 1:
            return places
    return 7


def _fraction(value: Fraction) -> str:
    if value.denominator == 1:
        return f"Fraction({value.numerator})"
    return f"Fraction({value.numerator}, {value.denominator})"


def _date(value: datetime.date) -> str:
    return f"datetime.date({value.year}, {value.month}, {value.day})"


# ------------------------------------------------------------------ tests


def _write_tests(w: Writer, checked: ir.Checked) -> None:
    for g in checked.guarantees:
        where = f"{', '.join(g.articles)}; line {g.span.line}"
        with _test(w, f"test_{checked_ident(g.ident, 'the guarantee')}", f"{unquoted(g.title)} ({where})."):
            w.line(f"failure = broken({string(g.ident)}, case)")
            w.line(_ASSERT)
    with _test(w, "test_totality", "Every valid case gets a decision, or a conflict or undecided outcome: no crash."):
        w.line("kind, detail = outcome(case)")
        w.line("event(kind)")
        w.line('assert kind != "crash", f"{detail}\\n{as_json(case)}"')
    for name, check, doc in (
        ("test_no_conflict", "conflict", "No two rules of equal rank both apply and disagree."),
        ("test_no_gap", "gap", "Every outcome and definition a decision needs is decided, or has its default."),
        ("test_determinism", "nondeterminism", "Deciding again, or with a trace, gives the same result."),
    ):
        with _test(w, name, doc):
            w.line(f"failure = {check}(case)")
            w.line(_ASSERT)


_ASSERT = 'assert failure is None, f"{failure}\\n{as_json(case)}"'


@contextmanager
def _test(w: Writer, name: str, doc: str) -> Iterator[None]:
    w.line()
    w.line()
    w.line("@reproducible")
    w.line("@given(cases())")
    with w.block(f"def {name}(case: Case) -> None:"):
        w.docstring([doc])
        yield
