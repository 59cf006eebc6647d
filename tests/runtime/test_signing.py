"""Signing on the way out, verification on the way in (through Django's test client)."""

from __future__ import annotations

import logging
import time

import pytest
from django.test import Client, override_settings

from hardsess.firewall import signing
from hardsess.firewall.snapshot import current_snapshot
from hardsess.keyring import load_keyring
from tests.runtime.conftest import K1, K2, Rejections, flip_last, key

pytestmark = pytest.mark.django_db


def signed_client() -> Client:
    """A client holding one of every kind of cookie, each as the firewall sent it."""
    client = Client()
    assert client.get("/rt/every/").status_code == 200
    return client


def test_the_view_sees_original_values() -> None:
    client = signed_client()
    assert signing.looks_signed(client.cookies["prefs"].value)
    seen = client.get("/rt/echo/").json()
    assert seen["cookies"]["prefs"] == "theme=dark"
    assert seen["cookies"]["django_language"] == "fr"
    assert seen["session"] == {"visits": 1}
    # Django's own signed values round-trip through the wrapping.
    assert client.get("/rt/signed/").json() == {"remember": "alice"}
    assert client.get("/rt/messages/").json() == {"messages": ["hello"]}


def test_values_that_need_quoting_stay_cookie_octets() -> None:
    client = Client()
    odd = 'a "quoted", ünïcode; value\\'
    response = client.get("/rt/set/", {"name": "odd", "value": odd})
    wire = response.cookies["odd"].OutputString()
    assert '"' not in wire.split(";")[0]
    assert wire.startswith("odd=hs1b.")
    assert client.get("/rt/echo/").json()["cookies"]["odd"] == odd


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (flip_last, "bad_signature"),  # value edited
        (lambda v: v[:40], "malformed"),  # truncated inside the MAC
        (lambda v: v[: v.rindex(".") + 3], "malformed"),  # truncated base64url payload
        (lambda v: "theme=light", "unsigned"),
        (lambda v: v.replace(".0.", ".1.", 1) if ".0." in v else v + "x", "bad_signature"),
    ],
)
def test_tampered_cookie_is_removed_logged_and_signalled(
    mangle, reason: str, rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    client = signed_client()
    original = client.cookies["prefs"].value
    tampered = mangle(original)
    client.cookies["prefs"] = tampered
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = client.get("/rt/echo/")
    seen = response.json()
    assert "prefs" not in seen["cookies"]
    # A forged or stale cookie is deleted in the browser; an unsigned one may be JavaScript's.
    if reason == "unsigned":
        assert "prefs" not in response.cookies
    else:
        assert response.cookies["prefs"]["max-age"] == 0
        assert response.cookies["prefs"]["secure"] is True
    assert seen["session"] == {"visits": 1}  # other cookies unaffected
    assert rejections.reasons() == {"prefs": reason}
    assert "rejected cookie 'prefs'" in caplog.text
    assert tampered not in caplog.text
    assert "theme" not in caplog.text


def test_value_swapped_between_cookie_names_is_rejected(rejections: Rejections) -> None:
    client = signed_client()
    client.cookies["django_language"] = client.cookies["prefs"].value
    seen = client.get("/rt/echo/").json()["cookies"]
    assert "django_language" not in seen
    assert seen["prefs"] == "theme=dark"
    assert rejections.reasons() == {"django_language": "bad_signature"}


def test_replay_past_expiry_is_rejected(rejections: Rejections) -> None:
    primary = current_snapshot().keyring.primary
    client = Client()
    client.cookies["prefs"] = signing.sign(primary, "prefs", "x", int(time.time()) - 5)
    assert "prefs" not in client.get("/rt/echo/").json()["cookies"]
    assert rejections.reasons() == {"prefs": "expired"}
    # Same cookie with a future expiry passes: the expiry is what made the difference.
    client.cookies["prefs"] = signing.sign(primary, "prefs", "x", int(time.time()) + 60)
    assert client.get("/rt/echo/").json()["cookies"]["prefs"] == "x"


def test_cookie_with_max_age_carries_its_expiry() -> None:
    client = Client()
    before = int(time.time())
    value = client.get("/rt/set/", {"name": "p", "max_age": "120"}).cookies["p"].value
    expiry = int(value.split(".")[2])
    assert before + 120 <= expiry <= int(time.time()) + 120


def test_unknown_key_id_is_rejected(rejections: Rejections) -> None:
    stranger = load_keyring([key(K2, "primary")], "").primary
    client = Client()
    client.cookies["prefs"] = signing.sign(stranger, "prefs", "x", 0)
    assert "prefs" not in client.get("/rt/echo/").json()["cookies"]
    assert rejections.reasons() == {"prefs": "unknown_key"}


def test_forged_key_id_with_own_secret_is_rejected(rejections: Rejections) -> None:
    # An attacker who knows the id of the real key but not its secret.
    real_id = current_snapshot().keyring.primary.id
    secret = "forged-" + "z9y8x7w6v5" * 5
    forged = load_keyring([{"id": real_id, "secret": secret, "state": "primary"}], "").primary
    client = Client()
    client.cookies["prefs"] = signing.sign(forged, "prefs", "x", 0)
    assert "prefs" not in client.get("/rt/echo/").json()["cookies"]
    assert rejections.reasons() == {"prefs": "bad_signature"}


def test_unsigned_cookie_is_removed_but_csrf_cookie_is_exempt(rejections: Rejections) -> None:
    client = Client()
    client.get("/rt/set/", {"name": "prefs"})  # the site sets prefs itself
    client.cookies["prefs"] = "plain"
    client.cookies["csrftoken"] = "A" * 32
    seen = client.get("/rt/echo/").json()["cookies"]
    assert seen == {"csrftoken": "A" * 32}
    assert rejections.reasons() == {"prefs": "unsigned"}


@override_settings(HARDSESS={"COOKIES": {"_ga": {"sign": False}}})
def test_policy_exempts_a_cookie_from_signing() -> None:
    client = Client()
    client.cookies["_ga"] = "GA1.2.3"
    assert client.get("/rt/echo/").json()["cookies"] == {"_ga": "GA1.2.3"}
    assert not signing.looks_signed(
        client.get("/rt/set/", {"name": "_ga", "value": "GA1"}).cookies["_ga"].value
    )


def test_duplicate_session_cookie_fails_closed(rejections: Rejections) -> None:
    first = signed_client()
    second = signed_client()
    a = first.cookies["sessionid"].value
    b = second.cookies["sessionid"].value
    client = Client(HTTP_COOKIE=f"sessionid={a}; sessionid={b}")
    response = client.get("/rt/echo/")
    assert "sessionid" not in response.cookies  # no deletion: it would spare the tossed copy
    seen = response.json()
    assert "sessionid" not in seen["cookies"]
    assert seen["session"] == {}
    assert ("sessionid", "duplicate", False) in rejections
    # A single copy of either is accepted.
    assert Client(HTTP_COOKIE=f"sessionid={b}").get("/rt/echo/").json()["session"] == {"visits": 1}


def test_other_names_containing_the_session_name_are_not_duplicates() -> None:
    a = signed_client().cookies["sessionid"].value
    client = Client(HTTP_COOKIE=f"old_sessionid=1; sessionid={a}; x=sessionid")
    assert client.get("/rt/echo/").json()["session"] == {"visits": 1}


GARBAGE = [
    "",
    "hs1.",
    "hs1....",
    "hs1.k1.0.AAAA.x",
    "hs1b.k1.0." + "A" * 43 + ".%%%",
    "hs1b.k1.0." + "A" * 43 + ".////",
    "hs1.sk-000000000000.99999999999999999999." + "A" * 43 + ".x",
    "hs1.\u00e9\u00e9.0." + "A" * 43 + ".x",
    "hs1.k1.-1." + "A" * 43 + ".x",
    '"quoted"',
    "\x00\x01",
    "a" * 5000,
]


@pytest.mark.parametrize("garbage", GARBAGE)
@pytest.mark.parametrize("name", ["sessionid", "messages", "remember", "csrftoken"])
def test_malformed_cookies_never_cause_a_500(name: str, garbage: str) -> None:
    client = Client(raise_request_exception=True)
    client.cookies[name] = garbage
    assert client.get("/rt/boom/").status_code == 200


@override_settings(HARDSESS={"KEYS": [key(K1, "primary"), key(K2, "retired")]})
def test_retired_key_is_named_as_such(rejections: Rejections) -> None:
    retired = load_keyring([key(K2, "primary")], "").primary
    client = Client()
    client.cookies["prefs"] = signing.sign(retired, "prefs", "x", 0)
    assert "prefs" not in client.get("/rt/echo/").json()["cookies"]
    assert rejections.reasons() == {"prefs": "retired_key"}


@pytest.mark.parametrize(
    "header",
    [
        "a,b=hs1.x.0.y.z",
        "we ird=hs1b.k1.0." + "A" * 43 + ".%%",
        "=hs1.k1",
        "\u00e9=hs1.k9.0." + "A" * 43 + ".x",
        "sessionid=hs1.; sessionid",
        "path=hs1.k1.0." + "A" * 43 + ".x",
        "Max-Age=hs1.x",
    ],
)
def test_odd_cookie_names_never_cause_a_500(header: str) -> None:
    client = Client(HTTP_COOKIE=header, raise_request_exception=True)
    assert client.get("/rt/boom/").status_code == 200


def test_wire_format_matches_its_specification() -> None:
    """docs/cookie-format.md, recomputed by hand with the standard library."""
    import base64
    import hashlib
    import hmac

    secret = K1["secret"]
    keyring = load_keyring([key(K1, "primary")], "")
    sub_key = hmac.new(
        secret.encode(), b"hardsess/v1/derive\x00cookie-signing", hashlib.sha256
    ).digest()
    # ASCII names under 128 bytes take the one-encode path; the others the general one.
    names = ["prefs", "p" * 127, "p" * 128, "p" * 300, "préfs", "\u00e9" * 64]
    for name in names:
        for value, tag, payload in [
            ("abc:def", "hs1", "abc:def"),
            ("a b", "hs1b", base64.urlsafe_b64encode(b"a b").rstrip(b"=").decode()),
        ]:
            wire = signing.sign(keyring.primary, name, value, 1800000000)
            name_bytes = name.encode()
            message = (
                f"{tag}\x00k1\x001800000000\x00".encode()
                + len(name_bytes).to_bytes(2, "big")
                + name_bytes
                + value.encode()
            )
            mac = base64.urlsafe_b64encode(hmac.new(sub_key, message, hashlib.sha256).digest())
            assert wire == f"{tag}.k1.1800000000.{mac.rstrip(b'=').decode()}.{payload}"
