"""Configuration readers: how settings modules read values from outside their source.

:mod:`hardsess.lint.evaluator` knows Python; this module knows the libraries settings modules
read their configuration with. When the evaluator meets a call whose target resolves to a
dotted name (``os.environ.get``, ``decouple.config``, an ``environ.Env()`` instance's
``.bool``), it asks :func:`reader_for` and lets the reader compute the value. A reader
returns what the deployment gets when the environment does not set the variable: the
*default* (origin ``ENV_DEFAULT``, ``env_var`` the variable, ``Evaluated.default`` the node of
the written default, which the unsafe fix replaces); every operation applied afterwards
(``== "True"``, ``.lower() in (...)``) is applied to it by the evaluator. A read without a
default is unknown (NotUnderstood): nothing to judge.

The table, :data:`READERS`, in the order it is consulted:

* os: ``os.environ.get(K, D)``, ``os.getenv(K, D)`` (no D: the default is None),
  ``os.environ.setdefault(K, D)``; ``os.environ[K]`` has no default;
* python-decouple: ``config(K, default=D, cast=bool|int|float|str)`` (decouple casts the
  default) and ``AutoConfig()`` / ``Config()`` instances called the same way;
* ``datetime.timedelta(...)`` (``.total_seconds()`` is the evaluator's: a method of a value);
* ``strtobool()`` (distutils' or any function of that name);
* environs: ``env(K, D)``, ``env.bool/int/str/...(K, D)`` (``default=`` too) on an
  ``environs.Env()`` instance; the default is returned as written;
* django-environ: ``env(K, cast=..., default=D)``, ``env.bool/int/str/float/...(K,
  default=D)``, and the scheme defaults of ``environ.Env(K=(cast, D))`` (``Env`` and
  ``FileAwareEnv`` alike);
* django-configurations: ``values.BooleanValue(D)`` and its siblings (the environment,
  ``DJANGO_<NAME>`` or ``environ_name``, overrides the default);
* ``getattr(module, "K", D)``: D unless the module defines K (``env_var`` is ``module.K``);
* configparser: ``parser.get/getboolean/getint/getfloat(section, option, fallback=D)`` on a
  ``ConfigParser()`` / ``RawConfigParser()`` instance (``env_var`` is ``[section] option``).

Instances that read (``env = environ.Env(...)``, ``config = AutoConfig(...)``, ``cp =
ConfigParser()``) are bound to a :class:`~hardsess.lint.bindings.Ref` ending in ``()`` by
:func:`instance_ref`, so aliases of any name work.

Adding a library: one :class:`ConfigReader` entry in :data:`READERS` (and one in
:data:`INSTANCES` when its readers are objects), plus VALID / INVALID examples in the rule
modules of ``lint_rules/`` that read a setting with it (the test suite runs them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import libcst as cst

from hardsess.lint.bindings import Binding, Evaluated, NotUnderstood, Ref, derived
from hardsess.policy import UNKNOWN_VALUE, Origin

__all__ = [
    "CONVENTIONAL_NAMES",
    "DEFINED_FUNCTIONS",
    "INSTANCES",
    "READERS",
    "READS_WITHOUT_DEFAULT",
    "ConfigReader",
    "InstanceReader",
    "MakeInstance",
    "ReaderCall",
    "instance_ref",
    "reader_for",
    "strtobool",
]


if TYPE_CHECKING:

    class Evaluating(Protocol):
        """What a reader needs of the evaluator: evaluate an argument, look a name up."""

        def value(self, node: cst.BaseExpression) -> Evaluated: ...

        def lookup(self, name: str) -> Binding | None: ...


# The records below are plain classes with slots, not named tuples: this module is imported on
# the one-file pre-commit path, where each named tuple class costs a measurable fraction of a
# millisecond to create.


class ReaderCall:
    """One call a reader is asked to read.

    ``ref`` is what the call's target resolves to (its ``qualname`` matched the reader);
    ``receiver`` the object a method is called on (``env`` in ``env.bool(...)``), else None.
    """

    __slots__ = ("evaluator", "keywords", "positional", "receiver", "ref")

    def __init__(
        self,
        evaluator: Evaluating,
        ref: Ref,
        receiver: Ref | None,
        positional: list[cst.Arg],
        keywords: dict[str, cst.Arg],
    ) -> None:
        self.evaluator = evaluator
        self.ref = ref
        self.receiver = receiver
        self.positional = positional
        self.keywords = keywords

    def value(self, arg: cst.Arg) -> Evaluated:
        return self.evaluator.value(arg.value)

    def argument(self, position: int, keyword: str) -> cst.Arg | None:
        """The argument passed at ``position`` or as ``keyword``, or None."""
        if len(self.positional) > position:
            return self.positional[position]
        return self.keywords.get(keyword)


class ConfigReader:
    """One library's way of reading a value.

    A call is this reader's when its target's dotted name is one of ``names`` or ends with
    one of ``suffixes``. ``conventional`` names are read as this library even when the module
    does not bind them (a star import brought them); ``defined`` are names of module-level
    functions taken for this reader (projects paste distutils' ``strtobool``);
    ``without_default`` are dotted names whose subscript (``os.environ[K]``) reads a variable
    with no default.
    """

    __slots__ = (
        "conventional",
        "defined",
        "library",
        "names",
        "read",
        "suffixes",
        "without_default",
    )

    def __init__(
        self,
        library: str,
        read: Callable[[ReaderCall], Evaluated],
        *,
        names: Iterable[str] = (),
        suffixes: tuple[str, ...] = (),
        conventional: tuple[str, ...] = (),
        defined: tuple[str, ...] = (),
        without_default: tuple[str, ...] = (),
    ) -> None:
        self.library = library
        self.read = read
        self.names = frozenset(names)
        self.suffixes = suffixes
        self.conventional = conventional
        self.defined = defined
        self.without_default = without_default

    def reads(self, qualname: str) -> bool:
        return qualname in self.names or qualname.endswith(self.suffixes)

    def __repr__(self) -> str:
        return f"<ConfigReader {self.library}: {self.read.__name__}>"


#: How a reader instance's Ref is made: from the call, what its target resolves to, and an
#: evaluation of an argument (None when unknown).
MakeInstance = Callable[[cst.Call, Ref, Callable[[cst.BaseExpression], "Evaluated | None"]], Ref]


class InstanceReader:
    """A class whose instances read configuration: calling one of ``names`` (or a dotted name
    ending with one of ``suffixes``) binds its ``Ref`` through ``make``."""

    __slots__ = ("library", "make", "names", "suffixes")

    def __init__(
        self,
        library: str,
        make: MakeInstance,
        *,
        names: Iterable[str] = (),
        suffixes: tuple[str, ...] = (),
    ) -> None:
        self.library = library
        self.make = make
        self.names = frozenset(names)
        self.suffixes = suffixes


# --------------------------------------------------------------------------- shared pieces


def _key(call: ReaderCall, arg: cst.Arg | None) -> str:
    """The environment variable's name: a known string, else NotUnderstood."""
    if arg is None:
        raise NotUnderstood
    key = call.value(arg)
    if not isinstance(key.value, str):
        raise NotUnderstood
    return key.value


def _default(call: ReaderCall, key: str, arg: cst.Arg | None) -> Evaluated:
    """The default of a read of ``key`` (None when not written), as an ENV_DEFAULT value."""
    if arg is None:
        return Evaluated(None, Origin.ENV_DEFAULT, key, None)
    default = call.value(arg)
    if default.value is UNKNOWN_VALUE:
        raise NotUnderstood
    return Evaluated(
        default.value, Origin.ENV_DEFAULT, key, arg.value, default.parts, default.nodes
    )


_TRUE_WORDS = frozenset({"y", "yes", "t", "true", "on", "1"})
_FALSE_WORDS = frozenset({"n", "no", "f", "false", "off", "0"})


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


# --------------------------------------------------------------------------- the readers


def _os_environ(call: ReaderCall) -> Evaluated:
    """``os.environ.get(K, D)`` / ``os.getenv(K, D)`` / ``os.environ.setdefault(K, D)``."""
    key = _key(call, call.argument(0, "key"))
    return _default(call, key, call.argument(1, "default"))


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


def _decouple(call: ReaderCall) -> Evaluated:
    """``config(K, default=D, cast=...)``: decouple casts the default like a read value."""
    key = _key(call, call.argument(0, "option"))
    default_arg = call.argument(1, "default")
    cast_arg = call.argument(2, "cast")
    if default_arg is None:
        raise NotUnderstood  # UndefinedValueError when unset
    default = _default(call, key, default_arg)
    if cast_arg is None:
        return default
    if not isinstance(cast_arg.value, cst.Name) or call.evaluator.lookup(cast_arg.value.value):
        raise NotUnderstood
    cast = cast_arg.value.value
    raw = default.value
    casted: object
    if cast == "bool":
        casted = _decouple_bool(raw)
        if casted is None:
            raise NotUnderstood
    elif cast in ("int", "float", "str"):
        converter: Callable[[Any], object] = {"int": int, "float": float, "str": str}[cast]
        casted = converter(raw)
    else:
        raise NotUnderstood
    return Evaluated(casted, Origin.ENV_DEFAULT, key, default.default)


_TIMEDELTA_UNITS = ("days", "seconds", "microseconds", "milliseconds", "minutes", "hours", "weeks")


def _timedelta(call: ReaderCall) -> Evaluated:
    """``timedelta(...)`` with known numbers: a timedelta value."""
    if len(call.positional) > len(_TIMEDELTA_UNITS):
        raise NotUnderstood
    sources: list[Evaluated] = []
    kwargs: dict[str, float] = {}
    pairs = [*zip(_TIMEDELTA_UNITS, call.positional, strict=False), *call.keywords.items()]
    for name, arg in pairs:
        if name not in _TIMEDELTA_UNITS:
            raise NotUnderstood
        value = call.value(arg)
        if isinstance(value.value, bool) or not isinstance(value.value, (int, float)):
            raise NotUnderstood
        kwargs[name] = value.value
        sources.append(value)
    import datetime  # only files that compute a timedelta pay for the import

    return derived(datetime.timedelta(**kwargs), *sources)


def _strtobool(call: ReaderCall) -> Evaluated:
    if len(call.positional) != 1 or call.keywords:
        raise NotUnderstood
    arg = call.value(call.positional[0])
    converted = strtobool(arg.value)
    if converted is None:
        raise NotUnderstood
    return derived(converted, arg)


_ENVIRON_METHODS = ("bool", "int", "str", "float", "list", "tuple", "dict", "json", "path")


def _environ(call: ReaderCall, scheme: Mapping[str, Evaluated], default_at: int) -> Evaluated:
    """django-environ: the default is returned as written (no cast unless parse_default)."""
    key = _key(call, call.argument(0, "var"))
    if "parse_default" in call.keywords:
        raise NotUnderstood
    default_arg = call.argument(default_at, "default")
    if default_arg is None:
        known = scheme.get(key)
        if known is None:
            raise NotUnderstood  # no default: ImproperlyConfigured when unset
        return known
    return _default(call, key, default_arg)


def _environ_call(call: ReaderCall) -> Evaluated:
    """``env(K, cast, default)``: the instance itself called."""
    return _environ(call, call.ref.scheme, 2)


def _environ_method(call: ReaderCall) -> Evaluated:
    """``env.bool(K, default)`` and its siblings."""
    scheme = call.receiver.scheme if call.receiver is not None else {}
    return _environ(call, scheme, 1)


#: django-configurations value classes whose first argument is a default the environment
#: may override.
_CONFIGURATIONS_VALUES = (
    "Value", "BooleanValue", "IntegerValue", "PositiveIntegerValue", "FloatValue",
    "DecimalValue", "ListValue", "TupleValue", "DictValue", "PathValue", "EmailValue",
    "URLValue",
)  # fmt: skip


def _configurations_value(call: ReaderCall) -> Evaluated:
    """``values.BooleanValue(default, environ_name=...)``: the environment
    (``DJANGO_<SETTING>`` unless named) overrides the default."""
    default_arg = call.argument(0, "default")
    if default_arg is None:
        raise NotUnderstood
    environ = call.keywords.get("environ")
    if environ is not None:
        flag = call.value(environ)
        if flag.value is False:
            value = call.value(default_arg)
            return derived(value.value, value)
    name_arg = call.keywords.get("environ_name")
    env_var = None
    if name_arg is not None:
        named = call.value(name_arg)
        if isinstance(named.value, str):
            prefix_arg = call.keywords.get("environ_prefix")
            prefix = call.value(prefix_arg).value if prefix_arg else "DJANGO"
            env_var = f"{prefix}_{named.value}" if prefix else named.value
    default = call.value(default_arg)
    if default.value is UNKNOWN_VALUE:
        raise NotUnderstood
    return Evaluated(default.value, Origin.ENV_DEFAULT, env_var, default_arg.value)


_ENVIRONS_METHODS = (
    "str", "bool", "int", "float", "decimal", "list", "dict", "json", "path", "url",
    "timedelta", "log_level",
)  # fmt: skip


def _environs(call: ReaderCall) -> Evaluated:
    """environs: ``env.bool(K, D)`` / ``env(K, D)``; the default is returned as written."""
    key = _key(call, call.argument(0, "name"))
    default_arg = call.argument(1, "default")
    if default_arg is None:
        raise NotUnderstood  # EnvError when unset
    return _default(call, key, default_arg)


def _getattr(call: ReaderCall) -> Evaluated:
    """``getattr(module, "K", D)``: D unless the module (a configuration module, a local
    settings file) defines K. Data receivers (``getattr({}, ...)``) are not readers."""
    if len(call.positional) != 3 or call.keywords:
        raise NotUnderstood
    receiver = call.positional[0].value
    if not isinstance(receiver, cst.Name | cst.Attribute):
        raise NotUnderstood
    if isinstance(receiver, cst.Name) and isinstance(
        call.evaluator.lookup(receiver.value), Evaluated
    ):
        raise NotUnderstood
    key = _key(call, call.positional[1])
    where = receiver.value if isinstance(receiver, cst.Name) else receiver.attr.value
    return _default(call, f"{where}.{key}", call.positional[2])


def _configparser(call: ReaderCall) -> Evaluated:
    """``parser.get/getboolean/getint/getfloat(section, option, fallback=D)``: D, as written,
    when the file lacks the option; without ``fallback`` a missing option raises."""
    section = _key(call, call.argument(0, "section"))
    option = _key(call, call.argument(1, "option"))
    fallback = call.keywords.get("fallback")
    if fallback is None:
        raise NotUnderstood
    return _default(call, f"[{section}] {option}", fallback)


_CONFIGPARSER_METHODS = ("get", "getboolean", "getint", "getfloat")
_CONFIGPARSER_CLASSES = ("ConfigParser", "RawConfigParser", "SafeConfigParser")


#: Every library the linter reads, consulted in this order (the first that reads a name wins).
READERS: tuple[ConfigReader, ...] = (
    ConfigReader(
        "os",
        _os_environ,
        names=("os.environ.get", "os.getenv", "os.environ.setdefault"),
        conventional=("os",),
        without_default=("os.environ",),
    ),
    ConfigReader(
        "python-decouple",
        _decouple,
        names=("decouple.config",),
        suffixes=(".AutoConfig()", ".Config()"),
        conventional=("decouple",),
    ),
    ConfigReader("datetime", _timedelta, names=("datetime.timedelta",), conventional=("datetime",)),
    ConfigReader(
        "distutils",
        _strtobool,
        names=("strtobool",),
        suffixes=(".strtobool",),
        conventional=("strtobool",),
        defined=("strtobool",),
    ),
    # environs before django-environ: "environs.Env()" also ends with "Env()".
    ConfigReader(
        "environs",
        _environs,
        names=("environs.Env()", *(f"environs.Env().{m}" for m in _ENVIRONS_METHODS)),
    ),
    ConfigReader("django-environ", _environ_call, suffixes=("Env()",), conventional=("environ",)),
    ConfigReader(
        "django-environ",
        _environ_method,
        suffixes=tuple(f"Env().{method}" for method in _ENVIRON_METHODS),
    ),
    ConfigReader(
        "django-configurations",
        _configurations_value,
        names=(f"configurations.values.{name}" for name in _CONFIGURATIONS_VALUES),
    ),
    ConfigReader(
        "getattr", _getattr, names=("getattr", "builtins.getattr"), conventional=("getattr",)
    ),
    ConfigReader(
        "configparser",
        _configparser,
        names=(
            f"configparser.{cls}().{method}"
            for cls in _CONFIGPARSER_CLASSES
            for method in _CONFIGPARSER_METHODS
        ),
    ),
)


def _union(parts: Iterable[tuple[str, ...]]) -> frozenset[str]:
    return frozenset(name for part in parts for name in part)


#: Names read as their library when a module uses them without binding them.
CONVENTIONAL_NAMES: frozenset[str] = _union(r.conventional for r in READERS)
#: Module-level function names taken for a reader.
DEFINED_FUNCTIONS: frozenset[str] = _union(r.defined for r in READERS)
#: Dotted names whose subscript reads a variable with no default (its value is unknown).
READS_WITHOUT_DEFAULT: frozenset[str] = _union(r.without_default for r in READERS)


def reader_for(qualname: str) -> ConfigReader | None:
    """The reader of calls to ``qualname``, or None (the call is not a configuration read)."""
    for reader in READERS:
        if reader.reads(qualname):
            return reader
    return None


# --------------------------------------------------------------------------- instances


def _environ_instance(
    node: cst.Call, ref: Ref, evaluate: Callable[[cst.BaseExpression], Evaluated | None]
) -> Ref:
    """``environ.Env(K=(cast, D), ...)``: the instance, with the scheme defaults it declares."""
    scheme: dict[str, Evaluated] = {}
    for arg in node.args:
        if arg.keyword is None or arg.star:
            continue
        spec = arg.value
        if isinstance(spec, cst.Tuple) and len(spec.elements) == 2:
            default = evaluate(spec.elements[1].value)
            if default is not None and default.value is not UNKNOWN_VALUE:
                scheme[arg.keyword.value] = Evaluated(
                    default.value,
                    Origin.ENV_DEFAULT,
                    arg.keyword.value,
                    spec.elements[1].value,
                )
    return Ref(ref.qualname + "()", scheme)


def _plain_instance(
    node: cst.Call, ref: Ref, evaluate: Callable[[cst.BaseExpression], Evaluated | None]
) -> Ref:
    return Ref(ref.qualname + "()")


#: Classes whose instances are readers (their Ref ends in ``()``; see READERS' suffixes).
INSTANCES: tuple[InstanceReader, ...] = (
    InstanceReader(
        "django-environ", _environ_instance, suffixes=("environ.Env", "environ.FileAwareEnv")
    ),
    InstanceReader("environs", _plain_instance, names=("environs.Env",)),
    InstanceReader(
        "configparser",
        _plain_instance,
        names=tuple(f"configparser.{cls}" for cls in _CONFIGPARSER_CLASSES),
    ),
    InstanceReader(
        "python-decouple",
        _plain_instance,
        names=("decouple.AutoConfig", "decouple.Config"),
    ),
)


def instance_ref(
    node: cst.Call, ref: Ref, evaluate: Callable[[cst.BaseExpression], Evaluated | None]
) -> Ref | None:
    """What ``X = node`` binds when ``node`` creates a reader instance (``ref`` is what the
    call's target resolves to; ``evaluate`` evaluates an argument, None when unknown), or
    None when it does not."""
    for reader in INSTANCES:
        if ref.qualname in reader.names or ref.qualname.endswith(reader.suffixes):
            return reader.make(node, ref, evaluate)
    return None
