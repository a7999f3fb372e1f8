"""Where each key of a synthesis profile is written: `file:line:column`, so that an error in a profile (a link naming
a field the statute does not have, a value outside the vocabulary) points at its place in the file, as a statute's
diagnostics do. JSON readers give no positions, so the text is walked once more, after `json.loads` has accepted it,
with the standard library's own value scanner."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

Keys = tuple[str | int, ...]  # ("records", "Person", "fields", "sentence_start", "after")
_SPACE = re.compile(r"[ \t\n\r]*")
_VALUES = json.JSONDecoder()


@dataclass(frozen=True)
class Places:
    """The offsets of a profile's keys (and of list items) in its text; `at` gives a key's place as people write it."""

    file: str
    text: str = ""
    offsets: Mapping[Keys, int] = field(default_factory=dict)

    def at(self, keys: Keys) -> str:
        """ "profile.synth.json:57:9" for the deepest of `keys` whose place is known; the file alone when none is."""
        for end in range(len(keys), 0, -1):
            offset = self.offsets.get(keys[:end])
            if offset is not None:
                line = self.text.count("\n", 0, offset) + 1
                column = offset - (self.text.rfind("\n", 0, offset) + 1) + 1
                return f"{self.file}:{line}:{column}"
        return self.file


def places(file: str, text: str) -> Places:
    """The places of every key of `text`, JSON that `json.loads` has accepted (anything else gives no places)."""
    offsets: dict[Keys, int] = {}
    try:
        _value(text, _skip(text, 0), (), offsets)
    except (ValueError, IndexError):  # not JSON after all: errors then name the file only
        offsets.clear()
    return Places(file, text, offsets)


def _skip(text: str, at: int) -> int:
    match = _SPACE.match(text, at)
    assert match is not None  # the pattern matches the empty text
    return match.end()


def _value(text: str, at: int, keys: Keys, offsets: dict[Keys, int]) -> int:
    """Walks the value at `at`, recording the places under it; returns the offset after it."""
    opening = text[at]
    if opening not in "{[":
        return _VALUES.raw_decode(text, at)[1]
    closing, index = ("}" if opening == "{" else "]"), 0
    at = _skip(text, at + 1)
    while text[at] != closing:
        if opening == "{":
            key, after = _VALUES.raw_decode(text, at)
            here: Keys = (*keys, key)
            offsets[here] = at
            at = _skip(text, after) + 1  # past the colon
        else:
            here = (*keys, index)
            index += 1
        at = _skip(text, at)
        offsets.setdefault(here, at)
        at = _skip(text, _value(text, at, here, offsets))
        if text[at] == ",":
            at = _skip(text, at + 1)
    return at + 1
