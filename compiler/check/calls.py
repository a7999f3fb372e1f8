"""A formula applied where a rule (or another formula) uses it: "the two-bracket tax of the salary, given a threshold
of 10,000 EUR, a lower rate of 10% and an upper rate of 20%" (docs/language.md section 10, "Formulas").

The formula's name and its first input come as one name ("two-bracket tax of the salary") and are cut at the "of"
after the formula's name; an input given as "a lower rate of the standard rate" is cut the same way at the "of" after
the input's name. Every input must be given once, with a value that fits its type; the value of each is checked in
the scope of the call."""

from __future__ import annotations

from compiler.check.references import References
from compiler.check.scopes import Scope
from compiler.check.symbols import FormulaInfo
from compiler.check.type_rules import fits, require_exact
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span, did_you_mean
from compiler.model import ir

Given = tuple[str, ir.Expr, Span]  # the input's key, its value, where the drafter gave it


class Calls(References):
    """The formula calls of the expression checker (compiler/check/expressions.py), its base class."""

    def expr(self, e: s.Expr, scope: Scope, expected: ir.Type | None = None) -> ir.Expr:
        raise NotImplementedError  # ExprChecker's

    def formula_of(self, name: s.Name, scope: Scope) -> ir.Expr | None:
        found = self._head(name, scope)
        if found is None:
            return None
        formula, first = found
        return self._apply(formula, first, (), name.span)

    def _call(self, e: s.Call, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        head = e.head
        if isinstance(head, s.CallOf):
            formula = self._named(head.name)
            first = self._value_of(formula, 0, head.first, scope, head.first.span)
            found: tuple[FormulaInfo, Given | None] | None = (formula, first)
        elif isinstance(head, s.Ref):
            found = self._head(head.name, scope)
            if found is None:
                self._named(head.name.segments[0])  # raises: no such formula
        else:
            found = None
        if found is None:
            raise self.fail(
                "only a formula is given inputs with 'given'",
                e.span,
                "name a formula declared with 'Formula ...', as in 'the two-bracket tax of the salary, given ...'",
            )
        named, first_given = found
        given = tuple(self._argument(named, arg, scope) for arg in e.args)
        return self._apply(named, first_given, given, e.span)

    def _callof(self, e: s.CallOf, scope: Scope, expected: ir.Type | None) -> ir.Expr:
        formula = self._named(e.name)
        first = self._value_of(formula, 0, e.first, scope, e.first.span)
        return self._apply(formula, first, (), e.span)

    # ---------------------------------------------------------------- the parts of a call

    def _head(self, name: s.Name, scope: Scope) -> tuple[FormulaInfo, Given | None] | None:
        """The formula a name starts with, and its first input's value when the name gives one after "of"."""
        segments = name.segments
        for cut in range(len(segments), 0, -1):
            formula = self.sym.formulas.get(s.join_names(segments[:cut]).key)
            if formula is None:
                continue
            if cut == len(segments):
                return formula, None
            if not formula.of_input:
                raise self.fail(
                    f"the formula '{formula.label}' takes all its inputs after 'given', none after 'of'",
                    name.span,
                    f"write 'the {formula.label}, given {_listed(formula)}'",
                )
            rest = s.join_names(segments[cut:])
            value = self.ref(rest, scope, formula.inputs[0][1].type)
            return formula, self._checked(formula, 0, value, rest.span)
        return None

    def _named(self, name: s.Name) -> FormulaInfo:
        formula = self.sym.formulas.get(name.key)
        if formula is None:
            raise self.fail(
                f"'{name.text}' is not a formula of this statute",
                name.span,
                did_you_mean(name.key, list(self.sym.formulas)) or "declare it: 'Formula the ... of a ...: ...'",
            )
        return formula

    def _argument(self, formula: FormulaInfo, arg: s.FormulaArg, scope: Scope) -> Given:
        """ "a threshold of 10,000 EUR", "a lower rate of the standard rate": which input, and its value."""
        keys = [key for key, _ in formula.inputs]
        if arg.value is not None:
            if arg.name.key not in keys:
                raise self._unknown_input(formula, arg.name)
            return self._value_of(formula, keys.index(arg.name.key), arg.value, scope, arg.span)
        segments = arg.name.segments
        for cut in range(1, len(segments)):
            key = s.join_names(segments[:cut]).key
            if key in keys:
                rest = s.join_names(segments[cut:])
                value = self.ref(rest, scope, formula.inputs[keys.index(key)][1].type)
                return self._checked(formula, keys.index(key), value, arg.span)
        if arg.name.key in keys:
            raise self.fail(
                f"the {arg.name.text} of the {formula.label} is given no value",
                arg.span,
                f"write it after 'of': 'a {arg.name.text} of ...'",
            )
        raise self._unknown_input(formula, segments[0])

    def _unknown_input(self, formula: FormulaInfo, name: s.Name) -> Exception:
        return self.fail(
            f"the formula '{formula.label}' has no input '{name.text}'",
            name.span,
            did_you_mean(name.key, [key for key, _ in formula.inputs]) or f"its inputs are: {_listed(formula)}",
        )

    def _value_of(self, formula: FormulaInfo, at: int, value: s.Expr, scope: Scope, span: Span) -> Given:
        return self._checked(formula, at, self.expr(value, scope, formula.inputs[at][1].type), span)

    def _checked(self, formula: FormulaInfo, at: int, value: ir.Expr, span: Span) -> Given:
        key, wanted = formula.inputs[at]
        if not fits(value.type, wanted.type):
            raise self.fail(
                f"the {wanted.label} of the {formula.label} is {wanted.type.describe()}, "
                f"but this is {value.type.describe()}",
                span,
            )
        require_exact(value, span)
        return key, value, span

    def _apply(self, formula: FormulaInfo, first: Given | None, given: tuple[Given, ...], span: Span) -> ir.Expr:
        """The call, its values in the order the formula declares its inputs: each input given once."""
        values: dict[str, ir.Expr] = {}
        for key, value, where in (*([first] if first is not None else []), *given):
            if key in values:
                raise self.fail(f"the {key} of the {formula.label} is given twice", where)
            values[key] = value
        missing = [_a(key) for key, _ in formula.inputs if key not in values]
        if missing:
            raise self.fail(
                f"the {formula.label} needs {_joined(missing)}, which {'is' if len(missing) == 1 else 'are'} not given",
                span,
                f"give every input: 'the {formula.label}"
                + (" of ..." if formula.of_input else "")
                + f", given {_listed(formula, skip_first=formula.of_input)}'",
            )
        self.sym.used_formulas.add(formula.ident)
        return ir.Call(formula.ident, tuple(values[key] for key, _ in formula.inputs), formula.type, span)


def _listed(formula: FormulaInfo, skip_first: bool = False) -> str:
    inputs = formula.inputs[1:] if skip_first else formula.inputs
    return _joined([f"{_a(key)} of ..." for key, _ in inputs])


def _a(key: str) -> str:
    return f"an {key}" if key[:1] in "aeiou" else f"a {key}"


def _joined(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
