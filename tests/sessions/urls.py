"""URLconf of the lifecycle tests (ROOT_URLCONF is overridden to this module)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.urls import path

from hardsess.admin import LogoutEverywhereAdminMixin, logout_everywhere_action
from tests.sessions import views


class LifecycleUserAdmin(LogoutEverywhereAdminMixin, UserAdmin):
    """The documented way to offer "log out everywhere" in a site's user admin."""

    actions = (*UserAdmin.actions, logout_everywhere_action)


site = admin.AdminSite(name="lifecycle_admin")
site.register(User, LifecycleUserAdmin)

urlpatterns = [
    path("read/", views.read),
    path("write/", views.write),
    path("login/", views.do_login),
    path("logout/", views.do_logout),
    path("wait/", views.wait),
    path("write-wait/", views.write_wait),
    path("slow/", views.slow),
    path("sudo/", views.sudo),
    path("expired/", views.expired, name="session-expired"),
    path("admin/", site.urls),
]
