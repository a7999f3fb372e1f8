"""Every text of an explanation made inert for the format it is rendered in, before a template places it.

An explanation holds untrusted text: the case's values and id, and the statute's own words. Each is escaped here,
once, for its format (compiler.foundation.inert): a template adds only its own words and layout, and so cannot forget
one.

- text: `visible`; a line break inside a value is shown as ⏎, so a value cannot start a line (a fake heading or
  decision); a control character is shown as its picture (ESC as ␛), a direction override as U+FFFD.
- markdown: `markdown`; the same, and no link, image, HTML, heading, list or emphasis can come of a value.
- html: `visible`; Jinja's autoescape makes every value text, and a direction override cannot reorder the page.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final, TypeVar

from compiler.foundation.inert import escaped, markdown, visible, visible_lines

T = TypeVar("T")

_ESCAPES: Final[dict[str, Callable[[str], str]]] = {"text": visible, "markdown": markdown, "html": visible}


def for_format(value: T, fmt: str) -> T:
    """`value` (an explanation, a title, ...) with every text in it escaped for `fmt`."""
    return escaped(value, _ESCAPES[fmt])


def rendered(text: str, fmt: str) -> str:
    """The rendered page, checked once more as a whole: a text explanation holds no character that would act on a
    terminal, whatever its template or translation file holds (a template's own line breaks are kept)."""
    return visible_lines(text) if fmt == "text" else text
