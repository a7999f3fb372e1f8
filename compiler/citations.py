"""Citations of another law as values: "Article 111", "Article 111 part 3", "Article 111 parts 1 to 4",
"Article 228.1 part 3", "Article 3 bis", "Article 106 parts 1 and 2", and lists of them ("Article 255, Article 256
parts 1 to 3, Article 258"): how they are read from text, written back as the law writes them, and tested.

A citation names provisions of a code: an article (its number, a number after a dot as in 228.1, a Latin suffix as
in 3 bis) and, optionally, parts of it. It is held as `CitedProvisions`, a sorted tuple of (article, sub-article,
suffix, part) whole numbers, part 0 meaning the article as a whole: "Article 111 parts 1 and 2" is
((111, 0, 0, 1), (111, 0, 0, 2)). Its meaning is a set of provisions:

- "Article 111" is the whole article, every part of it, whether or not a part is named;
- "Article 111 part 3" is that part only;
- an offence cited without its part ("Article 111" in a case) is the whole article, so it is within "Article 111"
  but not within "Article 111 part 3" nor "Article 111 parts 1 to 4": a list naming parts does not cover an
  article whose part is not known;
- "Article 111" and "Article 111.1" and "Article 111 bis" are three different articles.

`within(a, b)`: every provision `a` names is one `b` names; "the offence is one of ..." and "the offence is ..."
ask it. The compiler (checked literals, explanations, registers) and every generated module read and write
citations alike because they run this same code: the Python backend copies the part between the two `runtime:`
markers into every generated module (as it does compiler/values.py). The reference interpreter reads and tests
citations with its own code (compiler/interpret/values.py), the oracle this one is tested against.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from typing import Final

from compiler.values import _shown

# --- runtime: begin ---

# The Latin suffixes of an article inserted after another ("Article 3 bis" is the second article 3), by rank.
CITATION_SUFFIXES: Final = ("", "", "bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies")
_CITATION_ITEM: Final = re.compile(
    r"\s*article\s+(\d{1,6})(?:\.(\d{1,6}))?(?:\s+(bis|ter|quater|quinquies|sexies|septies|octies|novies)\b)?"
    r"(?:\s+(parts?)\s+(\d{1,6}(?:\s+to\s+\d{1,6})?(?:(?:\s*,\s*|\s+and\s+)\d{1,6}(?:\s+to\s+\d{1,6})?)*))?\s*",
    re.IGNORECASE,
)
_CITATION_PARTS: Final = re.compile(r"\s*,\s*|\s+and\s+", re.IGNORECASE)


@dataclasses.dataclass(frozen=True, slots=True)
class CitedProvisions:
    """The provisions a citation names: sorted (article, sub-article, suffix, part) items, part 0 for a whole
    article; a whole article's parts are not listed beside it. Equal when they name the same provisions."""

    items: tuple[tuple[int, int, int, int], ...]

    @property
    def text(self) -> str:
        """ "Article 111 parts 1 to 4": how the law writes it (a message shows a value's text)."""
        return citation_text(self)


def cited(items: Iterable[tuple[int, int, int, int]]) -> CitedProvisions:
    """The normal form of a set of (article, sub-article, suffix, part) items: sorted, without repeats, and without
    the parts of an article cited as a whole."""
    found = set(items)
    whole = {item[:3] for item in found if item[3] == 0}
    return CitedProvisions(tuple(sorted(item for item in found if item[3] == 0 or item[:3] not in whole)))


def parse_citation(value: object, *, single: bool = False) -> CitedProvisions:
    """A citation as the law writes it, "Article 228.1 part 3" or a list "Article 255, Article 256 parts 1 to 3".
    With `single`, as a case gives an offence: one article, and at most one part of it. ValueError says what is
    wrong in a drafter's terms."""
    if not isinstance(value, str):
        raise ValueError(f'expected a citation such as "Article 111 part 3", not {_shown(value)}')
    items: list[tuple[int, int, int, int]] = []
    for piece in _citation_pieces(value):
        found = _CITATION_ITEM.fullmatch(piece)
        if found is None:
            raise ValueError(f'{_shown(piece.strip())} is not a citation such as "Article 111 part 3"')
        article, sub, suffix, word, parts = found.groups()
        key = (int(article), int(sub or 0), CITATION_SUFFIXES.index(suffix.lower()) if suffix else 0)
        if min(key[0], key[1] if sub else 1) == 0:
            raise ValueError(f"{_shown(piece.strip())}: articles are numbered from 1")
        numbers = _citation_part_numbers(piece.strip(), word, parts)
        items.extend((*key, part) for part in numbers)
    if single and len(items) != 1:
        raise ValueError(f"expected one article and at most one part of it, not {_shown(value.strip())}")
    return cited(items)


def parse_cited(value: object) -> CitedProvisions:
    """An offence as a case gives it: "Article 228.1 part 3", one article and at most one part of it."""
    return parse_citation(value, single=True)


def _citation_pieces(text: str) -> list[str]:
    """The citations of a list: a comma starts a new one only before the word "article"."""
    return re.split(r",(?=\s*article\b)", text, flags=re.IGNORECASE) if text.strip() else [text]


def _citation_part_numbers(piece: str, word: str | None, parts: str | None) -> list[int]:
    if word is None or parts is None:
        return [0]
    numbers: list[int] = []
    for item in _CITATION_PARTS.split(parts):
        low, _, high = item.lower().partition(" to ")
        first, last = int(low), int(high or low)
        if first == 0 or last < first:
            raise ValueError(f"{_shown(piece)}: parts are numbered from 1 and a range runs upwards")
        if last - first > 999:
            raise ValueError(f"{_shown(piece)}: a range of parts is at most 1,000 parts")
        numbers.extend(range(first, last + 1))
    if (word.lower() == "part") != (len(numbers) == 1):
        raise ValueError(f"{_shown(piece)}: write 'part' before one part and 'parts' before several")
    return numbers


def within(inner: CitedProvisions, outer: CitedProvisions) -> bool:
    """Every provision `inner` names is one `outer` names: a part is within its whole article or that very part; a
    whole article only within the whole article."""
    named = set(outer.items)
    return all(item in named or (*item[:3], 0) in named for item in inner.items)


def cited_within(inner: CitedProvisions, outers: tuple[CitedProvisions, ...]) -> bool:
    """ "the offence is one of A, B": within A and B taken together."""
    return within(inner, outers[0] if len(outers) == 1 else cited(item for o in outers for item in o.items))


def citation_text(value: CitedProvisions) -> str:
    """The law's own form: "Article 111 parts 1 to 4", "Article 106 parts 1 and 2", "Article 228.1 part 3",
    "Article 3 bis", several citations joined by commas."""
    articles: dict[tuple[int, int, int], list[int]] = {}
    for *key, part in value.items:
        articles.setdefault((key[0], key[1], key[2]), []).append(part)
    out = []
    for (article, sub, suffix), parts in articles.items():
        head = f"Article {article}" + (f".{sub}" if sub else "") + (f" {CITATION_SUFFIXES[suffix]}" if suffix else "")
        numbered = [p for p in parts if p]
        runs = citation_runs(numbered)
        if not runs:
            out.append(head)
            continue
        words = [w for a, b in runs for w in ([f"{a} to {b}"] if b > a + 1 else [str(n) for n in range(a, b + 1)])]
        listed = ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]
        out.append(f"{head} {'parts' if len(numbered) > 1 else 'part'} {listed}")
    return ", ".join(out)


def citation_runs(parts: list[int]) -> list[tuple[int, int]]:
    """Sorted part numbers as runs of consecutive ones: [1, 2, 3, 5] -> [(1, 3), (5, 5)]."""
    runs: list[tuple[int, int]] = []
    for part in parts:
        if runs and part == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], part)
        else:
            runs.append((part, part))
    return runs


# --- runtime: end ---
