"""Real logout for signed_cookies, and "log out everywhere" for every engine."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from hardsess import revocation, sessions
from hardsess.models import RevocationMark, SessionRecord
from tests.sessions.conftest import (
    FakeClock,
    _configure_engine,
    get,
    lifecycle,
    login,
    replay,
    session_key,
    signed_in,
    stored,
)

pytestmark = pytest.mark.django_db

COOKIE = "signed_cookies"


@pytest.mark.parametrize("backend", ["cache", "db"])
def test_signed_cookie_replayed_after_logout_is_refused(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any, backend: str
) -> None:
    client = signed_in(settings, revocation=backend)
    captured = session_key(client)
    assert captured is not None
    assert get(replay(captured))["user"] == "alice"  # a copy works while logged in

    clock.advance(5)
    client.post("/logout/")
    assert get(replay(captured))["user"] is None
    if backend == "db":
        assert RevocationMark.objects.get(user_key=str(alice.pk)).valid_after == clock.now

    clock.advance(5)  # logging in again issues a cookie after the mark: accepted
    login(client)
    assert get(client)["user"] == "alice"
    assert get(replay(captured))["user"] is None


def test_without_revocation_a_logged_out_signed_cookie_still_works(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """Django's behaviour, which HS108 warns about and REVOCATION fixes."""
    client = signed_in(settings, idle_timeout=600)
    captured = session_key(client)
    assert captured is not None
    client.post("/logout/")
    assert get(replay(captured))["user"] == "alice"


def test_logout_with_a_server_side_engine_leaves_other_devices_alone(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="db")
    laptop, phone = Client(), Client()
    login(laptop)
    login(phone)
    clock.advance(5)
    phone.post("/logout/")  # Django deletes the phone's session; no mark is needed
    assert not RevocationMark.objects.exists()
    assert get(laptop)["user"] == "alice"


@pytest.mark.parametrize("backend", ["cache", "db"])
def test_logout_everywhere_on_every_engine(
    engine: str, clock: FakeClock, settings: Any, alice: Any, bob: Any, backend: str
) -> None:
    lifecycle(settings, revocation=backend)
    laptop, phone, other = Client(), Client(), Client()
    login(laptop)
    login(phone)
    login(other, "bob")
    keys = [session_key(laptop), session_key(phone)]
    clock.advance(5)

    result = sessions.logout_everywhere(alice)

    assert result.marked
    # Found through hardsess' index (marks in the db) or a scan of the engine's storage.
    indexed = backend == "db" and engine != COOKIE
    enumerable = indexed or engine in ("db", "cached_db", "file")
    assert result.enumerable is enumerable
    assert result.sessions_ended == (2 if enumerable else 0)
    if enumerable:
        assert [stored(key) for key in keys] == [{}, {}]
    assert get(laptop)["user"] is None
    assert get(phone)["user"] is None
    assert get(other)["user"] == "bob"
    clock.advance(5)
    login(laptop)
    assert get(laptop)["user"] == "alice"


def test_logout_everywhere_without_revocation_deletes_what_it_can(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    client = signed_in(settings, idle_timeout=600)
    if engine in ("cache", COOKIE):
        with pytest.raises(ImproperlyConfigured, match="REVOCATION"):
            sessions.logout_everywhere(alice)
        assert get(client)["user"] == "alice"
        return
    result = sessions.logout_everywhere(alice)
    assert (result.marked, result.sessions_ended) == (False, 1)
    assert get(client)["user"] is None


def test_admin_action_logs_the_selected_users_out_everywhere(
    engine: str, clock: FakeClock, settings: Any, alice: Any, bob: Any, django_user_model: Any
) -> None:
    lifecycle(settings, revocation="db")
    django_user_model.objects.create_superuser("root", "root@example.com", "pw")
    admin, victim, bystander = Client(), Client(), Client()
    login(admin, "root")
    login(victim)
    login(bystander, "bob")
    clock.advance(5)
    response = admin.post(
        "/admin/auth/user/",
        {"action": "logout_everywhere_action", "_selected_action": [alice.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert b"Logged out 1 user(s) everywhere" in response.content
    assert get(victim)["user"] is None
    assert get(bystander)["user"] == "bob"
    assert get(admin)["user"] == "root"


def test_a_session_without_issue_stamp_is_refused_once_its_user_is_marked(
    signed_cookies: None, clock: FakeClock, settings: Any, alice: Any
) -> None:
    """A cookie issued while hardsess was off cannot prove it postdates the mark."""
    lifecycle(settings)  # all off: login writes no stamp
    client = Client()
    login(client)
    assert sessions.ISSUED not in stored(session_key(client))
    lifecycle(settings, revocation="db")
    assert get(client)["user"] == "alice"  # no mark yet: accepted
    clock.advance(5)
    sessions.logout_everywhere(alice)
    assert get(client)["user"] is None


@pytest.mark.parametrize(
    ("issued", "mark", "revoked"),
    [(None, None, False), (10.0, None, False), (None, 5.0, True), (4.9, 5.0, True),
     (5.0, 5.0, True), (5.000001, 5.0, False)],
)  # fmt: skip
def test_is_revoked_boundary(issued: float | None, mark: float | None, revoked: bool) -> None:
    assert revocation.is_revoked(issued, mark) is revoked


def test_unknown_revocation_backend_is_a_configuration_error(settings: Any) -> None:
    lifecycle(settings, revocation="redis")
    with pytest.raises(ImproperlyConfigured, match="REVOCATION"):
        sessions.lifecycle_options()


def test_session_index_follows_login_cycle_logout_and_expiry(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="db", cycle_key_every=300, idle_timeout=600)

    def indexed() -> list[str]:
        return list(SessionRecord.objects.filter(user_key=str(alice.pk)).values_list(
            "session_key", flat=True))  # fmt: skip

    laptop, phone = Client(), Client()
    login(laptop)
    login(phone)
    assert sorted(indexed()) == sorted([session_key(laptop), session_key(phone)])

    clock.advance(300)  # the laptop's key cycles: its row follows
    before = session_key(laptop)
    assert get(laptop)["user"] == "alice"
    assert session_key(laptop) != before
    assert sorted(indexed()) == sorted([session_key(laptop), session_key(phone)])

    laptop.post("/logout/")
    assert indexed() == [session_key(phone)]
    clock.advance(600)  # the phone's session idles out
    assert get(phone)["user"] is None
    assert indexed() == []


def test_index_reaches_the_cache_engine_and_prunes_old_rows(
    engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="db")
    SessionRecord.objects.create(user_key=str(alice.pk), session_key="x" * 32, created=0.0)
    client = Client()
    login(client)  # prunes the row of a session that expired long ago
    key = session_key(client)
    if engine == COOKIE:
        # Nothing on the server to index, so the index is not touched at all.
        assert list(SessionRecord.objects.values_list("session_key", flat=True)) == ["x" * 32]
        return
    assert list(SessionRecord.objects.values_list("session_key", flat=True)) == [key]
    clock.advance(5)
    assert sessions.logout_everywhere(alice).sessions_ended == 1
    assert stored(key) == {}
    assert not SessionRecord.objects.exists()


def test_no_index_with_marks_in_the_cache(
    server_engine: str, clock: FakeClock, settings: Any, alice: Any
) -> None:
    lifecycle(settings, revocation="cache")
    login(Client())
    assert not SessionRecord.objects.exists()


def test_migrations_match_the_models() -> None:
    """A model change without its migration would break every site's ``migrate``."""
    from django.core.management import call_command

    call_command("makemigrations", "hardsess", check=True, dry_run=True, verbosity=0)


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
