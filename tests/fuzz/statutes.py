"""Hypothesis strategies for whole statutes the checker should accept: a vocabulary of every kind of fact,
parameters, outcomes with and without defaults, rules and exceptions over well-typed conditions, and examples.

Names come from a pool of plain words, Cyrillic and Kazakh words, and words Python or the generated module use
themselves (`import`, `self`, `decide`, `trace`...), so the compiler's identifiers are exercised as well as its
logic. Titles, law quotes, notes and text values come from `HOSTILE_TEXT`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from hypothesis import strategies as st

# Words a name may be made of: none is a word of the statute language.
PLAIN_WORDS = ("zorp", "quib", "vanta", "melk", "dorn", "flick", "brisk", "tamber", "olm", "prax", "sorrel", "umber")
CYRILLIC_WORDS = ("жаза", "мерзім", "қылмыс", "сот", "ақша", "тұлға", "өтініш", "шешім", "үкім", "ғимарат", "ұлт")
PYTHON_WORDS = (
    "import", "os", "system", "eval", "exec", "print", "class", "def", "lambda", "self", "trace", "decide",
    "none", "true", "false", "str", "int", "dict", "type", "object", "value", "found", "candidate", "deciding",
    "applied", "left", "right", "fraction", "datetime", "enum", "typing", "period", "final", "decision",
    "evaluation", "rules", "outcomes", "statute", "problem", "annotations", "dataclasses", "len", "sum", "min",
    "max", "builtins", "globals", "open", "getattr", "slots", "init", "main", "o'brien", "two-year", "x_y",
    "x__import__", "d’arcy", "exec-eval", "os's", "ǅemal", "ﬁle", "ℌilbert",
)  # fmt: skip
WORDS = PLAIN_WORDS + CYRILLIC_WORDS + PYTHON_WORDS

# What a drafter could paste where a text goes (titles, law text, notes, text values): each must reach a generated
# module only as data, and an explanation only escaped. The sentinel file PWNED must never appear.
HOSTILE_TEXT = (
    "__import__('os').system('touch PWNED')",
    '""" + __import__("os").system("touch PWNED") + """',
    "''' ; import os ; os.system('touch PWNED') ; '''",
    "\\ a backslash \\n and \\x41 and \\",
    "}}{{ 7*7 }}{% for x in y %}{# #}",
    "<script>alert('x')</script>",
    "</textarea><img src=x onerror=alert(1)>&amp;",
    "line one\nline two\r\nline three",
    "tab\there",
    "# a comment? -->",
    "\u202eRTL override\u200f and zero\u200bwidth\ufeff",
    "Қазақстан Республикасы «Рақымшылық туралы»",
    "'single' and \"double\" quotes",
    "\x1b[31mred\x1b[0m\x07",
)


def quoted(text: str) -> str:
    """`text` as a quoted text of the statute language."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
    return '"' + escaped.replace("\r", " ") + '"'


def one_line(text: str) -> str:
    """`text` where the statute allows no line break: a heading's title, a line of law text."""
    return " ".join(text.split("\n")).replace("\r", " ")


DATES = (datetime.date(2021, 1, 31), datetime.date(2022, 1, 4), datetime.date(2022, 2, 28), datetime.date(2024, 2, 29))


def date_text(d: datetime.date) -> str:
    return f"{d.day} {d.strftime('%B')} {d.year}"


@dataclass
class Fld:
    name: str
    kind: str  # bool int decimal money date duration text enum list
    optional: bool = False
    values: tuple[str, ...] = ()  # enum values
    bounds: tuple[str, str] | None = None


@dataclass
class Vocabulary:
    root: str
    element: str
    fields: list[Fld]
    element_fields: list[Fld]
    parameters: dict[str, str] = field(default_factory=dict)  # name -> kind
    outcomes: list[Fld] = field(default_factory=list)

    def of(self, kind: str, element: bool = False, required: bool = False) -> list[Fld]:
        pool = self.element_fields if element else self.fields
        return [f for f in pool if f.kind == kind and not (required and f.optional)]


@dataclass(frozen=True)
class GeneratedStatute:
    text: str
    file: str = "generated.statute"


class _Names:
    """Hands out names no two of which share a word, so that no name can be mistaken for a part of another."""

    def __init__(self, draw: st.DrawFn, words: tuple[str, ...]) -> None:
        self.draw = draw
        self.free = list(words)
        self.spare = 0

    def take(self, count: int = 0) -> str:
        count = count or self.draw(st.integers(1, 2))
        picked = []
        for _ in range(count):
            if self.free:
                picked.append(self.free.pop(self.draw(st.integers(0, len(self.free) - 1))))
        if not picked:
            self.spare += 1
            picked.append("spare" + "x" * self.spare)
        return " ".join(picked)


# ------------------------------------------------------------------ literals and expressions


def _literal(draw: st.DrawFn, kind: str, f: Fld | None = None) -> str:
    if kind == "bool":
        return draw(st.sampled_from(["yes", "no"]))
    if kind == "int":
        return str(draw(st.integers(0, 120)))
    if kind == "decimal":
        return draw(st.sampled_from(["0.25", "3", "one half", "three quarters", "12.5", "50%"]))
    if kind == "money":
        return draw(st.sampled_from(["0 USD", "250,000 USD", "1,234.56 USD", "10 USD"]))
    if kind == "date":
        return date_text(draw(st.sampled_from(DATES)))
    if kind == "duration":
        return draw(st.sampled_from(["0 days", "30 days", "1 year", "3 years 6 months", "2 weeks", "1826 days"]))
    if kind == "text":
        return quoted(draw(st.sampled_from(("plain words", *HOSTILE_TEXT))))
    if kind == "enum":
        assert f is not None
        return draw(st.sampled_from(f.values))
    raise AssertionError(kind)


def value_expr(draw: st.DrawFn, v: Vocabulary, kind: str, depth: int = 0, element: bool = False) -> str:
    """An expression of `kind` (int, decimal, money, date, duration) over required facts, so it can be worked out."""
    choices = [_literal(draw, kind)]
    choices += [f"the {f.name}" for f in v.of(kind, element, required=True)]
    choices += [f"the {name}" for name, k in v.parameters.items() if k == kind]
    if depth < 2:
        if kind in {"int", "decimal"}:
            a, b = value_expr(draw, v, kind, depth + 1, element), value_expr(draw, v, kind, depth + 1, element)
            choices.append(f"({a} {draw(st.sampled_from(['plus', 'minus', 'times']))} {b})")
            choices.append(f"(the greater of {a} and {b})")
        dates = v.of("date", element, required=True)
        if kind == "int" and dates:
            unit = draw(st.sampled_from(["years", "months", "weeks", "days"]))
            start, end = dates[0].name, _literal(draw, "date")
            choices.append(f"(the whole {unit} from the {start} to {end})")
        if kind == "int" and not element and v.element_fields:
            cond = condition(draw, v, depth + 1, element=True)
            choices.append(f"(the number of {v.element}s where ({cond}))")
        if kind == "money":
            a, b = value_expr(draw, v, "money", depth + 1, element), value_expr(draw, v, "money", depth + 1, element)
            choices.append(f"({a} plus {b})")
            choices.append(f"({a} times one third rounded down to whole cents)")
            choices.append(f"(the lesser of {a} and {b})")
            amounts = v.of("money", element=True, required=True)
            if not element and amounts:
                choices.append(f"(the total {amounts[0].name} among the {v.element}s)")
        if kind == "duration":
            a = value_expr(draw, v, "duration", depth + 1, element)
            choices.append(f"(({a}) reduced by three quarters rounded down to whole days)")
            choices.append(f"({a} plus 10 days)")
            dates = v.of("date", element, required=True)
            if dates:
                choices.append(f"(the {dates[0].name} minus {_literal(draw, 'date')})")
        if kind == "date":
            a = value_expr(draw, v, "date", depth + 1, element)
            choices.append(f"({a} plus {_literal(draw, 'duration')})")
    return draw(st.sampled_from(choices))


def condition(draw: st.DrawFn, v: Vocabulary, depth: int = 0, element: bool = False) -> str:
    """A yes/no condition over the facts (of the list's element, with `element`)."""
    forms = ["compare", "compare", "oneof", "bool", "between", "given"]
    if depth < 2:
        forms += ["and", "or", "not"]
        if not element and v.element_fields:
            forms += ["any"]
    form = draw(st.sampled_from(forms))
    fields = v.element_fields if element else v.fields
    if form == "oneof":
        enums = [f for f in fields if f.kind == "enum"]
        if enums:
            f = draw(st.sampled_from(enums))
            picked = draw(st.lists(st.sampled_from(f.values), min_size=1, max_size=3, unique=True))
            return f"the {f.name} is {draw(st.sampled_from(['', 'not ']))}one of {', '.join(picked)}"
        form = "compare"
    if form == "between":
        dates = [f for f in fields if f.kind == "date" and not f.optional]
        periods = [n for n, k in v.parameters.items() if k == "period"]
        if dates and periods:
            return f"the {dates[0].name} is within the {periods[0]}"
        ints = [f for f in fields if f.kind == "int" and not f.optional]
        if ints:
            return f"the {ints[0].name} is between 10 and 60"
        form = "compare"
    if form == "given":
        optional = [f for f in fields if f.optional]
        if optional:
            return f"the {draw(st.sampled_from(optional)).name} is {draw(st.sampled_from(['', 'not ']))}given"
        form = "compare"
    if form == "bool":
        bools = [f for f in fields if f.kind == "bool" and not f.optional]
        if bools:
            return f"the {v.element if element else v.root} is {draw(st.sampled_from(bools)).name}"
        form = "compare"
    if form == "compare":
        kind = draw(st.sampled_from(["int", "decimal", "money", "date", "duration"]))
        left = value_expr(draw, v, kind, depth + 1, element)
        op = draw(st.sampled_from(["is", "is not", "is at least", "is at most", "is more than", "is less than"]))
        if kind == "date":
            op = draw(st.sampled_from(["is", "is before", "is on or after", "is after"]))
        # Durations compare a month as 30 days only when the statute says so (docs/language.md, section 10).
        counting = " counting a month as 30 days" if kind == "duration" else ""
        return f"{left} {op} {value_expr(draw, v, kind, depth + 1, element)}{counting}"
    if form in {"and", "or"}:
        parts = [condition(draw, v, depth + 1, element) for _ in range(draw(st.integers(2, 3)))]
        return f" {form} ".join(f"({p})" for p in parts)
    if form == "not":
        return f"not ({condition(draw, v, depth + 1, element)})"
    quantifier = draw(st.sampled_from(["any", "every", "no"]))
    return f"{quantifier} {v.element} where ({condition(draw, v, depth + 1, element=True)})"


# ------------------------------------------------------------------ statements


def _field_line(f: Fld, element: str) -> str:
    types = {
        "bool": "yes or no",
        "int": "whole number",
        "decimal": "decimal",
        "money": "money in USD",
        "date": "date",
        "duration": "duration",
        "text": "text",
        "enum": "one of " + ", ".join(f.values),
        "list": f"list of {element}",
    }
    bounds = f" from {f.bounds[0]} to {f.bounds[1]}" if f.bounds else ""
    return f"  - {f.name}: {types[f.kind]}{bounds}{', optional' if f.optional else ''}"


def _fields(draw: st.DrawFn, names: _Names, kinds: list[str]) -> list[Fld]:
    out = []
    for kind in kinds:
        f = Fld(names.take(), kind, optional=kind not in {"list", "enum"} and draw(st.booleans()))
        if kind == "enum":
            f.values = tuple(names.take(1) for _ in range(draw(st.integers(2, 4))))
        if kind == "int" and draw(st.booleans()):
            f.bounds = ("0", "120")
        if kind == "date" and draw(st.booleans()):
            f.bounds = ("1 January 2000", "31 December 2030")
        out.append(f)
    return out


@st.composite
def vocabularies(draw: st.DrawFn, words: tuple[str, ...] = WORDS) -> Vocabulary:
    names = _Names(draw, words)
    root, element = names.take(1), names.take(1)
    kinds = ["bool", "int", "decimal", "money", "date", "duration", "text", "enum"]
    root_kinds = [*draw(st.lists(st.sampled_from(kinds), min_size=2, max_size=6)), "enum", "list"]
    element_kinds = draw(st.lists(st.sampled_from(kinds), min_size=1, max_size=4))
    v = Vocabulary(root, element, _fields(draw, names, root_kinds), _fields(draw, names, element_kinds))
    for kind in draw(st.lists(st.sampled_from(["int", "decimal", "money", "date", "duration", "period", "bool"]))):
        v.parameters[names.take()] = kind
    for kind in draw(st.lists(st.sampled_from(["enum", "money", "duration", "int", "bool", "date"]), min_size=1)):
        o = Fld(names.take(), kind, optional=kind in {"duration", "date"} and draw(st.booleans()))
        if kind == "enum":
            o.values = tuple(names.take(1) for _ in range(draw(st.integers(2, 3))))
        v.outcomes.append(o)
    return v


def _parameter_value(draw: st.DrawFn, kind: str) -> str:
    if kind == "period":
        start, end = sorted(draw(st.lists(st.sampled_from(DATES), min_size=2, max_size=2)))
        return f"from {date_text(start)} to {date_text(end)}"
    return _literal(draw, kind)


def _outcome_line(draw: st.DrawFn, o: Fld) -> str:
    types = {
        "enum": "one of " + ", ".join(o.values),
        "money": "money in USD",
        "duration": "duration",
        "int": "whole number",
        "bool": "yes or no",
        "date": "date",
    }
    text = f"Outcome the {o.name}: {types[o.kind]}"
    if o.optional:
        return text + ", optional."
    if o.kind == "bool" or draw(st.booleans()):
        return text + f"; by default {_literal(draw, o.kind, o)}."
    return text + "."


def _rule(draw: st.DrawFn, v: Vocabulary, o: Fld, articles: list[str]) -> str:
    if o.kind == "enum":
        value = draw(st.sampled_from(o.values))
    elif o.kind == "bool":
        value = draw(st.sampled_from(["yes", "no"]))
    else:
        value = value_expr(draw, v, o.kind)
    head = "Rule"
    if articles and draw(st.integers(0, 3)) == 0:
        head = f"Exception to Article {draw(st.sampled_from(articles))}"
    when = f" if {condition(draw, v)}" if draw(st.integers(0, 4)) else ""
    unless = f" unless {condition(draw, v)}" if draw(st.integers(0, 5)) == 0 else ""
    return f"{head}: the {o.name} is {value}{when}{unless}."


def _fact(draw: st.DrawFn, f: Fld, v: Vocabulary) -> str | None:
    if f.optional and draw(st.booleans()):
        return None
    if f.kind == "list":
        count = draw(st.integers(0, 2))
        if count == 0:
            return f"{f.name}: none"
        records = []
        for _ in range(count):
            facts = [x for x in (_fact(draw, g, v) for g in v.element_fields) if x is not None]
            first = v.element_fields[0]
            facts = facts or [f"{first.name}: {_literal(draw, first.kind, first)}"]
            records.append("(" + "; ".join(facts) + ")")
        return f"{f.name}: " + ", ".join(records)
    return f"{f.name}: {_literal(draw, f.kind, f)}"


def _example(draw: st.DrawFn, v: Vocabulary, title: str) -> str:
    facts = [x for x in (_fact(draw, f, v) for f in v.fields) if x is not None]
    o = draw(st.sampled_from(v.outcomes))
    value = draw(st.sampled_from(o.values)) if o.kind == "enum" else _literal(draw, o.kind)
    expected = f"the {o.name} is {value}" if not o.optional or draw(st.booleans()) else f"the {o.name} is not decided"
    return f"Example {quoted(title)}:\n  Facts: " + "; ".join(facts) + f".\n  Expected: {expected}."


def _record_lines(label: str, fields: list[Fld], element: str) -> list[str]:
    lines = [f"A {label} has:", *[_field_line(f, element) + ";" for f in fields]]
    lines[-1] = lines[-1][:-1] + "."
    return lines


@st.composite
def statutes(
    draw: st.DrawFn, words: tuple[str, ...] = WORDS, texts: tuple[str, ...] = HOSTILE_TEXT
) -> GeneratedStatute:
    """A whole statute, most of which the checker accepts."""
    v = draw(vocabularies(words))
    lines = [
        f"Title: {quoted(draw(st.sampled_from(texts)))}.",
        'Jurisdiction: "Republic of Testing".',
        f"Each case is about a {v.root}.",
        "",
        *_record_lines(v.root, v.fields, v.element),
        "",
        *_record_lines(v.element, v.element_fields, v.element),
        "",
    ]
    for name, kind in v.parameters.items():
        lines.append(f"Parameter the {name}: {_parameter_value(draw, kind)}.")
    if v.parameters and draw(st.booleans()):
        lines.append(f"Assumption: {quoted(draw(st.sampled_from(texts)))}.")
    for o in v.outcomes:
        lines.append(_outcome_line(draw, o))
    articles: list[str] = []
    for number in range(1, draw(st.integers(1, 4)) + 1):
        title = one_line(draw(st.sampled_from(texts)))
        lines += ["", f"Article {number}. {title}", "", f"> {one_line(draw(st.sampled_from(texts)))}", ""]
        for _ in range(draw(st.integers(1, 3))):
            lines.append(_rule(draw, v, draw(st.sampled_from(v.outcomes)), articles))
        articles.append(str(number))
    for _ in range(draw(st.integers(0, 2))):
        lines += ["", _example(draw, v, draw(st.sampled_from(texts)))]
    return GeneratedStatute("\n".join(lines) + "\n")
