"""REPORT_ONLY: every end, refusal and cycle is logged as "would", and none is applied."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.test import Client

from hardsess import sessions
from hardsess.models import SessionRecord
from tests.sessions.conftest import (
    COOKIE_ENGINES,
    FakeClock,
    _configure_engine,
    get,
    lifecycle,
    login,
    session_key,
    signed_in,
    stored,
)

pytestmark = pytest.mark.django_db

IDLE = 600


def _records(caplog: pytest.LogCaptureFixture, event: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if getattr(r, "hardsess_event", None) == event]


def _assert_no_secret_logged(caplog: pytest.LogCaptureFixture, *secrets: str | None) -> None:
    text = "\n".join(r.getMessage() for r in caplog.records)
    for secret in secrets:
        assert secret is not None
        assert secret not in text


@pytest.mark.parametrize("redirect", [None, "/expired/"])
def test_expired_session_is_reported_not_ended(
    engine: str,
    clock: FakeClock,
    settings: Any,
    alice: Any,
    caplog: pytest.LogCaptureFixture,
    redirect: str | None,
) -> None:
    lifecycle(
        settings,
        report_only=True,
        idle_timeout=IDLE,
        absolute_timeout=3600,
        expired_redirect_url=redirect,
    )
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    key = session_key(client)
    clock.advance(IDLE)
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client.get("/read/", headers={"accept": "text/html"})
    assert response.status_code == 200
    assert response.json() == {"user": "alice", "note": "kept"}
    records = _records(caplog, "end")
    assert len(records) == 1
    assert "[report-only] would end session (idle)" in records[0].getMessage()
    assert records[0].name.startswith("hardsess")
    assert stored(key)["note"] == "kept"
    _assert_no_secret_logged(caplog, key)
    if engine not in COOKIE_ENGINES:
        assert session_key(client) == key


def test_revoked_cookie_is_reported_not_refused(
    clock: FakeClock, settings: Any, alice: Any, tmp_path: Any, caplog: pytest.LogCaptureFixture
) -> None:
    _configure_engine("signed_cookies", settings, tmp_path)
    client = signed_in(settings, report_only=True, revocation="db")
    captured = session_key(client)
    assert captured is not None
    clock.advance(5)
    client.post("/logout/")
    attacker = Client()
    attacker.cookies[django_settings.SESSION_COOKIE_NAME] = captured
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        assert get(attacker)["user"] == "alice"
    [record] = _records(caplog, "refuse")
    assert "would refuse session (revoked)" in record.getMessage()
    _assert_no_secret_logged(caplog, captured)


def test_due_cycle_is_reported_not_applied(
    engine: str, clock: FakeClock, settings: Any, alice: Any, caplog: pytest.LogCaptureFixture
) -> None:
    client = signed_in(
        settings, report_only=True, cycle_key_every=300, cycle_on_privilege_change=True
    )
    key = session_key(client)
    clock.advance(300)
    alice.is_staff = True
    alice.save()
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        assert get(client)["user"] == "alice"
        assert client.post("/sudo/").json()["user"] == "alice"
    assert len(_records(caplog, "cycle")) == 2
    if engine not in COOKIE_ENGINES:
        assert session_key(client) == key
        assert stored(key)[SESSION_KEY] == str(alice.pk)
    _assert_no_secret_logged(caplog, key)


def test_logout_everywhere_counts_but_deletes_nothing(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, report_only=True, revocation="db")
    clock.advance(5)
    result = sessions.logout_everywhere(alice)
    assert result.marked
    assert result.sessions_ended == 1  # found through the index, cache engine included
    assert get(client)["user"] == "alice"
    assert SessionRecord.objects.count() == 1  # the index is kept too
