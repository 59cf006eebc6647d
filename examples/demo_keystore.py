"""A key rotation without a restart: the keyring in a shared store (issue 14).

One running site (Django's `db` sessions on SQLite, the keyring in the same database under a
key-encryption key) while an operator runs `manage.py hardsess keys rotate --now` and, later,
`keys revoke`. Nothing is restarted and no setting changes. The schedule is in seconds instead
of days so that the demo takes a few seconds: a new key is verify-only for 2 s, an old key
verifies 3 s after its successor signs.

Self-contained: it configures its own settings, in a child process (examples/demo.py runs
every part in one interpreter).
"""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def configure(database: str, kek: str) -> None:
    from django.conf import settings

    settings.configure(
        SECRET_KEY="demo-only-secret-key-" + "x" * 40,
        DEBUG=False,
        ALLOWED_HOSTS=["*"],
        USE_TZ=True,
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=[
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "hardsess",
        ],
        MIDDLEWARE=[
            "hardsess.middleware.HardSessMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
        ],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": database}},
        SESSION_ENGINE="django.contrib.sessions.backends.db",
        HARDSESS={
            "KEY_STORE": {
                "BACKEND": "database",
                "KEK": kek,
                "CACHE_SECONDS": 0.5,
                "MAX_STALE": 1,
                "MAX_CLOCK_SKEW": 0.2,
                "PROPAGATION_DELAY": 2,
                "OVERLAP": 3,
            }
        },
        LOGGING_CONFIG=None,
    )


def login(request):  # type: ignore[no-untyped-def]
    from django.http import HttpResponse

    request.session["user"] = "alice"
    return HttpResponse("signed in")


def whoami(request):  # type: ignore[no-untyped-def]
    from django.http import JsonResponse

    return JsonResponse({"user": request.session.get("user")})


def keys(*args: str) -> str:
    from django.core.management import call_command

    out = io.StringIO()
    try:
        call_command("hardsess", "keys", *args, stdout=out, stderr=out)
    except Exception as exc:  # revoke without --yes exits 2 after saying what it costs
        out.write(f"(exit: {exc})\n")
    return out.getvalue()


def run() -> None:
    from hardsess.keystore import crypto

    database = str(Path(tempfile.mkdtemp(prefix="hardsess-demo-ks-")) / "db.sqlite3")
    configure(database, crypto.new_kek())
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import path

    from hardsess.keystore import counts
    from hardsess.testing import Client

    counts.reporter.autostart = False
    globals()["urlpatterns"] = [path("login/", login), path("whoami/", whoami)]
    call_command("migrate", verbosity=0)
    logging.getLogger("hardsess").setLevel(logging.ERROR)

    def key_of(client: Client) -> str:
        return client.cookies["sessionid"].value.split(".")[1]

    def states() -> str:
        data = json.loads(keys("status", "--json"))
        ring = ", ".join(f"{k['id']}={k['state']}" for k in data["keys"])
        return f"{data['stage']}: {ring}"

    print("$ manage.py hardsess keys rotate      # an empty store: the first key")
    print("  " + keys("rotate").strip())
    browser = Client()
    browser.get("/login/")
    k1 = key_of(browser)
    print(f"  alice signs in; her session cookie is signed by {k1}\n")

    print("$ manage.py hardsess keys rotate --now   # on any server; nothing restarts")
    print("  " + keys("rotate", "--now").strip())
    print(f"  store: {states()}")
    print(f"  alice -> {browser.get('/whoami/').json()}, cookie still signed by {key_of(browser)}")
    time.sleep(2.6)
    print(f"\n  2 s later: {states()}")
    print(f"  alice -> {browser.get('/whoami/').json()}, cookie re-signed by {key_of(browser)}")
    k2 = key_of(browser)
    stale = Client()
    stale.cookies["sessionid"] = f"hs1.{k1}.0.{'A' * 43}.x"  # any cookie naming the old key
    time.sleep(3.6)
    print(f"\n  3 s later, past the overlap: {states()}")
    print(f"  alice -> {browser.get('/whoami/').json()} (she kept using the site)\n")

    print(f"$ manage.py hardsess keys revoke {k2}   # a leak: first, what it costs")
    print("  " + keys("revoke", k2).strip().replace("\n", "\n  "))
    print(f"$ manage.py hardsess keys revoke {k2} --yes")
    print("  " + keys("revoke", k2, "--yes").strip().replace("\n", "\n  "))
    time.sleep(0.7)
    print(f"  store: {states()}")
    print(f"  alice -> {browser.get('/whoami/').json()} (her cookie was signed by {k2}: refused)")


if __name__ == "__main__":
    if "--run" in sys.argv:
        sys.path.insert(0, str(ROOT))
        run()
    else:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run([sys.executable, __file__, "--run"], env=env, check=True)
