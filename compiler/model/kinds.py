"""The kinds of value a statute speaks of, and the questions every layer asks about a kind, in one table.

Each consumer either asks a trait (`traits(kind).numeric`) or dispatches with `match kind:` ending in
`case _: assert_never(kind)`, so that mypy --strict names every place a new kind must be handled
(docs/design/type-kinds.md). Two rules keep it so (tests/architecture/kind_rules.py): no set of `Kind` members
outside this module (a new kind would fall outside it silently), and no `Kind` formatted into text (write
`kind.value`, the word a reader sees). Imports nothing of compiler/.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import assert_never


class Kind(enum.Enum):
    """Not a StrEnum: a str subclass would let `t.kind == "money"` pass mypy unseen."""

    BOOL = "bool"
    INT = "int"
    NUMBER = "number"
    MONEY = "money"
    PERCENTAGE = "percentage"
    DATE = "date"
    DURATION = "duration"
    TEXT = "text"
    PERIOD = "period"
    ENUM = "enum"
    RECORD = "record"
    LIST = "list"
    CITATION = "citation"


class Naming(enum.Enum):
    """What a type's `name` holds: nothing, money's currency (optional), or the enumeration or record it is of."""

    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Scaled:
    """Money in cents, durations in days: multiplied or divided by a fraction, a value must be rounded."""

    what: str  # "an amount of money"
    unit: str  # "cents"


@dataclass(frozen=True, kw_only=True)
class Traits:
    words: str  # how a drafter says the type; a named kind puts its name in place of {name}
    numeric: bool = False  # a number in arithmetic: added to, multiplied by, compared with numbers
    exact_fraction: bool = False  # values are Fractions (an int is widened where one is wanted)
    places: int | None = None  # decimals shown and drawn by default: None, as written
    ordered: bool = False  # at least, lesser, greatest
    summable: bool = False  # has a total (a total of nothing is its zero)
    scaled: Scaled | None = None  # times or divided by a fraction: rounded to this unit
    rounding: frozenset[str] = frozenset()  # the units it may be rounded to ("places:N" aside)
    rounds_to_places: bool = False  # "rounded to 2 places"
    truth_valued: bool = False  # a yes or no: a condition
    categorical: bool = False  # a value per case to count, group by, or flip (report, diff, counterfactual)
    container: bool = False  # record or list: fields inside, no value of its own
    naming: Naming = Naming.NONE
    named_by: str = "in"  # the words between the type and an optional name: "in USD", "of the Penal Code"


_BOOL = Traits(words="yes or no", truth_valued=True, categorical=True)
_INT = Traits(words="a whole number", numeric=True, ordered=True, summable=True, rounding=frozenset({"units"}))
_NUMBER = Traits(
    words="a number",
    numeric=True,
    exact_fraction=True,
    ordered=True,
    summable=True,
    rounding=frozenset({"units"}),
    rounds_to_places=True,
)
_MONEY = Traits(
    words="an amount of money",
    exact_fraction=True,
    places=2,
    ordered=True,
    summable=True,
    scaled=Scaled("an amount of money", "cents"),
    rounding=frozenset({"cents", "units"}),
    rounds_to_places=True,
    naming=Naming.OPTIONAL,
)
# A percentage is exact (15% is 3/20) and reads as a share: of money it is money, of a number a number.
_PERCENTAGE = Traits(words="a percentage", numeric=True, exact_fraction=True, ordered=True, summable=True)
_DATE = Traits(words="a date", ordered=True)
_DURATION = Traits(
    words="a duration",
    ordered=True,
    summable=True,
    scaled=Scaled("a duration", "days"),
    rounding=frozenset({"days", "months", "years"}),
)
_TEXT = Traits(words="a text")
_PERIOD = Traits(words="a period of dates")
_ENUM = Traits(words="a {name}", ordered=True, categorical=True, naming=Naming.REQUIRED)
_RECORD = Traits(words="a {name}", container=True, naming=Naming.REQUIRED)
_LIST = Traits(words="a list of {name}", container=True, naming=Naming.REQUIRED)
# A citation of another law ("Article 111 part 3"): the provisions it names (compiler/citations.py); optionally of a
# named code ("a citation of the Penal Code"); tested with "is" and "is one of", never ordered.
_CITATION = Traits(words="a citation", naming=Naming.OPTIONAL, named_by="of the")


def traits(kind: Kind) -> Traits:
    match kind:
        case Kind.BOOL:
            return _BOOL
        case Kind.INT:
            return _INT
        case Kind.NUMBER:
            return _NUMBER
        case Kind.MONEY:
            return _MONEY
        case Kind.PERCENTAGE:
            return _PERCENTAGE
        case Kind.DATE:
            return _DATE
        case Kind.DURATION:
            return _DURATION
        case Kind.TEXT:
            return _TEXT
        case Kind.PERIOD:
            return _PERIOD
        case Kind.ENUM:
            return _ENUM
        case Kind.RECORD:
            return _RECORD
        case Kind.LIST:
            return _LIST
        case Kind.CITATION:
            return _CITATION
        case _:
            assert_never(kind)


def fits_into(actual: Kind, wanted: Kind) -> bool:
    """A value of kind `actual` may stand where `wanted` is asked without saying so: a whole number for a number, a
    percentage for a number (its share: 15% is 0.15, as `50%` always was in a decimal's place)."""
    match actual:
        case Kind.INT | Kind.PERCENTAGE:
            return wanted in (actual, Kind.NUMBER)
        case (
            Kind.BOOL
            | Kind.NUMBER
            | Kind.MONEY
            | Kind.DATE
            | Kind.DURATION
            | Kind.TEXT
            | Kind.PERIOD
            | Kind.ENUM
            | Kind.RECORD
            | Kind.LIST
            | Kind.CITATION
        ):
            return wanted is actual
        case _:
            assert_never(actual)
