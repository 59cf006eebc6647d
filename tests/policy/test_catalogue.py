"""The catalogue as a whole: IDs unique and well formed, each in the family its decade names.

Each family's judges are tested in the module named after it (test_hs10x_session_cookie.py ...).
"""

from __future__ import annotations

import dataclasses
import re

import pytest

from hardsess import policy
from hardsess.policy import CATALOGUE, FAMILIES, Severity, by_id


def test_ids_are_unique_and_well_formed() -> None:
    ids = [rule.id for rule in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"HS[1-9]\d\d", i) for i in ids)
    names = [rule.name for rule in CATALOGUE]
    assert len(names) == len(set(names))


def test_check_ids_follow_severity() -> None:
    assert by_id("HS101").check_id == "hardsess.E101"
    assert by_id("HS103").check_id == "hardsess.W103"


def test_every_rule_has_help_summary_and_judge_or_lint_logic() -> None:
    for rule in CATALOGUE:
        assert rule.summary.endswith(".")
        assert len(rule.help) > 40
        assert rule.judge is not None or rule.opt_in, rule.id


@pytest.mark.parametrize("family", FAMILIES, ids=lambda f: f.__name__.rpartition(".")[2])
def test_the_id_predicts_the_family_module(family: object) -> None:
    decade = family.__name__.rpartition(".")[2][:4].upper()  # "hs10x_session_cookie" -> "HS10"
    rules = family.RULES  # type: ignore[attr-defined]
    assert rules, family
    assert all(rule.id.startswith(decade) for rule in rules), [r.id for r in rules]


def test_the_catalogue_is_the_families_in_id_order() -> None:
    ids = [rule.id for rule in CATALOGUE]
    assert ids == sorted(ids)
    assert len(ids) == sum(len(f.RULES) for f in FAMILIES)


def test_records_are_written_with_keywords() -> None:
    with pytest.raises(TypeError):
        policy.Rule("HS999", "x", Severity.LOW, "settings", (), "s.", "h", None)  # type: ignore[misc]
    assert all(f.kw_only for f in dataclasses.fields(policy.Rule))


def test_the_package_imports_only_the_standard_library() -> None:
    import subprocess
    import sys

    code = (
        "import sys; import hardsess.policy; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('django', 'libcst')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
