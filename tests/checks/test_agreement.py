"""One judgement everywhere: the linter and the system checks agree on the rules' own examples.

Every settings example of every rule class in ``lint_rules`` (``VALID`` and ``INVALID``) is
judged twice:

* by the linter in deploy mode (the example written to a module on disk; deploy mode fills in
  Django's defaults for what the example does not set, as live settings have them);
* by the system checks on live settings made of Django's global defaults plus the names the
  example defines when it is executed, in a fresh namespace, with an empty environment.

Both must name the same catalogue rules. Examples that cannot be executed here (they import
something unavailable, read a required environment variable, call an undefined function) are
skipped and counted; a minimum number must be compared. A rule whose judgement differs between
source and live values for a reason is listed in ``DIFFERENCES`` with that reason.

And the linter's two modes agree with each other: every finding file mode makes on an example
(``lint_source``) deploy mode makes too, at the same place, with the same message and the same
fix (applicability and description): one path for a finding, whichever mode judged the file.
Deploy mode may report more (Django's defaults for what the example does not set).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import UserSettingsHolder, global_settings, settings

from hardsess import checks
from hardsess.django_overlap import django_reports
from hardsess.enforced import enforcement
from hardsess.lint.api import lint_source
from hardsess.lint.config import Config
from hardsess.lint.deploy import run
from hardsess.lint.finding import Finding
from hardsess.lint.registry import load_rules
from hardsess.lint.suppression import suppressed_ids
from hardsess.policy import CATALOGUE, django_defaults, judge

#: Rules on which source and live judgement may legitimately differ, and why.
DIFFERENCES: dict[str, str] = {
    "HS131": "a live SECRET_KEY cannot show that it was written as a literal in source",
    "HS133": "live values cannot show that a fallback is a literal or the same expression as "
    "SECRET_KEY; only an equal value (an unset SECRET_KEY and an empty env fallback are both '')",
}

#: At least this many examples must really be compared (the catalogue has about 190).
MINIMUM_COMPARED = 100


def examples() -> Iterator[tuple[str, int, str, str]]:
    rules = load_rules()
    for rule_id, cls in sorted(rules.settings.items()):
        for index, example in enumerate((*cls.VALID, *cls.INVALID)):
            yield rule_id, index, example.code, example.path


@contextlib.contextmanager
def empty_environment() -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    try:
        yield
    finally:
        os.environ.update(saved)


def execute(code: str, path: str) -> dict[str, Any] | None:
    """The settings the example defines when run, or None when it cannot run here."""
    namespace: dict[str, Any] = {"__name__": "example_settings", "__file__": path}
    with empty_environment():
        try:
            exec(compile(code, path, "exec"), namespace)
        except Exception:
            return None
    return {k: v for k, v in namespace.items() if k.isupper()}


@contextlib.contextmanager
def live_settings(values: dict[str, Any]) -> Iterator[None]:
    """Django's settings replaced by global defaults plus ``values`` (what a fresh project
    with this settings module would load)."""
    holder = UserSettingsHolder(global_settings)
    for name, value in values.items():
        setattr(holder, name, value)
    wrapped = settings._wrapped
    settings._wrapped = holder
    try:
        yield
    finally:
        settings._wrapped = wrapped


def check_rule_ids(values: dict[str, Any]) -> set[str]:
    """The rules the system checks judge broken under ``--deploy``: those they report, those
    whose verdict they leave to Django's own check because it reports the same, and those
    whose verdict the firewall makes moot at runtime (docs/checks.md)."""
    with live_settings(values):
        messages = [*checks.check_settings(None), *checks.check_deploy_settings(None)]
        found = {
            f"HS{m.id[-3:]}"
            for m in messages
            if m.id
            and m.id.startswith("hardsess.")
            and int(m.id[-3:]) < 160
            and not m.is_silenced()
        }
        live, options = checks.live_values(), checks.live_options()
        firewall = enforcement(checks._middleware_entries(), options.classify_middleware)
        for rule in CATALOGUE:
            verdicts = list(judge(rule, live, options))
            if rule.django_checks and verdicts and django_reports(rule):
                found.add(rule.id)
            if firewall is not None and any(firewall.covers(rule, v) for v in verdicts):
                found.add(rule.id)  # moot at runtime: the linter has no runtime view
        return found


def deploy_findings(code: str, where: Path) -> list[Finding]:
    module = where / "example_settings.py"
    module.write_text(code)
    result = run(["example_settings"], config=Config(), paths=[str(where)])
    assert result.errors == [], result.errors
    return result.findings


def lint_rule_ids(code: str, where: Path) -> set[str]:
    return {f.rule_id for f in deploy_findings(code, where) if f.rule_id.startswith("HS1")}


def judged(findings: list[Finding]) -> set[tuple[str, int, int, str, str | None, str]]:
    """What both modes must agree on: rule, place, message and fix (not the path)."""
    return {(f.rule_id, f.line, f.column, f.message, f.fix, f.fix_description) for f in findings}


def test_linter_and_system_checks_agree(tmp_path: Path) -> None:
    compared = 0
    skipped: list[str] = []
    disagreements: list[str] = []
    for rule_id, index, code, path in examples():
        values = execute(code, path)
        if values is None:
            skipped.append(f"{rule_id}[{index}]")
            continue
        where = tmp_path / f"{rule_id}_{index}"
        where.mkdir()
        linted = lint_rule_ids(code, where)
        # A suppression comment is the linter's SILENCED_SYSTEM_CHECKS: silence the same IDs.
        silenced = {i for line in code.splitlines() for i in suppressed_ids(line)}
        if "*" in silenced:  # a blanket noqa comment: no check-side equivalent short of all
            skipped.append(f"{rule_id}[{index}] (blanket suppression)")
            continue
        checked = check_rule_ids(values) - silenced
        differing = (linted ^ checked) - set(DIFFERENCES)
        compared += 1
        if differing:
            disagreements.append(
                f"{rule_id}[{index}] linter {sorted(linted)} checks {sorted(checked)}:\n{code}"
            )
    print(f"\nagreement: {compared} examples compared, {len(skipped)} skipped: {skipped}")
    assert disagreements == []
    assert compared >= MINIMUM_COMPARED


def test_a_disagreement_would_be_seen(tmp_path: Path) -> None:
    """The comparison is not vacuous: an insecure example yields the same rule on both sides,
    and different settings give different sets."""
    code = "SESSION_COOKIE_HTTPONLY = False\nSESSION_COOKIE_SAMESITE = None\n"
    values = execute(code, "settings.py")
    assert values is not None
    linted = lint_rule_ids(code, tmp_path)
    # Left at Django's default, the legacy salt is insecure only where that default is True
    # (Django 5.2 and 6.0; 6.1 turned it off).
    salt = {"HS134"} if django_defaults().get("SIGNED_COOKIE_LEGACY_SALT_FALLBACK") else set()
    assert {"HS102", "HS103", "HS101", "HS111"} | salt <= linted
    assert check_rule_ids(values) - set(DIFFERENCES) == linted - set(DIFFERENCES)
    assert check_rule_ids({}) - set(DIFFERENCES) == ({"HS101", "HS111"} | salt) - set(DIFFERENCES)


def test_file_mode_and_deploy_mode_agree_fixes_included(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    compared = 0
    disagreements: list[str] = []
    fixes = 0
    for rule_id, index, code, _ in examples():
        where = tmp_path / f"{rule_id}_{index}"
        where.mkdir()
        in_file = judged(lint_source(code, "example_settings.py"))
        deployed = judged(deploy_findings(code, where))
        compared += 1
        fixes += sum(1 for item in in_file if item[4] is not None)
        if not in_file <= deployed:
            disagreements.append(f"{rule_id}[{index}] file mode only: {in_file - deployed}")
    assert disagreements == []
    assert compared >= MINIMUM_COMPARED
    assert fixes >= 50  # the fixes really were compared, not only fix-less findings


@pytest.mark.parametrize("rule_id", sorted(DIFFERENCES))
def test_documented_differences_are_catalogue_rules(rule_id: str) -> None:
    assert rule_id in load_rules().settings
