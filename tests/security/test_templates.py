"""Issue 11, 1: explanation templates and languages run no code, and come only from where the user says.

Templates were rendered by a plain jinja2.Environment and looked up in `<statute folder>/templates`: a
`templates/text.j2` planted beside a statute kept in a shared folder ran `cycler.__init__.__globals__.os...` on the
next `statute explain`. `--lang` was joined to folder names, so `--lang ../../x` loaded `x.json` from beside the
statute, and `--lang fr` was refused only after `statute run` had printed its results.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from compiler.commands import cli
from compiler.explain.render import BUILTIN_I18N
from compiler.population import report

ROOT = Path(__file__).parents[2]
AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"
CASES = ROOT / "statutes" / "kz_amnesty_2022.cases.jsonl"
CASE = ROOT / "tests" / "data" / "explain" / "kz_torture_officer.json"


def payload(sentinel: Path) -> str:
    return f"{{{{ cycler.__init__.__globals__.os.mkdir({str(sentinel)!r}) }}}}\n"


def run(argv: list[str]) -> int:
    """`statute ...` in this process; an argument refused by argparse is its exit status too."""
    try:
        return cli.main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


@pytest.fixture
def shared_folder(tmp_path: Path) -> Path:
    """A folder of statutes anyone can write to, holding the amnesty."""
    folder = tmp_path / "shared"
    folder.mkdir()
    shutil.copy(AMNESTY, folder / AMNESTY.name)
    return folder


def test_a_template_planted_beside_the_statute_is_ignored(
    shared_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["explain", str(AMNESTY), "--case", str(CASE)]) == 0
    expected = capsys.readouterr().out
    sentinel = tmp_path / "PWNED"
    for folder in (shared_folder / "templates", shared_folder / "templates" / AMNESTY.stem):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "text.j2").write_text(payload(sentinel), encoding="utf-8")
    (shared_folder / "templates" / "i18n").mkdir()
    words = json.loads((BUILTIN_I18N / "en.json").read_text(encoding="utf-8")) | {"decision": "Planted words"}
    (shared_folder / "templates" / "i18n" / "en.json").write_text(json.dumps(words), encoding="utf-8")
    status = run(["explain", str(shared_folder / AMNESTY.name), "--case", str(CASE)])
    assert not sentinel.exists()
    assert (status, capsys.readouterr().out) == (0, expected)


@pytest.mark.parametrize("command", ["explain", "run --explain"])
def test_a_hostile_template_the_user_names_cannot_reach_python(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sentinel = tmp_path / "PWNED"
    templates = tmp_path / "templates"
    templates.mkdir()
    for name in ("text.j2", "html.j2", "index.html.j2"):
        (templates / name).write_text(payload(sentinel), encoding="utf-8")
    if command == "explain":
        status = run(["explain", str(AMNESTY), "--case", str(CASE), "--templates", str(templates)])
    else:
        out = tmp_path / "explained"
        status = run(["run", str(AMNESTY), "--cases", str(CASES), "--explain", str(out), "--templates", str(templates)])
    assert not sentinel.exists()
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip().splitlines()[-1].startswith("statute: the template ")
    assert "SecurityError" in err and "Traceback" not in err


def test_the_users_templates_and_words_are_used_in_the_sandbox(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    (templates / "i18n").mkdir(parents=True)
    (templates / "text.j2").write_text("{{ t.decision }}: {{ e.outcomes[0].value }} ({{ lang }})\n", encoding="utf-8")
    (templates / "i18n" / "kk.json").write_text(
        (BUILTIN_I18N / "en.json").read_text(encoding="utf-8").replace('"The decision"', '"Шешім"'), encoding="utf-8"
    )
    assert run(["explain", str(AMNESTY), "--case", str(CASE), "--templates", str(templates), "--lang", "kk"]) == 0
    assert capsys.readouterr().out == "Шешім: excluded (kk)\n"


@pytest.mark.parametrize("lang", ["../../x", "../x", "/tmp/x", "en/../../x", "x.json", "EN"])
def test_a_language_is_a_name_never_a_path(lang: str, shared_folder: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Where '../../x' led from the statute's templates/i18n: x.json beside the statute.
    words = json.loads((BUILTIN_I18N / "en.json").read_text(encoding="utf-8")) | {"decision": "Planted words"}
    (shared_folder / "templates" / "i18n").mkdir(parents=True)
    (shared_folder / "x.json").write_text(json.dumps(words), encoding="utf-8")
    (shared_folder / "templates" / "x.json").write_text(json.dumps(words), encoding="utf-8")
    status = run(["explain", str(shared_folder / AMNESTY.name), "--case", str(CASE), "--lang", lang])
    captured = capsys.readouterr()
    assert status == 2
    assert "Planted words" not in captured.out and captured.out == ""
    assert "is not a language name" in captured.err


def test_an_unknown_language_is_refused_before_any_result(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "explained"
    status = run(["run", str(AMNESTY), "--cases", str(CASES), "--explain", str(out), "--lang", "fr"])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert captured.err.strip() == "statute: no translation for 'fr'; there are: en, ru" + (
        " (a drafter's own: --templates DIR, with DIR/i18n/<lang>.json)"
    )
    assert not out.exists()


def test_a_translation_cannot_read_attributes_through_its_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    (templates / "i18n").mkdir(parents=True)
    (templates / "i18n" / "en.json").write_text(
        json.dumps({"change": "{fact.__class__.__mro__} {new} {old} {outcomes}"}), encoding="utf-8"
    )
    status = run(["explain", str(AMNESTY), "--case", str(CASE), "--templates", str(templates)])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert "the text of 'change' may hold only these placeholders: {fact}, {new}, {old}, {outcomes}" in captured.err


def test_the_reports_templates_are_sandboxed(tmp_path: Path) -> None:
    sentinel = tmp_path / "PWNED"
    with pytest.raises(Exception, match="unsafe"):
        report.environment().from_string(payload(sentinel)).render()
    assert not sentinel.exists()


@pytest.mark.parametrize(
    "greedy", ['{{ "a" * 10**10 }}', "{{ [1] * 10**9 }}", "{{ 2 ** 1000000000 }}", '{{ 10**9 * "ab" }}']
)
def test_a_template_cannot_ask_for_gigabytes_in_a_few_characters(
    greedy: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Jinja's sandbox alone would evaluate each of these: gigabytes of text, or a number of 300 million digits.
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "text.j2").write_text(greedy + "\n", encoding="utf-8")
    status = run(["explain", str(AMNESTY), "--case", str(CASE), "--templates", str(templates)])
    err = capsys.readouterr().err
    assert status == 1
    assert err.startswith("statute: the template ") and "SecurityError" in err and "refused" in err


def test_a_template_may_still_multiply_and_repeat_within_bounds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "text.j2").write_text('{{ "=" * 12 }} {{ 2 ** 10 }} {{ 3 * 4 }}\n', encoding="utf-8")
    assert run(["explain", str(AMNESTY), "--case", str(CASE), "--templates", str(templates)]) == 0
    assert capsys.readouterr().out == "============ 1024 12\n"
