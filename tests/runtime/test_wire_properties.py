"""Properties of the wire format over arbitrary names and values (hypothesis)."""

from __future__ import annotations

import string
from http.cookies import SimpleCookie

from django.http.cookie import parse_cookie
from hypothesis import given, settings
from hypothesis import strategies as st

from hardsess.firewall import signing
from hardsess.keyring import load_keyring
from tests.runtime.conftest import K1, K2, flip_last, key

KEYRING = load_keyring([key(K1, "primary"), key(K2, "verify")], "")
RESERVED = {
    "expires",
    "path",
    "comment",
    "domain",
    "max-age",
    "secure",
    "httponly",
    "version",
    "samesite",
    "partitioned",
}  # attribute names SimpleCookie refuses as cookie names
NAMES = st.text(
    alphabet=string.ascii_letters + string.digits + "_-", min_size=1, max_size=20
).filter(lambda name: name.lower() not in RESERVED)
VALUES = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=200)
EXPIRIES = st.one_of(st.just(0), st.integers(min_value=1, max_value=10**11))


@settings(max_examples=300, deadline=None)
@given(name=NAMES, value=VALUES, expiry=EXPIRIES)
def test_round_trip_through_a_real_cookie_header(name: str, value: str, expiry: int) -> None:
    wire = signing.sign(KEYRING.primary, name, value, expiry)
    assert set(wire) <= signing.SAFE_CHARS
    jar: SimpleCookie = SimpleCookie()
    jar[name] = wire
    header = jar.output(header="").strip()
    assert '"' not in header  # never quoted
    received = parse_cookie(header)[name]
    result = signing.verify(KEYRING, name, received, 0)
    assert not isinstance(result, str)
    assert result.value == value
    assert result.expiry == expiry


@settings(max_examples=300, deadline=None)
@given(name=NAMES, value=VALUES, position=st.integers(min_value=0), char=st.characters())
def test_any_single_change_is_rejected(name: str, value: str, position: int, char: str) -> None:
    wire = signing.sign(KEYRING.primary, name, value, 0)
    index = position % len(wire)
    if wire[index] == char:
        return
    tampered = wire[:index] + char + wire[index + 1 :]
    assert isinstance(signing.verify(KEYRING, name, tampered, 0), str)


@settings(max_examples=300, deadline=None)
@given(name=NAMES, value=VALUES.filter(bool))
def test_an_edited_value_is_a_bad_signature(name: str, value: str) -> None:
    """Whatever the encoding (hs1 or hs1b), editing what a cookie carries breaks its MAC; this
    is also what the tamper tests' ``flip_last`` relies on."""
    wire = signing.sign(KEYRING.primary, name, value, 0)
    assert signing.verify(KEYRING, name, flip_last(wire), 0) == signing.BAD_SIGNATURE
