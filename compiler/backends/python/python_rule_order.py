"""Which earlier rules leave a rule out, for the Evaluation's methods (python_rules.py): the rules prevailing over
it, and those whose condition excludes its condition; which rules may have applied with another value, so need
a conflict check; and how the rules fall into parts, an article's rules together, each decided by a method of its
own.
"""

from __future__ import annotations

from compiler.backends.python.python_text import OR, Code, joined
from compiler.backends.python.stops import Stops
from compiler.model import ir

# Past this many rules about one thing, rules are not compared pair by pair to find those that exclude each other.
MAX_COMPARED = 64


def _constant_key(value: ir.Expr) -> object:
    """Equal for two values exactly when analysis.same_constant holds of them; a fresh object for anything else."""
    if isinstance(value, ir.EnumLit):
        return ("enum", value.enum, value.value)
    if isinstance(value, ir.Lit):
        return ("literal", type(value.value), value.value, value.type)
    if isinstance(value, ir.ParamRef):
        return ("parameter", value.ident)
    return object()


class RuleOrder:
    """The rules of one definition, prevailing first, by their local names, and what leaves each out."""

    def __init__(self, rules: dict[str, ir.RuleDef], stops: Stops) -> None:
        self.rules, self.stops = rules, stops
        self.order = {name: i for i, name in enumerate(rules)}
        self.skips = {name: self._skipped_by(name) for name in rules}
        self.set_aside = self._set_aside_names()

    def _skipped_by(self, name: str) -> list[str]:
        """The earlier rules that, when they applied, leave rule `name` out: those prevailing over it, and those
        whose condition excludes its condition before anything in it that may stop the decision (stops.py)."""
        rule, position = self.rules[name], self.order[name]
        unknown = [o for o in rule.overridden_by if o in self.order and self.order[o] > position]
        if unknown:
            raise ValueError(f"{name} comes before {unknown[0]}, which prevails over it")
        prevailing = {o for o in rule.overridden_by if o in self.order}
        if len(self.rules) > MAX_COMPARED:  # comparing every pair would take minutes: rely on the exceptions alone
            return sorted(prevailing, key=self.order.__getitem__)
        return [
            o
            for o in list(self.rules)[:position]
            if o in prevailing or self.stops.leaves_out(self.rules[o].condition, rule.condition)
        ]

    def _set_aside_names(self) -> dict[str, str]:
        """Past MAX_COMPARED rules, where a rule is left out only by the rules prevailing over it: for each rule that
        prevails directly over another and is itself under an exception, the local saying whether it was set aside.
        A rule is then left out when a rule prevailing directly over it applied or was set aside: each rule's test
        names its direct exceptions only, and a chain of 3,000 exceptions is written in linear space (listing every
        rule prevailing over each, through the others, took 11 GB)."""
        if len(self.rules) <= MAX_COMPARED:
            return {}
        under = {o for r in self.rules.values() for o in r.prevailing if o in self.order}
        return {name: f"{name}_set_aside" for name, r in self.rules.items() if name in under and self._direct(r)}

    def _direct(self, r: ir.RuleDef) -> list[str]:
        return sorted((o for o in r.prevailing if o in self.order), key=self.order.__getitem__)

    def skip(self, name: str, passed: frozenset[str] = frozenset()) -> Code:
        """Whether a rule that leaves rule `name` out applied: one of `skips`, or, past MAX_COMPARED rules, one of the
        rules prevailing directly over it, or one that was itself set aside (see _set_aside_names). Rules in
        `passed` are known not to have applied (the method returned when one did): they are not asked."""
        if not self.set_aside:
            return joined(tuple(Code(o) for o in self.skips[name] if o not in passed), "or", OR)
        parts: list[Code] = []
        for o in self._direct(self.rules[name]):
            parts.append(Code(o))
            if o in self.set_aside:
                parts.append(Code(self.set_aside[o]))
        return joined(tuple(parts), "or", OR)

    def rivals(self) -> dict[str, bool]:
        """For each rule, whether an earlier rule may have applied with another value when it applies: counted, not
        compared pair by pair, so that a definition with thousands of rules is written in linear time."""
        numbers: dict[object, int] = {}  # equal keys, one number: compared as numbers, not values, below
        keys = {name: numbers.setdefault(_constant_key(r.value), len(numbers)) for name, r in self.rules.items()}
        seen: dict[object, int] = {}
        rivals: dict[str, bool] = {}
        for name, position in self.order.items():
            mine, skipped = keys[name], self.skips[name]
            same = seen.get(mine, 0) - sum(1 for o in skipped if keys[o] == mine)
            rivals[name] = position - len(skipped) > same
            seen[mine] = seen.get(mine, 0) + 1
        return rivals

    def final(self) -> frozenset[str]:
        """The rules every later rule leaves out: when one applies, nothing after it is looked at, so its method may
        return its value at once."""
        left_out: dict[str, int] = {}
        for name in self.rules:
            for o in self.skips[name]:
                left_out[o] = left_out.get(o, 0) + 1
        count = len(self.rules)
        return frozenset(name for name, i in self.order.items() if left_out.get(name, 0) == count - 1 - i)

    def parts(self) -> list[list[str]]:
        """The rules in parts, prevailing first, each the run of one article's rules, or of several articles' where
        one alone would not stand: a part stands alone when each of its rules is left out by every rule of the
        parts before it, so that it is looked at exactly when no earlier part decided the definition. One part
        when the rules are too many to compare (MAX_COMPARED)."""
        if len(self.rules) > MAX_COMPARED:
            return [list(self.rules)]
        parts: list[list[str]] = []
        article = None
        for name, r in self.rules.items():
            if parts and r.citation.label == article:
                parts[-1].append(name)
            else:
                parts.append([name])
            article = r.citation.label
            while len(parts) > 1 and not self._stands_alone(parts):
                last = parts.pop()
                parts[-1] += last
        return parts

    def _stands_alone(self, parts: list[list[str]]) -> bool:
        before = {o for part in parts[:-1] for o in part}
        return all(before <= set(self.skips[name]) for name in parts[-1])
