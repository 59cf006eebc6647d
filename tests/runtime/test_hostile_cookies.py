"""Hostile Cookie headers through Django's test client (WSGI and ASGI handlers): cookie tossing
with names only Django strips, oversized names, and headers full of junk (issue 10, items 1-3).

The same attacks go through real servers in test_hostile_servers.py.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from typing import Any

import pytest
from django.http.cookie import parse_cookie
from django.test import AsyncClient, Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardsess.firewall import header as cookie_header
from hardsess.firewall import signing
from hardsess.firewall.incoming import MAX_DELETIONS, MAX_REPORTED
from tests.runtime.asgi_call import asgi_get
from tests.runtime.conftest import Rejections

pytestmark = pytest.mark.django_db

#: Every character str.strip() removes (so Django does) that a browser keeps in a cookie name.
STRIPPED = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() and c not in " \t"]
#: The ones that reach an ASGI application as themselves: header bytes decode as Latin-1 there.
STRIPPED_LATIN1 = [c for c in STRIPPED if ord(c) < 256]
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def wsgi(text: str) -> str:
    """``text`` as a browser sends it (UTF-8) and a WSGI server hands it on (Latin-1)."""
    return text.encode("utf-8").decode("latin-1")


def signed_session(user: str) -> str:
    """The wire value of a real session cookie of ``user``, as the firewall issued it."""
    client = Client()
    client.get("/rt/session/set/", {"user": user})
    return client.cookies["sessionid"].value


@pytest.fixture
def sessions() -> dict[str, str]:
    return {"victim": signed_session("victim"), "attacker": signed_session("attacker")}


def seen_session(header: str) -> dict[str, Any]:
    client = Client(HTTP_COOKIE=header)
    session: dict[str, Any] = client.get("/rt/session/get/").json()["session"]
    return session


def aseen(header: str) -> dict[str, Any]:
    async def run() -> Any:
        return (await AsyncClient().get("/rt/echo/", headers={"cookie": header})).json()

    result: dict[str, Any] = asyncio.run(run())
    return result


# -- item 1: cookie tossing ---------------------------------------------------------------------


def test_a_name_django_strips_is_the_same_name(sessions: dict[str, str]) -> None:
    """The reported attack: <NBSP>sessionid=<attacker's own session> beside the victim's."""
    header = wsgi(f"sessionid={sessions['victim']}; \u00a0sessionid={sessions['attacker']}")
    assert seen_session(header) == {}  # neither copy trusted: fail closed


@SETTINGS
@given(
    st.sampled_from(STRIPPED),
    st.sampled_from(["lead", "trail", "both"]),
    st.booleans(),
)
def test_tossing_with_any_stripped_character_fails_closed(
    sessions: dict[str, str], char: str, where: str, attacker_last: bool
) -> None:
    name = {
        "lead": char + "sessionid",
        "trail": "sessionid" + char,
        "both": char + "sessionid" + char,
    }[where]
    victim, attacker = f"sessionid={sessions['victim']}", f"{name}={sessions['attacker']}"
    header = wsgi("; ".join([victim, attacker] if attacker_last else [attacker, victim]))
    assert seen_session(header) == {}


@SETTINGS
@given(st.sampled_from(STRIPPED_LATIN1), st.booleans())
def test_tossing_fails_closed_on_asgi_too(
    sessions: dict[str, str], char: str, attacker_last: bool
) -> None:
    victim, attacker = f"sessionid={sessions['victim']}", f"{char}sessionid={sessions['attacker']}"
    header = "; ".join([victim, attacker] if attacker_last else [attacker, victim])
    assert aseen(header)["session"] == {}


def test_a_disguised_name_alone_is_refused(
    sessions: dict[str, str], rejections: Rejections
) -> None:
    """With no cookie of the victim's yet, a disguised __Host- name still reaches nothing: to the
    browser it was another cookie, set without the prefix's rules (by a sibling domain)."""
    client = Client()
    client.get("/rt/set/", {"name": "__Host-id", "value": "mallory", "secure": "1"})
    value = client.cookies["__Host-id"].value
    header = wsgi(f"\u3000__Host-id={value}; \u00a0sessionid={sessions['attacker']}")
    seen = Client(HTTP_COOKIE=header).get("/rt/echo/").json()
    assert "__Host-id" not in seen["cookies"]
    assert seen["session"] == {}
    assert rejections.reasons() == {"__Host-id": "disguised", "sessionid": "disguised"}


def test_ordinary_whitespace_is_not_disguise(sessions: dict[str, str]) -> None:
    """Spaces and tabs a browser trims itself change nothing: the session is honoured."""
    assert seen_session(f" \t sessionid={sessions['victim']} ") == {"user": "victim"}


def test_a_duplicated_signed_cookie_fails_closed(rejections: Rejections) -> None:
    client = Client()
    client.get("/rt/set/", {"name": "prefs", "value": "mine"})
    mine = client.cookies["prefs"].value
    seen = Client(HTTP_COOKIE=f"prefs={mine}; prefs={mine}").get("/rt/echo/").json()
    assert "prefs" not in seen["cookies"]
    assert ("prefs", "duplicate", False) in rejections


def test_a_duplicated_unsigned_cookie_passes_as_django_reads_it() -> None:
    """The CSRF cookie (readable by JavaScript, unsigned by policy) sent twice: last one wins,
    as without hardsess; nothing the site signs is at stake."""
    seen = Client(HTTP_COOKIE="csrftoken=a; csrftoken=b").get("/rt/echo/").json()
    assert seen["cookies"]["csrftoken"] == "b"


@settings(max_examples=3000, deadline=None)
@given(st.text() | st.binary().map(lambda b: b.decode("latin-1")))
def test_the_pairs_are_djangos_parse(header: str) -> None:
    """One view: the firewall's pairs are exactly what parse_cookie makes of the header."""
    pairs, disguised = cookie_header.pairs_of(header)
    assert dict(pairs) == parse_cookie(header)
    for name in disguised:
        assert name in dict(pairs)


@settings(max_examples=500, deadline=None)
@given(st.binary().map(lambda b: b.decode("latin-1")) | st.none())
def test_the_header_string_is_djangos(raw: str | None) -> None:
    """header_of inlines get_str_from_wsgi: the same string for any WSGI Cookie header
    (a WSGI server gives it as Latin-1 of the bytes), and "" when there is none."""
    from django.core.handlers.wsgi import get_str_from_wsgi
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.environ.pop("HTTP_COOKIE", None)
    if raw is not None:
        request.environ["HTTP_COOKIE"] = raw
    assert cookie_header.header_of(request) == get_str_from_wsgi(request.environ, "HTTP_COOKIE", "")


# -- item 2: no 500 from a name of any size -----------------------------------------------------


def test_a_name_of_65536_utf8_bytes_is_no_500(rejections: Rejections) -> None:
    """22,000 bytes of 0xFF: each becomes U+FFFD (3 bytes) when Django decodes the header."""
    from hardsess.firewall.snapshot import current_snapshot

    key_id = current_snapshot().keyring.primary.id  # a key the site has: the MAC is computed
    header = "\xff" * 22_000 + f"=hs1.{key_id}.0." + "A" * 43 + ".v"
    response = Client(HTTP_COOKIE=header).get("/rt/echo/")
    assert response.status_code == 200
    assert response.json()["cookies"] == {}
    assert [reason for _, reason, _ in rejections] == ["malformed"]


@settings(max_examples=300, deadline=None)
@given(
    st.text(min_size=0, max_size=30)
    | st.builds(lambda c, n: c * n, st.characters(), st.integers(0, 70_000)),
    st.text(max_size=200),
)
def test_verify_never_raises(name: str, value: str) -> None:
    from hardsess.firewall.snapshot import current_snapshot

    keyring = current_snapshot().keyring
    for wire in (value, f"hs1.{keyring.primary.id}.0.{'A' * 43}.{value}", f"hs1b.x.0.{value}"):
        result = signing.verify(keyring, name, wire, 0)
        assert isinstance(result, (str, signing.Verified))


def test_a_view_setting_a_huge_name_is_refused_not_a_500(caplog: pytest.LogCaptureFixture) -> None:
    name = "n" * 70_000
    with caplog.at_level(logging.ERROR, logger="hardsess"):
        response = Client().get("/rt/set/", {"name": name})
    assert response.status_code == 200
    assert name not in response.cookies
    assert "refused cookie" in caplog.text
    assert name not in caplog.text  # bounded log line


# -- item 3: amplification ----------------------------------------------------------------------


def junk_header(count: int) -> str:
    """``count`` cookies that each fail verification in a way that asks for a deletion."""
    return "; ".join(f"j{i}=hs1.k9.0.{'A' * 43}.x" for i in range(count))


def test_rejections_are_capped_per_request(
    rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    header = junk_header(400) + "; " + "; ".join(f"u{i}=plain" for i in range(1200))
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client(HTTP_COOKIE=header).get("/rt/echo/")
    assert response.status_code == 200
    deletions = [m for m in response.cookies.values() if m["max-age"] == 0]
    assert 0 < len(deletions) <= MAX_DELETIONS
    assert len(rejections) == MAX_REPORTED
    lines = [r for r in caplog.records if r.name == "hardsess"]
    assert len(lines) == MAX_REPORTED + 1
    # The 1,200 unsigned ones are foreign (no policy names them): logged once per name, and
    # not in the count line that describes this request.
    assert f"{400 - MAX_REPORTED} more cookie(s)" in lines[-1].getMessage()
    assert f"unknown_key: {400 - MAX_REPORTED}" in lines[-1].getMessage()
    assert "foreign" not in lines[-1].getMessage()


def test_an_empty_value_is_no_warning(
    rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    """How the test client (and a browser) holds a cookie it was told to delete."""
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        seen = Client(HTTP_COOKIE="sessionid=; prefs=").get("/rt/echo/").json()
    assert seen["cookies"] == {}
    assert list(rejections) == []
    assert caplog.text == ""


def test_a_deleted_session_is_no_warning_in_the_next_request(
    caplog: pytest.LogCaptureFixture,
) -> None:
    client = Client()
    client.get("/rt/session/set/", {"user": "u"})
    client.get("/rt/delete/", {"name": "sessionid"})
    assert client.cookies["sessionid"].value == ""
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        assert client.get("/rt/session/get/").json() == {"session": {}}
    assert "rejected" not in caplog.text


# -- HTTP/2 crumbs on ASGI ----------------------------------------------------------------------


# The handler runs the view in a thread of its own: it must see rows this test committed.
@pytest.mark.django_db(transaction=True)
def test_cookie_crumbs_are_joined_as_rfc_9113_says(sessions: dict[str, str]) -> None:
    """Django 5.2 joins repeated headers with ",", which glues two crumbs into one value."""
    client = Client()
    client.get("/rt/set/", {"name": "prefs", "value": "dark"})
    crumbs = [
        (b"cookie", f"sessionid={sessions['victim']}".encode()),
        (b"cookie", f"prefs={client.cookies['prefs'].value}".encode()),
    ]
    status, seen = asgi_get("/rt/echo/", crumbs)
    assert status == 200
    assert seen["session"] == {"user": "victim"}
    assert seen["cookies"]["prefs"] == "dark"


@pytest.mark.django_db(transaction=True)
def test_a_session_cookie_tossed_as_a_crumb_fails_closed(sessions: dict[str, str]) -> None:
    crumbs = [
        (b"cookie", f"sessionid={sessions['victim']}".encode()),
        (b"cookie", f"\xa0sessionid={sessions['attacker']}".encode("latin-1")),
    ]
    status, seen = asgi_get("/rt/echo/", crumbs)
    assert status == 200
    assert seen["session"] == {}
