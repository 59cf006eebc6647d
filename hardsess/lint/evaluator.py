"""The value evaluator: a libcst expression to an :class:`Evaluated` value, or None (unknown).

This is where "values, not text" (ARCHITECTURE.md) happens. The evaluator never runs code; it
understands a closed set of forms and answers None for everything else, and None never
produces a finding:

* constants: bool/int/float/str/bytes/None, lists/tuples/sets/dicts of them, implicit string
  concatenation, f-strings whose pieces are known, unary minus/plus;
* ``not X``, ``X if C else Y`` with a known ``C``, ``and``/``or`` on known values;
* names bound earlier (looked up through the ``lookup`` callable the caller passes);
* arithmetic (``+ - * / // % **``) on numbers, timedeltas, strings, lists and tuples, with
  size limits so ``10 ** 10 ** 10`` or ``"x" * 10 ** 9`` stay unknown;
* comparisons (``== != < <= > >= in not in is is not``) and the string methods ``lower``,
  ``upper``, ``strip``, ``casefold``, ``title``, ``capitalize``, ``split``, ``startswith``,
  ``endswith``; ``timedelta(...)`` / ``datetime.timedelta(...)`` and ``.total_seconds()``;
  ``bool()``, ``int()``, ``float()``, ``str()``, ``strtobool()`` (any function of that name);
* environment reads: ``os.environ.get(K, D)``, ``os.getenv(K, D)`` (no D: the default is
  None), ``os.environ[K]`` (unknown: no default); django-environ ``env(K, cast=..., default=D)``,
  ``env.bool/int/str/float(K, default=D)`` and the scheme defaults of ``environ.Env(K=(cast,
  D))``; python-decouple ``config(K, default=D, cast=bool|int|float|str)`` (decouple casts the
  default); django-configurations ``values.BooleanValue(D)`` and its siblings. The result
  is the *default* (origin ``ENV_DEFAULT``, ``env_var`` K), and every operation applied
  afterwards (``== "True"``, ``.lower() in (...)``) is applied to it;
  ``Evaluated.default`` is the default's node, which the unsafe fix replaces.

Imports bind names to :class:`Ref` (a qualified name), so aliases work: ``from os import
environ as E``, ``import os as o``, ``from decouple import config as cfg``, ``env =
environ.Env()`` bound to any name.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple, Union

import libcst as cst

from hardsess.policy import UNKNOWN_VALUE, Observed, Origin

__all__ = [
    "OPAQUE",
    "Binding",
    "Evaluated",
    "Lookup",
    "Ref",
    "evaluate",
    "resolve_ref",
    "strtobool",
]


class Evaluated(NamedTuple):
    """A known value with its provenance (see :class:`hardsess.policy.Observed`).

    ``default`` is the node of the environment default argument when ``origin`` is
    ``ENV_DEFAULT`` and the default was written (the unsafe fix replaces it); ``parts`` holds
    the items of a list or tuple.
    """

    value: object
    origin: Origin = Origin.LITERAL
    env_var: str | None = None
    default: cst.BaseExpression | None = None
    parts: tuple[Evaluated, ...] = ()
    nodes: tuple[cst.BaseExpression, ...] = ()

    def observed(self, source: Callable[[cst.CSTNode], str] | None = None) -> Observed:
        """The policy-facing value; ``source`` renders nodes (for HS133) when given."""
        parts = tuple(
            p.observed(None)
            if source is None or i >= len(self.nodes)
            else _with_source(p.observed(None), source(self.nodes[i]))
            for i, p in enumerate(self.parts)
        )
        return Observed(self.value, self.origin, self.env_var, None, parts)


def _with_source(observed: Observed, source: str) -> Observed:
    return Observed(observed.value, observed.origin, observed.env_var, source, observed.parts)


class Ref(NamedTuple):
    """A name bound to something that is not data: a module, function or object.

    ``qualname`` is dotted (``"os.environ"``, ``"decouple.config"``); ``environ.Env`` instances
    are ``"environ.Env()"`` with their scheme defaults in ``scheme``.
    """

    qualname: str
    scheme: Mapping[str, Evaluated] = {}  # shared, never mutated


#: What a lookup returns for a name that is bound, but to something not understood: it shadows
#: builtins and well-known module names, and evaluates to nothing.
OPAQUE = Ref("<opaque>")

Binding = Union[Evaluated, Ref]  # noqa: UP007 - a runtime alias; | needs 3.10 objects
#: Resolves a name bound earlier; None: unbound; OPAQUE: bound to something not understood.
Lookup = Callable[[str], Binding | None]

_MAX_INT_BITS = 4096
_MAX_SEQUENCE = 10_000
_WELL_KNOWN_MODULES = ("os", "datetime", "decouple", "environ")

_ENV_GET = frozenset({"os.environ.get", "os.getenv", "os.environ.setdefault"})
_DECOUPLE = frozenset({"decouple.config"})
_TIMEDELTA = frozenset({"datetime.timedelta"})
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
#: django-configurations value classes whose first argument is a default the environment
#: may override.
_CONFIGURATIONS_VALUES = frozenset(
    {
        "Value",
        "BooleanValue",
        "IntegerValue",
        "PositiveIntegerValue",
        "FloatValue",
        "DecimalValue",
        "ListValue",
        "TupleValue",
        "DictValue",
        "PathValue",
        "EmailValue",
        "URLValue",
    }
)
_TRUE_WORDS = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE_WORDS = frozenset({"n", "no", "f", "false", "off", "0"})


def _numeric() -> tuple[type, ...]:
    """int, float, and timedelta once datetime is imported (no timedelta exists before)."""
    module = sys.modules.get("datetime")
    return (int, float) if module is None else (int, float, module.timedelta)


def strtobool(value: object) -> int | None:
    """distutils' strtobool: 1 / 0 for the words it knows, None (unknown) otherwise."""
    if not isinstance(value, str):
        return None
    lowered = value.lower()
    if lowered in _TRUE_WORDS:
        return 1
    if lowered in _FALSE_WORDS:
        return 0
    return None


def _decouple_bool(value: object) -> object:
    """python-decouple's cast=bool: strings by word, anything else by truth."""
    if isinstance(value, str):
        lowered = value.lower()
        if lowered in {"1", "yes", "true", "on"}:
            return True
        if lowered in {"0", "no", "false", "off", ""}:
            return False
        return None
    return bool(value)


class _Unknown(Exception):
    """Raised inside the evaluator to abandon an expression; never escapes :func:`evaluate`."""


def evaluate(node: cst.BaseExpression, lookup: Lookup) -> Evaluated | None:
    """The value of ``node``, or None when it is not understood (see the module docstring)."""
    try:
        result = _Evaluator(lookup).value(node)
    except (_Unknown, ArithmeticError, ValueError, TypeError, OverflowError, RecursionError):
        return None
    return result


def resolve_ref(node: cst.BaseExpression, lookup: Lookup) -> Ref | None:
    """What a dotted name refers to (``o.environ.get`` -> ``Ref("os.environ.get")``)."""
    try:
        return _Evaluator(lookup).ref(node)
    except _Unknown:
        return None


def _combine(*values: Evaluated) -> tuple[Origin, str | None, cst.BaseExpression | None]:
    """Provenance of a value computed from others: an environment default wins."""
    for v in values:
        if v.origin is Origin.ENV_DEFAULT:
            return Origin.ENV_DEFAULT, v.env_var, v.default
    return Origin.COMPUTED, None, None


def _derived(value: object, *sources: Evaluated) -> Evaluated:
    origin, env_var, default = _combine(*sources)
    return Evaluated(_checked(value), origin, env_var, default)


def _checked(value: object) -> object:
    if isinstance(value, int) and value.bit_length() > _MAX_INT_BITS:
        raise _Unknown
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > _MAX_SEQUENCE:
        raise _Unknown
    return value


class _Evaluator:
    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    # ------------------------------------------------------------------ references

    def ref(self, node: cst.BaseExpression) -> Ref | None:
        if isinstance(node, cst.Name):
            bound = self.lookup(node.value)
            if bound is OPAQUE:
                return None
            if isinstance(bound, Ref):
                return bound
            if bound is None and node.value in _WELL_KNOWN_MODULES:
                # Unbound but conventional (a star-import brought it): read as the module.
                return Ref(node.value)
            if bound is None and node.value == "strtobool":
                return Ref("strtobool")
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
            raise _Unknown
        result: Evaluated = method(node)
        return result

    def _Name(self, node: cst.Name) -> Evaluated:
        if node.value in ("True", "False", "None"):
            return Evaluated({"True": True, "False": False, "None": None}[node.value])
        bound = self.lookup(node.value)
        if not isinstance(bound, Evaluated):
            raise _Unknown
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
            raise _Unknown
        literal = left.origin is Origin.LITERAL and right.origin is Origin.LITERAL
        origin = Origin.LITERAL if literal else Origin.COMPUTED
        return Evaluated(_checked(left.value + right.value), origin)  # type: ignore[operator]

    def _FormattedString(self, node: cst.FormattedString) -> Evaluated:
        pieces: list[str] = []
        origin = Origin.LITERAL
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                pieces.append(part.value)
                continue
            if not isinstance(part, cst.FormattedStringExpression):
                raise _Unknown
            if part.format_spec or part.conversion:
                raise _Unknown
            inner = self.value(part.expression)
            if inner.origin is not Origin.LITERAL:
                raise _Unknown  # an f-string over a name or env read: not worth a guess
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
                    raise _Unknown
                items.extend(starred.value)
                parts.extend(starred.parts or [Evaluated(v, starred.origin) for v in starred.value])
                nodes.extend([element.value] * len(starred.value))
                origin = Origin.COMPUTED
                continue
            try:
                item = self.value(element.value)
            except _Unknown:
                item = Evaluated(UNKNOWN_VALUE, Origin.COMPUTED)
            if item.origin is not Origin.LITERAL:
                origin = Origin.COMPUTED
            items.append(item.value)
            parts.append(item)
            nodes.append(element.value)
        if len(items) > _MAX_SEQUENCE:
            raise _Unknown
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
            raise _Unknown from error

    def _Dict(self, node: cst.Dict) -> Evaluated:
        result: dict[object, object] = {}
        origin = Origin.LITERAL
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                inner = self.value(element.value)
                if not isinstance(inner.value, dict):
                    raise _Unknown
                result.update(inner.value)
                origin = Origin.COMPUTED
                continue
            assert isinstance(element, cst.DictElement)
            key = self.value(element.key)
            try:
                item = self.value(element.value)
            except _Unknown:
                item = Evaluated(UNKNOWN_VALUE, Origin.COMPUTED)
            if item.origin is not Origin.LITERAL or key.origin is not Origin.LITERAL:
                origin = Origin.COMPUTED
            try:
                result[key.value] = item.value
            except TypeError as error:
                raise _Unknown from error
        return Evaluated(result, origin)

    def _UnaryOperation(self, node: cst.UnaryOperation) -> Evaluated:
        operand = self.value(node.expression)
        op = node.operator
        if isinstance(op, cst.Not):
            if operand.value is UNKNOWN_VALUE:
                raise _Unknown
            return _derived(not operand.value, operand)
        if not isinstance(operand.value, _numeric()):
            raise _Unknown
        number: Any = operand.value
        if isinstance(op, cst.Minus):
            result = -number
        elif isinstance(op, cst.Plus):
            result = +number
        elif isinstance(op, cst.BitInvert) and isinstance(number, int):
            result = ~number
        else:
            raise _Unknown
        if operand.origin is Origin.LITERAL and isinstance(
            node.expression, (cst.Integer, cst.Float)
        ):
            return Evaluated(result)  # -1 is written as a literal
        return _derived(result, operand)

    def _BinaryOperation(self, node: cst.BinaryOperation) -> Evaluated:
        left, right = self.value(node.left), self.value(node.right)
        a, b = left.value, right.value
        if a is UNKNOWN_VALUE or b is UNKNOWN_VALUE:
            raise _Unknown
        op = node.operator
        numeric = _numeric()
        if isinstance(op, cst.Add):
            if isinstance(a, (str, bytes, list, tuple)) and type(a) is type(b):
                result: object = a + b  # type: ignore[operator]
                if isinstance(a, (list, tuple)):
                    parts = left.parts + right.parts
                    origin, env_var, default = _combine(left, right)
                    return Evaluated(
                        _checked(result), origin, env_var, default, parts, left.nodes + right.nodes
                    )
                return _derived(result, left, right)
            self._numbers(a, b, numeric)
            return _derived(a + b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Multiply):
            if isinstance(a, (str, bytes, list, tuple)) or isinstance(b, (str, bytes, list, tuple)):
                count = b if isinstance(a, (str, bytes, list, tuple)) else a
                if not isinstance(count, int) or isinstance(count, bool) or count > _MAX_SEQUENCE:
                    raise _Unknown
            else:
                self._numbers(a, b, numeric)
            return _derived(a * b, left, right)  # type: ignore[operator]
        self._numbers(a, b, numeric)
        if isinstance(op, cst.Subtract):
            return _derived(a - b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Divide):
            return _derived(a / b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.FloorDivide):
            return _derived(a // b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Modulo):
            return _derived(a % b, left, right)  # type: ignore[operator]
        if isinstance(op, cst.Power):
            if not isinstance(a, (int, float)) or not isinstance(b, (int, float)):
                raise _Unknown
            if abs(b) > 1024 or (isinstance(a, int) and abs(a) > 2**64 and b > 1):
                raise _Unknown
            return _derived(a**b, left, right)
        raise _Unknown

    @staticmethod
    def _numbers(a: object, b: object, numeric: tuple[type, ...]) -> None:
        if not isinstance(a, numeric) or not isinstance(b, numeric):
            raise _Unknown

    def _BooleanOperation(self, node: cst.BooleanOperation) -> Evaluated:
        left = self.value(node.left)
        if left.value is UNKNOWN_VALUE:
            raise _Unknown
        if isinstance(node.operator, cst.And):
            if not left.value:
                return _derived(left.value, left)
            right = self.value(node.right)
            return _derived(right.value, left, right)
        if left.value:
            return _derived(left.value, left)
        right = self.value(node.right)
        return _derived(right.value, left, right)

    def _IfExp(self, node: cst.IfExp) -> Evaluated:
        test = self.value(node.test)
        if test.value is UNKNOWN_VALUE:
            raise _Unknown
        chosen = self.value(node.body if test.value else node.orelse)
        return _derived(chosen.value, test, chosen)

    def _Comparison(self, node: cst.Comparison) -> Evaluated:
        left = self.value(node.left)
        sources = [left]
        result = True
        for target in node.comparisons:
            right = self.value(target.comparator)
            sources.append(right)
            a, b = left.value, right.value
            if a is UNKNOWN_VALUE or b is UNKNOWN_VALUE:
                raise _Unknown
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
                raise _Unknown
            result = result and bool(ok)
            left = right
        return _derived(result, *sources)

    def _Subscript(self, node: cst.Subscript) -> Evaluated:
        ref = self.ref(node.value)
        if ref is not None and ref.qualname == "os.environ":
            raise _Unknown  # os.environ["X"]: no default, so nothing to judge
        container = self.value(node.value)
        if len(node.slice) != 1 or not isinstance(node.slice[0].slice, cst.Index):
            raise _Unknown
        key = self.value(node.slice[0].slice.value)
        try:
            item = container.value[key.value]  # type: ignore[index]
        except (KeyError, IndexError, TypeError) as error:
            raise _Unknown from error
        if item is UNKNOWN_VALUE:
            raise _Unknown
        return _derived(item, container, key)

    def _Attribute(self, node: cst.Attribute) -> Evaluated:
        raise _Unknown  # attribute values (settings.X, obj.attr) are not data we can know

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
        raise _Unknown

    def _args(self, node: cst.Call) -> tuple[list[cst.Arg], dict[str, cst.Arg]]:
        positional: list[cst.Arg] = []
        keywords: dict[str, cst.Arg] = {}
        for arg in node.args:
            if arg.star:
                raise _Unknown
            if arg.keyword is None:
                positional.append(arg)
            else:
                keywords[arg.keyword.value] = arg
        return positional, keywords

    def _env_key(self, arg: cst.Arg | None) -> str:
        if arg is None:
            raise _Unknown
        key = self.value(arg.value)
        if not isinstance(key.value, str):
            raise _Unknown
        return key.value

    def _env_default(self, key: str, arg: cst.Arg | None) -> Evaluated:
        if arg is None:
            return Evaluated(None, Origin.ENV_DEFAULT, key, None)
        default = self.value(arg.value)
        if default.value is UNKNOWN_VALUE:
            raise _Unknown
        return Evaluated(
            default.value, Origin.ENV_DEFAULT, key, arg.value, default.parts, default.nodes
        )

    def _call_ref(self, node: cst.Call, ref: Ref) -> Evaluated:
        name = ref.qualname
        positional, keywords = self._args(node)
        if name in _ENV_GET:
            key = self._env_key(positional[0] if positional else keywords.get("key"))
            default_arg = positional[1] if len(positional) > 1 else keywords.get("default")
            return self._env_default(key, default_arg)
        if name in _DECOUPLE or name.endswith(".AutoConfig()") or name.endswith(".Config()"):
            return self._decouple(positional, keywords)
        if name in _TIMEDELTA:
            return self._timedelta(positional, keywords)
        if name == "strtobool" or name.endswith(".strtobool"):
            if len(positional) != 1 or keywords:
                raise _Unknown
            arg = self.value(positional[0].value)
            converted = strtobool(arg.value)
            if converted is None:
                raise _Unknown
            return _derived(converted, arg)
        if name.endswith("Env()"):
            return self._environ(ref, "__call__", positional, keywords)
        head, _, method = name.rpartition(".")
        if head.endswith("Env()"):
            return self._environ(Ref(head, self._scheme_of(node)), method, positional, keywords)
        if head == "configurations.values" and method in _CONFIGURATIONS_VALUES:
            return self._configurations_value(positional, keywords)
        raise _Unknown

    def _configurations_value(
        self, positional: list[cst.Arg], keywords: dict[str, cst.Arg]
    ) -> Evaluated:
        """django-configurations ``values.BooleanValue(default, environ_name=...)``: the
        environment (``DJANGO_<SETTING>`` unless named) overrides the default."""
        default_arg = positional[0] if positional else keywords.get("default")
        if default_arg is None:
            raise _Unknown
        environ = keywords.get("environ")
        if environ is not None:
            flag = self.value(environ.value)
            if flag.value is False:
                value = self.value(default_arg.value)
                return _derived(value.value, value)
        name_arg = keywords.get("environ_name")
        env_var = None
        if name_arg is not None:
            named = self.value(name_arg.value)
            if isinstance(named.value, str):
                prefix_arg = keywords.get("environ_prefix")
                prefix = self.value(prefix_arg.value).value if prefix_arg else "DJANGO"
                env_var = f"{prefix}_{named.value}" if prefix else named.value
        default = self.value(default_arg.value)
        if default.value is UNKNOWN_VALUE:
            raise _Unknown
        return Evaluated(default.value, Origin.ENV_DEFAULT, env_var, default_arg.value)

    def _scheme_of(self, node: cst.Call) -> Mapping[str, Evaluated]:
        func = node.func
        if isinstance(func, cst.Attribute):
            ref = self.ref(func.value)
            if ref is not None:
                return ref.scheme
        return {}

    def _environ(
        self, ref: Ref, method: str, positional: list[cst.Arg], keywords: dict[str, cst.Arg]
    ) -> Evaluated:
        """django-environ: the default is returned as written (no cast unless parse_default)."""
        if method != "__call__" and method not in (
            "bool",
            "int",
            "str",
            "float",
            "list",
            "tuple",
            "dict",
            "json",
            "path",
        ):
            raise _Unknown
        key = self._env_key(positional[0] if positional else keywords.get("var"))
        if "parse_default" in keywords:
            raise _Unknown
        if method == "__call__":
            default_arg = positional[2] if len(positional) > 2 else keywords.get("default")
        else:
            default_arg = positional[1] if len(positional) > 1 else keywords.get("default")
        if default_arg is None:
            scheme = ref.scheme.get(key)
            if scheme is None:
                raise _Unknown  # no default: ImproperlyConfigured when unset
            return scheme
        return self._env_default(key, default_arg)

    def _decouple(self, positional: list[cst.Arg], keywords: dict[str, cst.Arg]) -> Evaluated:
        key = self._env_key(positional[0] if positional else keywords.get("option"))
        default_arg = positional[1] if len(positional) > 1 else keywords.get("default")
        cast_arg = positional[2] if len(positional) > 2 else keywords.get("cast")
        if default_arg is None:
            raise _Unknown  # UndefinedValueError when unset
        default = self._env_default(key, default_arg)
        if cast_arg is None:
            return default
        if not isinstance(cast_arg.value, cst.Name) or self.lookup(cast_arg.value.value):
            raise _Unknown
        cast = cast_arg.value.value
        raw = default.value
        casted: object
        if cast == "bool":
            casted = _decouple_bool(raw)
            if casted is None:
                raise _Unknown
        elif cast in ("int", "float", "str"):
            converter: Callable[[Any], object] = {"int": int, "float": float, "str": str}[cast]
            casted = converter(raw)
        else:
            raise _Unknown
        return Evaluated(casted, Origin.ENV_DEFAULT, key, default.default)

    def _timedelta(self, positional: list[cst.Arg], keywords: dict[str, cst.Arg]) -> Evaluated:
        names = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")
        if len(positional) > len(names):
            raise _Unknown
        sources: list[Evaluated] = []
        kwargs: dict[str, float] = {}
        for name, arg in [*zip(names, positional, strict=False), *keywords.items()]:
            if name not in names:
                raise _Unknown
            value = self.value(arg.value)
            if isinstance(value.value, bool) or not isinstance(value.value, (int, float)):
                raise _Unknown
            kwargs[name] = value.value
            sources.append(value)
        import datetime  # only files that compute a timedelta pay for the import

        return _derived(datetime.timedelta(**kwargs), *sources)

    def _method_call(self, node: cst.Call, func: cst.Attribute) -> Evaluated:
        receiver = self.value(func.value)
        method = func.attr.value
        positional, keywords = self._args(node)
        if keywords:
            raise _Unknown
        args = [self.value(a.value) for a in positional]
        value: Any = receiver.value
        if method == "total_seconds" and isinstance(receiver.value, _numeric()[2:]) and not args:
            return _derived(value.total_seconds(), receiver)
        if isinstance(value, str) and method in _STR_METHODS:
            if any(a.value is UNKNOWN_VALUE for a in args):
                raise _Unknown
            result = getattr(value, method)(*[a.value for a in args])
            return _derived(result, receiver, *args)
        raise _Unknown

    def _builtin(self, node: cst.Call, name: str) -> Evaluated:
        positional, keywords = self._args(node)
        if keywords or len(positional) != 1:
            raise _Unknown
        arg = self.value(positional[0].value)
        if arg.value is UNKNOWN_VALUE:
            raise _Unknown
        if name == "bool":
            return _derived(bool(arg.value), arg)
        if name == "int" and isinstance(arg.value, (int, float, str)):
            return _derived(int(arg.value), arg)
        if name == "float" and isinstance(arg.value, (int, float, str)):
            return _derived(float(arg.value), arg)
        if name == "str" and isinstance(arg.value, (int, float, str, bool)):
            return _derived(str(arg.value), arg)
        if name in ("list", "tuple") and isinstance(arg.value, (list, tuple)):
            return _derived(list(arg.value) if name == "list" else tuple(arg.value), arg)
        raise _Unknown
