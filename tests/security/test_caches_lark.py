"""Issue 11, 1: Lark's parser cache was an unrestricted pickle at a predictable path in the shared temp folder.

`Lark(..., cache=True)` read `<temp>/.lark_cache_<user>_<sha>_<python>.tmp` with pickle.load, so another local user
could plant a pickle there (code run as the next user of `statute check`) or a symlink (Lark's write of the cache
followed it and overwrote the link's target). The parser now reads its tables from the package
(compiler/frontend/parse_tables.json) and writes nothing. Each test plants the file at the very path the old call used:
the path Lark itself computes, found by making that call once with the temp folder pointed at the test's folder.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lark import Lark

from compiler.frontend import parse as p
from compiler.frontend.grammar import grammar_text

SOURCE = (Path(__file__).parents[2] / "statutes" / "kz_amnesty_2022.statute").read_text(encoding="utf-8")


@pytest.fixture
def shared_temp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The temp folder, as another user could write it; the parser built afresh in it, and again after the test."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    _fresh_parser()
    yield temp
    _fresh_parser()


def _fresh_parser() -> None:
    p.parser.cache_clear()
    p._shapes.cache_clear()


def _old_cache_path(temp: Path) -> Path:
    """Where the old `Lark(..., cache=True)` call kept its pickle (Lark writes it there: no guessing its format)."""
    Lark(grammar_text(), parser="lalr", lexer="contextual", maybe_placeholders=True, cache=True)
    (path,) = temp.glob(".lark_cache_*")
    return path


class _Planted:
    def __init__(self, sentinel: Path) -> None:
        self.sentinel = sentinel

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.mkdir, (str(self.sentinel),))


def test_a_pickle_planted_at_the_old_temp_path_is_never_loaded(shared_temp: Path, tmp_path: Path) -> None:
    path = _old_cache_path(shared_temp)
    sentinel = tmp_path / "PWNED"
    first_line = path.read_bytes().split(b"\n", 1)[0]  # the grammar's hash: Lark checks it, then unpickles
    path.write_bytes(first_line + b"\n" + pickle.dumps(_Planted(sentinel)) + pickle.dumps(_Planted(sentinel)))
    assert p.parse(SOURCE, "kz.statute").articles
    assert not sentinel.exists()


def test_a_symlink_planted_at_the_old_temp_path_is_never_followed(shared_temp: Path, tmp_path: Path) -> None:
    path = _old_cache_path(shared_temp)
    path.unlink()
    victim = tmp_path / "thesis.txt"
    victim.write_text("the user's own work\n", encoding="utf-8")
    path.symlink_to(victim)
    assert p.parse(SOURCE, "kz.statute").articles
    assert victim.read_text(encoding="utf-8") == "the user's own work\n"
    assert path.is_symlink() and not list(shared_temp.glob(".lark_cache_*.tmp.*"))


def test_the_parser_writes_nothing_in_the_temp_folder(shared_temp: Path) -> None:
    assert p.parse(SOURCE, "kz.statute").articles
    assert not list(shared_temp.iterdir())
