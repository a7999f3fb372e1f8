"""What a generated property-test module runs on: strategies for the kinds of facts a case brings, and the checks
every statute's cases must pass. compiler/backends/python/properties.py copies the part of this file between the two
`properties:` marker lines into every `test_<statute>.py`, after the statute's evaluator module is imported there
as `statute`; the module then needs nothing but Hypothesis, pytest and the evaluator.

Strategies give values as a JSON case file carries them (ISO dates, durations in words, decimals as strings), so
every case goes through `statute.load_case`, and a counterexample can be saved as a case file as it is.

The checks return None when a case passes, else what went wrong, in one line. What counts as failing:

- a guarantee fails when its premise holds and its conclusion does not. A guarantee that needs a value the statute
  cannot decide for the case (a conflict, a gap, a missing fact) is not broken by it: deciding reports that;
- totality fails on a crash: `decide` raising anything but ConflictError or UndecidedError;
- "no conflict" fails on a ConflictError, "no gap" on an UndecidedError because no rule applies to an outcome or
  definition without a default. Both are findings about the statute, as in `statute prove`. An UndecidedError for
  a fact the case does not give (or "there are none") is reported but fails nothing: the statute may rightly
  demand the fact;
- determinism fails when deciding a case twice, or with and without a trace, gives different results.
"""

from __future__ import annotations

import dataclasses
import datetime
import json
import os
import traceback
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, TypeVar

from hypothesis import HealthCheck, Phase, seed, settings
from hypothesis import strategies as st

statute: Any = None  # the evaluator module: the test module imports it under this name

# --- properties: begin ---

Case = dict[str, Any]
V = TypeVar("V")
Test = TypeVar("Test", bound=Callable[..., None])

EXAMPLES: Final = int(os.environ.get("STATUTE_EXAMPLES", "200"))
SEED: Final = int(os.environ.get("STATUTE_SEED", "0"))
MAX_RECORDS: Final = 4  # lists of 0 to 4 records
NO_RULE: Final = "no rule applies"  # how an UndecidedError for a gap starts its reason

SETTINGS: Final = settings(
    max_examples=EXAMPLES,
    phases=(Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink),  # no slow "explain" phase
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    print_blob=False,
)


def reproducible(test: Test) -> Test:
    """The settings every property test runs with, and a fixed seed: the same cases on every run."""
    return seed(SEED)(SETTINGS(test))


# ------------------------------------------------------------------ strategies


def at_edges(edges: Sequence[V], values: st.SearchStrategy[V]) -> st.SearchStrategy[V]:
    """`values`, with about half the draws one of `edges` (and shrinking toward the first edge)."""
    return st.one_of(st.sampled_from(edges), values) if edges else values


def whole_numbers(low: int, high: int, edges: Sequence[int]) -> st.SearchStrategy[int]:
    return at_edges(edges, st.integers(low, high))


def decimals(low: Fraction, high: Fraction, places: int, edges: Sequence[Fraction]) -> st.SearchStrategy[str]:
    """Numbers or money from `low` to `high` with `places` decimal places, as the strings a case file holds."""
    scale = 10**places
    least, most = -((-low * scale) // 1), (high * scale) // 1
    drawn = st.integers(int(least), int(most)).map(lambda n: Fraction(n, scale))
    return at_edges(edges, drawn).map(lambda value: str(statute.decimal_text(value, places)))


def percentages(low: Fraction, high: Fraction, places: int, edges: Sequence[Fraction]) -> st.SearchStrategy[str]:
    """Percentages from the share `low` to `high` with `places` decimal places of the share, as a case file holds
    them: "15%", "12.5%"."""
    scale = 10**places
    least, most = -((-low * scale) // 1), (high * scale) // 1
    drawn = st.integers(int(least), int(most)).map(lambda n: Fraction(n, scale))
    return at_edges(edges, drawn).map(lambda value: str(statute.percentage_text(value)))


def dates(low: datetime.date, high: datetime.date, edges: Sequence[datetime.date]) -> st.SearchStrategy[str]:
    return at_edges(edges, st.dates(low, high)).map(datetime.date.isoformat)


def durations(
    low: int, high: int, edges: Sequence[tuple[int, int]], bounds: tuple[tuple[int, int], tuple[int, int]] | None = None
) -> st.SearchStrategy[str]:
    """Durations from `low` to `high` days in total (a month counting 30), as words: some in days only, some in
    months and days, for date arithmetic treats the two differently. With the fact's `bounds` (months, days), none
    whose place against a bound hangs on a month's length: the case reader refuses those."""
    days = st.integers(low, high).map(lambda d: (0, d))
    first = max(0, -(-(low - 29) // 30))
    months = st.integers(first, high // 30).flatmap(
        lambda m: st.tuples(st.just(m), st.integers(max(0, low - 30 * m), min(29, high - 30 * m)))
    )
    drawn = at_edges(edges, st.one_of(days, months))
    if bounds is not None:
        lowest, highest = (statute.Duration(*b) for b in bounds)

        def clear(md: tuple[int, int]) -> bool:
            value = statute.Duration(*md)
            return not (statute.order_hangs_on_month(lowest, value) or statute.order_hangs_on_month(value, highest))

        def readable(md: tuple[int, int]) -> tuple[int, int]:
            """A value the case reader takes: as drawn; else the same length in days; else the lower bound. Mapped
            rather than filtered, so that a seed draws the cases it drew before wherever they were readable."""
            in_days = (0, 30 * md[0] + md[1])
            return md if clear(md) else in_days if clear(in_days) else bounds[0]

        drawn = drawn.map(readable)
    return drawn.map(lambda md: str(statute.Duration(md[0], md[1]).text))


def citations(known: Sequence[str]) -> st.SearchStrategy[str]:
    """Offences as a case gives them ("Article 111 part 2"): the statute's own and their neighbours, or any."""
    drawn = st.builds(
        lambda article, part: f"Article {article}" + (f" part {part}" if part else ""),
        st.integers(1, 400),
        st.integers(0, 5),
    )
    return at_edges(known, drawn)


def texts(known: Sequence[str]) -> st.SearchStrategy[str]:
    return at_edges(known, st.text(st.characters(codec="utf-8", exclude_categories=["C"]), max_size=12))


# ------------------------------------------------------------------ records and cases


@dataclasses.dataclass(frozen=True)
class Many:
    """A list of records: of the kind `kind()` gives, 0 to `max_size` of them."""

    kind: Callable[[], Kind]
    max_size: int


@dataclasses.dataclass(frozen=True)
class One:
    """A record inside a record."""

    kind: Callable[[], Kind]


Field = st.SearchStrategy[Any] | Many | One


@dataclasses.dataclass(frozen=True)
class Kind:
    """How to draw a record: a strategy for each fact, in the order declared; which facts a case may leave out."""

    fields: dict[str, Field]
    optional: frozenset[str] = frozenset()


def redrawn(draw: st.DrawFn) -> bool:
    """True about one time in six (and never, once shrunk)."""
    return bool(draw(st.integers(0, 5)) == 5)


def draw_field(draw: st.DrawFn, field: Field) -> object:
    if isinstance(field, Many):
        return draw_list(draw, field.kind(), field.max_size)
    if isinstance(field, One):
        return draw_record(draw, field.kind())
    return draw(field)


def draw_fact(draw: st.DrawFn, kind: Kind, key: str) -> object:
    """A value for the fact `key`, or None (left out) for an optional fact about half the time."""
    if key in kind.optional and not draw(st.booleans()):
        return None
    return draw_field(draw, kind.fields[key])


def draw_record(draw: st.DrawFn, kind: Kind, shared: Mapping[str, object] | None = None) -> Case:
    out: Case = {}
    for key in kind.fields:
        value = shared[key] if shared is not None and key in shared else draw_fact(draw, kind, key)
        if value is not None:
            out[key] = value
    return out


def draw_list(draw: st.DrawFn, kind: Kind, max_size: int) -> list[Case]:
    """In about half the lists a given fact is the same in every record, so that a condition on every record
    ("every charge is connected with the events") holds about as often as one on a single record."""
    shared = {key: draw_fact(draw, kind, key) for key in kind.fields if draw(st.booleans())}
    return [draw_record(draw, kind, shared) for _ in range(draw(st.integers(0, max_size)))]


def draw_varied(draw: st.DrawFn, kind: Kind, seed_case: Mapping[str, Any]) -> Case:
    """`seed_case` with about one fact in six drawn afresh, within lists too."""
    out: Case = {}
    for key, field in kind.fields.items():
        old = seed_case.get(key)
        if isinstance(field, Many) and isinstance(old, list | tuple) and not redrawn(draw):
            value: object = [draw_varied(draw, field.kind(), element) for element in old]
        else:
            value = draw_fact(draw, kind, key) if redrawn(draw) else old
        if value is not None:
            out[key] = value
    return out


@st.composite
def cases_of(draw: st.DrawFn, kind: Kind, seeds: Sequence[Case]) -> Case:
    """Cases of the given kind: fresh, or (about half of them) one of `seeds`, the statute's own examples, with
    some facts drawn afresh. The examples reach the articles' conditions, which fresh cases seldom meet at once."""
    from_seed = draw(st.booleans())
    if seeds and from_seed:
        return draw_varied(draw, kind, draw(st.sampled_from(seeds)))
    return draw_record(draw, kind)


def coherent(case: Case) -> bool:
    """The case keeps the statute's requirements (docs/language.md section 4). A case that breaks one is rejected
    when it is read, never decided, so the strategies draw only cases that keep them. A case the module cannot read
    at all is kept: the checks then say what is wrong with the strategies."""
    broken: Callable[[Any], list[Any]] | None = getattr(statute, "broken_requirements", None)
    read: Callable[[Case], Any] | None = getattr(statute, "read_case", None)  # both only where there are some
    if broken is None or read is None:
        return True
    try:
        return not broken(read(case))
    except statute.CaseError:
        return True


# ------------------------------------------------------------------ the checks


def as_json(case: Mapping[str, object]) -> str:
    """The case as a case file holds it."""
    return json.dumps(case, indent=2, ensure_ascii=False)


def outcome(case: Mapping[str, object], traced: bool = False) -> tuple[str, object]:
    """What deciding `case` gives: ("decided", the Decision), ("conflict", ...), ("gap", ...), ("undecided", ...)
    for a fact the case does not give, or ("crash", what was raised and where). A case `load_case` refuses raises
    CaseError: the strategies gave an invalid case."""
    loaded = statute.load_case(case)
    try:
        return "decided", statute.decide(loaded, statute.Trace() if traced else None)
    except statute.ConflictError as exc:
        return "conflict", str(exc)
    except statute.UndecidedError as exc:
        return ("gap" if str(exc.reason).startswith(NO_RULE) else "undecided"), str(exc)
    except Exception as exc:  # a crash is what totality looks for
        return "crash", crash_text(exc)


def crash_text(exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" (in {frames[-1].name}, line {frames[-1].lineno})" if frames else ""
    return f"{type(exc).__name__}: {exc}{where}"


def broken(ident: str, case: Mapping[str, object]) -> str | None:
    """Why `case` breaks the guarantee `ident` (see the module's GUARANTEES), or None when it keeps it."""
    evaluation = statute.Evaluation(statute.load_case(case))
    try:
        holds = getattr(evaluation, ident)()
    except statute.DecisionError:
        return None
    except Exception as exc:
        return f"the guarantee cannot be checked: {crash_text(exc)}"
    if holds:
        return None
    info = statute.GUARANTEES[ident]
    return f"breaks {info.title} ({', '.join(info.articles)}; line {info.line})"


def crash(case: Mapping[str, object]) -> str | None:
    kind, detail = outcome(case)
    return str(detail) if kind == "crash" else None


def conflict(case: Mapping[str, object]) -> str | None:
    kind, detail = outcome(case)
    return str(detail) if kind == "conflict" else None


def gap(case: Mapping[str, object]) -> str | None:
    kind, detail = outcome(case)
    return str(detail) if kind == "gap" else None


def nondeterminism(case: Mapping[str, object]) -> str | None:
    first, again, traced = outcome(case), outcome(case), outcome(case, traced=True)
    if first != again:
        return f"deciding twice gives {first} and then {again}"
    if first != traced:
        return f"deciding without a trace gives {first}, with a trace {traced}"
    return None


# --- properties: end ---
