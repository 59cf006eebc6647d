"""The cookie firewall at work on a small site with SQLite sessions (Django's `db` engine).

1. The same view answered without and with HardSessMiddleware: the Set-Cookie headers.
2. A tampered cookie refused (and logged without its value); the view never sees it.
3. A key rotation: a cookie signed by the old key is accepted and re-signed by the new one,
   keeping its expiry.

Self-contained: it configures its own settings (in a child process, so that it does not
collide with other demo parts run in the same interpreter by examples/demo.py).
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD = {"id": "k1", "secret": "demo-only-old-key-" + "1" * 40, "state": "primary"}
NEW = {"id": "k2", "secret": "demo-only-new-key-" + "2" * 40, "state": "primary"}


def configure(database: str) -> None:
    from django.conf import settings

    settings.configure(
        SECRET_KEY="demo-only-secret-key-" + "x" * 40,
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        USE_TZ=True,
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
        ],
        MIDDLEWARE=[
            "django.middleware.security.SecurityMiddleware",
            "hardsess.middleware.HardSessMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": database}},
        SESSION_ENGINE="django.contrib.sessions.backends.db",
        HARDSESS={"KEYS": [OLD]},
        LOGGING_CONFIG=None,
    )


def login(request):  # type: ignore[no-untyped-def]
    from django.http import HttpResponse
    from django.middleware.csrf import get_token

    request.session["user"] = "alice"
    get_token(request)
    response = HttpResponse("signed in")
    response.set_cookie("theme", "dark", max_age=30 * 86400)  # no flags: a common mistake
    return response


def whoami(request):  # type: ignore[no-untyped-def]
    from django.http import JsonResponse

    return JsonResponse({"user": request.session.get("user"), "theme": request.COOKIES.get("theme")})


def show(title: str, response) -> None:  # type: ignore[no-untyped-def]
    print(f"--- {title}")
    for morsel in response.cookies.values():
        print("  Set-Cookie:", morsel.OutputString())
    print()


def run() -> None:
    database = str(Path(tempfile.mkdtemp(prefix="hardsess-demo-")) / "db.sqlite3")
    configure(database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import override_settings
    from django.urls import path

    # hardsess's test client: the firewall treats it as a browser and it shows the real wire
    # format (Django's own Client is served transparently, so that a project's tests pass
    # unchanged: docs/adopting.md#your-test-suite).
    from hardsess.testing import Client

    globals()["urlpatterns"] = [path("login/", login), path("whoami/", whoami)]
    call_command("migrate", verbosity=0)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("  [log %(levelname)s] %(message)s"))
    hardsess_log = logging.getLogger("hardsess")
    hardsess_log.addHandler(handler)
    hardsess_log.setLevel(logging.INFO)

    print("1. Set-Cookie headers of the same login view\n")
    from django.conf import settings

    without = [m for m in settings.MIDDLEWARE if "hardsess" not in m]
    with override_settings(MIDDLEWARE=without):
        show("without hardsess", Client().get("/login/"))
    browser = Client()
    show("with hardsess (Secure, HttpOnly, SameSite=Lax; values signed by key k1)", browser.get("/login/"))

    print("2. A tampered cookie\n")
    print("  the view sees:", browser.get("/whoami/").json())
    attacker = Client()
    for name, morsel in browser.cookies.items():
        attacker.cookies[name] = morsel.value
    signed = attacker.cookies["theme"].value
    attacker.cookies["theme"] = signed.replace(".dark", ".light")
    print("  theme cookie edited from ...dark to ...light; the view now sees:")
    print("  ", attacker.get("/whoami/").json())
    print()

    print("3. Rotation: k2 becomes primary, k1 still verifies (stage 2)\n")
    with override_settings(HARDSESS={"KEYS": [NEW, {**OLD, "state": "verify"}]}):
        before = browser.cookies["theme"].value.split(".")
        response = browser.get("/whoami/")
        print("  the view sees:", response.json())
        show("re-issued on the same response", response)
        after = browser.cookies["theme"].value.split(".")
        print(f"  theme: key {before[1]} -> {after[1]}, expiry {before[2]} -> {after[2]} (kept)")
    print()
    with override_settings(HARDSESS={"KEYS": [NEW, {**OLD, "state": "retired"}]}):
        stale = Client()
        stale.cookies["theme"] = ".".join(before)
        print("  stage 4 (k1 retired): a cookie still signed by k1 ->", stale.get("/whoami/").json())


if __name__ == "__main__":
    if "--run" in sys.argv:
        sys.path.insert(0, str(ROOT))
        run()
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([sys.executable, __file__, "--run"], env=env, check=True)
