"""hardsess.asgi.CookieFirewall around Django Channels, on real servers with a real WebSocket
client: uvicorn (the websockets protocol) and daphne (Twisted/autobahn), on loopback.

The browser's side is played by :class:`~tests.runtime.servers.Browserish` (HTTP: login and
logout, through HardSessMiddleware, so the session cookie is signed as a browser would hold
it) and the ``websockets`` library's client (the socket, with the same cookies).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection, connect

from hardsess.asgi import SESSION_ENDED
from tests.runtime.conftest import flip_last
from tests.runtime.servers import Browserish, Server, migrated_server

pytestmark = pytest.mark.slow

#: Seconds between two judgments of an open socket's session: short, so a test waits little.
RECHECK = "0.2"
#: Upper bound for a reply or a close to arrive (not an assertion on speed: a failure bound).
PATIENCE = 20


@pytest.fixture(scope="module", params=["uvicorn-channels", "daphne"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with migrated_server(
        request.param, tmp_path_factory, {"HARDSESS_RT_WS_RECHECK": RECHECK}
    ) as running:
        yield running


def _socket(server: Server, cookie: str | None, origin: str | None = "same") -> ClientConnection:
    headers = {"Cookie": cookie} if cookie else {}
    if origin == "same":
        origin = f"http://127.0.0.1:{server.port}"
    return connect(
        f"ws://127.0.0.1:{server.port}/ws/whoami/",
        additional_headers=headers,
        origin=origin,  # type: ignore[arg-type]
        open_timeout=PATIENCE,
    )


def _receive(ws: ClientConnection) -> Any:
    return json.loads(ws.recv(timeout=PATIENCE))


def _until_closed(ws: ClientConnection, user: str, *, talk: bool) -> ConnectionClosed:
    """Wait for the server to close ``ws`` (``talk``: sending messages meanwhile; replies
    judged before the session ended may still arrive, and must still be ``user``'s)."""
    try:
        while True:
            if talk:
                ws.send(json.dumps("still there?"))
            assert _receive(ws)["user"] == user
    except ConnectionClosed as closed:
        return closed


def _logged_in(server: Server, name: str) -> Browserish:
    browser = Browserish(server.port)
    assert browser.get(f"/rt/login/?user={name}").json() == {"user": name}
    assert browser.get("/rt/whoami/").json() == {"user": name}
    return browser


def _cookie(browser: Browserish) -> str:
    return "; ".join(f"{name}={value}" for name, value in browser.jar.items())


def test_a_valid_signed_session_cookie_authenticates_the_socket(server: Server) -> None:
    browser = _logged_in(server, "alice")
    with _socket(server, _cookie(browser)) as ws:
        hello = _receive(ws)
        assert hello["user"] == "alice"
        assert "sessionid" in hello["cookies"]
        ws.send(json.dumps("ping"))
        assert _receive(ws) == {**hello, "event": "ping"}


def test_a_tampered_session_cookie_never_reaches_the_consumer(server: Server) -> None:
    browser = _logged_in(server, "bob")
    browser.jar["sessionid"] = flip_last(browser.jar["sessionid"])
    logged_before = len(server.log())
    with _socket(server, _cookie(browser)) as ws:
        hello = _receive(ws)
    assert hello["user"] is None
    assert "sessionid" not in hello["cookies"]
    assert "rejected cookie 'sessionid' (bad_signature)" in server.log()[logged_before:]


def test_an_unsigned_session_key_is_refused_even_when_it_exists(server: Server) -> None:
    """The raw key of a live session (what Channels alone would accept) is refused: only the
    firewall's signature makes a session cookie."""
    browser = _logged_in(server, "carol")
    signed = browser.jar["sessionid"]
    raw_key = signed.rsplit(".", 1)[1]  # hs1.<kid>.<expiry>.<mac>.<value>
    with _socket(server, f"sessionid={signed}") as ws:
        assert _receive(ws)["user"] == "carol"
    with _socket(server, f"sessionid={raw_key}") as ws:
        assert _receive(ws)["user"] is None


def test_a_duplicated_session_cookie_fails_closed(server: Server) -> None:
    browser = _logged_in(server, "dave")
    value = browser.jar["sessionid"]
    logged_before = len(server.log())
    with _socket(server, f"sessionid={value}; sessionid={value}") as ws:
        hello = _receive(ws)
    assert hello["user"] is None
    assert "sessionid" not in hello["cookies"]
    assert "rejected cookie 'sessionid' (duplicate)" in server.log()[logged_before:]


def test_a_cross_site_handshake_is_refused_before_accept(server: Server) -> None:
    browser = _logged_in(server, "erin")
    with pytest.raises(InvalidStatus) as refused:
        _socket(server, _cookie(browser), origin="https://evil.example")
    assert refused.value.response.status_code == 403
    # A look-alike of the site's own origin is another site too.
    with pytest.raises(InvalidStatus):
        _socket(server, _cookie(browser), origin=f"http://127.0.0.1.evil.example:{server.port}")
    # No Origin: not a browser, so no visitor's cookies were carried across sites.
    with _socket(server, _cookie(browser), origin=None) as ws:
        assert _receive(ws)["user"] == "erin"


def test_logout_elsewhere_closes_the_open_socket(server: Server) -> None:
    browser = _logged_in(server, "frank")
    with _socket(server, _cookie(browser)) as ws:
        assert _receive(ws)["user"] == "frank"
        assert browser.get("/rt/logout/").json() == {"user": None}  # another tab logs out
        closed = _until_closed(ws, "frank", talk=True)
    assert closed.rcvd is not None
    assert closed.rcvd.code == SESSION_ENDED
    if server.kind != "daphne":  # daphne 4.2 sends the code only (ws_protocol.serverClose)
        assert closed.rcvd.reason == "session ended (logged out)"


@pytest.fixture(scope="module")
def revoking_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """signed_cookies with REVOCATION: logout writes the user's mark, nothing is deleted."""
    env = {
        "HARDSESS_RT_WS_RECHECK": RECHECK,
        "HARDSESS_RT_ENGINE": "django.contrib.sessions.backends.signed_cookies",
        "HARDSESS_RT_SESSION": json.dumps({"REVOCATION": "db"}),
    }
    with migrated_server("uvicorn-channels", tmp_path_factory, env) as running:
        yield running


def test_a_revoked_cookie_session_is_closed_and_refused(revoking_server: Server) -> None:
    server = revoking_server
    browser = _logged_in(server, "grace")
    captured = _cookie(browser)  # a copy of the cookie, as a thief would keep it
    with _socket(server, captured) as ws:
        assert _receive(ws)["user"] == "grace"
        assert browser.get("/rt/logout/").json() == {"user": None}
        closed = _until_closed(ws, "grace", talk=False)
    assert closed.rcvd is not None
    assert closed.rcvd.code == SESSION_ENDED
    assert closed.rcvd.reason == "session ended (revoked)"
    # The captured copy still carries a valid signature: the mark refuses it at the handshake.
    logged_before = len(server.log())
    with _socket(server, captured) as ws:
        assert _receive(ws)["user"] is None
    assert "end websocket session (revoked) (user " in server.log()[logged_before:]


def test_no_log_line_carries_a_cookie_value(server: Server) -> None:
    """Refused origins, rejected, duplicated and ended sessions are logged by name and reason:
    never the signed value, nor the session key inside it."""
    browser = _logged_in(server, "heidi")
    signed = browser.jar["sessionid"]
    raw_key = signed.rsplit(".", 1)[1]
    logged_before = len(server.log())
    with pytest.raises(InvalidStatus):
        _socket(server, _cookie(browser), origin="https://evil.example")
    for cookie in (f"sessionid={flip_last(signed)}", f"sessionid={signed}; sessionid={signed}"):
        with _socket(server, cookie) as ws:
            assert _receive(ws)["user"] is None
    with _socket(server, _cookie(browser)) as ws:
        assert _receive(ws)["user"] == "heidi"
        assert browser.get("/rt/logout/").json() == {"user": None}
        assert _until_closed(ws, "heidi", talk=True).rcvd is not None
    logged = server.log()[logged_before:]
    assert "rejected cookie 'sessionid' (duplicate)" in logged  # the lines were written
    assert raw_key not in logged
    assert signed.rsplit(".", 1)[0] not in logged  # nor the signature part


def test_origin_look_alikes_are_refused(server: Server) -> None:
    """What a browser could be made to send that is not exactly this site's origin: another
    port, another scheme, a trailing dot, an opaque origin, a different case (browsers send
    origins lower-cased, so an upper-cased one is no browser's serialization of this site)."""
    browser = _logged_in(server, "ivan")
    port = server.port
    for origin in (
        f"http://127.0.0.1:{port + 1}",
        f"https://127.0.0.1:{port}",
        f"http://127.0.0.1.:{port}",
        "null",
        f"HTTP://127.0.0.1:{port}",
        f"http://user@127.0.0.1:{port}",
        f"http://127.0.0.1:{port}/",
    ):
        with pytest.raises(InvalidStatus) as refused:
            _socket(server, _cookie(browser), origin=origin)
        assert refused.value.response.status_code == 403, origin
