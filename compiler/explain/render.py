"""Explanations rendered with Jinja: a template set per format, fixed words from a translation file per language.

Templates and translations are plain files a drafter can read and override. For a statute `dir/law.statute`, each
is looked up first in `dir/templates/law/`, then in `dir/templates/`, then among the built-in ones beside this file.
A template for one language may be put in a folder named for it (`templates/ru/html.j2`); otherwise the format's
template (`html.j2`) serves every language, taking its words from `i18n/<lang>.json`. A translation file beside the
statute (`templates/i18n/ru.json`) needs to hold only the words it changes.

Every text of the explanation is escaped for the format before a template places it (compiler.explain.escape):
a line break or a control character in a case value is shown, not obeyed, and Markdown gets no link, image, HTML or
heading from a value; HTML is also rendered with autoescape on, so `<script>` comes out as text.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from pathlib import Path

import jinja2

from compiler.explain import escape
from compiler.explain.format import Locale
from compiler.explain.model import Change, Explanation

HERE = Path(__file__).parent
BUILTIN_TEMPLATES = HERE / "templates"
BUILTIN_I18N = HERE / "i18n"
FORMATS = {"text": "txt", "markdown": "md", "html": "html"}


class ExplainError(ValueError):
    """An unknown language or format, or a translation file that cannot be read."""


def languages(statute_file: str | Path | None = None) -> list[str]:
    found = {p.stem for folder in _folders(statute_file, "i18n") for p in folder.glob("*.json")}
    return sorted(found)


def locale_for(lang: str, statute_file: str | Path | None = None) -> Locale:
    """The words of `lang`: the built-in file, then the statute's own, each key of the latter winning."""
    words: dict[str, str] = {}
    for folder in reversed(_folders(statute_file, "i18n")):
        path = folder / f"{lang}.json"
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ExplainError(f"cannot read the translation file {path}: {exc}") from None
            if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
                raise ExplainError(f"{path} must be a JSON object of texts")
            words.update(loaded)
    if not words:
        raise ExplainError(f"no translation for '{lang}'; there are: {', '.join(languages(statute_file))}")
    missing = set(_english()) - set(words)
    if missing:
        raise ExplainError(f"the translation for '{lang}' lacks: {', '.join(sorted(missing))}")
    return Locale(lang, words)


def _english() -> dict[str, str]:
    loaded: dict[str, str] = json.loads((BUILTIN_I18N / "en.json").read_text(encoding="utf-8"))
    return loaded


def _folders(statute_file: str | Path | None, kind: str) -> list[Path]:
    """The folders of templates or of translations (`kind`), the statute's own first."""
    own: list[Path] = []
    if statute_file is not None:
        base = Path(statute_file).parent / "templates"
        own = [base / Path(statute_file).stem, base]
    if kind == "i18n":
        own = [folder / "i18n" for folder in own]
    builtin = BUILTIN_I18N if kind == "i18n" else BUILTIN_TEMPLATES
    return [folder for folder in (*own, builtin) if folder.is_dir()]


def environment(fmt: str, statute_file: str | Path | None = None) -> jinja2.Environment:
    """The Jinja environment of a format; one per format and template folders, so templates compile once (Jinja
    reloads a template whose file changed)."""
    if fmt not in FORMATS:
        raise ExplainError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    return _environment(fmt, tuple(str(f) for f in _folders(statute_file, "templates")))


@functools.lru_cache(maxsize=32)
def _environment(fmt: str, folders: tuple[str, ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders])
    env = jinja2.Environment(
        loader=loader,
        autoescape=fmt == "html",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.filters["mark"] = _mark
    env.filters["change_sentence"] = change_sentence
    return env


def _mark(held: bool | None) -> str:
    return "✓" if held else "✗" if held is False else "·"


def change_sentence(change: Change, words: dict[str, str]) -> str:
    """ "Had the gravity of charge 1 been medium instead of grave, the amnesty measure would have been ..."."""
    outcomes = f" {words['and']} ".join(_outcome_change(label, old, new, words) for label, old, new in change.outcomes)
    if change.articles:
        outcomes += " (" + words["change_under"].format(articles=", ".join(change.articles)) + ")"
    if change.new in {words["yes"], words["no"]}:  # a yes/no fact reads as a sentence about its record
        sentence = words["change_yes" if change.new == words["yes"] else "change_no"]
        return sentence.format(owner=change.owner, field=change.field, outcomes=outcomes)
    return words["change"].format(fact=change.fact, new=change.new, old=change.old, outcomes=outcomes)


def _outcome_change(label: str, old: str, new: str, words: dict[str, str]) -> str:
    key = "change_outcome"
    if new == words["not_decided"]:
        key = "change_outcome_open"
    elif old == words["not_decided"]:
        key = "change_outcome_from_open"
    return words[key].format(label=label, old=old, new=new)


def render(explanation: Explanation, fmt: str, locale: Locale, statute_file: str | Path | None = None) -> str:
    env = environment(fmt, statute_file)
    template = env.select_template([f"{locale.lang}/{fmt}.j2", f"{fmt}.j2"])
    text = template.render(e=escape.for_format(explanation, fmt), t=locale.words, lang=locale.lang)
    return escape.rendered(text, fmt)


def render_index(
    entries: Sequence[tuple[str, Explanation]],
    fmt: str,
    locale: Locale,
    statute_file: str | Path | None = None,
    title: str = "",
) -> str:
    """A page listing the explanations written: (file name, explanation) each."""
    env = environment(fmt, statute_file)
    template = env.select_template([f"{locale.lang}/index.{fmt}.j2", f"index.{fmt}.j2"])
    entries = [(name, escape.for_format(e, fmt)) for name, e in entries]  # names are the tool's: [\w.-] only
    title = escape.for_format(title, fmt)
    return escape.rendered(template.render(entries=entries, t=locale.words, lang=locale.lang, title=title), fmt)
