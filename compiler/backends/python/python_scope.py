"""What one generated method calls things (MethodScope): the case's root record, the record it is about, quantifier
variables, facts and definitions kept in locals, and the locals a traced test keeps its operands in, named for what
they hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from compiler.backends.python import naming
from compiler.backends.python.naming import LOCAL_NAMES, MODULE_NAMES, PYTHON_NAMES
from compiler.backends.python.python_literals import Literals
from compiler.backends.python.python_text import Code, snake, walrus
from compiler.backends.python.stops import Stops
from compiler.model import ir
from compiler.model.walk import shape


def root_local(checked: ir.Checked, taken: frozenset[str] | set[str] = frozenset()) -> str:
    """The local name a generated method gives the case's root record (its label, as `person`), or `self.case`
    where that name is taken by the module, Python or the method's own locals (`taken`)."""
    root = snake(checked.record(checked.root).label)
    if root is None or root in LOCAL_NAMES | MODULE_NAMES | PYTHON_NAMES | taken:
        return "self.case"
    return root


@dataclass
class MethodScope:
    """What one generated method calls things: the case's root record, the record it is about, quantifier
    variables, and the temporaries of traced comparisons."""

    checked: ir.Checked
    literals: Literals
    atoms: dict[int, str]  # atom id -> the drafter's words, for the whole module
    definition: str  # the label of the definition being decided, for UndecidedError
    root: str  # the local name of the case's root record, or "self.case"
    reserved: set[str] = field(default_factory=set)  # other local names of the method: its rules' flags
    renames: dict[str, str] = field(default_factory=dict)
    uses_root: bool = False
    temporaries: set[str] = field(default_factory=set)
    temporary_names: dict[object, str] = field(default_factory=dict)  # by the shape of what they hold
    locals: dict[tuple[str, ...], str] = field(default_factory=dict)  # facts read once into a local, by key
    bound: dict[tuple[str, ...], str] = field(default_factory=dict)  # those of them in use where code is written
    decided: dict[tuple[str, ...], str] = field(default_factory=dict)  # definitions decided first, into locals
    binding: dict[tuple[str, ...], str] = field(default_factory=dict)  # to keep where first written: `(x := ...)`
    known: set[object] = field(default_factory=set)  # shapes of tests known to hold where code is written
    stops: Stops | None = None  # what may stop a decision (stops.py); None: worked out where asked

    def var(self, name: str) -> str:
        """The Python name of a quantifier's or the subject's variable, clear of every name the module uses."""
        if name not in self.renames:
            safe = naming.ident(name, "the variable")
            taken = self._taken() | set(self.locals.values()) | self.temporaries
            while safe in taken:
                safe += "_"
            self.renames[name] = safe
        return self.renames[name]

    def local(self, key: tuple[str, ...], base: str) -> str:
        """A local variable to hold the fact `key`, the same one each time it is asked for."""
        if key not in self.locals:
            taken = self._taken() | set(self.locals.values()) | self.temporaries
            name = naming.ident(base, "the field")
            while name in taken:
                name += "_"
            self.locals[key] = name
        return self.locals[key]

    def _taken(self) -> set[str]:
        formulas = {naming.name(f.ident) for f in self.checked.formulas}  # module functions a method may call
        taken = set(LOCAL_NAMES | MODULE_NAMES | PYTHON_NAMES) | self.reserved | {self.root} | formulas
        return taken | set(self.renames.values())

    def kept(self, e: ir.Expr, left: Code, right: Code) -> tuple[Code, str, Code, str]:
        """How a traced test makes and logs its operands: (left as the test makes it, left as it is logged, the same
        of the right). A constant or a local is used as it is; anything else is kept in a local named for what it
        holds (`stage`, `gravest_gravity`) as it is first evaluated: the same name for the same operand throughout
        the method (it holds a value of one type), another, with a number on a clash (`stage_2`), for the rest."""
        (left_words, left_key), (right_words, right_key) = _operands(e)
        kept: list[tuple[Code, str]] = []
        for code, words, key in ((left, left_words, left_key), (right, right_words, right_key)):
            if _SIMPLE.fullmatch(code.text):
                kept.append((code, code.text))
            else:
                name = self._temporary(words, shape(key))
                kept.append((walrus(name, code), name))
        return kept[0][0], kept[0][1], kept[1][0], kept[1][1]

    def _temporary(self, base: str, key: object) -> str:
        if key in self.temporary_names:
            return self.temporary_names[key]
        base = naming.name(base)
        taken = self._taken() | set(self.locals.values()) | self.temporaries
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        self.temporaries.add(name)
        self.temporary_names[key] = name
        return name


# An operand the trace can log as it is written: a local, a number, a constant, an enumeration's value.
_SIMPLE = re.compile(r"-?[0-9]+|[A-Za-z_][A-Za-z0-9_]*|_?[A-Z][A-Za-z0-9_]*\.[A-Z][A-Z0-9_]*")
_OPERATOR_WORDS = {"+": "plus", "-": "minus", "*": "times", "/": "over"}


def _holds(e: ir.Expr | None) -> str | None:
    """The words of what `e` holds, for a local: a fact's or definition's key, a parameter's, a value's, or words
    made of them (`number_of_charges`, `sentence_start_plus_reduced_sentence`); None past 40 letters."""
    words: str | None = None
    if isinstance(e, ir.FieldRef):
        words = e.field
    elif isinstance(e, ir.DefRef):
        words = e.definition
    elif isinstance(e, ir.ParamRef):
        words = e.ident.lower()
    elif isinstance(e, ir.EnumLit):
        words = e.value.lower()
    elif isinstance(e, ir.CountE):
        words = _joined("number_of", _holds(e.source))
    elif isinstance(e, ir.Round):
        words = _joined("rounded", _holds(e.operand))
    elif isinstance(e, ir.Agg):
        words = _joined(f"{e.kind}_{_holds(e.value)}", _holds(e.source))
    elif isinstance(e, ir.Arith) and e.op in _OPERATOR_WORDS:
        words = _joined(f"{_holds(e.left)}_{_OPERATOR_WORDS[e.op]}", _holds(e.right))
    return words if words is not None and "None" not in words and len(words) <= 40 else None


def _joined(head: str, tail: str | None) -> str | None:
    return None if tail is None else f"{head}_{tail}"


def _operands(e: ir.Expr) -> tuple[tuple[str, object], tuple[str, object]]:
    """What the operands of test `e` hold, and the operands: (`stage`, ...), (`stage_options`, ...) for `the stage
    is one of ...`."""
    if isinstance(e, ir.Cmp):
        return (_holds(e.left) or "left", e.left), (_holds(e.right) or "right", e.right)
    if isinstance(e, ir.OneOf):
        left = _holds(e.operand)
        return (left or "left", e.operand), (f"{left}_options" if left else "options", e.values)
    if isinstance(e, ir.Within):
        left, ends = _holds(e.operand), (e.period, e.low, e.high)
        return (left or "left", e.operand), (_holds(e.period) or (f"{left}_bounds" if left else "bounds"), ends)
    raise ValueError(f"not a test of two operands: {type(e).__name__}")
