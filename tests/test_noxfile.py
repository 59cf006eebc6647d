"""The noxfile's pre-release session decides from pip's answer (noxfile.newest_prerelease)."""

from __future__ import annotations

import pytest

noxfile = pytest.importorskip("noxfile", reason="nox is in the test extra")


def test_a_prerelease_newer_than_every_final_release_is_picked() -> None:
    answer = "django (6.1.3)\nAvailable versions: 6.2a1, 6.1.3, 6.1.2, 6.1rc1, 6.1\n"
    assert noxfile.newest_prerelease(answer) == ("6.2a1", "6.2a1")


def test_an_older_prerelease_is_no_reason_to_run() -> None:
    answer = "django (6.1.3)\nAvailable versions: 6.1.3, 6.1.2, 6.1.1, 6.1, 6.1rc1, 6.1b1\n"
    assert noxfile.newest_prerelease(answer) == (None, "6.1.3")


def test_calendar_prereleases_sort_after_6x() -> None:
    answer = "Available versions: 6.2.1, 6.2, 2027.1b1, 6.2rc1\n"
    assert noxfile.newest_prerelease(answer) == ("2027.1b1", "2027.1b1")


def test_an_answer_without_versions_is_an_error() -> None:
    with pytest.raises(ValueError):
        noxfile.newest_prerelease("ERROR: No matching distribution found for django\n")
