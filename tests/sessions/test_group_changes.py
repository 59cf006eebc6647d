"""Noticing group changes (hardsess/lifecycle/group_changes.py): the receivers on the user's
groups alone, what they record, and groups_changed() for changes that send no signal."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.db.models.signals import m2m_changed, pre_delete

from hardsess import privileges
from hardsess.lifecycle import marks
from hardsess.models import RevocationMark
from tests.sessions.conftest import FakeClock, get, lifecycle, session_key, signed_in

pytestmark = pytest.mark.django_db


def test_other_users_group_changes_do_not_cycle(
    db_engine: str, clock: FakeClock, settings: Any, alice: Any, django_user_model: Any
) -> None:
    client = signed_in(settings, cycle_on_privilege_change=True, revocation="db")
    first = session_key(client)
    bob = django_user_model.objects.create_user("bob")
    bob.groups.add(Group.objects.create(name="editors"))
    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == first


def test_membership_changes_that_send_no_signal_need_groups_changed(
    db_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """A bulk insert into the through table sends no m2m_changed: the documented remedy is
    hardsess.privileges.groups_changed(users)."""
    client = signed_in(settings, cycle_on_privilege_change=True, revocation="db")
    first = session_key(client)
    through = type(alice).groups.through
    through.objects.bulk_create(
        [through(user_id=alice.pk, group_id=Group.objects.create(name="editors").pk)]
    )
    clock.advance(1)
    get(client)
    assert session_key(client) == first  # not seen: no signal, no query
    privileges.groups_changed([alice])
    clock.advance(1)
    get(client)
    assert session_key(client) != first


def test_only_the_group_model_loses_fast_deletes() -> None:
    """A pre_delete listener turns off Django's single-query delete for its model: hardsess
    listens to the group model alone, never to sessions or the site's own tables."""
    from django.contrib.sessions.models import Session

    from hardsess.models import SessionRecord

    assert pre_delete.has_listeners(Group)
    assert not pre_delete.has_listeners(Session)
    assert not pre_delete.has_listeners(SessionRecord)


def test_only_the_groups_relation_loses_fast_adds(django_user_model: Any) -> None:
    """An m2m_changed listener of a relation turns off Django's fast add for it: hardsess listens
    to the user's groups alone, not to the site's other many-to-many relations."""
    assert m2m_changed.has_listeners(django_user_model.groups.through)
    assert not m2m_changed.has_listeners(django_user_model.user_permissions.through)
    assert not m2m_changed.has_listeners(Group.permissions.through)


def test_adding_a_group_the_user_has_records_nothing(
    db_engine: str, settings: Any, alice: Any
) -> None:
    lifecycle(settings, cycle_on_privilege_change=True, revocation="db")
    editors = Group.objects.create(name="editors")
    alice.groups.add(editors)
    recorded = RevocationMark.objects.get(user_key=str(alice.pk)).groups_changed
    assert recorded is not None
    alice.groups.add(editors)  # Django still signals, with an empty pk_set
    assert RevocationMark.objects.get(user_key=str(alice.pk)).groups_changed == recorded


def test_cache_marks_are_written_again_after_the_commit(
    db_engine: str, settings: Any, alice: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """The cache is written before the membership commits; once more after it, so a request
    that cycled in between (before the change existed) cycles again after."""
    lifecycle(settings, cycle_on_privilege_change=True, revocation="cache")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        alice.groups.add(Group.objects.create(name="editors"))
    assert len(callbacks) == 1
    key = marks.GROUPS_CACHE_KEY_PREFIX + str(alice.pk)
    assert caches["default"].get(key) is not None
