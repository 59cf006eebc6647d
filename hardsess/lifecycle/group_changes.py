"""Noticing when a user's groups change, for CYCLE_ON_PRIVILEGE_CHANGE with REVOCATION on.

With REVOCATION on, the groups part of the privilege hash (:mod:`hardsess.lifecycle.privileges`)
is the "groups changed" time in the user's mark record, written here whenever a membership
changes through Django's m2m API (``user.groups.add/remove/set/clear`` and the reverse
``group.user_set...``, which is what the admin uses) or a group is deleted. A change that
bypasses the m2m API (raw SQL, ``bulk_create`` on the through model) sends no signal: call
:func:`groups_changed` after it.

The receivers are connected by :func:`connect_group_signals`, which the app's ``ready()`` calls
in every process (a membership can change in a shell or a worker too); this module is what
``ready()`` imports, so it stays free of the request machinery.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import ManyToManyField
from django.db.models.signals import m2m_changed, pre_delete

from hardsess.lifecycle import marks
from hardsess.lifecycle.options import options_or_none
from hardsess.lifecycle.privileges import groups_field


def _store() -> marks.MarkStore | None:
    """The mark store when group changes must be recorded; None otherwise (or misconfigured:
    a group change must never fail over a typo in HARDSESS, system check E163 reports it)."""
    options = options_or_none()
    if options is None or not options.cycle_on_privilege_change:
        return None
    return marks.mark_store(options.revocation, options.revocation_cache)


def groups_changed(users: Iterable[Any], using: str = DEFAULT_DB_ALIAS) -> None:
    """Record that these users' groups changed, so each of their sessions cycles its key on its
    next request. The receivers below call it for the changes Django signals; call it yourself
    after changing memberships in a way that sends no ``m2m_changed`` (raw SQL, ``bulk_create``,
    ``update()`` or ``delete()`` on the through model). ``using``: the database the change was
    written to. Does nothing unless CYCLE_ON_PRIVILEGE_CHANGE and REVOCATION are on.
    """
    store = _store()
    if store is not None:
        _record(store, [marks.user_key_of(user) for user in users], using)


def _record(store: marks.MarkStore, user_keys: list[str], using: str) -> None:
    if not user_keys:
        return
    # Wall-clock time, not the lifecycle's clock: only a change of value matters here.
    store.set_groups_changed(user_keys, time.time())
    if isinstance(store, marks.CacheMarkStore) and connections[using].in_atomic_block:
        # The cache is written at once, before the membership commits; a request in between
        # would take the new time and cycle before the change exists, and then never again.
        # So once more after the commit (a second cycle is harmless, a missed one is not).
        # The db store's write is part of the transaction: it appears with the change.
        transaction.on_commit(lambda: store.set_groups_changed(user_keys, time.time()), using=using)


def _user_keys(user_model: type[models.Model], pks: Iterable[Any]) -> list[str]:
    return [marks.user_key_of(user_model(pk=pk)) for pk in pks]


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
    field = groups_field(get_user_model())
    if store is None or field is None:
        return
    if action in ("post_add", "post_remove") and not pk_set:
        return  # Django signals even when nothing was added or removed
    if not reverse:  # user.groups.<action>(...): the instance is the user
        if action in ("post_add", "post_remove", "post_clear"):
            _record(store, [marks.user_key_of(instance)], using)
    elif action == "pre_clear":  # group.user_set.clear(): the members, before they go
        members = _member_pks(instance, field, using)
        _record(store, _user_keys(get_user_model(), members), using)
    elif action in ("post_add", "post_remove") and pk_set:  # group.user_set...: users' pks
        _record(store, _user_keys(get_user_model(), pk_set), using)


def _on_group_deleted(sender: Any, instance: Any, using: str, **kwargs: Any) -> None:
    """Deleting a group removes its memberships without an m2m_changed signal."""
    store = _store()
    field = groups_field(get_user_model())
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
        field = groups_field(get_user_model())
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
