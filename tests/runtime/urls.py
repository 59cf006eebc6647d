from __future__ import annotations

from django.urls import include, path

from tests.runtime import views

urlpatterns = [
    path("every/", views.every_cookie),
    path("echo/", views.echo),
    path("session/set/", views.session_set),
    path("session/get/", views.session_get),
    path("set/", views.set_cookie),
    path("delete/", views.delete_cookie),
    path("signed/", views.signed_read),
    path("messages/", views.read_messages),
    path("stream/", views.stream),
    path("async/", views.async_view),
    path("boom/", views.boom),
    path("whoami/", views.whoami),
    path("login/", views.login_as),
    path("logout/", views.logout_view),
    path("set-expires/", views.set_expires),
    path("raw-set-cookie/", views.raw_set_cookie),
    path("i18n/", include("django.conf.urls.i18n")),
]
