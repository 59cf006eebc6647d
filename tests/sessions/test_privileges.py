"""The privilege hash of CYCLE_ON_PRIVILEGE_CHANGE (hardsess/lifecycle/privileges.py): every
change of is_staff, is_superuser or the groups cycles the key, seen with and without REVOCATION."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.sessions.conftest import (
    FakeClock,
    _assert_cycled,
    get,
    lifecycle,
    login,
    session_key,
    signed_in,
)

pytestmark = pytest.mark.django_db


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
