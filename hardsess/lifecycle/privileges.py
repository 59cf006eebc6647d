"""What makes a user privileged, hashed: the fingerprint CYCLE_ON_PRIVILEGE_CHANGE compares.

The session stores a hash of the user's privileges; a different hash at the next request cycles
the key. ``is_staff`` and ``is_superuser`` come from ``request.user``, which Django's
AuthenticationMiddleware loads on every request anyway. The groups are the costly part, read in
one of two ways:

* **REVOCATION on** (``"db"`` or ``"cache"``): the user's mark record carries a "groups changed"
  time, written whenever a membership changes (:mod:`hardsess.lifecycle.group_changes`). The
  request reads it in the mark lookup it makes anyway, so noticing a group change costs no
  query of its own.
* **REVOCATION off**: the user's group ids are read on every authenticated request (one indexed
  query), which sees every change however it was made.

The hash is keyed (SECRET_KEY) because a ``signed_cookies`` session is readable by its holder.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import connections, models, router
from django.db.models import ManyToManyField
from django.utils.encoding import force_bytes

from hardsess.lifecycle import marks

if TYPE_CHECKING:
    from hardsess.lifecycle.options import LifecycleOptions

# The salt from before the package: another one would change every stored hash (one cycle each).
_KEY_SALT = b"hardsess.sessions.privilege"


@lru_cache(maxsize=8)
def _hash_key(secret: bytes) -> bytes:
    # Django's salted_hmac key derivation (sha256 of salt + secret), done once per SECRET_KEY
    # instead of on every request; the hashes are the ones salted_hmac gives.
    return hashlib.sha256(_KEY_SALT + secret).digest()


def fingerprint(user: Any, user_marks: marks.UserMarks | None) -> str:
    """A keyed hash of what makes ``user`` privileged.

    ``user_marks``: the user's mark record when REVOCATION is on (its "groups changed" time stands
    for the groups); None when it is off (the group ids are read, one query). Rotating
    SECRET_KEY changes every hash, which cycles each session's key once: harmless.
    """
    if user_marks is not None:
        # The per-request path (REVOCATION on): remembered by its parts, so that a request
        # whose privileges are those of the last one builds no string and hashes nothing.
        return _marked_fingerprint(
            settings.SECRET_KEY,
            str(user.pk),
            bool(getattr(user, "is_staff", False)),
            bool(getattr(user, "is_superuser", False)),
            user_marks.groups_changed,
        )
    return _fingerprint(user, ",".join(_group_ids(user)))


@lru_cache(maxsize=4096, typed=True)
def _marked_fingerprint(
    secret: str | bytes, pk: str, staff: bool, superuser: bool, groups_changed: float | None
) -> str:
    raw = "|".join((pk, str(staff), str(superuser), f"changed:{groups_changed!r}"))
    return _keyed_hash(force_bytes(secret), raw)


def _fingerprint(user: Any, groups: str) -> str:
    raw = "|".join(
        (
            str(user.pk),
            str(bool(getattr(user, "is_staff", False))),
            str(bool(getattr(user, "is_superuser", False))),
            groups,
        )
    )
    return _keyed_hash(force_bytes(settings.SECRET_KEY), raw)


@lru_cache(maxsize=4096)
def _keyed_hash(secret: bytes, raw: str) -> str:
    # Remembered: the same user sends request after request with the same privileges, and
    # this is a pure function of its arguments (nothing here decides on attacker input).
    return hmac.new(_hash_key(secret), raw.encode(), hashlib.sha256).hexdigest()[:20]


def groups_field(user_model: type[models.Model]) -> ManyToManyField[Any, Any] | None:
    """The user model's ``groups`` many-to-many field, if it has one."""
    try:
        field = user_model._meta.get_field("groups")
    except FieldDoesNotExist:
        return None
    return field if isinstance(field, ManyToManyField) else None


def _group_ids(user: Any) -> list[str]:
    """The ids of ``user``'s groups, sorted; [] for a user model without a ``groups`` m2m.

    One indexed query on the m2m table, written as plain SQL because the ORM's query building
    costs several times the query itself. Names come from the model's field, quoted by the
    backend; the user's pk is prepared by its own field (UUID keys on SQLite, for example).
    """
    field = groups_field(user._meta.model)  # request.user is a lazy proxy: not type(user)
    through = field.remote_field.through if field is not None else None
    if field is None or through is None:  # through is resolved once apps are ready
        return []
    connection = connections[router.db_for_read(through)]
    quote = connection.ops.quote_name
    # Only quoted identifiers from the model's own metadata are interpolated; the pk is a
    # parameter.
    sql = (
        f"SELECT {quote(field.m2m_reverse_name())} FROM {quote(through._meta.db_table)} "  # noqa: S608  # nosec B608
        f"WHERE {quote(field.m2m_column_name())} = %s"
    )
    pk = user._meta.pk.get_db_prep_value(user.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        return sorted(str(row[0]) for row in cursor.fetchall())


def fingerprint_now(user: Any, options: LifecycleOptions) -> str:
    """The privilege hash of ``user`` as the middleware will compute it on the next request
    (with REVOCATION, from the user's marks as they are now)."""
    store = marks.mark_store(options.revocation, options.revocation_cache)
    user_marks = store.get(marks.user_key_of(user)) if store is not None else None
    return fingerprint(user, user_marks)
