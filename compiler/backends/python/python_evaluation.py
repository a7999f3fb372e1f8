"""The Evaluation class of a generated module: one case being decided, with its slots, and a method per definition
(python_rules.py), guarantee (python_guarantees.py) and requirement (python_requirements.py).
"""

from __future__ import annotations

from compiler.backends.python import naming
from compiler.backends.python.python_guarantees import write_guarantee_methods
from compiler.backends.python.python_literals import Literals
from compiler.backends.python.python_method import result_annotation
from compiler.backends.python.python_parts import write_definition
from compiler.backends.python.python_requirements import write_requirement_methods
from compiler.backends.python.python_text import WIDTH, Writer, string
from compiler.backends.python.stops import Stops
from compiler.model import ir


def write_evaluation(w: Writer, checked: ir.Checked, literals: Literals, atoms: dict[int, str]) -> None:
    root = naming.ident(checked.root, "the root record")
    cached = [d for d in checked.definitions if d.owner is None]
    stops = Stops(checked)
    with w.block("class Evaluation:"):
        w.docstring(
            [
                "One case being decided: a method per outcome, definition and predicate, named after it.",
                "",
                "Case-level definitions are decided at most once and kept in their slot; a record's definitions "
                '("a charge is ...") take the record and are decided at each use. With a Trace, every method also '
                "reports what it looked at (see Trace).",
            ]
        )
        w.line()
        slots = ["case", "trace"] + [f"_{naming.ident(d.ident, 'the definition')}" for d in cached]
        one_line = f"__slots__ = ({', '.join(map(string, slots))})"
        if len(one_line) + 4 <= WIDTH:
            w.line(one_line)
        else:
            with w.block("__slots__ = ("):
                for slot in slots:
                    w.line(f"{string(slot)},")
            w.line(")")
        w.line()
        w.line(f"case: {root}")
        w.line("trace: Trace | None")
        for d in cached:
            w.line(f"_{naming.name(d.ident)}: {result_annotation(d, unset=True)}")
        w.line()
        with w.block(f"def __init__(self, case: {root}, trace: Trace | None = None) -> None:"):
            w.line("self.case = case")
            w.line("self.trace = trace")
            for d in cached:
                w.line(f"self._{naming.name(d.ident)} = _UNSET")
        taken = {
            f"_{naming.ident(d.ident, 'the definition')}{end}" for d in checked.definitions for end in ("", "_traced")
        }
        for d in checked.definitions:
            w.line()
            write_definition(w, checked, literals, atoms, d, stops, taken)
        write_guarantee_methods(w, checked, literals, atoms)
        write_requirement_methods(w, checked, literals, atoms)
