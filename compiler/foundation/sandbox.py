"""The one Jinja environment class for every template the tool renders: Jinja's immutable sandbox (no attribute of
Python's internals, no mutation of the values passed in), with the two operators that can ask for gigabytes in a
dozen characters bounded: `"a" * 10**10` and `9 ** 9 ** 9`. A template that asks for more is refused with
jinja2's SecurityError, which the callers turn into a one-line message."""

from __future__ import annotations

from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_REPEATED = 1_000_000  # items (characters of a text, entries of a list) that `*` may make
MAX_EXPONENT = 1_000  # a power beyond this is no figure an explanation or a report prints


class BoundedSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int | float) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"a power above {MAX_EXPONENT:,} is refused in a template")
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                sized = isinstance(seq, str | bytes | list | tuple) and isinstance(count, int)
                if sized and len(seq) * count > MAX_REPEATED:
                    raise SecurityError(f"a text or list of more than {MAX_REPEATED:,} items is refused")
        return super().call_binop(context, operator, left, right)
