"""Django admin: the "log out everywhere" action, for the site's own UserAdmin.

hardsess does not re-register ``django.contrib.auth``'s UserAdmin: a project that customises its
user admin would lose its class, or hardsess would lose a registration race. Add the action and
the mixin that says who may run it::

    # myproject/admin.py
    from django.contrib import admin
    from django.contrib.auth.admin import UserAdmin
    from django.contrib.auth.models import User
    from hardsess.admin import LogoutEverywhereAdminMixin, logout_everywhere_action

    class MyUserAdmin(LogoutEverywhereAdminMixin, UserAdmin):
        actions = (*UserAdmin.actions, logout_everywhere_action)

    admin.site.unregister(User)
    admin.site.register(User, MyUserAdmin)

The action needs the permission ``hardsess.logout_everywhere`` (besides what the user list
itself needs): Django's admin offers and runs it only for a user the ModelAdmin's
``has_logout_everywhere_permission`` approves, and a ModelAdmin without that method fails
Django's admin check ``admin.E129``. Only a superuser may log out a superuser.

The revocation marks are shown read-only (RevocationMark) so an operator can see who was logged
out everywhere, and when; no one can delete one here, since that would revive the sessions it
refuses.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest

from hardsess.models import RevocationMark

#: The permission the action requires, declared in ``RevocationMark.Meta.permissions``.
LOGOUT_EVERYWHERE_PERMISSION = "hardsess.logout_everywhere"


class LogoutEverywhereAdminMixin:
    """For the ModelAdmin offering :func:`logout_everywhere_action`: who may run it.

    Django's admin calls ``has_<name>_permission`` for each name in an action's
    ``permissions``; override this method for a rule of your own.
    """

    def has_logout_everywhere_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm(LOGOUT_EVERYWHERE_PERMISSION)


def _may_run(modeladmin: admin.ModelAdmin[Any], request: HttpRequest) -> bool:
    """The admin filters actions by permission only in ``get_actions``; asked again here so a
    project calling the action from its own code cannot skip the permission. Fails closed."""
    has_permission = getattr(modeladmin, "has_logout_everywhere_permission", None)
    return callable(has_permission) and bool(has_permission(request))


@admin.action(
    description="Log out everywhere (end every session of the selected users)",
    permissions=["logout_everywhere"],
)
def logout_everywhere_action(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    """Run :func:`hardsess.sessions.logout_everywhere` for each selected user.

    Superusers among them are skipped unless the one running the action is a superuser:
    the permission lets a support role end sessions, not lock out the site's administrators.
    Selecting yourself logs you out too (your next request is anonymous).
    """
    if not _may_run(modeladmin, request):
        modeladmin.message_user(
            request,
            f"You may not log users out everywhere (permission {LOGOUT_EVERYWHERE_PERMISSION}).",
            level=messages.ERROR,
        )
        return
    users = list(queryset)
    skipped = 0
    if not getattr(request.user, "is_superuser", False):
        kept = [user for user in users if not getattr(user, "is_superuser", False)]
        skipped, users = len(users) - len(kept), kept
    if skipped:
        modeladmin.message_user(
            request,
            f"{skipped} superuser(s) skipped: only a superuser may log out a superuser.",
            level=messages.WARNING,
        )
    if users:
        _log_out(modeladmin, request, users)


def _log_out(modeladmin: admin.ModelAdmin[Any], request: HttpRequest, users: list[Any]) -> None:
    try:
        # Imported here: admin autodiscovery runs for every manage.py command, and the
        # lifecycle machinery is only needed when an admin actually runs the action.
        from hardsess.lifecycle.api import logout_everywhere

        results = [logout_everywhere(user) for user in users]
    except ImproperlyConfigured as error:
        modeladmin.message_user(request, str(error), level=messages.ERROR)
        return
    ended = sum(result.sessions_ended for result in results)
    marked = all(result.marked for result in results)
    modeladmin.message_user(
        request,
        f"Logged out {len(results)} user(s) everywhere: {ended} stored session(s) ended"
        + (", revocation marks written." if marked else "."),
        level=messages.SUCCESS,
    )


if TYPE_CHECKING:
    _MarkAdminBase = admin.ModelAdmin[RevocationMark]
else:  # ModelAdmin is generic only in django-stubs, not at runtime
    _MarkAdminBase = admin.ModelAdmin


@admin.register(RevocationMark)
class RevocationMarkAdmin(_MarkAdminBase):
    """Read-only: marks are written by logout and logout_everywhere, never by hand.

    Not deletable either, whatever permissions a user holds: deleting a mark revives every
    session it refuses (a stolen signed cookie works again). No actions at all, so neither
    Django's bulk delete nor a site-wide action can touch a mark.
    """

    list_display = ("user_key", "valid_after_utc")
    search_fields = ("user_key",)
    actions = None

    @admin.display(description="valid after (UTC)", ordering="valid_after")
    def valid_after_utc(self, mark: RevocationMark) -> str:
        if mark.valid_after is None:  # only the user's groups changed: nothing refused
            return "-"
        return datetime.fromtimestamp(mark.valid_after, tz=timezone.utc).isoformat()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
