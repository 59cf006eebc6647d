"""The ``HARDSESS`` setting, read at access time so ``override_settings`` works.

Every key is optional. The full shape, with defaults::

    HARDSESS = {
        # Keyring for signing cookies. When absent, derived from SECRET_KEY (primary)
        # and SECRET_KEY_FALLBACKS (verify). See docs/rotation.md.
        "KEYS": [{"id": "k2", "secret": "...", "state": "primary"},   # or "verify" / "retired"
                 {"id": "k1", "secret": "...", "state": "verify"}],
        # Where the keyring lives: "settings" (KEYS / SECRET_KEY, the default), or a store the
        # fleet shares, "database" or "cache", with a schedule. See hardsess.keystore.options
        # and docs/rotation.md#key-store.
        "KEY_STORE": "settings",
        # Per-cookie policy, by cookie name; "*" is the default for every other cookie.
        "COOKIES": {"*": {"secure": True, "httponly": True, "samesite": "Lax",
                          "sign": True, "max_age": 400 * 24 * 3600}},
        # Log every correction and rejection the middleware would make; change nothing.
        "REPORT_ONLY": False,
        # Plain-HTTP development: Secure follows the request's scheme (request.is_secure()),
        # so cookies work on http://devbox:8000. Only with DEBUG = True (check hardsess.E174);
        # DEBUG alone never turns it on. See docs/runtime.md, "Plain-HTTP development".
        "DEVELOPMENT": False,
        # Django's test client and live test server: "transparent" (nothing signed, signatures
        # not demanded, so a project's tests pass unchanged) or "firewall" (treated like any
        # browser; use hardsess.testing.Client). See docs/adopting.md#your-test-suite.
        "TEST_CLIENT": "transparent",
        # What the firewall observes of each cookie, for `manage.py hardsess cookies`: when
        # ("report-only", "always" or "never"), where the fleet shares it ("database"), and how
        # often each process writes its totals. See docs/adopting.md#a-guided-rollout.
        "OBSERVE": {"WHEN": "report-only", "STORE": "database", "INTERVAL": 30},
        # Session lifecycle (hardsess.sessions), all off by default. See docs/sessions.md.
        # The site's pages are served inside other sites' iframes: SameSite=None cookies must be
        # Partitioned (rule HS143). See docs/runtime.md, "Embedded sites and Partitioned cookies".
        "EMBEDDED": False,
        # On logout (Django's user_logged_out): Clear-Site-Data directives sent on the logout
        # response, and cookies the firewall expires. See docs/runtime.md, "Clearing on logout".
        "ON_LOGOUT": {"CLEAR_SITE_DATA": [], "EXPIRE_COOKIES": []},
        "SESSION": {"IDLE_TIMEOUT": None, "ABSOLUTE_TIMEOUT": None,
                    "ACTIVITY_WRITE_INTERVAL": 60, "CYCLE_KEY_EVERY": None,
                    "CYCLE_ON_PRIVILEGE_CHANGE": False, "REVOCATION": None,
                    "REVOCATION_CACHE": "default", "EXPIRED_REDIRECT_URL": None},
        # hardsess.backends.signed_cookies reads sessions Django's signed_cookies engine signed
        # (each for SESSION_COOKIE_AGE from its signing) until this ISO 8601 date or datetime
        # (UTC); None: no end; False: never. See docs/sessions.md (check hardsess.E180).
        "DJANGO_SESSIONS_UNTIL": None,
    }
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from django.conf import settings

SETTING_NAME = "HARDSESS"

#: The dotted path of the cookie firewall, as it must appear in MIDDLEWARE.
MIDDLEWARE_PATH = "hardsess.middleware.HardSessMiddleware"
#: The dotted path of the session lifecycle middleware (below SessionMiddleware and auth).
LIFECYCLE_MIDDLEWARE_PATH = "hardsess.sessions.SessionLifecycleMiddleware"
#: The app label users put in INSTALLED_APPS.
APP_NAME = "hardsess"


def hardsess_settings() -> Mapping[str, Any]:
    """The raw ``HARDSESS`` mapping (empty when unset); read on every call, never cached."""
    value = getattr(settings, SETTING_NAME, None)
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        # Reported as a system check error (hardsess.E160); treated as empty meanwhile.
        return {}
    return value


def report_only() -> bool:
    return bool(hardsess_settings().get("REPORT_ONLY", False))


def development_mode() -> bool:
    """Whether ``HARDSESS["DEVELOPMENT"]`` is on: only the boolean True turns it on.

    Deliberately not ``bool()``: a string read from the environment ("False", "0") must not
    take Secure off (hardsess.E175 reports it). DEBUG is not consulted here; that development
    mode requires it is a system check (hardsess.E174), so a misconfiguration is loud, not
    silently repaired.
    """
    return hardsess_settings().get("DEVELOPMENT", False) is True


#: The values ``HARDSESS["TEST_CLIENT"]`` may take (hardsess.E176 reports any other).
TEST_CLIENT_MODES = ("transparent", "firewall")


def test_client_transparent() -> bool:
    """Whether Django's test servers get the transparent firewall (the default).

    Anything but the exact string "firewall" reads as the default: the mode only concerns
    test servers, and hardsess.E176 reports a value that is neither.
    """
    return bool(hardsess_settings().get("TEST_CLIENT", "transparent") != "firewall")


#: ``HARDSESS["OBSERVE"]``: its keys, the values of WHEN and STORE, and the defaults.
OBSERVE_WHEN = ("report-only", "always", "never")
OBSERVE_STORES = ("database",)
OBSERVE_DEFAULTS: Mapping[str, Any] = MappingProxyType(
    {"WHEN": "report-only", "STORE": "database", "INTERVAL": 30}
)


def observe_options() -> Mapping[str, Any]:
    """``HARDSESS["OBSERVE"]`` over its defaults (a malformed value reads as the defaults;
    hardsess.E177 reports it)."""
    value = hardsess_settings().get("OBSERVE")
    if not isinstance(value, Mapping):
        return OBSERVE_DEFAULTS
    return {**OBSERVE_DEFAULTS, **value}


def observing() -> bool:
    """Whether the firewall keeps observations now (report-only, by default)."""
    when = observe_options()["WHEN"]
    return when == "always" or (when == "report-only" and report_only())


#: What an absent or malformed setting reads as: one object, so that callers may remember
#: what they derived from it by identity (hardsess.sessions.lifecycle_options).
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def session_options() -> Mapping[str, Any]:
    value = hardsess_settings().get("SESSION", _EMPTY)
    return value if isinstance(value, Mapping) else _EMPTY


def keys_setting() -> object:
    """``HARDSESS["KEYS"]`` as written (None when absent); validated by hardsess.keyring."""
    return hardsess_settings().get("KEYS")


def cookie_policies_setting() -> object:
    """``HARDSESS["COOKIES"]`` as written (None when absent); see hardsess.firewall.requirements."""
    return hardsess_settings().get("COOKIES")


def on_logout_setting() -> object:
    """``HARDSESS["ON_LOGOUT"]`` as written (None when absent); see hardsess.firewall.logout."""
    return hardsess_settings().get("ON_LOGOUT")
