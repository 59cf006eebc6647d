"""A ``signed_cookies`` session engine signed once, with the firewall's keyring and wire format.

``SESSION_ENGINE = "hardsess.backends.signed_cookies"``. The whole session lives in the cookie,
as with Django's engine, but the cookie value is the firewall's signed wire format
(docs/cookie-format.md) over the session cookie's name::

    hs1.<key id>.<expiry>.<mac>.<signed-at>:<data>

``<signed-at>`` is the base62 Unix time the session was serialised (Django's TimestampSigner
field: the session is void SESSION_COOKIE_AGE after it, as under Django's engine, and the
lifecycle counts a missing stamp from it); ``<data>`` is Django's own
``signing.dumps`` payload without its signature (base64url of the serialised session,
zlib-compressed when that is shorter, then prefixed by ``.``).

One MAC per direction, instead of Django's salted HMAC plus the firewall's:

* **in**: the firewall verifies the cookie as it verifies every signed cookie and hands the
  session middleware the payload as a :class:`VerifiedPayload` (a ``str`` subclass no client can
  produce). Without the firewall (or in report-only mode, where it passes values on unverified),
  the engine receives the wire value and verifies it itself, with the same keyring.
* **out**: the engine signs with the primary key; the firewall sees the value it signed
  (``request.session.hardsess_wire``) and does not sign it again. Flags, size and lifetime
  rules apply as to any cookie.

Rotation is the keyring's: a session signed by a ``verify`` key is accepted and re-issued under
the primary key (by the firewall's re-issue, or by the engine when it runs alone); a
``retired`` or unknown key voids it.

**Migration from Django's engine**: a cookie in Django's ``signed_cookies`` format (salted
TimestampSigner over SECRET_KEY / SECRET_KEY_FALLBACKS) is still read, within Django's own
bound (SESSION_COOKIE_AGE from its signing), until ``HARDSESS["DJANGO_SESSIONS_UNTIL"]``
(an ISO 8601 date or datetime, UTC; ``False``: never read them). A session read that way is
re-issued in the new format on the same response. Both earlier forms are read: Django's value
as Django's engine sent it (the firewall passes an unsigned value of this engine's cookie on
for the engine to judge, see :mod:`hardsess.firewall.incoming`), and Django's value wrapped in
the firewall's signature (a site that ran Django's engine behind the firewall).
"""

from __future__ import annotations

import base64
import time
import zlib
from datetime import datetime, timezone
from typing import Any

from django.contrib.sessions.backends import signed_cookies as django_engine
from django.core import signing as django_signing
from django.core.exceptions import ImproperlyConfigured

from hardsess import conf
from hardsess.firewall import signing
from hardsess.firewall.snapshot import current_snapshot

__all__ = ["ENGINE", "SALT", "SessionStore", "VerifiedPayload", "legacy_window_end"]

#: The dotted path to put in SESSION_ENGINE.
ENGINE = "hardsess.backends.signed_cookies"
#: Django's salt for its signed_cookies engine (read during the migration window only).
SALT = "django.contrib.sessions.backends.signed_cookies"
#: A serialised session larger than this once decompressed is refused: the cookie itself is at
#: most 4096 bytes, but zlib expands it up to about 1000 times.
MAX_DECOMPRESSED = 256 * 1024


class VerifiedPayload(str):
    """The payload of this engine's session cookie, verified by the firewall in this request.

    Only the firewall builds one (:mod:`hardsess.firewall.incoming`), right after the MAC
    check; nothing a client sends can become one. ``verified`` is that check's result.
    """

    verified: signing.Verified


def legacy_window_end() -> float | None:
    """The Unix time after which Django-signed sessions are no longer read; None: no end;
    ``-inf`` when ``DJANGO_SESSIONS_UNTIL`` is False (never read them).

    Raises ImproperlyConfigured for a value that is not None, False, or an ISO 8601 date or
    datetime (hardsess.E180 reports it at start-up).
    """
    value = conf.hardsess_settings().get("DJANGO_SESSIONS_UNTIL")
    if value is None:
        return None
    if value is False:
        return float("-inf")
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            pass
        else:
            if len(value) == 10:  # a date: through the end of that day, UTC
                moment = moment.replace(hour=23, minute=59, second=59)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=timezone.utc)
            return moment.timestamp()
    raise ImproperlyConfigured(
        f"HARDSESS['DJANGO_SESSIONS_UNTIL'] must be None, False or an ISO 8601 date, not {value!r}"
    )


def _encode(data: bytes) -> str:
    """Django's signing.dumps payload without the signature (compress when shorter)."""
    compressed = zlib.compress(data)
    is_compressed = len(compressed) < len(data) - 1
    if is_compressed:
        data = compressed
    text = base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")
    return "." + text if is_compressed else text


def _decode(text: str) -> bytes:
    """The inverse of :func:`_encode`, bounded; raises ValueError on anything malformed."""
    compressed = text[:1] == "."
    if compressed:
        text = text[1:]
    raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    if not compressed:
        return raw
    inflater = zlib.decompressobj()
    data = inflater.decompress(raw, MAX_DECOMPRESSED)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("session payload too large once decompressed")
    return data


class SessionStore(django_engine.SessionStore):
    """Django's ``signed_cookies`` store with the firewall's signature instead of Django's.

    A subclass of Django's, so that everything hardsess and Django know about cookie sessions
    (no server copy, logout marks, generations) holds for it.
    """

    #: The wire value this store signed in this request (the firewall does not sign it again).
    hardsess_wire: str | None = None
    #: When the loaded session was serialised (its ``<signed-at>``, or Django's timestamp).
    hardsess_signed_at: float | None = None

    def load(self) -> dict[str, Any]:
        key = self.session_key
        try:
            data = self._load(key) if key else None
        except Exception:
            data = None
        if data is None:
            self.create()
            return {}
        return data

    def _load(self, key: str) -> dict[str, Any] | None:
        now = time.time()
        if type(key) is VerifiedPayload:  # the firewall checked the MAC: no settings needed
            verified: signing.Verified = key.verified
        elif key.startswith(signing.SIGNED_PREFIXES):
            snapshot = current_snapshot()
            name = snapshot.session_cookie_name
            result = signing.verify(snapshot.keyring, name, key, int(now))
            if isinstance(result, str):
                return None
            verified = result
            if verified.key is not snapshot.keyring.primary:
                self.modified = True  # re-issued under the primary key
        else:
            return self._load_django_signed(key, now)
        value = verified.value
        if value.count(":") == 2:
            # Django's engine's value, signed again by the firewall (the site ran Django's
            # engine behind hardsess): Django's signature still decides.
            return self._load_django_signed(value, now)
        signed_at_text, sep, payload = value.partition(":")
        if not sep:
            return None
        signed_at = django_signing.b62_decode(signed_at_text)
        if now - signed_at > self.get_session_cookie_age():
            return None
        data: dict[str, Any] = self.serializer().loads(_decode(payload))
        if not isinstance(data, dict):
            return None
        self.hardsess_signed_at = float(signed_at)
        return data

    def _load_django_signed(self, key: str, now: float) -> dict[str, Any] | None:
        """A session Django's engine signed: read during the migration window, re-issued."""
        end = legacy_window_end()
        if end is not None and now > end:
            return None
        data: dict[str, Any] = django_signing.loads(
            key,
            serializer=self.serializer,
            max_age=self.get_session_cookie_age(),
            salt=SALT,
        )
        parts = key.rsplit(":", 2)
        self.hardsess_signed_at = float(django_signing.b62_decode(parts[1]))
        self.modified = True  # re-issued in the new format on this response
        return data

    def _get_session_key(self) -> str:
        snapshot = current_snapshot()
        now = int(time.time())
        data = self._session  # type: ignore[attr-defined]
        payload = _encode(self.serializer().dumps(data))
        value = f"{django_signing.b62_encode(now)}:{payload}"
        if self.get_expire_at_browser_close():
            expiry = 0
        else:
            wanted = snapshot.requirements.for_name(snapshot.session_cookie_name)
            expiry = now + min(self.get_expiry_age(), wanted.max_age)
        wire = signing.sign(snapshot.keyring.primary, snapshot.session_cookie_name, value, expiry)
        self.hardsess_wire = wire
        self.hardsess_signed_at = float(now)
        return wire
