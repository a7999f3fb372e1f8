"""The syntax tree builder's methods for formulas (docs/language.md section 10, "Formulas"): the declaration, its
cases, and a call with its inputs. A part of compiler.frontend.parse_build's Build, apart to keep each under 400
lines."""

from __future__ import annotations

from typing import Any

from lark import Token

from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span
from compiler.frontend.lark_build import Node
from compiler.frontend.parse_literals import BadLiteral


class FormulaBuild:
    """The methods of the formula rules; Build gives `_span`."""

    def _span(self, meta: Node) -> Span:
        raise NotImplementedError

    def formula(self, meta: Any, keyword: Token, name: s.Name, first: s.TypeExpr | None, *rest: Any) -> s.Formula:
        """ "Formula the two-bracket tax of an income: money, given ...": the first input, when its type follows the
        name, is the name's last "of a/an/the ..." (its article says where the formula's own name ends)."""
        span = self._span(meta)
        *given, result, cases = (x for x in rest if not isinstance(x, Token))
        inputs: list[s.FormulaInput] = [x for x in given if isinstance(x, s.FormulaInput)]
        if first is not None:
            name, word = _split_first(name, span)
            inputs.insert(0, s.FormulaInput(word, first, word.span.to(first.span)))
        return s.Formula(name, tuple(inputs), first is not None, result, cases, span)

    def formula_input(self, meta: Any, name: s.Name, type_: s.TypeExpr) -> s.FormulaInput:
        return s.FormulaInput(name, type_, self._span(meta))

    def formula_single(self, meta: Any, value: s.Expr) -> tuple[s.FormulaCase, ...]:
        return (s.FormulaCase(value, None, self._span(meta)),)

    def formula_cases(self, meta: Any, *cases: s.FormulaCase) -> tuple[s.FormulaCase, ...]:
        return tuple(cases)

    def formula_case(self, meta: Any, value: s.Expr, condition: s.Expr) -> s.FormulaCase:
        return s.FormulaCase(value, condition, self._span(meta))

    def formula_otherwise(self, meta: Any, value: s.Expr) -> s.FormulaCase:
        return s.FormulaCase(value, None, self._span(meta))

    def call(self, meta: Any, head: s.Expr, _given: Token, *args: s.FormulaArg) -> s.Call:
        return s.Call(head, tuple(args), self._span(meta))

    def formula_arg(self, meta: Any, name: s.Name, _of: Token | None, value: s.Expr | None) -> s.FormulaArg:
        return s.FormulaArg(name, value, self._span(meta))

    def call_of(self, meta: Any, name: s.Name, _of: Token, first: s.Expr) -> s.CallOf:
        return s.CallOf(name, first, self._span(meta))


def _split_first(name: s.Name, span: Span) -> tuple[s.Name, s.Name]:
    """ "two-bracket tax of an income" -> ("two-bracket tax", "income"): cut at the last "of" an article follows."""
    words = name.words
    for at in range(len(words) - 2, 0, -1):
        if words[at].lower() == "of" and words[at + 1].lower() in s.ARTICLES and at + 2 < len(words):
            return s.Name(words[:at], name.span), s.Name(words[at + 2 :], name.span)
    raise BadLiteral(
        f"'{name.text}' does not say what the formula's first input is",
        name.span,
        "write the first input after 'of' and an article, with its type: "
        "'Formula the two-bracket tax of an income: money, ...', or give every input after 'given'",
    )
