"""Every VALID / INVALID example of every lint rule, as its own test (the Fixit way).

Each example is linted with only its rule selected, through the engine's public API
(``hardsess.lint.api``), so these tests exercise discovery of settings paths, the pre-filter,
the evaluator, the judges, suppression comments and the fixer together:

* VALID: no finding of the rule, and nothing for ``--fix --unsafe-fixes`` to change;
* INVALID: exactly ``count`` findings of the rule, each pointing inside the source;
* ``--fix`` gives ``fixed`` (unchanged when None), ``--unsafe-fixes`` gives ``unsafe_fixed``
  (the safe result when None); every fixed source parses and compiles, and fixing it again
  changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

import libcst as cst
import pytest

from hardsess.lint.api import fix_source, lint_source
from hardsess.lint.finding import Finding
from hardsess.lint.registry import load_rules
from hardsess.lint.rule import CodeRule, Invalid, SettingsRule, Valid


def _all_rules() -> dict[str, type[SettingsRule] | type[CodeRule]]:
    rules = load_rules()
    return {**rules.settings, **rules.code}


def _params(kind: str) -> Iterator[object]:
    for rule_id, cls in sorted(_all_rules().items()):
        examples: tuple[Valid | Invalid, ...] = tuple(cls.VALID if kind == "valid" else cls.INVALID)
        for number, example in enumerate(examples, 1):
            yield pytest.param(rule_id, example, id=f"{rule_id}-{kind}-{number}")


def _findings(rule_id: str, code: str, path: str) -> list[Finding]:
    return [f for f in lint_source(code, path, select=[rule_id]) if f.rule_id == rule_id]


def _assert_is_python(source: str, path: str) -> None:
    cst.parse_module(source)
    compile(source, path, "exec")


@pytest.mark.parametrize(("rule_id", "example"), list(_params("valid")))
def test_valid(rule_id: str, example: Valid) -> None:
    _assert_is_python(example.code, example.path)
    assert _findings(rule_id, example.code, example.path) == []
    unsafe = fix_source(example.code, example.path, unsafe=True, select=[rule_id])
    assert unsafe == example.code


@pytest.mark.parametrize(("rule_id", "example"), list(_params("invalid")))
def test_invalid_findings(rule_id: str, example: Invalid) -> None:
    _assert_is_python(example.code, example.path)
    findings = _findings(rule_id, example.code, example.path)
    assert len(findings) == example.count, [f.message for f in findings]
    lines = example.code.splitlines()
    for finding in findings:
        assert finding.path == example.path
        assert 1 <= finding.line <= finding.end_line <= len(lines)
        assert finding.message
        assert finding.source_line == lines[finding.line - 1]
        expected_fix = (
            "safe"
            if example.fixed is not None
            else "unsafe"
            if example.unsafe_fixed is not None
            else None
        )
        if example.count == 1:
            assert finding.fix == expected_fix


@pytest.mark.parametrize(("rule_id", "example"), list(_params("invalid")))
def test_invalid_fixes(rule_id: str, example: Invalid) -> None:
    safe = fix_source(example.code, example.path, select=[rule_id])
    assert safe == (example.code if example.fixed is None else example.fixed)
    unsafe = fix_source(example.code, example.path, unsafe=True, select=[rule_id])
    assert unsafe == (safe if example.unsafe_fixed is None else example.unsafe_fixed)

    for result, is_unsafe in ((safe, False), (unsafe, True)):
        _assert_is_python(result, example.path)
        again = fix_source(result, example.path, unsafe=is_unsafe, select=[rule_id])
        assert again == result, "fixing twice changed the source the second time"
    if example.fixed is not None and example.count == 1:
        assert _findings(rule_id, safe, example.path) == []
    if example.unsafe_fixed is not None and example.count == 1:
        assert _findings(rule_id, unsafe, example.path) == []
