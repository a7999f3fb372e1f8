"""The 2022 Kazakhstan amnesty written by hand in plain idiomatic Python: the baseline of benchmark 1.

The same rules as statutes/kz_amnesty_2022.statute, as an engineer would write them without a compiler: enums,
slotted dataclasses, early returns. Each charge has its stage, sentence and sentence start and gets its own measure
and new sentence; the person's measure is that of the gravest charges (Article 9). Arithmetic is exact and follows
the language's conventions (durations are whole months and days; a month counts 30 days when compared; calendar
months when added to a date; a fraction of a month becomes days, rounded down), so its decisions equal the generated
module's on every case (benchmarks/run.py checks that before timing).
"""

from __future__ import annotations

import datetime
import enum
from dataclasses import dataclass
from fractions import Fraction
from typing import Any


class Role(enum.Enum):
    CIVILIAN = "civilian"
    OFFICER = "law enforcement officer"
    SERVICEMAN = "serviceman"


class Stage(enum.Enum):
    INVESTIGATION = "under investigation"
    TRIAL = "on trial"
    SERVING = "serving sentence"
    SERVED = "sentence served"


class Relapse(enum.Enum):
    NONE = "without relapse"
    RELAPSE = "relapse"
    DANGEROUS = "dangerous relapse"


class Gravity(enum.IntEnum):
    MISDEMEANOUR = 0
    MINOR = 1
    MEDIUM = 2
    GRAVE = 3
    ESPECIALLY_GRAVE = 4


GRAVITY = {
    "criminal misdemeanour": Gravity.MISDEMEANOUR,
    "minor": Gravity.MINOR,
    "medium": Gravity.MEDIUM,
    "grave": Gravity.GRAVE,
    "especially grave": Gravity.ESPECIALLY_GRAVE,
}


class Measure(enum.Enum):
    """In the statute's order, from the measure that leaves the least of a case to the one that leaves the most."""

    TERMINATED = "criminal case terminated"
    EXPUNGED = "conviction expunged"
    RELEASED = "released from punishment"
    AT_SENTENCING = "reduction at sentencing"
    REDUCED = "reduction of sentence"
    EXCLUDED = "excluded"
    OUTSIDE = "outside the amnesty"


ORDER = {m: i for i, m in enumerate(Measure)}


@dataclass(frozen=True, slots=True)
class Duration:
    months: int
    days: int

    @property
    def total_days(self) -> int:
        return self.months * 30 + self.days

    @classmethod
    def parse(cls, text: str) -> Duration:
        months = days = 0
        words = text.split()
        for number, unit in zip(words[::2], words[1::2], strict=True):
            n = int(number)
            if unit.startswith("year"):
                months += 12 * n
            elif unit.startswith("month"):
                months += n
            elif unit.startswith("week"):
                days += 7 * n
            else:
                days += n
        return cls(months, days)

    def after(self, day: datetime.date) -> datetime.date:
        """`day` plus this duration: calendar months (clamped to the month's end), then days."""
        year, month = divmod(day.year * 12 + day.month - 1 + self.months, 12)
        month += 1
        last = (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
        return datetime.date(year, month, min(day.day, last)) + datetime.timedelta(days=self.days)

    def reduced_by(self, share: Fraction) -> Duration:
        """What remains after taking away `share`, 1 - share of it: a part of a month left becomes days (30 to the
        month), and days round down."""
        left_months = self.months * (1 - share)
        whole = int(left_months)
        days = self.days * (1 - share) + (left_months - whole) * 30
        return Duration(whole, int(days // 1))


CRIMINAL_CATEGORIES = frozenset(
    {"terrorist", "extremist", "corruption", "high treason", "torture", "sexual offence against a minor"}
)
ENTRY_INTO_FORCE = datetime.date(2022, 11, 2)
EVENTS = (datetime.date(2022, 1, 4), datetime.date(2022, 1, 7))
REDUCTION = {Gravity.GRAVE: Fraction(3, 4), Gravity.ESPECIALLY_GRAVE: Fraction(1, 2)}
RELEASE_LIMIT = Duration(12, 0).after(ENTRY_INTO_FORCE)
UNPROVEN_CHARGES_EXCLUDE = True


@dataclass(frozen=True, slots=True)
class Charge:
    gravity: Gravity
    category: str
    circumstances: str
    act_date: datetime.date
    proven: bool
    stage: Stage
    sentence: Duration | None
    sentence_start: datetime.date | None


@dataclass(frozen=True, slots=True)
class Person:
    role: Role
    age_at_act: int
    relapse: Relapse
    charges: tuple[Charge, ...]


def _charge(c: dict[str, Any]) -> Charge:
    sentence, start = c.get("sentence"), c.get("sentence_start")
    return Charge(
        GRAVITY[c["gravity"]],
        c["category"],
        c["circumstances"],
        datetime.date.fromisoformat(c["act_date"]),
        c["proven"],
        Stage(c["stage"]),
        Duration.parse(sentence) if sentence else None,
        datetime.date.fromisoformat(start) if start else None,
    )


def load_case(data: dict[str, Any]) -> Person:
    return Person(
        role=Role(data["role"]),
        age_at_act=data["age_at_act"],
        relapse=Relapse(data["relapse"]),
        charges=tuple(_charge(c) for c in data["charges"]),
    )


def _connected(charge: Charge, person: Person) -> bool:
    if not EVENTS[0] <= charge.act_date <= EVENTS[1]:
        return False
    if charge.circumstances == "in the riots":
        return True
    return charge.circumstances == "suppressing the riots" and person.role is not Role.CIVILIAN


def _disqualifying(charge: Charge, person: Person) -> bool:
    excluded = charge.category in CRIMINAL_CATEGORIES or (
        charge.category == "organisation of mass riots" and person.age_at_act >= 18
    )
    return excluded and (charge.proven or UNPROVEN_CHARGES_EXCLUDE)


def decide(person: Person) -> tuple[Measure, list[tuple[Measure, Duration | None]]]:
    """(the amnesty measure, each charge's (measure, new sentence or None))."""
    charges = person.charges
    excluded = person.relapse is not Relapse.NONE or any(_disqualifying(c, person) for c in charges)
    decided = [_decide_charge(c, person, excluded) for c in charges]
    if not charges:
        return Measure.OUTSIDE, decided
    if any(measure is Measure.EXCLUDED for measure, _ in decided):
        return Measure.EXCLUDED, decided
    gravest = max(c.gravity for c in charges)
    measures = [measure for c, (measure, _) in zip(charges, decided, strict=True) if c.gravity == gravest]
    return max(measures, key=ORDER.__getitem__), decided


def _decide_charge(charge: Charge, person: Person, excluded: bool) -> tuple[Measure, Duration | None]:
    if not _connected(charge, person):
        return Measure.OUTSIDE, None
    stage = charge.stage
    if excluded:
        return Measure.EXCLUDED, charge.sentence if stage is Stage.SERVING else None
    if charge.gravity <= Gravity.MEDIUM:
        if stage is Stage.SERVING:
            return Measure.RELEASED, Duration(0, 0)
        if stage is Stage.SERVED:
            return Measure.EXPUNGED, None
        return Measure.TERMINATED, None
    if stage is Stage.SERVING:
        assert charge.sentence is not None and charge.sentence_start is not None
        reduced = charge.sentence.reduced_by(REDUCTION[charge.gravity])
        if reduced.after(charge.sentence_start) <= RELEASE_LIMIT:
            served = Duration(0, (ENTRY_INTO_FORCE - charge.sentence_start).days)
            return Measure.RELEASED, reduced if reduced.total_days <= served.total_days else served
        return Measure.REDUCED, reduced
    if stage is Stage.SERVED:
        return Measure.OUTSIDE, None
    return Measure.AT_SENTENCING, None
