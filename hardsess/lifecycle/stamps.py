"""The clock stamps a session carries, and what they decide: expiry, and which stamps are due.

The stamps live in the session itself, under keys that start with ``_hardsess_`` (seconds since
the epoch), so every session engine works the same way. Everything here is a pure function of
the session's data, the options and ``now``: the middleware reads the time once, at the start
of the request, and passes it in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.core import signing

if TYPE_CHECKING:
    from hardsess.lifecycle.options import LifecycleOptions

#: Seconds since the epoch when the session started, or when a user last logged in to it.
CREATED: Final = "_hardsess_created"
#: Request-start time of the latest request that wrote the activity stamp.
LAST_ACTIVITY: Final = "_hardsess_last_activity"
#: When the session key was last cycled (or first seen, if it never was).
CYCLED: Final = "_hardsess_cycled"
#: When the session was bound to its user (login); compared with the user's revocation mark.
ISSUED: Final = "_hardsess_issued"
#: A keyed hash of the user's privileges (is_staff, is_superuser, groups) when last seen.
PRIVILEGE: Final = "_hardsess_privilege"


def _age(data: Mapping[str, Any], key: str, now: float) -> float | None:
    stamp = data.get(key)
    if isinstance(stamp, bool) or not isinstance(stamp, (int, float)):
        return None
    return now - stamp


def stamp_age(
    data: Mapping[str, Any], key: str, now: float, signed_at: float | None
) -> float | None:
    """The age of a clock stamp; a missing (or malformed) one counts from ``signed_at``.

    What a missing stamp means depends on where the session lives. A server-side session has one
    copy: hardsess writes the stamp into it at first sight, and the clock starts there for
    every holder of the key (``signed_at`` None: no age yet). Every copy of a ``signed_cookies``
    session is the session, and a stamp written into the re-issued cookie does not reach the
    copy an attacker kept: so the clock starts at what the copy itself proves, the time Django
    signed it (``signed_at``), which no replay can move.
    """
    age = _age(data, key, now)
    if age is None and signed_at is not None:
        return now - signed_at
    return age


def signed_at(session: SessionBase) -> float | None:
    """When Django signed this ``signed_cookies`` session (TimestampSigner seconds); None for
    another engine or a cookie without a timestamp.

    Read from the cookie value the session was loaded from: call it once the session has loaded
    (``load()`` has then verified the signature over the timestamp, and its age).
    """
    if not isinstance(session, CookieStore):
        return None
    known = getattr(session, "hardsess_signed_at", None)  # hardsess.backends.signed_cookies
    if known is not None:
        return float(known)
    value = session.session_key
    parts = value.rsplit(":", 2) if value else []
    if len(parts) != 3:
        return None
    try:
        return float(signing.b62_decode(parts[1]))
    except ValueError:
        return None


def end_reason(
    data: Mapping[str, Any], options: LifecycleOptions, now: float, signed: float | None = None
) -> str | None:
    """Why the session ``data`` must end at ``now`` ("idle" / "absolute"), or None.

    The boundary is inclusive: a session idle for exactly IDLE_TIMEOUT seconds has expired, one
    second less is alive. Revocation is judged separately (it needs the mark store). ``signed``:
    the signature time of a cookie session, from which a missing stamp counts (stamp_age).
    """
    if options.absolute_timeout is not None:
        age = stamp_age(data, CREATED, now, signed)
        if age is not None and age >= options.absolute_timeout:
            return "absolute"
    if options.idle_timeout is not None:
        idle = stamp_age(data, LAST_ACTIVITY, now, signed)
        if idle is not None and idle >= options.idle_timeout:
            return "idle"
    return None


def due_stamps(
    data: Mapping[str, Any],
    options: LifecycleOptions,
    now: float,
    *,
    writing: bool,
    signed: float | None = None,
) -> dict[str, Any]:
    """The bookkeeping stamps to write into ``data`` now (``writing``: the session is saved
    anyway, so refreshing the activity stamp is free). A missing or malformed start or cycle
    stamp is written as ``signed`` (a cookie session's signature time) when known, else now:
    re-issuing a cookie must not restart a clock its older copies still run on."""
    stamps: dict[str, Any] = {}
    start = int(signed if signed is not None else now)
    if options.absolute_timeout is not None and _age(data, CREATED, now) is None:
        stamps[CREATED] = start
    if options.idle_timeout is not None:
        idle = _age(data, LAST_ACTIVITY, now)
        if writing or idle is None or idle >= options.activity_write_interval:
            stamps[LAST_ACTIVITY] = int(now)
    if options.cycle_key_every is not None and _age(data, CYCLED, now) is None:
        stamps[CYCLED] = start
    if options.revocation is not None and SESSION_KEY in data and ISSUED not in data:
        stamps[ISSUED] = now
    return stamps
