"""HS141-HS143: cross-site cookies in source (catalogue: hardsess/policy/hs14x_cross_site.py).

Browsers (Chrome 80 and later, then the others) reject a ``SameSite=None`` cookie that is not
``Secure``.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id


class SameSiteNoneWithoutSecure(SettingsRule):
    """HS141: ``*_COOKIE_SAMESITE = "None"`` while the matching ``*_COOKIE_SECURE`` is not True.

    No fix: making the cookie Secure changes where it is sent, and choosing Lax instead breaks
    whatever cross-site use made someone write "None". Both need a human decision.
    """

    record = by_id("HS141")
    VALID = (
        Valid('SESSION_COOKIE_SAMESITE = "None"\nSESSION_COOKIE_SECURE = True\n'),
        Valid('CSRF_COOKIE_SAMESITE = "Lax"\nCSRF_COOKIE_SECURE = False\n'),
        # Secure is not written in this file: file mode has no opinion on what another sets.
        Valid('SESSION_COOKIE_SAMESITE = "None"\n'),
        Valid(
            'DEBUG = False\nSESSION_COOKIE_SAMESITE = "None"\nSESSION_COOKIE_SECURE = not DEBUG\n'
        ),
        Valid(
            'SESSION_COOKIE_SAMESITE = "None"  # hardsess: ignore[HS141]\n'
            "SESSION_COOKIE_SECURE = False\n"
        ),
    )
    INVALID = (
        Invalid('SESSION_COOKIE_SAMESITE = "None"\nSESSION_COOKIE_SECURE = False\n'),
        Invalid('DEBUG = True\nCSRF_COOKIE_SAMESITE = "none"\nCSRF_COOKIE_SECURE = not DEBUG\n'),
        Invalid(
            "import os\n"
            'LANGUAGE_COOKIE_SAMESITE = "None"\n'
            'LANGUAGE_COOKIE_SECURE = os.getenv("HTTPS", "off") == "on"\n'
        ),
        Invalid(
            'SESSION_COOKIE_SAMESITE = "None"\n'
            "SESSION_COOKIE_SECURE = False\n"
            'CSRF_COOKIE_SAMESITE = "None"\n'
            "CSRF_COOKIE_SECURE = 0\n",
            count=2,
        ),
    )


class PartitionedWithoutSecure(SettingsRule):
    """HS142: a ``HARDSESS["COOKIES"]`` entry asking for Partitioned and ``"secure": False``.

    No fix: which of the two the author meant is theirs to say.
    """

    record = by_id("HS142")
    VALID = (
        Valid('HARDSESS = {"COOKIES": {"widget": {"partitioned": True}}}\n'),
        Valid('HARDSESS = {"COOKIES": {"widget": {"partitioned": True, "secure": True}}}\n'),
        Valid('HARDSESS = {"COOKIES": {"dev": {"secure": False}}}\n'),
        # The entry's own Secure overrides what "*" says.
        Valid(
            'HARDSESS = {"COOKIES": {"*": {"secure": False}, '
            '"widget": {"partitioned": True, "secure": True}}}\n'
        ),
    )
    INVALID = (
        Invalid('HARDSESS = {"COOKIES": {"widget": {"partitioned": True, "secure": False}}}\n'),
        # Inherited from "*": reported once, at "*".
        Invalid(
            'HARDSESS = {"COOKIES": {"*": {"partitioned": True, "secure": False}, '
            '"other": {"sign": False}}}\n'
        ),
        Invalid(
            'HARDSESS = {"COOKIES": {"*": {"secure": False}, "widget": {"partitioned": True}}}\n'
        ),
    )


class EmbeddedCookieUnpartitioned(SettingsRule):
    """HS143: with ``HARDSESS["EMBEDDED"] = True``, a SameSite=None cookie not Partitioned.

    No fix: partitioning changes which jar the cookie lives in (a session started in the
    iframe is not the one of the top-level site), which is a decision.
    """

    record = by_id("HS143")
    VALID = (
        Valid(
            'SESSION_COOKIE_SAMESITE = "None"\n'
            'HARDSESS = {"EMBEDDED": True, "COOKIES": {"sessionid": {"partitioned": True}}}\n'
        ),
        # Not embedded: SameSite=None alone is HS103's business.
        Valid('SESSION_COOKIE_SAMESITE = "None"\nHARDSESS = {"COOKIES": {}}\n'),
        Valid('SESSION_COOKIE_SAMESITE = "Lax"\nHARDSESS = {"EMBEDDED": True}\n'),
        Valid(
            'SESSION_COOKIE_NAME = "__Host-sid"\n'
            'SESSION_COOKIE_SAMESITE = "None"\n'
            'HARDSESS = {"EMBEDDED": True, "COOKIES": {"*": {"partitioned": True}}}\n'
        ),
        Valid(
            'CSRF_USE_SESSIONS = True\nCSRF_COOKIE_SAMESITE = "None"\n'
            'HARDSESS = {"EMBEDDED": True}\n'
        ),
    )
    INVALID = (
        Invalid('SESSION_COOKIE_SAMESITE = "None"\nHARDSESS = {"EMBEDDED": True}\n'),
        Invalid(
            'SESSION_COOKIE_NAME = "__Host-sid"\n'
            'SESSION_COOKIE_SAMESITE = "None"\n'
            'CSRF_COOKIE_SAMESITE = "none"\n'
            'HARDSESS = {"EMBEDDED": True, "COOKIES": {"sessionid": {"partitioned": True}}}\n',
            count=2,
        ),
        Invalid('HARDSESS = {"EMBEDDED": True, "COOKIES": {"widget": {"samesite": "None"}}}\n'),
    )
