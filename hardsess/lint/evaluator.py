"""Expression semantics: a libcst expression to an :class:`Evaluated` value, or None (unknown).

This is where "values, not text" (ARCHITECTURE.md) happens. The evaluator never runs code; it
understands a closed set of Python forms and answers None for everything else, and None never
produces a finding:

* constants: bool/int/float/str/bytes/None, lists/tuples/sets/dicts of them, implicit string
  concatenation, f-strings whose pieces are known, unary minus/plus; an item of a known
  container that is not understood is :data:`hardsess.policy.UNKNOWN_VALUE` (present, truthy,
  equal only to itself);
* ``not X``, ``X if C else Y`` with a known ``C``, ``and``/``or`` on known values;
* names bound earlier (looked up through the ``lookup`` callable the caller passes; see
  :mod:`hardsess.lint.bindings` for what a lookup answers);
* arithmetic (``+ - * / // % **``) on numbers, timedeltas, strings, lists and tuples, with
  size limits so ``10 ** 10 ** 10`` or ``"x" * 10 ** 9`` stay unknown;
* comparisons (``== != < <= > >= in not in is is not``) and the string methods ``lower``,
  ``upper``, ``strip``, ``casefold``, ``title``, ``capitalize``, ``split``, ``startswith``,
  ``endswith``; ``.total_seconds()`` of a timedelta; ``bool()``, ``int()``, ``float()``,
  ``str()``, ``list()``, ``tuple()``;
* calls of what a configuration library provides (environment reads, python-decouple,
  django-environ, django-configurations, ``timedelta``, ``strtobool``): the evaluator resolves
  the call's target to a dotted name and asks the table in :mod:`hardsess.lint.config_readers`,
  which knows the libraries; what a read returns (its default) is then operated on like any
  other value;
* calls of a helper function whose body is one ``return``, or a few local assignments,
  raising guards and environment-switched early returns before it (the module's own or
  imported from a project module; :class:`~hardsess.lint.bindings.Function`): the returned
  expression with the arguments bound, without a fix.

Imports bind names to :class:`Ref` (a qualified name), so aliases work: ``from os import
environ as E``, ``import os as o``, ``from decouple import config as cfg``, ``env =
environ.Env()`` bound to any name.
"""

from __future__ import annotations

import sys
from typing import Any

import libcst as cst

from hardsess.lint import config_readers
from hardsess.lint.bindings import (
    MAX_SEQUENCE,
    UNKNOWN_BINDING,
    Binding,
    Evaluated,
    Function,
    Lookup,
    NotUnderstood,
    Ref,
    checked,
    derived,
    provenance,
)
from hardsess.policy import UNKNOWN_VALUE, Origin

__all__ = ["Binding", "Evaluated", "Lookup", "Ref", "evaluate", "resolve_ref"]

_STR_METHODS = frozenset(
    {
        "lower",
        "upper",
        "strip",
        "casefold",
        "title",
        "capitalize",
        "split",
        "startswith",
        "endswith",
        "lstrip",
        "rstrip",
    }
)


def _numeric() -> tuple[type, ...]:
    """int, float, and timedelta once datetime is imported (no timedelta exists before)."""
    module = sys.modules.get("datetime")
    return (int, float) if module is None else (int, float, module.timedelta)


def evaluate(node: cst.BaseExpression, lookup: Lookup) -> Evaluated | None:
    """The value of ``node``, or None when it is not understood (see the module docstring)."""
    try:
        result = _Evaluator(lookup).value(node)
    except (NotUnderstood, ArithmeticError, ValueError, TypeError, OverflowError, RecursionError):
        return None
    return result


def resolve_ref(node: cst.BaseExpression, lookup: Lookup) -> Ref | None:
    """What a dotted name refers to (``o.environ.get`` -> ``Ref("os.environ.get")``)."""
    try:
        return _Evaluator(lookup).ref(node)
    except NotUnderstood:
        return None


#: How deep calls of a project's helper functions are followed (a helper calling a helper).
MAX_CALL_DEPTH = 4


class _Evaluator:
    def __init__(self, lookup: Lookup, depth: int = 0) -> None:
        self.lookup = lookup
        self.depth = depth

    # ------------------------------------------------------------------ references

    def ref(self, node: cst.BaseExpression) -> Ref | None:
        if isinstance(node, cst.Name):
            bound = self.lookup(node.value)
            if bound is UNKNOWN_BINDING:
                return None
            if isinstance(bound, Ref):
                return bound
            if bound is None and node.value in config_readers.CONVENTIONAL_NAMES:
                # Unbound but conventional (a star-import brought it): read as the library.
                return Ref(node.value)
            return None
        if isinstance(node, cst.Attribute):
            base = self.ref(node.value)
            if base is None:
                return None
            return Ref(f"{base.qualname}.{node.attr.value}")
        return None

    # ------------------------------------------------------------------ values

    def value(self, node: cst.BaseExpression) -> Evaluated:
        method = getattr(self, f"_{type(node).__name__}", None)
        if method is None:
            raise NotUnderstood
        result: Evaluated = method(node)
        return result

    def _Name(self, node: cst.Name) -> Evaluated:
        if node.value in ("True", "False", "None"):
            return Evaluated({"True": True, "False": False, "None": None}[node.value])
        bound = self.lookup(node.value)
        if not isinstance(bound, Evaluated):
            raise NotUnderstood
        # A name is not a literal: fixing it in place would change other uses.
        origin = Origin.COMPUTED if bound.origin is Origin.LITERAL else bound.origin
        return Evaluated(bound.value, origin, bound.env_var, bound.default, bound.parts)

    # libcst's evaluated_value runs ast.literal_eval (a compile) per literal; generated
    # modules have tens of thousands, so the plain spellings are converted directly.

    def _Integer(self, node: cst.Integer) -> Evaluated:
        text = node.value.replace("_", "")
        if len(text) > 1 and text[0] == "0" and text[1].isdigit():
            return Evaluated(node.evaluated_value)  # "00": let Python decide
        return Evaluated(int(text, 0))

    def _Float(self, node: cst.Float) -> Evaluated:
        return Evaluated(float(node.value.replace("_", "")))

    def _SimpleString(self, node: cst.SimpleString) -> Evaluated:
        prefix = node.prefix.lower()
        raw = node.raw_value
        if "\\" not in raw and prefix in ("", "u", "r"):
            return Evaluated(raw)
        return Evaluated(node.evaluated_value)

    def _ConcatenatedString(self, node: cst.ConcatenatedString) -> Evaluated:
        left, right = self.value(node.left), self.value(node.right)
        if type(left.value) is not type(right.value):
            raise NotUnderstood
        literal = left.origin is Origin.LITERAL and right.origin is Origin.LITERAL
        origin = Origin.LITERAL if literal else Origin.COMPUTED
        return Evaluated(checked(left.value + right.value), origin)  # type: ignore[operator]

    def _FormattedString(self, node: cst.FormattedString) -> Evaluated:
        pieces: list[str] = []
        origin = Origin.LITERAL
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
                continue
            if not isinstance(part, cst.FormattedStringExpression):
                raise NotUnderstood
            if part.format_spec or part.conversion:
                raise NotUnderstood
            inner = self.value(part.expression)
            if inner.origin is not Origin.LITERAL:
                raise NotUnderstood  # an f-string over a name or env read: not worth a guess
            origin = Origin.COMPUTED
            pieces.append(str(inner.value))
        return Evaluated("".join(pieces), origin)

    def _sequence(
        self, elements: object
    ) -> tuple[list[object], tuple[Evaluated, ...], tuple[cst.BaseExpression, ...], Origin]:
        items: list[object] = []
        parts: list[Evaluated] = []
        nodes: list[cst.BaseExpression] = []
        origin = Origin.LITERAL
        for element in elements:  # type: ignore[attr-defined]
            if isinstance(element, cst.StarredElement):
                starred = self.value(element.value)
                if not isinstance(starred.value, (list, tuple)):
                    raise NotUnderstood
                items.extend(starred.value)
                parts.extend(starred.parts or [Evaluated(v, starred.origin) for v in starred.value])
                nodes.extend([element.value] * len(starred.value))
                origin = Origin.COMPUTED
                continue
            try:
                item = self.value(element.value)
            except NotUnderstood:
                item = Evaluated(UNKNOWN_VALUE, Origin.COMPUTED)
            if item.origin is not Origin.LITERAL:
                origin = Origin.COMPUTED
            items.append(item.value)
            parts.append(item)
            nodes.append(element.value)
        if len(items) > MAX_SEQUENCE:
            raise NotUnderstood
        return items, tuple(parts), tuple(nodes), origin

    def _List(self, node: cst.List) -> Evaluated:
        items, parts, nodes, origin = self._sequence(node.elements)
        return Evaluated(items, origin, parts=parts, nodes=nodes)

    def _Tuple(self, node: cst.Tuple) -> Evaluated:
        items, parts, nodes, origin = self._sequence(node.elements)
        return Evaluated(tuple(items), origin, parts=parts, nodes=nodes)

    def _Set(self, node: cst.Set) -> Evaluated:
        items, _, _, origin = self._sequence(node.elements)
        try:
            return Evaluated(set(items), origin)
        except TypeError as error:
            raise NotUnderstood from error

    def _Dict(self, node: cst.Dict) -> Evaluated:
        result: dict[object, object] = {}
        origin = Origin.LITERAL
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                inner = self.value(element.value)
                if not isinstance(inner.value, dict):
                    raise NotUnderstood
                result.update(inner.value)
                origin = Origin.COMPUTED
                continue
            assert isinstance(element, cst.DictElement)
            key = self.value(element.key)
            try:
                item = self.value(element.value)
            except NotUnderstood:
                item = Evaluated(UNKNOWN_VALUE, Origin.COMPUTED)
            if item.origin is not Origin.LITERAL or key.origin is not Origin.LITERAL:
                origin = Origin.COMPUTED
            try:
                result[key.value] = item.value
            except TypeError as error:
                raise NotUnderstood from error
        return Evaluated(result, origin)

    def _UnaryOperation(self, node: cst.UnaryOperation) -> Evaluated:
        operand = self.value(node.expression)
        op = node.operator
        if isinstance(op, cst.Not):
            if operand.value is UNKNOWN_VALUE:
                raise NotUnderstood
            return derived(not operand.value, operand)
        if not isinstance(operand.value, _numeric()):
            raise NotUnderstood
        number: Any = operand.value
        if isinstance(op, cst.Minus):
            result = -number
        elif isinstance(op, cst.Plus):
            result = +number
        elif isinstance(op, cst.BitInvert) and isinstance(number, int):
            result = ~number
        else:
            raise NotUnderstood
        if operand.origin is Origin.LITERAL and isinstance(
            node.expression, (cst.Integer, cst.Float)
        ):
            return Evaluated(result)  # -1 is written as a literal
        return derived(result, operand)

    def _BinaryOperation(self, node: cst.BinaryOperation) -> Evaluated:
        left, right = self.value(node.left), self.value(node.right)
        a, b = left.value, right.value
        if a is UNKNOWN_VALUE or b is UNKNOWN_VALUE:
            raise NotUnderstood
        op = node.operator
        numeric = _numeric()
        if isinstance(op, cst.Add):
            if isinstance(a, (str, bytes, list, tuple)) and type(a) is type(b):
                result: object = a + b  # type: ignore[operator]
                if isinstance(a, (list, tuple)):
                    parts = left.parts + right.parts
                    origin, env_var, default = provenance(left, right)
                    return Evaluated(
                        checked(result), origin, env_var, default, parts, left.nodes + right.nodes
                    )
                return derived(result, left, right)
            self._numbers(a, b, numeric)
            return derived(a + b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Multiply):
            if isinstance(a, (str, bytes, list, tuple)) or isinstance(b, (str, bytes, list, tuple)):
                count = b if isinstance(a, (str, bytes, list, tuple)) else a
                if not isinstance(count, int) or isinstance(count, bool) or count > MAX_SEQUENCE:
                    raise NotUnderstood
            else:
                self._numbers(a, b, numeric)
            return derived(a * b, left, right)  # type: ignore[operator]
        self._numbers(a, b, numeric)
        if isinstance(op, cst.Subtract):
            return derived(a - b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Divide):
            return derived(a / b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.FloorDivide):
            return derived(a // b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Modulo):
            return derived(a % b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Power):
            if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
                raise NotUnderstood
            if abs(b) > 1024 or (isinstance(a, int) and abs(a) > 2**64 and b > 1):
                raise NotUnderstood
            return derived(a**b, left, right)
        raise NotUnderstood

    @staticmethod
    def _numbers(a: object, b: object, numeric: tuple[type, ...]) -> None:
        if not isinstance(a, numeric) or not isinstance(b, numeric):
            raise NotUnderstood

    def _BooleanOperation(self, node: cst.BooleanOperation) -> Evaluated:
        left = self.value(node.left)
        if left.value is UNKNOWN_VALUE:
            raise NotUnderstood
        if isinstance(node.operator, cst.And):
            if not left.value:
                return derived(left.value, left)
            right = self.value(node.right)
            return derived(right.value, left, right)
        if left.value:
            return derived(left.value, left)
        right = self.value(node.right)
        return derived(right.value, left, right)

    def _IfExp(self, node: cst.IfExp) -> Evaluated:
        test = self.value(node.test)
        if test.value is UNKNOWN_VALUE:
            raise NotUnderstood
        chosen = self.value(node.body if test.value else node.orelse)
        return derived(chosen.value, test, chosen)

    def _Comparison(self, node: cst.Comparison) -> Evaluated:
        left = self.value(node.left)
        sources = [left]
        result = True
        for target in node.comparisons:
            right = self.value(target.comparator)
            sources.append(right)
            a, b = left.value, right.value
            if a is UNKNOWN_VALUE or b is UNKNOWN_VALUE:
                raise NotUnderstood
            op = target.operator
            if isinstance(op, cst.Equal):
                ok = a == b
            elif isinstance(op, cst.NotEqual):
                ok = a != b
            elif isinstance(op, cst.In):
                ok = a in b  # type: ignore[operator]
            elif isinstance(op, cst.NotIn):
                ok = a not in b  # type: ignore[operator]
            elif isinstance(op, cst.Is):
                ok = a is b if b is None or isinstance(b, bool) else a == b
            elif isinstance(op, cst.IsNot):
                ok = a is not b if b is None or isinstance(b, bool) else a != b
            elif isinstance(op, cst.LessThan):
                ok = a < b  # type: ignore[operator]
            elif isinstance(op, cst.LessThanEqual):
                ok = a <= b  # type: ignore[operator]
            elif isinstance(op, cst.GreaterThan):
                ok = a > b  # type: ignore[operator]
            elif isinstance(op, cst.GreaterThanEqual):
                ok = a >= b  # type: ignore[operator]
            else:
                raise NotUnderstood
            result = result and bool(ok)
            left = right
        return derived(result, *sources)

    def _Subscript(self, node: cst.Subscript) -> Evaluated:
        ref = self.ref(node.value)
        if ref is not None and ref.qualname in config_readers.READS_WITHOUT_DEFAULT:
            raise NotUnderstood  # os.environ["X"]: no default, so nothing to judge
        container = self.value(node.value)
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            raise NotUnderstood
        key = self.value(node.slice[0].slice.value)
        try:
            item = container.value[key.value]  # type: ignore[index]
        except (KeyError, IndexError, TypeError) as error:
            raise NotUnderstood from error
        if item is UNKNOWN_VALUE:
            raise NotUnderstood
        return derived(item, container, key)

    def _Attribute(self, node: cst.Attribute) -> Evaluated:
        raise NotUnderstood  # attribute values (settings.X, obj.attr) are not data we can know

    # ------------------------------------------------------------------ calls

    def _Call(self, node: cst.Call) -> Evaluated:
        func = node.func
        if isinstance(func, cst.Attribute):
            ref = self.ref(func)
            if ref is None:
                return self._method_call(node, func)
            return self._call_ref(node, ref)
        if isinstance(func, cst.Name):
            ref = self.ref(func)
            if ref is not None:
                return self._call_ref(node, ref)
            if self.lookup(func.value) is None:
                return self._builtin(node, func.value)
        raise NotUnderstood

    def _args(self, node: cst.Call) -> tuple[list[cst.Arg], dict[str, cst.Arg]]:
        positional: list[cst.Arg] = []
        keywords: dict[str, cst.Arg] = {}
        for arg in node.args:
            if arg.star:
                raise NotUnderstood
            if arg.keyword is None:
                positional.append(arg)
            else:
                keywords[arg.keyword.value] = arg
        return positional, keywords

    def _call_ref(self, node: cst.Call, ref: Ref) -> Evaluated:
        """A call of something a name refers to: a configuration read, a project's helper
        function, or unknown."""
        if ref.function is not None:
            return self._call_function(node, ref.function)
        reader = config_readers.reader_for(ref.qualname)
        if reader is None:
            raise NotUnderstood
        positional, keywords = self._args(node)
        receiver = self.ref(node.func.value) if isinstance(node.func, cst.Attribute) else None
        return reader.read(config_readers.ReaderCall(self, ref, receiver, positional, keywords))

    def _call_function(self, node: cst.Call, function: Function) -> Evaluated:
        """``helper(args)``: its returned expression with the arguments bound. The result has
        no default node (the one in the body is every caller's): no fix is offered for it."""
        if self.depth >= MAX_CALL_DEPTH:
            raise NotUnderstood
        positional, keywords = self._args(node)
        if len(positional) > len(function.parameters) or not set(keywords).issubset(
            function.parameters
        ):
            raise NotUnderstood
        bound: dict[str, Evaluated] = dict(function.defaults)
        for name, arg in zip(function.parameters, positional, strict=False):
            bound[name] = self.value(arg.value)
        for name, arg in keywords.items():
            bound[name] = self.value(arg.value)
        if len(bound) != len(function.parameters):
            raise NotUnderstood  # a parameter without argument: TypeError at run time

        def lookup(name: str) -> Binding | None:
            return bound[name] if name in bound else function.globals(name)

        inner = _Evaluator(lookup, self.depth + 1)
        for kind, local, expression in function.steps:
            if kind == "assign":
                assert local is not None
                bound[local] = inner.value(expression)
                continue
            # ``if path := os.getenv(name + "_FILE"): return ...``: passed over only when
            # the test is an environment read, falsy while the variable is unset.
            target = None
            if isinstance(expression, cst.NamedExpr) and isinstance(expression.target, cst.Name):
                target, expression = expression.target.value, expression.value
            test = inner.value(expression)
            if test.origin is not Origin.ENV_DEFAULT or test.value:
                raise NotUnderstood
            if target is not None:
                bound[target] = test
        result = inner.value(function.body)
        # Never a literal: a fix of "the literal" would replace the call.
        origin = Origin.COMPUTED if result.origin is Origin.LITERAL else result.origin
        parts = tuple(p._replace(default=None, nodes=()) for p in result.parts)
        return Evaluated(result.value, origin, result.env_var, None, parts)

    def _method_call(self, node: cst.Call, func: cst.Attribute) -> Evaluated:
        receiver = self.value(func.value)
        method = func.attr.value
        positional, keywords = self._args(node)
        if keywords:
            raise NotUnderstood
        args = [self.value(a.value) for a in positional]
        value: Any = receiver.value
        if method == "total_seconds" and isinstance(receiver.value, _numeric()[2:]) and not args:
            return derived(value.total_seconds(), receiver)
        if isinstance(value, str) and method in _STR_METHODS:
            if any(a.value is UNKNOWN_VALUE for a in args):
                raise NotUnderstood
            result = getattr(value, method)(*[a.value for a in args])
            return derived(result, receiver, *args)
        raise NotUnderstood

    def _builtin(self, node: cst.Call, name: str) -> Evaluated:
        positional, keywords = self._args(node)
        if keywords or len(positional) != 1:
            raise NotUnderstood
        arg = self.value(positional[0].value)
        if arg.value is UNKNOWN_VALUE:
            raise NotUnderstood
        if name == "bool":
            return derived(bool(arg.value), arg)
        if name == "int" and isinstance(arg.value, (int, float, str)):
            return derived(int(arg.value), arg)
        if name == "float" and isinstance(arg.value, (int, float, str)):
            return derived(float(arg.value), arg)
        if name == "str" and isinstance(arg.value, (int, float, str, bool)):
            return derived(str(arg.value), arg)
        if name in ("list", "tuple") and isinstance(arg.value, (list, tuple)):
            return derived(list(arg.value) if name == "list" else tuple(arg.value), arg)
        raise NotUnderstood
