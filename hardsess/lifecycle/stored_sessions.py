"""Finding and ending the stored sessions of one user, for "log out everywhere".

Two ways, by configuration:

* **The index** (``REVOCATION = "db"`` and an engine that keeps sessions on the server): a
  SessionRecord row per session key of a user, written at login, moved when hardsess cycles the
  key, removed at logout or when hardsess ends the session. Constant in the number of other
  users' sessions, and it reaches the ``cache`` engine, which cannot be listed otherwise.
* **A scan** where the engine can list its sessions: ``db`` and ``cached_db`` (the session
  table, decoding each live row), ``file`` (SESSION_FILE_PATH). Both read every live session:
  linear in the number of sessions, meant for an admin action, not for a request path.

A session neither finds is refused all the same by the user's mark (hardsess.lifecycle.marks).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.base import SessionBase
from django.contrib.sessions.backends.db import SessionStore as DbStore
from django.contrib.sessions.backends.file import SessionStore as FileStore
from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore
from django.utils import timezone


def can_enumerate(store_class: type[SessionBase]) -> bool:
    """Whether :func:`end_stored_sessions` can find this engine's sessions of a user."""
    return issubclass(store_class, (DbStore, FileStore))


def end_stored_sessions(store_class: type[SessionBase], user_key: str, *, dry_run: bool) -> int:
    """Delete every stored session of ``user_key``; return how many (would have been) deleted.

    ``db`` / ``cached_db`` (and subclasses with a custom model): the live rows are decoded one by
    one (the table has no user column). ``cached_db`` deletes through the store, so its cache
    entry goes too. ``file``: every file with the cookie-name prefix in the storage path is read.
    ``cache`` and ``signed_cookies``: nothing can be listed; 0 (the mark does that work).
    """
    ended = 0
    for session_key, data in _stored_sessions(store_class):
        if data.get(SESSION_KEY) != user_key:
            continue
        ended += 1
        if not dry_run:
            store_class(session_key).delete(session_key)
    return ended


def _stored_sessions(store_class: type[SessionBase]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(session key, decoded data) of every live stored session; nothing for unlistable ones."""
    if issubclass(store_class, DbStore):
        model = store_class.get_model_class()
        decoder = store_class()
        rows = model.objects.filter(expire_date__gt=timezone.now()).values_list(
            "session_key", "session_data"
        )
        for session_key, session_data in rows.iterator(chunk_size=500):
            # The engine's own decode(): signature checked, serializer honoured; a row that
            # does not decode comes back empty and matches no user.
            yield session_key, decoder.decode(session_data)
    elif issubclass(store_class, FileStore):
        path = store_class._get_storage_path()  # type: ignore[attr-defined]
        prefix = settings.SESSION_COOKIE_NAME
        for name in os.listdir(path):
            session_key = name.removeprefix(prefix)
            if not name.startswith(prefix) or "_out_" in session_key or len(session_key) < 8:
                continue  # not a session file, or a half-written temporary one
            # load() is the engine's own: it drops an expired file and returns {} for it.
            yield session_key, store_class(session_key).load()


# -- the per-user index of session keys (REVOCATION = "db", server-side engines) -----------


def index_kept(backend: str | None, store_class: type[SessionBase]) -> bool:
    """Whether hardsess keeps SessionRecord rows for this configuration.

    Only with ``REVOCATION = "db"`` (the index is a table, and a site that chose the cache for
    its marks did not ask for database writes at login) and only for engines that keep the
    session on the server: a ``signed_cookies`` session has nothing to delete.
    """
    return backend == "db" and not issubclass(store_class, CookieStore)


def record_session(user_key: str, session_key: str, now: float, horizon: float) -> None:
    """Index a session just bound to its user (login); prune that user's rows older than
    ``horizon`` seconds (sessions that expired without a logout)."""
    from hardsess.models import SessionRecord

    SessionRecord.objects.filter(user_key=user_key, created__lt=now - horizon).delete()
    SessionRecord.objects.get_or_create(
        user_key=user_key, session_key=session_key, defaults={"created": now}
    )


def move_session(old_key: str, new_key: str) -> None:
    """The session's key was cycled: its row follows (nothing happens for an unindexed one)."""
    from hardsess.models import SessionRecord

    SessionRecord.objects.filter(session_key=old_key).update(session_key=new_key)


def forget_session(session_key: str) -> None:
    """The session ended (logout, expiry, refusal): drop its row."""
    from hardsess.models import SessionRecord

    SessionRecord.objects.filter(session_key=session_key).delete()


def end_indexed_sessions(store_class: type[SessionBase], user_key: str, *, dry_run: bool) -> int:
    """Delete the user's indexed sessions through the engine; return how many still existed.

    Constant in the number of other users' sessions, and it reaches the ``cache`` engine, which
    cannot be listed otherwise.
    """
    from hardsess.models import SessionRecord

    rows = SessionRecord.objects.filter(user_key=user_key)
    ended = 0
    for session_key in rows.values_list("session_key", flat=True):
        store = store_class(session_key)
        if not store.exists(session_key):
            continue
        ended += 1
        if not dry_run:
            store.delete(session_key)
    if not dry_run:
        rows.delete()
    return ended
