"""Names in expressions resolved where the drafter wrote them: a fact, a definition, a parameter, an enumeration
value, a record, or the list a quantifier walks."""

from __future__ import annotations

from compiler.check.scopes import CheckFailure, Scope
from compiler.check.symbols import Symbols
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, did_you_mean, error
from compiler.model import ir
from compiler.model.kinds import Kind


class References:
    """The name lookups of the expression checker (compiler/check/expressions.py), its base class."""

    def __init__(self, symbols: Symbols) -> None:
        self.sym = symbols

    def fail(self, message: str, span: Span, hint: str | None = None) -> CheckFailure:
        return CheckFailure(error(message, span, hint))

    def _record_test(self, subject: ir.Expr, value: s.Ref, span: Span) -> ir.Expr:
        """ "the person is covered", "the charge is proven": a predicate or a yes/no field of the record."""
        record = subject.type.name
        assert record is not None
        key = value.name.key
        owner = None if record == self.sym.root else record
        info = self.sym.definitions.get((owner, key))
        if info is not None and info.kind == "predicate":
            return ir.DefRef(info.ident, None if owner is None else subject, ir.BOOL, value.span)
        field = self.sym.fields_by_record[record].get(key)
        if field is not None and field.type == ir.BOOL:
            self.sym.used_fields.add((record, field.ident))
            return ir.FieldRef(subject, record, field.ident, ir.BOOL, field.optional, value.span)
        role = self._in_role(subject, value, span)
        if role is not None:
            return role
        label = self.sym.records[record].label
        known = [k for (o, k), d in self.sym.definitions.items() if o == owner and d.kind == "predicate"]
        known += [k for k, f in self.sym.fields_by_record[record].items() if f.type == ir.BOOL]
        hint = did_you_mean(key, known) or f"add a rule: 'Rule: a {label} is {value.name.text} if ...'"
        for (o, _), d in self.sym.definitions.items():  # "any charge is terminated": a value of its outcome
            values = (
                self.sym.enums[d.type.name].values if o == owner and d.type.kind is Kind.ENUM and d.type.name else ()
            )
            if key in (v.text.lower() for v in values):
                said = value.name.text
                hint = f"'{said}' is a value of the {d.label} of a {label}: write '... where the {d.label} is {said}'"
        raise self.fail(f"nothing in this statute says when a {label} is '{value.name.text}'", value.span, hint)

    def _in_role(self, subject: ir.Expr, value: s.Ref, span: Span) -> ir.Expr | None:
        """ "the person is a child": whether the record is one of a role (or group) of the case; None where the
        words name no role."""
        noun = self.sym.nouns.get(value.name.key)
        if noun is None:
            return None
        root = ir.RootRef(ir.Type(Kind.RECORD, self.sym.root), value.span)
        found = self._role_or_group(value.name, root) if noun[0] == self.sym.root else None
        if found is None:
            raise self.fail(
                f"'{value.name.text}' names the records of a role of a {self.sym.records[noun[0]].label}, "
                "not of the case",
                value.span,
            )
        source, record, _ = found
        if record != subject.type.name:
            held = self.sym.records[record].label
            raise self.fail(
                f"a {self.sym.records[subject.type.name or ''].label} is never {value.name.text}: those are {held}s",
                value.span,
            )
        return ir.InRole(subject, source, span)

    def sentence(self, subject: s.Name, value: s.Name, scope: Scope, span: Span) -> ir.Expr | None:
        """ "the ownership requirement is met", "the conviction is expunged": the yes/no value the whole sentence
        names (a predicate the rules declare so, or a fact, outcome or definition declared with 'is' in its name),
        or None. Where the subject alone names something too, the sentence reads two ways: an error."""
        info = self.sym.definitions.get((None, f"{subject.key} is {value.key}"))
        if info is not None and info.kind == "predicate":
            return ir.DefRef(info.ident, None, ir.BOOL, span)
        whole = s.Name((*subject.words, "is", *value.words), span)
        found = self._lookup(whole, scope, None)
        if found is None or found.type != ir.BOOL:
            return None
        if self._lookup(subject, scope, None) is not None:
            raise self.fail(
                f"'{whole.text}' reads two ways: as the yes/no value of that name, and as '{subject.text}' tested",
                span,
                f"rename one of them: the value '{whole.text}' or '{subject.text}'",
            )
        return found

    def _collection(self, name: s.Name, scope: Scope) -> tuple[ir.Expr, str, str]:
        """The list a quantifier walks, the element record, and how the drafter names one element: a role's noun
        ("adult") where the list is a role, else the record's name ("charge")."""
        subjects = self._holders(scope, name.span)
        for subject in subjects:  # a group of roles ("the members") or a role or group by its noun ("any adult")
            found = self._role_or_group(name, subject)
            if found is not None:
                return found
        try:
            source = self.ref(name, scope, None)
            if source.type.kind is Kind.LIST and source.type.name:
                element = self.sym.records[source.type.name]
                noun = None
                if isinstance(source, ir.FieldRef):  # a role by its field's name: "the children", named "child"
                    noun = self.sym.records[source.record].field(source.field).member
                return source, element.ident, (noun or element.label).lower()
        except CheckFailure:
            pass
        record = self.sym.record_for_key(name.key)
        if record is not None:
            for subject in subjects:
                owner = subject.type.name
                assert owner is not None
                lists = [f for f in self.sym.records[owner].fields if f.type == ir.Type(Kind.LIST, record)]
                if len(lists) == 1:
                    self.sym.used_fields.add((owner, lists[0].ident))
                    field = lists[0]
                    src = ir.FieldRef(subject, owner, field.ident, field.type, field.optional, name.span)
                    return src, record, self.sym.records[record].label.lower()
                if len(lists) > 1 and any(f.member for f in lists):
                    raise self._many_roles(name, owner, lists)
        raise self.fail(
            f"'{name.text}' is not a list in this statute",
            name.span,
            "name a field declared as 'list of ...', e.g. 'any charge' or 'the number of charges'",
        )

    def _holders(self, scope: Scope, span: Span) -> list[ir.Expr]:
        """The records in hand, the innermost first, then the case."""
        held: list[ir.Expr] = [ir.VarRef(v.ident, ir.Type(Kind.RECORD, v.record), span) for v in reversed(scope.vars)]
        return [*held, ir.RootRef(ir.Type(Kind.RECORD, self.sym.root), span)]

    def _role_or_group(self, name: s.Name, subject: ir.Expr) -> tuple[ir.Expr, str, str] | None:
        """ "the members", "any member" (a group of `subject`'s roles), "any adult" (a role by its noun)."""
        owner = subject.type.name or ""
        record = self.sym.records[owner]
        group = self.sym.groups.get(owner, {}).get(name.key)
        noun = self.sym.nouns.get(name.key)
        if group is None and noun is not None and noun[0] == owner:
            group = next((g for g in record.groups if g.ident == noun[1]), None)
        if group is not None:
            roles = tuple(self._role_ref(subject, record.field(r), name.span) for r in group.roles)
            element = self.sym.records[group.record]
            members = ir.Members(group.ident, roles, ir.Type(Kind.LIST, group.record), name.span)
            return members, group.record, (group.member or element.label).lower()
        if noun is not None and noun[0] == owner:
            field = record.field(noun[1])
            assert field.type.name is not None and field.member is not None
            return self._role_ref(subject, field, name.span), field.type.name, field.member.lower()
        return None

    def _role_ref(self, subject: ir.Expr, field: ir.FieldDef, span: Span) -> ir.FieldRef:
        owner = subject.type.name or ""
        self.sym.used_fields.add((owner, field.ident))
        return ir.FieldRef(subject, owner, field.ident, field.type, field.optional, span)

    def _many_roles(self, name: s.Name, owner: str, lists: list[ir.FieldDef]) -> CheckFailure:
        """ "any person" where two roles hold persons."""
        record = self.sym.records[owner]
        held = [f.label for f in lists]
        nouns = [f"'any {f.member}'" for f in lists if f.member]
        nouns += [f"'any {g.member}'" for g in record.groups if g.member and set(g.roles) >= {f.ident for f in lists}]
        return self.fail(
            f"'{name.text}' names the members of {', '.join(held[:-1])} and of {held[-1]}",
            name.span,
            "say " + (", ".join(nouns[:-1]) + " or " + nouns[-1] if len(nouns) > 1 else nouns[0]),
        )

    def formula_of(self, name: s.Name, scope: Scope) -> ir.Expr | None:
        """ "the half of the bonus": a formula applied to its one input, or None (compiler/check/calls.py)."""
        return None

    def ref(self, name: s.Name, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        found = self._lookup(name, scope, expected)
        if found is not None:
            return found
        found = self.formula_of(name, scope)
        if found is not None:
            return found
        if scope.formula is not None:
            raise self._outside_formula(name, scope, scope.formula)
        segments = name.segments
        for cut in range(len(segments) - 1, 0, -1):
            head, tail = s.join_names(segments[:cut]), s.join_names(segments[cut:])
            try:
                subject = self.ref(tail, scope, None)
            except CheckFailure:
                continue
            if subject.type.kind is Kind.RECORD and subject.type.name:
                member = self._member(head, subject, subject.type.name)
                if member is not None:
                    return member
        if expected is not None and expected.kind is Kind.ENUM and expected.name:
            values = [v.text for v in self.sym.enums[expected.name].values]
            raise self.fail(
                f"'{name.text}' is not one of the values of {self.sym.enums[expected.name].label}",
                name.span,
                did_you_mean(name.key, values) or "the values are: " + ", ".join(values),
            )
        records = [v.record for v in scope.vars] + [self.sym.root]
        hint = did_you_mean(name.key, self.sym.names_in_scope(records))
        each = self._of_each_record(name, records)
        if each is not None:
            raise self.fail(each[0], name.span, each[1])
        raise self.fail(
            f"'{name.text}' is not defined in this statute",
            name.span,
            hint or "declare it as a field, a Parameter, a Definition or an Outcome",
        )

    def _of_each_record(self, name: s.Name, records: list[str]) -> tuple[str, str] | None:
        """(message, hint) where `name` is a record's value ("the charge measure", "the charge measure of any
        charge") read where no such record is in hand; None otherwise."""
        segments = name.segments
        key = name.key
        if len(segments) > 1 and segments[-1].words[:1] in (("any",), ("every",), ("each",), ("all",)):
            key = s.join_names(segments[:-1]).key
        for (owner, k), d in self.sym.definitions.items():
            if k == key and owner is not None and owner not in records and d.kind != "predicate":
                label = self.sym.records[owner].label
                lists = [f.label for f in self.sym.records[self.sym.root].fields if f.type == ir.Type(Kind.LIST, owner)]
                return (
                    f"'{d.label}' is decided for each {label}, and no {label} is in hand here",
                    f"say which: 'any {label} where the {d.label} is ...', 'every {label} where ...', "
                    f"'the number of {lists[0] if lists else label} where ...'",
                )
        return None

    def _outside_formula(self, name: s.Name, scope: Scope, formula: str) -> CheckFailure:
        known = [i.key for i in scope.inputs] + list(self.sym.parameters)
        return self.fail(
            f"the formula '{formula}' reads only its inputs and the parameters, and '{name.text}' is neither",
            name.span,
            did_you_mean(name.key, known)
            or "to use a fact of the case or a definition, make it an input ('given a ...: ...') and give its value "
            "where the formula is used",
        )

    def _lookup(self, name: s.Name, scope: Scope, expected: ir.Type | None) -> ir.Expr | None:
        key = name.key
        if expected is not None and expected.kind is Kind.ENUM and expected.name:
            enum = self.sym.enums[expected.name]
            for value in enum.values:
                if s.Name(tuple(value.text.split()), value.span).key == key:
                    return ir.EnumLit(enum.ident, value.ident, expected, name.span)
        if scope.formula is not None:
            return self._formula_lookup(name, scope)
        for var in reversed(scope.vars):
            if var.key == key or self.sym.record_keys.get(key) == var.record:
                return ir.VarRef(var.ident, ir.Type(Kind.RECORD, var.record), name.span)
        if self.sym.record_keys.get(key) == self.sym.root:
            return ir.RootRef(ir.Type(Kind.RECORD, self.sym.root), name.span)
        if key in self.sym.parameters:
            p = self.sym.parameters[key]
            self.sym.used_parameters.add(p.ident)
            return ir.ParamRef(p.ident, p.type, name.span)
        # The records in hand first, the innermost first: in "the greatest new sentence among the charges", "new
        # sentence" is the charge's where a charge has one, though the case has one too.
        for v in reversed(scope.vars):
            member = self._member(name, ir.VarRef(v.ident, ir.Type(Kind.RECORD, v.record), name.span), v.record)
            if member is not None:
                return member
        info = self.sym.definitions.get((None, key))
        if info is not None and info.kind != "predicate":
            return ir.DefRef(info.ident, None, info.type, name.span)
        subjects: list[ir.Expr] = [ir.RootRef(ir.Type(Kind.RECORD, self.sym.root), name.span)]
        for subject in subjects:
            assert subject.type.name is not None
            member = self._member(name, subject, subject.type.name)
            if member is not None:
                return member
        return None

    def _formula_lookup(self, name: s.Name, scope: Scope) -> ir.Expr | None:
        """Inside a formula: one of its inputs, or a parameter."""
        for found in scope.inputs:
            if found.key == name.key:
                return ir.InputRef(found.ident, found.type, name.span)
        if name.key in self.sym.parameters:
            p = self.sym.parameters[name.key]
            self.sym.used_parameters.add(p.ident)
            return ir.ParamRef(p.ident, p.type, name.span)
        return None

    def _member(self, name: s.Name, subject: ir.Expr, record: str) -> ir.Expr | None:
        field = self.sym.fields_by_record[record].get(name.key)
        if field is not None:
            self.sym.used_fields.add((record, field.ident))
            return ir.FieldRef(subject, record, field.ident, field.type, field.optional, name.span)
        owner = None if record == self.sym.root else record
        info = self.sym.definitions.get((owner, name.key))
        if info is not None and info.kind != "predicate":
            return ir.DefRef(info.ident, None if owner is None else subject, info.type, name.span)
        return None
