"""Module-level assignments of a settings module, evaluated: what settings rules judge.

:func:`collect` walks the statements of a module in order, including the bodies of
module-level ``if`` / ``try`` / ``with`` blocks and module-level classes (django-configurations
style), and evaluates each right-hand side with :mod:`hardsess.lint.evaluator`. The last
assignment of a name wins. What is not understood becomes unknown (``observed is None``) and
shadows an earlier known value, so a later ``X = something_dynamic`` never leaves a stale
finding behind:

* ``X += [...]`` / other augmented assignments: evaluated when both sides are known;
* ``X.append(v)`` / ``insert`` / ``extend`` / ``remove`` / ``update`` / ``setdefault`` ...:
  evaluated on a known list or dict with known arguments, otherwise ``X`` becomes unknown;
* ``X[k] = v``: evaluated on a known dict or list, otherwise unknown;
* ``if C:`` with a ``C`` known from source follows only the branch taken; otherwise (also
  when ``C`` reads the environment) both branches count, in order;
* names assigned in loops, functions' names, ``del`` and anything else: unknown.

Imports bind names to :class:`~hardsess.lint.evaluator.Ref` so aliases are understood, and
``from X import *`` / ``from X import NAME`` are kept in order in :attr:`SettingsModule.imports`
for deploy mode, which resolves them across modules.

Public and stable (deploy mode and the bandit plugin build on it): :func:`collect`,
:class:`SettingsModule`, :class:`Assignment`, :class:`ImportRecord`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import libcst as cst

from hardsess.lint import config_readers
from hardsess.lint.bindings import (
    UNKNOWN_BINDING,
    Binding,
    Evaluated,
    Function,
    Ref,
    Step,
    foreign,
)
from hardsess.lint.evaluator import evaluate, resolve_ref
from hardsess.policy import (
    SETTINGS_NAMES,
    UNKNOWN_VALUE,
    UNKNOWN_VALUE_SETTINGS,
    Observed,
    Origin,
)

__all__ = [
    "Assignment",
    "Collector",
    "ImportRecord",
    "ProjectImports",
    "SettingsModule",
    "collect",
]

_MUTATORS = frozenset(
    {
        "append",
        "extend",
        "insert",
        "remove",
        "pop",
        "clear",
        "update",
        "setdefault",
        "add",
        "discard",
        "sort",
        "reverse",
    }
)


@dataclass(frozen=True)
class Assignment:
    """The (last) module-level assignment of one name.

    ``observed``: the evaluated value, or None when unknown. ``statement``: the small
    statement (``Assign``, ``AnnAssign``, ``AugAssign``, ``Del`` or an ``Expr`` mutating call)
    that made the value, or the compound statement (loop, ``with``) that made it unknown;
    ``line``: the ``SimpleStatementLine`` holding a small statement, None for a compound one
    (suppression comments are looked up on its first and last line); ``value``: the
    right-hand side of a plain assignment (the node a literal fix replaces), None for the
    other forms; ``default``: the node of the environment default when ``observed.origin``
    is ``ENV_DEFAULT``; ``index``: the order of the assignment in the module; ``top``: the
    top-level statement holding it (itself, or the ``if``/``class`` around it).
    """

    name: str
    observed: Observed | None
    statement: cst.CSTNode
    line: cst.SimpleStatementLine | None
    value: cst.BaseExpression | None
    default: cst.BaseExpression | None
    index: int
    evaluated: Evaluated | None = field(default=None, compare=False, repr=False)
    top: cst.CSTNode | None = field(default=None, compare=False, repr=False)
    #: Names the ``if`` tests around it say are set (``if SESSION_FILE_PATH is not None:``):
    #: the assignment runs only in a deployment where they are (:func:`premised_unknown`).
    premises: frozenset[str] = field(default=frozenset(), compare=False, repr=False)


def premised_unknown(
    assignments: Iterable[Assignment], values: Mapping[str, Observed]
) -> frozenset[str]:
    """Settings whose known value contradicts the premise of an assignment that is judged:
    ``if SESSION_FILE_PATH is not None: SESSION_ENGINE = "...file"`` with the path's default
    None. Where the engine is the file engine, the path is set, so its default must not be
    judged with the engine: it is unknown (netbox's settings)."""
    return frozenset(
        name
        for assignment in assignments
        for name in assignment.premises
        if name in values and values[name].value is None
    )


@dataclass(frozen=True)
class ImportRecord:
    """``from module import names`` (``names == ("*",)`` for a star import), in source order.

    ``module`` is as written, with leading dots for relative imports (``".base"``); ``index``
    orders it among the assignments.
    """

    module: str
    names: tuple[str, ...]
    statement: cst.ImportFrom
    index: int


@dataclass
class SettingsModule:
    """What :func:`collect` found in one module."""

    module: cst.Module
    path: str
    assignments: dict[str, Assignment]
    imports: list[ImportRecord]
    _bindings: dict[str, list[tuple[int, Binding | None]]] = field(repr=False)
    #: Settings this module imports from the project's own modules and does not rebind, as
    #: their module evaluated them (None: unknown there); file mode only (``project``).
    inherited: dict[str, Observed | None] = field(default_factory=dict, repr=False)

    def values(self, names: Iterable[str] | None = None) -> dict[str, Observed]:
        """The known values (unknown ones are absent), optionally only for ``names``."""
        chosen = (
            self.assignments
            if names is None
            else {n: self.assignments[n] for n in names if n in self.assignments}
        )
        return {n: a.observed for n, a in chosen.items() if a.observed is not None}

    def lookup_before(self, index: int) -> Callable[[str], Binding | None]:
        """A lookup of names as bound before statement ``index`` (for re-evaluating fixes)."""

        def lookup(name: str) -> Binding | None:
            history = self._bindings.get(name)
            if not history:
                return None
            at = bisect.bisect_left(history, index, key=lambda item: item[0]) - 1
            if at < 0:
                return None
            value = history[at][1]
            return UNKNOWN_BINDING if value is None else value

        return lookup

    def lookup_final(self, name: str) -> Binding | None:
        """A name as bound at the end of the module (code rules resolve constants with it)."""
        history = self._bindings.get(name)
        if not history:
            return None
        value = history[-1][1]
        return UNKNOWN_BINDING if value is None else value

    def source(self, node: cst.CSTNode) -> str:
        """The source text of a node, as written."""
        return self.module.code_for_node(node)


class ProjectImports(Protocol):
    """What :func:`collect` asks about ``from X import ...`` in file mode
    (:mod:`hardsess.lint.project_names`): the collected project module ``X`` (as written,
    leading dots included) imported by the file at ``importer``, or None when it is not the
    project's or cannot be read."""

    def module(self, importer: str, module: str) -> SettingsModule | None: ...


def collect(
    module: cst.Module,
    path: str = "<string>",
    *,
    sources: Collection[str] | None = None,
    project: ProjectImports | None = None,
) -> SettingsModule:
    """Collect and evaluate the module-level assignments of ``module`` (see module doc).

    ``Observed.source`` (the expression as written) is filled for the names in ``sources``
    (default: every name a settings rule reads, :data:`hardsess.policy.SETTINGS_NAMES`);
    rendering source text costs time on large generated modules, so it is not done for all.
    With ``project``, names imported from the project's own modules are bound to what those
    modules bind (file mode; deploy mode resolves imports itself).
    """
    collector = _Collector(module, path, SETTINGS_NAMES if sources is None else sources)
    collector.project = project
    for statement in module.body:
        collector.top = statement
        collector.block([statement])
    return SettingsModule(
        module,
        path,
        collector.assignments,
        collector.imports,
        collector.bindings,
        collector.inherited,
    )


class _Collector:
    """Walks statements and records bindings; deploy mode subclasses it (as ``Collector``).

    Stable for subclasses: ``__init__(module, path, sources)``, ``block(statements)``,
    ``bind(name, value, statement=None, rhs=None)``, ``import_from(node)``, and the
    attributes ``current`` (name -> binding, None for unknown), ``assignments``, ``imports``.
    """

    def __init__(self, module: cst.Module, path: str, sources: Collection[str]) -> None:
        self.module = module
        self.path = path
        self.sources = sources
        self.assignments: dict[str, Assignment] = {}
        self.imports: list[ImportRecord] = []
        self.bindings: dict[str, list[tuple[int, Binding | None]]] = {}
        self.current: dict[str, Binding | None] = {}
        self.index = 0
        self.line: cst.SimpleStatementLine | None = None
        self.top: cst.CSTNode | None = None
        self.project: ProjectImports | None = None
        self.inherited: dict[str, Observed | None] = {}
        #: The names the enclosing ``if`` tests narrowed (see narrowed_block).
        self.narrowing: tuple[str, ...] = ()

    # ------------------------------------------------------------------ bindings

    def lookup(self, name: str) -> Binding | None:
        if name in self.current:
            value = self.current[name]
            return UNKNOWN_BINDING if value is None else value
        return None

    def bind(
        self,
        name: str,
        value: Binding | None,
        statement: cst.CSTNode | None = None,
        rhs: cst.BaseExpression | None = None,
    ) -> None:
        self.current[name] = value
        self.bindings.setdefault(name, []).append((self.index, value))
        self.inherited.pop(name, None)
        if isinstance(value, Ref) or statement is None:
            # An import or function is not a setting value; neither is a bare rebinding.
            self.assignments.pop(name, None)
            return
        evaluated = value if isinstance(value, Evaluated) else None
        observed = None
        wanted = name in self.sources
        if evaluated is not None and evaluated.value is not UNKNOWN_VALUE:
            observed = evaluated.observed(self.part_source if wanted else None)
            if rhs is not None and wanted:
                observed = Observed(
                    observed.value,
                    observed.origin,
                    observed.env_var,
                    self.module.code_for_node(rhs).strip(),
                    observed.parts,
                )
        elif (
            value is None
            and rhs is not None
            and wanted
            and name in UNKNOWN_VALUE_SETTINGS
            and (env_var := self.env_read_without_default(rhs)) is not None
        ):
            # ``SECRET_KEY = os.environ["K"]``: the value is unknown but the expression is not,
            # and HS133 compares expressions. The binding stays unknown (None) for everything
            # else; only the judges of UNKNOWN_VALUE_SETTINGS see the marker, and ignore it.
            source = self.module.code_for_node(rhs).strip()
            observed = Observed(UNKNOWN_VALUE, Origin.ENV_DEFAULT, env_var, source)
        self.assignments[name] = Assignment(
            name,
            observed,
            statement,
            self.line,
            rhs,
            evaluated.default if evaluated is not None else None,
            self.index,
            evaluated,
            self.top,
            frozenset(self.narrowing),
        )

    def part_source(self, node: cst.CSTNode) -> str:
        """The source of a list item for HS133: a bare name stands for its current expression.

        ``SECRET_KEY_FALLBACKS = [SECRET_KEY]`` repeats whatever SECRET_KEY was assigned so
        far, so the item's source is that assignment's source (``os.environ["K"]``), which
        the judge compares with the final SECRET_KEY's. A name rebound later (rotation done in
        the module itself) then compares unequal, as it should.
        """
        if isinstance(node, cst.Name):
            assignment = self.assignments.get(node.value)
            observed = assignment.observed if assignment is not None else None
            if assignment is None:
                observed = self.inherited.get(node.value)  # star-imported from base.py
            if observed is not None and observed.source is not None:
                return observed.source
        return self.module.code_for_node(node)

    def env_read_without_default(self, node: cst.BaseExpression) -> str | None:
        """``K`` of ``os.environ["K"]`` (any alias of os.environ; any read without a default
        in :mod:`hardsess.lint.config_readers`) or of a reader's call such as
        ``env("K")`` / ``config("K")`` that has no default, else None."""
        if isinstance(node, cst.Call):
            ref = resolve_ref(node.func, self.lookup)
            first = node.args[0] if node.args else None
            if (
                ref is None
                or ref.function is not None
                or config_readers.reader_for(ref.qualname) is None
                or first is None
                or first.keyword is not None
                or not isinstance(first.value, cst.SimpleString)
            ):
                return None
            key = first.value.evaluated_value
            return key if isinstance(key, str) else None
        if not (
            isinstance(node, cst.Subscript)
            and len(node.slice) == 1
            and isinstance(node.slice[0].slice, cst.Index)
            and isinstance(node.slice[0].slice.value, cst.SimpleString)
        ):
            return None
        ref = resolve_ref(node.value, self.lookup)
        if ref is None or ref.qualname not in config_readers.READS_WITHOUT_DEFAULT:
            return None
        key = node.slice[0].slice.value.evaluated_value
        return key if isinstance(key, str) else None

    def unknown(self, names: Iterable[str], statement: cst.CSTNode) -> None:
        for name in names:
            self.bind(name, None, statement)

    # ------------------------------------------------------------------ statements

    def block(self, body: Iterable[cst.CSTNode]) -> None:
        for statement in body:
            self.index += 1
            if isinstance(statement, cst.SimpleStatementLine):
                self.line = statement
                for small in statement.body:
                    self.small(small)
            else:
                self.line = None
                self.compound(statement)

    def compound(self, node: cst.CSTNode) -> None:
        if isinstance(node, cst.If):
            test = evaluate(node.test, self.lookup)
            # Only a condition fixed in source picks a branch; one that reads the environment
            # goes both ways in real deployments, so both branches count (in order).
            if (
                test is not None
                and test.value is not UNKNOWN_VALUE
                and test.origin is not Origin.ENV_DEFAULT
            ):
                if test.value:
                    self.block(node.body.body)
                elif node.orelse is not None:
                    self.orelse(node.orelse)
                return
            self.narrowed_block(node)
            if node.orelse is not None:
                self.orelse(node.orelse)
        elif isinstance(node, cst.Try | cst.TryStar):
            self.block(node.body.body)
            for handler in node.handlers:
                self.block(handler.body.body)
            if node.orelse is not None:
                self.block(node.orelse.body.body)
            if node.finalbody is not None:
                self.block(node.finalbody.body.body)
        elif isinstance(node, cst.With):
            self.block(node.body.body)
            for item in node.items:
                if item.asname is not None:
                    self.unknown(_target_names(item.asname.name), node)
        elif isinstance(node, cst.ClassDef):
            self.block(node.body.body)
            self.bind(node.name.value, None)
        elif isinstance(node, cst.FunctionDef):
            name = node.name.value
            # A pasted copy of distutils' strtobool is read as strtobool (config_readers).
            if name in config_readers.DEFINED_FUNCTIONS:
                self.bind(name, Ref(name))
            else:
                self.bind(name, self.helper(node))
        else:
            # Loops, match, anything else: what they assign is not knowable statically.
            self.unknown(_assigned_names(node), node)

    def helper(self, node: cst.FunctionDef | cst.Lambda) -> Ref | None:
        """A function the evaluator can call: plain parameters, a body of the small class
        :func:`_helper_body` reads, no decorators. Anything else: None (unknown)."""
        params = node.params
        if (
            params.kwonly_params
            or not isinstance(params.star_arg, cst.MaybeSentinel)
            or params.star_kwarg is not None
        ):
            return None
        if isinstance(node, cst.Lambda):
            body: cst.BaseExpression = node.body
            name = "<lambda>"
            steps: tuple[Step, ...] = ()
        else:
            if node.decorators or node.asynchronous is not None:
                return None
            read = _helper_body(node.body)
            if read is None:
                return None
            steps, body = read
            name = node.name.value
        names: list[str] = []
        defaults: dict[str, Evaluated] = {}
        for param in (*params.posonly_params, *params.params):
            names.append(param.name.value)
            if param.default is not None:
                default = evaluate(param.default, self.lookup)
                if default is not None:
                    defaults[param.name.value] = default
        return Ref(name, function=Function(tuple(names), defaults, body, self.lookup, steps))

    def narrowed_block(self, node: cst.If) -> None:
        """The body of an ``if`` whose test reads the environment, with what the test says.

        ``if LOGIN_TIMEOUT is not None: SESSION_COOKIE_AGE = LOGIN_TIMEOUT``: inside, the name
        is whatever the deployment set, not its default (None): unknown, so the assignment is
        no finding (netbox's settings). Names the test narrows get their binding back after
        the body unless the body rebinds them.
        """
        narrowed = [n for n in _narrowed_names(node.test) if n in self.current]
        saved = {n: (self.current[n], len(self.bindings.get(n, ()))) for n in narrowed}
        for name in saved:
            self.current[name] = None
        outer = self.narrowing
        self.narrowing = (*outer, *narrowed)
        try:
            self.block(node.body.body)
        finally:
            self.narrowing = outer
        for name, (value, count) in saved.items():
            if len(self.bindings.get(name, ())) == count:
                self.current[name] = value

    def orelse(self, node: cst.If | cst.Else) -> None:
        if isinstance(node, cst.If):
            self.compound(node)
        else:
            self.block(node.body.body)

    def small(self, node: cst.BaseSmallStatement) -> None:
        if isinstance(node, cst.Assign):
            value = evaluate(node.value, self.lookup)
            binding: Binding | None = value
            if value is None:
                if isinstance(node.value, cst.Lambda) and not _assigns_setting(node):
                    binding = self.helper(node.value)  # a setting stays unknown, not absent
                else:
                    binding = self.object_ref(node.value)
            for target in node.targets:
                self.assign(target.target, binding, node, node.value)
        elif isinstance(node, cst.AnnAssign):
            if node.value is not None:
                self.assign(node.target, evaluate(node.value, self.lookup), node, node.value)
        elif isinstance(node, cst.AugAssign):
            self.augmented(node)
        elif isinstance(node, cst.Expr):
            self.mutation(node)
        elif isinstance(node, cst.Import):
            for alias in node.names:
                dotted = self.module.code_for_node(alias.name)
                if alias.asname is not None:
                    for name in _target_names(alias.asname.name):
                        self.bind(name, Ref(dotted))
                else:
                    top = dotted.split(".")[0]
                    self.bind(top, Ref(top))
        elif isinstance(node, cst.ImportFrom):
            self.import_from(node)
        elif isinstance(node, cst.Del):
            self.unknown(_target_names(node.target), node)

    def object_ref(self, node: cst.BaseExpression) -> Ref | None:
        """``environ.Env(...)`` / ``AutoConfig(...)`` instances: bound as references (which
        classes, and what their instances keep, is :mod:`hardsess.lint.config_readers`')."""
        if not isinstance(node, cst.Call):
            return None
        ref = resolve_ref(node.func, self.lookup)
        if ref is None:
            return None
        return config_readers.instance_ref(node, ref, lambda arg: evaluate(arg, self.lookup))

    def import_from(self, node: cst.ImportFrom) -> None:
        dots = "." * len(node.relative)
        base = self.module.code_for_node(node.module) if node.module is not None else ""
        module = dots + base
        if isinstance(node.names, cst.ImportStar):
            self.imports.append(ImportRecord(module, ("*",), node, self.index))
            self.from_project(module, None)
            return
        names: list[str] = []
        for alias in node.names:
            imported = self.module.code_for_node(alias.name)
            names.append(imported)
            local = imported
            if alias.asname is not None:
                local = self.module.code_for_node(alias.asname.name)
            qualified = f"{base}.{imported}" if base and not dots else imported
            if dots:
                self.bind(local, None)  # a sibling settings module: deploy mode resolves it
            else:
                self.bind(local, Ref(qualified))
        self.imports.append(ImportRecord(module, tuple(names), node, self.index))
        if self.project is not None:
            self.from_project(module, alias_pairs(self.module, node.names))

    def from_project(self, module: str, pairs: list[tuple[str, str]] | None) -> None:
        """Bind what ``from module import ...`` (``pairs`` of local and imported names; None
        for ``*``) takes from a project module, in file mode (``project``). The names are
        bindings, not assignments of this module: its findings are the other module's."""
        if self.project is None:
            return
        resolved = self.project.module(self.path, module)
        if resolved is None:
            return
        if pairs is None:
            pairs = [(name, name) for name in _exported(resolved)]
        for local, imported in pairs:
            if imported not in resolved._bindings:
                continue  # a submodule, or bound where it cannot be seen: stays as it was
            final = resolved.lookup_final(imported)
            self.bind(local, foreign(None if final is UNKNOWN_BINDING else final))
            assignment = resolved.assignments.get(imported)
            if assignment is not None:
                self.inherited[local] = assignment.observed
            elif imported in resolved.inherited:
                self.inherited[local] = resolved.inherited[imported]

    def assign(
        self,
        target: cst.BaseAssignTargetExpression,
        value: Binding | None,
        statement: cst.BaseSmallStatement,
        rhs: cst.BaseExpression,
    ) -> None:
        if isinstance(target, cst.Name):
            self.bind(target.value, value, statement, rhs)
        elif isinstance(target, cst.Tuple | cst.List):
            names = [e.value for e in target.elements]
            items = value.value if isinstance(value, Evaluated) else None
            if (
                isinstance(items, (list, tuple))
                and len(items) == len(names)
                and all(isinstance(n, cst.Name) for n in names)
                and isinstance(value, Evaluated)
            ):
                for element, item in zip(names, items, strict=True):
                    assert isinstance(element, cst.Name)
                    self.bind(element.value, _derived_item(item, value), statement, None)
            else:
                for name in _target_names(target):
                    self.bind(name, None, statement)
        elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
            self.item_assignment(target, value, statement)

    def item_assignment(
        self, target: cst.Subscript, value: Binding | None, statement: cst.BaseSmallStatement
    ) -> None:
        assert isinstance(target.value, cst.Name)
        name = target.value.value
        current = self.current.get(name)
        if not isinstance(current, Evaluated) or not isinstance(value, Evaluated):
            self.bind(name, None, statement) if name in self.current else None
            return
        key = None
        if len(target.slice) == 1 and isinstance(target.slice[0].slice, cst.Index):
            key = evaluate(target.slice[0].slice.value, self.lookup)
        container = current.value
        if key is None or not isinstance(container, (dict, list)):
            self.bind(name, None, statement)
            return
        try:
            updated: Any = dict(container) if isinstance(container, dict) else list(container)
            updated[key.value] = value.value
        except (TypeError, IndexError):
            self.bind(name, None, statement)
            return
        self.bind(name, Evaluated(updated, Origin.COMPUTED), statement)

    def augmented(self, node: cst.AugAssign) -> None:
        if not isinstance(node.target, cst.Name):
            return
        name = node.target.value
        as_binary = cst.BinaryOperation(
            left=node.target,
            operator=_BINARY.get(type(node.operator), cst.BitOr)(),
            right=node.value,
        )
        known = type(node.operator) in _BINARY
        value = evaluate(as_binary, self.lookup) if known else None
        self.bind(name, value, node)

    def mutation(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        receiver = call.func.value
        if not isinstance(receiver, cst.Name) or receiver.value not in self.current:
            return
        name = receiver.value
        method = call.func.attr.value
        if method not in _MUTATORS:
            return
        current = self.current.get(name)
        self.bind(name, _mutate(current, method, call, self.lookup), node)


_BINARY: Mapping[type[cst.BaseAugOp], type[cst.BaseBinaryOp]] = {
    cst.AddAssign: cst.Add,
    cst.SubtractAssign: cst.Subtract,
    cst.MultiplyAssign: cst.Multiply,
    cst.DivideAssign: cst.Divide,
    cst.FloorDivideAssign: cst.FloorDivide,
    cst.ModuloAssign: cst.Modulo,
    cst.PowerAssign: cst.Power,
}


def _derived_item(item: object, whole: Evaluated) -> Evaluated:
    origin = whole.origin if whole.origin is not Origin.LITERAL else Origin.COMPUTED
    return Evaluated(item, origin, whole.env_var, whole.default)


def _mutate(
    current: Binding | None,
    method: str,
    call: cst.Call,
    lookup: Callable[[str], Binding | None],
) -> Evaluated | None:
    """The value after ``X.method(args)`` on a known list/dict/set, or None (unknown)."""
    if not isinstance(current, Evaluated) or any(a.keyword or a.star for a in call.args):
        return None
    args = [evaluate(a.value, lookup) for a in call.args]
    if any(a is None for a in args):
        return None
    values = [a.value for a in args if a is not None]
    container = current.value
    try:
        if isinstance(container, list):
            updated: object = list(container)
        elif isinstance(container, dict):
            updated = dict(container)
        elif isinstance(container, set):
            updated = set(container)
        else:
            return None
        getattr(updated, method)(*values)
    except (AttributeError, TypeError, ValueError, IndexError, KeyError):
        return None
    origin = Origin.ENV_DEFAULT if current.origin is Origin.ENV_DEFAULT else Origin.COMPUTED
    return Evaluated(updated, origin, current.env_var, current.default)


def _assigns_setting(node: cst.Assign) -> bool:
    return any(name in SETTINGS_NAMES for t in node.targets for name in _target_names(t.target))


#: How many statements a helper may have before its ``return`` (a bounded read).
MAX_HELPER_STEPS = 8


def _helper_body(body: cst.BaseSuite) -> tuple[tuple[Step, ...], cst.BaseExpression] | None:
    """The steps and returned expression of a helper (see :class:`Function`), or None.

    One ``return X`` after a docstring; or, in an indented body, up to
    :data:`MAX_HELPER_STEPS` statements before a final ``return X``, each one of: ``name =
    value`` (one plain name), ``if test: ...`` with no ``else`` whose block ends in ``raise``
    (a guard: raising gives the setting no value, so it is passed over), and ``if test: ...``
    whose block ends in ``return`` (an ``unless-env`` step). Anything else is not read.
    """
    returned = _returned(body)
    if returned is not None:
        return (), returned
    if not isinstance(body, cst.IndentedBlock):
        return None
    statements = list(body.body)
    if statements and _is_docstring(statements[0]):
        statements = statements[1:]
    if not statements or len(statements) > MAX_HELPER_STEPS + 1:
        return None
    last = statements[-1]
    if not (isinstance(last, cst.SimpleStatementLine) and len(last.body) == 1):
        return None
    final = last.body[0]
    if not isinstance(final, cst.Return) or final.value is None:
        return None
    steps: list[Step] = []
    for statement in statements[:-1]:
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
            small = statement.body[0]
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
            ):
                steps.append(("assign", small.targets[0].target.value, small.value))
                continue
            return None
        if not isinstance(statement, cst.If) or statement.orelse is not None:
            return None
        exit_ = _block_exit(statement.body)
        if exit_ is cst.Raise:
            # A guard that raises: no value comes out of it, unless it can also return or
            # binds a name the rest reads (``if not (v := ...): raise``).
            if _has(statement, (cst.Return, cst.NamedExpr)):
                return None
            continue
        if exit_ is not cst.Return:
            return None
        steps.append(("unless-env", None, statement.test))
    return tuple(steps), final.value


def _block_exit(body: cst.BaseSuite) -> type[cst.Raise] | type[cst.Return] | None:
    """``cst.Raise`` / ``cst.Return`` when a block's last statement is one, else None."""
    lines = (
        list(body.body)
        if isinstance(body, cst.SimpleStatementSuite)
        else [body.body[-1]]
        if body.body and isinstance(body.body[-1], cst.SimpleStatementLine)
        else []
    )
    last = lines[-1] if lines else None
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    if isinstance(last, cst.Raise):
        return cst.Raise
    if isinstance(last, cst.Return):
        return cst.Return
    return None


def _has(node: cst.CSTNode, kinds: tuple[type[cst.CSTNode], ...]) -> bool:
    """Whether any node inside ``node`` is one of ``kinds``."""
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, kinds):
            return True
        stack.extend(current.children)
    return False


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, cst.SimpleString)
    )


def _returned(body: cst.BaseSuite) -> cst.BaseExpression | None:
    """The expression of a function body that is ``return X`` (after a docstring), else None."""
    lines: list[cst.BaseSmallStatement] = []
    if isinstance(body, cst.SimpleStatementSuite):
        lines = list(body.body)
    else:
        for statement in body.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                return None
            lines.extend(statement.body)
    if lines and isinstance(lines[0], cst.Expr) and isinstance(lines[0].value, cst.SimpleString):
        lines = lines[1:]  # the docstring
    if len(lines) != 1 or not isinstance(lines[0], cst.Return) or lines[0].value is None:
        return None
    return lines[0].value


def _exported(module: SettingsModule) -> list[str]:
    """What ``from module import *`` binds: ``__all__`` when it is a known list of names,
    else every name not starting with an underscore."""
    listed = module.lookup_final("__all__")
    names = listed.value if isinstance(listed, Evaluated) else None
    if isinstance(names, (list, tuple)) and all(isinstance(name, str) for name in names):
        return [name for name in names if name in module._bindings]
    return [name for name in module._bindings if not name.startswith("_")]


def alias_pairs(module: cst.Module, aliases: Sequence[cst.ImportAlias]) -> list[tuple[str, str]]:
    """(local name, imported name) of each alias of ``from m import a, b as c``."""
    pairs = []
    for alias in aliases:
        imported = module.code_for_node(alias.name)
        local = imported
        if alias.asname is not None:
            local = module.code_for_node(alias.asname.name)
        pairs.append((local, imported))
    return pairs


def _narrowed_names(test: cst.BaseExpression) -> list[str]:
    """Names an ``if`` test says are set: ``X``, ``X is not None``, and either of ``A and B``."""
    if isinstance(test, cst.Name):
        return [test.value]
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1:
        target = test.comparisons[0]
        if (
            isinstance(test.left, cst.Name)
            and isinstance(target.operator, cst.IsNot)
            and isinstance(target.comparator, cst.Name)
            and target.comparator.value == "None"
        ):
            return [test.left.value]
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _narrowed_names(test.left) + _narrowed_names(test.right)
    return []


def _target_names(node: cst.CSTNode) -> list[str]:
    if isinstance(node, cst.Name):
        return [node.value]
    if isinstance(node, cst.Tuple | cst.List):
        return [n for e in node.elements for n in _target_names(e.value)]
    if isinstance(node, cst.StarredElement):
        return _target_names(node.value)
    return []


def _assigned_names(node: cst.CSTNode) -> list[str]:
    """Every name a compound statement may bind (targets, loop variables), shallowly deep."""
    names: list[str] = []

    class Finder(cst.CSTVisitor):
        def visit_Assign(self, node: cst.Assign) -> None:
            for target in node.targets:
                names.extend(_target_names(target.target))

        def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
            names.extend(_target_names(node.target))

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            names.extend(_target_names(node.target))

        def visit_For(self, node: cst.For) -> None:
            names.extend(_target_names(node.target))

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            names.append(node.name.value)
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            names.append(node.name.value)
            return False

        def visit_Expr(self, node: cst.Expr) -> None:
            call = node.value
            if (
                isinstance(call, cst.Call)
                and isinstance(call.func, cst.Attribute)
                and isinstance(call.func.value, cst.Name)
            ):
                names.append(call.func.value.value)  # X.append(...) inside a loop

    node.visit(Finder())
    return names


#: The collector class, for subclasses that bind more names (deploy mode's star-imports).
Collector = _Collector
