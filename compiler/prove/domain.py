"""The facts of a case as z3 variables within their declared types and bounds, and a model back to a JSON case.

The root record and each element slot of each list get one variable per field (an optional field also gets a
presence flag). A list of records is a bounded number of slots and a length: only the first `length` slots exist.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, assert_never

import z3

from compiler.citations import citation_text, cited, parse_cited
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.prove.calendar import FIRST_DAY, LAST_DAY, Z3
from compiler.prove.terms import Sort, sort_of
from compiler.values import Duration, duration_text, number_text, percentage_text


@dataclass(frozen=True)
class FieldVars:
    field: ir.FieldDef
    present: Z3  # BoolVal(True) for a field that must be given
    value: Any  # a z3 term; a duration is (months, days)


@dataclass(frozen=True)
class ListVars:
    field: ir.FieldDef
    length: Z3
    slots: tuple[RecordVars, ...]


@dataclass(frozen=True)
class RecordVars:
    """One record of the case: the root, or one slot of a list ("charges[1]")."""

    record: str
    key: str
    fields: dict[str, FieldVars] = field(default_factory=dict)
    lists: dict[str, ListVars] = field(default_factory=dict)
    index: int | None = None  # the slot number for a list element


class Domain:
    """Every variable of a case, and the constraints that keep them within the declared domains."""

    def __init__(self, checked: ir.Checked, max_list: int) -> None:
        self.checked = checked
        self.max_list = max_list
        self.constraints: list[Z3] = []
        self.root = self._record(checked.root, checked.root.lower(), nested=False)

    def _record(self, ident: str, key: str, nested: bool, index: int | None = None) -> RecordVars:
        out = RecordVars(ident, key, index=index)
        for f in self.checked.record(ident).fields:
            name = f"{key}.{f.ident}"
            if f.type.kind is Kind.LIST and not nested:
                assert f.type.name is not None
                length = z3.Int(f"{name}.length")
                self.constraints += [length >= 0, length <= self.max_list]
                slots = tuple(
                    self._record(f.type.name, f"{name}[{i}]", nested=True, index=i) for i in range(self.max_list)
                )
                out.lists[f.ident] = ListVars(f, length, slots)
            elif not f.type.traits.container:  # nested lists and records: reported where they are used
                out.fields[f.ident] = self._field(f, name)
        return out

    def _field(self, f: ir.FieldDef, name: str) -> FieldVars:
        present = z3.Bool(f"{name}.given") if f.optional else z3.BoolVal(True)
        value = variable(sort_of(f.type.kind), name)
        match f.type.kind:
            case Kind.DURATION:
                self.constraints += [value[0] >= 0, value[1] >= 0]
            case Kind.DATE:
                self.constraints += [value >= FIRST_DAY, value <= LAST_DAY]
            case Kind.ENUM:
                assert f.type.name is not None
                self.constraints += [value >= 1, value <= len(self.checked.enum(f.type.name).values)]
            case Kind.CITATION:  # as the case reader takes one: Article 1 to 999999, a suffix bis (2) to novies (9)
                article, sub, suffix, part = value[0]
                self.constraints += [article >= 1, article <= 999_999, sub >= 0, sub <= 999_999, part >= 0]
                self.constraints += [part <= 999_999, z3.Or(suffix == 0, z3.And(suffix >= 2, suffix <= 9))]
            case (
                Kind.BOOL
                | Kind.INT
                | Kind.NUMBER
                | Kind.MONEY
                | Kind.PERCENTAGE
                | Kind.TEXT
                | Kind.PERIOD
                | Kind.RECORD
                | Kind.LIST
            ):
                pass
            case _:
                assert_never(f.type.kind)
        comparable = 30 * value[0] + value[1] if f.type.kind is Kind.DURATION else value
        if f.low is not None:
            self.constraints.append(z3.Implies(present, comparable >= constant(f.low)))
        if f.high is not None:
            self.constraints.append(z3.Implies(present, comparable <= constant(f.high)))
        return FieldVars(f, present, value)

    def lists(self) -> list[ListVars]:
        return list(self.root.lists.values())

    def tidy(self) -> list[Z3]:
        """Preferences for a witness a person reads easily: durations with fewer than 30 days, empty texts."""
        records = [self.root, *(slot for lv in self.root.lists.values() for slot in lv.slots)]
        out: list[Z3] = []
        for rec in records:
            for fv in rec.fields.values():
                if fv.field.type.kind is Kind.DURATION:
                    out.append(fv.value[1] < 30)
                elif fv.field.type.kind is Kind.TEXT:
                    out.append(fv.value == z3.StringVal(""))
        return out

    # ---------------------------------------------------------------- case <-> model

    def pin(self, case: dict[str, object]) -> list[Z3]:
        """Constraints that fix every variable to a JSON case (the examples' cases, in tests)."""
        return self._pin_record(case, self.root)

    def _pin_record(self, data: dict[str, object], rec: RecordVars) -> list[Z3]:
        out: list[Z3] = []
        for ident, lv in rec.lists.items():
            items = data.get(ident) or []
            if not isinstance(items, list) or len(items) > len(lv.slots):
                raise ValueError(f"the case's {ident} do not fit in {len(lv.slots)} slots")
            out.append(lv.length == len(items))
            for item, slot in zip(items, lv.slots, strict=False):
                out += self._pin_record(item, slot)
        for ident, fv in rec.fields.items():
            raw = data.get(ident)
            if raw is None:
                out.append(z3.Not(fv.present))
                continue
            out.append(fv.present)
            out += self._pin(fv, raw)
        return out

    def _pin(self, fv: FieldVars, raw: object) -> list[Z3]:
        match fv.field.type.kind:
            case Kind.DURATION:
                assert isinstance(raw, str)
                d = Duration.parse(raw)  # the text form json_value writes
                return [fv.value[0] == d.months, fv.value[1] == d.days]
            case Kind.ENUM:
                assert fv.field.type.name is not None
                texts = [v.text.lower() for v in self.checked.enum(fv.field.type.name).values]
                return [fv.value == texts.index(str(raw).lower()) + 1]
            case Kind.DATE:
                return [fv.value == datetime.date.fromisoformat(str(raw)).toordinal()]
            case Kind.NUMBER | Kind.MONEY:
                return [fv.value == constant(Fraction(str(raw)))]
            case Kind.PERCENTAGE:  # "12.5%", as the case reader has taken it
                return [fv.value == constant(Fraction(str(raw).strip().removesuffix("%").strip()) / 100)]
            case Kind.CITATION:
                (item,) = parse_cited(raw).items
                return [x == n for x, n in zip(fv.value[0], item, strict=True)]
            case Kind.BOOL | Kind.INT | Kind.TEXT | Kind.PERIOD | Kind.RECORD | Kind.LIST:
                return [fv.value == constant(raw)]  # type: ignore[arg-type]
            case _:
                assert_never(fv.field.type.kind)

    def case(self, model: Any) -> dict[str, object]:
        return self._case_record(model, self.root)

    def _case_record(self, model: Any, rec: RecordVars) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in self.checked.record(rec.record).fields:
            if f.ident in rec.lists:
                lv = rec.lists[f.ident]
                n = model.eval(lv.length, model_completion=True).as_long()
                out[f.ident] = [self._case_record(model, slot) for slot in lv.slots[:n]]
            elif f.ident in rec.fields:
                fv = rec.fields[f.ident]
                if f.optional and not z3.is_true(model.eval(fv.present, model_completion=True)):
                    continue
                out[f.ident] = self._json(model, fv)
            elif f.type.kind is Kind.LIST:
                out[f.ident] = []  # a list inside a list element: not modelled, left empty
        return out

    def _json(self, model: Any, fv: FieldVars) -> object:
        """The field's value in the model, as a JSON case gives it."""

        def ev(term: Z3) -> Any:
            return model.eval(term, model_completion=True)

        match fv.field.type.kind:
            case Kind.BOOL:
                return z3.is_true(ev(fv.value))
            case Kind.TEXT:
                return str(ev(fv.value).as_string())
            case Kind.INT:
                return int(ev(fv.value).as_long())
            case Kind.NUMBER | Kind.MONEY:
                value = ev(fv.value)
                return number_text(Fraction(value.numerator_as_long(), value.denominator_as_long()))
            case Kind.PERCENTAGE:
                value = ev(fv.value)
                return percentage_text(Fraction(value.numerator_as_long(), value.denominator_as_long()))
            case Kind.DATE:
                return datetime.date.fromordinal(ev(fv.value).as_long()).isoformat()
            case Kind.DURATION:
                months, days = (int(ev(v).as_long()) for v in fv.value)
                return duration_text(months, days)
            case Kind.ENUM:
                assert fv.field.type.name is not None
                return self.checked.enum(fv.field.type.name).values[ev(fv.value).as_long() - 1].text
            case Kind.CITATION:
                article, sub, suffix, part = (int(ev(n).as_long()) for n in fv.value[0])
                return citation_text(cited([(article, sub, suffix, part)]))
            case Kind.PERIOD | Kind.RECORD | Kind.LIST:
                raise ValueError(f"a case cannot give {fv.field.type.describe()}")
            case _:
                assert_never(fv.field.type.kind)


def variable(sort: Sort, name: str) -> Any:
    """The solver's variable for a fact of this sort."""
    match sort:
        case Sort.BOOL:
            return z3.Bool(name)
        case Sort.TEXT:
            return z3.String(name)
        case Sort.REAL:
            return z3.Real(name)
        case Sort.DURATION:
            return (z3.Int(f"{name}.months"), z3.Int(f"{name}.days"))
        case Sort.CITATION:  # one provision: a case's offence
            return (tuple(z3.Int(f"{name}.{part}") for part in ("article", "sub", "suffix", "part")),)
        case Sort.INT | Sort.DATE | Sort.ENUM | Sort.PERIOD | Sort.RECORD | Sort.LIST:
            return z3.Int(name)
        case _:
            assert_never(sort)


def constant(value: ir.Value) -> Any:
    """A fixed value as a z3 term (durations as total days, for bounds)."""
    if isinstance(value, bool):
        return z3.BoolVal(value)
    if isinstance(value, int):
        return z3.IntVal(value)
    if isinstance(value, Fraction):
        return z3.RealVal(f"{value.numerator}/{value.denominator}")
    if isinstance(value, datetime.date):
        return z3.IntVal(value.toordinal())
    if isinstance(value, ir.Duration):
        return z3.IntVal(value.total_days)
    if isinstance(value, str):
        return z3.StringVal(value)
    raise TypeError(value)
