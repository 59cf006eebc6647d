"""The mark store: per-user "valid after" marks, group-change times, cookie-session generations.

* **Marks** (``HARDSESS["SESSION"]["REVOCATION"]`` = ``"cache"`` or ``"db"``): a "valid after"
  time per user (and, for CYCLE_ON_PRIVILEGE_CHANGE, when the user's groups last changed).
  :class:`~hardsess.lifecycle.middleware.SessionLifecycleMiddleware` refuses, for every session
  engine, a session whose ``_hardsess_issued`` stamp is at or before its user's mark
  (:func:`is_revoked`). This is the only way to end a ``signed_cookies`` session (the data lives
  in the cookie) or a ``cache`` session (a cache cannot be listed in general).
* **Generations** (``signed_cookies`` with REVOCATION): a per-session counter, so that cycling
  the key of a cookie session ends the copies issued before the cycle (another engine deletes
  the old key; a cookie has nothing to delete; see :mod:`hardsess.lifecycle.generations`). Kept
  for SESSION_COOKIE_AGE after each cycle: Django's signature refuses every older copy by then.

Ending the stored sessions of a user is :mod:`hardsess.lifecycle.stored_sessions`; whether a
cache can hold marks at all, :mod:`hardsess.lifecycle.cache_fitness`.

Nothing here reads the clock: callers pass ``now`` so tests and the middleware agree on time.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, router, transaction

#: Cache key prefixes of the marks (the cache's own KEY_PREFIX and VERSION still apply).
CACHE_KEY_PREFIX = "hardsess:valid-after:"
GROUPS_CACHE_KEY_PREFIX = "hardsess:groups-changed:"
GENERATION_CACHE_KEY_PREFIX = "hardsess:generation:"


@dataclass(frozen=True, slots=True)
class UserMarks:
    """What the mark store holds for one user (seconds since the epoch; None: never happened)."""

    #: Sessions issued at or before this are refused (logout everywhere; logout with
    #: signed_cookies).
    valid_after: float | None = None
    #: When the user's groups last changed: the groups part of the privilege hash
    #: (hardsess.lifecycle.privileges), so that noticing a change costs no query of its own.
    groups_changed: float | None = None
    #: The current generation of the cookie session asked about (:meth:`MarkStore.lookup`): a
    #: copy of a lower generation was issued before a cycle and is refused.
    generation: int | None = None


NO_MARKS = UserMarks()


class MarkStore(Protocol):
    """Reads and writes the per-user marks."""

    def get(self, user_key: str) -> UserMarks: ...

    def set(self, user_key: str, valid_after: float) -> None: ...

    def set_groups_changed(self, user_keys: Collection[str], when: float) -> None: ...

    def lookup(self, user_key: str | None, session_id: str | None) -> UserMarks:
        """The user's marks (none for ``user_key`` None) and the generation of the cookie
        session ``session_id`` (None: not asked, or never cycled), in one round trip where
        the store allows it."""
        ...

    def set_generation(self, session_id: str, generation: int, keep_for: float, now: float) -> None:
        """The cookie session ``session_id`` was cycled to ``generation``; older copies end."""
        ...


class CacheMarkStore:
    """Marks in a Django cache (``REVOCATION_CACHE``, default ``"default"``).

    Stored without expiry: a mark must outlive every session issued before it, and a session's
    life can be extended past SESSION_COOKIE_AGE with ``set_expiry``. Two small keys per user
    at most, read together (one round trip on Redis). The cache must be shared by every server
    and must not evict (a Redis without an ``allkeys-*`` eviction policy, not LocMemCache in a
    multi-process deployment): an evicted mark silently revives the sessions it refused. Use
    ``"db"`` when that cannot be promised.
    """

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def get(self, user_key: str) -> UserMarks:
        valid_key, groups_key = CACHE_KEY_PREFIX + user_key, GROUPS_CACHE_KEY_PREFIX + user_key
        values = caches[self.alias].get_many([valid_key, groups_key])
        if not values:
            return NO_MARKS
        return UserMarks(_seconds(values.get(valid_key)), _seconds(values.get(groups_key)))

    def set(self, user_key: str, valid_after: float) -> None:
        caches[self.alias].set(CACHE_KEY_PREFIX + user_key, valid_after, timeout=None)

    def set_groups_changed(self, user_keys: Collection[str], when: float) -> None:
        marks = {GROUPS_CACHE_KEY_PREFIX + key: when for key in user_keys}
        caches[self.alias].set_many(marks, timeout=None)

    def lookup(self, user_key: str | None, session_id: str | None) -> UserMarks:
        keys = []
        if user_key is not None:
            keys += [CACHE_KEY_PREFIX + user_key, GROUPS_CACHE_KEY_PREFIX + user_key]
        if session_id is not None:
            keys.append(GENERATION_CACHE_KEY_PREFIX + session_id)
        values = caches[self.alias].get_many(keys) if keys else {}
        if not values:
            return NO_MARKS
        generation = values.get(GENERATION_CACHE_KEY_PREFIX + (session_id or ""))
        return UserMarks(
            _seconds(values.get(CACHE_KEY_PREFIX + (user_key or ""))),
            _seconds(values.get(GROUPS_CACHE_KEY_PREFIX + (user_key or ""))),
            generation if isinstance(generation, int) and session_id is not None else None,
        )

    def set_generation(self, session_id: str, generation: int, keep_for: float, now: float) -> None:
        # Expires with the last copy it refuses (plus a minute for clocks that disagree).
        timeout = int(keep_for) + 60
        caches[self.alias].set(GENERATION_CACHE_KEY_PREFIX + session_id, generation, timeout)


def _seconds(value: object) -> float | None:
    """A cache entry as seconds; anything else was not written by hardsess."""
    return float(value) if isinstance(value, (int, float)) else None


def _column(value: Any) -> float | None:
    """A database column as seconds: float(), not _seconds(), so that a backend returning a
    Decimal or a string never turns a mark into "no mark" (an unreadable value raises)."""
    return None if value is None else float(value)


def _row_by_key(
    model: type[Any], columns: tuple[str, ...], key_column: str, key: str
) -> tuple[Any, ...] | None:
    """``columns`` of the row of ``model`` whose ``key_column`` is ``key``, or None.

    Plain SQL, because building the ORM query costs several times what SQLite or PostgreSQL
    take to answer it, and this runs on every request that carries a session. The fields are
    declared with these names and no db_column, so the columns are the names; only identifiers
    of our own models, quoted by the backend, are interpolated, the key is a parameter.
    """
    connection = connections[router.db_for_read(model)]
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in columns)
    table = quote(model._meta.db_table)
    sql = f"SELECT {selected} FROM {table} WHERE {quote(key_column)} = %s"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [key])
        row: tuple[Any, ...] | None = cursor.fetchone()
    return row


def _marks_and_generation(alias: str, user_key: str, session_id: str) -> UserMarks:
    """The user's mark row and the cookie session's generation row, by one statement.

    Two primary-key lookups joined by UNION ALL, each row tagged with its table (1: the mark,
    2: the generation): plain SQL that SQLite, PostgreSQL and MySQL/MariaDB all run, with no
    join on keys that have nothing in common. The generation comes back in the float column
    (exact: a PositiveIntegerField is far below 2**53). Identifiers of our own models only,
    quoted by the backend; the keys are parameters.
    """
    from hardsess.models import RevocationMark, SessionGeneration

    connection = connections[alias]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT 1, {quote('valid_after')}, {quote('groups_changed')} "  # noqa: S608  # nosec B608
        f"FROM {quote(RevocationMark._meta.db_table)} WHERE {quote('user_key')} = %s "
        f"UNION ALL SELECT 2, {quote('generation')}, NULL "
        f"FROM {quote(SessionGeneration._meta.db_table)} WHERE {quote('session_id')} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user_key, session_id])
        rows: list[tuple[Any, ...]] = cursor.fetchall()
    valid_after = groups_changed = None
    generation: int | None = None
    for tag, first, second in rows:
        if int(tag) == 1:
            valid_after, groups_changed = _column(first), _column(second)
        else:
            generation = int(first)
    return UserMarks(valid_after, groups_changed, generation)


class DbMarkStore:
    """Marks in the ``hardsess_revocationmark`` table (needs ``hardsess`` in INSTALLED_APPS)."""

    def get(self, user_key: str) -> UserMarks:
        from hardsess.models import RevocationMark

        # Runs on every authenticated request: one indexed primary-key lookup.
        row = _row_by_key(RevocationMark, ("valid_after", "groups_changed"), "user_key", user_key)
        if row is None:
            return NO_MARKS
        valid_after, groups_changed = row
        return UserMarks(_column(valid_after), _column(groups_changed))

    def set(self, user_key: str, valid_after: float) -> None:
        from hardsess.models import RevocationMark

        RevocationMark.objects.update_or_create(
            user_key=user_key, defaults={"valid_after": valid_after}
        )

    def set_groups_changed(self, user_keys: Collection[str], when: float) -> None:
        from hardsess.models import RevocationMark

        # One upsert per user, each user's valid_after left as it was. (bulk_create with
        # update_conflicts would be one statement, but not on MySQL, MariaDB or Oracle; a
        # membership change is an admin action, not a request path.)
        with transaction.atomic(using=router.db_for_write(RevocationMark)):
            for key in user_keys:
                RevocationMark.objects.update_or_create(
                    user_key=key, defaults={"groups_changed": when}
                )

    def lookup(self, user_key: str | None, session_id: str | None) -> UserMarks:
        if session_id is None:
            return self.get(user_key) if user_key is not None else NO_MARKS
        from hardsess.models import RevocationMark, SessionGeneration

        alias = router.db_for_read(SessionGeneration)
        if user_key is not None and router.db_for_read(RevocationMark) == alias:
            # A signed-in cookie session: both rows in one round trip.
            return _marks_and_generation(alias, user_key, session_id)
        marks = self.get(user_key) if user_key is not None else NO_MARKS
        row = _row_by_key(SessionGeneration, ("generation",), "session_id", session_id)
        if row is None:
            return marks
        return UserMarks(marks.valid_after, marks.groups_changed, int(row[0]))

    def set_generation(self, session_id: str, generation: int, keep_for: float, now: float) -> None:
        from hardsess.models import SessionGeneration

        # Rows whose every older copy has expired refuse nothing any more: pruned here, on the
        # rare write (one indexed range delete), never on the request path.
        SessionGeneration.objects.filter(expires__lt=now).delete()
        SessionGeneration.objects.update_or_create(
            session_id=session_id,
            defaults={"generation": generation, "expires": now + keep_for + 60},
        )


def mark_store(backend: str | None, cache_alias: str = "default") -> MarkStore | None:
    """The mark store for a ``REVOCATION`` value (one of ``REVOCATION_BACKENDS``, validated
    with the options); ``None`` when revocation is off.

    One store object per (backend, alias), made once: the stores hold no state but the alias
    (connections and caches are looked up per call), and this runs on every request.
    """
    if backend is None:
        return None
    store = _STORES.get((backend, cache_alias))
    if store is None:
        store = _STORES[(backend, cache_alias)] = _new_store(backend, cache_alias)
    return store


#: The stores mark_store() made, by (backend, alias).
_STORES: dict[tuple[str, str], MarkStore] = {}


def _new_store(backend: str, cache_alias: str) -> MarkStore:
    if backend == "cache":
        return CacheMarkStore(cache_alias)
    if backend == "db":
        return DbMarkStore()
    raise ImproperlyConfigured(
        f"HARDSESS['SESSION']['REVOCATION'] must be None, 'cache' or 'db', not {backend!r}"
    )


def is_revoked(issued: float | None, valid_after: float | None) -> bool:
    """Whether a session issued at ``issued`` is refused by the mark ``valid_after``.

    A mark at the very instant of issue refuses (``<=``): a cookie issued in the same tick as a
    logout must not survive it. A session without an issue stamp predates hardsess' bookkeeping
    and is refused once its user has any mark: it cannot prove it was issued after the mark.
    """
    if valid_after is None:
        return False
    return issued is None or issued <= valid_after


def user_key_of(user: object) -> str:
    """The user's primary key as Django writes it into the session (``_auth_user_id``)."""
    meta = getattr(user, "_meta", None)
    if meta is None:
        raise TypeError("logout_everywhere needs a saved user model instance")
    return str(meta.pk.value_to_string(user))
