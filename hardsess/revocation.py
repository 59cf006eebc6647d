"""Re-exports of the logout revocation, which lives in :mod:`hardsess.lifecycle` now.

The per-user "valid after" marks and their stores are :mod:`hardsess.lifecycle.marks`; finding
and ending a user's stored sessions, :mod:`hardsess.lifecycle.stored_sessions`; whether a cache
can hold marks, :mod:`hardsess.lifecycle.cache_fitness`.
"""

from __future__ import annotations

from hardsess.lifecycle.cache_fitness import DATABASE_CACHE_MIN_ENTRIES, cache_fitness
from hardsess.lifecycle.marks import (
    CACHE_KEY_PREFIX,
    GENERATION_CACHE_KEY_PREFIX,
    GROUPS_CACHE_KEY_PREFIX,
    NO_MARKS,
    CacheMarkStore,
    DbMarkStore,
    MarkStore,
    UserMarks,
    is_revoked,
    mark_store,
    user_key_of,
)
from hardsess.lifecycle.options import REVOCATION_BACKENDS
from hardsess.lifecycle.stored_sessions import (
    can_enumerate,
    end_indexed_sessions,
    end_stored_sessions,
    forget_session,
    index_kept,
    move_session,
    record_session,
)

__all__ = [
    "CACHE_KEY_PREFIX",
    "DATABASE_CACHE_MIN_ENTRIES",
    "GENERATION_CACHE_KEY_PREFIX",
    "GROUPS_CACHE_KEY_PREFIX",
    "NO_MARKS",
    "REVOCATION_BACKENDS",
    "CacheMarkStore",
    "DbMarkStore",
    "MarkStore",
    "UserMarks",
    "cache_fitness",
    "can_enumerate",
    "end_indexed_sessions",
    "end_stored_sessions",
    "forget_session",
    "index_kept",
    "is_revoked",
    "mark_store",
    "move_session",
    "record_session",
    "user_key_of",
]
