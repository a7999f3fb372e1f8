"""What every command shares: loading a statute with its diagnostics printed, and colour only on a terminal."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from compiler.driver import build
from compiler.foundation.wording import counted
from compiler.frontend.diagnostics import StatuteError, Style, render_all, visible
from compiler.model import ir

Handler = Callable[[argparse.Namespace], int]


def style_for(stream: TextIO) -> Style:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR") or not hasattr(stream, "isatty") or not stream.isatty():
        return Style()
    return Style.coloured()


def load_checked(
    path: str, style: Style | None = None, cache_dir: Path | None = None, errors_only: bool = False
) -> ir.Checked:
    """Parse and check a statute, printing diagnostics (`errors_only`: not its warnings); SystemExit(1) on errors.
    Every command loads through here."""
    file = Path(path)
    if not file.is_file():
        print(f"statute: no such statute file: {visible(path)}", file=sys.stderr)
        raise SystemExit(1)
    try:
        return build.check_file(file, cache_dir)
    except StatuteError as exc:
        source = file.read_text(encoding="utf-8", errors="replace")
        shown = [d for d in exc.diagnostics if d.is_error or not errors_only]
        print(render_all(shown, source, style or Style()), file=sys.stderr)
        errors = sum(1 for d in exc.diagnostics if d.is_error)
        print(f"\n{visible(path)}: {counted(errors, 'error')}", file=sys.stderr)
        raise SystemExit(1) from None
