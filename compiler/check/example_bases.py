"""An example built on another ("Facts: as in example "A minor on trial", but: age at the act: 19; ..."), expanded to
its full facts: a copy of the base example's case with the changes made, so that every later stage sees an example
whose facts are all written out.

The changes, in the order written:
- `age at the act: 19`: a fact given anew (an optional fact the base leaves out is added);
- `without the sentence`: an optional fact the base gives, left out;
- `charge 2: (gravity: grave)`: changes of one record of a list, numbered from 1 as the base example gives them (inside
  the brackets, the same changes again, for that record's facts);
- `without charge 2`: that record left out; `another charge: (...)`: a record added after the base's, every fact
  given.
The numbers always count the base's records, whatever else is changed; the records added come after the base's. The
expanded facts follow the order the statute declares them in.

Each example is expanded once, from its base's expanded facts (compiler.check.example_order finds the order), so the
work is linear in the facts the examples end up with; those copied from bases are limited to MAX_COPIED_FACTS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import assert_never

from compiler.check.check_context import CheckContext
from compiler.check.example_facts import fact_value, record_facts
from compiler.check.scopes import CheckFailure
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, Span, did_you_mean, error, warning
from compiler.model import ir
from compiler.model.kinds import Kind

MAX_COPIED_FACTS = 100_000  # facts copied from bases into the examples built on them, over the whole statute


@dataclass
class Budget:
    """The facts that may still be copied from bases; with the warnings found while expanding one example."""

    left: int = field(default_factory=lambda: MAX_COPIED_FACTS)
    warnings: list[Diagnostic] = field(default_factory=list)


def expand(ctx: CheckContext, base: s.BaseExample, base_case: dict[str, object], budget: Budget) -> dict[str, object]:
    """The case of an example built on `base`, whose expanded facts are `base_case`; raises CheckFailure."""
    size = count_facts(base_case)
    if size > budget.left:
        raise CheckFailure(
            error(
                f"building this example on another would copy more than {MAX_COPIED_FACTS:,} facts from the "
                "examples built on, the limit for a statute",
                base.span,
                "write out this example's facts, or build it on an example with fewer records",
            )
        )
    budget.left -= size
    where = f'example "{base.title}"'
    return _changed(ctx, ctx.symbols.root, base_case, base.changes, where, budget)


def count_facts(value: object) -> int:
    """The facts a case holds, each fact of each record counted (without recursion: records nest deep)."""
    count, stack = 0, [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        else:
            count += 1
    return count


@dataclass
class _ListChanges:
    """What the changes do to one list of the base: records changed (by index from 0), left out, added."""

    list_field: ir.FieldDef
    element: ir.RecordDef
    base: list[dict[str, object]]
    changed: dict[int, tuple[s.RecordChange, dict[str, object]]] = field(default_factory=dict)
    removed: dict[int, s.FactRemoved] = field(default_factory=dict)
    added: list[dict[str, object]] = field(default_factory=list)


def _changed(
    ctx: CheckContext, record: str, base: dict[str, object], changes: tuple[s.Change, ...], where: str, budget: Budget
) -> dict[str, object]:
    """The facts of one record (the case, or a record of a list) after `changes`; `where` names it in messages."""
    new = {key: _copied(value) for key, value in base.items()}
    given_anew: dict[str, Span] = {}
    lists: dict[str, _ListChanges] = {}
    for change in changes:
        match change:
            case s.Fact():
                f = _field(ctx, record, change.name)
                _once(given_anew, f, change.name.span, lists)
                new[f.ident] = fact_value(ctx, f, change)
                if f.ident in base and base[f.ident] == new[f.ident]:
                    budget.warnings.append(_same_value(ctx, f, change, where))
            case s.FactRemoved() if change.number is None:
                f = _field(ctx, record, change.name)
                _once(given_anew, f, change.name.span, lists)
                _check_removable(f, change, base, where)
                del new[f.ident]
            case s.FactRemoved() | s.RecordChange() | s.RecordAdded():
                _list_change(ctx, record, change, base, where, lists, given_anew, budget)
            case _:
                assert_never(change)
    for key, changed in lists.items():
        new[key] = _records_after(changed)
    fields = ctx.symbols.records[record].fields
    return {f.ident: new[f.ident] for f in fields if f.ident in new}


def _copied(value: object) -> object:
    """A copy of a JSON value, so that no two examples share a list or a record a later stage might change."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def _field(ctx: CheckContext, record: str, name: s.Name) -> ir.FieldDef:
    fields = ctx.symbols.fields_by_record[record]
    f = fields.get(name.key)
    if f is None:
        label = ctx.symbols.records[record].label
        raise CheckFailure(
            error(
                f"a {label} has no fact '{name.text}'",
                name.span,
                did_you_mean(name.key, fields) or "the facts are: " + ", ".join(f.label for f in fields.values()),
            )
        )
    return f


def _once(given_anew: dict[str, Span], f: ir.FieldDef, span: Span, lists: dict[str, _ListChanges]) -> None:
    """Refuse a second change of one fact, or a list given anew whose records are also changed."""
    if f.ident in given_anew or f.ident in lists:
        raise CheckFailure(
            error(
                f"'{f.label}' is changed twice (first on line {given_anew[f.ident].line})"
                if f.ident in given_anew
                else f"the records of '{f.label}' are already changed one by one here",
                span,
                "change each fact once",
            )
        )
    given_anew[f.ident] = span


def _same_value(ctx: CheckContext, f: ir.FieldDef, change: s.Fact, where: str) -> Diagnostic:
    value = change.value.value
    shown = ("the same records" if value else "none") if isinstance(value, tuple) else ctx.words(change.value.span)
    return warning(
        f"'{f.label}' is already {shown} in {where}",
        change.span,
        "leave it out of the changes, or give the value that makes this example different",
    )


def _check_removable(f: ir.FieldDef, change: s.FactRemoved, base: dict[str, object], where: str) -> None:
    if f.type.kind is Kind.LIST:
        raise CheckFailure(
            error(
                f"'{f.label}' is a list: every example gives it",
                change.span,
                f"write '{f.label}: none' for no records, or leave out one record by its number",
            )
        )
    if not f.optional:
        raise CheckFailure(
            error(
                f"'{f.label}' is not optional: every example gives it",
                change.span,
                f"give it another value instead: '{f.label}: ...'",
            )
        )
    if f.ident not in base:
        raise CheckFailure(
            error(f"{where} does not give the '{f.label}': there is nothing to leave out", change.name.span)
        )


def _list_change(
    ctx: CheckContext,
    record: str,
    change: s.FactRemoved | s.RecordChange | s.RecordAdded,
    base: dict[str, object],
    where: str,
    lists: dict[str, _ListChanges],
    given_anew: dict[str, Span],
    budget: Budget,
) -> None:
    """Note a change of one record of a list ("charge 2: (...)", "without charge 2") or a record added."""
    name = change.name if isinstance(change, s.FactRemoved) else change.record
    f, element = _list_of(ctx, record, name, change.span)
    if f.ident in given_anew:
        raise CheckFailure(
            error(
                f"'{f.label}' is given anew (on line {given_anew[f.ident].line}): its records cannot also be "
                "changed one by one",
                change.span,
                "make every change in the records given anew",
            )
        )
    given = base.get(f.ident)
    records = [r for r in given if isinstance(r, dict)] if isinstance(given, list) else []
    changes = lists.setdefault(f.ident, _ListChanges(f, element, records))
    if isinstance(change, s.RecordAdded):
        changes.added.append(record_facts(ctx, element.ident, change.facts, change.span, element.label))
        return
    index = _record_index(changes, change, where)
    if isinstance(change, s.FactRemoved):
        changes.removed[index] = change
    else:
        inner = f"{changes.element.label} {index + 1} of {where}"
        changes.changed[index] = (
            change,
            _changed(ctx, changes.element.ident, changes.base[index], change.changes, inner, budget),
        )


def _record_index(changes: _ListChanges, change: s.FactRemoved | s.RecordChange, where: str) -> int:
    """The index from 0 of the base's record a change names by its number from 1; once each."""
    label, count, number = changes.element.label, len(changes.base), change.number or 0
    if not 1 <= number <= count:
        raise CheckFailure(
            error(
                f"there is no {label} {number} in {where}: it gives {count} in '{changes.list_field.label}'",
                change.span,
                f"number them from 1 in the order {where} gives them; to add one, write 'another {label}: (...)'",
            )
        )
    index = number - 1
    if index in changes.changed or index in changes.removed:
        done = "changed" if index in changes.changed else "left out"
        raise CheckFailure(
            error(
                f"{label} {number} is already {done} here",
                change.span,
                "change a record in one bracket, or leave it out",
            )
        )
    return index


def _list_of(ctx: CheckContext, record: str, name: s.Name, span: Span) -> tuple[ir.FieldDef, ir.RecordDef]:
    """The list of `record` whose records are of the kind `name` ("charge", or "charges"), and that kind."""
    sym = ctx.symbols
    owner = sym.record_for_key(name.key)
    lists = [f for f in sym.records[record].fields if f.type.kind is Kind.LIST and f.type.name == owner]
    label = sym.records[record].label
    if owner is None or not lists:
        kinds = [
            sym.records[f.type.name].label
            for f in sym.records[record].fields
            if f.type.kind is Kind.LIST and f.type.name
        ]
        raise CheckFailure(
            error(
                f"a {label} has no list of records called '{name.text}'",
                name.span,
                did_you_mean(name.key, kinds)
                or (
                    "name a record by its kind and number, as '" + kinds[0] + " 1'"
                    if kinds
                    else f"a {label} has no list of records"
                ),
            )
        )
    if len(lists) > 1:
        raise CheckFailure(
            error(f"a {label} has {len(lists)} lists of {sym.records[owner].label}: which one is meant?", span)
        )
    return lists[0], sym.records[owner]


def _records_after(changes: _ListChanges) -> list[dict[str, object]]:
    """The list after its changes: the base's records in order, changed or left out, then those added."""
    kept: list[dict[str, object]] = []
    for index, record in enumerate(changes.base):
        if index in changes.removed:
            continue
        kept.append(changes.changed[index][1] if index in changes.changed else _copied_record(record))
    return kept + changes.added


def _copied_record(record: dict[str, object]) -> dict[str, object]:
    return {key: _copied(value) for key, value in record.items()}
