"""The module's Decision, `decide` and `decision_as_dict`: the case's outcomes, and the outcomes of each record of a
list of the case (docs/language.md section 6), nested under the list's key in the case's order.

    @dataclasses.dataclass(frozen=True, slots=True)
    class ChargeDecision:           # one per record whose kind has outcomes
        charge_measure: ChargeMeasure

    class Decision:
        amnesty_measure: AmnestyMeasure
        charges: tuple[ChargeDecision, ...]

A record's outcome is one of its definitions ("a charge is ..."), decided at each use as they all are, and once more
here for each record.
"""

from __future__ import annotations

from typing import assert_never

from compiler.backends.python import naming
from compiler.backends.python.python_literals import annotation
from compiler.backends.python.python_text import Writer, call, string
from compiler.model import ir
from compiler.model.kinds import Kind


def record_decision(record: str) -> str:
    """The class of what the statute decides for one record of kind `record`: `ChargeDecision`."""
    return naming.ident(f"{naming.name(record)}Decision", "the record's decision")


def write_decision(w: Writer, checked: ir.Checked) -> None:
    """The Decision class, after a class per kind of record whose records get outcomes."""
    written: set[str] = set()
    for group in checked.record_outcomes:
        if group.record in written:
            continue
        written.add(group.record)
        w.line()
        w.line()
        w.line("@dataclasses.dataclass(frozen=True, slots=True)")
        label = checked.record(group.record).label
        with w.block(f"class {record_decision(group.record)}:"):
            w.docstring([f"What the statute decides for one {label}: one field per outcome (None: not decided)."])
            w.line()
            for o in group.outcomes:
                attribute = naming.attribute_ident(o.key, "the outcome")
                w.line(f"{attribute}: {_annotated(checked.definition(o.definition))}")
            if checked.takes_id(group.record):
                w.line("id: str | int | None = None  # the record's id in the case, if it gives one")
    w.line()
    w.line()
    w.line("@dataclasses.dataclass(frozen=True, slots=True)")
    with w.block("class Decision:"):
        w.docstring(["What the statute decides for one case: one field per outcome (None: not decided)."])
        w.line()
        for key in checked.outcomes:
            w.line(f"{naming.name(key)}: {_annotated(checked.definition(key))}")
        for group in checked.record_outcomes:
            w.line(f"{naming.attribute_ident(group.key)}: tuple[{record_decision(group.record)}, ...]")
    w.line()
    w.line()


def write_decide(w: Writer, checked: ir.Checked) -> None:
    root = naming.name(checked.root)
    w.line()
    w.line()
    with w.block(f"def decide(case: {root}, trace: Trace | None = None) -> Decision:"):
        w.docstring(
            [
                "Every outcome of the statute for `case`; pass a Trace to record how each was reached.",
                "",
                "Raises ConflictError when rules of equal standing disagree, UndecidedError when an outcome that "
                "must be decided is not.",
            ]
        )
        w.line("evaluation = Evaluation(case, trace)")
        # By position: a frozen dataclass's __init__ is slow enough that keywords are a measurable part of it.
        values = [f"evaluation.{naming.name(key)}()" for key in checked.outcomes]
        for group in checked.record_outcomes:
            each = call(
                record_decision(group.record),
                *(f"evaluation.{naming.name(o.definition)}(record)" for o in group.outcomes),
                *(("record.id",) if checked.takes_id(group.record) else ()),
            )
            values.append(f"tuple([{each.text} for record in case.{naming.attribute(group.key)}])")
        w.statement("return ", call("Decision", *values))


def write_decision_as_dict(w: Writer, checked: ir.Checked) -> None:
    w.line()
    w.line()
    with w.block("def decision_as_dict(decision: Decision) -> dict[str, object]:"):
        w.docstring(
            ["The decision as JSON carries it: words for enumerations and durations, ISO dates, exact decimals."]
        )
        with w.block("return {"):
            for key in checked.outcomes:
                w.line(f"{string(key)}: {_shown(checked.definition(key), f'decision.{naming.name(key)}')},")
            for group in checked.record_outcomes:
                parts = ", ".join(
                    f"{string(o.key)}: {_shown(checked.definition(o.definition), f'r.{naming.attribute(o.key)}')}"
                    for o in group.outcomes
                )
                each = f"{{{parts}}}"
                if checked.takes_id(group.record):  # the id first, when the case gives one
                    # one display: a union of two dicts would take the first's value type, and an optional outcome's
                    # None does not fit the id's (mypy --strict on the amnesty's new sentence of each charge)
                    each = f'{{**({{"id": r.id}} if r.id is not None else {{}}), {parts}}}'
                w.line(f"{string(group.key)}: [{each} for r in decision.{naming.attribute(group.key)}],")
        w.line("}")


def _annotated(d: ir.Definition) -> str:
    return f"{annotation(d.type)} | None" if d.optional else annotation(d.type)


def _shown(d: ir.Definition, attribute: str) -> str:
    shown = json_code(attribute, d.type)
    return f"None if {attribute} is None else {shown}" if d.optional else shown


def json_code(code: str, t: ir.Type) -> str:
    """The code of the value `code` of type `t` as JSON carries it."""
    match t.kind:
        case Kind.ENUM | Kind.DURATION:
            return f"{code}.text"
        case Kind.DATE:
            return f"{code}.isoformat()"
        case Kind.NUMBER:
            return f"decimal_text({code})"
        case Kind.MONEY:
            return f"money_text({code})"
        case Kind.PERCENTAGE:
            return f"percentage_text({code})"
        case Kind.CITATION:
            return f"{code}.text"
        case Kind.PERIOD:
            return f'{{"start": {code}.start.isoformat(), "end": {code}.end.isoformat()}}'
        case Kind.BOOL | Kind.INT | Kind.TEXT:
            return code
        case Kind.RECORD | Kind.LIST:
            raise ValueError(f"an outcome cannot be {t.describe()}")
        case _:
            assert_never(t.kind)
