"""The mark store (hardsess/lifecycle/marks.py): which sessions a user's marks refuse."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group

from hardsess.lifecycle import marks
from hardsess.models import RevocationMark
from tests.sessions.conftest import FakeClock, _configure_engine, get, signed_in

pytestmark = pytest.mark.django_db

COOKIE = "signed_cookies"


@pytest.mark.parametrize(
    ("issued", "mark", "revoked"),
    [(None, None, False), (10.0, None, False), (None, 5.0, True), (4.9, 5.0, True),
     (5.0, 5.0, True), (5.000001, 5.0, False)],
)  # fmt: skip
def test_is_revoked_boundary(issued: float | None, mark: float | None, revoked: bool) -> None:
    assert marks.is_revoked(issued, mark) is revoked


def test_a_groups_changed_row_refuses_nothing(clock: FakeClock, settings: Any, alice: Any) -> None:
    """The mark row now also carries "groups changed"; a row without "valid after" (the user's
    groups changed, nobody logged them out) must not refuse their sessions."""
    _configure_engine(COOKIE, settings, None)
    client = signed_in(settings, revocation="db", cycle_on_privilege_change=True)
    alice.groups.add(Group.objects.create(name="editors"))
    mark = RevocationMark.objects.get(user_key=str(alice.pk))
    assert mark.valid_after is None
    assert mark.groups_changed is not None
    clock.advance(1)
    assert get(client)["user"] == "alice"
