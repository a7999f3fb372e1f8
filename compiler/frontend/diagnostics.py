"""Source positions and the messages a drafter reads: file:line:column, the line, a caret, a hint."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

# One sanitiser for every line printed (compiler.foundation.inert): a control character, a direction mark or a line
# break from the statute is shown as one visible character, so it can neither drive the terminal nor shift the caret.
from compiler.foundation.inert import visible as visible
from compiler.foundation.wording import counted


@dataclass(frozen=True)
class Span:
    """Where a piece of the statute stands: 1-based lines and columns, 0-based character offsets."""

    file: str
    line: int
    column: int
    end_line: int
    end_column: int
    start: int
    end: int

    @staticmethod
    def unknown(file: str = "<statute>") -> Span:
        return Span(file, 1, 1, 1, 1, 0, 0)

    def to(self, other: Span) -> Span:
        """The span from the start of this one to the end of `other`."""
        return Span(
            self.file,
            self.line,
            self.column,
            other.end_line,
            other.end_column,
            self.start,
            other.end,
        )


class Severity(Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Diagnostic:
    severity: Severity
    message: str
    span: Span
    hint: str | None = None
    article: str | None = None  # "Article 5. Persons to whom the amnesty does not apply"

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


def error(message: str, span: Span, hint: str | None = None, article: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.ERROR, message, span, hint, article)


def warning(message: str, span: Span, hint: str | None = None, article: str | None = None) -> Diagnostic:
    return Diagnostic(Severity.WARNING, message, span, hint, article)


class StatuteError(Exception):
    """Raised by a stage that cannot go on; carries every diagnostic found so far."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(diagnostics)
        super().__init__("\n".join(d.message for d in self.diagnostics))


def did_you_mean(word: str, candidates: Iterable[str]) -> str | None:
    """A hint naming the closest known word, if one is close enough to be a likely typo."""
    matches = difflib.get_close_matches(word, sorted(set(candidates)), n=1, cutoff=0.75)
    return f"did you mean '{matches[0]}'?" if matches else None


@dataclass(frozen=True)
class Style:
    """Terminal colours; empty strings when colour is off."""

    bold: str = ""
    red: str = ""
    yellow: str = ""
    cyan: str = ""
    reset: str = ""

    @staticmethod
    def coloured() -> Style:
        return Style("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[36m", "\x1b[0m")


MAX_SHOWN = 100  # diagnostics printed for one file; a closing line counts the rest


def source_lines(source: str) -> list[str]:
    """The lines of `source` as the parser counts them: only a line feed ends one (a stray carriage return or U+2028
    does not)."""
    return source.removeprefix("\ufeff").split("\n")


def render(diagnostic: Diagnostic, source: str | list[str], style: Style = Style()) -> str:
    """The diagnostic as a drafter sees it, with the offending line underlined. `source` may be given already split
    by source_lines, so that many diagnostics of one file split it once."""
    span = diagnostic.span
    colour = style.red if diagnostic.is_error else style.yellow
    lines = [
        f"{style.bold}{visible(span.file)}:{span.line}:{span.column}: "
        f"{colour}{diagnostic.severity.value}{style.reset}{style.bold}: {visible(diagnostic.message)}{style.reset}"
    ]
    if diagnostic.article:
        lines.append(f"  in {visible(diagnostic.article)}")
    all_lines = source_lines(source) if isinstance(source, str) else source
    if 1 <= span.line <= len(all_lines):
        text = visible(all_lines[span.line - 1].removesuffix("\r"))
        width = len(text)
        first = max(span.column, 1)
        last = span.end_column - 1 if span.end_line == span.line else width
        last = max(first, min(last, width))
        gutter = f"{span.line:>5} | "
        lines.append(gutter + text)
        lines.append(" " * (len(gutter) + first - 1) + colour + "^" * (last - first + 1) + style.reset)
    if diagnostic.hint:
        lines.append(f"  {style.cyan}hint{style.reset}: {visible(diagnostic.hint)}")
    return "\n".join(lines)


def render_all(
    diagnostics: Iterable[Diagnostic], source: str, style: Style = Style(), limit: int | None = MAX_SHOWN
) -> str:
    """The diagnostics of one file, the source split once for all of them; past `limit`, one closing line says how
    many more there are (thousands of the same mistake bury the first, which is the one to fix)."""
    shown = list(diagnostics)
    hidden = shown[limit:] if limit is not None else []
    lines = source_lines(source)
    text = "\n\n".join(render(d, lines, style) for d in shown[: len(shown) - len(hidden)])
    if hidden:
        errors = sum(1 for d in hidden if d.is_error)
        warnings = len(hidden) - errors
        more = " and ".join(
            counted(n, f"more {word}", f"more {word}s") for n, word in ((errors, "error"), (warnings, "warning")) if n
        )
        text += f"\n\n... {more} not shown (at most {limit} diagnostics are shown for a file)"
    return text
