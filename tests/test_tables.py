"""The per-rule tables outside docs/rules.md are generated from the catalogue and current."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from hardsess import tables
from hardsess.policy import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]


def test_committed_regions_are_current() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "hardsess.tables", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"stale (run `make docs` and commit): {done.stdout}"


def test_check_reports_a_stale_region_and_writes_nothing(tmp_path: Path) -> None:
    for region in tables.REGIONS:
        target = tmp_path / region.path
        target.parent.mkdir(parents=True, exist_ok=True)
        text = (ROOT / region.path).read_text(encoding="utf-8")
        stale = region._replace(render=lambda: ["a row from an older catalogue"])
        target.write_text(tables.refreshed(text, stale))
    before = {r.path: (tmp_path / r.path).read_text() for r in tables.REGIONS}
    assert tables.main(["--check"], root=tmp_path) == 1
    assert {r.path: (tmp_path / r.path).read_text() for r in tables.REGIONS} == before
    assert tables.main([], root=tmp_path) == 0
    for region in tables.REGIONS:
        assert (tmp_path / region.path).read_text() == (ROOT / region.path).read_text()


def test_missing_markers_are_a_clear_error() -> None:
    with pytest.raises(ValueError, match="markers are missing"):
        tables.refreshed("no markers here\n", tables.REGIONS[0])


def test_every_rule_has_an_entry_point_and_every_live_settings_rule_a_check_row() -> None:
    points = "\n".join(tables.entry_points())
    rows = "\n".join(tables.checks_table())
    for rule in CATALOGUE:
        assert f'{rule.id} = "hardsess.bandit_plugin:{rule.id.lower()}"' in points
        listed = f"| `{rule.check_id}` |" in rows
        assert listed is (rule.kind == "settings" and not rule.source_only), rule.id


def test_every_rule_the_firewall_or_django_covers_has_a_one_finding_row() -> None:
    rows = "\n".join(tables.one_finding_table())
    for rule in CATALOGUE:
        listed = f"| `{rule.check_id}` |" in rows
        assert listed is bool(rule.firewall_flags or rule.django_checks), rule.id
        for django_id in rule.django_checks:
            assert f"`{django_id}`" in rows
