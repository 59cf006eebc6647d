"""Deploy mode: judge the settings a deployment really runs with, across its settings modules.

``hardsess lint --settings proj.settings.prod`` (or ``settings = [...]`` in ``[tool.hardsess]``,
and always under ``manage.py hardsess lint``) starts from one settings module and follows its
imports of other project modules, as Python would run them:

* ``from .base import *`` / ``from proj.settings.base import *`` binds, at its position, every
  public name the imported module ends with (its ``__all__`` when that is a known list);
* ``from .base import MIDDLEWARE`` binds that name, so ``MIDDLEWARE += [...]`` afterwards is
  evaluated on base's list;
* later statements win, so the value a setting has at the end of the deploy module is the
  *effective* value, and the assignment that wrote it is where a finding points, whichever
  file holds it (base.py included). A value some later module overrides is never reported.
* A setting of the catalogue that no module writes has Django's default
  (:func:`hardsess.policy.django_defaults`, origin ``DJANGO_DEFAULT``): an insecure default is
  reported at line 1 of the deploy module. Explicit-only rules never judge a default.
* A setting written in a way the evaluator does not understand is unknown, and unknown never
  produces a finding (nor is Django's default assumed for it).
* A module that may bind names out of sight (module-level ``globals()``, ``exec``,
  django-split-settings ``include``, a star import of a module outside the project other than
  ``django.conf.global_settings``, a bare call handed ``__name__`` such as
  ``Configuration.load_settings(__name__)``), or that star-imports one, is *opaque*: Django's
  defaults are not assumed for the settings it does not visibly write.
* Without a session (CSRF) middleware in a known ``MIDDLEWARE``, Django's defaults for the
  ``SESSION_*`` (``CSRF_*``) settings are not assumed: nothing sets that cookie.

Module names become files through the project roots (:func:`project_roots`): the current
directory, the directory of the ``pyproject.toml`` read, the directories given, and for a file
the directory above its packages (where Python would import it from, so a project's
``myproj/celery.py`` never shadows ``celery``). A module given as a path is that file, whatever
its name (``settings.dist.py``). Packages
(``__init__.py``) and relative imports are supported. Modules outside the project (Django,
third-party packages) are not followed: what they bind is unknown.

Problems are reported, never crashed on, as :class:`~hardsess.lint.finding.FileError` (the CLI
exits 2 on them):

* the module named on the command line (or in config) is not found under any root;
* an import of a project module that does not exist, unless it stands in a ``try`` block that
  catches ``ImportError`` or a ``with contextlib.suppress(ImportError)`` block (the
  ``from .local import *`` idiom): Python would fail to import the
  settings too, so the effective values cannot be known. Such a guarded import is skipped
  silently, as Python skips it;
* an import cycle between settings modules (named in the message); the cycle is cut there;
* a module that cannot be parsed.

Suppression comments (``# hardsess: ignore[HS101]``, ``# noqa: HS101``) are honoured on the
statement a finding points at, in whichever file holds it; per-file ignores apply to that file.

Fixes: a finding carries the rewrite that fixes it, asked of the rule as in file mode
(:meth:`hardsess.lint.rule.SettingsRule.rewrite`) on the file that holds the effective value,
and re-judged on the effective values. With ``fix`` the rewrites are applied in memory, pass
after pass like file mode's, and the new contents come back in :attr:`DeployResult.rewritten`;
deploy mode never writes a file (the runner does, with its checks).

How the CLI uses it: :func:`hardsess.lint.runner.lint_paths` takes the deploy modules up
front, runs :func:`run` first and hands file mode only the code rules of the files deploy mode
judged, so no finding is made twice or thrown away afterwards.

Built on the engine: :mod:`hardsess.lint.settings_values`'s collector (evaluating each module
with the names its imports bound), :func:`hardsess.lint.linter.judge_values` (the same judge
runner as file mode, with the unknown-settings guard) and :func:`hardsess.lint.finding.place`.
No second evaluator.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from hardsess import policy
from hardsess.lint import dynamic_writes
from hardsess.lint.bindings import Binding, Evaluated
from hardsess.lint.budget import DEFAULT_MAX_FILE_SIZE, screen
from hardsess.lint.config import Config
from hardsess.lint.dynamic_writes import Bound, Definitions, Handed, Write, WriteFinder
from hardsess.lint.finding import (
    FileError,
    Finding,
    FixMode,
    Location,
    Rewrite,
    RunResult,
    place,
)
from hardsess.lint.linter import MAX_FIX_PASSES, judge_values, selected_ids
from hardsess.lint.registry import RuleSet, load_rules
from hardsess.lint.rewrites import SettingsRewriteContext, apply_rewrites
from hardsess.lint.settings_values import (
    Assignment,
    Collector,
    SettingsModule,
    alias_pairs,
    premised_unknown,
)
from hardsess.lint.suppression import is_suppressed

__all__ = [
    "DeployResult",
    "Effective",
    "Linted",
    "Resolved",
    "Rewritten",
    "Written",
    "effective_settings",
    "project_roots",
    "run",
]

#: Exceptions whose handler makes a ``try``-guarded import optional.
_IMPORT_ERRORS = frozenset({"ImportError", "ModuleNotFoundError", "Exception", "BaseException"})


# --------------------------------------------------------------------------- parsed modules


@dataclass
class Source:
    """One parsed project module: its dotted name, file, tree and lines."""

    name: str
    path: Path
    is_package: bool
    module: cst.Module
    lines: list[str]
    guarded: frozenset[int]  # id() of ImportFrom nodes inside a try that catches ImportError
    #: Why this module may bind names no assignment shows (``globals().update``, ``exec``,
    #: django-split-settings ``include``), or None.
    opaque: str | None = None
    #: Whether it imports django-split-settings: its ``include(...)`` statements are followed.
    split_settings: bool = False
    #: Its module-level writes through ``globals()`` and the calls handed ``globals()``,
    #: bounded into :attr:`dynamic` when the module is loaded (hardsess.lint.dynamic_writes).
    namespace_writes: tuple[
        tuple[Write, ...], tuple[Handed, ...], tuple[cst.BaseExpression, ...]
    ] = ((), (), ())
    #: The names those writes may bind (none when there are none).
    dynamic: Bound = field(default_factory=Bound)
    #: What the collector found in this module once it ran (its assignments, and the bindings
    #: rewrites re-evaluate with); None until then.
    collected: SettingsModule | None = field(default=None, repr=False)
    _positions: Mapping[cst.CSTNode, CodeRange] | None = field(default=None, repr=False)

    def position(self, node: cst.CSTNode) -> CodeRange | None:
        if self._positions is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        return self._positions.get(node)

    @property
    def display(self) -> str:
        """The path as reported: relative to the current directory when under it."""
        return _display(self.path)


@dataclass(frozen=True)
class Written:
    """The assignment that wrote a name's value, and the module that holds it."""

    source: Source
    assignment: Assignment


@dataclass
class Resolved:
    """A module after it ran: every name as bound at its end, and who wrote each value.

    ``writers[name]`` is None for a name bound by something that is not an assignment (an
    import from outside the project, a ``def``): its value is unknown.
    """

    source: Source
    bindings: dict[str, Binding | None]
    writers: dict[str, Written | None]
    #: Set when this module, or one it star-imports, is opaque (see Source.opaque): a setting
    #: it does not visibly write may still be set, so Django's default is not assumed.
    opaque: str | None = None
    #: The names that this module, or one it star-imports or includes, binds through
    #: ``globals()`` out of sight: no Django default is assumed for them either.
    dynamic: Bound = field(default_factory=Bound)

    def exported(self) -> list[str]:
        """The names ``from module import *`` binds: ``__all__`` if known, else public names."""
        declared = self.bindings.get("__all__")
        if isinstance(declared, Evaluated) and isinstance(declared.value, (list, tuple)):
            names = [n for n in declared.value if isinstance(n, str)]
            return [n for n in names if n in self.bindings]
        return [n for n in self.bindings if not n.startswith("_")]


def _display(path: Path) -> str:
    """A path as findings show it: relative to the current directory when under it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix() or "."
    except ValueError:
        return str(path)


class _GuardFinder(cst.CSTVisitor):
    """Collects the ``from ... import`` statements a ``try: ... except ImportError`` guards."""

    def __init__(self) -> None:
        super().__init__()
        self.guarded: set[int] = set()

    def visit_Try(self, node: cst.Try) -> bool:
        if any(_catches_import_error(h) for h in node.handlers):
            finder = _ImportFinder()
            node.body.visit(finder)
            self.guarded.update(id(n) for n in finder.found)
        return True

    def visit_With(self, node: cst.With) -> bool:
        # ``with contextlib.suppress(ImportError): from .local import *`` is the same guard.
        if any(_suppresses_import_error(item.item) for item in node.items):
            finder = _ImportFinder()
            node.body.visit(finder)
            self.guarded.update(id(n) for n in finder.found)
        return True

    def visit_If(self, node: cst.If) -> bool:
        # ``if (BASE_DIR / "local_settings.py").exists(): from .local_settings import *``:
        # imported only when the file is there, so its absence is no error either.
        if _tests_existence(node.test):
            finder = _ImportFinder()
            node.body.visit(finder)
            self.guarded.update(id(n) for n in finder.found)
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # only module-level code runs at import


#: Calls that ask whether a file is there: ``Path.exists()`` / ``is_file()``,
#: ``os.path.exists(...)`` / ``isfile(...)``.
_EXISTENCE = frozenset({"exists", "is_file", "isfile"})


def _tests_existence(test: cst.BaseExpression) -> bool:
    """Whether an ``if`` condition is (or ands in) a test that a file exists."""
    if isinstance(test, cst.BooleanOperation) and isinstance(test.operator, cst.And):
        return _tests_existence(test.left) or _tests_existence(test.right)
    if not isinstance(test, cst.Call):
        return False
    func = test.func
    name = func.attr.value if isinstance(func, cst.Attribute) else None
    if isinstance(func, cst.Name):
        name = func.value
    return name in _EXISTENCE


def _suppresses_import_error(item: cst.BaseExpression) -> bool:
    """Whether a ``with`` item is ``suppress(...)`` / ``contextlib.suppress(...)`` of an
    exception that covers ImportError."""
    if not isinstance(item, cst.Call):
        return False
    func = item.func
    name = func.attr.value if isinstance(func, cst.Attribute) else None
    if isinstance(func, cst.Name):
        name = func.value
    if name != "suppress":
        return False
    for arg in item.args:
        value = arg.value
        caught = value.attr.value if isinstance(value, cst.Attribute) else None
        if isinstance(value, cst.Name):
            caught = value.value
        if caught in _IMPORT_ERRORS:
            return True
    return False


class _ImportFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.ImportFrom] = []

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.found.append(node)


class _OpaqueFinder(cst.CSTVisitor):
    """Finds module-level code that binds names without an assignment the collector sees."""

    def __init__(self, split_settings: bool, path: Path) -> None:
        super().__init__()
        self.split_settings = split_settings
        self.source = path
        self.reason: str | None = None
        #: Whether the call visited is a statement of its own (``include(...)`` at module
        #: level or in an ``if``), the only include() the collector follows.
        self.statements = False

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False  # runs only when called

    def visit_Expr_value(self, node: cst.Expr) -> None:
        self.statements = isinstance(node.value, cst.Call)

    def leave_Expr_value(self, node: cst.Expr) -> None:
        self.statements = False

    def visit_Arg(self, node: cst.Arg) -> None:
        self.statements = False

    def visit_Expr(self, node: cst.Expr) -> None:
        # A call whose result is dropped and that is handed this module (``__name__``,
        # ``sys.modules[__name__]``): ``Settings.load_settings(__name__)``,
        # ``setup(__name__)`` set names on the module out of sight. (``getLogger(__name__)``
        # is assigned, never a bare statement.)
        call = node.value
        if isinstance(call, cst.Call) and any(_names_this_module(a.value) for a in call.args):
            self.reason = self.reason or "it hands the module to a call that may set settings"

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Name) and func.value == "exec":
            self.reason = self.reason or "it calls exec()"
        elif (
            isinstance(func, cst.Name)
            and self.split_settings
            and func.value == "include"
            and (not self.statements or _included(node, self.source) is None)
        ):
            self.reason = self.reason or "it calls django-split-settings include()"
        # Writes through globals() are judged by hardsess.lint.dynamic_writes, which bounds
        # the names they may bind where the code says which.


def _names_this_module(value: cst.BaseExpression) -> bool:
    if isinstance(value, cst.Name):
        return value.value == "__name__"
    if isinstance(value, cst.Subscript) and len(value.slice) == 1:
        index = value.slice[0].slice
        return isinstance(index, cst.Index) and _names_this_module(index.value)
    return False


def _included(call: cst.BaseExpression, source: Source | Path) -> list[Path] | None:
    """The files a django-split-settings ``include("base.py", optional("local.py"))`` runs,
    in order, relative to the including file; an ``optional`` file that is not there is left
    out. None when it is no such call or an argument is not a plain file name (a glob, a
    variable): what it includes is then unknown."""
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Name)):
        return None
    if call.func.value != "include":
        return None
    directory = (source.path if isinstance(source, Source) else source).parent
    files: list[Path] = []
    for arg in call.args:
        value, optional = arg.value, False
        if arg.keyword is not None or arg.star:
            return None
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Name)
            and value.func.value == "optional"
            and len(value.args) == 1
        ):
            value, optional = value.args[0].value, True
        if not isinstance(value, cst.SimpleString):
            return None
        name = value.evaluated_value
        if not isinstance(name, str) or any(c in name for c in "*?["):
            return None
        file = directory / name
        if file.is_file():
            files.append(file)
        elif not optional:
            return None
    return files


#: Star imports that bind exactly Django's defaults: they do not make a module opaque.
_DEFAULTS_MODULES = frozenset({"django.conf.global_settings"})


def _catches_import_error(handler: cst.ExceptHandler) -> bool:
    kind = handler.type
    if kind is None:
        return True
    names = kind.elements if isinstance(kind, cst.Tuple) else [cst.Element(kind)]
    for element in names:
        value = element.value
        name = value.attr.value if isinstance(value, cst.Attribute) else None
        if isinstance(value, cst.Name):
            name = value.value
        if name in _IMPORT_ERRORS:
            return True
    return False


# --------------------------------------------------------------------------- the collector


class _DeployCollector(Collector):
    """The engine's collector, with imports of project modules bound to their values.

    The only addition to :func:`hardsess.lint.settings_values.collect`: after the collector has
    recorded a ``from X import ...``, the names X binds are bound here (as bindings, not as
    assignments of this module), and ``provided`` remembers which module's assignment wrote
    each, until this module rebinds the name.
    """

    def __init__(self, source: Source, resolver: _Resolver) -> None:
        super().__init__(source.module, str(source.path), policy.SETTINGS_NAMES)
        self.source = source
        self.resolver = resolver
        self.provided: dict[str, Written | None] = {}
        self.opaque = source.opaque
        self.dynamic = source.dynamic
        self._importing = False

    def bind(
        self,
        name: str,
        value: Binding | None,
        statement: cst.CSTNode | None = None,
        rhs: cst.BaseExpression | None = None,
    ) -> None:
        if not self._importing:
            self.provided.pop(name, None)
        super().bind(name, value, statement, rhs)

    def mutation(self, node: cst.Expr) -> None:
        super().mutation(node)
        files = _included(node.value, self.source) if self.source.split_settings else None
        for file in files or ():
            # django-split-settings runs each file in this module's namespace: what it binds
            # is bound here, as a star import would bind it.
            resolved = self.resolver.load_file(self.source, file)
            if resolved is None:
                if not self.opaque:
                    self.opaque = f"it includes {file.name}, which cannot be read"
                continue
            if resolved.opaque and not self.opaque:
                self.opaque = f"{resolved.source.name}: {resolved.opaque}"
            self.dynamic = self.dynamic.union(resolved.dynamic)
            self._bind_from(resolved, [(name, name) for name in resolved.bindings])

    def import_from(self, node: cst.ImportFrom) -> None:
        super().import_from(node)
        resolved = self.resolver.resolve_import(self.source, node)
        missing = self.resolver.missing_in.get(self.source.name)
        if resolved is None and missing is not None and not self.opaque:
            # Lenient (discovered) run: what the missing module binds is unknown.
            self.opaque = f"it imports {missing}, which is not found under the project roots"
        cycle = self.resolver.cut_in.get(self.source.name)
        if resolved is None and cycle is not None and not self.opaque:
            self.opaque = f"its imports form a cycle ({cycle}), cut here"
        if resolved is None:
            external = self.module.code_for_node(node.module) if node.module is not None else ""
            if (
                isinstance(node.names, cst.ImportStar)
                and not node.relative
                and external not in _DEFAULTS_MODULES
                and not self.resolver.in_project(external)
                and not self.opaque
            ):
                # A third-party star import may set anything: no default can be assumed.
                self.opaque = f"it star-imports {external}, which deploy mode does not follow"
            return
        if isinstance(node.names, cst.ImportStar):
            pairs = [(name, name) for name in resolved.exported()]
            if resolved.opaque and not self.opaque:
                self.opaque = f"{resolved.source.name}: {resolved.opaque}"
            self.dynamic = self.dynamic.union(resolved.dynamic)
        else:
            pairs = alias_pairs(self.module, node.names)
        self._bind_from(resolved, pairs)

    def _bind_from(self, resolved: Resolved, pairs: Sequence[tuple[str, str]]) -> None:
        self._importing = True
        try:
            for local, imported in pairs:
                if imported in resolved.bindings:
                    self.bind(local, resolved.bindings[imported])
                    self.provided[local] = resolved.writers.get(imported)
        finally:
            self._importing = False


# --------------------------------------------------------------------------- module resolution


def project_roots(paths: Sequence[str], config: Config | None = None) -> list[Path]:
    """Where module names are looked up: cwd, the config's directory, and where Python would
    start importing each path (:func:`hardsess.lint.project.project_roots`)."""
    from hardsess.lint import project

    return project.project_roots(paths, None if config is None else config.root)


class _Resolver:
    """Finds, parses and runs (statically) project modules; each module once per run.

    ``contents`` holds the bytes of files already read (resolved path -> content: what the
    runner read, or a rewritten version); other files are read from disk.
    """

    def __init__(
        self,
        roots: Sequence[Path],
        errors: list[FileError],
        contents: Mapping[Path, bytes] | None = None,
        *,
        lenient: bool = False,
    ) -> None:
        self.roots = list(roots)
        #: Discovered (not given) deploy modules: an unguarded import of a missing project
        #: module makes its importer opaque instead of being an error (see :func:`run`).
        self.lenient = lenient
        self.missing_in: dict[str, str] = {}
        #: Lenient runs: importer -> the import cycle cut at its import (see load).
        self.cut_in: dict[str, str] = {}
        self.errors = errors
        self.contents = contents or {}
        self.cache: dict[str, Resolved | None] = {}
        self.sources: dict[str, Source] = {}
        self.stack: list[str] = []
        #: Modules given as paths (``--settings proj/settings.dist.py``): name -> file.
        self.aliases: dict[str, tuple[Path, bool]] = {}

    def locate(self, name: str) -> tuple[Path, bool] | None:
        """The file of a dotted module name and whether it is a package, or None."""
        if name in self.aliases:
            return self.aliases[name]
        parts = name.split(".")
        if not all(p.isidentifier() for p in parts):
            return None
        for root in self.roots:
            base = root.joinpath(*parts)
            if base.with_suffix(".py").is_file():
                return base.with_suffix(".py"), False
            if (base / "__init__.py").is_file():
                return base / "__init__.py", True
        return None

    def in_project(self, name: str) -> bool:
        """Whether a module's top-level package lives under a project root."""
        top = name.split(".")[0]
        return any((r / f"{top}.py").is_file() or (r / top).is_dir() for r in self.roots)

    def load(self, name: str) -> Resolved | None:
        """The module run to its end, or None (not found, unparsable or part of a cycle)."""
        if name in self.stack:
            cycle = " -> ".join([*self.stack[self.stack.index(name) :], name])
            if self.lenient:
                # A discovered module: Python runs such a cycle (each module sees the other
                # half-run), so it is no error; what the import binds is unknown.
                self.cut_in.setdefault(self.stack[-1], cycle)
                return None
            importer = self.sources[self.stack[-1]].display
            self.errors.append(
                FileError(
                    importer,
                    f"settings import cycle {cycle}: the cycle is cut here, so what it "
                    "imports back is unknown",
                )
            )
            return None
        if name in self.cache:
            return self.cache[name]
        found = self.locate(name)
        if found is None:
            return None
        path, is_package = found
        source = self._parse(name, path, is_package)
        if source is None:
            self.cache[name] = None
            return None
        self.sources[name] = source
        self._bound_namespace_writes(source)
        self.stack.append(name)
        try:
            collector = _DeployCollector(source, self)
            collector.block(source.module.body)
        finally:
            self.stack.pop()
        source.collected = SettingsModule(
            source.module,
            str(source.path),
            collector.assignments,
            collector.imports,
            collector.bindings,
        )
        writers: dict[str, Written | None] = {}
        for bound in collector.current:
            assignment = collector.assignments.get(bound)
            if assignment is not None:
                writers[bound] = Written(source, assignment)
            else:
                writers[bound] = collector.provided.get(bound)
        resolved = Resolved(
            source, dict(collector.current), writers, collector.opaque, collector.dynamic
        )
        self.cache[name] = resolved
        return resolved

    def load_file(self, includer: Source, file: Path) -> Resolved | None:
        """A file django-split-settings includes, run as a module of the includer's package
        (``settings.dist.py`` beside ``proj/settings/settings.py`` is
        ``proj.settings.settings_dist``, ``components/base.py`` ``proj.settings.components_base``):
        it runs with the includer's globals, so its relative imports resolve from there."""
        package = includer.name if includer.is_package else includer.name.rpartition(".")[0]
        relative = os.path.relpath(file, includer.path.parent)
        stem = relative[: -len(".py")] if relative.endswith(".py") else relative
        local = re.sub(r"\W", "_", stem)
        name = f"{package}.{local}" if package else local
        self.aliases.setdefault(name, (file, False))
        return self.load(name)

    def _parse(self, name: str, path: Path, is_package: bool) -> Source | None:
        try:
            data = self.contents.get(path.resolve())
            if data is None:
                data = path.read_bytes()
            # The per-file budget of file mode holds here too (hardsess.lint.budget): a huge or
            # pathologically nested module read for an import must not stall the run.
            if len(data) > DEFAULT_MAX_FILE_SIZE:
                reason = f"{len(data)} bytes, over {DEFAULT_MAX_FILE_SIZE} (max-file-size)"
                self.errors.append(FileError(_display(path), f"cannot lint: {reason}"))
                return None
            screened = screen(data, str(path))
            if screened is not None:
                self.errors.append(FileError(_display(path), f"cannot parse: {screened.reason}"))
                return None
            module = cst.parse_module(data)
        except OSError as error:
            self.errors.append(FileError(_display(path), f"cannot read: {error.strerror}"))
            return None
        except (cst.ParserSyntaxError, UnicodeDecodeError, SyntaxError) as error:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            self.errors.append(FileError(_display(path), f"cannot parse: {reason}"))
            return None
        text = data.decode(module.encoding, errors="replace").lstrip("\ufeff")
        finder = _GuardFinder()
        module.visit(finder)
        opaque = _OpaqueFinder(b"split_settings" in data, path)
        module.visit(opaque)
        namespace = WriteFinder()
        if any(call in data for call in (b"globals(", b"vars(", b"locals(")):
            module.visit(namespace)
        hidden = opaque.reason
        if namespace.other and hidden is None:
            hidden = "it uses globals() in a way that may bind any name"
        return Source(
            name,
            path,
            is_package,
            module,
            text.splitlines(),
            frozenset(finder.guarded),
            hidden,
            split_settings=opaque.split_settings,
            namespace_writes=(
                tuple(namespace.writes),
                tuple(namespace.handed),
                tuple(namespace.updates),
            ),
        )

    def resolve_import(self, importer: Source, node: cst.ImportFrom) -> Resolved | None:
        """The project module a ``from ... import`` reads, run; None when not followed."""
        target = _import_target(importer, node)
        if isinstance(target, _BeyondTop):
            self._missing(importer, node, target.written, "beyond the top package")
            return None
        if target and not node.relative and not self.in_project(target):
            return None  # Django or a third-party package: not a settings module
        if not target:
            return None
        if self.locate(target) is None:
            if id(node) not in importer.guarded:
                self._missing(importer, node, target, "not found under the project roots")
            return None
        # ``from . import base`` loads the package: ``base`` is a module object, not one of
        # its bindings, so nothing is bound for it (and nothing is wrongly reported).
        return self.load(target)

    # ----------------------------------------------------------- writes through globals()

    def _bound_namespace_writes(self, source: Source) -> None:
        """Bound what ``source`` writes through ``globals()`` (hardsess.lint.dynamic_writes);
        a write whose names cannot be read off the code makes the module opaque."""
        writes, handed, updates = source.namespace_writes
        if not (writes or handed or updates) or source.opaque is not None:
            return
        found = dynamic_writes.bound(writes, handed, updates, self._definitions(source))
        if found is None:
            source.opaque = "it writes through globals() names that cannot be read off the code"
        else:
            source.dynamic = found

    def _definitions(self, source: Source, depth: int = 0) -> Definitions:
        """Module-level definitions seen from ``source``: its own last top-level binding of a
        name, followed through ``from <project module> import name`` a few modules deep."""

        def lookup(name: str) -> tuple[cst.CSTNode, Definitions] | None:
            found: tuple[cst.CSTNode, Definitions] | None = None
            for statement in source.module.body:
                if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
                    found = statement, lookup
                elif isinstance(statement, cst.SimpleStatementLine):
                    for small in statement.body:
                        found = self._definition_in(source, small, name, depth) or found
            return found

        return lookup

    def _definition_in(
        self, source: Source, small: cst.BaseSmallStatement, name: str, depth: int
    ) -> tuple[cst.CSTNode, Definitions] | None:
        if (
            isinstance(small, cst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, cst.Name)
            and small.targets[0].target.value == name
        ):
            return small.value, self._definitions(source, depth)
        if not isinstance(small, cst.ImportFrom) or isinstance(small.names, cst.ImportStar):
            return None
        for bound_as, original in alias_pairs(source.module, small.names):
            if bound_as != name or depth >= _DEFINITION_DEPTH:
                continue
            target = _import_target(source, small)
            if not isinstance(target, str) or not target:
                return None
            if not small.relative and not self.in_project(target):
                return None
            imported = self._parsed(target)
            return None if imported is None else self._definitions(imported, depth + 1)(original)
        return None

    def _parsed(self, name: str) -> Source | None:
        """A project module parsed (not run), for a definition's lookup; None when absent."""
        if name in self.sources:
            return self.sources[name]
        found = self.locate(name)
        if found is None:
            return None
        quiet: list[FileError] = []  # its own run, if any, reports its problems
        errors, self.errors = self.errors, quiet
        try:
            source = self._parse(name, *found)
        finally:
            self.errors = errors
        if source is not None:
            self.sources[name] = source
        return source

    def _missing(self, importer: Source, node: cst.ImportFrom, target: str, why: str) -> None:
        if self.lenient:
            self.missing_in.setdefault(importer.name, target)
            return
        where = importer.position(node)
        line = where.start.line if where is not None else 1
        roots = ", ".join(_display(r) for r in self.roots)
        self.errors.append(
            FileError(
                importer.display,
                f"line {line}: cannot resolve the import of {target} ({why}; roots: {roots}); "
                "the settings it would bind are unknown",
            )
        )


#: How many ``from ... import`` hops a definition is followed through (a package's
#: ``__init__`` re-exporting a name from a submodule is one).
_DEFINITION_DEPTH = 4


class _BeyondTop(NamedTuple):
    written: str  # the relative import as written, for the message


def _import_target(importer: Source, node: cst.ImportFrom) -> str | _BeyondTop:
    """The dotted module a ``from ... import`` names, relative imports resolved from the
    importer's package ("" for none)."""
    written = importer.module.code_for_node(node.module) if node.module is not None else ""
    level = len(node.relative)
    if not level:
        return written
    package = importer.name if importer.is_package else importer.name.rpartition(".")[0]
    parts = package.split(".") if package else []
    if level - 1 > len(parts) or (level - 1 == len(parts) and not written):
        return _BeyondTop("." * level + written)
    base = parts[: len(parts) - (level - 1)]
    return ".".join([*base, written] if written else base)


# --------------------------------------------------------------------------- effective values


@dataclass(frozen=True)
class Effective:
    """The effective settings of one deploy module.

    ``values``: known effective values, with Django's defaults filled in for catalogue settings
    no module writes; ``writers``: the assignment behind each known written value;
    ``unknown``: written but not understood.
    """

    deploy: Resolved
    values: dict[str, policy.Observed]
    writers: dict[str, Written]
    unknown: frozenset[str]


def _applicable_defaults(resolved: Resolved) -> Mapping[str, object]:
    """Django's defaults, less the session or CSRF ones when the deploy module's MIDDLEWARE is
    known and sets no such cookie (:func:`hardsess.policy.cookies_never_set`). A MIDDLEWARE no
    module writes is not taken as proof (a module that never writes it is a fragment)."""
    defaults = policy.django_defaults()
    writer = resolved.writers.get("MIDDLEWARE")
    observed = writer.assignment.observed if writer is not None else None
    absent = policy.cookies_never_set(observed.value if observed is not None else None)
    if not absent:
        return defaults
    return {k: v for k, v in defaults.items() if not k.startswith(absent)}


def _effective(resolved: Resolved) -> Effective:
    values: dict[str, policy.Observed] = {}
    writers: dict[str, Written] = {}
    unknown: set[str] = set()
    defaults = _applicable_defaults(resolved)
    for name in policy.SETTINGS_NAMES:
        if name in resolved.bindings:
            writer = resolved.writers.get(name)
            observed = writer.assignment.observed if writer is not None else None
            if writer is None or observed is None:
                unknown.add(name)
            else:
                values[name] = observed
                writers[name] = writer
        elif resolved.opaque is not None or resolved.dynamic.covers(name):
            unknown.add(name)  # may be set where no assignment shows it
        elif name in defaults:
            values[name] = policy.Observed(defaults[name], policy.Origin.DJANGO_DEFAULT)
    for name in premised_unknown((w.assignment for w in writers.values()), values):
        del values[name]
        writers.pop(name, None)
        unknown.add(name)
    return Effective(resolved, values, writers, frozenset(unknown))


def effective_settings(
    module: str, roots: Sequence[Path]
) -> tuple[Effective | None, list[FileError]]:
    """The effective settings of ``module`` (None when it cannot be found), and the problems."""
    errors: list[FileError] = []
    resolver = _Resolver(roots, errors)
    resolved = resolver.load(module)
    if resolved is None:
        if resolver.locate(module) is None:
            errors.append(_not_found(module, roots))
        return None, errors
    return _effective(resolved), errors


def _not_found(module: str, roots: Sequence[Path]) -> FileError:
    looked = module.replace(".", "/")
    where = ", ".join(_display(r) or "." for r in roots)
    return FileError(
        module,
        f"settings module not found: no {looked}.py or {looked}/__init__.py under {where}",
    )


def _module_name(given: str, resolver: _Resolver) -> str:
    """A dotted module name for ``given``, which may also be a path to a .py file.

    A path is named from the package that holds it (``proj/settings/prod.py`` is
    ``proj.settings.prod`` when ``proj`` and ``settings`` are packages), its file registered
    with the resolver, so a name with dots (``settings.dist.py``) or a file outside every root
    still resolves, and relative imports resolve against its package.
    """
    if not given.endswith(".py") and "/" not in given and os.sep not in given:
        return given
    from hardsess.lint.project import package_root

    path = Path(os.path.realpath(given))
    if not path.is_file():  # reported as not found, under the name it would have
        for root in resolver.roots:
            try:
                relative = path.relative_to(root).with_suffix("").parts
            except ValueError:
                continue
            return ".".join(relative[:-1] if relative[-1:] == ("__init__",) else relative)
        return path.stem
    from hardsess.lint.project import copied_modules

    for copied, source in copied_modules(resolver.roots).items():
        if source == path:
            # A file the Dockerfile copies into place (``cp docker/config.py
            # settings/config.py``): it runs as the module it becomes in the image, so its
            # relative imports resolve from there.
            resolver.aliases[copied] = (path, False)
            return copied
    is_package = path.name == "__init__.py"
    directory = path.parent
    top = package_root(directory, resolver.roots)
    parts = list(directory.relative_to(top).parts)
    if not is_package:
        parts.append(path.name[: -len(".py")] if path.name.endswith(".py") else path.stem)
    name = ".".join(p.replace(".", "_") for p in parts) or path.stem
    resolver.aliases[name] = (path, is_package)
    if top not in resolver.roots:
        resolver.roots.append(top)  # last: it never shadows a root the project declared
    return name


# --------------------------------------------------------------------------- findings


class Linted(NamedTuple):
    """A file the caller lints: the path as it reports it, and the content it read."""

    path: str
    content: bytes


class Rewritten(NamedTuple):
    """A linted file after deploy mode's rewrites: its new content, and how many applied."""

    content: bytes
    applied: int


class _Judged(NamedTuple):
    """A deploy-mode finding, the rewrite that fixes it, and the module that holds it."""

    finding: Finding
    rewrite: Rewrite | None
    source: Source


def _judge(
    effective: Effective,
    config: Config,
    rules: RuleSet,
    rule_ids: Sequence[str],
    linted: Mapping[Path, Linted] | None,
) -> list[_Judged]:
    deploy = effective.deploy.source
    options = config.options()
    judged: list[_Judged] = []
    for cls, verdict in judge_values(effective.values, rule_ids, options, rules, effective.unknown):
        writer = effective.writers.get(verdict.setting)
        source = writer.source if writer is not None else deploy
        resolved = source.path.resolve()
        given = None if linted is None else linted.get(resolved)
        path = given.path if given is not None else source.display
        if config.ignores(cls.record.id, path):
            continue
        where = None
        lines: list[int] = [1]
        if writer is not None:
            where = source.position(writer.assignment.statement)
            if where is not None:
                lines = [where.start.line, where.end.line]
            if writer.assignment.line is not None:
                around = source.position(writer.assignment.line)
                if around is not None:
                    lines += [around.start.line, around.end.line]
        if is_suppressed(cls.record.id, _suppressing(source, writer), lines):
            continue
        rewrite = None
        if source.collected is not None and (linted is None or given is not None):
            # Only files the caller lints get a rewrite: --fix writes nothing else.
            assignment = writer.assignment if writer is not None else None
            context = SettingsRewriteContext(
                cls.record, verdict, assignment, source.collected, options, effective.values
            )
            rewrite = cls().rewrite(context)
        finding = place(cls.record, verdict, Location.of(path, where, source.lines), rewrite)
        judged.append(_Judged(finding, rewrite, source))
    return judged


_BARE_NOQA = re.compile(r"#\s*noqa\b(?!\s*:)", re.IGNORECASE)


def _suppressing(source: Source, writer: Written | None) -> list[str]:
    """The lines whose comments may suppress a finding. For a Django default (no writer,
    reported at line 1) a bare ``# noqa`` there does not count: it is flake8's, on the
    ``from .base import *  # noqa`` that so many deploy modules open with, and would hide every
    default; ``# noqa: HS111`` and ``# hardsess: ignore`` still do."""
    if writer is not None or not source.lines:
        return source.lines
    return [_BARE_NOQA.sub("", source.lines[0]), *source.lines[1:]]


@dataclass
class DeployResult(RunResult):
    """A :class:`RunResult` that also says which files deploy mode judged (resolved paths),
    and, when fixing, the new contents of the linted files its rewrites changed."""

    judged: frozenset[Path] = frozenset()
    rewritten: dict[Path, Rewritten] = field(default_factory=dict)


def _run_once(
    modules: Sequence[str],
    roots: Sequence[Path],
    config: Config,
    contents: Mapping[Path, bytes],
    linted: Mapping[Path, Linted] | None,
    lenient: bool,
) -> tuple[DeployResult, list[_Judged]]:
    result = DeployResult()
    rules = load_rules()
    rule_ids = selected_ids(config, rules, kind="settings")
    resolver = _Resolver(roots, result.errors, contents, lenient=lenient)
    judged: list[_Judged] = []
    for given in modules:
        name = _module_name(given, resolver)
        resolved = resolver.load(name)
        if resolved is None:
            if resolver.locate(name) is None:
                result.errors.append(_not_found(name, roots))
            continue
        judged.extend(_judge(_effective(resolved), config, rules, rule_ids, linted))
    parsed = sum(1 for r in resolver.cache.values() if r is not None)
    result.files_seen = result.files_linted = parsed
    # One finding per place and message: two deploy modules sharing base.py report its values
    # once (the first module's rewrite wins; the key leads Finding's order, so sorting never
    # compares the fix fields, which may be None on one side).
    unique: dict[tuple[str, int, int, str, str, int, int], Finding] = {}
    for item in judged:
        f = item.finding
        key = (f.path, f.line, f.column, f.rule_id, f.message, f.end_line, f.end_column)
        unique.setdefault(key, f)
    result.findings = [unique[key] for key in sorted(unique)]
    result.errors[:] = sorted(set(result.errors))
    result.judged = frozenset(s.path.resolve() for s in resolver.sources.values())
    return result, judged


def run(
    modules: Sequence[str],
    *,
    config: Config,
    paths: Sequence[str],
    fix: FixMode = "none",
    linted: Mapping[Path, Linted] | None = None,
    lenient: bool = False,
) -> DeployResult:
    """Deploy mode on each settings module (see the module doc); findings deduplicated.

    ``paths`` are the linted paths (they add project roots). ``linted`` are the files the
    caller lints, by resolved path: they are judged on the content given (not read again),
    their findings carry the path as the caller reports it, and only they get rewrites (None:
    every file deploy mode reads counts as linted). ``fix`` applies the rewrites in memory (see
    the module doc). ``errors`` not empty means exit 2 for the CLI. ``lenient``: the modules
    were discovered, not asked for (docs/deploy-mode.md): an import of a project module that is
    not there (a ``secrets.py`` written at deploy time) makes the importer opaque, and is not an
    error the user never asked to see.
    """
    roots = project_roots(paths, config)
    contents = {path: item.content for path, item in (linted or {}).items()}
    applied: dict[Path, int] = {}
    passes = 0
    while True:
        result, judged = _run_once(modules, roots, config, contents, linted, lenient)
        wanted: dict[Path, tuple[Source, list[Rewrite]]] = {}
        for item in judged:
            if item.rewrite is not None and item.rewrite.applies(fix):
                key = item.source.path.resolve()
                wanted.setdefault(key, (item.source, []))[1].append(item.rewrite)
        if not wanted or passes >= MAX_FIX_PASSES:
            break
        changed = False
        for key, (source, rewrites) in wanted.items():
            rewritten, count = apply_rewrites(source.module, rewrites)
            if count and rewritten.bytes != source.module.bytes:
                contents[key] = rewritten.bytes
                applied[key] = applied.get(key, 0) + count
                changed = True
        if not changed:
            break
        passes += 1
    result.rewritten = {key: Rewritten(contents[key], count) for key, count in applied.items()}
    return result
