"""Django's own session, auth, CSRF, messages, signing and request/response tests pass with
hardsess's firewall in every middleware chain, except the divergences listed (with reasons) in
expected_divergences.txt (the default test-client mode: none) and, with the test client treated
as a browser, expected_divergences_firewall.txt. A listed test that passes again is a failure
too: the lists stay true.
"""

from __future__ import annotations

import pytest

from tests.django_suite import harness

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("mode", sorted(harness.EXPECTATIONS))
def test_django_suites_with_firewall(mode: str) -> None:
    report = harness.run(mode=mode)
    print()
    print(report.summary())
    assert report.outcomes, f"no test recorded (exit {report.returncode}):\n{report.output}"
    # The harness must really have put the firewall in front of Django's test client.
    assert len(report.exercised) > 200, report.summary()
    assert not report.unexpected, report.summary()
    assert not report.stale, report.summary()
    # The reasons are checked against what the runner saw each test do, not just asserted.
    for test_id, reason in report.expected.items():
        if "own jar" in reason:
            assert test_id in report.jar_writes, f"{test_id} wrote nothing into the jar"
        if "Client.session takes" in reason:
            assert test_id in report.session_reads, f"{test_id} never read Client.session"


@pytest.mark.parametrize("mode", sorted(harness.EXPECTATIONS))
def test_expectations_file_is_well_formed(mode: str) -> None:
    expected = harness.load_expectations(harness.EXPECTATIONS[mode])
    for test_id in expected:
        assert test_id.split(".")[0] in harness.LABELS, test_id
