"""Explanations rendered with Jinja: a template set per format, fixed words from a translation file per language.

Templates and translations are plain files a drafter can read and override, from a folder the user names
(`--templates DIR`), never from beside the statute: a statute kept in a shared folder would otherwise pick up templates
anyone planted there. Each template is looked up first in DIR, then among the built-in ones beside this file. A
template for one language may be put in a folder named for it (`DIR/ru/html.j2`); otherwise the format's template
(`html.j2`) serves every language, taking its words from `i18n/<lang>.json`. A translation file of the drafter's
(`DIR/i18n/ru.json`) needs to hold only the words it changes.

Every template, the built-in ones too, is rendered in Jinja's immutable sandbox: a template can read the explanation
it is given, never reach Python's internals (`cycler.__init__.__globals__.os`) nor change a value. A language is a
plain name (`ru`, `pt-BR`), never a path.

Every text of the explanation is escaped for the format before a template places it (compiler.explain.escape):
a line break or a control character in a case value is shown, not obeyed, and Markdown gets no link, image, HTML or
heading from a value; HTML is also rendered with autoescape on, so `<script>` comes out as text.
"""

from __future__ import annotations

import argparse
import functools
import json
import re
import string
from collections.abc import Sequence
from pathlib import Path

import jinja2

from compiler.explain import escape
from compiler.explain.format import Locale
from compiler.explain.model import Change, Explanation
from compiler.foundation.sandbox import BoundedSandbox

HERE = Path(__file__).parent
BUILTIN_TEMPLATES = HERE / "templates"
BUILTIN_I18N = HERE / "i18n"
FORMATS = {"text": "txt", "markdown": "md", "html": "html"}
LANGUAGE_NAME = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]+)?")


class ExplainError(ValueError):
    """An unknown language or format, or a translation file that cannot be read."""


class TemplateError(ExplainError):
    """A template of the drafter's that cannot be read or rendered (in the sandbox: one that reaches for Python's
    internals is refused here)."""


def bundled_languages() -> list[str]:
    """The languages shipped with the compiler (compiler/explain/i18n/<lang>.json)."""
    return sorted(p.stem for p in BUILTIN_I18N.glob("*.json"))


def languages(templates: str | Path | None = None) -> list[str]:
    """The bundled languages and those of the drafter's templates folder."""
    own = {p.stem for p in (Path(templates) / "i18n").glob("*.json")} if templates is not None else set()
    return sorted({*bundled_languages(), *(name for name in own if LANGUAGE_NAME.fullmatch(name))})


def language_name(text: str) -> str:
    """`--lang` as the command line gives it: a plain language name, checked when the arguments are parsed."""
    if not LANGUAGE_NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a language name such as en, ru or pt-BR; bundled: {', '.join(bundled_languages())}"
        )
    return text


def locale_for(lang: str, templates: str | Path | None = None) -> Locale:
    """The words of `lang`: the bundled file, then the drafter's (`templates`/i18n/<lang>.json), each key of the
    latter winning. `lang` is a plain name (LANGUAGE_NAME), so it never names a file elsewhere."""
    if not LANGUAGE_NAME.fullmatch(lang):
        raise ExplainError(f"{lang!r} is not a language name; there are: {', '.join(languages(templates))}")
    words: dict[str, str] = {}
    for folder in reversed(_folders(templates, "i18n")):
        path = folder / f"{lang}.json"
        if path.is_file():
            try:
                loaded = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
                raise ExplainError(f"cannot read the translation file {path}: {exc}") from None
            if not isinstance(loaded, dict) or not all(isinstance(v, str) for v in loaded.values()):
                raise ExplainError(f"{path} must be a JSON object of texts")
            _check_placeholders(path, loaded)
            words.update(loaded)
    if not words:
        where = "" if templates is not None else " (a drafter's own: --templates DIR, with DIR/i18n/<lang>.json)"
        raise ExplainError(f"no translation for '{lang}'; there are: {', '.join(languages(templates))}{where}")
    missing = set(_english()) - set(words)
    if missing:
        raise ExplainError(f"the translation for '{lang}' lacks: {', '.join(sorted(missing))}")
    return Locale(lang, words)


def _check_placeholders(path: Path, words: dict[str, str]) -> None:
    """Each text may hold only the {placeholders} of the English text of its key, each a plain name: the words are
    filled in with str.format, which would otherwise read attributes ({fact.__class__}) or fail on a missing one."""
    english = _english()
    for key, text in words.items():
        allowed = _fields(english.get(key, ""))
        found = _fields(text)
        if found is None or allowed is None or not found <= allowed:
            hint = ", ".join(f"{{{name}}}" for name in sorted(allowed or ())) or "none"
            raise ExplainError(f"{path}: the text of '{key}' may hold only these placeholders: {hint}")


def _fields(text: str) -> set[str] | None:
    """The names of the {placeholders} of `text`, or None if one is more than a plain name or a brace is unpaired."""
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError:
        return None
    names: set[str] = set()
    for _, field, spec, conversion in parsed:
        if field is None:
            continue
        if spec or conversion or not re.fullmatch(r"[a-z_]+", field):
            return None
        names.add(field)
    return names


def _english() -> dict[str, str]:
    loaded: dict[str, str] = json.loads((BUILTIN_I18N / "en.json").read_text(encoding="utf-8"))
    return loaded


def _folders(templates: str | Path | None, kind: str) -> list[Path]:
    """The folders of templates or of translations (`kind`), the drafter's own first."""
    own = [Path(templates)] if templates is not None else []
    if kind == "i18n":
        own = [folder / "i18n" for folder in own]
    builtin = BUILTIN_I18N if kind == "i18n" else BUILTIN_TEMPLATES
    return [folder for folder in (*own, builtin) if folder.is_dir()]


def environment(fmt: str, templates: str | Path | None = None) -> jinja2.Environment:
    """The Jinja environment of a format; one per format and template folders, so templates compile once (Jinja
    reloads a template whose file changed)."""
    if fmt not in FORMATS:
        raise ExplainError(f"unknown format '{fmt}'; use one of: {', '.join(FORMATS)}")
    if templates is not None and not Path(templates).is_dir():
        raise ExplainError(f"no such templates folder: {templates}")
    return _environment(fmt, tuple(str(f) for f in _folders(templates, "templates")))


@functools.lru_cache(maxsize=32)
def _environment(fmt: str, folders: tuple[str, ...]) -> jinja2.Environment:
    loader = jinja2.ChoiceLoader([jinja2.FileSystemLoader(f) for f in folders])
    env = BoundedSandbox(
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
    parts = [_outcome_change(label, old, new, words) for label, old, new in change.outcomes]
    if change.more_outcomes:
        parts.append(words["change_more_outcomes"].format(count=change.more_outcomes))
    outcomes = f" {words['and']} ".join(parts)
    if change.articles:
        outcomes += " (" + words["change_under"].format(articles=", ".join(change.articles)) + ")"
    if change.new in {words["yes"], words["no"]}:  # a yes/no fact reads as a sentence about its record
        key = "change_yes" if change.new == words["yes"] else "change_no"
        subject, is_, rest = change.field.partition(" is ")
        if is_ and rest:  # a fact named by a whole sentence: "Had the conviction been expunged"
            subject = re.sub(r"^(the|an?)\s+", "", subject, flags=re.IGNORECASE)
            sentence = words[f"{key}_sentence"]
            return sentence.format(subject=subject, rest=rest, outcomes=outcomes)
        return words[key].format(owner=change.owner, field=change.field, outcomes=outcomes)
    return words["change"].format(fact=change.fact, new=change.new, old=change.old, outcomes=outcomes)


def _outcome_change(label: str, old: str, new: str, words: dict[str, str]) -> str:
    key = "change_outcome"
    if new == words["not_decided"]:
        key = "change_outcome_open"
    elif old == words["not_decided"]:
        key = "change_outcome_from_open"
    return words[key].format(label=label, old=old, new=new)


def render(explanation: Explanation, fmt: str, locale: Locale, templates: str | Path | None = None) -> str:
    """The explanation in `fmt`, with the templates of the folder `templates` (the user's --templates) if given;
    every text of the explanation escaped for the format first (compiler/explain/escape.py)."""
    names = [f"{locale.lang}/{fmt}.j2", f"{fmt}.j2"]
    values = {"e": escape.for_format(explanation, fmt), "t": locale.words, "lang": locale.lang}
    return escape.rendered(_rendered(environment(fmt, templates), names, **values), fmt)


def _rendered(env: jinja2.Environment, names: list[str], **values: object) -> str:
    """The first template of `names` there is, rendered; a template that fails (or is refused) raises TemplateError."""
    name = names[-1]
    try:
        template = env.select_template(names)
        name = template.filename or template.name or name
        return template.render(**values)
    except jinja2.TemplateError as exc:
        raise TemplateError(f"the template {name} cannot be rendered: {type(exc).__name__}: {exc}") from None


def render_index(
    entries: Sequence[tuple[str, Explanation]],
    fmt: str,
    locale: Locale,
    templates: str | Path | None = None,
    title: str = "",
) -> str:
    """A page listing the explanations written: (file name, explanation) each."""
    entries = [(name, escape.for_format(e, fmt)) for name, e in entries]  # names are the tool's: [\w.-] only
    title = escape.for_format(title, fmt)
    names = [f"{locale.lang}/index.{fmt}.j2", f"index.{fmt}.j2"]
    values = {"entries": entries, "t": locale.words, "lang": locale.lang, "title": title}
    return escape.rendered(_rendered(environment(fmt, templates), names, **values), fmt)
