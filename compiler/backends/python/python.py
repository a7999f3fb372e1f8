"""The checked statute -> one standalone, typed Python module that decides cases.

The module carries its runtime (compiler/values.py, runtime.py, runtime_trace.py, runtime_cases.py) inside it and
imports only the standard library.
It holds, in this order: the runtime; STATUTE; an IntEnum per enumeration and a frozen dataclass per record; the
parameters as constants; the literal values rules use; RULES, DEFINITIONS, OUTCOMES and ATOMS; GUARANTEES; the
Decision; the Evaluation (python_rules.py), with a method per guarantee (python_guarantees.py); `decide`,
`decision_as_dict`, `broken_guarantees` and `load_case`.

Every name written comes from the checked model and is checked again here; every string goes through repr();
statute text in docstrings and comments is escaped (python_text.py); the result must parse before it is returned.
"""

from __future__ import annotations

import re
import types
from typing import assert_never

from compiler.backends.python import naming
from compiler.backends.python.naming import MODULE_NAMES, PYTHON_NAMES, checked_ident, runtime_parts
from compiler.backends.python.python_decision import (
    record_decision,
    write_decide,
    write_decision,
    write_decision_as_dict,
)
from compiler.backends.python.python_evaluation import write_evaluation
from compiler.backends.python.python_formulas import function_name, write_formulas
from compiler.backends.python.python_guarantees import (
    check_guarantee_names,
    write_broken_guarantees,
    write_guarantee_table,
    write_set_aside_values,
)
from compiler.backends.python.python_literals import Literals, annotation
from compiler.backends.python.python_reader import UNUSUAL, calendar_bounds, reader_name, write_readers
from compiler.backends.python.python_requirements import write_load_case
from compiler.backends.python.python_scales import scale_function, write_scales
from compiler.backends.python.python_tables import module_doc, write_parameters, write_statute, write_tables
from compiler.backends.python.python_text import Code, Writer, at_most_two_blank_lines, call, snake, string, tuple_of
from compiler.backends.python.runtime_cases import words_key
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.values import _shown as message_text


def generate(checked: ir.Checked) -> str:
    """The source of the module deciding cases under `checked`. Raises ValueError for a name that is not safe."""
    return generate_code(checked)[0]


def generate_code(checked: ir.Checked, filename: str = "<generated module>") -> tuple[str, types.CodeType]:
    """The module's source, and the code its syntax check compiled from it as `filename`: loading it runs that code
    rather than compiling a large module a second time (build.load_module)."""
    _check_names(checked)
    check_guarantee_names(checked)
    literals = Literals(checked)
    atoms: dict[int, str] = {}
    evaluation, loaders, vocabulary, formulas = Writer(), Writer(), Writer(), Writer()
    write_formulas(formulas, checked, literals, atoms)
    write_evaluation(evaluation, checked, literals, atoms)
    _write_loaders(loaders, checked, literals)
    write_readers(loaders, checked, literals)
    _write_vocabulary(vocabulary, checked)
    imports, runtime = runtime_parts()
    out = Writer()
    out.docstring(module_doc(checked))
    out.line()
    out.line("from __future__ import annotations")
    out.line()
    out.lines.extend(imports)
    out.line()
    out.line("# ---- runtime, copied from compiler/values.py and compiler/backends/runtime*.py " + "-" * 26)
    out.line()
    out.lines.extend(runtime.splitlines())
    out.line()
    out.line()
    out.line("# ---- the statute " + "-" * 90)
    out.line()
    write_statute(out, checked)
    out.lines.extend(vocabulary.lines)
    write_parameters(out, checked)
    write_scales(out, checked)
    for name, type_, code in literals.constants:
        out.line(f"{name}: Final[{type_}] = {code}")
    write_tables(out, checked, atoms)
    write_guarantee_table(out, checked)
    write_decision(out, checked)
    out.lines.extend(formulas.lines)
    if formulas.lines:
        out.line()
        out.line()
    out.lines.extend(evaluation.lines)
    _write_entry_points(out, checked)
    write_broken_guarantees(out, checked)
    write_set_aside_values(out, checked, literals, atoms)
    out.lines.extend(loaders.lines)
    source = at_most_two_blank_lines(out.text())
    try:
        # Compiled rather than parsed into an ast: the same syntax check (and a stricter one) at a third of the cost
        # on a large module, since no tree of Python objects is built; and the code is what loading the module runs.
        compiled = compile(source, filename, "exec", dont_inherit=True)
    except SyntaxError as exc:  # a bug in this backend, never the drafter's doing
        raise ValueError(f"the generated module does not parse: {exc}") from exc
    return source, compiled


# ------------------------------------------------------------------ names


def _check_names(checked: ir.Checked) -> None:
    """Every name the module will define, checked: identifiers, not Python's or the runtime's, each used once."""
    taken: set[str] = set()

    def module_level(name: str, what: str) -> None:
        checked_ident(name, what)
        if name.startswith("_") or name in MODULE_NAMES or name in PYTHON_NAMES or name in taken:
            raise ValueError(f"{what} {name!r} clashes with a name the generated module already uses")
        taken.add(name)

    for e in checked.enums:
        module_level(naming.name(e.ident), "the enumeration")
        _unique([checked_ident(v.ident, "the enumeration value") for v in e.values], f"values of {e.label}")
        _unique([words_key(v.text) for v in e.values], f"the words of the values of {e.label}")
        if any(v.ident.startswith("_") for v in e.values):
            raise ValueError(f"a value of {e.label} starts with '_'")
    for r in checked.records:
        module_level(naming.name(r.ident), "the record")
    for record in dict.fromkeys(group.record for group in checked.record_outcomes):
        module_level(record_decision(record), "the decision of a record")
    for formula in checked.formulas:
        module_level(function_name(formula.ident), "the formula")
    for r in checked.records:
        for f in r.fields:
            attribute = naming.attribute_ident(f.ident)
            if f.ident.startswith("_") or attribute in naming.ANNOTATION_NAMES or attribute in taken:
                raise ValueError(f"the field {f.ident!r} of {r.label} clashes with a type name")
        _unique([f.ident for f in r.fields], f"fields of {r.label}")
    for p in checked.parameters:
        module_level(naming.name(p.ident), "the parameter")
    for scale in checked.scales:
        module_level(scale_function(scale), "the scale")
    definitions = [naming.ident(d.ident, "the definition") for d in checked.definitions]
    _unique(definitions, "definitions")
    for name in definitions:
        if name.startswith("_") or name in {"case", "trace"}:
            raise ValueError(f"the definition {name!r} clashes with an attribute of Evaluation")
    rules = [naming.ident(r.ident, "the rule") for d in checked.definitions for r in d.rules]
    _unique(rules, "rules")
    for name in rules:
        if name in MODULE_NAMES | PYTHON_NAMES or name in taken:
            raise ValueError(f"the rule {name!r} clashes with a name the generated module uses")
    if not set(checked.outcomes) <= {d.ident for d in checked.definitions}:
        raise ValueError("an outcome has no definition")


def _unique(names: list[str], what: str) -> None:
    if len(set(names)) != len(names):
        raise ValueError(f"the {what} are not all different: {sorted(names)}")


def _private(ident: str, prefix: str) -> str:
    """`_parse_gravity`, `_load_charge`: a helper's name from the validated PascalCase ident it serves."""
    return prefix + re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", ident).lower()


# ------------------------------------------------------------------ the module's header and vocabulary


def _write_vocabulary(w: Writer, checked: ir.Checked) -> None:
    for e in checked.enums:
        _write_enumeration(w, e)
    for r in checked.records:
        w.line()
        w.line()
        w.line("@dataclasses.dataclass(frozen=True, slots=True)")
        with w.block(f"class {naming.name(r.ident)}:"):
            w.docstring([f"{_a(r.label)}, as a case gives it (the keys of a JSON case are the field names)."])
            w.line()
            for f in r.fields:
                annotated = _optional(annotation(f.type), f.optional)
                w.line(f"{naming.attribute(f.ident)}: {annotated}{_field_comment(f)}")
            if checked.takes_id(r.ident):
                w.line("id: str | int | None = None  # names the record in results and messages; no fact")
    w.line()


def _a(label: str) -> str:
    """`label` after its indefinite article: "an amnesty measure", "a charge"."""
    return f"{'An' if label[:1].lower() in 'aeiou' else 'A'} {label}"


def _write_enumeration(w: Writer, e: ir.EnumDef) -> None:
    ident = naming.name(e.ident)
    words = _private(ident, "_").upper() + "_TEXT"
    w.line()
    w.line()
    with w.block(f"class {ident}(enum.IntEnum):"):
        w.docstring([f"{e.label}: {', '.join(v.text for v in e.values)} (in this order, for 'at least')."])
        w.line()
        for number, v in enumerate(e.values, start=1):
            w.line(f"{v.ident} = {number}")
        w.line()
        w.line("@property")
        with w.block("def text(self) -> str:"):
            w.docstring(["The drafter's words for this value."])
            w.line(f"return {words}[self]")
    w.line()
    w.line()
    with w.block(f"{words}: Final[dict[{ident}, str]] = {{"):
        for v in e.values:
            w.line(f"{ident}.{v.ident}: {string(v.text)},")
    w.line("}")
    w.line(f"{_private(ident, '_parse_')}: Final = enum_parser({ident})")
    w.line()
    w.line()
    with w.block(f"class _{ident}:"):
        w.docstring([f"The values of {ident} for the rules: Python 3.11 looks an Enum's members up slowly."])
        w.line()
        for v in e.values:
            w.line(f"{v.ident}: Final = {ident}.{v.ident}")


def _field_comment(f: ir.FieldDef) -> str:
    notes = [] if words_key(f.label) == f.ident.replace("_", " ") else [f.label]
    if f.low is not None and f.high is not None:
        notes.append(f"from {_shown(f.low)} to {_shown(f.high)}")
    text = "; ".join(notes)
    return "  # " + "".join(c if c.isprintable() else " " for c in " ".join(text.split())) if text else ""


def _shown(value: ir.Value) -> str:
    """A bound as the module's messages write it (values._shown): "30 years", "2022-01-01", "0.5", not "1/2"."""
    return message_text(value)


# ------------------------------------------------------------------ entry points and case reading


def _write_entry_points(w: Writer, checked: ir.Checked) -> None:
    write_decide(w, checked)
    write_decision_as_dict(w, checked)
    _write_load_case(w, checked)


def _write_load_case(w: Writer, checked: ir.Checked) -> None:
    root = naming.name(checked.root)
    w.line()
    w.line()
    has_id = any(f.ident == "id" for f in checked.record(checked.root).fields)
    name = "read_case" if checked.requirements else "load_case"  # load_case then checks the requirements too
    with w.block(f"def {name}(data: Mapping[str, object]) -> {root}:"):
        w.docstring(
            [
                "The case `data` gives, as a JSON case file carries it; every field is checked.",
                "",
                'Raises CaseError listing every problem found. A top-level "id" names the case and is ignored.',
                "",
                f"One reader with one fast path: {reader_name(root)} takes a case whose every value is plainly "
                "right, as almost every row of a register is, with lookups written inline; at anything else the "
                f"careful reader {_private(root, '_load_')} reads the case again and names every problem. Both "
                "build equal records wherever the fast one succeeds (tests/test_runtime.py checks it).",
            ]
        )
        if not has_id:
            # A dict first: an isinstance check against the Mapping ABC costs a tenth of reading a plain case.
            with w.block('if (isinstance(data, dict) or isinstance(data, Mapping)) and "id" in data:'):
                w.line('data = {key: value for key, value in data.items() if key != "id"}')
        with w.block("try:"):
            w.line(f"return {reader_name(root)}(data)")
        with w.block(f"except {UNUSUAL}:"):
            w.comment("not plainly right: the careful reader says what is wrong")
            w.line("pass")
        w.line("problems: list[Problem] = []")
        path = snake(checked.record(checked.root).label) or "case"
        w.line(f"case = {_private(root, '_load_')}(data, {string(path)}, problems)")
        with w.block("if problems:"):
            w.line("raise CaseError(problems)")
        w.line("return case")
    if checked.requirements:
        write_load_case(w, checked, root)


def _write_loaders(w: Writer, checked: ir.Checked, literals: Literals) -> None:
    for r in checked.records:
        ident = naming.name(r.ident)
        w.line()
        w.line()
        with w.block(f"def {_private(ident, '_load_')}(data: object, path: str, problems: list[Problem]) -> {ident}:"):
            w.docstring([f"{_a(r.label)} from `data`, at `path` in the case; problems go to `problems`."])
            fields = tuple_of([Code(string(f.ident)) for f in r.fields])
            named = ("True",) if checked.takes_id(r.ident) else ()  # it may carry an id
            w.statement("read = ", call("CaseReader", "data", "path", "problems", fields, *named))
            with w.block(f"return {ident}("):
                for f in r.fields:
                    w.statement(f"{naming.attribute(f.ident)}=", _read(f, checked, literals), ",")
                if checked.takes_id(r.ident):
                    w.line("id=read.element_id(),")
            w.line(")")


def _read(f: ir.FieldDef, checked: ir.Checked, literals: Literals) -> Code:
    key = string(f.ident)
    if f.type.traits.container:
        loader = _private(naming.ident(f.type.name or "", "the record"), "_load_")
        method = ("optional_" if f.optional else "") + ("records" if f.type.kind is Kind.LIST else "record")
        return call(f"read.{method}", key, loader)
    parse, fallback = _parser(f.type, checked)
    if f.low is not None and f.high is not None:
        low, high = literals.code(f.low, f.type), literals.code(f.high, f.type)
        method = f"read.{'optional' if f.optional else 'required'}_between"
        if calendar_bounds(f):
            return call(method, key, parse, low, high, "True")
        if f.type.kind is Kind.PERCENTAGE:  # "must be from 0% to 100%", not from 0 to 1
            return call(method, key, parse, low, high, "shown=percentage_text")
        return call(method, key, parse, low, high)
    return call("read.optional", key, parse) if f.optional else call("read.required", key, parse, fallback)


def _parser(t: ir.Type, checked: ir.Checked) -> tuple[str, str]:
    """The runtime's parser of a fact of type `t` in a case, and the value the careful reader keeps on a problem."""
    match t.kind:
        case Kind.BOOL:
            return "parse_bool", "False"
        case Kind.INT:
            return "parse_int", "0"
        case Kind.NUMBER | Kind.MONEY:
            return "parse_decimal", "Fraction(0)"
        case Kind.PERCENTAGE:
            return "parse_percentage", "Fraction(0)"
        case Kind.CITATION:
            return "parse_cited", "CitedProvisions(((1, 0, 0, 0),))"
        case Kind.DATE:
            return "parse_date", "datetime.date.min"
        case Kind.DURATION:
            return "parse_duration", "Duration()"
        case Kind.TEXT:
            return "parse_text", '""'
        case Kind.ENUM:
            enum = checked.enum(t.name or "")
            ident = naming.name(enum.ident)
            return _private(ident, "_parse_"), f"{ident}.{enum.values[0].ident}"
        case Kind.PERIOD | Kind.RECORD | Kind.LIST:
            raise ValueError(f"a case cannot give {t.describe()}")
        case _:
            assert_never(t.kind)


def _optional(annotation: str, optional: bool) -> str:
    return f"{annotation} | None" if optional else annotation
