"""The signed cookie wire format (version 1); docs/cookie-format.md is its specification.

A signed value is five fields joined by ``.``::

    hs1.<key id>.<expiry>.<mac>.<payload>      payload = the original value, unchanged
    hs1b.<key id>.<expiry>.<mac>.<payload>     payload = base64url(UTF-8 of the original value)

* ``hs1`` is used when every character of the value is one that Python's SimpleCookie (and
  so Django) sends unquoted; otherwise ``hs1b``, so that a signed value always stays within
  RFC 6265 cookie-octets and is never quoted.
* ``expiry`` is the Unix time in seconds after which the cookie is void, or ``0`` for a
  browser-session cookie (no Max-Age / Expires).
* ``mac`` is unpadded base64url of HMAC-SHA256, keyed by the key's cookie-signing sub-key, over
  ``tag NUL key-id NUL expiry NUL len(name) name value`` (name length as 2 big-endian bytes):
  binding the name stops a value being replayed under another cookie name, binding the expiry
  stops a cookie outliving its Max-Age, binding the tag and key id stops a downgrade.
"""

from __future__ import annotations

import binascii
import hmac
import string
from typing import NamedTuple

from hardsess.keyring import Key, Keyring

TAG_RAW = "hs1"
TAG_B64 = "hs1b"
#: Characters SimpleCookie leaves unquoted (http.cookies._LegalChars); all are cookie-octets.
SAFE_CHARS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-.^_`|~:")
_URLSAFE = bytes.maketrans(b"+/", b"-_")
_STANDARD = bytes.maketrans(b"-_", b"+/")
#: The longest name the MAC can bind: its length is written in 2 bytes. No browser stores a
#: cookie whose name alone is over 4096 bytes, so a longer name is refused before that.
MAX_NAME_CHARACTERS = 4096

# Reasons a cookie is rejected; they appear in logs and in the cookie_rejected signal.
UNSIGNED = "unsigned"
#: Unsigned, and no entry of the policy names it: set by JavaScript or another service.
FOREIGN = "foreign"
MALFORMED = "malformed"
UNKNOWN_KEY = "unknown_key"
RETIRED_KEY = "retired_key"
BAD_SIGNATURE = "bad_signature"
EXPIRED = "expired"
DUPLICATE = "duplicate"
#: The name reached the view only because Django strips characters a browser keeps in it.
DISGUISED = "disguised"


class Verified(NamedTuple):
    """A cookie that passed verification: its original value and what signed it.

    A NamedTuple rather than a frozen dataclass: built once per incoming cookie, on the hot path.
    """

    value: str
    key: Key
    #: Unix time after which it is void, 0 for a browser-session cookie.
    expiry: int


#: Builds a Verified in one C call: NamedTuple's generated ``__new__`` is a Python function, a
#: measurable cost on a path taken for every signed cookie of every request.
_verified = tuple.__new__


def _mac(key: Key, tag: str, name: str, expiry: str, value: str) -> str:
    if len(name) < 128 and name.isascii():
        # The common case in one encode: the 2-byte length of an ASCII name under 128 bytes is
        # "\x00" followed by chr(length), each of which UTF-8 encodes as the one byte it stands for.
        message = f"{tag}\x00{key.id}\x00{expiry}\x00\x00{chr(len(name))}{name}{value}".encode(
            "utf-8", "surrogatepass"
        )
    else:
        name_bytes = name.encode("utf-8", "surrogatepass")
        message = (
            f"{tag}\x00{key.id}\x00{expiry}\x00".encode("ascii")
            + len(name_bytes).to_bytes(2, "big")
            + name_bytes
            + value.encode("utf-8", "surrogatepass")
        )
    mac = key.cookie_mac.copy()
    mac.update(message)
    digest = mac.digest()
    # 32 bytes -> 44 base64 characters ending in one "="; 43 once it is stripped.
    return binascii.b2a_base64(digest, newline=False)[:43].translate(_URLSAFE).decode("ascii")


#: What every signed value starts with (``str.startswith`` takes the tuple).
SIGNED_PREFIXES = (TAG_RAW + ".", TAG_B64 + ".")


def looks_signed(value: str) -> bool:
    """Cheap test: does this value carry the hardsess prefix?"""
    return value.startswith(SIGNED_PREFIXES)


def sign(key: Key, name: str, value: str, expiry: int) -> str:
    """The signed wire value of cookie ``name`` = ``value``, void after ``expiry`` (0: never).

    Raises ValueError for a name over MAX_NAME_CHARACTERS (the firewall refuses such a cookie
    before it would sign it: no browser keeps it).
    """
    if len(name) > MAX_NAME_CHARACTERS:
        raise ValueError(f"cookie name of {len(name)} characters: cannot be signed")
    expiry_text = str(int(expiry))
    if SAFE_CHARS.issuperset(value):
        tag, payload = TAG_RAW, value
    else:
        tag = TAG_B64
        encoded = binascii.b2a_base64(value.encode("utf-8", "surrogatepass"), newline=False)
        payload = encoded.translate(_URLSAFE).rstrip(b"=").decode("ascii")
    mac = _mac(key, tag, name, expiry_text, value)
    return f"{tag}.{key.id}.{expiry_text}.{mac}.{payload}"


def verify(keyring: Keyring, name: str, signed: str, now: int) -> Verified | str:
    """Verify a received cookie: its original value, or the reason it is rejected.

    The key is found by id (one dict lookup, no trial of every key); the MAC is compared with
    :func:`hmac.compare_digest`. Every call checks the MAC: no verification result is
    remembered, so nothing but the constant-time comparison ever decides. Never raises on
    malformed input, whatever its size or content.
    """
    if len(name) > MAX_NAME_CHARACTERS:
        # At most 4 UTF-8 bytes a character: every shorter name fits the MAC's 2-byte length.
        return MALFORMED
    parts = signed.split(".", 4)
    if len(parts) != 5 or parts[0] not in (TAG_RAW, TAG_B64):
        return MALFORMED if signed.startswith(SIGNED_PREFIXES) else UNSIGNED
    tag, key_id, expiry_text, given_mac, payload = parts
    # Shape checks with str methods (cheaper than regexes on the hot path): an ASCII MAC of the
    # right length (compare_digest needs ASCII), a canonical decimal expiry of <= 12 digits.
    if (
        len(given_mac) != 43
        or not given_mac.isascii()
        or not expiry_text.isascii()
        or not expiry_text.isdigit()
        or len(expiry_text) > 12
        or (expiry_text[0] == "0" and expiry_text != "0")
    ):
        return MALFORMED
    key = keyring.by_id.get(key_id)
    if key is None:
        return UNKNOWN_KEY
    if key.state == "retired":
        return RETIRED_KEY
    if tag == TAG_RAW:
        value = payload
    else:
        # binascii directly (the base64 module's wrappers cost more than the decoding). The
        # decoder skips characters outside its alphabet, so the strict check is the one below.
        try:
            data = payload.encode("ascii")
            raw = binascii.a2b_base64(data.translate(_STANDARD) + b"=" * (-len(data) % 4))
            value = raw.decode("utf-8")
        except (binascii.Error, UnicodeError, ValueError):
            return MALFORMED
        # Canonical base64url only: re-encoding must give the payload back, which refuses any
        # character outside the alphabet (skipped by the decoder), "+" or "/", padding, and
        # stray padding bits. One value, one wire form.
        if binascii.b2a_base64(raw, newline=False).translate(_URLSAFE).rstrip(b"=") != data:
            return MALFORMED
    if not hmac.compare_digest(_mac(key, tag, name, expiry_text, value), given_mac):
        return BAD_SIGNATURE
    expiry = int(expiry_text)
    if expiry and now > expiry:
        return EXPIRED
    return _verified(Verified, (value, key, expiry))
