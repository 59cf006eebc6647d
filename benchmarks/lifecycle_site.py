"""A tiny Django site for the session lifecycle benchmark (settings and URLconf in one module).

Every lifecycle option is on in HARDSESS; the benchmark builds one handler with
SessionLifecycleMiddleware and one without it, so the options only act where it is installed.
``HARDSESS_BENCH_ENGINE`` picks the session engine (default ``db``, SQLite at
``HARDSESS_BENCH_SQLITE``); ``HARDSESS_BENCH_REVOCATION`` the mark store (default ``db``);
``HARDSESS_BENCH_REDIS_URL`` (or ``HARDSESS_TEST_REDIS_URL``) a Redis for the marks variant.
``HARDSESS_BENCH_STACK`` adds middleware for a server (``application``), which cannot be
handed a middleware list as the in-process benchmarks hand it one: ``whole`` the whole of
hardsess (the firewall after SecurityMiddleware, the lifecycle at the end), ``firewall`` or
``lifecycle`` one of them, ``floor`` their floors (benchmarks/floors.py) in the same places.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth import get_user_model, login
from django.http import HttpRequest, HttpResponse
from django.urls import path

SECRET_KEY = "bench-only-" + "l" * 50
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
ROOT_URLCONF = "benchmarks.lifecycle_site"
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "hardsess",
]
#: The stack without the lifecycle middleware; the benchmark appends it for the "with" run.
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
LIFECYCLE = "hardsess.sessions.SessionLifecycleMiddleware"
FIREWALL = "hardsess.middleware.HardSessMiddleware"
_STACK = os.environ.get("HARDSESS_BENCH_STACK", "")
_FIRST, _LAST = {
    "whole": (FIREWALL, LIFECYCLE),
    "firewall": (FIREWALL, None),
    "lifecycle": (None, LIFECYCLE),
    "floor": ("benchmarks.floors.FirewallFloor", "benchmarks.floors.MarkLookupFloor"),
}.get(_STACK, (None, None))
if _FIRST:
    MIDDLEWARE = [MIDDLEWARE[0], _FIRST, *MIDDLEWARE[1:]]
if _LAST:
    MIDDLEWARE = [*MIDDLEWARE, _LAST]
HARDSESS = {
    "SESSION": {
        "IDLE_TIMEOUT": 30 * 60,
        "ABSOLUTE_TIMEOUT": 12 * 3600,
        "ACTIVITY_WRITE_INTERVAL": 60,
        "CYCLE_KEY_EVERY": 15 * 60,
        "CYCLE_ON_PRIVILEGE_CHANGE": True,
        "REVOCATION": os.environ.get("HARDSESS_BENCH_REVOCATION", "db"),
        "EXPIRED_REDIRECT_URL": "/login/",
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends." + os.environ.get("HARDSESS_BENCH_ENGINE", "db")
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("HARDSESS_BENCH_SQLITE", ":memory:"),
    }
}
CACHES: dict[str, dict[str, str]] = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
#: A shared Redis for the marks, as production needs (HARDSESS_BENCH_REDIS_URL, e.g. the test
#: suite's redis://127.0.0.1:6379/15): the variant "marks in Redis" runs only when it is set.
REDIS_URL = os.environ.get("HARDSESS_BENCH_REDIS_URL") or os.environ.get("HARDSESS_TEST_REDIS_URL")
if REDIS_URL:
    CACHES["marks"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "hardsess-bench",
    }
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": False,
        "OPTIONS": {"context_processors": ["django.contrib.auth.context_processors.auth"]},
    }
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LOGGING_CONFIG = None


def view(request: HttpRequest) -> HttpResponse:
    """An ordinary authenticated page: reads the session and the user, sets two cookies."""
    theme = request.session.get("theme", "light")
    name = request.user.get_username() if request.user.is_authenticated else "anonymous"
    response = HttpResponse(f"hello {name} ({theme})")
    response.set_cookie("theme", theme, max_age=3600, secure=True, httponly=True, samesite="Lax")
    response.set_cookie(
        "last_seen", "2026-11-27T06:00:00Z", max_age=86400, secure=True, httponly=True,
        samesite="Lax",
    )  # fmt: skip
    return response


#: The realistic page (issue 15): a template with the user, as a site's base template renders it.
PAGE = """<!doctype html><html><head><title>{{ title }}</title></head><body>
<nav>{% if user.is_authenticated %}Signed in as {{ user.get_username }}{% else %}Sign in{% endif %}
</nav><main><h1>{{ title }}</h1><p>Theme: {{ theme }}</p><ul>
{% for group in groups %}<li>{{ group.name }}</li>{% empty %}<li>no group</li>{% endfor %}
</ul><p>{{ users }} user(s)</p></main></body></html>"""


_compiled: list[Any] = []


def _page_template(engine: Any) -> Any:
    """Compiled once, as Django's cached template loader does in production."""
    if not _compiled:
        _compiled.append(engine.from_string(PAGE))
    return _compiled[0]


def page(request: HttpRequest) -> HttpResponse:
    """A realistic request: renders a template with the user, reads the session, runs two
    queries (the user's groups, a count), sets one cookie."""
    from django.contrib.auth.models import Group
    from django.template import engines

    theme = request.session.get("theme", "light")
    context = {
        "title": "Dashboard",
        "theme": theme,
        "groups": list(Group.objects.filter(user__pk=request.user.pk)),
        "users": get_user_model().objects.count(),
    }
    html = _page_template(engines["django"]).render(context, request)
    response = HttpResponse(html)
    response.set_cookie("theme", theme, max_age=3600, secure=True, httponly=True, samesite="Lax")
    return response


def do_login(request: HttpRequest) -> HttpResponse:
    user, _ = get_user_model().objects.get_or_create(username="alice")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session["theme"] = "dark"
    return HttpResponse("in")


urlpatterns = [
    path("bench/", view),
    path("login/", do_login),
    path("page/", page),
    path("", lambda request: HttpResponse("up")),  # the server's readiness probe
]


_wsgi: Any = None


def application(environ: dict[str, Any], start_response: Any) -> Any:
    """WSGI entry point (gunicorn ``benchmarks.lifecycle_site:application``); loads Django
    lazily so this module can also be imported as the settings module."""
    global _wsgi
    if _wsgi is None:
        from django.core.wsgi import get_wsgi_application

        _wsgi = get_wsgi_application()
    return _wsgi(environ, start_response)
