"""Settings for Django's own test suite (tests/runtests.py) with hardsess's firewall in front.

Django's ``tests/test_sqlite.py`` verbatim (runtests.py replaces INSTALLED_APPS, MIDDLEWARE and
ROOT_URLCONF itself), plus the test runner that puts HardSessMiddleware back into every
middleware chain a handler builds (see hardsess_djsuite_runner), and the test-client mode
the harness asks for.
"""

from __future__ import annotations

import os

DATABASES = {
    "default": {"ENGINE": "django.db.backends.sqlite3"},
    "other": {"ENGINE": "django.db.backends.sqlite3"},
}

SECRET_KEY = "django_tests_secret_key"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

USE_TZ = False

TEST_RUNNER = "hardsess_djsuite_runner.HardSessRunner"

# The harness runs the suites once per test-client mode (docs/adopting.md#your-test-suite).
HARDSESS = {"TEST_CLIENT": os.environ.get("HARDSESS_DJSUITE_TEST_CLIENT", "transparent")}
