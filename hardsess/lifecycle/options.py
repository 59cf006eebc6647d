"""``HARDSESS["SESSION"]``: the rules its values must follow, and the options the lifecycle reads.

The rules live here and nowhere else. :func:`option_problems` lists every problem of a value
at once, each with the system check that reports it (:mod:`hardsess.checks` only turns them
into messages) and whether the lifecycle refuses to run with it. :func:`lifecycle_options`,
read on every request, raises ImproperlyConfigured for the first problem it refuses.

The lifecycle refuses a value it could only act on wrongly: a duration that is no duration, an
activity interval that lets an active user time out, an unknown mark store, a mark cache that
is missing or stores nothing (a revocation that silently does nothing must fail closed), group
tracking that cannot be connected. A value it can still read, by its truth
(``CYCLE_ON_PRIVILEGE_CHANGE = "yes"``) or as text, or an unknown key, is only reported by the
check: a typo there must not take a site down at its next request.

Importing this module is cheap (``hardsess.checks`` imports it from the app's ``ready()``): the
cache judge is imported only for ``REVOCATION = "cache"``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Final

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.signals import setting_changed
from django.dispatch import receiver

from hardsess import conf

#: The mark stores ``REVOCATION`` may name (:func:`hardsess.lifecycle.marks.mark_store`).
REVOCATION_BACKENDS: Final = ("cache", "db")

#: The system check of an invalid option.
OPTIONS_CHECK_ID: Final = "hardsess.E163"


def duration_seconds(value: object) -> float | None:
    """A positive duration (a number of seconds or a timedelta) in seconds; None for anything
    else, None itself included (booleans are not numbers here)."""
    if isinstance(value, timedelta):
        value = value.total_seconds()
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        return None
    return float(value)


def _optional_seconds(value: object) -> bool:
    return value is None or duration_seconds(value) is not None


_SECONDS = "None, a positive number of seconds or a timedelta"

#: Every ``HARDSESS["SESSION"]`` key, with the test its value must pass and the wording of it.
SESSION_OPTION_TYPES: Mapping[str, tuple[Callable[[object], bool], str]] = {
    "IDLE_TIMEOUT": (_optional_seconds, _SECONDS),
    "ABSOLUTE_TIMEOUT": (_optional_seconds, _SECONDS),
    "ACTIVITY_WRITE_INTERVAL": (
        lambda v: duration_seconds(v) is not None,
        "a positive number of seconds or a timedelta",
    ),
    "CYCLE_KEY_EVERY": (_optional_seconds, _SECONDS),
    "CYCLE_ON_PRIVILEGE_CHANGE": (lambda v: isinstance(v, bool), "True or False"),
    "REVOCATION": (lambda v: v is None or v in REVOCATION_BACKENDS, "None, 'cache' or 'db'"),
    "REVOCATION_CACHE": (lambda v: isinstance(v, str), "a cache alias"),
    "EXPIRED_REDIRECT_URL": (lambda v: v is None or isinstance(v, str), "None or a URL string"),
}

#: Keys whose value of the wrong type the lifecycle refuses (the others it reads by truth
#: value or str(); REVOCATION_CACHE is refused when it names the cache in use).
_REFUSED_TYPES = frozenset(
    ("IDLE_TIMEOUT", "ABSOLUTE_TIMEOUT", "ACTIVITY_WRITE_INTERVAL", "CYCLE_KEY_EVERY", "REVOCATION")
)

#: The options that do something, and only through SessionLifecycleMiddleware: any of them
#: set makes the options :attr:`~LifecycleOptions.active` (and, without the middleware in
#: MIDDLEWARE, system check hardsess.W166).
MIDDLEWARE_OPTIONS: Final = (
    "IDLE_TIMEOUT",
    "ABSOLUTE_TIMEOUT",
    "CYCLE_KEY_EVERY",
    "CYCLE_ON_PRIVILEGE_CHANGE",
    "REVOCATION",
)


@dataclass(frozen=True, slots=True)
class OptionProblem:
    """One thing wrong with a ``HARDSESS["SESSION"]`` value."""

    message: str
    #: The system check that reports it (its letter says error or warning).
    check_id: str = OPTIONS_CHECK_ID
    #: The check's hint.
    hint: str = "See docs/sessions.md#options."
    #: Whether the lifecycle refuses to run with it (ImproperlyConfigured on each request).
    refused: bool = True

    @property
    def is_error(self) -> bool:
        return self.check_id.startswith("hardsess.E")


def option_problems(raw: object) -> list[OptionProblem]:
    """Every problem of the ``HARDSESS["SESSION"]`` value ``raw`` (None: not set), in order."""
    if raw is None:
        return []
    if not isinstance(raw, Mapping):
        # The lifecycle reads it as empty (hardsess.conf): everything off, nothing to refuse.
        return [
            OptionProblem(
                f"HARDSESS['SESSION'] must be a dict, not {type(raw).__name__}", refused=False
            )
        ]
    problems = []
    unknown = sorted(str(k) for k in raw if k not in SESSION_OPTION_TYPES)
    if unknown:
        problems.append(
            OptionProblem(
                f"HARDSESS['SESSION'] has unknown option(s): {', '.join(unknown)}", refused=False
            )
        )
    backend = raw.get("REVOCATION")
    for key, (test, wanted) in SESSION_OPTION_TYPES.items():
        if key in raw and not test(raw[key]):
            refused = key in _REFUSED_TYPES or (key == "REVOCATION_CACHE" and backend == "cache")
            problems.append(
                OptionProblem(
                    f"HARDSESS['SESSION']['{key}'] must be {wanted}, not {raw[key]!r}",
                    refused=refused,
                )
            )
    idle = duration_seconds(raw.get("IDLE_TIMEOUT"))
    interval = duration_seconds(raw.get("ACTIVITY_WRITE_INTERVAL", 60))
    if idle is not None and interval is not None and interval >= idle:
        # The activity stamp moves at most once an interval: the real idle limit is
        # IDLE_TIMEOUT minus up to one interval, which must stay above zero.
        problems.append(
            OptionProblem(
                "HARDSESS['SESSION']['ACTIVITY_WRITE_INTERVAL'] must be below IDLE_TIMEOUT "
                f"({interval:g} >= {idle:g}): an active user could time out between two writes"
            )
        )
    alias = raw.get("REVOCATION_CACHE", "default")
    if backend == "cache" and isinstance(alias, str):
        problems += _mark_cache_problems(alias)
    if (
        backend in REVOCATION_BACKENDS
        and raw.get("CYCLE_ON_PRIVILEGE_CHANGE")
        and not apps.is_installed(conf.APP_NAME)
    ):
        # Group changes are then recorded by signal receivers, which the app's ready()
        # connects in every process: without it, a change made in a shell, a management
        # command or a worker would go unrecorded and no session would cycle.
        problems.append(
            OptionProblem(
                "HARDSESS['SESSION']: CYCLE_ON_PRIVILEGE_CHANGE with REVOCATION needs "
                f"{conf.APP_NAME!r} in INSTALLED_APPS (see docs/sessions.md)"
            )
        )
    return problems


def _mark_cache_problems(alias: str) -> list[OptionProblem]:
    """REVOCATION = "cache": the alias must be in CACHES, and its cache able to hold marks
    (hardsess.E170 refuses a cache that stores nothing, hardsess.W171 warns of one that
    evicts or is private to a process)."""
    if alias not in getattr(settings, "CACHES", {}):
        return [
            OptionProblem(
                f"HARDSESS['SESSION']['REVOCATION_CACHE'] is {alias!r}, which is not in CACHES"
            )
        ]
    from hardsess.lifecycle.cache_fitness import cache_fitness

    fitness = cache_fitness(alias)
    if fitness is None:
        return []
    kind, why = fitness
    where = f"HARDSESS['SESSION']['REVOCATION'] = 'cache' on CACHES[{alias!r}]"
    if kind == "unfit":
        return [
            OptionProblem(
                f"{where}: {why}; the lifecycle middleware refuses to run on it",
                check_id="hardsess.E170",
                hint="Use REVOCATION = 'db', or a shared cache that keeps its entries "
                "(Redis without an allkeys-* eviction policy); see docs/sessions.md.",
            )
        ]
    return [
        OptionProblem(
            f"{where}: {why}; an evicted or unseen mark silently revives the sessions it refused",
            check_id="hardsess.W171",
            hint="Use REVOCATION = 'db', or Redis / memcached / a DatabaseCache sized for "
            "the marks; see docs/sessions.md.",
            refused=False,
        )
    ]


@dataclass(frozen=True)
class LifecycleOptions:
    """``HARDSESS["SESSION"]`` validated; every duration in seconds, ``None`` meaning off."""

    idle_timeout: float | None = None
    absolute_timeout: float | None = None
    activity_write_interval: float = 60
    cycle_key_every: float | None = None
    cycle_on_privilege_change: bool = False
    revocation: str | None = None
    revocation_cache: str = "default"
    expired_redirect_url: str | None = None

    @property
    def active(self) -> bool:
        """Whether the middleware has anything to do at all (the fast path when not): one of
        :data:`MIDDLEWARE_OPTIONS` is set."""
        return bool(
            self.idle_timeout
            or self.absolute_timeout
            or self.cycle_key_every
            or self.cycle_on_privilege_change
            or self.revocation
        )


#: (the HARDSESS object, its "SESSION" entry as written, the HARDSESS["SESSION"] mapping, its
#: validated options): settings are read on every request, validated only when the mapping is
#: a new object (override_settings, a deploy).
_options_cache: tuple[object, object, Mapping[str, Any], LifecycleOptions] | None = None
_ABSENT = object()


def lifecycle_options() -> LifecycleOptions:
    """``HARDSESS["SESSION"]`` as it is now, validated (settings are read at access time).

    The validation is remembered for the mapping object it checked (held here, so its identity
    cannot be reused): replacing the setting, as override_settings does, validates again;
    mutating the mapping in place is not supported (nor is it for Django's own settings).

    Raises ImproperlyConfigured, naming the system check that reports it too, for the first
    problem of :func:`option_problems` that the lifecycle refuses (see the module docstring).
    """
    global _options_cache
    holder = getattr(settings, conf.SETTING_NAME, None)
    cached = _options_cache
    # The per-request path: the same HARDSESS dict holding the same SESSION object. Two
    # identity tests, where going through conf costs two calls and two ABC isinstance checks.
    entry = holder.get("SESSION", _ABSENT) if type(holder) is dict else _ABSENT
    if cached is not None and entry is not _ABSENT and cached[0] is holder and cached[1] is entry:
        return cached[3]
    raw = conf.session_options()
    options = cached[3] if cached is not None and cached[2] is raw else _validated(raw)
    _options_cache = (holder, entry, raw, options)
    return options


@receiver(setting_changed, dispatch_uid="hardsess.sessions.forget_options")
def _forget_options(setting: str, **kwargs: Any) -> None:
    # The validation also depends on INSTALLED_APPS, which tests override on their own.
    global _options_cache
    if setting in (conf.SETTING_NAME, "INSTALLED_APPS", "CACHES"):
        _options_cache = None


def _validated(raw: Mapping[str, Any]) -> LifecycleOptions:
    for problem in option_problems(raw):
        if problem.refused:
            raise ImproperlyConfigured(f"{problem.message} (system check {problem.check_id})")
    interval = duration_seconds(raw.get("ACTIVITY_WRITE_INTERVAL", 60))
    assert interval is not None  # refused above otherwise
    redirect = raw.get("EXPIRED_REDIRECT_URL")
    return LifecycleOptions(
        idle_timeout=duration_seconds(raw.get("IDLE_TIMEOUT")),
        absolute_timeout=duration_seconds(raw.get("ABSOLUTE_TIMEOUT")),
        activity_write_interval=interval,
        cycle_key_every=duration_seconds(raw.get("CYCLE_KEY_EVERY")),
        cycle_on_privilege_change=bool(raw.get("CYCLE_ON_PRIVILEGE_CHANGE", False)),
        revocation=raw.get("REVOCATION"),
        revocation_cache=str(raw.get("REVOCATION_CACHE", "default")),
        expired_redirect_url=None if redirect is None else str(redirect),
    )


def options_or_none() -> LifecycleOptions | None:
    """The options for code that must not fail over a typo in HARDSESS (a login, a logout, a
    group change: signal receivers); None when they are invalid. The middleware raises on the
    request itself, and system check hardsess.E163 names the problem."""
    try:
        return lifecycle_options()
    except ImproperlyConfigured:
        return None
