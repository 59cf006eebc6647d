"""Session lifecycle demo: an idle timeout, and a signed-cookie replay refused after logout.

Self-contained: it configures its own settings (SQLite in a temporary directory) in a child
process, so it does not collide with the other demo parts. Time is scripted through
``hardsess.sessions.clock``, the one seam hardsess reads time from: no waiting.

    python examples/demo_sessions.py
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent


def configure(database: str) -> None:
    from django.conf import settings

    settings.configure(
        SECRET_KEY="demo-only-" + "d" * 50,
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        USE_TZ=True,
        ROOT_URLCONF="__main__",
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "hardsess",
        ],
        MIDDLEWARE=[
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "hardsess.sessions.SessionLifecycleMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": database}},
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        LOGGING_CONFIG=None,
    )


def page(request):  # type: ignore[no-untyped-def]
    from django.http import HttpResponse

    user = request.user
    return HttpResponse(f"hello {user.get_username()}" if user.is_authenticated else "hello stranger")


def sign_in(request):  # type: ignore[no-untyped-def]
    from django.contrib.auth import authenticate, login
    from django.http import HttpResponse

    user = authenticate(request, username="alice", password="correct horse")
    login(request, user)
    return HttpResponse("signed in")


def sign_out(request):  # type: ignore[no-untyped-def]
    from django.contrib.auth import logout
    from django.http import HttpResponse

    logout(request)
    return HttpResponse("signed out")


class Clock:
    """Scripted time: the demo says when minutes pass."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0  # some Tuesday morning in 2027

    def __call__(self) -> float:
        return self.now

    def minutes(self, n: float) -> None:
        self.now += 60 * n


def child() -> None:
    tmp = tempfile.mkdtemp(prefix="hardsess-demo-sessions-")
    configure(os.path.join(tmp, "demo.sqlite3"))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.test import Client, override_settings
    from django.urls import path

    from hardsess import sessions

    global urlpatterns
    urlpatterns = [path("", page), path("login/", sign_in), path("logout/", sign_out)]
    call_command("migrate", verbosity=0)
    User.objects.create_user("alice", password="correct horse")

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("      log %(name)s %(levelname)s: %(message)s"))
    logging.getLogger("hardsess").addHandler(handler)
    logging.getLogger("hardsess").propagate = False

    clock = Clock()
    sessions.clock = clock  # hardsess reads time only through this function

    def visit(client: Client, what: str, url: str = "/") -> str:
        body = client.get(url).content.decode() if url == "/" else client.post(url).content.decode()
        print(f"   {what:<52} -> {body}")
        return body

    print("1. Idle timeout (IDLE_TIMEOUT = 15 minutes, db engine)\n")
    with override_settings(HARDSESS={"SESSION": {"IDLE_TIMEOUT": 15 * 60}}):
        browser = Client()
        visit(browser, "alice signs in", "/login/")
        visit(browser, "she reads a page", "/")
        clock.minutes(14)
        visit(browser, "14 minutes later: still signed in", "/")
        clock.minutes(15)
        ended = visit(browser, "she leaves the tab; 15 minutes later:", "/")
        assert ended == "hello stranger"
        print("   The server flushed the session: a copy of its cookie is worth nothing now.\n")

    print("2. Replaying a signed cookie after logout (signed_cookies engine)\n")
    for revocation in (None, "db"):
        options = {"REVOCATION": revocation} if revocation else {"IDLE_TIMEOUT": 15 * 60}
        label = f"REVOCATION = {revocation!r}" if revocation else "Django alone (no revocation)"
        with override_settings(
            SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
            HARDSESS={"SESSION": options},
        ):
            print(f"   -- {label}")
            browser = Client()
            clock.minutes(1)
            visit(browser, "alice signs in", "/login/")
            stolen = browser.cookies[settings.SESSION_COOKIE_NAME].value
            print("   an attacker copies her session cookie (e.g. from a shared computer)")
            clock.minutes(1)
            visit(browser, "alice signs out", "/logout/")
            attacker = Client()
            attacker.cookies[settings.SESSION_COOKIE_NAME] = stolen
            result = visit(attacker, "the attacker replays the copied cookie", "/")
            if revocation:
                assert result == "hello stranger"
                print("   refused: the cookie was issued before alice's logout mark.\n")
            else:
                assert result == "hello alice"
                print("   accepted: the data lives in the cookie, logout cannot recall it.\n")


if __name__ == "__main__":
    if sys.argv[1:] == ["child"]:
        child()
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([sys.executable, str(Path(__file__).resolve()), "child"], env=env, check=True)
