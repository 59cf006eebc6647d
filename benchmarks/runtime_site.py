"""A tiny Django site for the runtime benchmark: settings, URLconf and WSGI app in one module.

``HARDSESS_BENCH_FIREWALL=0`` leaves HardSessMiddleware out; everything else is identical.
``HARDSESS_BENCH_ENGINE`` picks the session engine (default ``db`` on SQLite at
``HARDSESS_BENCH_SQLITE``).
"""

from __future__ import annotations

import os
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path

SECRET_KEY = "bench-only-" + "b" * 50
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
ROOT_URLCONF = "benchmarks.runtime_site"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    # benchmarks.keystore_request: the key store's table (hardsess_keyringversion).
    *(["hardsess"] if os.environ.get("HARDSESS_BENCH_KEYSTORE") == "1" else []),
]
_FIREWALL = os.environ.get("HARDSESS_BENCH_FIREWALL", "1") == "1"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    *(["hardsess.middleware.HardSessMiddleware"] if _FIREWALL else []),
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
SESSION_ENGINE = "django.contrib.sessions.backends." + os.environ.get("HARDSESS_BENCH_ENGINE", "db")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HARDSESS_BENCH_SQLITE", ":memory:"),
    }
}
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LOGGING_CONFIG = None


def view(request: HttpRequest) -> HttpResponse:
    """Reads the session, sets two cookies: the request the benchmark measures."""
    user = request.session.get("user", "anonymous")
    response = HttpResponse(f"hello {user}")
    response.set_cookie("theme", "dark", max_age=3600)
    response.set_cookie("last_seen", "2026-11-27T06:00:00Z", max_age=86400)
    return response


def login(request: HttpRequest) -> HttpResponse:
    request.session["user"] = "alice"
    return HttpResponse("in")


urlpatterns = [path("bench/", view), path("login/", login), path("", view)]


_wsgi: Any = None


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """WSGI entry point (gunicorn ``benchmarks.runtime_site:application``); loads Django lazily
    so this module can also be imported as the settings module."""
    global _wsgi
    if _wsgi is None:
        from django.core.wsgi import get_wsgi_application

        _wsgi = get_wsgi_application()
    return _wsgi(environ, start_response)
