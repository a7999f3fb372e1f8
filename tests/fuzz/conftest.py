"""Hypothesis profiles for the fuzz suites only, and a tally of the inputs each suite tried.

`fuzz-ci` (the default) is derandomized with small example counts, so `.ci/run` stays within its budget and every
run tries the same inputs. `FUZZ_EXAMPLES=5000 python -m pytest tests/fuzz` switches to `fuzz-long`: random inputs,
each suite's count scaled up (see support.examples). Nothing here changes the settings of the other test suites:
the profiles are registered, never loaded, and each fuzz test names its profile in its own @settings.
"""

from __future__ import annotations

import pytest

from fuzz.support import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY:
        return
    terminalreporter.section("fuzz: inputs tried")
    for suite in sorted(TALLY):
        counts = ", ".join(f"{key} {n}" for key, n in sorted(TALLY[suite].items()))
        terminalreporter.write_line(f"{suite}: {counts}")
