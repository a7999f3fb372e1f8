"""What the checker's passes share, and what each of them hands back.

check.py builds one CheckContext for a statute and gives it to each pass in turn (declarations, rules, examples,
guarantees, requirements). A pass reads the statute and the symbols through it, keeps the problems it finds in its
own Diagnostics, and returns a Passed: its result and those diagnostics, in the order found. No pass reports into
another's list or keeps state another pass reads; check.py puts the diagnostics together in the order the passes ran,
so that a drafter sees the same messages in the same order whichever pass found them.

Two parts of the context are shared and grow as the passes run, on purpose:
- `symbols`, the table of what the statute declares. The declarations pass fills it, and check.py adds the yes/no
  predicates the rules pass discovers; the expression checker records in it which facts and parameters are used
  (read by the final "never used" warnings). Every other pass only reads it.
- `idents`, the one namespace of the generated module's identifiers: a rule's or a predicate's name must not take
  a name a record or a parameter already has, whichever pass chose it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from compiler.check.constants import constant_value
from compiler.check.expressions import ExprChecker
from compiler.check.symbols import Symbols
from compiler.frontend import syntax as s
from compiler.frontend.diagnostics import Diagnostic, Span
from compiler.model import ir
from compiler.model.idents import IdentTable

T = TypeVar("T")
R = TypeVar("R")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class CheckContext:
    """The statute being checked, its symbols, the expression checker over them and the identifiers taken."""

    statute: s.Statute
    symbols: Symbols
    idents: IdentTable
    exprs: ExprChecker

    @classmethod
    def start(cls, statute: s.Statute) -> CheckContext:
        """The context before any pass has run: no symbols, no identifiers taken."""
        symbols = Symbols()
        return cls(statute, symbols, IdentTable(), ExprChecker(symbols))

    def statements(self, kind: type[T]) -> list[T]:
        """The statute's statements of one kind, in the order written."""
        return [x for x in self.statute.statements if isinstance(x, kind)]

    def words(self, span: Span) -> str:
        """The drafter's text at `span`, exactly as written."""
        return self.statute.source[span.start : span.end]

    def header_value(self, key: str) -> str | None:
        """The value of a header line ("Title: ...", "Currency: KZT"), or None if the statute has none."""
        return next((h.value for h in self.statements(s.Header) if h.key == key), None)

    def constant(self, e: ir.Expr) -> ir.Value | None:
        """The value of `e` if it needs no fact of a case (a literal, a parameter, arithmetic on them); else None."""
        return constant_value(e, self.symbols)

    @property
    def root_label(self) -> str:
        """The name of the record a case is about ("person"), once the declarations pass has found it."""
        return self.symbols.records[self.symbols.root].label


class Diagnostics:
    """The problems one pass has found, in the order found, each placed in its article."""

    def __init__(self) -> None:
        self._found: list[Diagnostic] = []

    def add(self, d: Diagnostic, article: s.Article | None = None) -> None:
        """Keep `d`; inside an article, the article's heading goes with it unless it already names one."""
        if article is not None and d.article is None:
            d = Diagnostic(d.severity, d.message, d.span, d.hint, article.heading)
        self._found.append(d)

    def passed(self, result: R) -> Passed[R]:
        """The pass's result with the diagnostics found so far."""
        return Passed(result, tuple(self._found))

    @property
    def found(self) -> tuple[Diagnostic, ...]:
        return tuple(self._found)


@dataclass(frozen=True)
class Passed(Generic[T_co]):
    """What a pass returns: its result, and the diagnostics it found (errors and warnings, in the order found)."""

    result: T_co
    diagnostics: tuple[Diagnostic, ...]
