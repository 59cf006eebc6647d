"""What the judges know about Django itself: its defaults and the dotted paths it is known by.

Deploy mode and the system checks fill a setting nobody wrote with Django's default
(:func:`django_defaults`); the middleware and engine paths let the judges recognise Django's
cookie-setting middleware, its session engines and serializers, and hardsess's own middleware.
Standard library only (``django.conf.global_settings`` is imported lazily, and it configures
nothing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from hardsess.django_release import at_least

__all__ = [
    "COOKIE_MIDDLEWARE",
    "DEFAULT_HISTORY",
    "DEFAULT_MAX_SESSION_AGE",
    "DJANGO_DEFAULTS",
    "FILE_ENGINE",
    "JSON_SERIALIZER",
    "LIFECYCLE_MIDDLEWARE",
    "MIDDLEWARE",
    "SIGNED_COOKIES_ENGINE",
    "assumed_django",
    "assumed_release",
    "defaults_of",
    "django_defaults",
]

#: Dotted path of hardsess's cookie firewall as it appears in MIDDLEWARE.
MIDDLEWARE = "hardsess.middleware.HardSessMiddleware"
LIFECYCLE_MIDDLEWARE = "hardsess.sessions.SessionLifecycleMiddleware"
#: Django middleware that set cookies; the firewall must stand above them to see those cookies.
COOKIE_MIDDLEWARE: Mapping[str, str] = {
    "django.contrib.sessions.middleware.SessionMiddleware": "SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware": "CsrfViewMiddleware",
    "django.middleware.locale.LocaleMiddleware": "LocaleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware": "MessageMiddleware",
}
#: Django's SESSION_COOKIE_AGE default, and HS104's default maximum.
DEFAULT_MAX_SESSION_AGE = 14 * 24 * 60 * 60

SIGNED_COOKIES_ENGINE = "django.contrib.sessions.backends.signed_cookies"
#: hardsess's signed-cookie engine: the session signed once, with the firewall's keyring.
HARDSESS_COOKIES_ENGINE = "hardsess.backends.signed_cookies"
FILE_ENGINE = "django.contrib.sessions.backends.file"
JSON_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"

#: Django 5.2's defaults for the settings the catalogue reads. Deploy mode fills in
#: :func:`django_defaults`, which prefers the installed Django's own values: defaults move
#: between releases (SIGNED_COOKIE_LEGACY_SALT_FALLBACK is True in 5.2 and 6.0, False in 6.1).
DJANGO_DEFAULTS: Mapping[str, object] = {
    "SESSION_COOKIE_SECURE": False,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_AGE": 60 * 60 * 24 * 7 * 2,
    "SESSION_COOKIE_DOMAIN": None,
    "SESSION_COOKIE_NAME": "sessionid",
    "SESSION_COOKIE_PATH": "/",
    "SESSION_SERIALIZER": JSON_SERIALIZER,
    "SESSION_ENGINE": "django.contrib.sessions.backends.db",
    "SESSION_FILE_PATH": None,
    "CSRF_COOKIE_SECURE": False,
    "CSRF_COOKIE_SAMESITE": "Lax",
    "CSRF_COOKIE_DOMAIN": None,
    "CSRF_COOKIE_NAME": "csrftoken",
    "CSRF_COOKIE_PATH": "/",
    "CSRF_COOKIE_HTTPONLY": False,
    "LANGUAGE_COOKIE_NAME": "django_language",
    "LANGUAGE_COOKIE_SECURE": False,
    "LANGUAGE_COOKIE_HTTPONLY": False,
    "LANGUAGE_COOKIE_SAMESITE": None,
    "SECRET_KEY_FALLBACKS": [],
    "SIGNED_COOKIE_LEGACY_SALT_FALLBACK": True,
    "MIDDLEWARE": [],
    "INSTALLED_APPS": [],
}


#: The defaults that changed between the releases hardsess knows: per setting, the release
#: from which each value holds, oldest first. Before the first entry the setting does not
#: exist (so no rule judges its default).
DEFAULT_HISTORY: Mapping[str, tuple[tuple[tuple[int, int], object], ...]] = {
    "SESSION_COOKIE_SAMESITE": (((2, 1), "Lax"),),
    "CSRF_COOKIE_SAMESITE": (((2, 1), "Lax"),),
    "LANGUAGE_COOKIE_SECURE": (((3, 0), False),),
    "LANGUAGE_COOKIE_HTTPONLY": (((3, 0), False),),
    "LANGUAGE_COOKIE_SAMESITE": (((3, 0), None),),
    "SECRET_KEY_FALLBACKS": (((4, 1), []),),
    "SIGNED_COOKIE_LEGACY_SALT_FALLBACK": (((5, 2), True), ((6, 1), False)),
}

_installed_defaults: Mapping[str, object] | None = None
#: The Django release deploy mode assumes for the project being linted (its pinned version),
#: set by the linter's runner for the length of a run; None: the installed Django's.
#: ``(version, where it was read)``; messages about a default name the release.
_assumed: ContextVar[tuple[tuple[int, int], str] | None] = ContextVar(
    "hardsess_assumed_django", default=None
)


@contextmanager
def assumed_django(version: tuple[int, int] | None, source: str = "") -> Iterator[None]:
    """Within the block, :func:`django_defaults` with no argument gives ``version``'s defaults
    (None: the installed Django's), and :func:`assumed_release` names it."""
    token = _assumed.set(None if version is None else (version, source))
    try:
        yield
    finally:
        _assumed.reset(token)


def assumed_release() -> str | None:
    """``"Django 4.2, pinned in requirements.txt"`` inside :func:`assumed_django`, else None."""
    assumed = _assumed.get()
    if assumed is None:
        return None
    (major, minor), source = assumed
    return f"Django {major}.{minor}" + (f", pinned in {source}" if source else "")


def defaults_of(version: object) -> Mapping[str, object]:
    """Django's defaults in release ``version`` (``(4, 2)``, ``django.VERSION``, ``"6.1"``: see
    :func:`hardsess.django_release.release_of`), from :data:`DJANGO_DEFAULTS` and
    :data:`DEFAULT_HISTORY`."""
    values = dict(DJANGO_DEFAULTS)
    for name, history in DEFAULT_HISTORY.items():
        values.pop(name, None)
        for since, value in history:
            if at_least(version, since):  # calendar versions and VersionTuples alike
                values[name] = value
    return values


def django_defaults(version: tuple[int, int] | None = None) -> Mapping[str, object]:
    """Django's defaults for release ``version``; without one, for the release assumed by
    :func:`assumed_django`, else as the installed Django has them, else
    :data:`DJANGO_DEFAULTS`.

    ``django.conf.global_settings`` is a module of constants: importing it configures nothing.
    A setting the installed Django does not know (yet, or any more) is left out, so no rule
    judges a default that release does not have.
    """
    if version is None and (assumed := _assumed.get()) is not None:
        version = assumed[0]
    if version is not None:
        return defaults_of(version)
    global _installed_defaults
    if _installed_defaults is None:
        try:
            from django.conf import global_settings
        except ImportError:
            _installed_defaults = DJANGO_DEFAULTS
        else:
            _installed_defaults = {
                name: getattr(global_settings, name)
                for name in DJANGO_DEFAULTS
                if hasattr(global_settings, name)
            }
    return _installed_defaults


#: Which middleware sets the cookie a family of settings configures: the kind
#: ``classify`` gives it, or a word of its class name, so a project's own ``TenantSessions``
#: or ``CsrfMiddleware`` counts as present (the cautious side: the defaults are still judged).
#: The legacy salt (``SIGNED_COOKIE_``) matters to any signed cookie Django sets itself: the
#: signed-cookie session engine's and the cookie message storage's; with neither middleware
#: there is no such cookie to replay. A view's own ``get_signed_cookie`` is not seen here.
_COOKIE_SETTERS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "SESSION_": (("SessionMiddleware", "session"),),
    "CSRF_": (("CsrfViewMiddleware", "csrf"),),
    "SIGNED_COOKIE_": (("SessionMiddleware", "session"), ("MessageMiddleware", "message")),
}


def cookies_never_set(
    middleware: object, classify: Callable[[str], str | None] | None = None
) -> tuple[str, ...]:
    """The setting prefixes (``"SESSION_"``, ``"CSRF_"``, ``"SIGNED_COOKIE_"``) whose cookie no
    entry of a known ``MIDDLEWARE`` list sets: Django's defaults for those settings are not
    judged then, by the linter's deploy mode and the system checks alike (Django's own
    W010/W016 do the same).
    ``classify`` (the system checks' ``classify_middleware``) names an entry's kind through
    its class hierarchy. ``()`` when ``middleware`` is not a list of dotted paths (unknown:
    judge the defaults)."""
    if not isinstance(middleware, (list, tuple)) or not all(
        isinstance(entry, str) for entry in middleware
    ):
        return ()
    kinds = {classify(entry) for entry in middleware} if classify is not None else set()
    names = [entry.rpartition(".")[2].lower() for entry in middleware]
    return tuple(
        prefix
        for prefix, setters in _COOKIE_SETTERS.items()
        if not any(kind in kinds or any(word in name for name in names) for kind, word in setters)
    )
