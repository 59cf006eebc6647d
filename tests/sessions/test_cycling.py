"""Session key cycling: every CYCLE_KEY_EVERY seconds of use, and on a privilege change."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models.signals import m2m_changed, pre_delete
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from hardsess import privileges, revocation, sessions
from hardsess.models import RevocationMark
from tests.sessions.conftest import FakeClock, get, lifecycle, login, session_key, signed_in, stored
from tests.sessions.engines import SAVES

pytestmark = pytest.mark.django_db

EVERY = 300


def _assert_cycled(engine: str, old: str | None, client: Client) -> str:
    new = session_key(client)
    assert new is not None
    assert new != old
    if engine != "signed_cookies":  # a cookie session has no stored copy to delete
        assert stored(old) == {}
    return new


def test_periodic_cycle_keeps_data_and_changes_key(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_key_every=EVERY)
    client.post("/write/?note=kept")
    first = session_key(client)

    clock.advance(EVERY - 1)
    assert get(client) == {"user": "alice", "note": "kept"}
    assert session_key(client) == first

    clock.advance(1)
    assert get(client) == {"user": "alice", "note": "kept"}
    second = _assert_cycled(engine, first, client)
    assert stored(second)[sessions.CYCLED] == int(clock.now)

    clock.advance(EVERY - 1)  # the period restarts at the cycle
    SAVES.clear()
    assert get(client) == {"user": "alice", "note": "kept"}
    assert session_key(client) == second
    assert SAVES[engine] == 0


def _change(alice: Any, change: str) -> None:
    """Change alice's privileges in one of the ways a site does."""
    if change == "group":
        alice.groups.add(Group.objects.create(name="editors"))
    elif change == "group_from_the_group_side":  # what the group admin page does
        Group.objects.create(name="editors").user_set.add(alice)
    elif change == "group_removed":
        alice.groups.remove(Group.objects.get(name="readers"))
    elif change == "groups_cleared_from_the_group_side":
        Group.objects.get(name="readers").user_set.clear()
    elif change == "group_deleted":  # memberships go with it, without an m2m_changed signal
        Group.objects.get(name="readers").delete()
    else:
        setattr(alice, "is_staff" if change == "demotion" else change, change != "demotion")
        alice.save()


@pytest.mark.parametrize("revocation", [None, "db", "cache"])
@pytest.mark.parametrize(
    "change",
    [
        "is_staff",
        "is_superuser",
        "demotion",
        "group",
        "group_from_the_group_side",
        "group_removed",
        "groups_cleared_from_the_group_side",
        "group_deleted",
    ],
)
def test_privilege_change_cycles_the_key(
    engine: str, clock: FakeClock, settings: Any, alice: Any, change: str, revocation: str | None
) -> None:
    """Without REVOCATION the group ids are read per request; with it, the mark record's
    "groups changed" time (kept by signals) stands for them. Both must see every change."""
    lifecycle(settings, cycle_on_privilege_change=True, revocation=revocation)
    if change == "demotion":
        alice.is_staff = True
        alice.save()
    alice.groups.add(Group.objects.create(name="readers"))
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    first = session_key(client)
    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == first  # nothing changed: nothing cycled

    _change(alice, change)
    clock.advance(1)
    assert get(client) == {"user": "alice", "note": "kept"}
    second = _assert_cycled(engine, first, client)

    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == second  # the new fingerprint is stored: no second cycle


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


def test_with_revocation_the_privilege_check_costs_no_query_of_its_own(
    db_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """The mark lookup (one query) serves revocation and the groups; the m2m table is not read."""
    client = signed_in(settings, cycle_on_privilege_change=True, revocation="db")
    client.get("/state/")
    with CaptureQueriesContext(connection) as queries:
        assert get(client)["user"] == "alice"
    sql = [query["sql"] for query in queries.captured_queries]
    assert not any("auth_user_groups" in statement for statement in sql)
    assert sum("hardsess_revocationmark" in statement for statement in sql) == 1


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


def test_privilege_changed_api_cycles_now(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, cycle_on_privilege_change=True)
    client.post("/write/?note=kept")
    first = session_key(client)
    alice.is_superuser = True  # e.g. a sudo-mode view raising the user's rights
    alice.save()
    assert client.post("/sudo/").json() == {"user": "alice", "note": "kept"}
    second = _assert_cycled(engine, first, client)
    clock.advance(1)
    assert get(client)["user"] == "alice"
    assert session_key(client) == second


def test_privilege_changed_works_without_lifecycle_options(
    engine: str, clock: FakeClock, alice: Any
) -> None:
    client = Client()
    login(client)
    client.post("/write/?note=kept")
    first = session_key(client)
    assert client.post("/sudo/").json() == {"user": "alice", "note": "kept"}
    _assert_cycled(engine, first, client)


def test_login_cycles_and_restarts_the_period(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, cycle_key_every=EVERY)
    client = Client()
    client.post("/write/?note=anonymous-cart")
    anonymous = session_key(client)
    clock.advance(EVERY - 10)
    login(client)  # Django cycles on login; hardsess restarts its period there
    after_login = _assert_cycled(engine, anonymous, client)
    clock.advance(EVERY - 1)
    assert get(client) == {"user": "alice", "note": "anonymous-cart"}
    assert session_key(client) == after_login


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
    key = revocation.GROUPS_CACHE_KEY_PREFIX + str(alice.pk)
    assert caches["default"].get(key) is not None


def test_group_tracking_with_revocation_needs_the_app_installed(settings: Any) -> None:
    """Its receivers are connected by the app's ready(): without the app, a group change made
    in a shell or a worker would go unrecorded. So the options are refused."""
    without = [app for app in settings.INSTALLED_APPS if not app.startswith("hardsess")]
    options = {"CYCLE_ON_PRIVILEGE_CHANGE": True, "REVOCATION": "cache"}
    with override_settings(INSTALLED_APPS=without, HARDSESS={"SESSION": options}):
        with pytest.raises(ImproperlyConfigured, match="INSTALLED_APPS"):
            sessions.lifecycle_options()
        # Either option alone does not need it.
        with override_settings(HARDSESS={"SESSION": {"CYCLE_ON_PRIVILEGE_CHANGE": True}}):
            assert sessions.lifecycle_options().cycle_on_privilege_change
    # The same HARDSESS object with the app installed again: validated again, and accepted.
    hardsess = {"SESSION": options}
    with override_settings(HARDSESS=hardsess):
        assert sessions.lifecycle_options().revocation == "cache"
        with override_settings(INSTALLED_APPS=without), pytest.raises(ImproperlyConfigured):
            sessions.lifecycle_options()
        assert sessions.lifecycle_options().revocation == "cache"
