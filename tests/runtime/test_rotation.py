"""A full K1 -> K2 rotation through stages 0-4 with a session that survives every stage."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.test import Client, override_settings

from hardsess.keyring import old_key_counts
from tests.runtime.conftest import K1, K2, Rejections, key

pytestmark = pytest.mark.django_db

STAGES: dict[int, list[dict[str, str]]] = {
    0: [key(K1, "primary")],
    1: [key(K2, "verify"), key(K1, "primary")],
    2: [key(K2, "primary"), key(K1, "verify")],
    3: [key(K2, "primary"), key(K1, "verify")],
    4: [key(K2, "primary"), key(K1, "retired")],
}


def stage(number: int) -> Any:
    return override_settings(HARDSESS={"KEYS": STAGES[number]})


def key_id(client: Client, name: str) -> str:
    return client.cookies[name].value.split(".")[1]


def expiry(client: Client, name: str) -> str:
    return client.cookies[name].value.split(".")[2]


def test_rotation_keeps_the_session_alive_at_every_stage(
    rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    with stage(0):
        client.get("/rt/session/set/", {"user": "alice"})
        client.get("/rt/set/", {"name": "prefs", "value": "dark", "max_age": "3600"})
        assert key_id(client, "sessionid") == "k1"
        k1_session = client.cookies["sessionid"].value
        session_expiry = expiry(client, "sessionid")
        prefs_expiry = expiry(client, "prefs")

    with stage(1):
        response = client.get("/rt/session/get/")
        assert response.json() == {"session": {"user": "alice"}}
        assert "sessionid" not in response.cookies  # nothing to re-issue: K1 still signs
        assert old_key_counts() == {}

    with stage(2), caplog.at_level(logging.INFO, logger="hardsess"):
        response = client.get("/rt/session/get/")
        assert response.json() == {"session": {"user": "alice"}}
        # Re-issued by the primary key, with the original expiry and attributes.
        assert set(response.cookies) >= {"sessionid", "prefs"}
        assert key_id(client, "sessionid") == "k2"
        assert key_id(client, "prefs") == "k2"
        assert expiry(client, "sessionid") == session_expiry
        assert expiry(client, "prefs") == prefs_expiry
        reissued = response.cookies["sessionid"]
        assert reissued["secure"] is True
        assert reissued["httponly"] is True
        assert reissued["samesite"] == "Lax"
        assert reissued["path"] == "/"
        assert 0 < int(reissued["max-age"]) <= 1209600
        assert old_key_counts() == {"k1": 2}
        assert "verified by non-primary key k1" in caplog.text
        assert k1_session.split(".")[-1] not in caplog.text

    with stage(1):
        # A server still on stage 1 (while stage 2 rolls out) accepts what a stage-2 server
        # signed, and re-signs it with its own primary, K1: harmless, both keys verify.
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert key_id(client, "sessionid") == "k1"
        assert expiry(client, "sessionid") == session_expiry
        assert old_key_counts() == {"k1": 2, "k2": 2}

    with stage(3):
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert key_id(client, "sessionid") == "k2"
        response = client.get("/rt/session/get/")
        assert response.json() == {"session": {"user": "alice"}}
        assert "sessionid" not in response.cookies
        assert old_key_counts() == {"k1": 4, "k2": 2}  # soak: no further old-key use

    with stage(4):
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        # A cookie still signed by K1 (e.g. a browser that slept through stages 2 and 3).
        stale = Client()
        stale.cookies["sessionid"] = k1_session
        assert stale.get("/rt/session/get/").json() == {"session": {}}
        assert rejections.reasons() == {"sessionid": "retired_key"}


def test_emergency_rotation_rejects_the_old_key_at_once(rejections: Rejections) -> None:
    client = Client()
    with stage(0):
        client.get("/rt/session/set/", {"user": "alice"})
    with override_settings(HARDSESS={"KEYS": [key(K2, "primary"), key(K1, "retired")]}):
        assert client.get("/rt/session/get/").json() == {"session": {}}
    assert rejections.reasons() == {"sessionid": "retired_key"}


def test_rotation_with_djangos_own_settings(rejections: Rejections) -> None:
    old = "old-secret-" + "q" * 40
    new = "new-secret-" + "r" * 40
    client = Client()
    with override_settings(SECRET_KEY=old):
        client.get("/rt/session/set/", {"user": "bob"})
        first_id = key_id(client, "sessionid")
        assert first_id.startswith("sk-")
    with override_settings(SECRET_KEY=new, SECRET_KEY_FALLBACKS=[old]):
        response = client.get("/rt/session/get/")
        assert response.json() == {"session": {"user": "bob"}}
        assert "sessionid" in response.cookies
        assert key_id(client, "sessionid") not in (first_id, "")
    with override_settings(SECRET_KEY=new):
        # The cookie itself is accepted (Django's db session data, signed with the old
        # SECRET_KEY and never re-saved, is Django's own business).
        assert "sessionid" in client.get("/rt/echo/").json()["cookies"]
        assert rejections == []


def test_browser_session_cookie_is_reissued_without_expiry() -> None:
    client = Client()
    with stage(0), override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        client.get("/rt/session/set/", {"user": "carol"})
        assert expiry(client, "sessionid") == "0"
    with stage(2), override_settings(SESSION_EXPIRE_AT_BROWSER_CLOSE=True):
        response = client.get("/rt/session/get/")
        assert response.cookies["sessionid"]["max-age"] == ""
        assert response.cookies["sessionid"]["expires"] == ""
        assert expiry(client, "sessionid") == "0"
        assert key_id(client, "sessionid") == "k2"
