"""Generations of a ``signed_cookies`` session: how a cycle ends the copies issued before it.

A server-side engine deletes the old key when the key is cycled: a copy of the old cookie finds
nothing. A cookie session has nothing on the server to delete, so with REVOCATION each cookie
session carries a random id and a generation (:data:`SID`, :data:`GENERATION`); a cycle first
raises the generation in the mark store, and a copy of a lower generation is refused
("superseded"). See docs/sessions.md, "Cycling on signed_cookies".
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore

from hardsess.lifecycle import clock, marks

if TYPE_CHECKING:
    from hardsess.lifecycle.options import LifecycleOptions

#: signed_cookies with REVOCATION: a random id of the session, kept across cycles...
SID: Final = "_hardsess_sid"
#: ...and how often it was cycled; a copy below the generation in the mark store is refused.
GENERATION: Final = "_hardsess_generation"


def tracks_generations(options: LifecycleOptions, session: SessionBase) -> bool:
    """Whether cycling this session must raise its generation: ``signed_cookies`` (nothing to
    delete on the server) with REVOCATION (a mark store to hold the generation)."""
    return options.revocation is not None and isinstance(session, CookieStore)


def new_lineage() -> dict[str, Any]:
    """The id and first generation of a cookie session that has none (login, first sight)."""
    return {SID: secrets.token_urlsafe(16), GENERATION: 0}


def _generation(data: Mapping[str, Any]) -> int | None:
    value = data.get(GENERATION)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def is_superseded(data: Mapping[str, Any], user_marks: marks.UserMarks) -> bool:
    """Whether a cookie session is a copy from before its latest cycle (or carries a
    generation it could not have been given)."""
    if user_marks.generation is None:
        return False
    generation = _generation(data)
    return generation is None or generation < user_marks.generation


def raise_generation(session: SessionBase, options: LifecycleOptions) -> None:
    """Before a cookie session is cycled: its copies of the current generation end."""
    if not tracks_generations(options, session):
        return
    if not isinstance(session.get(SID), str):
        # A session from before generations (or one that missed its stamps): it starts a
        # lineage here; copies made before cannot be told apart (docs/sessions.md).
        session.update(new_lineage())
    sid = str(session[SID])
    generation = (_generation(session) or 0) + 1
    store = marks.mark_store(options.revocation, options.revocation_cache)
    assert store is not None
    # Written before the new cookie exists: if the write fails, the request fails with it and
    # no new cookie is issued (Django does not save the session of a 5xx).
    store.set_generation(sid, generation, float(settings.SESSION_COOKIE_AGE), clock.now())
    session[GENERATION] = generation
