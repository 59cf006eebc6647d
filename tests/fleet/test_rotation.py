"""Issue 6: a fleet of three gunicorn servers rotates its keys under load, store by store.

Two hundred logged-in users keep making requests through a round-robin client while the
servers are restarted one at a time through stages 0 to 4 of the rotation (RUNTIME.md). Nobody
active may be logged out, nothing may answer 5xx, and once K1 is retired a cookie it signed
must be refused. Skipping stage 1 must log users out: the runbook is not ceremony.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.fleet.loadgen import Report, run_fleet
from tests.fleet.stores import STORES, store_env

USERS = 200
#: Seconds between two requests of one user: continuous use, without saturating two cores.
THINK = (0.5, 1.0)
#: Stores whose fleet has one ASGI server (uvicorn's worker) beside two WSGI ones: the
#: firewall's async path signs and verifies like the sync one. One store only: an ASGI server
#: costs about half as much CPU again per request, and the firewall never touches the store.
ASGI = {"signed_cookies"}


def show(report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + report.table(), flush=True)


def assert_clean_rotation(report: Report) -> None:
    """What a rotation through stages 0 to 4 under load must show, whatever the store."""
    assert report.restarts == 9
    assert min(report.served) > 0
    assert report.total("fivexx") == 0, report.events
    assert report.total("errors") == 0, report.events
    assert report.server_tracebacks == 0
    assert report.total("logouts") == 0, report.events
    # No session write lost or undone (each user's write counter only ever went up by one).
    assert report.total("stale") == 0, report.events
    # Every user was active in every stage, across the restarts.
    assert set(report.min_requests) == {"0", "1", "2", "3", "4"}
    assert min(report.min_requests.values()) >= 2
    # Stage 2 re-issued old cookies (logged), and by the end of the soak K1 was no longer seen:
    # the runbook's signal to retire it.
    assert report.old_key_uses > 0
    assert report.old_key_uses_late_soak == 0
    # Every Set-Cookie left with Secure, HttpOnly and SameSite.
    assert report.total("set_cookies") > 0
    assert report.total("unflagged") == 0
    # After stage 4 no cookie signed by K1 is accepted anywhere; the current ones are.
    assert report.old_replayed == 3 * USERS
    assert report.old_accepted == 0
    assert report.current_accepted == report.current_replayed == 90
    # The servers said so too: nothing rejected while the runbook was followed, every replayed
    # old cookie rejected (and logged) afterwards.
    assert report.rejected_in_rotation.total() == 0
    assert report.rejected_in_replay == {"retired_key": report.old_replayed}


@pytest.mark.slow
@pytest.mark.parametrize("store", STORES)
def test_rolling_rotation_keeps_everyone_logged_in(
    store: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store_env(store, tmp_path) as env:
        report = asyncio.run(
            run_fleet(
                store, env, tmp_path / "logs", users=USERS, think=THINK, with_asgi=store in ASGI
            )
        )
    show(report, capsys)
    assert_clean_rotation(report)


@pytest.mark.slow
def test_skipping_stage_one_logs_users_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Negative control: promote K2 on one server while the others have never heard of it."""
    with store_env("db-sqlite", tmp_path) as env:
        report = asyncio.run(
            run_fleet("db-sqlite", env, tmp_path / "logs", plan=(2,), users=USERS, think=THINK)
        )
    show(report, capsys)

    assert report.total("fivexx") == 0, report.events
    assert report.total("errors") == 0, report.events
    assert report.stats["0"].logouts == 0
    assert report.stats["2"].logouts > 0
    # The K1-only servers refused what the K2 server signed, and said so.
    assert report.rejected_in_rotation["unknown_key"] > 0
