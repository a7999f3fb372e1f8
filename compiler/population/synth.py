"""Synthetic case registers: realistic cases generated from a statute's vocabulary, deterministic for a seed.

Without a profile every field is drawn plainly from its declared type (enumerations uniformly, numbers, dates and
durations within their bounds, optional facts given four times in five, lists of one to three records). A profile
(``<statute>.synth.json`` beside the statute) makes a register realistic: weights, distributions, facts given only
in some situations, and catalogues that set several facts of a record together. Its format, by example::

    {"records": {"Person": {
       "order": ["role", "stage", "charges", "sentence"],          # generation order (the rest follow)
       "fields": {
         "role": {"weights": {"civilian": 86, "serviceman": 5}},   # enumerations, yes/no ("yes"), texts, numbers
         "age_at_act": {"normal": [31, 11]},                      # clipped to the declared bounds
         "charges": {"length": {"weights": {"1": 80, "2": 18}}},
         "sentence": {"given_if": {"stage": ["serving sentence"]},  # otherwise left out
                      "by": "greatest charges.gravity",            # switch on a value generated before
                      "cases": {"grave": {"months": [36, 144]}}, "else": {"months": [3, 36]}},
         "sentence_start": {"date": ["2022-01-20", "2022-10-31"]}}},
     "Charge": {"pick": {"by": "role", "cases": {"civilian": [
                   {"weight": 20, "set": {"offence": "Article 293 (hooliganism)", "gravity": "medium"}}]}},
                "fields": {"act_date": {"weights": {"2022-01-05": 35, "2022-01-06": 30}}}}}}

Links draw a fact from facts generated before it (compiler/population/synth_links.py): ``"sentence_start": {"after":
"the act date of every charge", "by": "2 weeks to 10 months"}``.

A path in ``by`` or ``given_if`` names a field of the record being generated or of a record enclosing it, or
``greatest``/``least`` of a field over a list generated before. Every value in a profile is checked against the
vocabulary when the profile is read, so a misspelt value is an error, never a silently impossible case.
"""

from __future__ import annotations

import difflib
import itertools
import json
import random
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from compiler.interpret.read import read_case
from compiler.interpret.requirements import broken_requirements
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.population.synth_links import KEYS as LINK_KEYS
from compiler.population.synth_links import is_link, link
from compiler.population.synth_places import Keys, Places, places
from compiler.population.synth_values import Gen, ProfileError, Scope, checked_value, leaf, number_gen, weighted

MISSING: Any = object()  # an optional fact left out
# The keys a field's spec may hold; any other is a misspelling, refused rather than silently ignored.
SPEC_KEYS = frozenset(
    {"value", "weights", "normal", "uniform", "date", "months", "days", "length", "given", "given_if", "by", "cases"}
    | {"else", "to", *LINK_KEYS}
)
MAX_REDRAWS = 100  # draws of one case that breaks a requirement before the profile is said to be at fault


@dataclass(frozen=True)
class _Field:
    ident: str
    gen: Gen


@dataclass(frozen=True)
class _Record:
    pick: Gen | None  # a catalogue entry: several facts set together
    fields: tuple[_Field, ...]  # in generation order
    declared: tuple[str, ...]  # the field idents in declaration order


class Generator:
    """Generates cases for one statute and profile. `cases(n, seed)` is deterministic, and the first k cases of a
    register do not depend on n."""

    def __init__(
        self,
        checked: ir.Checked,
        profile: Mapping[str, Any] | None = None,
        where: str = "profile",
        at: Places | None = None,
    ) -> None:
        self.checked = checked
        self.profile = profile or {}
        self.where = where
        self.places = at or Places(where)
        self.redrawn = 0  # draws that broke a requirement and were drawn again (a profile's links keep this at 0)
        records = self.profile.get("records", {})
        if not isinstance(records, dict):
            raise ProfileError(f"{where}: 'records' must be an object")
        for name in records:
            if name not in {r.ident for r in checked.records}:
                known = ", ".join(r.ident for r in checked.records)
                raise ProfileError(f"{where}: there is no record '{name}' (the records are {known})")
        id_spec = self.profile.get("id", {})
        self.id_prefix = str(id_spec.get("prefix", "SYN-"))
        self.id_width = int(id_spec.get("width", 7))
        self.root = self._record(checked.root, [set()])

    def case(self, rng: random.Random, number: int) -> dict[str, Any]:
        """The case numbered `number`: drawn again (from the same random stream) while it breaks a requirement of
        the statute, for a register holds only cases a court could have; a profile that keeps drawing such cases
        is an error."""
        case = {"id": f"{self.id_prefix}{number:0{self.id_width}d}"}
        for _ in range(MAX_REDRAWS):
            facts = self._build(self.root, rng, [])
            broken = (
                broken_requirements(self.checked, read_case(self.checked, facts)) if self.checked.requirements else []
            )
            if not broken:
                case.update(facts)
                return case
            self.redrawn += 1
        raise ProfileError(
            f"{self.where}: case {number} still breaks a requirement after {MAX_REDRAWS} draws: {broken[0]}"
        )

    def cases(self, n: int, seed: int) -> Iterator[dict[str, Any]]:
        rng = random.Random(seed)
        for number in range(1, n + 1):
            yield self.case(rng, number)

    # -------------------------------------------------------------- building

    def _build(self, record: _Record, rng: random.Random, scope: Scope) -> dict[str, Any]:
        out: dict[str, Any] = {}
        scope.append(out)
        if record.pick is not None:
            out.update(record.pick(rng, scope))
        for f in record.fields:
            if f.ident in out:
                continue
            value = f.gen(rng, scope)
            if value is not MISSING:
                out[f.ident] = value
        scope.pop()
        return {ident: out[ident] for ident in record.declared if ident in out}  # a person reads them in this order

    # -------------------------------------------------------------- compiling the profile

    def _record(self, ident: str, available: list[set[str]]) -> _Record:
        record = self.checked.record(ident)
        spec = self.profile.get("records", {}).get(ident, {})
        field_specs = spec.get("fields", {})
        for name in field_specs:
            if name not in {f.ident for f in record.fields}:
                raise ProfileError(f"{self.where}: a {record.label} has no field '{name}'")
        order = [record.field(n) for n in spec.get("order", []) if self._known(record, n)]
        order += [f for f in record.fields if f not in order]
        here: set[str] = set()
        scopes = [*available, here]
        pick = self._pick(record, spec["pick"], scopes) if "pick" in spec else None
        if pick is not None:
            here.update(self._pick_fields(spec["pick"]))
        fields = []
        for f in order:
            keys = ("records", record.ident, "fields", f.ident)
            where = f"{self.places.at(keys)}: {record.ident}.{f.ident}"
            fields.append(_Field(f.ident, self._field(f, field_specs.get(f.ident, {}), scopes, where, keys)))
            here.add(f.ident)
        return _Record(pick, tuple(fields), tuple(f.ident for f in record.fields))

    def _known(self, record: ir.RecordDef, name: str) -> bool:
        if name not in {f.ident for f in record.fields}:
            raise ProfileError(f"{self.where}: 'order' names '{name}', which a {record.label} does not have")
        return True

    def _field(self, f: ir.FieldDef, spec: Mapping[str, Any], scopes: list[set[str]], where: str, keys: Keys) -> Gen:
        value = self._value(f, spec, scopes, where, keys)
        chance = float(spec.get("given", 0.8 if f.optional and not spec else 1.0))
        condition = self._condition(spec["given_if"], scopes, where) if "given_if" in spec else None
        if not f.optional and (chance < 1 or condition is not None):
            raise ProfileError(f"{where}: only an optional field can be left out ('given', 'given_if')")
        if chance >= 1 and condition is None:
            return value

        def maybe(rng: random.Random, scope: Scope) -> Any:
            if condition is not None and not condition(scope):
                return MISSING
            if chance < 1 and rng.random() >= chance:
                return MISSING
            return value(rng, scope)

        return maybe

    def _value(self, f: ir.FieldDef, spec: Mapping[str, Any], scopes: list[set[str]], where: str, keys: Keys) -> Gen:
        label = where.rsplit(": ", 1)[-1]
        unknown = sorted(set(spec) - SPEC_KEYS)
        if unknown:
            near = difflib.get_close_matches(unknown[0], sorted(SPEC_KEYS), 1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            at = self.places.at((*keys, unknown[0]))
            raise ProfileError(f"{at}: {label}: {unknown[0]!r} is not a key a field's spec takes{hint}")
        if is_link(spec):
            plain = self._value(f, {k: v for k, v in spec.items() if k not in SPEC_KEYS - _PLAIN}, scopes, where, keys)
            at = self.places.at((*keys, next(k for k in LINK_KEYS if k in spec)))
            return link(self.checked, f, spec, set().union(*scopes), plain, f"{at}: {label}")
        if "by" in spec:
            return self._switch(spec, lambda s, w, k: self._value(f, s, scopes, w, k), scopes, where, keys)
        if f.type.kind is Kind.LIST:
            assert f.type.name is not None
            element = self._record(f.type.name, scopes)
            length = number_gen(spec.get("length", {"uniform": [1, 3]}), where + " 'length'", int)

            def many(rng: random.Random, scope: Scope) -> list[dict[str, Any]]:
                return [self._build(element, rng, scope) for _ in range(length(rng, scope))]

            return many
        if f.type.kind is Kind.RECORD:
            assert f.type.name is not None
            inner = self._record(f.type.name, scopes)
            return lambda rng, scope: self._build(inner, rng, scope)
        return leaf(self.checked, f, spec, where)

    def _switch(
        self,
        spec: Mapping[str, Any],
        inner: Callable[[Mapping[str, Any], str, Keys], Gen],
        scopes: list[set[str]],
        where: str,
        keys: Keys,
    ) -> Gen:
        key = self._path(str(spec["by"]), scopes, where)
        label = where.rsplit(": ", 1)[-1]
        cases = {
            str(k): inner(v, f"{self.places.at((*keys, 'cases', k))}: {label}[{k}]", (*keys, "cases", k))
            for k, v in spec.get("cases", {}).items()
        }
        fallback = (
            inner(spec.get("else", {}), f"{self.places.at((*keys, 'else'))}: {label}[else]", (*keys, "else"))
            if "else" in spec or len(cases) == 0
            else None
        )

        def switch(rng: random.Random, scope: Scope) -> Any:
            gen = cases.get(key(scope), fallback)
            if gen is None:
                raise ProfileError(f"{where}: no case for {key(scope)!r} and no 'else'")
            return gen(rng, scope)

        return switch

    def _condition(self, spec: Mapping[str, Any], scopes: list[set[str]], where: str) -> Callable[[Scope], bool]:
        tests = [(self._path(path, scopes, where), {str(v) for v in values}) for path, values in spec.items()]
        return lambda scope: all(key(scope) in allowed for key, allowed in tests)

    def _path(self, path: str, scopes: list[set[str]], where: str) -> Callable[[Scope], str]:
        """A function giving the value at `path` as a profile key ('yes', 'grave', '2022-01-05'), '' when missing."""
        words = path.split()
        if len(words) == 2 and words[0] in {"greatest", "least"} and "." in words[1]:
            list_name, element_field = words[1].split(".", 1)
            self._visible(list_name, scopes, where)
            rank = self._rank(element_field)
            pick = max if words[0] == "greatest" else min

            def over(scope: Scope) -> str:
                items = [item[element_field] for item in _lookup(scope, list_name) or [] if element_field in item]
                return _key(pick(items, key=rank)) if items else ""

            return over
        if len(words) != 1:
            raise ProfileError(f"{where}: cannot read the path {path!r}")
        self._visible(path, scopes, where)
        return lambda scope: _key(_lookup(scope, path))

    def _visible(self, name: str, scopes: list[set[str]], where: str) -> None:
        if not any(name in s for s in scopes):
            raise ProfileError(f"{where}: '{name}' is not generated before this field (see 'order')")

    def _rank(self, field_ident: str) -> Callable[[Any], Any]:
        for record in self.checked.records:
            for f in record.fields:
                if f.ident == field_ident and f.type.kind is Kind.ENUM:
                    assert f.type.name is not None
                    order = {v.text: i for i, v in enumerate(self.checked.enum(f.type.name).values)}
                    return lambda value: order.get(value, -1)
        return lambda value: value

    def _pick(self, record: ir.RecordDef, spec: Any, scopes: list[set[str]]) -> Gen:
        where = f"{self.where}: {record.ident}.pick"
        if isinstance(spec, dict) and "by" in spec:
            keys = ("records", record.ident, "pick")
            return self._switch(spec, lambda s, w, k: self._catalogue(record, s, w), scopes, where, keys)
        return self._catalogue(record, spec, where)

    def _pick_fields(self, spec: Any) -> set[str]:
        entries = list(itertools.chain(*spec.get("cases", {}).values(), spec.get("else", []))) if "by" in spec else spec
        return {name for entry in entries for name in entry.get("set", {})}

    def _catalogue(self, record: ir.RecordDef, entries: Any, where: str) -> Gen:
        if not isinstance(entries, list) or not entries:
            raise ProfileError(f"{where}: a catalogue is a non-empty list of {{'weight': ..., 'set': {{...}}}}")
        sets = []
        for entry in entries:
            values = {}
            for name, value in entry.get("set", {}).items():
                if name not in {f.ident for f in record.fields}:
                    raise ProfileError(f"{where}: a {record.label} has no field '{name}'")
                values[name] = checked_value(self.checked, record.field(name), value, where)
            sets.append(values)
        choose = weighted([float(e.get("weight", 1)) for e in entries], where)
        return lambda rng, scope: dict(sets[choose(rng)])


_PLAIN = frozenset(
    {"value", "weights", "normal", "uniform", "date", "months", "days"}
)  # how an unlinked value is drawn


def _lookup(scope: Scope, name: str) -> Any:
    for record in reversed(scope):
        if name in record:
            return record[name]
    return None


def _key(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# ------------------------------------------------------------------ files


def profile_path(statute: str | Path) -> Path:
    """The profile beside a statute: statutes/x.statute -> statutes/x.synth.json."""
    path = Path(statute)
    return path.with_name(path.stem + ".synth.json")


def load_places(path: str | Path) -> Places:
    """Where each key of the profile at `path` is written, for errors that point at it."""
    return places(str(path), Path(path).read_text(encoding="utf-8"))


def load_profile(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ProfileError(f"{path}: not valid JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(data, dict):
        raise ProfileError(f"{path}: a profile is a JSON object")
    return data
