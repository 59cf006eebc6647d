"""What makes a user privileged, hashed, and noticing when the user's groups change.

CYCLE_ON_PRIVILEGE_CHANGE compares a hash of the user's privileges with the one the session
stored. ``is_staff`` and ``is_superuser`` come from ``request.user``, which Django's
AuthenticationMiddleware loads on every request anyway. The groups are the costly part, read in
one of two ways:

* **REVOCATION on** (``"db"`` or ``"cache"``): the user's mark record carries a "groups changed"
  time, written by the receivers below whenever a membership changes through Django's m2m API
  (``user.groups.add/remove/set/clear`` and the reverse ``group.user_set...``, which is what the
  admin uses) or a group is deleted. The request reads it in the mark lookup it makes anyway, so
  noticing a group change costs no query of its own. A change that bypasses the m2m API (raw
  SQL, ``bulk_create`` on the through model) sends no signal: call :func:`groups_changed` after
  it.
* **REVOCATION off**: the user's group ids are read on every authenticated request (one indexed
  query), which sees every change however it was made.

The hash is keyed (SECRET_KEY) because a ``signed_cookies`` session is readable by its holder.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models, router, transaction
from django.db.models import ManyToManyField
from django.db.models.signals import m2m_changed, pre_delete
from django.utils.encoding import force_bytes

from hardsess.lifecycle import marks as revocation
from hardsess.lifecycle.options import options_or_none

_KEY_SALT = b"hardsess.sessions.privilege"


@lru_cache(maxsize=8)
def _hash_key(secret: bytes) -> bytes:
    # Django's salted_hmac key derivation (sha256 of salt + secret), done once per SECRET_KEY
    # instead of on every request; the hashes are the ones salted_hmac gives.
    return hashlib.sha256(_KEY_SALT + secret).digest()


def fingerprint(user: Any, marks: revocation.UserMarks | None) -> str:
    """A keyed hash of what makes ``user`` privileged.

    ``marks``: the user's mark record when REVOCATION is on (its "groups changed" time stands
    for the groups); None when it is off (the group ids are read, one query). Rotating
    SECRET_KEY changes every hash, which cycles each session's key once: harmless.
    """
    if marks is not None:
        groups = f"changed:{marks.groups_changed!r}"
    else:
        groups = ",".join(_group_ids(user))
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


def _groups_field(user_model: type[models.Model]) -> ManyToManyField[Any, Any] | None:
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
    field = _groups_field(user._meta.model)  # request.user is a lazy proxy: not type(user)
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


# -- noticing group changes (REVOCATION on) ---------------------------------------------------


def _store() -> revocation.MarkStore | None:
    """The mark store when group changes must be recorded; None otherwise (or misconfigured:
    a group change must never fail over a typo in HARDSESS, system check E163 reports it)."""
    options = options_or_none()
    if options is None or not options.cycle_on_privilege_change:
        return None
    return revocation.mark_store(options.revocation, options.revocation_cache)


def groups_changed(users: Iterable[Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that these users' groups changed, so each of their sessions cycles its key on its
    next request. The receivers below call it for the changes Django signals; call it yourself
    after changing memberships in a way that sends no ``m2m_changed`` (raw SQL, ``bulk_create``,
    ``update()`` or ``delete()`` on the through model). ``using``: the database the change was
    written to. Does nothing unless CYCLE_ON_PRIVILEGE_CHANGE and REVOCATION are on.
    """
    store = _store()
    if store is not None:
        _record(store, [revocation.user_key_of(user) for user in users], using)


def _record(store: revocation.MarkStore, user_keys: list[str], using: str) -> None:
    if not user_keys:
        return
    # Wall-clock time, not hardsess.sessions.clock(): only a change of value matters here.
    store.set_groups_changed(user_keys, time.time())
    if isinstance(store, revocation.CacheMarkStore) and connections[using].in_atomic_block:
        # The cache is written at once, before the membership commits; a request in between
        # would take the new time and cycle before the change exists, and then never again.
        # So once more after the commit (a second cycle is harmless, a missed one is not).
        # The db store's write is part of the transaction: it appears with the change.
        transaction.on_commit(lambda: store.set_groups_changed(user_keys, time.time()), using=using)


def _user_keys(user_model: type[models.Model], pks: Iterable[Any]) -> list[str]:
    return [revocation.user_key_of(user_model(pk=pk)) for pk in pks]


def _on_m2m_changed(
    sender: Any,
    instance: Any,
    action: str,
    reverse: bool,
    model: Any,
    pk_set: set[Any] | None,
    using: str,
    **kwargs: Any,
) -> None:
    """A membership changed through the user's ``groups`` or a group's ``user_set``."""
    store = _store()
    field = _groups_field(get_user_model())
    if store is None or field is None:
        return
    if action in ("post_add", "post_remove") and not pk_set:
        return  # Django signals even when nothing was added or removed
    if not reverse:  # user.groups.<action>(...): the instance is the user
        if action in ("post_add", "post_remove", "post_clear"):
            _record(store, [revocation.user_key_of(instance)], using)
    elif action == "pre_clear":  # group.user_set.clear(): the members, before they go
        members = _member_pks(instance, field, using)
        _record(store, _user_keys(get_user_model(), members), using)
    elif action in ("post_add", "post_remove") and pk_set:  # group.user_set...: users' pks
        _record(store, _user_keys(get_user_model(), pk_set), using)


def _on_group_deleted(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    """Deleting a group removes its memberships without an m2m_changed signal."""
    store = _store()
    field = _groups_field(get_user_model())
    if store is not None and field is not None:
        members = _member_pks(instance, field, using)
        _record(store, _user_keys(get_user_model(), members), using)


def connect_group_signals() -> None:
    """Listen to the user model's groups: their through model and the group model only.

    Called once apps are ready (the app's ready(), the lifecycle middleware). Never a receiver
    for every model: a pre_delete listener turns off Django's fast (single-query) delete of its
    model, an m2m_changed listener the fast add of its relation, and that must not happen to
    the site's other tables. Nothing to do without django.contrib.auth or a ``groups`` field.
    """
    if not apps.is_installed("django.contrib.auth"):
        return
    try:
        field = _groups_field(get_user_model())
    except ImproperlyConfigured:  # AUTH_USER_MODEL names no installed model: Django says so
        return
    if field is None or field.remote_field.through is None:
        return
    m2m_changed.connect(
        _on_m2m_changed,
        sender=field.remote_field.through,
        dispatch_uid="hardsess.privileges.on_m2m_changed",
    )
    pre_delete.connect(
        _on_group_deleted,
        sender=field.remote_field.model,
        dispatch_uid="hardsess.privileges.on_group_deleted",
    )


def _member_pks(group: Any, field: ManyToManyField[Any, Any], using: str) -> list[Any]:
    """The pks of the group's members, read from the database being written (``using``): a
    replica that lags would miss the newest members."""
    through = field.remote_field.through
    if through is None:  # resolved once apps are ready
        return []
    group_column = field.m2m_reverse_field_name()
    user_column = field.m2m_field_name()
    members = through._default_manager.using(using).filter(**{group_column: group.pk})
    return list(members.values_list(user_column, flat=True))
