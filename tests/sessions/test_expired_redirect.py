"""Issue 10, item 11: an EXPIRED_REDIRECT_URL that does not resolve never fails a request.

Before, every expired HTML GET raised NoReverseMatch (a 500). Now the session is ended all the
same, the request goes on unredirected, and the bad value is logged once per process (system
check hardsess.E172 reports it at start-up, tests/checks/test_lifecycle_checks.py).
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from hardsess.lifecycle import middleware
from tests.sessions.conftest import FakeClock, get, signed_in

pytestmark = pytest.mark.django_db

IDLE = 600
HTML = {"accept": "text/html,application/xhtml+xml"}


@pytest.mark.parametrize("url", ["no-such-url-name", "admin:no_such_view", "session-expired-x"])
def test_an_unresolvable_redirect_is_logged_once_and_not_followed(
    engine: str,
    clock: FakeClock,
    settings: Any,
    alice: Any,
    url: str,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(middleware, "_UNRESOLVABLE", set())
    caplog.set_level(logging.WARNING, logger="hardsess.sessions")
    for _ in range(2):
        client = signed_in(settings, idle_timeout=IDLE, expired_redirect_url=url)
        client.post("/write/?note=secret")
        clock.advance(IDLE)
        response = client.get("/read/", headers=HTML)
        assert response.status_code == 200
        assert response.json() == {"user": None, "note": None}  # ended all the same
    problems = [r for r in caplog.records if "EXPIRED_REDIRECT_URL" in r.getMessage()]
    assert len(problems) == 1
    assert problems[0].levelno == logging.ERROR
    assert "hardsess.E172" in problems[0].getMessage()


def test_a_good_redirect_still_redirects(
    db_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=IDLE, expired_redirect_url="session-expired")
    clock.advance(IDLE)
    response = client.get("/read/", headers=HTML)
    assert (response.status_code, response["Location"]) == (302, "/expired/")
    assert get(client)["user"] is None
