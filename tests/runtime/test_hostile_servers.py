"""Hostile Cookie headers through real servers on loopback (issue 10, items 1-3): gunicorn and
waitress (WSGI), uvicorn and hypercorn (ASGI), and hypercorn over cleartext HTTP/2 with cookie
crumbs. Each server decodes header bytes its own way before Django sees them; the firewall must
judge what Django then parses, on every one of them.
"""

from __future__ import annotations

import http.client
import json
import socket
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import h2.config
import h2.connection
import h2.events
import pytest

from hardsess.firewall.incoming import MAX_DELETIONS, MAX_REPORTED
from tests.runtime.servers import Browserish, Server, migrated_server

pytestmark = pytest.mark.slow

WSGI = ("gunicorn", "waitress")
ASGI = ("uvicorn", "hypercorn")
#: Characters Django strips from a name and a browser keeps (str.strip(), not SP / HTAB), less
#: CR and LF, which end a header line and so cannot be sent inside one.
STRIPPED = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in " \t\r\n"]


@dataclass
class Raw:
    status: int
    set_cookies: list[str]
    header_bytes: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def raw_get(port: int, path: str, cookie: bytes) -> Raw:
    """GET ``path`` with exactly these Cookie header bytes (http.client sends bytes as they are)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.putrequest("GET", path)
    connection.putheader("X-Forwarded-Proto", "https")
    connection.putheader("Cookie", cookie)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    headers = response.headers
    reply = Raw(
        response.status,
        headers.get_all("Set-Cookie") or [],
        sum(len(k) + len(v) + 4 for k, v in headers.items()),
        body,
    )
    connection.close()
    return reply


@pytest.fixture(scope="module", params=WSGI + ASGI)
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    with migrated_server(request.param, tmp_path_factory) as running:
        yield running


def session_of(server: Server, user: str) -> str:
    browser = Browserish(server.port)
    browser.get(f"/rt/session/set/?user={user}")
    return browser.jar["sessionid"]


def encodings(char: str) -> list[tuple[bytes, bool]]:
    """The bytes a client can send for ``char``, each with whether Django on this kind of
    server decodes them back to ``char`` (UTF-8 on WSGI, Latin-1 on ASGI)."""
    forms = [(char.encode("utf-8"), "utf-8")]
    if ord(char) < 256 and char.encode("utf-8") != char.encode("latin-1"):
        forms.append((char.encode("latin-1"), "latin-1"))
    return [(data, codec == "latin-1") for data, codec in forms]


def test_tossing_with_stripped_characters_fails_closed(server: Server) -> None:
    """Every character of the class, leading and trailing, in every byte form a client can
    send: the attacker's session is never the one the view sees, and where Django reads the
    disguised name as ``sessionid`` neither copy is trusted."""
    victim, attacker = session_of(server, "victim"), session_of(server, "attacker")
    tried = 0
    for char in STRIPPED:
        for data, latin1 in encodings(char):
            for name in (data + b"sessionid", b"sessionid" + data):
                header = b"sessionid=" + victim.encode() + b"; " + name + b"=" + attacker.encode()
                reply = raw_get(server.port, "/rt/session/get/", header)
                tried += 1
                assert reply.status in (200, 400), (char, reply.status)
                if reply.status == 400:  # refused by the server itself: nothing reached Django
                    continue
                session = reply.json()["session"]
                assert session.get("user") != "attacker", (char, data)
                decoded_as_sessionid = latin1 == (server.kind in ASGI)
                if decoded_as_sessionid:
                    assert session == {}, (char, data)
    assert tried >= 2 * len(STRIPPED)


def test_a_huge_name_is_no_500(server: Server) -> None:
    """22,000 bytes of 0xFF: 66,000 UTF-8 bytes once a WSGI stack decodes them (U+FFFD each)."""
    key_id = session_of(server, "anyone").split(".")[1].encode()  # a key it has: MAC computed
    forged = b"=hs1." + key_id + b".0." + b"A" * 43 + b".v"
    reply = raw_get(server.port, "/rt/echo/", b"\xff" * 22_000 + forged)
    assert reply.status == 200
    assert reply.json()["cookies"] == {}
    assert reply.set_cookies == []  # a name no browser could hold is not "deleted" either


def test_junk_cookies_cost_a_bounded_response_and_log(server: Server) -> None:
    """1,600 cookies in a 16 KB header, each rejected in a way that asks for a deletion."""
    header = ";".join(f"j{i}=hs1." for i in range(1600)).encode()
    assert 15_000 < len(header) < 17_000
    logged_before = len(server.log())
    reply = raw_get(server.port, "/rt/echo/", header)
    assert reply.status == 200
    assert len(reply.set_cookies) <= MAX_DELETIONS
    assert reply.header_bytes < 8_000  # 152 KB before the cap
    # Lines of the test settings' handler (the bare message); waitress's own root handler
    # repeats each as "WARNING:hardsess:...".
    log = server.log()[logged_before:].splitlines()
    lines = [line for line in log if line.startswith("hardsess")]
    assert len(lines) <= MAX_REPORTED + 1
    rest = 1600 - MAX_REPORTED
    assert any(f"{rest} more cookie(s)" in line and f"malformed: {rest}" in line for line in lines)


# -- HTTP/2 --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def h2_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with migrated_server("hypercorn", tmp_path_factory) as running:
        yield running


def h2_get(port: int, path: str, crumbs: list[bytes]) -> tuple[int, dict[str, Any]]:
    """GET over cleartext HTTP/2 (prior knowledge), one ``cookie`` field per crumb, as
    browsers send them over HTTP/2."""
    connection = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        connection.initiate_connection()
        headers = [
            (b":method", b"GET"),
            (b":path", path.encode()),
            (b":scheme", b"http"),
            (b":authority", b"127.0.0.1"),
            (b"x-forwarded-proto", b"https"),
            *((b"cookie", crumb) for crumb in crumbs),
        ]
        connection.send_headers(1, headers, end_stream=True)
        sock.sendall(connection.data_to_send())
        status, body, ended = 0, b"", False
        while not ended:
            data = sock.recv(65536)
            assert data, "connection closed before the response ended"
            for event in connection.receive_data(data):
                if isinstance(event, h2.events.ResponseReceived):
                    status = int(dict(event.headers)[b":status"])
                elif isinstance(event, h2.events.DataReceived):
                    body += event.data
                    connection.acknowledge_received_data(event.flow_controlled_length, 1)
                elif isinstance(event, h2.events.StreamEnded):
                    ended = True
            sock.sendall(connection.data_to_send())
    return status, json.loads(body)


def test_signed_cookies_sent_as_http2_crumbs_are_accepted(h2_server: Server) -> None:
    browser = Browserish(h2_server.port)
    browser.get("/rt/every/")
    crumbs = [f"{name}={value}".encode() for name, value in browser.jar.items()]
    assert len(crumbs) >= 4
    status, seen = h2_get(h2_server.port, "/rt/echo/", crumbs)
    assert status == 200
    assert seen["session"] == {"visits": 1}
    assert seen["cookies"]["prefs"] == "theme=dark"
    assert seen["cookies"]["django_language"] == "fr"


def test_a_session_cookie_tossed_as_a_second_crumb_fails_closed(h2_server: Server) -> None:
    victim, attacker = session_of(h2_server, "victim"), session_of(h2_server, "attacker")
    for crumbs in (
        [b"sessionid=" + victim.encode(), b"sessionid=" + attacker.encode()],
        [b"sessionid=" + victim.encode(), b"\xa0sessionid=" + attacker.encode()],
    ):
        status, seen = h2_get(h2_server.port, "/rt/echo/", crumbs)
        assert status == 200
        assert seen["session"] == {}
