"""The rule API (hardsess.lint.rule): call helpers of code rules, the default rewrite of settings
rules, and the names from before issue 13 that rule modules may still use."""

from __future__ import annotations

import libcst as cst

from hardsess.lint.api import fix_source
from hardsess.lint.registry import load_rules
from hardsess.lint.rule import CodeRule


def _call(source: str) -> cst.Call:
    node = cst.parse_expression(source)
    assert isinstance(node, cst.Call)
    return node


def test_call_helpers() -> None:
    call = _call("r.set_cookie('k', max_age=3, secure=True)")
    assert CodeRule.called_method(call) == "set_cookie"
    assert CodeRule.called_method(_call("set_cookie('k')")) is None
    found = CodeRule.keyword_node(call, "secure")
    assert found is not None
    assert found.keyword is not None
    assert found.keyword.value == "secure"
    assert CodeRule.keyword_node(call, "httponly") is None


def test_the_default_rewrite_of_a_settings_rule_is_the_generic_one() -> None:
    # HS101's rule class overrides nothing: its literal is rewritten to the secure value.
    assert "rewrite" not in vars(load_rules().settings["HS101"])
    assert fix_source("SESSION_COOKIE_SECURE = False\n") == "SESSION_COOKIE_SECURE = True\n"
