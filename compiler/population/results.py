"""The shape of a decision in a results file: the case's outcomes, and under the key of each list whose records get
outcomes (docs/language.md section 6), one object per record in the case's order (docs/population.md):

    {"id": "c1", "amnesty_measure": "excluded", "charges": [{"charge_measure": "terminated"}, ...]}

JSON Lines and Parquet keep that shape (Parquet as a list of structs). A CSV file, and `statute run`'s table, has
one row per case and a column per record outcome, `charges.charge_measure`, whose cell is the JSON list of its values,
one per record in order: `["terminated","sentence reduced"]`; and `charges.id` first, the records' ids (null for a
record that gives none).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from compiler.model import ir

# (list key, the keys of its records' outcomes) for each list whose records get outcomes.
Lists = tuple[tuple[str, tuple[str, ...]], ...]


def record_lists(checked: ir.Checked) -> Lists:
    """Each list whose records get outcomes, and the keys of a record's results: its id first where a record may
    carry one (null in a CSV cell's list for a record that does not), then its outcomes."""
    return tuple(
        (g.key, ("id",) * checked.takes_id(g.record) + tuple(o.key for o in g.outcomes))
        for g in checked.record_outcomes
    )


def nested_columns(checked: ir.Checked) -> tuple[str, ...]:
    """The top-level keys of a decided row: its id, the case's outcomes, each list of records' outcomes."""
    return ("id", *checked.outcomes, *(g.key for g in checked.record_outcomes))


def flat_columns(checked: ir.Checked) -> tuple[str, ...]:
    """A CSV file's columns: its id, the case's outcomes, then `list.id` and `list.outcome` for each record outcome."""
    return ("id", *checked.outcomes, *(f"{key}.{o}" for key, outcomes in record_lists(checked) for o in outcomes))


def flat_row(row: Mapping[str, Any], lists: Lists) -> dict[str, Any]:
    """`row` with each list of records' outcomes replaced by a column per outcome, holding its values in order."""
    flat = dict(row)
    for key, outcomes in lists:
        records: Sequence[Mapping[str, Any]] = flat.pop(key, None) or ()
        for o in outcomes:
            flat[f"{key}.{o}"] = [r.get(o) for r in records]
    return flat
