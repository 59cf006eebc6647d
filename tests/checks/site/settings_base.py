"""What every settings module of the check-test project shares: nothing about cookies."""

from __future__ import annotations

DEBUG = False
ALLOWED_HOSTS = ["localhost"]
ROOT_URLCONF = "tests.checks.site.urls"
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "hardsess",
]
# A test project that never serves anyone: a key in source is fine here (and only here).
SECRET_KEY = (
    "Qv3#kq9!zL2@wX8^mT5&rB1*yN7(pD4)sF6_hJ0+cG3-eK8=aU2~oI9|vW5" + "x"
)  # hardsess: ignore[HS131]
