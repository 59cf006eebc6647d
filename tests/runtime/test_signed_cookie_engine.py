"""hardsess's signed-cookie session engine (hardsess.backends.signed_cookies), issue 15 item 1.

The session is signed once, with the firewall's keyring and wire format: one MAC per request
each way, not Django's salted HMAC plus the firewall's. Behind the firewall and alone, through
key rotation, in report-only, and migrating from Django's engine without logging anybody out.
Lifecycle stamps, revocation and cycling run on it in tests/sessions (the ``hardsess_cookies``
engine); the real servers in test_signed_cookie_engine_servers below.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core import signing as django_signing
from django.test import Client, override_settings

from hardsess.backends import signed_cookies as engine
from hardsess.firewall import signing
from hardsess.firewall.snapshot import current_snapshot
from tests.runtime.conftest import K1, K2, Rejections, flip_last, key
from tests.runtime.servers import Browserish, migrate, serve, server_env
from tests.runtime.test_engines import exercise

pytestmark = pytest.mark.django_db(transaction=True)

ENGINE = engine.ENGINE
DJANGO_ENGINE = "django.contrib.sessions.backends.signed_cookies"
NO_FIREWALL = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
]


@pytest.fixture
def macs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The cookie names every MAC of the firewall's wire format was computed for."""
    seen: list[str] = []
    real = signing._mac

    def counting(k: Any, tag: str, name: str, expiry: str, value: str) -> str:
        seen.append(name)
        return real(k, tag, name, expiry, value)

    monkeypatch.setattr(signing, "_mac", counting)
    return seen


@pytest.fixture
def hardsess_engine() -> Iterator[None]:
    with override_settings(SESSION_ENGINE=ENGINE):
        yield


def _inner(wire: str) -> str:
    """The value the firewall's wire format carries (its MAC checked)."""
    result = signing.verify(current_snapshot().keyring, "sessionid", wire, int(time.time()))
    assert isinstance(result, signing.Verified), result
    return result.value


def test_engine_behind_the_firewall_like_every_engine(
    hardsess_engine: None, rejections: Rejections
) -> None:
    exercise(Client(), rejections)


def test_session_is_signed_once_each_way(hardsess_engine: None, macs: list[str]) -> None:
    client = Client()
    client.get("/rt/session/set/", {"user": "alice"})
    assert macs == ["sessionid"]  # signed by the engine; the firewall did not sign it again
    wire = client.cookies["sessionid"].value
    inner = _inner(wire)
    assert not signing.looks_signed(inner)  # one layer: no wire format inside the wire format
    assert inner.count(":") == 1  # <signed-at>:<data>, no Django signature
    macs.clear()
    assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
    assert macs == ["sessionid"]  # verified by the firewall; the engine trusted that check


def test_the_engine_without_the_firewall(
    hardsess_engine: None, macs: list[str], rejections: Rejections
) -> None:
    with override_settings(MIDDLEWARE=NO_FIREWALL):
        client = Client()
        client.get("/rt/session/set/", {"user": "alice"})
        wire = client.cookies["sessionid"].value
        assert signing.looks_signed(wire)
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert macs == ["sessionid", "sessionid"]  # signed, then verified, by the engine
        client.cookies["sessionid"] = flip_last(wire)
        assert client.get("/rt/session/get/").json() == {"session": {}}
        # The payload alone (what the firewall would hand on) is no session without the firewall.
        client.cookies["sessionid"] = _inner(wire)
        assert client.get("/rt/session/get/").json() == {"session": {}}
    assert rejections == []


def test_report_only_passes_nothing_unverified_to_the_engine(
    hardsess_engine: None, rejections: Rejections
) -> None:
    with override_settings(HARDSESS={"REPORT_ONLY": True}):
        client = Client()
        client.get("/rt/session/set/", {"user": "alice"})
        wire = client.cookies["sessionid"].value
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        forged = _inner(wire).replace(":", ":x", 1)
        for value in (flip_last(wire), forged, _inner(wire)):
            client.cookies["sessionid"] = value
            assert client.get("/rt/session/get/").json() == {"session": {}}


def test_rotation_re_signs_under_the_primary_and_retired_keys_void(
    hardsess_engine: None, rejections: Rejections
) -> None:
    client = Client()
    with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
        client.get("/rt/session/set/", {"user": "alice"})
        k1_wire = client.cookies["sessionid"].value
        assert k1_wire.split(".")[1] == "k1"
    stage2 = [key(K2, "primary"), key(K1, "verify")]
    with override_settings(HARDSESS={"KEYS": stage2}):
        response = client.get("/rt/session/get/")
        assert response.json() == {"session": {"user": "alice"}}
        reissued = response.cookies["sessionid"].value
        assert reissued.split(".")[1] == "k2"
        # Rotation never extends a life: the expiry and the signing time are the original's.
        assert reissued.split(".")[2] == k1_wire.split(".")[2]
        assert _inner(reissued) == _inner_with(stage2, k1_wire)
    with override_settings(HARDSESS={"KEYS": [key(K2, "primary"), key(K1, "retired")]}):
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        client.cookies["sessionid"] = k1_wire
        assert client.get("/rt/session/get/").json() == {"session": {}}
    assert rejections.reasons() == {"sessionid": "retired_key"}


def test_rotation_without_the_firewall_re_signs_on_access(hardsess_engine: None) -> None:
    with override_settings(MIDDLEWARE=NO_FIREWALL):
        client = Client()
        with override_settings(HARDSESS={"KEYS": [key(K1, "primary")]}):
            client.get("/rt/session/set/", {"user": "alice"})
        with override_settings(HARDSESS={"KEYS": [key(K2, "primary"), key(K1, "verify")]}):
            response = client.get("/rt/session/get/")
            assert response.json() == {"session": {"user": "alice"}}
            assert response.cookies["sessionid"].value.split(".")[1] == "k2"


def _inner_with(keys: list[dict[str, str]], wire: str) -> str:
    with override_settings(HARDSESS={"KEYS": keys}):
        return _inner(wire)


def _django_cookie(firewall: bool) -> tuple[Client, str]:
    """A client holding a session written by Django's own engine (behind the firewall or not).

    The client returned is a new one holding that cookie: a client keeps the middleware (and so
    the SessionStore class) it first loaded.
    """
    old = Client()
    middleware = None if firewall else NO_FIREWALL
    with override_settings(SESSION_ENGINE=DJANGO_ENGINE):
        if middleware is None:
            old.get("/rt/session/set/", {"user": "alice"})
        else:
            with override_settings(MIDDLEWARE=middleware):
                old.get("/rt/session/set/", {"user": "alice"})
    value = old.cookies["sessionid"].value
    client = Client()
    client.cookies["sessionid"] = value
    return client, value


@pytest.mark.parametrize("firewall_before", [True, False], ids=["behind-firewall", "bare-django"])
@pytest.mark.parametrize("firewall_after", [True, False], ids=["firewall", "no-firewall"])
def test_switching_from_djangos_engine_logs_nobody_out(
    firewall_before: bool, firewall_after: bool, rejections: Rejections
) -> None:
    client, old = _django_cookie(firewall_before)
    assert signing.looks_signed(old) is firewall_before
    settings: dict[str, Any] = {"SESSION_ENGINE": ENGINE}
    if not firewall_after:
        settings["MIDDLEWARE"] = NO_FIREWALL
    with override_settings(**settings):
        response = client.get("/rt/session/get/")
        assert response.json() == {"session": {"user": "alice"}}
        # Re-issued in the new format on the same response: one signature, no Django one inside.
        new = response.cookies["sessionid"].value
        assert _inner(new).count(":") == 1
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        # A forged Django-format cookie is still refused.
        client.cookies["sessionid"] = flip_last(old)
        assert client.get("/rt/session/get/").json() == {"session": {}}


@pytest.mark.parametrize("until", [False, "2020-01-01", "2020-01-01T00:00:00+00:00"])
def test_after_the_migration_window_djangos_sessions_are_not_read(until: Any) -> None:
    client, _ = _django_cookie(firewall=False)
    with override_settings(SESSION_ENGINE=ENGINE, HARDSESS={"DJANGO_SESSIONS_UNTIL": until}):
        assert client.get("/rt/session/get/").json() == {"session": {}}


def test_inside_the_migration_window_djangos_sessions_are_read() -> None:
    client, _ = _django_cookie(firewall=False)
    with override_settings(SESSION_ENGINE=ENGINE, HARDSESS={"DJANGO_SESSIONS_UNTIL": "2999-12-31"}):
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}


def test_a_session_older_than_session_cookie_age_is_void(hardsess_engine: None) -> None:
    client = Client()
    client.get("/rt/session/set/", {"user": "alice"})
    with override_settings(SESSION_COOKIE_AGE=0):
        time.sleep(1.1)  # the signing time has a resolution of one second
        assert client.get("/rt/session/get/").json() == {"session": {}}


def test_a_decompression_bomb_is_refused(hardsess_engine: None) -> None:
    """Only a payload the keyring signed is decompressed, and that is bounded anyway."""
    bomb = engine._encode(b'{"a": "' + b"0" * (engine.MAX_DECOMPRESSED * 2) + b'"}')
    assert len(bomb) < 4000
    with pytest.raises(ValueError):
        engine._decode(bomb)
    value = f"{django_signing.b62_encode(int(time.time()))}:{bomb}"
    wire = signing.sign(current_snapshot().keyring.primary, "sessionid", value, 0)
    client = Client()
    client.cookies["sessionid"] = wire
    assert client.get("/rt/session/get/").json() == {"session": {}}


@pytest.mark.slow  # real servers
@pytest.mark.parametrize("kind", ["gunicorn", "uvicorn"])
def test_engine_under_real_servers(kind: str, tmp_path: Path) -> None:
    env = {"HARDSESS_RT_ENGINE": ENGINE}
    migrate(server_env(tmp_path, env))
    with serve(kind, tmp_path, env) as server:
        browser = Browserish(server.port)
        browser.get("/rt/session/set/?user=alice")
        good = browser.jar["sessionid"]
        assert signing.looks_signed(good)
        assert not signing.looks_signed(good.split(".", 4)[4])  # signed once
        assert browser.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        browser.jar["sessionid"] = flip_last(good)
        assert browser.get("/rt/session/get/").json() == {"session": {}}
        browser.jar["sessionid"] = good
        assert browser.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
        assert "rejected cookie 'sessionid' (bad_signature)" in server.log()


def test_session_engine_assigned_at_run_time_is_signed_once(macs: list[str]) -> None:
    """``settings.SESSION_ENGINE = ...`` sends no setting_changed and keeps the settings holder:
    the firewall's snapshot must still follow it, or the engine's cookie is signed twice."""
    from django.conf import settings

    with override_settings(SESSION_ENGINE=DJANGO_ENGINE):
        assert current_snapshot().engine_session_cookie is None  # built for Django's engine
        settings.SESSION_ENGINE = ENGINE
        assert current_snapshot().engine_session_cookie == "sessionid"
        client = Client()  # its SessionMiddleware loads the engine assigned above
        client.get("/rt/session/set/", {"user": "alice"})
        assert macs == ["sessionid"]  # the engine's signature only
        assert _inner(client.cookies["sessionid"].value).count(":") == 1
        assert client.get("/rt/session/get/").json() == {"session": {"user": "alice"}}


def test_djangos_engine_assigned_at_run_time_gets_no_unsigned_cookie() -> None:
    """The other way: once Django's engine is assigned, an unsigned session cookie is no longer
    the hardsess engine's to judge: the firewall rejects it as it rejects any unsigned one."""
    from django.conf import settings

    client, unsigned = _django_cookie(firewall=False)
    assert not signing.looks_signed(unsigned)
    with override_settings(SESSION_ENGINE=ENGINE):
        assert current_snapshot().engine_session_cookie == "sessionid"
        settings.SESSION_ENGINE = DJANGO_ENGINE
        assert current_snapshot().engine_session_cookie is None
        assert client.get("/rt/session/get/").json() == {"session": {}}
