"""The tree builder's methods for scales ("Scale the contribution scale, marginal rates: 2% up to 6,000 EUR; ..." and
"the contribution scale applied to the salary"), apart from compiler.frontend.parse_build to keep each under 400
lines; parse_build's Build takes them in."""

from __future__ import annotations

import re
from typing import Any

from lark import Token

from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Span


class ScaleBuild:
    """The scale rules of the grammar; Build gives the spans."""

    def _span(self, meta: Any) -> Span:
        raise NotImplementedError  # Build's

    def _tok(self, token: Token) -> Span:
        raise NotImplementedError  # Build's

    def scale_decl(self, meta: Any, _scale: Token, ref: s.Ref, kind: Token, *brackets: s.ScaleBracket) -> s.ScaleDecl:
        words = str(kind).lower().split()
        plural = f"{words[0]} {words[-1].rstrip('s')}s"  # "marginal rate" and "marginal rates" mean the same
        return s.ScaleDecl(ref.name, plural, self._tok(kind), tuple(brackets), self._span(meta))

    def scale_bracket(
        self,
        meta: Any,
        value: s.Literal,
        lower_word: Token | None,
        lower: s.Literal | None,
        upper_word: Token | None,
        upper: s.Literal | None,
    ) -> s.ScaleBracket:
        lower_included = lower_word is not None and str(lower_word).lower() == "from"
        upper_included = upper_word is not None and re.match(r"up\s", str(upper_word).lower()) is not None
        return s.ScaleBracket(value, lower, lower_included, upper, upper_included, self._span(meta))

    def scale_applied(self, meta: Any, ref: s.Ref, _applied: Token, base: s.Expr) -> s.ScaleApplied:
        return s.ScaleApplied(ref.name, base, self._span(meta))
