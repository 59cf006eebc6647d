"""Names a settings module binds through ``globals()``: bounded where the code says which.

A module-level write through ``globals()`` may bind any name, so deploy mode assumes no
Django default beside it (the module is *opaque*, :mod:`hardsess.lint.deploy`). Real settings
modules write through it in a few shapes whose names can be read off the code; then only
those names are unknown, and Django's defaults still hold for every other setting:

* ``globals()["NAME"] = ...``;
* a loop over a literal sequence of names, or a dict's keys, values or ``.items()``:
  ``for env_var, setting in ENV_TO_SETTING.items(): globals()[setting] = env(env_var)``;
* ``for param in PARAMS: globals()[param.name] = ...`` where ``PARAMS`` is a literal sequence
  of calls each given ``name="..."`` (a table of parameter objects);
* a write guarded by ``if key.startswith("SOCIAL_AUTH_"):``: only names with that prefix;
* ``globals().update(mapping)`` with a literal dict, ``dict(NAME=...)``, or a reader whose
  keys are known (:data:`SETTINGS_MAPPINGS`: django-environ's ``env.email_url()``);
* ``populate(env, globals())``: a project function whose only use of that parameter is such a
  write (``target[setting] = ...``).

The sequences and functions are looked up where Python would find them, in the module itself
or through ``from ... import`` of project modules (:class:`Definitions`, given by the
resolver). Anything else (``globals().update(...)``, a name built at run time, a function
outside the project, a parameter used any other way) stays unbounded: :func:`bound` answers
None and the module stays opaque.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import libcst as cst

__all__ = ["Bound", "Definitions", "Handed", "Write", "WriteFinder", "bound"]

#: The calls that return the module's namespace at module level.
NAMESPACE_CALLS = frozenset({"globals", "vars", "locals"})

_CODE = cst.Module(body=[])


@dataclass(frozen=True)
class Bound:
    """The names some out-of-sight writes may bind: these exactly, or any with a prefix."""

    names: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def covers(self, name: str) -> bool:
        return name in self.names or name.startswith(self.prefixes)

    def union(self, other: Bound) -> Bound:
        prefixes = self.prefixes + tuple(p for p in other.prefixes if p not in self.prefixes)
        return Bound(self.names | other.names, prefixes)


@dataclass(frozen=True)
class Write:
    """``namespace[key] = ...``, with the loops and ``if`` bodies it stands in (outermost
    first); a guard is an ``if`` test whose body holds the write."""

    key: cst.BaseExpression
    loops: tuple[cst.For, ...]
    guards: tuple[cst.BaseExpression, ...]


@dataclass(frozen=True)
class Handed:
    """``function(..., globals(), ...)``: the namespace handed to a function by name."""

    function: str
    position: int | str  # the argument's index, or its keyword


class Definitions(Protocol):
    """Module-level definitions as Python would find them from one module."""

    def __call__(self, name: str) -> tuple[cst.CSTNode, Definitions] | None:
        """What ``name`` is bound to at module level (an assignment's value or a ``def``),
        with the lookup of the module that holds it; None when not known."""
        ...


class WriteFinder(cst.CSTVisitor):
    """Finds ``target[key] = ...`` writes and every other use of a namespace.

    :meth:`is_namespace` says which expressions stand for the namespace (``globals()`` at module
    level; the parameter's name when ``parameter`` is given, to scan a function). After the
    visit, ``writes`` and ``handed`` hold the uses understood; ``other`` is set when any other
    use was seen.
    """

    def __init__(self, parameter: str | None = None) -> None:
        super().__init__()
        self.parameter = parameter
        self.writes: list[Write] = []
        self.handed: list[Handed] = []
        #: The mappings of ``namespace.update(mapping)``.
        self.updates: list[cst.BaseExpression] = []
        self.other = False
        self._loops: list[cst.For] = []
        self._guards: list[cst.BaseExpression] = []
        self._understood: set[int] = set()

    def is_namespace(self, node: cst.BaseExpression) -> bool:
        if self.parameter is not None:
            return isinstance(node, cst.Name) and node.value == self.parameter
        return (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Name)
            and node.func.value in NAMESPACE_CALLS
            and not node.args
        )

    # At module level a function's body runs only when called (a class body runs at once);
    # in a function every use of the parameter counts, nested functions' included.
    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return self.parameter is not None

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return self.parameter is not None

    def visit_Param(self, node: cst.Param) -> bool:
        return False  # the parameter's own declaration is no use of it

    def visit_For_body(self, node: cst.For) -> None:
        self._loops.append(node)

    def leave_For_body(self, node: cst.For) -> None:
        self._loops.pop()

    def visit_If_body(self, node: cst.If) -> None:
        self._guards.append(node.test)

    def leave_If_body(self, node: cst.If) -> None:
        self._guards.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            subscript = target.target
            key = _subscript_key(subscript)
            namespace = subscript.value if isinstance(subscript, cst.Subscript) else None
            if key is not None and namespace is not None and self.is_namespace(namespace):
                self._understood.add(id(namespace))
                self.writes.append(Write(key, tuple(self._loops), tuple(self._guards)))

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "update"
            and self.is_namespace(func.value)
            and len(node.args) == 1
            and node.args[0].keyword is None
            and not node.args[0].star
        ):
            self._understood.add(id(func.value))
            self.updates.append(node.args[0].value)
            return
        if not isinstance(node.func, cst.Name):
            return
        for index, arg in enumerate(node.args):
            if self.is_namespace(arg.value) and not arg.star:
                self._understood.add(id(arg.value))
                keyword = arg.keyword.value if arg.keyword is not None else None
                self.handed.append(Handed(node.func.value, keyword or index))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if (
            isinstance(node, cst.BaseExpression)
            and id(node) not in self._understood
            and self.is_namespace(node)
        ):
            self.other = True
        return super().on_visit(node)


def _subscript_key(node: cst.BaseExpression) -> cst.BaseExpression | None:
    if not isinstance(node, cst.Subscript) or len(node.slice) != 1:
        return None
    index = node.slice[0].slice
    return index.value if isinstance(index, cst.Index) else None


def bound(
    writes: Sequence[Write],
    handed: Sequence[Handed],
    updates: Sequence[cst.BaseExpression],
    definitions: Definitions,
) -> Bound | None:
    """The names all these uses of a namespace may bind, or None when any is unbounded."""
    total = Bound()
    for mapping in updates:
        one = _update_bound(mapping, definitions)
        if one is None:
            return None
        total = total.union(one)
    for write in writes:
        one = _write_bound(write, definitions)
        if one is None:
            return None
        total = total.union(one)
    for call in handed:
        one = _handed_bound(call, definitions)
        if one is None:
            return None
        total = total.union(one)
    return total


# --------------------------------------------------------------------------- one write


def _write_bound(write: Write, definitions: Definitions) -> Bound | None:
    key = write.key
    for guard in write.guards:
        prefixes = _guard_prefixes(guard, key)
        if prefixes:
            return Bound(prefixes=prefixes)
    if isinstance(key, cst.SimpleString):
        name = _string(key)
        return None if name is None else Bound(frozenset({name}))
    for loop in reversed(write.loops):
        selector = _selector(loop.target, key)
        if selector is None:
            continue  # this loop does not bind the key; an outer one may
        names = _loop_names(loop.iter, selector, definitions)
        return None if names is None else Bound(frozenset(names))
    return None


def _guard_prefixes(test: cst.BaseExpression, key: cst.BaseExpression) -> tuple[str, ...]:
    """The prefixes of ``key.startswith(...)`` in an ``if`` test (alone or and-ed)."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _guard_prefixes(test.left, key) + _guard_prefixes(test.right, key)
    if not (
        isinstance(test, cst.Call)
        and isinstance(test.func, cst.Attribute)
        and test.func.attr.value == "startswith"
        and len(test.args) == 1
        and _CODE.code_for_node(test.func.value) == _CODE.code_for_node(key)
    ):
        return ()
    argument = test.args[0].value
    items = argument.elements if isinstance(argument, cst.Tuple) else [cst.Element(argument)]
    prefixes = [_string(item.value) for item in items]
    if not prefixes or any(not p for p in prefixes):
        return ()  # an empty or unknown prefix bounds nothing
    return tuple(p for p in prefixes if p)


@dataclass(frozen=True)
class _Selector:
    """What of each element the key is: the element itself, an attribute of it (the call's
    keyword of that name) or, for ``a, b in d.items()``, the dict's key or value."""

    attribute: str | None = None
    item: int | None = None


def _selector(target: cst.BaseAssignTargetExpression, key: cst.BaseExpression) -> _Selector | None:
    if isinstance(target, cst.Name):
        if isinstance(key, cst.Name) and key.value == target.value:
            return _Selector()
        if (
            isinstance(key, cst.Attribute)
            and isinstance(key.value, cst.Name)
            and key.value.value == target.value
        ):
            return _Selector(attribute=key.attr.value)
        return None
    if isinstance(target, (cst.Tuple, cst.List)) and isinstance(key, cst.Name):
        for index, element in enumerate(target.elements):
            if isinstance(element.value, cst.Name) and element.value.value == key.value:
                return _Selector(item=index)
    return None


def _loop_names(
    iterable: cst.BaseExpression, selector: _Selector, definitions: Definitions
) -> list[str] | None:
    method = None
    if (
        isinstance(iterable, cst.Call)
        and isinstance(iterable.func, cst.Attribute)
        and not iterable.args
        and iterable.func.attr.value in ("items", "keys", "values")
    ):
        method = iterable.func.attr.value
        iterable = iterable.func.value
    found = _literal(iterable, definitions)
    if found is None:
        return None
    if isinstance(found, cst.Dict):
        if method == "items" and selector.item in (0, 1):
            part = "key" if selector.item == 0 else "value"
        elif method in (None, "keys") and selector == _Selector():
            part = "key"
        elif method == "values" and selector == _Selector():
            part = "value"
        else:
            return None
        strings = [_string(getattr(e, part, None)) for e in found.elements]
    elif method is None and selector.item is None:
        strings = [_element_name(e, selector.attribute) for e in found.elements]
    else:
        return None
    if any(s is None for s in strings):
        return None
    return [s for s in strings if s is not None]


def _literal(
    node: cst.BaseExpression, definitions: Definitions, depth: int = 0
) -> cst.List | cst.Tuple | cst.Set | cst.Dict | None:
    if isinstance(node, (cst.List, cst.Tuple, cst.Set, cst.Dict)):
        return node
    if isinstance(node, cst.Name) and depth < 4:
        found = definitions(node.value)
        if found is not None and isinstance(found[0], cst.BaseExpression):
            return _literal(found[0], found[1], depth + 1)
    return None


def _element_name(
    element: cst.BaseElement | cst.BaseDictElement, attribute: str | None
) -> str | None:
    if not isinstance(element, cst.Element):
        return None  # a starred element: unknown members
    value = element.value
    if attribute is None:
        return _string(value)
    if not isinstance(value, cst.Call):
        return None
    for arg in value.args:
        if arg.keyword is not None and arg.keyword.value == attribute:
            return _string(arg.value)
    return None


def _string(node: object) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


# --------------------------------------------------------------------------- a handed namespace


def _handed_bound(call: Handed, definitions: Definitions) -> Bound | None:
    found = definitions(call.function)
    if found is None:
        return None
    function, inner = found
    if not isinstance(function, cst.FunctionDef):
        return None
    parameter = _parameter(function, call.position)
    if parameter is None:
        return None
    finder = WriteFinder(parameter)
    function.visit(finder)
    if finder.other or finder.handed:
        return None  # used otherwise, or handed on: what it binds is not read off here
    return bound(finder.writes, (), finder.updates, inner)


# --------------------------------------------------------------------------- an update


#: Calls that return a mapping of settings with known names, by (class, method) of the
#: reader instance: django-environ's ``env.email_url()`` is the EMAIL_* settings of an URL
#: (and OPTIONS from its query), written into the module by ``vars().update(...)``.
SETTINGS_MAPPINGS: dict[tuple[str, str], Bound] = {
    (cls, method): Bound(frozenset({"OPTIONS"}), ("EMAIL_",))
    for cls in ("environ.Env", "environ.FileAwareEnv")
    for method in ("email_url", "email")
}


def _update_bound(mapping: cst.BaseExpression, definitions: Definitions) -> Bound | None:
    found = _literal(mapping, definitions)
    if isinstance(found, cst.Dict):
        keys = [_string(getattr(e, "key", None)) for e in found.elements]
        if any(k is None for k in keys):
            return None
        return Bound(frozenset(k for k in keys if k is not None))
    value, where = (mapping, definitions)
    if isinstance(value, cst.Name):
        defined = definitions(value.value)
        if defined is None or not isinstance(defined[0], cst.BaseExpression):
            return None
        value, where = defined[0], defined[1]
    if isinstance(value, cst.Call) and isinstance(value.func, cst.Name):
        if value.func.value == "dict" and all(a.keyword is not None for a in value.args):
            return Bound(frozenset(a.keyword.value for a in value.args if a.keyword))
        return None
    if not (isinstance(value, cst.Call) and isinstance(value.func, cst.Attribute)):
        return None
    receiver = value.func.value
    if not isinstance(receiver, cst.Name):
        return None
    instance = where(receiver.value)
    if instance is None or not isinstance(instance[0], cst.Call):
        return None
    cls = _CODE.code_for_node(instance[0].func)
    return SETTINGS_MAPPINGS.get((cls, value.func.attr.value))


def _parameter(function: cst.FunctionDef, position: int | str) -> str | None:
    params = function.params
    positional = [*params.posonly_params, *params.params]
    if isinstance(position, int):
        return positional[position].name.value if position < len(positional) else None
    for param in (*params.params, *params.kwonly_params):
        if param.name.value == position:
            return position
    return None
