"""Where and how long the session and CSRF cookies live: age (HS104), Domain (HS105) and the
``__Host-`` / ``__Secure-`` name prefixes (HS106).

None of these has an automatic fix: shortening sessions logs users out sooner, dropping a Domain
logs them out of sibling subdomains, and a prefix needs Secure, Path and Domain to agree. Each is
a product decision, so the finding explains and a human chooses.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id

_TIMEDELTA = "from datetime import timedelta\n"


class SessionCookieAge(SettingsRule):
    """HS104: above the configured maximum (14 days by default) or not a positive number."""

    policy = by_id("HS104")
    VALID = (
        Valid("SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day\n"),
        Valid("SESSION_COOKIE_AGE = 1209600  # exactly the 14-day maximum\n"),
        Valid(_TIMEDELTA + "SESSION_COOKIE_AGE = timedelta(hours=12).total_seconds()\n"),
        Valid("HOUR = 3600\nSESSION_COOKIE_AGE = 4 * HOUR\n"),
        Valid('import os\nSESSION_COOKIE_AGE = int(os.environ["SESSION_COOKIE_AGE"])\n'),
        Valid("SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # hardsess: ignore[HS104]\n"),
    )
    INVALID = (
        Invalid("SESSION_COOKIE_AGE = 60 * 60 * 24 * 30  # a month\n"),
        Invalid(_TIMEDELTA + "SESSION_COOKIE_AGE = timedelta(days=90).total_seconds()\n"),
        Invalid(_TIMEDELTA + "SESSION_COOKIE_AGE = int(timedelta(days=30).total_seconds())\n"),
        Invalid(
            "import datetime\n"
            "SESSION_COOKIE_AGE = (datetime.timedelta(weeks=2) + datetime.timedelta(days=1))"
            ".total_seconds()\n"
        ),
        Invalid("DAY = 24 * 60 * 60\nSESSION_COOKIE_AGE = 365 * DAY\n"),
        Invalid("SESSION_COOKIE_AGE = 0\n"),
        Invalid("SESSION_COOKIE_AGE = -1\n"),
        Invalid(
            "import environ\n"
            "env = environ.Env()\n"
            'SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 24 * 365)\n'
        ),
        Invalid(
            "from decouple import config\n"
            'SESSION_COOKIE_AGE = config("SESSION_COOKIE_AGE", default=31536000, cast=int)\n'
        ),
        Invalid(
            "from configurations import Configuration\n\n\n"
            "class Production(Configuration):\n"
            "    SESSION_COOKIE_AGE = 60 * 60 * 24 * 60\n"
        ),
    )


class CookieDomainShared(SettingsRule):
    """HS105: a Domain on the session or CSRF cookie shares it with every subdomain."""

    policy = by_id("HS105")
    VALID = (
        Valid("SESSION_COOKIE_DOMAIN = None\nCSRF_COOKIE_DOMAIN = None\n"),
        Valid('import os\nSESSION_COOKIE_DOMAIN = os.environ.get("COOKIE_DOMAIN")\n'),
        Valid('LANGUAGE_COOKIE_DOMAIN = ".example.com"  # carries no secret\n'),
        Valid('SESSION_COOKIE_DOMAIN = ".example.com"  # hardsess: ignore[HS105]\n'),
    )
    INVALID = (
        Invalid('SESSION_COOKIE_DOMAIN = ".example.com"\n'),
        Invalid(
            'SESSION_COOKIE_DOMAIN = "example.com"\nCSRF_COOKIE_DOMAIN = ".example.com"\n',
            count=2,
        ),
        Invalid(
            'import os\nSESSION_COOKIE_DOMAIN = os.environ.get("COOKIE_DOMAIN", ".example.com")\n'
        ),
        Invalid('PARENT = ".example.com"\nCSRF_COOKIE_DOMAIN = PARENT\n'),
    )


class CookiePrefixBroken(SettingsRule):
    """HS106: a ``__Host-`` / ``__Secure-`` name whose attributes make browsers drop it."""

    policy = by_id("HS106")
    VALID = (
        Valid('SESSION_COOKIE_NAME = "__Host-sessionid"\nSESSION_COOKIE_SECURE = True\n'),
        Valid(
            'SESSION_COOKIE_NAME = "__Secure-sessionid"\n'
            "SESSION_COOKIE_SECURE = True\n"
            'SESSION_COOKIE_DOMAIN = ".example.com"  # __Secure- allows a Domain\n'
        ),
        Valid('SESSION_COOKIE_NAME = "sessionid"\nSESSION_COOKIE_SECURE = False\n'),
        Valid(
            'DEBUG = False\nCSRF_COOKIE_NAME = "__Host-csrftoken"\nCSRF_COOKIE_SECURE = not DEBUG\n'
        ),
        # Secure is not written here: another settings module may set it.
        Valid('SESSION_COOKIE_NAME = "__Host-sessionid"\n'),
    )
    INVALID = (
        Invalid(
            'SESSION_COOKIE_NAME = "__Host-sessionid"\n'
            "SESSION_COOKIE_SECURE = True\n"
            'SESSION_COOKIE_DOMAIN = ".example.com"\n'
        ),
        Invalid(
            'CSRF_COOKIE_NAME = "__Host-csrftoken"\n'
            "CSRF_COOKIE_SECURE = True\n"
            'CSRF_COOKIE_PATH = "/app/"\n'
        ),
        Invalid('SESSION_COOKIE_NAME = "__Secure-sessionid"\nSESSION_COOKIE_SECURE = False\n'),
        Invalid(
            "import os\n"
            'SESSION_COOKIE_NAME = "__Host-id"\n'
            'SESSION_COOKIE_SECURE = os.getenv("HTTPS", "") == "on"\n'
        ),
        Invalid(
            'DEBUG = True\nSESSION_COOKIE_NAME = "__Host-id"\nSESSION_COOKIE_SECURE = not DEBUG\n'
        ),
    )
