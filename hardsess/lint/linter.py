"""Linting one file: parse, collect settings, run the rules in one traversal, suppress, fix.

:func:`lint_data` is the whole per-file pipeline (file mode) and the unit of work of the
parallel runner. It imports libcst and the rule modules, so callers run the byte-level
pre-filter first. :func:`selected_ids` and :func:`judge_values` are shared with deploy mode,
which judges settings across modules with the same rules, the same unknown-settings guard
(:func:`robust_verdicts`) and the same rewrites; both modes turn verdicts into findings with
:func:`hardsess.lint.finding.place`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import libcst as cst

from hardsess.lint.bindings import Binding
from hardsess.lint.budget import parse_error, screen
from hardsess.lint.config import Config
from hardsess.lint.evaluator import evaluate
from hardsess.lint.finding import (
    FileError,
    Finding,
    FixMode,
    Location,
    Rewrite,
    Skipped,
    place,
)
from hardsess.lint.positions import Positions
from hardsess.lint.prefilter import code_may_matter, settings_may_matter
from hardsess.lint.project import is_settings_module
from hardsess.lint.project_names import PROJECT
from hardsess.lint.registry import RuleSet, load_rules
from hardsess.lint.rewrites import SettingsRewriteContext, apply_rewrites
from hardsess.lint.rule import CodeRule, SettingsRule
from hardsess.lint.settings_values import SettingsModule, collect, premised_unknown
from hardsess.lint.suppression import is_suppressed
from hardsess.policy import Observed, Options, Origin, Rule, Verdict, judge

__all__ = [
    "MAX_FIX_PASSES",
    "FileResult",
    "FixMode",
    "judge_values",
    "lint_data",
    "robust_verdicts",
    "selected_ids",
]

#: Fixing stops after this many passes even if rewrites keep applying (they must converge).
MAX_FIX_PASSES = 5


@dataclass
class FileResult:
    """The outcome for one file. ``fixed`` is the new content when fixes changed it (same
    type as the input: bytes in the file's own encoding, or str)."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    error: FileError | None = None
    skipped: Skipped | None = None
    fixed: bytes | str | None = None
    fixes_applied: int = 0
    passes: int = 0


class _NodeVerdict(NamedTuple):
    """A verdict of one rule on this file, tied to its nodes, before suppression and placement.

    ``node`` is what the finding points at (None: line 1); ``statement`` the statement whose
    lines may carry a suppression comment; ``rewrite`` what would fix it; ``top`` the
    top-level statement holding ``node`` (positions are computed per top-level statement).
    """

    rule: Rule
    verdict: Verdict
    node: cst.CSTNode | None
    statement: cst.CSTNode | None
    rewrite: Rewrite | None
    top: cst.CSTNode | None = None


def lint_data(
    data: bytes | str,
    path: str,
    config: Config,
    *,
    fix: FixMode = "none",
    is_settings: bool | None = None,
    rules: RuleSet | None = None,
) -> FileResult:
    """Lint one file's content as if it were at ``path``; apply fixes when ``fix`` asks.

    Never raises for bad input: a file that is binary, undecodable or not valid Python comes
    back with ``error`` set and no findings.
    """
    result = FileResult(path)
    if isinstance(data, bytes) and b"\0" in data:
        result.error = FileError(path, "cannot parse: binary file (contains NUL bytes)")
        return result
    if is_settings is None:
        raw = data if isinstance(data, bytes) else data.encode("utf-8", errors="replace")
        is_settings = is_settings_module(path, raw, config.settings)
    rules = rules or load_rules()
    current = data
    for _ in range(MAX_FIX_PASSES + 1):
        if current is data:
            # CPython's parser first (the budget's screen): its message and position for a
            # syntax error, and no libcst on what is too deep for it (libcst would crash).
            screened = screen(current, path)
            if screened is not None:
                if screened.skip:
                    result.skipped = Skipped(path, f"skipped: {screened.reason}")
                else:
                    result.error = screened.error(path)
                return result
        # A settings module another file imported from this run was parsed then: reuse it.
        known = PROJECT.collected(path, current) if isinstance(current, bytes) else None
        try:
            module = known.module if known is not None else cst.parse_module(current)
        except cst.ParserSyntaxError as error:
            result.error = _libcst_error(path, error)
            result.findings = []
            return result
        except (UnicodeDecodeError, LookupError, SyntaxError) as error:
            result.error = FileError(path, f"cannot parse: {error}")
            return result
        except RecursionError:
            result.skipped = Skipped(path, "skipped: too deeply nested to lint")
            return result
        try:
            positions = Positions(module, current)
            pending = _run_rules(
                module, current, path, config, is_settings, rules, positions, known
            )
        except RecursionError:
            result.skipped = Skipped(path, "skipped: too deeply nested to lint")
            return result
        text = current if isinstance(current, str) else _decode(current, module.encoding)
        lines = text.splitlines()
        pending = [p for p in pending if not _suppressed(p, lines, positions)]
        wanted = [p.rewrite for p in pending if p.rewrite is not None and p.rewrite.applies(fix)]
        if not wanted or result.passes >= MAX_FIX_PASSES:
            result.findings = _findings(pending, positions, lines, path)
            break
        fixed_module, applied = apply_rewrites(module, wanted)
        new: bytes | str = fixed_module.bytes if isinstance(current, bytes) else fixed_module.code
        if applied == 0 or new == current:
            result.findings = _findings(pending, positions, lines, path)
            break
        result.fixes_applied += applied
        result.passes += 1
        current = new
    if result.fixes_applied and current != data:
        result.fixed = current
    return result


_LIBCST_AT = re.compile(r"^(?:parser error: )?error at (\d+):(\d+): ")


def _libcst_error(path: str, error: cst.ParserSyntaxError) -> FileError:
    """A syntax error only libcst finds (CPython's screen passed the file). Its message says
    ``error at L:C`` (1-based) while ``raw_line`` may name the next token's line: keep the
    message's position, once."""
    message = error.message.splitlines()[0] if error.message else "invalid syntax"
    found = _LIBCST_AT.match(message)
    if found is None:
        return parse_error(path, message, error.raw_line, error.raw_column + 1)
    return parse_error(path, message[found.end() :], int(found[1]), int(found[2]))


def _decode(data: bytes, encoding: str) -> str:
    text = data.decode(encoding, errors="replace")
    return text[1:] if text.startswith("\ufeff") else text


def selected_ids(
    config: Config, rules: RuleSet, *, kind: str | None = None, path: str | None = None
) -> list[str]:
    """The IDs of the rules that run, sorted: selected by ``config`` (of ``kind``,
    ``"settings"`` or ``"code"``, when given) and, for ``path``, not turned off there by
    per-file ignores (deploy mode asks that per finding instead, of the file it points at)."""
    classes: dict[str, type[SettingsRule] | type[CodeRule]] = {}
    if kind in (None, "settings"):
        classes.update(rules.settings)
    if kind in (None, "code"):
        classes.update(rules.code)
    return sorted(
        rule_id
        for rule_id, cls in classes.items()
        if config.is_selected(rule_id, opt_in=cls.record.opt_in)
        and (path is None or not config.ignores(rule_id, path))
    )


def _run_rules(
    module: cst.Module,
    data: bytes | str,
    path: str,
    config: Config,
    is_settings: bool,
    rules: RuleSet,
    positions: Positions,
    known: SettingsModule | None = None,
) -> list[_NodeVerdict]:
    active = selected_ids(config, rules, path=path)
    raw = data.encode("utf-8", errors="replace") if isinstance(data, str) else data
    options = config.options()
    pending: list[_NodeVerdict] = []
    collected: SettingsModule | None = None
    settings_ids = [i for i in active if i in rules.settings]
    if is_settings and settings_ids and settings_may_matter(raw):
        collected = known if known is not None else collect(module, path, project=PROJECT)
        if isinstance(data, bytes):
            PROJECT.remember(path, data, collected)
        pending.extend(_settings_verdicts(collected, settings_ids, rules, options))
    code_rules = [
        rules.code[i]
        for i in active
        if i in rules.code and any(t in raw for t in rules.code[i].TRIGGERS)
    ]
    if code_rules and code_may_matter(raw):
        statements = _statements_to_visit(module, raw, code_rules, positions)
        pending.extend(_code_findings(module, path, code_rules, options, collected, statements))
    return pending


# --------------------------------------------------------------------------- settings rules


def _settings_verdicts(
    collected: SettingsModule, rule_ids: Sequence[str], rules: RuleSet, options: Options
) -> Iterator[_NodeVerdict]:
    own = collected.values()
    if not own:
        return
    # Settings imported from the project's own modules (from .base import *) are judged with
    # this module's, but a verdict about one of them is its own module's finding.
    inherited = collected.inherited
    values = {n: o for n, o in inherited.items() if o is not None}
    values.update(own)
    unknown = frozenset(n for n, a in collected.assignments.items() if a.observed is None)
    unknown |= frozenset(n for n, o in inherited.items() if o is None)
    contradicted = premised_unknown(collected.assignments.values(), values)
    for name in contradicted:
        values.pop(name)
    unknown |= contradicted
    for cls, verdict in judge_values(values, rule_ids, options, rules, unknown):
        assignment = collected.assignments.get(verdict.setting)
        if assignment is None and verdict.setting in inherited:
            continue
        context = SettingsRewriteContext(
            cls.record, verdict, assignment, collected, options, values
        )
        yield _NodeVerdict(
            cls.record,
            verdict,
            assignment.statement if assignment is not None else None,
            assignment.line if assignment is not None else None,
            cls().rewrite(context),
            assignment.top if assignment is not None else None,
        )


#: Values an unknown setting is replaced with to test whether a verdict depends on it.
_PROBES: tuple[object, ...] = (
    None, True, False, 0, 1, 10**9, "", "x", "Lax", "None", "/", [], {},
    {"SESSION": {"REVOCATION": "cache"}},
)  # fmt: skip
_ABSENT = object()


def robust_verdicts(
    rule: Rule, values: Mapping[str, Observed], unknown: frozenset[str], options: Options
) -> list[Verdict]:
    """The verdicts of ``rule`` that hold whatever the ``unknown`` settings are.

    A setting assigned in a way the evaluator does not understand is absent from ``values``,
    and a judge reads absence as "not set" (HS109: no SESSION_FILE_PATH). So when a rule reads
    an unknown setting, each verdict is kept only if it also comes out with that setting
    absent or set to each of a few probe values: unknown never produces a finding.
    """
    verdicts = judge(rule, values, options)
    relevant = sorted(unknown.intersection(rule.settings))
    if not verdicts or not relevant:
        return verdicts
    kept = {(v.setting, v.message) for v in verdicts}
    for probe in (_ABSENT, *_PROBES):
        probed = dict(values)
        for name in relevant:
            if probe is _ABSENT:
                probed.pop(name, None)
            else:
                probed[name] = Observed(probe, Origin.COMPUTED)
        kept &= {(v.setting, v.message) for v in judge(rule, probed, options)}
        if not kept:
            return []
    return [v for v in verdicts if (v.setting, v.message) in kept]


def judge_values(
    values: Mapping[str, Observed],
    rule_ids: Sequence[str],
    options: Options,
    rules: RuleSet | None = None,
    unknown: frozenset[str] = frozenset(),
) -> list[tuple[type[SettingsRule], Verdict]]:
    """Every verdict of the given settings rules on ``values``, with the rule class that
    gave it (its ``policy`` is the catalogue record, its ``rewrite`` the fix). File mode and
    deploy mode both judge through here; ``unknown`` names settings that are assigned but not
    understood (see :func:`robust_verdicts`)."""
    rules = rules or load_rules()
    return [
        (rules.settings[i], v)
        for i in rule_ids
        if i in rules.settings
        for v in robust_verdicts(rules.settings[i].record, values, unknown, options)
    ]


# --------------------------------------------------------------------------- code rules


class _CodeSink:
    """The engine side of the code rules of one file (implements rule.ReportSink)."""

    def __init__(
        self, module: cst.Module, path: str, options: Options, collected: SettingsModule | None
    ) -> None:
        self.module = module
        self.path = path
        self.options = options
        self._collected = collected
        self.statements: list[cst.SimpleStatementLine] = []
        self.pending: list[_NodeVerdict] = []
        self.top: cst.CSTNode | None = None

    def _lookup(self, name: str) -> Binding | None:
        if self._collected is None:
            self._collected = collect(self.module, self.path, sources=())
        return self._collected.lookup_final(name)

    def evaluate(self, node: cst.BaseExpression) -> Observed | None:
        evaluated = evaluate(node, self._lookup)
        return None if evaluated is None else evaluated.observed(None)

    def report(
        self, rule: CodeRule, node: cst.CSTNode, verdict: Verdict | str, fix: Rewrite | None
    ) -> None:
        if isinstance(verdict, str):
            verdict = Verdict("", verdict)
        statement = self.statements[-1] if self.statements else None
        self.pending.append(_NodeVerdict(rule.record, verdict, node, statement, fix, self.top))


class _Dispatcher(cst.CSTVisitor):
    """One traversal for all code rules: each node goes to every rule's visit_/leave_."""

    def __init__(self, sink: _CodeSink, instances: Sequence[CodeRule]) -> None:
        super().__init__()
        self.sink = sink
        self.visits: dict[str, list[Callable[[cst.CSTNode], object]]] = {}
        self.leaves: dict[str, list[Callable[[cst.CSTNode], object]]] = {}
        for instance in instances:
            for attribute in dir(type(instance)):
                if attribute.startswith("visit_"):
                    table, node_type = self.visits, attribute[6:]
                elif attribute.startswith("leave_"):
                    table, node_type = self.leaves, attribute[6:]
                else:
                    continue
                table.setdefault(node_type, []).append(getattr(instance, attribute))

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, cst.SimpleStatementLine):
            self.sink.statements.append(node)
        for method in self.visits.get(type(node).__name__, ()):
            method(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        for method in self.leaves.get(type(original_node).__name__, ()):
            method(original_node)
        if isinstance(original_node, cst.SimpleStatementLine):
            self.sink.statements.pop()


def _statements_to_visit(
    module: cst.Module, raw: bytes, classes: Sequence[type[CodeRule]], positions: Positions
) -> Sequence[cst.BaseStatement]:
    """The top-level statements the traversal must visit.

    Every statement, unless every active code rule declares ``SCOPE = "trigger-statements"``:
    then only those whose lines contain one of the rules' trigger bytes. Python-level
    traversal is the costly part of linting a large module, and a set_cookie call can only be
    in a statement whose text says set_cookie.
    """
    if any(cls.SCOPE != "trigger-statements" for cls in classes):
        return module.body
    spans = positions.statement_spans()
    if spans is None:
        return module.body
    triggers = {t for cls in classes for t in cls.TRIGGERS}
    lines: set[int] = set()
    for trigger in triggers:
        at = raw.find(trigger)
        while at != -1:
            lines.add(raw.count(b"\n", 0, at) + 1)
            at = raw.find(trigger, at + len(trigger))
    chosen = []
    for statement in module.body:
        span = spans.get(id(statement))
        if span is None or any(span[0] <= line <= span[1] for line in lines):
            chosen.append(statement)
    return chosen


def _code_findings(
    module: cst.Module,
    path: str,
    classes: Sequence[type[CodeRule]],
    options: Options,
    collected: SettingsModule | None,
    statements: Sequence[cst.BaseStatement],
) -> list[_NodeVerdict]:
    sink = _CodeSink(module, path, options, collected)
    dispatcher = _Dispatcher(sink, [cls(sink) for cls in classes])
    # Walk the top-level statements one by one so each report knows its statement (cheap
    # positions); the Module node itself still gets its visit_/leave_ calls.
    dispatcher.on_visit(module)
    for statement in statements:
        sink.top = statement
        statement.visit(dispatcher)
    sink.top = None
    dispatcher.on_leave(module)
    return sink.pending


# --------------------------------------------------------------------------- locations


def _lines_of(pending: _NodeVerdict, positions: Positions) -> list[int]:
    numbers: list[int] = []
    for node in (pending.node, pending.statement):
        if node is None:
            continue
        where = positions.range(node, pending.top)
        if where is not None:
            numbers += [where.start.line, where.end.line]
    return numbers or [1]


def _suppressed(pending: _NodeVerdict, lines: Sequence[str], positions: Positions) -> bool:
    if not any("#" in line for line in lines):
        return False  # no comment anywhere: skip computing positions
    return is_suppressed(pending.rule.id, lines, _lines_of(pending, positions))


def _findings(
    pending: Sequence[_NodeVerdict], positions: Positions, lines: Sequence[str], path: str
) -> list[Finding]:
    if not pending:
        return []
    return sorted(
        place(
            p.rule,
            p.verdict,
            Location.of(path, None if p.node is None else positions.range(p.node, p.top), lines),
            p.rewrite,
        )
        for p in pending
    )
