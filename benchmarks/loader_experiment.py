"""EXPERIMENT (not part of the compiler): how much of `load_case` two runtime changes would save.

It patches a loaded amnesty module, in memory only: (1) each enumeration parser looks the exact text up in a dict
before normalising the words; (2) dates and durations are parsed once per distinct text. It prints `load_case`'s
cost per case as generated and with each change, on a synthetic register. Run: python benchmarks/loader_experiment.py

Both changes are now in the runtime's case reader (compiler/backends/python/runtime_cases.py: `enum_parser`'s `by_text`,
`parse_date` and `parse_duration` keeping what they parsed), so the three figures are now about the same: the
experiment stays as the record of how they were measured (26.3 -> 16.4 -> 12.2 µs a case before they went in).

Since then `load_case` reads a plain case with the generated fast reader (compiler/backends/python/python_reader.py) and
leaves only the others to those careful readers; the last line times the careful reader alone, as every case was
read before (about 9 -> 4.3 µs a case).
"""

from __future__ import annotations

import functools
import sys
import time
import types
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from compiler.driver import build  # noqa: E402
from compiler.population.synth import Generator, load_profile, profile_path  # noqa: E402

AMNESTY = ROOT / "statutes" / "kz_amnesty_2022.statute"


def timed(module: types.ModuleType, cases: list[dict[str, Any]], label: str) -> None:
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        for case in cases:
            module.load_case(case)
        best = min(best, time.perf_counter() - start)
    print(f"{label:50s} {best / len(cases) * 1e6:6.2f} µs/case")


def exact_text_first(module: types.ModuleType) -> None:
    for name in dir(module):
        if not name.startswith("_parse_"):
            continue
        wanted = name[len("_parse_") :].replace("_", "")
        enum_class = next((getattr(module, n) for n in dir(module) if n.lower() == wanted), None)
        if enum_class is None or not hasattr(enum_class, "__members__"):
            continue
        exact = {member.text: member for member in enum_class}
        slow = getattr(module, name)

        def fast(value: object, exact: dict[str, Any] = exact, slow: Any = slow) -> Any:
            found = exact.get(value) if isinstance(value, str) else None
            return found if found is not None else slow(value)

        setattr(module, name, fast)


def cached_by_text(module: types.ModuleType) -> None:
    for name in ("parse_date", "parse_duration"):
        parse = getattr(module, name)
        cached = functools.lru_cache(maxsize=4096)(parse)

        def by_text(value: object, parse: Any = parse, cached: Any = cached) -> Any:
            return cached(value) if isinstance(value, str) else parse(value)

        setattr(module, name, by_text)


def main() -> None:
    checked = build.check_file(AMNESTY)
    module = build.load_module(checked)
    cases = list(Generator(checked, load_profile(profile_path(AMNESTY))).cases(20_000, seed=1))
    for case in cases:
        del case["id"]
    timed(module, cases, "load_case as generated")
    exact_text_first(module)
    timed(module, cases, "+ enumeration values: exact text looked up first")
    cached_by_text(module)
    timed(module, cases, "+ dates and durations parsed once per text")
    careful = types.SimpleNamespace(load_case=lambda data: module._load_person(data, "person", []))
    timed(careful, cases, "the careful reader alone (as load_case was)")  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
