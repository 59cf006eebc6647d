"""Signing keys with ids and states, loaded and validated from settings.

A key has an id (sent on the wire so the verifier finds it in O(1)), a secret (never logged,
never printed except by ``manage.py hardsess keys generate``) and a state:

* ``primary``: signs and verifies; exactly one key is primary;
* ``verify``: verifies, never signs (a staged or an outgoing key during rotation);
* ``retired``: never accepted, kept so that a rejection can say "retired" instead of "unknown".

The keyring comes from ``HARDSESS["KEYS"]``; when that is absent it is derived from SECRET_KEY
(primary) and SECRET_KEY_FALLBACKS (verify), with ids derived from a hash of each secret.

Secrets are never used directly as MAC keys: each key derives one sub-key per purpose
(HMAC-SHA256 of a fixed label), once, when the keyring is built.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.utils.encoding import force_bytes

from hardsess.policy import secret_key_weakness

logger = logging.getLogger("hardsess")

PRIMARY = "primary"
VERIFY = "verify"
RETIRED = "retired"
STATES = (PRIMARY, VERIFY, RETIRED)

#: Key ids travel inside cookie values: letters, digits, ``_`` and ``-`` only (no ``.``, the
#: wire format's separator), at most 32 characters.
KEY_ID_RE = re.compile(r"[A-Za-z0-9_-]{1,32}")
#: Fields a key entry may carry. ``created`` (ISO 8601 date) orders keys for rotation stages.
KEY_FIELDS = frozenset({"id", "secret", "state", "created"})

#: The purpose label of the cookie-signing sub-key.
PURPOSE_COOKIE = "cookie-signing"

SETTING = "HARDSESS['KEYS']"


@lru_cache(maxsize=512)
def derive_key(secret: bytes, purpose: str) -> bytes:
    """The sub-key of ``secret`` for ``purpose``: HMAC-SHA256(secret, label).

    Cached: a keyring rebuilt after ``override_settings`` does not derive again.
    """
    label = b"hardsess/v1/derive\x00" + purpose.encode("ascii")
    return hmac.new(secret, label, hashlib.sha256).digest()


def derived_key_id(secret: str | bytes) -> str:
    """A stable id for a secret taken from SECRET_KEY / SECRET_KEY_FALLBACKS.

    A truncated hash of a domain-separated hash: it identifies the secret without revealing it.
    """
    digest = hashlib.sha256(b"hardsess/v1/key-id\x00" + force_bytes(secret)).hexdigest()
    return "sk-" + digest[:12]


class PrecomputedHmac:
    """HMAC-SHA256 under one key, with the key schedule done once.

    The standard library's HMAC object is built once per key; each MAC copies it (the inner
    and outer pads are already absorbed) instead of re-deriving the pads on every call.
    """

    __slots__ = ("copy",)

    def __init__(self, key: bytes) -> None:
        template = hmac.new(key, digestmod="sha256")
        # CPython's hmac.HMAC wraps OpenSSL's HMAC object (``_hmac``) when it can. That object
        # has the same copy/update/digest interface; copying it directly saves the wrapper's
        # four Python-level calls per MAC, a measurable share of a request. The wrapper itself
        # is the fallback, so an interpreter without it computes the same MAC, a little slower.
        inner = getattr(template, "_hmac", None)
        #: A fresh HMAC object with the key schedule done; the hot path (cookie_signing._mac)
        #: calls it directly, one Python frame fewer per MAC than ``digest``.
        self.copy: Callable[[], Any] = (inner or template).copy

    def digest(self, message: bytes) -> bytes:
        mac = self.copy()
        mac.update(message)
        digest: bytes = mac.digest()
        return digest


@dataclass(frozen=True, slots=True)
class Key:
    """One key of the keyring. The secret itself is not kept, only its derived sub-key."""

    id: str
    state: str
    #: Where the key came from: ``HARDSESS['KEYS'][i]``, ``SECRET_KEY`` or a fallback.
    source: str
    #: HMAC-SHA256 under the cookie-signing sub-key (derived once; the secret is not kept).
    cookie_mac: PrecomputedHmac = field(repr=False, compare=False)
    created: str | None = None

    @property
    def is_primary(self) -> bool:
        return self.state == PRIMARY


class Keyring:
    """An immutable set of keys: one primary, looked up by id in a dict."""

    __slots__ = ("by_id", "derived", "keys", "primary")

    def __init__(self, keys: Sequence[Key], *, derived: bool) -> None:
        primaries = [k for k in keys if k.state == PRIMARY]
        if len(primaries) != 1:
            raise ImproperlyConfigured(f"{SETTING}: exactly one key must be primary")
        self.keys: tuple[Key, ...] = tuple(keys)
        self.primary: Key = primaries[0]
        self.by_id: dict[str, Key] = {k.id: k for k in keys}
        #: True when the keyring comes from SECRET_KEY / SECRET_KEY_FALLBACKS.
        self.derived = derived

    def get(self, key_id: str) -> Key | None:
        """The key with this id, whatever its state, or None."""
        return self.by_id.get(key_id)

    def __repr__(self) -> str:
        states = ", ".join(f"{k.id}:{k.state}" for k in self.keys)
        return f"<Keyring {states}>"


def _make_key(
    secret: str | bytes, key_id: str, state: str, source: str, created: str | None
) -> Key:
    sub_key = derive_key(force_bytes(secret), PURPOSE_COOKIE)
    return Key(
        id=key_id,
        state=state,
        source=source,
        created=created,
        cookie_mac=PrecomputedHmac(sub_key),
    )


def validate_keyring(raw: object) -> list[str]:
    """Every problem with a ``HARDSESS["KEYS"]`` value, as sentences; empty when it is valid.

    ``None`` (the setting is absent) is valid: the keyring is then derived from SECRET_KEY.
    Messages name the entry and the field, never a secret. The system checks call this.
    """
    if raw is None:
        return []
    if isinstance(raw, (str, bytes)):
        return [f"{SETTING} must be a list of keys, not a string"]
    if not isinstance(raw, (list, tuple)):
        return [f"{SETTING} must be a list of keys, not {type(raw).__name__}"]
    if not raw:
        return [f"{SETTING} is empty: exactly one key must be primary"]
    problems: list[str] = []
    ids: dict[str, int] = {}
    secrets: dict[str, int] = {}
    primaries = 0
    for index, entry in enumerate(raw):
        where = f"{SETTING}[{index}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{where} must be a dict with 'id', 'secret' and 'state'")
            continue
        unknown = sorted(str(k) for k in entry if k not in KEY_FIELDS)
        if unknown:
            problems.append(f"{where} has unknown field(s): {', '.join(unknown)}")
        key_id = entry.get("id")
        if not isinstance(key_id, str) or not KEY_ID_RE.fullmatch(key_id):
            problems.append(
                f"{where}: 'id' must be 1 to 32 characters of letters, digits, '_' or '-'"
            )
        else:
            where = f"{where} (id {key_id!r})"
            if key_id in ids:
                problems.append(f"{where}: id is also used by {SETTING}[{ids[key_id]}]")
            ids.setdefault(key_id, index)
        secret = entry.get("secret")
        if not isinstance(secret, str):
            problems.append(f"{where}: 'secret' must be a string")
        else:
            # The SECRET_KEY rule (HS132), not a rule of its own: a key signs the same cookies
            # SECRET_KEY would, so a secret Django's checks call weak is weak here too.
            weakness = secret_key_weakness(secret)
            if weakness:
                problems.append(f"{where}: 'secret' is weak: {weakness}")
            if secret in secrets:
                problems.append(f"{where}: same secret as {SETTING}[{secrets[secret]}]")
            secrets.setdefault(secret, index)
        state = entry.get("state")
        if state not in STATES:
            problems.append(f"{where}: 'state' must be one of {', '.join(STATES)}")
        elif state == PRIMARY:
            primaries += 1
        created = entry.get("created")
        if created is not None and not isinstance(created, str):
            problems.append(f"{where}: 'created' must be an ISO 8601 date string")
    if primaries != 1:
        problems.append(f"{SETTING} has {primaries} primary keys; exactly one is required")
    return problems


def load_keyring(
    raw: object, secret_key: str | bytes, fallbacks: Sequence[str | bytes] = ()
) -> Keyring:
    """Build the keyring from ``HARDSESS["KEYS"]`` (``raw``) or, if None, from SECRET_KEY.

    Raises ImproperlyConfigured naming every problem (see :func:`validate_keyring`).
    """
    if raw is None:
        if not secret_key:
            raise ImproperlyConfigured("hardsess needs HARDSESS['KEYS'] or a SECRET_KEY")
        keys = [_make_key(secret_key, derived_key_id(secret_key), PRIMARY, "SECRET_KEY", None)]
        seen = {keys[0].id}
        for index, old in enumerate(fallbacks):
            key_id = derived_key_id(old)
            if key_id in seen:  # the same secret listed twice adds nothing
                continue
            seen.add(key_id)
            keys.append(_make_key(old, key_id, VERIFY, f"SECRET_KEY_FALLBACKS[{index}]", None))
        return Keyring(keys, derived=True)
    problems = validate_keyring(raw)
    if problems:
        raise ImproperlyConfigured("; ".join(problems))
    assert isinstance(raw, (list, tuple))
    keys = [
        _make_key(
            entry["secret"],
            entry["id"],
            entry["state"],
            f"{SETTING}[{index}]",
            entry.get("created"),
        )
        for index, entry in enumerate(raw)
    ]
    return Keyring(keys, derived=False)


class _OldKeyCounter:
    """Counts verifications by a non-primary key in this process (stage 3 "soak")."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, int] = {}

    def record(self, key_id: str, cookie_name: str) -> None:
        with self._lock:
            self._counts[key_id] = self._counts.get(key_id, 0) + 1
        # INFO so that fleet-wide log search can tell when old keys stop being seen.
        logger.info(
            "hardsess: cookie %s verified by non-primary key %s; re-issued with the primary key",
            cookie_name,
            key_id,
        )

    def snapshot(self) -> dict[str, int]:
        with self._lock:
            return dict(self._counts)

    def clear(self) -> None:
        with self._lock:
            self._counts.clear()


#: The process-wide old-key counter; ``hardsess keys status`` prints :func:`old_key_counts`.
old_key_counter = _OldKeyCounter()


def old_key_counts() -> dict[str, int]:
    """Verifications by each non-primary key id since this process started."""
    return old_key_counter.snapshot()
