"""Values as a reader of the explanation writes them: "5 January 2022" or "5 января 2022 г.", "8 years 6 months" or
"8 лет 6 месяцев", "250,000.00 USD" or "250 000,00 USD".

Values come from a generated module (its enumerations, Duration and Period) or from the checked model (ir.Duration,
ir.Period): both are read by their attributes, so this module imports neither. A number's digits and a duration's
parts come from compiler/values.py (`decimal_parts`, `duration_parts`), the one place that says how a value is
written; only the words, the decimal point and the grouping are the reader's language. The statute's own words for an
enumeration value (its `text`) are kept as the drafter wrote them, whatever the language of the explanation.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, assert_never

from compiler.citations import CITATION_SUFFIXES, citation_runs, citation_text, cited
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import decimal_parts, duration_parts, grouped, scientific_text

_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
    "ru": (
        "января", "февраля", "марта", "апреля", "мая", "июня",
        "июля", "августа", "сентября", "октября", "ноября", "декабря",
    ),
}  # fmt: skip

# Each unit's forms: English (one, many); Russian (one, few, many), as in 1 год, 2 года, 5 лет.
_UNITS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {"year": ("year", "years"), "month": ("month", "months"), "day": ("day", "days")},
    "ru": {"year": ("год", "года", "лет"), "month": ("месяц", "месяца", "месяцев"), "day": ("день", "дня", "дней")},
}


@dataclass(frozen=True)
class Locale:
    """How one language writes numbers and dates; `words` holds its yes/no and the like (from i18n/<lang>.json)."""

    lang: str
    words: dict[str, str]

    @property
    def decimal_point(self) -> str:
        return "," if self.lang == "ru" else "."

    @property
    def group(self) -> str:
        return " " if self.lang == "ru" else ","

    @property
    def group_from(self) -> int:
        """Russian typography groups the digits of numbers of five digits and more; English of four and more."""
        return 5 if self.lang == "ru" else 4


def plural(n: int | Fraction, forms: tuple[str, ...], lang: str) -> str:
    """The form of a unit that goes with `n`: English one/many; Russian one/few/many, and 'few' for fractions."""
    if lang != "ru":
        return forms[0] if n == 1 else forms[-1]
    if isinstance(n, Fraction) and n.denominator != 1:
        return forms[1]
    whole = abs(int(n))
    if whole % 10 == 1 and whole % 100 != 11:
        return forms[0]
    if 2 <= whole % 10 <= 4 and not 12 <= whole % 100 <= 14:
        return forms[1]
    return forms[2]


def number_text(value: int | Fraction, locale: Locale, places: int = 0) -> str:
    """An exact number with grouped digits, to as many places as the module's JSON writes it (values.decimal_parts);
    a number with no decimal so short keeps its fraction, with an approximation for the reader: "274/365
    (≈ 0.7507)"."""
    value = Fraction(value)
    try:
        exact = decimal_parts(value, places)
        if exact is not None:
            return _written(*exact, locale)
        approx = decimal_parts(Fraction(round(abs(value) * 10**4), 10**4), 4)
        assert approx is not None  # four places are exact
        return f"{value.numerator}/{value.denominator} (≈ {_written(value < 0, *approx[1:], locale)})"
    except ValueError:  # more digits than Python writes out: a statute's arithmetic can make such a number
        return scientific_text(value)


def percentage_text(value: int | Fraction, locale: Locale) -> str:
    """ "15%", "12,5%" in Russian: a share as the drafter writes it, never 0.15."""
    return number_text(Fraction(value) * 100, locale) + "%"


def _written(negative: bool, whole: str, part: str, locale: Locale) -> str:
    whole = grouped(whole, locale.group, locale.group_from)
    return ("-" if negative else "") + whole + (locale.decimal_point + part if part else "")


def money_text(value: int | Fraction, currency: str | None, locale: Locale) -> str:
    shown = number_text(Fraction(value), locale, places=2)
    return f"{shown} {currency}" if currency else shown


def date_text(day: datetime.date, locale: Locale) -> str:
    month = _MONTHS.get(locale.lang, _MONTHS["en"])[day.month - 1]
    return f"{day.day} {month} {day.year} г." if locale.lang == "ru" else f"{day.day} {month} {day.year}"


def duration_text(months: int, days: int | Fraction, locale: Locale) -> str:
    """ "2 years 6 months 15 days", "0 days", "minus 3 days": the parts of the runtime's one text form
    (`duration_parts`, the normal form), in the reader's language; in English the same words as `statute run`."""
    minus, years, months, days = duration_parts(months, days)
    units: dict[str, tuple[str, ...]] = _UNITS.get(locale.lang, _UNITS["en"])
    parts: list[tuple[int | Fraction, str]] = [(years, "year"), (months, "month"), (Fraction(days), "day")]
    words = [f"{number_text(n, locale)} {plural(n, units[u], locale.lang)}" for n, u in parts if n]
    shown = " ".join(words) or f"0 {plural(0, units['day'], locale.lang)}"
    return f"{locale.words.get('minus', 'minus')} {shown}" if minus else shown


def period_text(start: datetime.date, end: datetime.date, locale: Locale) -> str:
    return locale.words["period"].format(start=date_text(start, locale), end=date_text(end, locale))


def value_text(value: Any, type_: ir.Type, locale: Locale) -> str:
    """Any value of a case, a trace or the statute, written for the reader in the form its type's kind asks.

    `value` is the generated module's, the interpreter's or the checked model's (an `ir.Duration` or the module's
    `Duration` alike): each kind reads only what all of them have."""
    if value is None:
        return locale.words["not_given"]
    if isinstance(value, tuple | list):  # the elements of a list, one after another
        return ", ".join(value_text(v, type_, locale) for v in value)
    match type_.kind:
        case Kind.BOOL:
            return locale.words["yes" if value else "no"]
        case Kind.INT | Kind.NUMBER:
            return number_text(value, locale)
        case Kind.MONEY:
            return money_text(value, type_.name, locale)
        case Kind.PERCENTAGE:
            return percentage_text(value, locale)
        case Kind.DATE:
            return date_text(value, locale)
        case Kind.DURATION:
            return duration_text(int(value.months), value.days, locale)
        case Kind.PERIOD:
            return period_text(value.start, value.end, locale)
        case Kind.ENUM:  # a member: the statute's words
            text = getattr(value, "text", None)
            return text if isinstance(text, str) else str(value)
        case Kind.CITATION:
            return cited_text(value.items, locale)
        case Kind.TEXT | Kind.RECORD | Kind.LIST:
            return str(value)
        case _:
            assert_never(type_.kind)


def cited_text(items: Iterable[tuple[int, int, int, int]], locale: Locale) -> str:
    """A citation as the law writes it in the reader's language: "Article 111 parts 1 to 4", or "части 1–4 статьи
    111" (the Russian law names the part before the article, the article in the genitive)."""
    value = cited(items)
    if locale.lang != "ru":
        return citation_text(value)
    articles: dict[tuple[int, int, int], list[int]] = {}
    for article, sub, suffix, part in value.items:
        articles.setdefault((article, sub, suffix), []).append(part)
    out = []
    for (article, sub, suffix), parts in articles.items():
        number = f"{article}" + (f".{sub}" if sub else "") + (f" {CITATION_SUFFIXES[suffix]}" if suffix else "")
        numbered = [p for p in parts if p]
        if not numbered:
            out.append(f"статья {number}")
            continue
        words = [
            w for a, b in citation_runs(numbered) for w in ([f"{a}–{b}"] if b > a + 1 else map(str, range(a, b + 1)))
        ]
        listed = ", ".join(words[:-1]) + " и " + words[-1] if len(words) > 1 else words[0]
        out.append(f"{'части' if len(numbered) > 1 else 'часть'} {listed} статьи {number}")
    return "; ".join(out)
