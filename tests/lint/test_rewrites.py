"""Rewrites (hardsess.lint.rewrites): the generic settings rewrite (safe for literals, unsafe for
environment defaults), rewrites of code rules, overlapping rewrites, and fixing twice changes
nothing. Writing files is tested in test_writer.py and test_runner.py, the --fix and --diff
flags in test_cli.py."""

from __future__ import annotations

import libcst as cst

from hardsess.lint.api import fix_source, lint_source
from hardsess.lint.finding import Rewrite
from hardsess.lint.rewrites import apply_rewrites

from .conftest import FIXABLE as SETTINGS


def test_safe_fix_keeps_comments_and_leaves_environment_defaults() -> None:
    fixed = fix_source(SETTINGS, "settings.py")
    assert "SESSION_COOKIE_SECURE = True  # keep this comment\n" in fixed
    assert 'os.environ.get("CSRF", "False") == "True"' in fixed
    assert 'SESSION_COOKIE_SAMESITE = (\n    "Lax"  # inner comment\n)\n' in fixed
    assert "SESSION_COOKIE_AGE = 90 * 86400\n" in fixed


def test_unsafe_fix_replaces_only_the_default() -> None:
    fixed = fix_source(SETTINGS, "settings.py", unsafe=True)
    assert 'CSRF_COOKIE_SECURE = os.environ.get("CSRF", "True") == "True"\n' in fixed
    assert [f.rule_id for f in lint_source(fixed, "settings.py")] == ["HS104"]


def test_fixing_is_idempotent() -> None:
    once = fix_source(SETTINGS, "settings.py", unsafe=True)
    assert fix_source(once, "settings.py", unsafe=True) == once
    cst.parse_module(once)


def test_overlapping_fixes_wait_for_the_next_pass() -> None:
    module = cst.parse_module("x = f(g(1))\n")
    statement = module.body[0]
    assert isinstance(statement, cst.SimpleStatementLine)
    assign = statement.body[0]
    assert isinstance(assign, cst.Assign)
    outer = assign.value
    assert isinstance(outer, cst.Call)
    inner = outer.args[0].value
    fixes = [
        Rewrite(outer, outer.with_changes(func=cst.Name("F"))),
        Rewrite(inner, cst.Integer("2")),
    ]
    fixed, applied = apply_rewrites(module, fixes)
    assert applied == 1
    assert fixed.code == "x = F(g(1))\n"


def test_code_rule_fixes_in_several_calls_of_one_file() -> None:
    source = (
        "def view(request, response):\n"
        '    response.set_cookie("a", "1")\n'
        '    response.set_signed_cookie("b", "2", secure=True)\n'
    )
    fixed = fix_source(source, "views.py")
    assert 'set_cookie("a", "1", secure=True, httponly=True, samesite="Lax")' in fixed
    assert 'set_signed_cookie("b", "2", secure=True, httponly=True, samesite="Lax")' in fixed
    assert lint_source(fixed, "views.py") == []
