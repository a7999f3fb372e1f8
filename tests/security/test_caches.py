"""Issue 11, 1: `--cache DIR` (compiler/frontend/parse_cache.py) must only ever make a run faster.

The old cache kept each article's syntax nodes as a pickle read by a restricted unpickler that admitted
fractions.Fraction. Each attack of the finding is planted here as the finding planted it, a pickle in the old format
under the SHA-256 of the article's text (`pickle`), and as it could be planted now: a cache file of the new format
signed with another user's key (`foreign`: copied from someone else's cache, or written by another user) and, where
the content itself is hostile, signed with the user's own key (`own key`: the second wall, the check of every node's
class and values). Whatever is planted, the command gives what it gives without a cache: the same module, byte for
byte, the same diagnostics, no code run.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import subprocess
import sys
from collections.abc import Callable, Iterator
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from compiler.commands import cli
from compiler.frontend import parse as p
from compiler.frontend import parse_cache, syntax
from compiler.frontend.diagnostics import Span

GRANT = """\
Title: "Childhood grant act".
Currency: USD.

Each case is about a person.

A person has:
  - age: whole number from 0 to 120.

Article 1. The grant amount

> The grant is 1,000 USD.

Parameter the grant amount: 1,000 USD.

Article 2. Eligibility

> A person aged 18 or more is eligible.

Outcome the status: one of eligible, ineligible; by default ineligible.

Rule: the status is eligible if the age of the person is at least 18.

Article 3. Payment

> An eligible person is paid the grant.

Outcome the grant: money; by default 0 USD.

Rule: the grant is the grant amount if the status is eligible.
"""
PLANTED = ["pickle", "foreign"]
Tamper = Callable[[str, list[Any]], list[Any]]  # a part's text and its items -> the items to plant


@pytest.fixture(autouse=True)
def private_key_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The user's key for the caches' HMACs in a folder of the test's own; the parser as the first run builds it."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg")))
    yield


@pytest.fixture
def statute_file(tmp_path: Path) -> Path:
    path = tmp_path / "grant.statute"
    path.write_text(GRANT, encoding="utf-8")
    return path


# ------------------------------------------------------------------ the attacks


class _Numerator:
    """Pickles as the finding's Fraction: made empty, then its numerator set to a text by pickle's BUILD."""

    def __init__(self, text: str) -> None:
        self.text = text


class _Exponent:
    """Pickles as Fraction("1e300000000"), which Fraction() reads by building a number of 300 million digits."""


def _fraction_with_code(sentinel: Path) -> Tamper:
    def tamper(text: str, items: list[Any]) -> list[Any]:
        code = f"__import__('os').mkdir({str(sentinel)!r})"
        return [_swap_amount(item, _Numerator(code)) if "Parameter" in text else item for item in items]

    return tamper


def _huge_exponent(text: str, items: list[Any]) -> list[Any]:
    return [_swap_amount(item, _Exponent()) if "Parameter" in text else item for item in items]


def _swap_amount(item: Any, amount: Any) -> Any:
    if isinstance(item, syntax.Parameter) and isinstance(item.value, syntax.MoneyLit):
        money = item.value
        return syntax.Parameter(item.name, syntax.MoneyLit(amount, money.currency, money.span), item.span)
    return item


def _another_parse(text: str, items: list[Any]) -> list[Any]:
    """Article 3's entry holds the parse of another Article 3: the grant paid to everyone, 999,999 USD."""
    if not text.startswith("Article 3."):
        return items
    other = text.replace("the grant amount if the status is eligible.", "999,999 USD.")
    lines, chars = GRANT[: GRANT.index(text)].count("\n"), GRANT.index(text)
    part = p._Parts("grant.statute").items(other, lines, chars)
    assert part is not None
    return part.items


# ------------------------------------------------------------------ planting


def _store(cache: Path, statute: Path) -> Path:
    """The cache file of a statute: the same path in the old cache and the new one."""
    return cache / f"{hashlib.sha256(str(statute.resolve()).encode()).hexdigest()[:24]}.parts"


def _planted_parts(source: str, file: str, tamper: Tamper) -> Iterator[tuple[str, parse_cache.Part, int, int]]:
    """(the SHA-256 of each part's text, the part as planted, lines and characters before it)."""
    builder = p._Parts(file)
    for chars, lines, text in parse_cache.parts(source):
        part = builder.items(text, lines, chars)
        assert part is not None
        planted = parse_cache.Part(tamper(text, part.items), part.last_token)
        yield hashlib.sha256(text.encode()).hexdigest(), planted, lines, chars


def plant(how: str, cache: Path, statute: Path, tamper: Tamper, source: str | None = None) -> None:
    """Write the cache file of `statute` (whose text is `source`) with each part's items tampered with."""
    source = statute.read_text(encoding="utf-8") if source is None else source
    cache.mkdir(mode=0o700, exist_ok=True)
    parts = list(_planted_parts(source, str(statute), tamper))
    if how == "pickle":
        blobs = {digest: _old_blob(part, lines, chars) for digest, part, lines, chars in parts}
        _store(cache, statute).write_bytes(pickle.dumps((parse_cache._version(), blobs)))
        return
    key = os.urandom(32) if how == "foreign" else parse_cache._user_key()
    assert isinstance(key, bytes)
    entries = [f"{digest}\t{_new_entry(part, lines, chars)}" for digest, part, lines, chars in parts]
    body = "\n".join([parse_cache._MAGIC, parse_cache._version(), *entries]).encode()
    _store(cache, statute).write_bytes(body + b"\n" + parse_cache._mac(key, body).encode() + b"\n")


def _new_entry(part: parse_cache.Part, lines: int, chars: int) -> str:
    """The new format's entry, with the attacks' values written as the hostile text a file could hold."""
    entry = parse_cache._freeze(
        parse_cache.Part([_json_safe(item) for item in part.items], part.last_token), lines, chars
    )
    return entry.replace('"99/7"', '"1e300000000"').replace('"98/11"', "\"__import__('os').getcwd()\"")


def _json_safe(item: Any) -> Any:
    if isinstance(item, syntax.Parameter) and isinstance(item.value, syntax.MoneyLit):
        amount = item.value.amount
        stand_in = {_Exponent: Fraction(99, 7), _Numerator: Fraction(98, 11)}.get(type(amount))
        return _swap_amount(item, stand_in) if stand_in is not None else item
    return item


def _old_blob(part: parse_cache.Part, lines: int, chars: int) -> bytes:
    """A part as the old cache wrote it: syntax nodes as (class, fields), spans through compiler.frontend.parse_cache's
    _span_in_part, relative to the part. Written at protocol 2, whose GLOBAL opcode names a function as plain text,
    so that the stand-ins below can be renamed to the old module's functions, which no longer exist."""
    buffer = io.BytesIO()
    _OldWriter(buffer, lines, chars).dump((part.items, part.last_token))
    blob = buffer.getvalue()
    here = _span_in_part.__module__.encode()
    return blob.replace(b"c" + here + b"\n_span_in_part\n", b"ccompiler.parse_cache\n_span_in_part\n").replace(
        b"c" + here + b"\n_unknown_span\n", b"ccompiler.parse_cache\n_unknown_span\n"
    )


def _span_in_part(*position: int) -> Span:
    raise NotImplementedError


def _unknown_span() -> Span:
    raise NotImplementedError


class _OldWriter(pickle.Pickler):
    def __init__(self, out: io.BytesIO, lines: int, chars: int) -> None:
        super().__init__(out, protocol=2)
        self.lines, self.chars = lines, chars

    def reducer_override(self, value: Any) -> Any:
        if isinstance(value, Span):
            if value == Span.unknown(value.file):
                return _unknown_span, ()
            where = (value.line - self.lines, value.column, value.end_line - self.lines, value.end_column)
            return _span_in_part, (*where, value.start - self.chars, value.end - self.chars)
        if isinstance(value, _Numerator):
            return Fraction, (), (None, {"_numerator": value.text, "_denominator": 1})
        if isinstance(value, _Exponent):
            return Fraction, ("1e300000000",)
        if type(value).__module__ == syntax.__name__ and hasattr(value, "__dataclass_fields__"):
            return type(value), tuple(getattr(value, name) for name in value.__dataclass_fields__)
        return NotImplemented


# ------------------------------------------------------------------ running


def compile_module(statute: Path, out: Path, cache: Path | None, capsys: pytest.CaptureFixture[str]) -> bytes:
    args = ["compile", str(statute), "-o", str(out)] + (["--cache", str(cache)] if cache else [])
    assert cli.main(args) == 0, capsys.readouterr().err
    return (out / "grant.py").read_bytes()


def imported(out: Path) -> None:
    """Import the module written, as its user would, in a process of its own."""
    code = f"import sys; sys.path.insert(0, {str(out)!r}); import grant"
    subprocess.run([sys.executable, "-I", "-c", code], check=False, capture_output=True, timeout=60)


@pytest.mark.parametrize("how", PLANTED)
def test_a_fraction_holding_code_is_never_written_into_the_module(
    how: str, statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentinel = tmp_path / "PWNED"
    cold = compile_module(statute_file, tmp_path / "cold", None, capsys)
    plant(how, tmp_path / "cache", statute_file, _fraction_with_code(sentinel))
    warm = compile_module(statute_file, tmp_path / "warm", tmp_path / "cache", capsys)
    imported(tmp_path / "warm")
    assert not sentinel.exists()
    assert warm == cold


@pytest.mark.parametrize("how", ["own key"])
def test_hostile_values_signed_with_the_users_key_are_still_refused(
    how: str, statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second wall: each node's class and value checked, were the key ever known to another."""
    cold = compile_module(statute_file, tmp_path / "cold", None, capsys)
    parsed: list[str] = []
    original = p._Parts.items
    monkeypatch.setattr(p._Parts, "items", lambda self, *a: parsed.append(a[0]) or original(self, *a))
    for tamper in (_fraction_with_code(tmp_path / "PWNED"), _huge_exponent):
        plant(how, tmp_path / "cache", statute_file, tamper)
        parsed.clear()
        assert compile_module(statute_file, tmp_path / "warm", tmp_path / "cache", capsys) == cold
        assert [text for text in parsed if "Parameter" in text]  # the planted part was parsed again
        assert len(parsed) == 1  # and only it: the other entries, signed and sound, were used


@pytest.mark.parametrize("how", PLANTED)
def test_another_articles_parse_is_never_swapped_in(
    how: str, statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cold = compile_module(statute_file, tmp_path / "cold", None, capsys)
    plant(how, tmp_path / "cache", statute_file, _another_parse)
    assert compile_module(statute_file, tmp_path / "warm", tmp_path / "cache", capsys) == cold


@pytest.mark.parametrize("how", PLANTED)
def test_a_syntax_error_never_passes_check(
    how: str, statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = GRANT.replace("is at least 18.", "is at least.")
    statute_file.write_text(broken, encoding="utf-8")
    assert cli.main(["check", str(statute_file)]) == 1
    cold = capsys.readouterr()
    # The entry of the broken article, under the SHA-256 of its broken text, holds the parse of the good one.
    good = dict(
        zip([t for _, _, t in parse_cache.parts(broken)], [t for _, _, t in parse_cache.parts(GRANT)], strict=True)
    )
    plant(how, tmp_path / "cache", statute_file, lambda text, items: items, source=GRANT)
    _rename_entries(tmp_path / "cache", statute_file, good, how)
    assert cli.main(["check", str(statute_file), "--cache", str(tmp_path / "cache")]) == 1
    assert capsys.readouterr() == cold


def _rename_entries(cache: Path, statute: Path, texts: dict[str, str], how: str) -> None:
    """File each entry made for a text of `texts`' values under the SHA-256 of its key instead."""
    store = _store(cache, statute)
    renames = {
        hashlib.sha256(good.encode()).hexdigest(): hashlib.sha256(planted.encode()).hexdigest()
        for planted, good in texts.items()
    }
    if how == "pickle":
        version, blobs = pickle.loads(store.read_bytes())
        store.write_bytes(pickle.dumps((version, {renames.get(k, k): v for k, v in blobs.items()})))
        return
    lines = store.read_text(encoding="utf-8").splitlines()[:-1]
    for old, new in renames.items():
        lines = [new + line[len(old) :] if line.startswith(old) else line for line in lines]
    body = "\n".join(lines).encode()
    store.write_bytes(body + b"\n" + parse_cache._mac(os.urandom(32), body).encode() + b"\n")


@pytest.mark.parametrize("how", [*PLANTED, "own key"])
def test_a_huge_exponent_never_hangs_check(how: str, statute_file: Path, tmp_path: Path) -> None:
    plant(how, tmp_path / "cache", statute_file, _huge_exponent)
    command = [
        sys.executable,
        "-m",
        "compiler.commands.cli",
        "check",
        str(statute_file),
        "--cache",
        str(tmp_path / "cache"),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, env=os.environ.copy())
    assert done.returncode == 0, done.stderr
    assert "4 articles" not in done.stdout and "3 articles" in done.stdout


# ------------------------------------------------------------------ the folder


@pytest.mark.parametrize("how", ["truncated", "empty", "not ours"])
def test_a_damaged_or_foreign_cache_file_gives_the_cold_module(
    how: str, statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cold = compile_module(statute_file, tmp_path / "cold", None, capsys)
    compile_module(statute_file, tmp_path / "fill", tmp_path / "cache", capsys)
    store = _store(tmp_path / "cache", statute_file)
    data = store.read_bytes()
    store.write_bytes({"truncated": data[: len(data) // 2], "empty": b"", "not ours": data.replace(b"18", b"17")}[how])
    assert compile_module(statute_file, tmp_path / "warm", tmp_path / "cache", capsys) == cold


def test_a_folder_others_can_write_is_not_used_and_said_once(
    statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    assert cli.main(["check", str(statute_file), "--cache", str(shared)]) == 0
    err = capsys.readouterr().err
    assert err.count(f"statute: not using the cache folder {shared}: other users can write to it") == 1
    assert not list(shared.iterdir())


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a folder to another user needs root")
def test_a_folder_of_another_user_is_not_used(
    statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o700)
    os.chown(theirs, 65534, 65534)
    assert cli.main(["check", str(statute_file), "--cache", str(theirs)]) == 0
    assert "it belongs to another user" in capsys.readouterr().err
    assert not list(theirs.iterdir())


def test_a_new_cache_folder_is_private(statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The folder and the key are private; the cache's files get the user's umask, as every output
    (compiler/foundation/atomic.py): the folder keeps them from others, and the HMAC keeps a planted one from being
    used."""
    folder = tmp_path / "new" / "cache"
    mask = os.umask(0o022)
    try:
        assert cli.main(["check", str(statute_file), "--cache", str(folder)]) == 0
    finally:
        os.umask(mask)
    assert folder.stat().st_mode & 0o777 == 0o700
    assert [f.stat().st_mode & 0o777 for f in folder.iterdir()] == [0o644]
    key_folder = Path(os.environ["XDG_CACHE_HOME"]) / "statute-compiler"
    assert key_folder.stat().st_mode & 0o777 == 0o700 and (key_folder / "cache-key").stat().st_mode & 0o777 == 0o600


def test_a_symlink_planted_as_the_cache_file_is_not_followed(
    statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cache = tmp_path / "cache"
    cache.mkdir(mode=0o700)
    victim = tmp_path / "thesis.txt"
    victim.write_text("the user's own work\n", encoding="utf-8")
    _store(cache, statute_file).symlink_to(victim)
    assert cli.main(["check", str(statute_file), "--cache", str(cache)]) == 0
    assert victim.read_text(encoding="utf-8") == "the user's own work\n"


def test_a_key_others_can_read_is_not_used(
    statute_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    key_folder = Path(os.environ["XDG_CACHE_HOME"]) / "statute-compiler"
    key_folder.mkdir(mode=0o755)
    key_folder.chmod(0o755)
    assert cli.main(["check", str(statute_file), "--cache", str(tmp_path / "cache")]) == 0
    assert f"the key folder {key_folder}: other users can open it (chmod 700)" in capsys.readouterr().err
    assert not list((tmp_path / "cache").iterdir())
