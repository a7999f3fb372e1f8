"""The literals of a statute read from their text: numbers, whole numbers, fractions in words, dates, quoted text.

What parses but means nothing ("31 February 2022", a number of 5,000 digits) raises BadLiteral, which the parser
turns into a diagnostic at the literal.
"""

from __future__ import annotations

import datetime
import re
from fractions import Fraction

from lark import Token

from compiler.frontend.diagnostics import Span, error

# The most digits a number in a statute may have: Python reads whole numbers of at most 4,300 digits (its
# int_max_str_digits), and a parameter's products with a case's facts (of at most 40 digits) must still be written.
MAX_DIGITS = 4000
MONTHS = {
    m: i + 1
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ]
    )
}
FRACTION_WORDS = {"half": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4}
COUNT_WORDS = {"one": 1, "a": 1, "two": 2, "three": 3}


class BadLiteral(Exception):
    """Text that parses but means nothing ("31 February 2022", an article without a title)."""

    def __init__(self, message: str, span: Span, hint: str | None = None) -> None:
        super().__init__(message)
        self.diagnostic = error(message, span, hint)


def unquote(text: str) -> str:
    body = text[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


def read_number(text: str, span: Span) -> Fraction:
    digits = sum(c.isdigit() for c in text)
    if digits > MAX_DIGITS:  # Python reads no more than 4,300; and products of such numbers must still be written
        raise BadLiteral(
            f"a number of {digits:,} digits: a statute's numbers have at most {MAX_DIGITS:,} digits",
            span,
            "check the number: a figure this long is likely a slip of the keyboard",
        )
    return Fraction(text.replace(",", ""))


def read_whole(token: Token, span: Span) -> int:
    value = read_number(str(token), span)
    if value.denominator != 1:
        raise BadLiteral(f"'{token}' is not a whole number", span, "durations count whole years, months, weeks or days")
    return int(value)


def read_fraction_words(text: str) -> Fraction:
    count, part = text.lower().split()
    return Fraction(COUNT_WORDS[count], FRACTION_WORDS[part])


def read_date(text: str, span: Span) -> datetime.date:
    try:
        if "-" in text:
            return datetime.date.fromisoformat(text)
        day, month, year = text.split()
        return datetime.date(int(year), MONTHS[month.lower()], int(day))
    except ValueError:
        raise BadLiteral(f"'{text}' is not a date in the calendar", span, "check the day and the month") from None


# ------------------------------------------------------------------ grouping statements under their articles


def heading_number(text: str) -> str:
    """An article's number in one form however it was spaced or cased: "3  BIS" is "3 bis", "121(b)(3)" as it is."""
    return " ".join(text.split()).lower() if " " in text.strip() else text.strip()
