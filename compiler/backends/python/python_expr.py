"""Checked expressions -> Python expressions, in two forms from the same code: plain, for deciding as fast as
hand-written code, and traced, where each atom of a condition also reports itself to the Trace.

Conditions become plain Python (`charge.gravity >= Gravity.GRAVE`, `person.stage in (Stage.A, Stage.B)`,
`EVENTS_PERIOD.start <= d <= EVENTS_PERIOD.end`, `any(... for charge in person.charges)`); a fact or definition that
may be missing is unwrapped with `given(...)`, which raises UndecidedError naming what is missing.
"""

from __future__ import annotations

from compiler.backends.python import naming
from compiler.backends.python.analysis import fact_key, needs_no_case
from compiler.backends.python.naming import checked_ident
from compiler.backends.python.python_literals import zero
from compiler.backends.python.python_scales import scale_function
from compiler.backends.python.python_scope import MethodScope
from compiler.backends.python.python_text import (
    ADD,
    AND,
    ATOM,
    CMP,
    MUL,
    OR,
    Code,
    call,
    generator,
    joined,
    negation,
    paren,
    string,
    tuple_of,
    walrus,
)
from compiler.backends.python.runtime import ROUNDING_MODES
from compiler.model import ir
from compiler.model.kinds import Kind
from compiler.model.walk import shape

_OPS = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_PLACES = {"cents": 2, "units": 0}


class Expressions:
    """Writes expressions of one method, `traced` or plain."""

    def __init__(self, scope: MethodScope, traced: bool) -> None:
        self.scope = scope
        self.traced = traced
        self.checked = scope.checked
        # traced_test's capture: the parts of the test `capturing`, not of a test inside it (the condition of
        # `the number of charges where ...` is traced as it always is, within the loop)
        self.captured: list[tuple[Code, Code, str, str]] | None = None
        self.capturing: ir.Expr | None = None  # the test traced_test asks for; a test inside its operands is traced

    # ---------------------------------------------------------------- entry points

    def condition(self, e: ir.Expr) -> Code:
        """A yes/no used as a condition: atoms are traced in the traced form."""
        known = self.scope.known if not self.traced else ()  # (shapes are compared only when there are some)
        if known and shape(e) in known:
            return Code("True")  # the plain form need not ask again; the traced form reports it
        if isinstance(e, ir.And):
            items = [i for i in e.items if not known or shape(i) not in known] or e.items[:1]
            return joined(tuple(paren(self.condition(i), AND) for i in items), "and", AND)
        if isinstance(e, ir.Or):
            return joined(tuple(paren(self.condition(i), AND + 1) for i in e.items), "or", OR)
        if isinstance(e, ir.NotE):
            return negation(self.condition(e.operand))
        if isinstance(e, ir.Lit) and isinstance(e.value, bool):
            return Code(repr(e.value))
        if isinstance(e, ir.DefRef | ir.FieldRef | ir.ParamRef):
            return self._truth(e, self.value(e))
        if isinstance(e, ir.Cmp):
            return self._cmp(e)
        if isinstance(e, ir.OneOf):
            return self._one_of(e)
        if isinstance(e, ir.Within):
            return self._within(e)
        if isinstance(e, ir.Known):
            return self._known(e)
        if isinstance(e, ir.Quant):
            return self._quant(e)
        if isinstance(e, ir.InRole):  # the very record: `is`, not the equality of two records' facts
            subject, role = self.value(e.subject).text, self.value(e.role).text
            return self._truth(e, Code(f"any(_member is {subject} for _member in {role})"))
        return self.value(e)

    def value(self, e: ir.Expr, want: ir.Type | None = None) -> Code:
        """A value that must be known: a missing fact or open definition raises UndecidedError."""
        key = fact_key(e)
        if key is not None and key in self.scope.bound:
            return Code(self.scope.bound[key])
        code = self.maybe(e, want)
        if _may_be_missing(e, self.checked):
            return call("given", code, string(self.scope.definition), string(self._missing(e)))
        return code

    def maybe(self, e: ir.Expr, want: ir.Type | None = None) -> Code:
        """A value, None when a fact or definition that may be missing is missing; `want` widens int to Fraction."""
        code = self._value(e)
        if want is not None and want.traits.exact_fraction and e.type.kind is Kind.INT:
            if isinstance(e, ir.Lit) and isinstance(e.value, int):
                return Code(self.scope.literals.code(e.value, want))
            return Code(f"Fraction({code.text})")
        return code

    # ---------------------------------------------------------------- values

    def _value(self, e: ir.Expr) -> Code:
        scope = self.scope
        if isinstance(e, ir.Lit):
            return Code(scope.literals.code(e.value, e.type))
        if isinstance(e, ir.EnumLit):  # through the plain namespace `_Gravity`: see python.py
            return Code(f"_{naming.ident(e.enum, 'the enumeration')}.{checked_ident(e.value, 'the value')}")
        if isinstance(e, ir.ParamRef):
            return Code(naming.ident(e.ident, "the parameter"))
        if isinstance(e, ir.RootRef):
            scope.uses_root = True
            return Code(scope.root)
        if isinstance(e, ir.VarRef):
            return Code(scope.var(e.var))
        if isinstance(e, ir.InputRef):
            return Code(scope.var(e.input))
        if isinstance(e, ir.Call):  # a module-level function (python_formulas.py), its inputs in declared order
            formula = self.checked.formula(e.formula)
            args = [self.value(a, i.type) for a, i in zip(e.args, formula.inputs, strict=True)]
            return call(naming.ident(e.formula, "the formula"), *args)
        if isinstance(e, ir.FieldRef):
            subject = paren(self.value(e.subject), ATOM)
            return Code(f"{subject.text}.{naming.attribute_ident(e.field)}")
        if isinstance(e, ir.DefRef):
            key = fact_key(e)
            if key in scope.decided:
                return Code(scope.decided[key])
            method = naming.ident(e.definition, "the definition")
            argument = "" if e.subject is None else self.value(e.subject).text
            if key in scope.binding:  # kept where it is first evaluated, for the rules after (python_statements.py)
                scope.decided[key] = scope.binding.pop(key)
                return walrus(scope.decided[key], Code(f"self.{method}({argument})"))
            return Code(f"self.{method}({argument})")
        if isinstance(e, ir.Arith | ir.Round | ir.MinMax | ir.ScaleApplied) and needs_no_case(e):
            code = self._computed(e)  # the same for every case: computed once, when the module is imported
            words = " ".join(w for w in self.checked.words(e.span).split() if w.lower() not in {"the", "a", "an"})
            return Code(scope.literals.constant(code.text, e.type, words))
        return self._computed(e)

    def _computed(self, e: ir.Expr) -> Code:
        if isinstance(e, ir.Arith):
            return self._arith(e)
        if isinstance(e, ir.Round):
            return self._round(e)
        if isinstance(e, ir.ScaleApplied):
            return call(scale_function(e.scale), self.value(e.base))
        if isinstance(e, ir.MinMax):
            function = {"least": "min", "greatest": "max"}[e.kind]
            return call(function, self.value(e.left, e.type), self.value(e.right, e.type))
        if isinstance(e, ir.CountE):
            return self._count(e)
        if isinstance(e, ir.Agg):
            return self._aggregate(e)
        if isinstance(e, ir.Members):  # the group's roles, one after the other
            return Code("(" + ", ".join(f"*{self.value(r).text}" for r in e.roles) + ",)")
        return self.condition(e)

    def _missing(self, e: ir.Expr) -> str:
        return f"{self.checked.words(e.span) or 'a fact'} is not given"

    def _arith(self, e: ir.Arith) -> Code:
        """Python's own operators: ints and Fractions mix exactly, and Duration knows dates and numbers."""
        if e.op not in {"+", "-", "*", "/"} | ir.WHOLE_UNITS:
            raise ValueError(f"unknown operator {e.op!r}")
        lk, rk = e.left.type.kind, e.right.type.kind
        left, right = self.value(e.left), self.value(e.right)
        if e.op == "-" and lk is rk is Kind.DATE:
            return call("days_between", left, right)
        if e.op in ir.WHOLE_UNITS:
            return call("whole_between", string(e.op), left, right)
        if e.op == "/" and lk is rk is Kind.INT:
            return call("Fraction", left, right)
        if e.op == "+" and lk is Kind.DURATION and rk is Kind.DATE:
            left, right = right, left  # date + Duration goes through Duration.__radd__
        prec = ADD if e.op in "+-" else MUL
        return joined((paren(left, prec), paren(right, prec + 1)), e.op, prec)

    def _round(self, e: ir.Round) -> Code:
        if e.mode not in ROUNDING_MODES:
            raise ValueError(f"unknown rounding mode {e.mode!r}")
        operand = self.value(e.operand)
        if e.type.kind is Kind.DURATION:
            if e.unit not in {"days", "months", "years"}:
                raise ValueError(f"cannot round a duration to {e.unit!r}")
            return call("round_duration", operand, string(e.unit), string(e.mode))
        if e.unit.startswith("places:"):
            places = int(e.unit.removeprefix("places:"))
        elif e.unit in _PLACES:
            places = _PLACES[e.unit]
        else:
            raise ValueError(f"cannot round a number to {e.unit!r}")
        if e.type.kind is Kind.INT:
            return call("round_whole", operand, string(e.mode))
        return call("round_number", operand, str(places), string(e.mode))

    # ---------------------------------------------------------------- lists

    def _loop(self, source: ir.Expr, var: str, atom: int) -> str:
        """`for charge in person.charges`, the list walked through the Trace in the traced form."""
        walked = self.value(source).text
        if self.traced:
            walked = f"trace.each({atom}, {walked})"
        return f"for {self.scope.var(var)} in {walked}"

    def _count(self, e: ir.CountE) -> Code:
        if e.where is None:
            return Code(f"len({self.value(e.source).text})")
        loop = self._loop(e.source, e.var, e.span.start)
        return generator("sum", "1", loop, f"if {self.condition(e.where).text}")

    def _aggregate(self, e: ir.Agg) -> Code:
        parts = [self.value(e.value, e.type).text, self._loop(e.source, e.var, e.span.start)]
        if e.where is not None:
            parts.append(f"if {self.condition(e.where).text}")
        elements = generator("", *parts)
        if e.kind == "total":
            return call("sum", elements, self.scope.literals.code(zero(e.type.kind), e.type))
        function = {"greatest": "max", "least": "min"}[e.kind]
        reason = f"{self.checked.words(e.span)}: there are none"
        return call("given", call(function, elements, "default=None"), string(self.scope.definition), string(reason))

    # ---------------------------------------------------------------- atoms

    def _truth(self, e: ir.Expr, code: Code) -> Code:
        if not self.traced:
            return code
        self.scope.atoms.setdefault(e.span.start, self.checked.words(e.span))
        return call("trace.truth", str(e.span.start), code)

    def _compare(self, e: ir.Expr, left: Code, right: Code, op: str, result: str = "") -> Code:
        """`left op right` plain; in the traced form reported with both operands, `result` (with {left} and
        {right}) saying how the test is made when it is not `left op right`."""
        if not self.traced:
            return joined((paren(left, CMP + 1), paren(right, CMP + 1)), op, CMP)
        if self.captured is not None and e is self.capturing:  # for traced_test: the parts, not the call
            self.captured.append((left, right, op, result))
            return Code("")
        atom = e.span.start
        self.scope.atoms.setdefault(atom, self.checked.words(e.span))
        left, lname, right, rname = self.scope.kept(e, left, right)
        test = (result or "{left} " + op + " {right}").format(left=lname, right=rname)
        return call("trace.compare", str(atom), left, right, test)

    def traced_test(self, e: ir.Expr) -> tuple[Code, Code, str, str] | None:
        """A comparison, one-of or within test as the traced form makes it: (left, right, the operator, or "" when
        the result is worked out otherwise, and how: with {left} and {right}); None for any other expression."""
        if not self.traced or not isinstance(e, ir.Cmp | ir.OneOf | ir.Within):
            return None
        self.captured, self.capturing = [], e
        try:
            self.condition(e)
            [(left, right, op, result)] = self.captured
        finally:
            self.captured, self.capturing = None, None
        return left, right, op, result or "{left} " + op + " {right}"

    def truth_value(self, e: ir.Expr) -> Code | None:
        """The yes/no a Truth event reports for `e`, unreported; None when `e` is not such an atom."""
        if isinstance(e, ir.DefRef | ir.FieldRef | ir.ParamRef):
            return self.value(e)
        if isinstance(e, ir.Known):
            operand = paren(self.maybe(e.operand), CMP + 1)
            return joined((operand, Code("None")), "is" if e.negated else "is not", CMP)
        return None

    def operands(self, e: ir.Expr) -> tuple[Code, ...]:
        """What the traced form reports of test `e` besides its result: (left, right) of a comparison, one-of or
        within; nothing for a yes/no."""
        if isinstance(e, ir.Cmp):
            return self.value(e.left), self.value(e.right)
        if isinstance(e, ir.OneOf):
            return self.value(e.operand), tuple_of([self.value(v) for v in e.values])
        if isinstance(e, ir.Within):
            ends = [e.period] if e.period is not None else [e.low, e.high]
            codes = [self.value(x) for x in ends if x is not None]
            return self.value(e.operand), codes[0] if len(codes) == 1 else tuple_of(codes)
        return ()

    def _cmp(self, e: ir.Cmp) -> Code:
        if e.op not in _OPS:
            raise ValueError(f"unknown comparison {e.op!r}")
        op = _OPS[e.op]
        if e.left.type.kind is Kind.ENUM and op in {"==", "!="}:
            op = "is" if op == "==" else "is not"  # enumeration values are singletons
        return self._compare(e, self.value(e.left), self.value(e.right), op)

    def _one_of(self, e: ir.OneOf) -> Code:
        options = tuple_of([self.value(v) for v in e.values])
        if e.operand.type.kind is Kind.CITATION:  # within, not equal: "Article 111 part 2" is one of "Article 111"
            if not self.traced:
                test = call("cited_within", self.value(e.operand), options)
                return negation(test) if e.negated else test
            result = ("not " if e.negated else "") + "cited_within({left}, {right})"
            return self._compare(e, self.value(e.operand), options, "", result)
        return self._compare(e, self.value(e.operand), options, "not in" if e.negated else "in")

    def _within(self, e: ir.Within) -> Code:
        operand = paren(self.value(e.operand), CMP + 1)
        if e.period is not None:
            period = self.value(e.period)
            if self.traced:  # the test written out: Period.__contains__ is a Python call
                result = "{right}.start <= {left} <= {right}.end"
                return self._compare(e, operand, period, "", f"not ({result})" if e.negated else result)
            if not isinstance(e.period, ir.ParamRef | ir.Lit):
                return self._compare(e, operand, period, "not in" if e.negated else "in")
            low, high = Code(f"{period.text}.start"), Code(f"{period.text}.end")
        elif e.low is not None and e.high is not None:
            low, high = paren(self.value(e.low), CMP + 1), paren(self.value(e.high), CMP + 1)
            if self.traced:
                result = "{right}[0] <= {left} <= {right}[1]"
                result = f"not ({result})" if e.negated else result
                return self._compare(e, operand, tuple_of([low, high]), "", result)
        else:
            raise ValueError("'within' needs a period or both ends")
        test = joined((low, operand, high), "<=", CMP)
        return negation(test) if e.negated else test

    def _known(self, e: ir.Known) -> Code:
        operand = paren(self.maybe(e.operand), CMP + 1)
        return self._truth(e, joined((operand, Code("None")), "is" if e.negated else "is not", CMP))

    def _quant(self, e: ir.Quant) -> Code:
        if e.kind not in {"any", "every", "no"}:
            raise ValueError(f"unknown quantifier {e.kind!r}")
        body = self.condition(e.body).text
        function = "all" if e.kind == "every" else "any"
        loop = self._loop(e.source, e.var, e.span.start)
        method = f"self.{naming.name(e.body.definition)}" if isinstance(e.body, ir.DefRef) else ""
        if not self.traced and body == f"{method}({self.scope.var(e.var)})":
            # `any(map(self.charge_is_x, person.charges))`: no generator to resume for each element
            code = call(function, call("map", Code(method), self.value(e.source)))
        else:
            code = generator(function, body, loop)
        return self._truth(e, negation(code) if e.kind == "no" else code)


def _may_be_missing(e: ir.Expr, checked: ir.Checked) -> bool:
    if isinstance(e, ir.FieldRef):
        return e.optional
    if isinstance(e, ir.DefRef):
        return checked.definition(e.definition).optional
    return False
