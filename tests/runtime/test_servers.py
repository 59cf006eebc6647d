"""The firewall under real servers: gunicorn (WSGI) and uvicorn (ASGI) on loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from hardsess.firewall.signing import looks_signed
from tests.runtime.conftest import K1, K2, flip_last, key
from tests.runtime.servers import Browserish, Server, migrate, migrated_server, serve, server_env

pytestmark = pytest.mark.slow

KINDS = ["gunicorn", "uvicorn"]


@pytest.fixture(scope="module", params=KINDS)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with migrated_server(request.param, tmp_path_factory) as running:
        yield running


def test_every_cookie_leaves_hardened(server: Server) -> None:
    reply = Browserish(server.port).get("/rt/every/")
    assert reply.status == 200
    cookies = reply.cookies
    assert {"sessionid", "csrftoken", "django_language", "messages", "prefs", "remember"} <= set(
        cookies
    )
    for name, morsel in cookies.items():
        raw = next(h for h in reply.set_cookies if h.startswith(name + "="))
        assert "Secure" in raw, raw
        assert "SameSite=Lax" in raw, raw
        if name == "csrftoken":
            assert "HttpOnly" not in raw
            assert not looks_signed(morsel.value)
        else:
            assert "HttpOnly" in raw, raw
            assert looks_signed(morsel.value), raw


def test_round_trip_and_tampering(server: Server) -> None:
    browser = Browserish(server.port)
    browser.get("/rt/every/")
    seen = browser.get("/rt/echo/").json()
    assert seen["cookies"]["prefs"] == "theme=dark"
    assert seen["session"] == {"visits": 1}
    assert browser.get("/rt/signed/").json() == {"remember": "alice"}
    assert browser.get("/rt/messages/").json() == {"messages": ["hello"]}

    browser.jar["sessionid"] = flip_last(browser.jar["sessionid"])
    browser.jar["prefs"] = "theme=light"
    # The server is shared by this module's tests: judge only what this request logged.
    logged_before = len(server.log())
    reply = browser.get("/rt/echo/")
    assert reply.status == 200
    assert reply.json()["session"] == {}
    assert "prefs" not in reply.json()["cookies"]
    assert "sessionid" not in reply.json()["cookies"]
    log = server.log()[logged_before:]
    assert "rejected cookie 'sessionid' (bad_signature)" in log
    assert "rejected cookie 'prefs' (unsigned)" in log
    assert "theme=light" not in log


def test_duplicate_session_cookie_and_garbage(server: Server) -> None:
    browser = Browserish(server.port)
    browser.get("/rt/session/set/?user=alice")
    good = browser.jar["sessionid"]
    assert browser.get("/rt/session/get/").json() == {"session": {"user": "alice"}}
    twice = browser.get("/rt/session/get/", cookie_header=f"sessionid={good}; sessionid={good}")
    assert twice.json() == {"session": {}}
    for garbage in ["hs1.", "hs1b.k1.0." + "A" * 43 + ".%%", "x" * 3000, "hs1.sk-1.9.9.9"]:
        for name in ("sessionid", "messages", "remember"):
            reply = browser.get("/rt/boom/", cookie_header=f"{name}={garbage}")
            assert reply.status == 200, (name, garbage)


def test_streaming_response(server: Server) -> None:
    reply = Browserish(server.port).get("/rt/stream/")
    assert reply.body == b"chunk-1\nchunk-2\n"
    assert looks_signed(reply.cookies["streamed"].value)
    assert "Secure" in reply.set_cookies[0]


def keys_env(*keys: dict[str, str]) -> dict[str, str]:
    return {"HARDSESS_RT_KEYS": json.dumps(list(keys))}


@pytest.mark.parametrize("kind", KINDS)
def test_rotation_across_a_mixed_fleet(kind: str, tmp_path: Path) -> None:
    """Stage-1 and stage-2 servers side by side on one database, then a stage-4 server."""
    migrate(server_env(tmp_path, {}))
    browser = Browserish(0)
    with serve(kind, tmp_path, keys_env(key(K1, "primary"))) as stage0:
        browser.switch(stage0.port).get("/rt/session/set/?user=alice")
        k1_session = browser.jar["sessionid"]
        assert k1_session.split(".")[1] == "k1"
    with (
        serve(kind, tmp_path, keys_env(key(K2, "verify"), key(K1, "primary"))) as stage1,
        serve(kind, tmp_path, keys_env(key(K2, "primary"), key(K1, "verify"))) as stage2,
    ):
        assert browser.switch(stage1.port).get("/rt/session/get/").json()["session"] == {
            "user": "alice"
        }
        reply = browser.switch(stage2.port).get("/rt/session/get/")
        assert reply.json()["session"] == {"user": "alice"}
        assert browser.jar["sessionid"].split(".")[1] == "k2"
        # Original expiry kept by the re-issue.
        assert browser.jar["sessionid"].split(".")[2] == k1_session.split(".")[2]
        assert "verified by non-primary key k1" in stage2.log()
        # A stage-1 server accepts what the stage-2 server signed.
        assert browser.switch(stage1.port).get("/rt/session/get/").json()["session"] == {
            "user": "alice"
        }
        browser.switch(stage2.port).get("/rt/session/get/")
        assert browser.jar["sessionid"].split(".")[1] == "k2"
    with serve(kind, tmp_path, keys_env(key(K2, "primary"), key(K1, "retired"))) as stage4:
        assert browser.switch(stage4.port).get("/rt/session/get/").json()["session"] == {
            "user": "alice"
        }
        stale = browser.get("/rt/session/get/", cookie_header=f"sessionid={k1_session}")
        assert stale.json() == {"session": {}}
        assert "rejected cookie 'sessionid' (retired_key)" in stage4.log()
