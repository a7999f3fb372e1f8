"""The statute grammar's text (grammar/statute.lark), read in one place.

A leaf module: the parser (compiler.frontend.parse), its shipped tables (compiler.frontend.parse_tables) and the parse
cache (compiler.frontend.parse_cache) all read the grammar, and none of them needs another to do it."""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def grammar_text() -> str:
    """The grammar: grammar/statute.lark in a source tree, or the copy installed with the package."""
    here = Path(__file__).resolve().parents[2] / "grammar" / "statute.lark"
    if here.exists():
        return here.read_text(encoding="utf-8")
    return resources.files("compiler.frontend").joinpath("statute.lark").read_text(encoding="utf-8")
