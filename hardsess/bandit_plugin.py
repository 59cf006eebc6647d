"""bandit tests ``HS101`` ... ``HS203``: hardsess findings inside a bandit run.

Installed with the package through bandit's ``bandit.plugins`` entry point group (one entry
per rule, named by its ID, in pyproject.toml; :func:`plugin_entry_points` lists them), so
``bandit -r .`` reports hardsess findings with their IDs, severities and CWE numbers,
``bandit -t HS101`` selects one, and ``# nosec HS101`` silences one on its line. The tests
are made from :data:`hardsess.policy.CATALOGUE`, one module attribute per rule.

No second implementation: the findings are those of ``hardsess lint`` on the same file, from
:func:`hardsess.lint.api.lint_source` with the project's ``[tool.hardsess]`` configuration
(found from the file, as the CLI finds it), so selection, per-file ignores and
``# hardsess: ignore[...]`` comments apply too. The engine runs once per file, when the first
hardsess test sees a node of it; every test then takes the findings of its own rule.

How several findings fit bandit's "one issue per test call": bandit calls a test for every AST
node of the types it registered (statements; for code rules also calls and keyword arguments;
plus ``File`` once at the end), in source order. Each call returns the next pending finding of
the test's rule whose line the walk has reached, with that finding's own line and column, so
every finding comes out at its line, however many share a rule, a statement or a line (a line
with k findings of one rule has at least k such nodes at or after it: a settings finding
points at its own statement, a code finding at a call or a keyword). Findings still pending
after the last node come out on the ``File`` call, the first with the others counted in its
text.

Cost: the engine's byte pre-filter runs first, so a file that cannot matter imports neither
the engine nor libcst; bandit's per-node work is kept down by registering no finer nodes.
"""

from __future__ import annotations

import ast
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from bandit.core import issue as bandit_issue
from bandit.core import test_properties

from hardsess import policy

__all__ = [
    "CODE_TYPES",
    "NODE_TYPES",
    "STATEMENT_TYPES",
    "attribute_for",
    "findings_for",
    "make_test",
    "plugin_entry_points",
]

#: AST node types the tests are called on. Settings rules point at statements; code rules
#: at calls and keyword arguments. Nothing finer (names, literals): bandit does work per test
#: per node, and those are most of a file's nodes.
STATEMENT_TYPES: tuple[str, ...] = tuple(
    name
    for name in (
        "Assign", "AugAssign", "AnnAssign", "Expr", "If", "For", "While", "With", "Try",
        "Return", "Delete", "Raise", "Assert", "Pass", "Global", "Nonlocal", "Break",
        "Continue", "AsyncFor", "AsyncWith", "FunctionDef", "AsyncFunctionDef", "Import",
        "ImportFrom",
    )
    if isinstance(getattr(ast, name, None), type)
)  # fmt: skip
CODE_TYPES: tuple[str, ...] = (*STATEMENT_TYPES, "Call", "keyword")
#: Kept for callers: the node types of a code rule's test (the widest set).
NODE_TYPES = CODE_TYPES

_SEVERITY = {"high": "HIGH", "medium": "MEDIUM", "low": "LOW"}


@dataclass
class _FileFindings:
    """The findings of one file, per rule, in line order, not yet handed to bandit."""

    key: tuple[str, int]
    pending: dict[str, deque[Any]] = field(default_factory=dict)


_current: _FileFindings | None = None


@cache
def _config_for(directory: str) -> Any:
    """The ``[tool.hardsess]`` configuration that applies to files in ``directory`` (the
    defaults when it is malformed: bandit has no way to report it; ``hardsess lint`` does)."""
    from hardsess.lint.config import config_near

    return config_near(directory)


def _source(file_data: Any) -> bytes | None:
    """The bytes bandit parsed, read without disturbing its file position."""
    if file_data is None:
        return None
    getvalue = getattr(file_data, "getvalue", None)
    if callable(getvalue):
        value = getvalue()
        return value if isinstance(value, bytes) else None
    try:
        position = file_data.tell()
        file_data.seek(0)
        data = file_data.read()
        file_data.seek(position)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, bytes) else None


def findings_for(filename: str, file_data: Any) -> _FileFindings:
    """The engine's findings for the file bandit is scanning (computed once per file)."""
    global _current
    key = (filename, id(file_data))
    if _current is not None and _current.key == key:
        return _current
    state = _FileFindings(key)
    _current = state
    data = _source(file_data)
    if data is None:
        return state
    from hardsess.lint.prefilter import may_matter
    from hardsess.lint.project import is_settings_module

    directory = str(Path(filename).resolve().parent) if filename != "<stdin>" else "."
    config = _config_for(directory)
    # The engine's own byte pre-filter, first: most files bandit scans cannot matter, and
    # then neither the engine nor libcst is even imported.
    if not may_matter(data, settings=is_settings_module(filename, data, config.settings)):
        return state
    from hardsess.lint.api import SourceError, lint_source

    try:
        found = lint_source(data, filename, config=config)
    except SourceError:
        return state  # bandit reports syntax errors itself
    for finding in sorted(found, key=lambda f: (f.line, f.column)):
        state.pending.setdefault(finding.rule_id, deque()).append(finding)
    return state


def _issue(rule: policy.Rule, finding: Any, extra: int = 0) -> Any:
    text = finding.message
    if extra:
        text += f" (and {extra} more {rule.id} finding(s) in this file)"
    return bandit_issue.Issue(
        severity=_SEVERITY.get(finding.severity, "MEDIUM"),
        cwe=rule.cwe or bandit_issue.Cwe.NOTSET,
        confidence="HIGH",
        text=text,
        ident=rule.name,
        lineno=finding.line,
        test_id=rule.id,
        col_offset=finding.column - 1,
    )


def make_test(rule_id: str) -> Callable[[Any], Any]:
    """The bandit test for one catalogue rule (``@test_id(rule_id)``, called on statements,
    and for a code rule also on calls and keyword arguments)."""
    rule = policy.by_id(rule_id)

    def test(context: Any) -> Any:
        state = findings_for(context.filename, context.file_data)
        queue = state.pending.get(rule_id)
        if not queue:
            return None
        lineno = context._context.get("lineno", 0)
        if lineno == 0:  # the File call, after the last node: whatever is left
            finding = queue.popleft()
            extra = len(queue)
            queue.clear()
            return _issue(rule, finding, extra)
        if queue[0].line <= lineno:
            return _issue(rule, queue.popleft())
        return None

    test.__name__ = test.__qualname__ = f"hardsess_{rule.name.replace('-', '_')}"
    test.__doc__ = f"{rule.id} {rule.name}: {rule.summary}"
    types = CODE_TYPES if rule.kind == "code" else STATEMENT_TYPES
    registered: Callable[[Any], Any] = test_properties.checks(*types, "File")(test)
    identified: Callable[[Any], Any] = test_properties.test_id(rule_id)(registered)
    return identified


def attribute_for(rule_id: str) -> str:
    """The module attribute holding ``rule_id``'s test (``"HS101"`` -> ``"hs101"``): the
    target of its ``bandit.plugins`` entry point."""
    return rule_id.lower()


def plugin_entry_points() -> dict[str, str]:
    """The ``bandit.plugins`` entry points this module provides, ID -> ``module:attribute``
    (what pyproject.toml must declare, one per catalogue rule)."""
    return {rule.id: f"{__name__}:{attribute_for(rule.id)}" for rule in policy.CATALOGUE}


# One module attribute per catalogue rule (hs101 ... hs203), made from the catalogue so a new
# rule needs no line here: bandit loads them by name through the entry points.
for _rule in policy.CATALOGUE:
    globals()[attribute_for(_rule.id)] = make_test(_rule.id)
del _rule
