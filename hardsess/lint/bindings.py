"""What the evaluator knows about a name or an expression: the types it and the readers share.

* :class:`Evaluated`: a known value with its provenance (literal, computed, or the default of
  an environment read, with the variable and the default's node);
* :class:`Ref`: a name bound to something that is not data (a module, a function, an object
  such as an ``environ.Env()`` instance);
* :data:`UNKNOWN_BINDING`: a name that is bound, but to something not understood;
* :class:`NotUnderstood`: raised to abandon an expression; :func:`derived` gives a computed
  value its provenance, within size limits.

Two "unknowns", on purpose, and they mean different things: :data:`UNKNOWN_BINDING` answers a
*name lookup* ("this name is bound; to what, we cannot say", so it shadows builtins and
well-known module names and evaluates to nothing), while :data:`hardsess.policy.UNKNOWN_VALUE`
is a *value* inside known data ("an item is there, its value is not known": a list item read
from a file, a keyword a code rule sees passed). Evaluation that cannot be understood at all
is None, never either of them.

:mod:`hardsess.lint.evaluator` (Python expressions) and :mod:`hardsess.lint.config_readers`
(configuration libraries) both build on this module; it imports neither.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Literal, NamedTuple, Union

import libcst as cst

from hardsess.policy import Observed, Origin

__all__ = [
    "MAX_INT_BITS",
    "MAX_SEQUENCE",
    "UNKNOWN_BINDING",
    "Binding",
    "Evaluated",
    "Function",
    "Lookup",
    "NotUnderstood",
    "Ref",
    "Step",
    "checked",
    "derived",
    "foreign",
    "provenance",
]

#: Values larger than these are not worth knowing (``10 ** 10 ** 10``, ``"x" * 10 ** 9``).
MAX_INT_BITS = 4096
MAX_SEQUENCE = 10_000


class Evaluated(NamedTuple):
    """A known value with its provenance (see :class:`hardsess.policy.Observed`).

    ``default`` is the node of the environment default argument when ``origin`` is
    ``ENV_DEFAULT`` and the default was written (the unsafe fix replaces it); ``parts`` holds
    the items of a list or tuple, ``nodes`` their expressions.
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


class Function:
    """A project's helper function the evaluator can call: a body that is one ``return``
    (``def env_bool(name, default): return os.environ.get(name, str(default)).lower() ==
    "true"``), or a short run of statements before it (see ``steps``).

    ``parameters`` are its positional-or-keyword parameters in order, ``defaults`` the known
    defaults by name; ``body`` the returned expression, evaluated when the function is called
    with the arguments bound and every other name looked up in ``globals`` (the defining
    module's bindings, as they stand when it is called). ``steps`` run first, in order:
    ``("assign", name, value)`` binds a local (``v = os.getenv(name, default)``), and
    ``("unless-env", None, test)`` is an ``if test:`` whose block always leaves the function
    (``if path := os.getenv(name + "_FILE"): return read(path)``): followed only when the
    test is an environment read that is falsy while the variable is unset, so the rest of
    the body is what a deployment without that variable runs.
    """

    __slots__ = ("body", "defaults", "globals", "parameters", "steps")

    def __init__(
        self,
        parameters: tuple[str, ...],
        defaults: Mapping[str, Evaluated],
        body: cst.BaseExpression,
        globals: Lookup,
        steps: tuple[Step, ...] = (),
    ) -> None:
        self.parameters = parameters
        self.defaults = defaults
        self.body = body
        self.globals = globals
        self.steps = steps


#: One statement of a helper before its ``return`` (see :class:`Function`).
Step = tuple[Literal["assign", "unless-env"], str | None, cst.BaseExpression]


class Ref(NamedTuple):
    """A name bound to something that is not data: a module, function or object.

    ``qualname`` is dotted (``"os.environ"``, ``"decouple.config"``); instances of a
    configuration reader's class end in ``()`` (``"environ.Env()"``), with django-environ's
    scheme defaults in ``scheme``; a project's helper function that the evaluator can call
    carries it in ``function``.
    """

    qualname: str
    scheme: Mapping[str, Evaluated] = {}  # shared, never mutated
    function: Function | None = None


#: What a lookup returns for a name that is bound, but to something not understood (an import
#: from a sibling settings module, a class, a name a loop assigns): it shadows builtins and
#: well-known module names, and evaluates to nothing. Not a value: see the module docstring.
UNKNOWN_BINDING = Ref("<unknown binding>")


Binding = Union[Evaluated, Ref]  # noqa: UP007 - a runtime alias; | needs 3.10 objects
#: Resolves a name bound earlier; None: unbound; UNKNOWN_BINDING: bound to something not
#: understood.
Lookup = Callable[[str], Binding | None]


class NotUnderstood(Exception):
    """Raised while evaluating to abandon an expression; never escapes
    :func:`hardsess.lint.evaluator.evaluate`, which answers None instead."""


def provenance(*values: Evaluated) -> tuple[Origin, str | None, cst.BaseExpression | None]:
    """Provenance of a value computed from others: an environment default wins."""
    for v in values:
        if v.origin is Origin.ENV_DEFAULT:
            return Origin.ENV_DEFAULT, v.env_var, v.default
    return Origin.COMPUTED, None, None


def derived(value: object, *sources: Evaluated) -> Evaluated:
    """``value``, computed from ``sources``, with their provenance (within the size limits)."""
    origin, env_var, default = provenance(*sources)
    return Evaluated(checked(value), origin, env_var, default)


def checked(value: object) -> object:
    """``value``, or NotUnderstood when it is larger than worth knowing."""
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise NotUnderstood
    if isinstance(value, (str, bytes, list, tuple)) and len(value) > MAX_SEQUENCE:
        raise NotUnderstood
    return value


def foreign(binding: Binding | None) -> Binding | None:
    """``binding`` as another module sees it (imported): the same value, without the nodes
    of the module that wrote it, so no fix ever points into a file other than its own."""
    if isinstance(binding, Evaluated):
        return Evaluated(
            binding.value,
            binding.origin,
            binding.env_var,
            None,
            tuple(p._replace(default=None, nodes=()) for p in binding.parts),
        )
    if isinstance(binding, Ref) and binding.scheme:
        scheme = {k: v._replace(default=None) for k, v in binding.scheme.items()}
        return binding._replace(scheme=scheme)
    return binding
