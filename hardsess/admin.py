"""Django admin: the "log out everywhere" action, for the site's own UserAdmin.

hardsess does not re-register ``django.contrib.auth``'s UserAdmin: a project that customises its
user admin would lose its class, or hardsess would lose a registration race. Add the action::

    # myproject/admin.py
    from django.contrib import admin
    from django.contrib.auth.admin import UserAdmin
    from django.contrib.auth.models import User
    from hardsess.admin import logout_everywhere_action

    class MyUserAdmin(UserAdmin):
        actions = (*UserAdmin.actions, logout_everywhere_action)

    admin.site.unregister(User)
    admin.site.register(User, MyUserAdmin)

The revocation marks are shown read-only (RevocationMark) so an operator can see who was logged
out everywhere, and when.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from django.contrib import admin, messages
from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.http import HttpRequest

from hardsess.models import RevocationMark


@admin.action(description="Log out everywhere (end every session of the selected users)")
def logout_everywhere_action(
    modeladmin: admin.ModelAdmin[Any], request: HttpRequest, queryset: QuerySet[Any]
) -> None:
    """Run :func:`hardsess.sessions.logout_everywhere` for each selected user.

    Selecting yourself logs you out too (your next request is anonymous).
    """
    try:
        # Imported here: admin autodiscovery runs for every manage.py command, and the
        # lifecycle machinery is only needed when an admin actually runs the action.
        from hardsess.sessions import logout_everywhere

        results = [logout_everywhere(user) for user in queryset]
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
    """Read-only: marks are written by logout and logout_everywhere, never by hand."""

    list_display = ("user_key", "valid_after_utc")
    search_fields = ("user_key",)

    @admin.display(description="valid after (UTC)", ordering="valid_after")
    def valid_after_utc(self, mark: RevocationMark) -> str:
        if mark.valid_after is None:  # only the user's groups changed: nothing refused
            return "-"
        return datetime.fromtimestamp(mark.valid_after, tz=timezone.utc).isoformat()

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
