"""The rule registry: one class per catalogue ID, of the right kind, with examples."""

from __future__ import annotations

import sys
import types

import pytest

from hardsess.lint import registry
from hardsess.lint.registry import load_rules
from hardsess.lint.rule import CodeRule, SettingsRule
from hardsess.policy import CATALOGUE, by_id


def test_every_catalogue_rule_has_a_lint_rule_with_examples() -> None:
    rules = load_rules()
    assert rules.ids == {rule.id for rule in CATALOGUE}
    for rule_id, cls in {**rules.settings, **rules.code}.items():
        assert cls.VALID, rule_id
        assert cls.INVALID, rule_id


def test_kinds_match_the_catalogue() -> None:
    rules = load_rules()
    assert set(rules.settings) == {r.id for r in CATALOGUE if r.kind == "settings"}
    assert set(rules.code) == {r.id for r in CATALOGUE if r.kind == "code"}


def _fake_package(name: str, modules: dict[str, str]) -> None:
    package = types.ModuleType(name)
    package.__path__ = []
    sys.modules[name] = package
    for module_name, code in modules.items():
        module = types.ModuleType(f"{name}.{module_name}")
        exec(code, module.__dict__)
        sys.modules[f"{name}.{module_name}"] = module


def test_duplicate_ids_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    code = (
        "from hardsess.lint.rule import SettingsRule\n"
        "from hardsess.policy import by_id\n"
        "class A(SettingsRule):\n    record = by_id('HS101')\n"
        "class B(SettingsRule):\n    record = by_id('HS101')\n"
    )
    _fake_package("fake_rules_dup", {"m": code})
    sys.modules["fake_rules_dup.m"].A.__module__ = "fake_rules_dup.m"  # type: ignore[attr-defined]
    sys.modules["fake_rules_dup.m"].B.__module__ = "fake_rules_dup.m"  # type: ignore[attr-defined]
    monkeypatch.setattr(registry, "_module_names", lambda paths: ["m"])
    with pytest.raises(ValueError, match="HS101 is claimed by"):
        load_rules.__wrapped__("fake_rules_dup")


def test_a_rule_of_the_wrong_kind_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    code = (
        "from hardsess.lint.rule import CodeRule\n"
        "from hardsess.policy import by_id\n"
        "class A(CodeRule):\n    record = by_id('HS101')\n"
    )
    _fake_package("fake_rules_kind", {"m": code})
    sys.modules["fake_rules_kind.m"].A.__module__ = "fake_rules_kind.m"  # type: ignore[attr-defined]
    monkeypatch.setattr(registry, "_module_names", lambda paths: ["m"])
    with pytest.raises(ValueError, match="settings rule"):
        load_rules.__wrapped__("fake_rules_kind")


def test_base_classes_are_not_rules() -> None:
    assert not hasattr(SettingsRule, "record")
    assert not hasattr(CodeRule, "record")
    assert by_id("HS101").kind == "settings"
