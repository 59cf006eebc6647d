"""The rule reference (docs/rules.md): current, complete, and one entry per catalogue ID.

This is the issue's "every ID is unique, has a rule, has examples and has a docs entry" test:
uniqueness of IDs is tests/policy/test_catalogue.py's; the rest is here.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from hardsess import docs
from hardsess.lint.registry import load_rules
from hardsess.policy import CATALOGUE, Rule

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "rules.md"


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def test_committed_page_is_current(page: str) -> None:
    assert page == docs.render(), "docs/rules.md is stale: run `make docs` and commit it"


def test_module_entry_point_prints_the_page(page: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hardsess.docs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout == page


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda r: r.id)
def test_every_catalogue_id_has_a_rule_examples_and_a_docs_entry(rule: Rule, page: str) -> None:
    rules = load_rules()
    classes = {**rules.settings, **rules.code}
    assert rule.id in classes, f"{rule.id} has no lint rule class in lint_rules/"
    cls = classes[rule.id]
    assert cls.record is rule
    assert len(cls.VALID) >= 1, f"{rule.id} has no VALID example"
    assert len(cls.INVALID) >= 1, f"{rule.id} has no INVALID example"

    # The section is reachable from the finding's link, and says what the catalogue says.
    fragment = rule.url.rpartition("#")[2]
    assert fragment == rule.id.lower()
    start = page.index(f'<a id="{fragment}"></a>')
    end = page.find('<a id="', start + 1)
    section = page[start:] if end == -1 else page[start:end]
    assert f"## {rule.id}: {rule.name}" in section
    assert rule.help in section
    assert rule.severity.value in section
    for setting in rule.settings:
        assert f"`{setting}`" in section
    if rule.kind == "settings":
        assert f"`{rule.check_id}`" in section
    if rule.cwe is not None:
        assert f"CWE-{rule.cwe}" in section
    if rule.secure_value is not None:
        assert f"`{rule.secure_value}`" in section
    for example in (*cls.VALID, *cls.INVALID):
        assert example.code.rstrip("\n") in section
    for invalid in cls.INVALID:
        for fixed in (invalid.fixed, invalid.unsafe_fixed):
            if fixed is not None:
                assert fixed.rstrip("\n") in section


def test_anchors_are_unique_and_only_for_catalogue_ids(page: str) -> None:
    anchors = re.findall(r'<a id="([^"]+)"></a>', page)
    assert len(anchors) == len(set(anchors))
    assert sorted(anchors) == sorted(rule.id.lower() for rule in CATALOGUE)


def test_every_rule_class_belongs_to_the_catalogue() -> None:
    rules = load_rules()
    catalogue = {rule.id for rule in CATALOGUE}
    assert rules.ids <= catalogue
    assert docs.rule_classes().keys() == rules.ids


def test_render_marks_a_missing_rule_class() -> None:
    """A catalogue record without a rule class shows up in the page (and fails the test above)."""
    text = docs.render(CATALOGUE[:1], examples={})
    assert "No lint rule class implements this ID yet." in text
    assert f'<a id="{CATALOGUE[0].id.lower()}"></a>' in text
