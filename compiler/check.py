"""Syntax tree -> checked statute (compiler.ir): vocabulary, parameters, definitions and rules, in that order.

Every problem becomes a Diagnostic with the article it is in; the checker goes on after an error so that a drafter
sees every problem at once, and raises StatuteError at the end if any was an error.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from compiler import ir
from compiler import syntax as s
from compiler.constants import constant_value
from compiler.diagnostics import Diagnostic, Span, StatuteError, did_you_mean, error, warning
from compiler.examples import check_examples
from compiler.expressions import ExprChecker
from compiler.gcpause import paused_gc
from compiler.guarantees import check_guarantees
from compiler.idents import IdentTable, field_name, module_name, pascal, snake, upper
from compiler.kinds import Kind
from compiler.month_counting import order_hangs_on_month
from compiler.requirements import check_requirements, refused_examples
from compiler.rules import check_rules
from compiler.scopes import CheckFailure, Scope
from compiler.symbols import DefInfo, Symbols
from compiler.type_rules import fits, require_exact

T = TypeVar("T")


def check(statute: s.Statute) -> ir.Checked:
    """Check a parsed statute; raise StatuteError listing every error (warnings ride along in `warnings`)."""
    with paused_gc():
        return _Checker(statute).run()


def citation(p: s.Provenance) -> ir.Citation:
    return ir.Citation(p.article, p.quote, p.notes)


class _Checker:
    def __init__(self, statute: s.Statute) -> None:
        self.statute = statute
        self.sym = Symbols()
        self.diagnostics: list[Diagnostic] = []
        self.idents = IdentTable()
        self.exprs = ExprChecker(self.sym)
        self.rule_counters: dict[str, int] = {}  # article -> rules numbered so far
        self.broken_definitions: set[str] = set()  # definitions with a rule that failed to check

    def report(self, d: Diagnostic, article: s.Article | None = None) -> None:
        if article is not None and d.article is None:
            d = Diagnostic(d.severity, d.message, d.span, d.hint, article.heading)
        self.diagnostics.append(d)

    def of_kind(self, kind: type[T]) -> list[T]:
        return [x for x in self.statute.statements if isinstance(x, kind)]

    def run(self) -> ir.Checked:
        self.vocabulary()
        self.parameters()
        self.declarations()
        definitions, outcomes = check_rules(self)
        examples = check_examples(self, definitions)
        guarantees, switched_off = check_guarantees(self, definitions)
        requirements = check_requirements(self)
        in_force = self.in_force()
        self.unused()
        errors = [d for d in self.diagnostics if d.is_error]
        if errors:
            raise StatuteError(sorted(self.diagnostics, key=lambda d: (d.span.start, d.message)))
        checked = ir.Checked(
            file=self.statute.file,
            source=self.statute.source,
            module=module_name(Path(self.statute.file).stem),
            title=self.header_value("title") or Path(self.statute.file).stem,
            header=tuple(self.header_items()),
            locale=self.header_value("locale") or "en",
            in_force=in_force,
            root=self.sym.root,
            records=tuple(self.sym.records.values()),
            enums=tuple(self.sym.enums.values()),
            parameters=tuple(self.sym.parameters.values()),
            definitions=definitions,
            outcomes=outcomes,
            examples=examples,
            articles=self.statute.articles,
            guarantees=guarantees,
            switched_off=switched_off,
            requirements=requirements,
            warnings=tuple(sorted(self.diagnostics, key=lambda d: d.span.start)),
        )
        refused = refused_examples(checked)  # an example of a case the statute's requirements rule out
        if refused:
            raise StatuteError(sorted([*self.diagnostics, *refused], key=lambda d: (d.span.start, d.message)))
        return checked

    # ---------------------------------------------------------------- header

    def header_value(self, key: str) -> str | None:
        return next((h.value for h in self.of_kind(s.Header) if h.key == key), None)

    def header_items(self) -> Iterable[tuple[str, str]]:
        for h in self.of_kind(s.Header):
            if h.key in {"locale", "currency"}:
                continue
            text = h.value if h.date is None else f"{h.value}, {h.date.value.isoformat()}"
            yield (h.key, text)

    def in_force(self) -> str | None:
        for stmt in self.of_kind(s.InForce):
            if stmt.date is not None:
                return stmt.date.value.isoformat()
            assert stmt.parameter is not None
            param = self.sym.parameters.get(stmt.parameter.name.key)
            if param is None or param.type != ir.DATE:
                what = "not a parameter" if param is None else f"{param.type.describe()}, not a date"
                self.report(error(f"'{stmt.parameter.name.text}' is {what}", stmt.parameter.span))
                return None
            self.sym.used_parameters.add(param.ident)
            return param.ident
        return None

    # ---------------------------------------------------------------- vocabulary

    def vocabulary(self) -> None:
        decls: list[s.RecordDecl] = self.of_kind(s.RecordDecl)
        for decl in decls:
            key = decl.name.key
            if key in self.sym.record_keys:
                self.report(error(f"'{decl.name.text}' is declared twice", decl.name.span))
                continue
            self.sym.record_keys[key] = self.idents.take(pascal(key))
        for decl in decls:
            ident = self.sym.record_keys.get(decl.name.key)
            if ident is not None and ident not in self.sym.records:
                self.record(decl, ident)
        roots: list[s.CaseDecl] = self.of_kind(s.CaseDecl)
        if not roots:
            span = decls[0].span if decls else Span.unknown(self.statute.file)
            self.report(
                error("the statute does not say what a case is about", span, "add 'Each case is about a person.'")
            )
            raise StatuteError(self.diagnostics)
        root = self.sym.record_for_key(roots[0].record.key)
        if root is None:
            self.report(
                error(
                    f"'{roots[0].record.text}' is not a record declared in this statute",
                    roots[0].record.span,
                    did_you_mean(roots[0].record.key, self.sym.record_keys)
                    or f"declare it: 'A {roots[0].record.text} has: - ...'",
                )
            )
            raise StatuteError(self.diagnostics)
        self.sym.root = root
        for extra in roots[1:]:
            self.report(error("a statute has one kind of case; this is a second one", extra.span))

    def record(self, decl: s.RecordDecl, ident: str) -> None:
        fields: dict[str, ir.FieldDef] = {}
        table = IdentTable()
        for f in decl.fields:
            if f.name.key in fields:
                self.report(error(f"the field '{f.name.text}' is declared twice", f.name.span), decl.provenance.article)
                continue
            try:
                type_, low, high = self.type_expr(f.type, f.name, decl.name.key)
            except CheckFailure as exc:
                self.report(exc.diagnostic, decl.provenance.article)
                continue
            bounds = getattr(f.type, "bounds", None)
            stated = bounds is not None and bounds.thirty_day_months
            fields[f.name.key] = ir.FieldDef(
                table.take(field_name(f.name.key)), f.name.text, type_, f.optional, low, high, f.name.span, stated
            )
        self.sym.fields_by_record[ident] = fields
        self.sym.records[ident] = ir.RecordDef(ident, decl.name.text, tuple(fields.values()), decl.span)

    def type_expr(self, t: s.TypeExpr, name: s.Name, owner: str) -> tuple[ir.Type, ir.Value | None, ir.Value | None]:
        simple = {
            s.BoolType: ir.BOOL,
            s.IntType: ir.INT,
            s.DecimalType: ir.NUMBER,
            s.PercentageType: ir.PERCENTAGE,
            s.DateType: ir.DATE,
            s.DurationType: ir.DURATION,
            s.TextType: ir.TEXT,
        }
        if type(t) in simple:
            result = simple[type(t)]
        elif isinstance(t, s.MoneyType):
            result = ir.Type(Kind.MONEY, t.currency or self.header_value("currency"))
        elif isinstance(t, s.EnumType):
            result = self.enum(t, name, owner)
        elif isinstance(t, (s.ListType, s.RecordType)):
            target = t.element if isinstance(t, s.ListType) else t.record
            record = self.sym.record_for_key(target.key)
            enum = next((e for e in self.sym.enums.values() if e.label == target.key), None)
            if isinstance(t, s.RecordType) and record is None and enum is not None:
                return ir.Type(Kind.ENUM, enum.ident), None, None  # "a gravity": the values of that field
            if record is None:
                raise CheckFailure(
                    error(
                        f"'{target.text}' is not a record declared in this statute",
                        target.span,
                        did_you_mean(target.key, self.sym.record_keys) or f"declare it: 'A {target.text} has: ...'",
                    )
                )
            result = ir.Type(Kind.LIST if isinstance(t, s.ListType) else Kind.RECORD, record)
        else:
            raise AssertionError(t)
        bounds = getattr(t, "bounds", None)
        if bounds is None:
            return result, None, None
        low, high = (self.bound(b, result) for b in (bounds.low, bounds.high))
        if _order_key(low) > _order_key(high):
            raise CheckFailure(error("the lower bound is above the upper bound", bounds.span))
        if bounds.thirty_day_months and result.kind is not Kind.DURATION:
            raise CheckFailure(error("only a duration's bounds can count a month as 30 days", bounds.span))
        if not bounds.thirty_day_months and _bounds_hang_on_month(low, high):
            raise CheckFailure(
                error(
                    f"whether {_shown_bound(low)} is below {_shown_bound(high)} depends on how long a month is",
                    bounds.span,
                    "say 'counting a month as 30 days' after the bounds, or give both in months or both in days",
                )
            )
        return result, low, high

    def bound(self, literal: s.Literal, wanted: ir.Type) -> ir.Value:
        value = self.exprs.expr(literal, Scope(), wanted)
        if not fits(value.type, wanted):
            raise CheckFailure(
                error(f"this bound is {value.type.describe()}, but the field is {wanted.describe()}", literal.span)
            )
        assert isinstance(value, ir.Lit)
        return value.value

    def enum(self, t: s.EnumType, name: s.Name, owner: str) -> ir.Type:
        values: list[ir.EnumValue] = []
        table = IdentTable()
        seen: set[str] = set()
        for v in t.values:
            if v.key in seen:
                raise CheckFailure(error(f"'{v.text}' is listed twice", v.span))
            seen.add(v.key)
            values.append(ir.EnumValue(table.take(upper(v.key)), v.text, v.span))
        for existing in self.sym.enums.values():  # the same list declared again is the same enumeration
            if [x.text.lower() for x in existing.values] == [x.text.lower() for x in values]:
                return ir.Type(Kind.ENUM, existing.ident)
        ident = pascal(name.key)
        if ident in self.sym.enums or ident in self.sym.records:
            ident = pascal(f"{owner} {name.key}")
        ident = self.idents.take(ident)
        self.sym.enums[ident] = ir.EnumDef(ident, name.key, tuple(values), t.span)
        return ir.Type(Kind.ENUM, ident)

    # ---------------------------------------------------------------- parameters and declarations

    def parameters(self) -> None:
        for p in self.of_kind(s.Parameter):
            article = p.provenance.article
            if p.name.key in self.sym.parameters:
                self.report(error(f"the parameter '{p.name.text}' is set twice", p.name.span), article)
                continue
            try:
                expr = self.exprs.expr(p.value, Scope())
                require_exact(expr, p.value.span)
                value = constant_value(expr, self.sym)
            except CheckFailure as exc:
                self.report(exc.diagnostic, article)
                continue
            if value is None:
                self.report(
                    error("a parameter must be a fixed value such as a date, an amount or a fraction", p.value.span),
                    article,
                )
                continue
            ident = self.idents.take(upper(p.name.key))
            self.sym.parameters[p.name.key] = ir.ParameterDef(
                ident, p.name.text, expr.type, value, p.span, citation(p.provenance)
            )

    def declarations(self) -> None:
        for d in self.of_kind(s.Declaration):
            article = d.provenance.article
            segments = d.name.segments
            owner = self.sym.record_for_key(segments[-1].key) if len(segments) > 1 else None
            base = s.join_names(segments[:-1]) if owner is not None else d.name
            if owner == self.sym.root:
                owner = None
            if owner is not None and d.kind == "outcome":
                self.report(error("an outcome belongs to the whole case, not to each record", d.name.span), article)
                continue
            if (owner, base.key) in self.sym.definitions or base.key in self.sym.parameters:
                self.report(error(f"'{base.text}' is declared twice", d.name.span), article)
                continue
            try:
                type_, _, _ = self.type_expr(d.type, base, owner or "")
            except CheckFailure as exc:
                self.report(exc.diagnostic, article)
                continue
            prefix = "" if owner is None else snake(self.sym.records[owner].label) + "_"
            ident = self.idents.take(snake(prefix + base.key))
            self.sym.definitions[(owner, base.key)] = DefInfo(
                ident, base.text, d.kind, owner, type_, d.optional, d.span, citation(d.provenance)
            )
        for d in self.of_kind(s.Declaration):  # defaults may name other declarations
            if d.default is None:
                continue
            info = next((i for i in self.sym.definitions.values() if i.span == d.span), None)
            if info is None:
                continue
            try:
                default = self.exprs.expr(d.default, Scope(), info.type)
                require_exact(default, d.default.span)
                if not fits(default.type, info.type):
                    raise CheckFailure(
                        error(
                            f"the default is {default.type.describe()}, but '{info.label}' is {info.type.describe()}",
                            d.default.span,
                        )
                    )
                info.default = default
            except CheckFailure as exc:
                self.report(exc.diagnostic, d.provenance.article)

    # ---------------------------------------------------------------- warnings

    def unused(self) -> None:
        for record in self.sym.records.values():
            for f in record.fields:
                if (record.ident, f.ident) not in self.sym.used_fields and f.type.kind is not Kind.LIST:
                    self.report(
                        warning(
                            f"the fact '{f.label}' of a {record.label} is never used by a rule",
                            f.span,
                            "remove it, or keep it as information for the case files",
                        )
                    )
        for p in self.sym.parameters.values():
            if p.ident not in self.sym.used_parameters:
                self.report(warning(f"the parameter '{p.label}' is never used", p.span), p.citation.article)


def _bounds_hang_on_month(low: ir.Value, high: ir.Value) -> bool:
    return isinstance(low, ir.Duration) and isinstance(high, ir.Duration) and order_hangs_on_month(low, high)


def _shown_bound(value: ir.Value) -> str:
    return value.text if isinstance(value, ir.Duration) else str(value)


def _order_key(value: ir.Value) -> Any:
    return value.total_days if isinstance(value, ir.Duration) else value
