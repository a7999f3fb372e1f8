"""Keys of the checked model, made from a drafter's words: what case files, decisions and traces call things.

Only letters, digits and underscores survive, words joined by one underscore, articles dropped; a key never starts
with a digit nor ends with an underscore; clashes get a number. A key is the drafter's word even where Python has a
use for it ("class", "int", "sum"): the Python backend's naming pass (compiler/backends/python/naming.py) chooses the
generated module's identifiers.
"""

from __future__ import annotations

import builtins
import keyword
import re
import sys
import unicodedata

from compiler.frontend.syntax import ARTICLES


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text)
    words = [w for w in re.split(r"[^\w]+", text.lower()) if w and w not in ARTICLES]
    return [re.sub(r"[^0-9a-z_\w]", "", w) for w in words if w]


def _finish(ident: str, reserved: frozenset[str] = frozenset()) -> str:
    ident = re.sub(r"_+", "_", ident).strip("_") or "unnamed"
    if ident[0].isdigit():
        ident = "n_" + ident
    if ident in reserved:
        ident += "_"
    if not ident.isidentifier():  # letters Python does not accept in names
        ident = "x_" + "".join(c if c.isalnum() and c.isascii() else "_" for c in ident)
        ident = re.sub(r"_+", "_", ident).rstrip("_")  # a key never ends with an underscore (naming.py)
    return ident


def snake(text: str) -> str:
    return _finish("_".join(_words(text)))


# Names the generated module's file must not take: a `random.py` (or `hypothesis.py`) written beside its tests shadows
# the package of that name for everything run in that folder: Hypothesis imports random, the module imports decimal,
# so neither the module nor its tests could be imported. Such a statute's module gets a trailing underscore, as a
# keyword does (`random.statute` -> `random_.py`, `test_random_.py`). The set is fixed, not read from what happens to
# be installed, so that a statute compiles to the same file names on every machine: the standard library (lower
# case, for file systems that ignore case; with the modules Python 3.12 and 3.13 removed and those 3.14 added, so
# that every supported version agrees), and what the generated tests import, directly or through pytest and
# Hypothesis.
SHADOWED_MODULES = frozenset(
    {name.lower() for name in sys.stdlib_module_names}
    | {"asynchat", "asyncore", "distutils", "imp", "smtpd"}  # removed in 3.12
    | {"aifc", "audioop", "cgi", "cgitb", "chunk", "crypt", "imghdr", "lib2to3", "mailcap", "msilib", "nis"}
    | {"nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd", "sunau", "telnetlib", "uu", "xdrlib"}  # removed in 3.13
    | {"annotationlib", "compression"}  # added in 3.14
    | {"hypothesis", "pytest", "py", "pluggy", "iniconfig", "packaging", "attr", "attrs", "sortedcontainers"}
    | {"exceptiongroup", "tomli", "typing_extensions", "pygments", "colorama", "conftest"}
)


# A module file is imported by its name: never a keyword or a builtin's name.
_MODULE_RESERVED = frozenset(keyword.kwlist) | frozenset(keyword.softkwlist) | frozenset(dir(builtins))


def module_name(text: str) -> str:
    """The generated module's name, from the statute file's name: `snake`, and never a module's it would shadow."""
    return _finish("_".join(_words(text)), _MODULE_RESERVED | SHADOWED_MODULES)


def upper(text: str) -> str:
    return _finish("_".join(_words(text)).upper())


def pascal(text: str) -> str:
    return _finish("".join(w[:1].upper() + w[1:] for w in _words(text)))


class IdentTable:
    """Hands out identifiers, numbering the second and later uses of the same one."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def take(self, ident: str) -> str:
        candidate, n = ident, 2
        while candidate in self._taken:
            candidate = f"{ident}_{n}"
            n += 1
        self._taken.add(candidate)
        return candidate
