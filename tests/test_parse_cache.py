"""Parsing article by article with a cache folder (compiler.frontend.parse_cache): always the tree a whole parse
gives."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from compiler.foundation import atomic
from compiler.frontend import parse as p
from compiler.frontend import parse_cache
from compiler.frontend.diagnostics import StatuteError

ROOT = Path(__file__).parent.parent
STATUTES = sorted(ROOT.glob("statutes/*.statute"))
FILE = "cached.statute"


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The user's key for the caches' HMACs (compiler.frontend.parse_cache) kept in a folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))


@pytest.fixture
def parsed_parts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The texts of the parts parsed (not read from the cache), in order."""
    seen: list[str] = []
    original = p._Parts.items

    def counted(self: p._Parts, text: str, lines_before: int, chars_before: int) -> parse_cache.Part | None:
        seen.append(text)
        return original(self, text, lines_before, chars_before)

    monkeypatch.setattr(p._Parts, "items", counted)
    return seen


@pytest.mark.parametrize("path", STATUTES, ids=lambda path: path.name)
def test_cold_and_warm_parses_give_the_whole_parse(path: Path, tmp_path: Path, parsed_parts: list[str]) -> None:
    source = path.read_text(encoding="utf-8")
    whole = p.parse(source, FILE)
    assert p.parse(source, FILE, tmp_path) == whole
    parts = len(parsed_parts)
    assert parts == len(whole.articles) + 1  # the text before the first article, then each article
    assert p.parse(source, FILE, tmp_path) == whole
    assert len(parsed_parts) == parts  # the second time, nothing is parsed


def test_an_edit_parses_one_article_and_moves_the_spans_after_it(tmp_path: Path, parsed_parts: list[str]) -> None:
    source = STATUTES[0].read_text(encoding="utf-8")
    p.parse(source, FILE, tmp_path)
    first = source.index("\nArticle ") + 1
    second = source.index("\nArticle ", first) + 1
    edited = source[:second] + "# two lines more\n# before the second article\n" + source[second:]
    parsed_parts.clear()
    result = p.parse(edited, FILE, tmp_path)
    assert result == p.parse(edited, FILE)
    assert len(parsed_parts) == 1 and parsed_parts[0].startswith(source[first:second])


def test_a_statute_with_errors_gets_the_diagnostics_of_a_whole_parse(tmp_path: Path) -> None:
    source = STATUTES[0].read_text(encoding="utf-8")
    broken = source.replace("Rule:", "Rule", 1).replace(" is ", " is is ", 3) + "\nRule: the x is 31 February 2022.\n"
    with pytest.raises(StatuteError) as whole:
        p.parse(broken, FILE)
    for _ in range(2):
        with pytest.raises(StatuteError) as cached:
            p.parse(broken, FILE, tmp_path)
        assert cached.value.diagnostics == whole.value.diagnostics


def test_a_part_that_does_not_end_a_statement_sends_the_statute_to_a_whole_parse(
    tmp_path: Path, parsed_parts: list[str]
) -> None:
    # The record's last field has no full stop: its part ends in 'date', and the parts are not used.
    source = "Each case is about a person.\nA person has:\n  - birth: date\nArticle 1. First\nRule: the x is 1.\n"
    assert p.parse(source, FILE, tmp_path) == p.parse(source, FILE)
    assert parsed_parts[-1].startswith("Article 1.")
    assert not list(tmp_path.iterdir())  # nothing kept


def test_a_damaged_or_planted_cache_file_is_not_used(tmp_path: Path, parsed_parts: list[str]) -> None:
    source = STATUTES[0].read_text(encoding="utf-8")
    whole = p.parse(source, FILE)
    p.parse(source, FILE, tmp_path)
    (store,) = tmp_path.iterdir()
    store.write_bytes(store.read_bytes()[:1000])
    assert p.parse(source, FILE, tmp_path) == whole

    class Planted:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, ("touch PWNED",))

    parts = {key: pickle.dumps(Planted()) for key in _stored_keys(store)}
    store.write_bytes(pickle.dumps((parse_cache._version(), parts)))
    parsed_parts.clear()
    assert p.parse(source, FILE, tmp_path) == whole
    assert len(parsed_parts) == len(whole.articles) + 1  # every part parsed again
    assert not Path("PWNED").exists()


def test_a_cache_of_another_compiler_version_is_not_used(
    tmp_path: Path, parsed_parts: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = STATUTES[0].read_text(encoding="utf-8")
    p.parse(source, FILE, tmp_path)
    monkeypatch.setattr(parse_cache, "_version", lambda: "another")
    parsed_parts.clear()
    assert p.parse(source, FILE, tmp_path) == p.parse(source, FILE)
    assert parsed_parts


def test_the_cache_files_get_the_users_umask_and_the_key_stays_private(tmp_path: Path) -> None:
    mask = os.umask(0o027)
    try:
        p.parse(STATUTES[0].read_text(encoding="utf-8"), FILE, tmp_path)
    finally:
        os.umask(mask)
    (store,) = tmp_path.iterdir()
    assert store.stat().st_mode & 0o777 == 0o640
    key = Path(os.environ["XDG_CACHE_HOME"]) / "statute-compiler" / "cache-key"
    assert key.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("failure", [KeyboardInterrupt(), OSError(28, "No space left on device")], ids=repr)
def test_an_interrupted_write_of_the_cache_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failure: BaseException
) -> None:
    """Killed or out of disk while the new cache file is written: the old one is still there, whole, and no
    temporary file is left beside it."""
    source = STATUTES[0].read_text(encoding="utf-8")
    p.parse(source, FILE, tmp_path)
    (store,) = tmp_path.iterdir()
    old = store.read_bytes()

    def broken(fd: int) -> None:
        raise failure

    monkeypatch.setattr(atomic.os, "fsync", broken)
    edited = source.replace("\nArticle ", "\n# a new line\nArticle ", 1)
    if isinstance(failure, KeyboardInterrupt):
        with pytest.raises(KeyboardInterrupt):
            p.parse(edited, FILE, tmp_path)
    else:
        assert p.parse(edited, FILE, tmp_path) == p.parse(edited, FILE)  # a cache not written is only slower
    assert list(tmp_path.iterdir()) == [store] and store.read_bytes() == old


def _stored_keys(store: Path) -> list[str]:
    """The parts' SHA-256 in a cache file: the lines between the version and the HMAC, each "<sha>\\t<nodes>"."""
    return [line.split("\t", 1)[0] for line in store.read_text(encoding="utf-8").splitlines()[2:-1]]
