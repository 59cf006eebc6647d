"""Who may log users out everywhere, and that no one can delete a revocation mark in the admin.

Every test goes through the real admin with the test client: real users, real permission rows
(``user_permissions``), the lifecycle stack with ``REVOCATION = "db"``. "Logged out" is observed
as the victim's own next request being anonymous.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.admin import AdminSite
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Permission, User
from django.contrib.messages.storage.cookie import CookieStorage
from django.test import Client, RequestFactory

from hardsess import sessions
from hardsess.admin import logout_everywhere_action
from hardsess.models import RevocationMark
from tests.sessions.conftest import FakeClock, _configure_engine, get, lifecycle, login, replay

pytestmark = pytest.mark.django_db

USERS = "/admin/auth/user/"
ACTION = "logout_everywhere_action"
MARKS = "/site-admin/hardsess/revocationmark/"


def staff(username: str, *permissions: str) -> User:
    """A staff user holding exactly these permissions ("app_label.codename")."""
    user = User.objects.create_user(username, is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return user


def signed_in_as(username: str) -> Client:
    client = Client()
    login(client, username)
    return client


def run_action(client: Client, *users: User) -> Any:
    return client.post(
        USERS, {"action": ACTION, "_selected_action": [u.pk for u in users]}, follow=True
    )


@pytest.fixture
def site(settings: Any, tmp_path: Any, clock: FakeClock) -> FakeClock:
    """The db engine, revocation marks in the database, alice (victim) and root signed in."""
    _configure_engine("db", settings, tmp_path)
    settings.ROOT_URLCONF = "tests.sessions.admin_urls"
    lifecycle(settings, revocation="db")
    User.objects.create_user("alice")
    User.objects.create_superuser("root", "root@example.com", "pw")
    return clock


@pytest.mark.parametrize(
    "permissions",
    [
        pytest.param(("auth.view_user",), id="view_user"),
        pytest.param(("auth.change_user",), id="change_user"),
        pytest.param(("auth.view_user", "auth.change_user", "auth.delete_user"), id="all-user"),
    ],
)
def test_staff_without_the_permission_is_not_offered_the_action_and_cannot_run_it(
    site: FakeClock, permissions: tuple[str, ...]
) -> None:
    staff("helpdesk", *permissions)
    helpdesk, victim, root = signed_in_as("helpdesk"), signed_in_as("alice"), signed_in_as("root")
    site.advance(5)
    changelist = helpdesk.get(USERS)
    assert changelist.status_code == 200  # they may see (or change) users ...
    assert ACTION.encode() not in changelist.content  # ... but are not offered the action
    response = run_action(
        helpdesk, User.objects.get(username="alice"), User.objects.get(username="root")
    )
    assert response.status_code == 200
    assert b"Logged out" not in response.content
    assert get(victim)["user"] == "alice"
    assert get(root)["user"] == "root"
    assert not RevocationMark.objects.exists()


def test_the_permission_alone_does_not_open_the_user_admin(site: FakeClock) -> None:
    staff("helpdesk", "hardsess.logout_everywhere")
    helpdesk, victim = signed_in_as("helpdesk"), signed_in_as("alice")
    site.advance(5)
    assert helpdesk.get(USERS).status_code == 403
    assert run_action(helpdesk, User.objects.get(username="alice")).status_code == 403
    assert get(victim)["user"] == "alice"


def test_the_permission_logs_out_ordinary_users_but_not_superusers(site: FakeClock) -> None:
    staff("helpdesk", "auth.view_user", "hardsess.logout_everywhere")
    helpdesk, victim, root = signed_in_as("helpdesk"), signed_in_as("alice"), signed_in_as("root")
    site.advance(5)
    assert ACTION.encode() in helpdesk.get(USERS).content
    alice, superuser = User.objects.get(username="alice"), User.objects.get(username="root")
    response = run_action(helpdesk, alice, superuser)
    assert response.status_code == 200
    assert b"Logged out 1 user(s) everywhere" in response.content
    assert b"1 superuser(s) skipped" in response.content
    assert get(victim)["user"] is None
    assert get(root)["user"] == "root"
    assert list(RevocationMark.objects.values_list("user_key", flat=True)) == [str(alice.pk)]
    assert get(helpdesk)["user"] == "helpdesk"


def test_a_superuser_may_log_out_anyone_including_another_superuser(site: FakeClock) -> None:
    User.objects.create_superuser("root2", "root2@example.com", "pw")
    root, victim, other_root = signed_in_as("root"), signed_in_as("alice"), signed_in_as("root2")
    site.advance(5)
    assert ACTION.encode() in root.get(USERS).content
    response = run_action(
        root, User.objects.get(username="alice"), User.objects.get(username="root2")
    )
    assert b"Logged out 2 user(s) everywhere" in response.content
    assert b"skipped" not in response.content
    assert get(victim)["user"] is None
    assert get(other_root)["user"] is None
    assert get(root)["user"] == "root"


def test_a_user_admin_that_does_not_say_who_may_run_the_action_fails_djangos_checks() -> None:
    """The action names its permission; Django's admin checks refuse a ModelAdmin that cannot
    answer for it (admin.E129), so no project exposes it to every staff user by omission."""

    class BareUserAdmin(UserAdmin):
        actions = (*UserAdmin.actions, logout_everywhere_action)

    errors = BareUserAdmin(User, AdminSite(name="bare")).check()
    assert [error.id for error in errors] == ["admin.E129"]


def test_the_action_refuses_when_called_around_the_admins_permission_filter(
    site: FakeClock,
) -> None:
    """Django filters actions by permission only in get_actions; a project calling the action
    from its own view must not bypass the permission."""
    from tests.sessions.urls import site as lifecycle_site

    helpdesk = staff("helpdesk", "auth.view_user", "auth.change_user")
    victim = signed_in_as("alice")
    site.advance(5)
    request = RequestFactory().post(USERS)
    request.user = helpdesk
    request._messages = CookieStorage(request)  # type: ignore[attr-defined]
    modeladmin = lifecycle_site.get_model_admin(User)
    logout_everywhere_action(modeladmin, request, User.objects.filter(username="alice"))
    assert [m.message for m in request._messages] == [  # type: ignore[attr-defined]
        "You may not log users out everywhere (permission hardsess.logout_everywhere)."
    ]
    assert get(victim)["user"] == "alice"


# ------------------------------------------------------------------------------- the marks


@pytest.fixture
def revoked(settings: Any, tmp_path: Any, clock: FakeClock) -> str:
    """signed_cookies: alice's captured cookie, refused because she was logged out everywhere.

    The mark is the only thing that refuses it: removing the mark would revive the cookie.
    """
    _configure_engine("signed_cookies", settings, tmp_path)
    settings.ROOT_URLCONF = "tests.sessions.admin_urls"
    lifecycle(settings, revocation="db")
    alice = User.objects.create_user("alice")
    User.objects.create_superuser("root", "root@example.com", "pw")
    captured = Client()
    login(captured)
    clock.advance(5)
    sessions.logout_everywhere(alice)
    assert get(captured)["user"] is None
    return captured.cookies[django_settings.SESSION_COOKIE_NAME].value


@pytest.mark.parametrize(
    "who",
    [
        pytest.param("root", id="superuser"),
        pytest.param("marks-admin", id="staff-with-delete_revocationmark"),
    ],
)
def test_no_one_can_delete_a_revocation_mark_in_the_admin(revoked: str, who: str) -> None:
    if who != "root":
        staff(who, "hardsess.view_revocationmark", "hardsess.delete_revocationmark")
    operator = signed_in_as(who)
    mark = RevocationMark.objects.get()
    changelist = operator.get(MARKS)
    assert changelist.status_code == 200  # still listed, read-only
    assert mark.user_key.encode() in changelist.content
    assert b"delete_selected" not in changelist.content
    bulk = operator.post(
        MARKS, {"action": "delete_selected", "_selected_action": [mark.pk], "post": "yes"}
    )
    assert bulk.status_code in (200, 302)
    detail = f"{MARKS}{mark.pk}/delete/"
    assert operator.get(detail).status_code == 403
    assert operator.post(detail, {"post": "yes"}).status_code == 403
    assert RevocationMark.objects.filter(pk=mark.pk).exists()
    assert get(replay(revoked))["user"] is None  # the stolen cookie stays dead


def test_the_marks_admin_is_read_only(revoked: str) -> None:
    root = signed_in_as("root")
    mark = RevocationMark.objects.get()
    assert root.get(f"{MARKS}add/").status_code == 403
    page = root.get(f"{MARKS}{mark.pk}/change/")
    assert page.status_code == 200  # the view permission shows it
    assert b'name="_save"' not in page.content
    root.post(f"{MARKS}{mark.pk}/change/", {"user_key": mark.user_key, "valid_after": "0"})
    assert RevocationMark.objects.get().valid_after == mark.valid_after
    assert get(replay(revoked))["user"] is None


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
