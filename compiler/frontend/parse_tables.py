"""The statute grammar's LALR tables, shipped in the package as JSON data (compiler/frontend/parse_tables.json).

Building the tables from grammar/statute.lark is most of a cold start. Lark's own cache (`Lark(cache=True)`) kept
them as a pickle at a predictable path in the shared temp folder, loaded with plain `pickle.load`: another local user
could plant one there and run code as the next user of `statute check`, or plant a symlink that Lark's write
followed. The tables are data, so they are kept as data: JSON, generated from the grammar by
`python -m compiler.frontend.parse_tables` and read back through Lark's own deserializer, never through pickle.

The file names the SHA-256 of the grammar, the parser options and Lark's version it was made from; when any of them
differs (the grammar edited and the file not regenerated, another Lark), the tables are built from the grammar in
memory instead: slower, never wrong. tests/test_parse_tables.py checks the file matches the grammar.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import lark
from lark import Lark
from lark.grammar import Rule
from lark.lexer import TerminalDef

from compiler.foundation.atomic import write_file
from compiler.frontend.grammar import grammar_text

TABLES = Path(__file__).with_name("parse_tables.json")
OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": True}
_INT_KEYS = "int keys"  # JSON keys are texts: a dict keyed by numbers is written as a list of pairs under this key


def fingerprint(grammar: str) -> str:
    """What the tables depend on: the grammar, the options and Lark's version (its serialized form changes)."""
    text = json.dumps([grammar, OPTIONS, lark.__version__], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def build(grammar: str) -> Lark:
    """The parser: from the shipped tables when they are those of this grammar, otherwise built from it."""
    loaded = _load(grammar)
    return loaded if loaded is not None else Lark(grammar, **OPTIONS)


def tables_text(grammar: str) -> str:
    """The JSON text of the tables built from `grammar` (what compiler/frontend/parse_tables.json holds)."""
    data, memo = Lark(grammar, **OPTIONS).memo_serialize([TerminalDef, Rule])
    data["parser"]["parser"] = _canonical(data["parser"]["parser"])
    document = {"fingerprint": fingerprint(grammar), "lark": lark.__version__, "data": _encode(data)}
    document["memo"] = _encode(memo)
    return json.dumps(document, sort_keys=True, separators=(",", ":")) + "\n"


def _canonical(table: dict[str, Any]) -> dict[str, Any]:
    """The table with its states and tokens numbered in a fixed order: Lark numbers them in the order of a set of
    its objects, which differs from run to run. Tokens by name; states as first reached from the start states,
    following each state's transitions in token order."""
    names: dict[int, str] = table["tokens"]
    token = {name: i for i, name in enumerate(sorted(names.values()))}
    states: dict[int, dict[int, tuple[int, Any]]] = table["states"]
    number: dict[int, int] = {}
    queue = [table["start_states"][k] for k in sorted(table["start_states"])]
    while queue:
        state = queue.pop(0)
        if state in number:
            continue
        number[state] = len(number)
        for _, (action, argument) in sorted(states[state].items(), key=lambda item: names[item[0]]):
            if action == 0:  # a shift, or a goto after a reduction: the argument is the next state
                queue.append(argument)
    assert len(number) == len(states), "every state is reached from a start state"
    renumbered = {
        number[state]: {
            token[names[t]]: (action, number[argument] if action == 0 else argument)
            for t, (action, argument) in sorted(actions.items(), key=lambda item: token[names[item[0]]])
        }
        for state, actions in sorted(states.items(), key=lambda item: number[item[0]])
    }
    return {
        "tokens": {i: name for name, i in token.items()},
        "states": renumbered,
        "start_states": {k: number[v] for k, v in sorted(table["start_states"].items())},
        "end_states": {k: number[v] for k, v in sorted(table["end_states"].items())},
    }


def _load(grammar: str) -> Lark | None:
    try:
        document = json.loads(TABLES.read_text(encoding="utf-8"), object_hook=_int_keys)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(document, dict) or document.get("fingerprint") != fingerprint(grammar):
        return None
    # The file is part of the installed package (as trusted as this module) and holds no pickle: Lark builds its
    # objects from plain values. Anything Lark cannot read means a damaged install: build from the grammar.
    try:
        loaded: Lark = Lark._load_from_dict(document["data"], document["memo"])  # type: ignore[no-untyped-call]
        return loaded
    except Exception:
        return None


def _encode(value: Any) -> Any:
    if isinstance(value, dict):
        if value and all(isinstance(k, int) for k in value):
            return {_INT_KEYS: [[k, _encode(v)] for k, v in value.items()]}
        assert all(isinstance(k, str) for k in value), value
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    assert value is None or isinstance(value, str | int | float | bool), value
    return value


def _int_keys(value: dict[str, Any]) -> dict[Any, Any]:
    """A JSON object back as it was written: Lark's tables keyed by numbers (states, tokens, its memo)."""
    pairs = value.get(_INT_KEYS)
    return value if pairs is None else {int(k): v for k, v in pairs}


def main() -> int:
    """Regenerate compiler/frontend/parse_tables.json from the grammar (after editing grammar/statute.lark)."""
    write_file(TABLES, tables_text(grammar_text()))  # the one atomic writer (compiler/foundation/atomic.py)
    print(f"wrote {TABLES}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
