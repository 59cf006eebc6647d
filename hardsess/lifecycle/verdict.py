"""Whether a session must end now: its timeouts, its user's revocation mark, its generation.

One judgment for every protocol: :class:`~hardsess.lifecycle.middleware.SessionLifecycleMiddleware`
judges each HTTP request with it, and :mod:`hardsess.asgi` judges a WebSocket's session at the
handshake and again while the socket is open. Reads the mark store (one lookup) and nothing
else; writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase

from hardsess.lifecycle import marks
from hardsess.lifecycle.generations import SID, is_superseded, tracks_generations
from hardsess.lifecycle.options import LifecycleOptions
from hardsess.lifecycle.stamps import ISSUED, end_reason


@dataclass(frozen=True, slots=True)
class Verdict:
    """What :func:`judge` found."""

    #: Why the session ends ("idle", "absolute", "revoked", "superseded"), or None: it lives.
    reason: str | None
    #: The user's marks, when they were looked up (the privilege hash reuses them).
    user_marks: marks.UserMarks | None
    #: The generation id of a cookie session whose generations are tracked, if it has one.
    sid: str | None
    #: Whether this session's generations are tracked (signed_cookies with REVOCATION).
    tracked: bool


def judge(
    session: SessionBase,
    data: Mapping[str, Any],
    options: LifecycleOptions,
    now: float,
    signed: float | None,
) -> Verdict:
    """Judge the loaded ``session`` (``data``: its items, not empty) at ``now``.

    ``signed``: when Django signed a ``signed_cookies`` session
    (:func:`hardsess.lifecycle.stamps.signed_at`), from which missing stamps count.
    """
    reason = end_reason(data, options, now, signed)
    tracked = tracks_generations(options, session)
    sid = data.get(SID) if tracked else None
    sid = sid if isinstance(sid, str) else None
    user_key = (
        str(data[SESSION_KEY]) if options.revocation is not None and SESSION_KEY in data else None
    )
    user_marks: marks.UserMarks | None = None
    if reason is None and (user_key is not None or sid is not None):
        # One lookup serves revocation, the generation of a cookie session and, through
        # its "groups changed" time, the privilege hash.
        store = marks.mark_store(options.revocation, options.revocation_cache)
        assert store is not None
        user_marks = store.lookup(user_key, sid)
        issued = data.get(ISSUED)
        issued_at = issued if isinstance(issued, (int, float)) else None
        if user_key is not None and marks.is_revoked(issued_at, user_marks.valid_after):
            reason = "revoked"
        elif sid is not None and is_superseded(data, user_marks):
            reason = "superseded"
    return Verdict(reason, user_marks, sid, tracked)
