"""The one path for a finding (hardsess.lint.finding): a verdict, where it points and what fixes
it become one Finding, the same whichever mode judged it."""

from __future__ import annotations

import pickle

import libcst as cst
from libcst.metadata import CodeRange

from hardsess.lint.finding import Finding, Location, Rewrite, place
from hardsess.policy import Severity, Verdict, by_id


def test_place_fills_every_field_from_the_rule_verdict_location_and_rewrite() -> None:
    rule = by_id("HS101")
    verdict = Verdict("SESSION_COOKIE_SECURE", "it is False")
    node = cst.Name("False")
    rewrite = Rewrite(node, cst.Name("True"), safe=True, description="set True")
    at = Location("proj/settings.py", 3, 1, 3, 30, "SESSION_COOKIE_SECURE = False")
    finding = place(rule, verdict, at, rewrite)
    assert finding == Finding(
        path="proj/settings.py",
        line=3,
        column=1,
        rule_id="HS101",
        message="it is False",
        end_line=3,
        end_column=30,
        name=rule.name,
        severity=rule.severity.value,
        setting="SESSION_COOKIE_SECURE",
        fix="safe",
        fix_description="set True",
        source_line="SESSION_COOKIE_SECURE = False",
    )
    assert pickle.loads(pickle.dumps(finding)) == finding


def test_place_without_a_rewrite_end_or_setting() -> None:
    rule = by_id("HS201")
    finding = place(rule, Verdict("", "a message", Severity.LOW), Location("views.py", 4, 5))
    assert (finding.end_line, finding.end_column) == (4, 5)
    assert finding.setting is None
    assert (finding.fix, finding.fix_description) == (None, "")
    assert finding.severity == "low"  # the verdict's own severity wins


def test_location_of_a_libcst_range() -> None:
    lines = ["x = 1", "y = 2"]
    where = CodeRange((2, 0), (2, 5))
    assert Location.of("a.py", where, lines) == Location("a.py", 2, 1, 2, 6, "y = 2")
    assert Location.of("a.py", None, lines) == Location("a.py", 1, 1, 1, 1, "x = 1")
    assert Location.of("a.py", None, []) == Location("a.py", 1, 1, 1, 1, "")


def test_which_runs_apply_a_rewrite() -> None:
    node = cst.Name("x")
    safe, unsafe = Rewrite(node, node), Rewrite(node, node, safe=False)
    assert (safe.applicability, unsafe.applicability) == ("safe", "unsafe")
    assert [safe.applies(m) for m in ("none", "safe", "unsafe")] == [False, True, True]
    assert [unsafe.applies(m) for m in ("none", "safe", "unsafe")] == [False, False, True]
