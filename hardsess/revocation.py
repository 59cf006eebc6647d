"""Re-exports of the logout revocation, which lives in :mod:`hardsess.lifecycle` now.

The per-user "valid after" marks and their stores are :mod:`hardsess.lifecycle.marks`.
"""

from __future__ import annotations

from hardsess.lifecycle.marks import (
    CACHE_KEY_PREFIX,
    DATABASE_CACHE_MIN_ENTRIES,
    GENERATION_CACHE_KEY_PREFIX,
    GROUPS_CACHE_KEY_PREFIX,
    NO_MARKS,
    REVOCATION_BACKENDS,
    CacheMarkStore,
    DbMarkStore,
    MarkStore,
    UserMarks,
    cache_fitness,
    can_enumerate,
    end_indexed_sessions,
    end_stored_sessions,
    forget_session,
    index_kept,
    is_revoked,
    mark_store,
    move_session,
    record_session,
    user_key_of,
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
