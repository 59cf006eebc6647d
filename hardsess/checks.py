"""Django system checks: the rule catalogue judged on the live settings, and hardsess's own config.

Two families, both tagged ``security`` (``manage.py check --tag security``):

* **Catalogue checks** ``hardsess.E1nn`` / ``hardsess.W1nn`` (``E`` for a high-severity rule):
  every settings rule of :mod:`hardsess.policy` judged on ``django.conf.settings``, with the
  verdict's own message, so the linter and ``manage.py check`` say the same thing under the same
  number. Rules marked ``deploy_only`` run only under ``check --deploy``. One finding per
  problem: a verdict the enforcing cookie firewall makes moot at runtime is left out
  (:mod:`hardsess.enforced`), and so is one Django's own deploy check reports in the same run
  (:mod:`hardsess.django_overlap`).
* **Configuration checks** ``hardsess.E160`` to ``hardsess.E181``: hardsess's own settings
  (``HARDSESS``: keyring, per-cookie policy, session lifecycle, report-only, development
  mode) and the place of the lifecycle middleware. The table is in docs/checks.md.

How live values are fed to the judges: every setting a rule reads becomes
``Observed(value, Origin.LIVE)``, except a setting the user's settings module does not set and
that still has Django's global default: it becomes ``Origin.DJANGO_DEFAULT``, which is how
``explicit_only`` rules (the language cookie) learn not to judge Django's own default.

A string where Django expects a boolean (``SESSION_COOKIE_SECURE = "False"``, typically read
from the environment) is judged by what Django really does with it, its truth value, so the
catalogue stays silent on ``"False"`` (Secure *is* sent). Because that is almost never what the
author meant, W168 says so separately.

Importing this module stays cheap (``apps.py`` imports it from ``ready()``), and so does running
it (``benchmarks/checks_deploy.py``): no libcst; MIDDLEWARE entries are imported only when they
are neither Django's nor hardsess's own; the keyring, cookie-policy and pyproject readers only
when there is something for them to read.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from django.conf import global_settings, settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.checks import Warning as CheckWarning
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from hardsess import conf, django_overlap, policy
from hardsess.enforced import enforcement
from hardsess.lifecycle.options import (
    MIDDLEWARE_OPTIONS,
    OPTIONS_CHECK_ID,
    SESSION_OPTION_TYPES,
    OptionProblem,
    option_problems,
)

__all__ = [
    "CONFIG_CHECK_IDS",
    "HARDSESS_KEYS",
    "SESSION_OPTION_TYPES",
    "check_configuration",
    "check_deploy_configuration",
    "check_deploy_settings",
    "check_settings",
    "classify_middleware",
    "live_options",
    "live_values",
    "session_option_problems",
]

#: The IDs of the configuration checks, with what each one means (docs/checks.md mirrors it).
CONFIG_CHECK_IDS: Mapping[str, str] = {
    "hardsess.E160": "HARDSESS is not a dict",
    "hardsess.E161": "HARDSESS['KEYS'] is not a valid keyring",
    "hardsess.E162": "HARDSESS['COOKIES'] is not a valid per-cookie policy",
    "hardsess.E163": "HARDSESS['SESSION'] has invalid options",
    "hardsess.E164": "HARDSESS['REPORT_ONLY'] is not True or False",
    "hardsess.E165": "the session lifecycle middleware stands above SessionMiddleware or "
    "AuthenticationMiddleware",
    "hardsess.W166": "session lifecycle options are set but the lifecycle middleware is absent",
    "hardsess.W167": "report-only mode in a deployment (deploy check)",
    "hardsess.W168": "a string is used where Django expects a boolean",
    "hardsess.W169": "HARDSESS has a key hardsess does not know (a typo is silently ignored)",
    "hardsess.E170": "REVOCATION = 'cache' on a cache that stores nothing (DummyCache)",
    "hardsess.W171": "REVOCATION = 'cache' on a cache that evicts or is private to a process",
    "hardsess.E172": "EXPIRED_REDIRECT_URL resolves to no URL",
    "hardsess.W173": "key cycling on signed_cookies without REVOCATION leaves old copies valid",
    "hardsess.E174": "HARDSESS['DEVELOPMENT'] is on with DEBUG off",
    "hardsess.E175": "HARDSESS['DEVELOPMENT'] is not True or False",
    "hardsess.E176": "HARDSESS['TEST_CLIENT'] is neither 'transparent' nor 'firewall'",
    "hardsess.E177": "HARDSESS['OBSERVE'] is malformed",
    "hardsess.E178": "HARDSESS['EMBEDDED'] is not True or False",
    "hardsess.E179": "HARDSESS['ON_LOGOUT'] is malformed",
    "hardsess.E180": "HARDSESS['DJANGO_SESSIONS_UNTIL'] is not None, False or an ISO 8601 date",
    "hardsess.E181": "HARDSESS['KEY_STORE'] is malformed or its timings unsafe",
}

#: The keys of ``HARDSESS`` (hardsess.conf documents them).
HARDSESS_KEYS = (
    "COOKIES",
    "DEVELOPMENT",
    "EMBEDDED",
    "DJANGO_SESSIONS_UNTIL",
    "KEYS",
    "KEY_STORE",
    "OBSERVE",
    "ON_LOGOUT",
    "REPORT_ONLY",
    "SESSION",
    "TEST_CLIENT",
)

#: Settings Django reads as booleans (by truth value) that decide a cookie's protection.
BOOLEAN_SETTINGS = (
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "LANGUAGE_COOKIE_SECURE",
    "LANGUAGE_COOKIE_HTTPONLY",
    "SIGNED_COOKIE_LEGACY_SALT_FALLBACK",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "CSRF_USE_SESSIONS",
)

_SESSION_MIDDLEWARE = "django.contrib.sessions.middleware.SessionMiddleware"
_AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"

#: Where the firewall's class lives (its documented path, policy.MIDDLEWARE, is a re-export):
#: what the MRO of a project's subclass of it names.
_FIREWALL_CLASS = "hardsess.firewall.middleware.HardSessMiddleware"
#: Classes a MIDDLEWARE entry may be, or subclass, and the short name the judges use.
_KNOWN_MIDDLEWARE: Mapping[str, str] = {
    policy.MIDDLEWARE: "hardsess",
    _FIREWALL_CLASS: "hardsess",
    **policy.COOKIE_MIDDLEWARE,
}
#: Where the lifecycle middleware's class lives (its documented path is a re-export): what the
#: MRO of a project's subclass of it names.
_LIFECYCLE_CLASS = "hardsess.lifecycle.middleware.SessionLifecycleMiddleware"
#: Kinds the lifecycle check looks for, beyond the cookie middleware.
_LIFECYCLE_KINDS: Mapping[str, str] = {
    policy.LIFECYCLE_MIDDLEWARE: "lifecycle",
    _LIFECYCLE_CLASS: "lifecycle",
    _AUTH_MIDDLEWARE: "AuthenticationMiddleware",
    _SESSION_MIDDLEWARE: "SessionMiddleware",
}

_NOTHING = object()

# --------------------------------------------------------------------------- live values


def _observe(name: str) -> policy.Observed | None:
    try:
        value = getattr(settings, name, _NOTHING)
    except ImproperlyConfigured:
        # An empty SECRET_KEY raises on access; judge the raw value (HS132: 0 characters).
        value = getattr(getattr(settings, "_wrapped", None), name, _NOTHING)
    if value is _NOTHING:
        return None
    default = getattr(global_settings, name, _NOTHING)
    # is_overridden() is public Django API that django-stubs does not declare.
    overridden = settings.is_overridden(name)  # type: ignore[misc]
    if default is not _NOTHING and value == default and not overridden:
        return policy.Observed(value, policy.Origin.DJANGO_DEFAULT)
    return policy.Observed(value, policy.Origin.LIVE)


def live_values(names: Iterable[str] = policy.SETTINGS_NAMES) -> dict[str, policy.Observed]:
    """Observed live values of ``names``; a setting absent from settings is left out, and so
    is a session (CSRF) setting at Django's default when MIDDLEWARE sets no such cookie
    (:func:`hardsess.policy.cookies_never_set`)."""
    values: dict[str, policy.Observed] = {}
    for name in names:
        observed = _observe(name)
        if observed is not None:
            values[name] = observed
    middleware = _observe("MIDDLEWARE")
    if middleware is None or middleware.origin is policy.Origin.DJANGO_DEFAULT:
        return values
    # No session (CSRF) middleware: nothing sets that cookie, so its defaults are not judged,
    # as in the linter's deploy mode (values the project sets still are).
    absent = policy.cookies_never_set(middleware.value, classify_middleware)
    if not absent:
        return values
    return {
        name: observed
        for name, observed in values.items()
        if not (name.startswith(absent) and observed.origin is policy.Origin.DJANGO_DEFAULT)
    }


def _classify(path: str, targets: Mapping[str, str]) -> str | None:
    """The kind of a MIDDLEWARE entry: the known class it is or subclasses, else None.

    An entry that names a known class exactly, or any other class of Django's or hardsess's,
    is classified without importing anything. Any other entry is imported and its MRO
    compared by dotted name with the known classes, which follows renamed and subclassed
    middleware (``class TenantSessions(SessionMiddleware)``) and re-exports, without importing
    the known classes themselves. An entry that cannot be imported, or a function middleware,
    is unknown (Django reports import errors itself).
    """
    if path in targets:
        return targets[path]
    if path.startswith(("django.", "hardsess.")):
        # Django's and hardsess's own middleware never subclass one another's (a test checks
        # it): no import needed, which keeps ``check`` cheap.
        return None
    try:
        candidate: object = import_string(path)
    except (ImportError, AttributeError, ValueError):
        return None
    if isinstance(candidate, type):
        for cls in candidate.__mro__:
            kind = targets.get(f"{cls.__module__}.{cls.__qualname__}")
            if kind is not None:
                return kind
    return None


def classify_middleware(path: str) -> str | None:
    """``Options.classify_middleware`` for live settings (follows subclasses, see _classify)."""
    return _classify(path, _KNOWN_MIDDLEWARE)


def _max_session_age() -> int:
    """``max-session-age`` from the ``[tool.hardsess]`` the linter reads for this project.

    Looked up above the settings module's file (the project's pyproject.toml) by the linter's
    own lookup, so the check and ``hardsess lint`` judge HS104 against the same maximum.
    Absent or unreadable: the default (Django's own two weeks); the linter reports a broken
    configuration itself.
    """
    # The config reader is the standard library only (no libcst); it parses TOML only when a
    # pyproject.toml has a [tool.hardsess] table, which most deployments do not have.
    from hardsess.lint.config import config_near

    module = sys.modules.get(getattr(settings, "SETTINGS_MODULE", None) or "")
    return config_near(Path(getattr(module, "__file__", None) or ".").resolve()).max_session_age


def live_options() -> policy.Options:
    """The judgement options the checks use: the project's ``max-session-age`` and a
    subclass-aware middleware classifier."""
    known: dict[str, str | None] = {}

    def classify(path: str) -> str | None:
        if path not in known:
            known[path] = _classify(path, _KNOWN_MIDDLEWARE)
        return known[path]

    return policy.Options(max_session_age=_max_session_age(), classify_middleware=classify)


# --------------------------------------------------------------------------- catalogue checks


def _hint(rule: policy.Rule, verdict: policy.Verdict) -> str:
    if rule.secure_value is not None and verdict.setting in rule.settings:
        return f"Set {verdict.setting} = {rule.secure_value}. {rule.url}"
    return f"{rule.help} {rule.url}"


def _message(
    rule: policy.Rule, verdict: policy.Verdict, run: int, django_ids: list[str]
) -> CheckMessage:
    # The level follows the ID letter (IDs never change meaning), not a verdict's escalation.
    high = rule.severity is policy.Severity.HIGH
    text, hint = verdict.message, _hint(rule, verdict)
    if not django_ids:
        return (Error if high else CheckWarning)(text, hint=hint, id=rule.check_id)
    # Only a rule that runs on every command gets here: under --deploy it is Django's finding.
    deferred = django_overlap.DeferredError if high else django_overlap.DeferredWarning
    note = f"Under --deploy Django reports this as {', '.join(django_ids)} instead."
    hint = hint.replace(rule.url, f"{note} {rule.url}")
    return deferred(text, hint=hint, id=rule.check_id, run=run, django_ids=django_ids)


def _judge_catalogue(*, deploy: bool) -> list[CheckMessage]:
    """The catalogue's verdicts on the live settings, one finding per problem.

    A verdict is left out when the cookie firewall enforces at runtime what it warns about
    (:mod:`hardsess.enforced`), or when Django's own check of the same setting reports it in the
    same run (:mod:`hardsess.django_overlap`).
    """
    if deploy:
        django_overlap.mark_deploy_run()
    run = 0 if deploy else django_overlap.start_run()
    values = live_values(policy.SETTINGS_NAMES | {"HARDSESS"})
    options = live_options()
    firewall = enforcement(_middleware_entries(), options.classify_middleware)
    messages: list[CheckMessage] = []
    for rule in policy.CATALOGUE:
        if rule.kind != "settings" or rule.deploy_only is not deploy:
            continue
        verdicts = [
            v
            for v in policy.judge(rule, values, options)
            if firewall is None or not firewall.covers(rule, v)
        ]
        django_ids = django_overlap.django_reports(rule) if verdicts and rule.django_checks else []
        if deploy and django_ids:
            continue  # Django's deploy check reports it in this very run
        messages.extend(_message(rule, v, run, django_ids) for v in verdicts)
    return messages


@register(Tags.security)
def check_settings(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """The catalogue's settings rules that matter everywhere (not ``deploy_only``)."""
    return _judge_catalogue(deploy=False)


@register(Tags.security, deploy=True)
def check_deploy_settings(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """The catalogue's ``deploy_only`` rules (Secure flags, secret strength, legacy salt)."""
    return _judge_catalogue(deploy=True)


# --------------------------------------------------------------------------- hardsess's own config


def session_option_problems(raw: object) -> list[str]:
    """Every problem with a ``HARDSESS["SESSION"]`` value, as sentences; empty when valid.

    The option rules of :mod:`hardsess.lifecycle.options`, the ones the lifecycle itself
    applies (it stops at the first problem it refuses, at request time), all reported at once,
    unknown keys (typos) included: the problems of system check hardsess.E163.
    """
    return [p.message for p in option_problems(raw) if p.check_id == OPTIONS_CHECK_ID]


def _option_messages(problems: Iterable[OptionProblem]) -> list[CheckMessage]:
    """E163 (invalid options), E170 / W171 (a cache that cannot hold the marks)."""
    return [
        (Error if p.is_error else CheckWarning)(p.message, hint=p.hint, id=p.check_id)
        for p in problems
    ]


def _redirect_messages(session: Mapping[str, Any]) -> list[CheckMessage]:
    """E172: EXPIRED_REDIRECT_URL must resolve (the middleware would not redirect)."""
    url = session.get("EXPIRED_REDIRECT_URL")
    if not isinstance(url, str):
        return []  # None: off; another type: E163
    from django.shortcuts import resolve_url
    from django.urls import NoReverseMatch

    try:
        resolve_url(url)
    except NoReverseMatch:
        return [
            Error(
                f"HARDSESS['SESSION']['EXPIRED_REDIRECT_URL'] is {url!r}, which is no URL "
                "name of the URLconf and no path or URL: ended sessions would not be "
                "redirected",
                hint="Use a URL name that reverses without arguments, a path ('/login/') or a URL.",
                id="hardsess.E172",
            )
        ]
    return []


def _cookie_cycling_messages(session: Mapping[str, Any]) -> list[CheckMessage]:
    """W173: on signed_cookies a cycle ends the old copy only through the mark store."""
    cycling = [k for k in ("CYCLE_KEY_EVERY", "CYCLE_ON_PRIVILEGE_CHANGE") if session.get(k)]
    if not cycling or session.get("REVOCATION") is not None:
        return []
    from importlib import import_module

    from django.contrib.sessions.backends.signed_cookies import SessionStore as CookieStore

    try:
        store = import_module(str(getattr(settings, "SESSION_ENGINE", ""))).SessionStore
    except (ImportError, AttributeError):
        return []  # Django reports a broken SESSION_ENGINE when it is used
    if not (isinstance(store, type) and issubclass(store, CookieStore)):
        return []
    return [
        CheckWarning(
            f"HARDSESS['SESSION'] sets {', '.join(cycling)} on the signed_cookies engine "
            "without REVOCATION: a cycle issues a new cookie, but every copy of the old one "
            "stays valid",
            hint="Set REVOCATION ('db' or 'cache'): a cycle then raises the session's "
            "generation and the older copies are refused; see docs/sessions.md.",
            id="hardsess.W173",
        )
    ]


def _middleware_entries() -> list[str]:
    middleware = getattr(settings, "MIDDLEWARE", None) or []
    return [m for m in middleware if isinstance(m, str)]


def _lifecycle_messages(session: Mapping[str, Any]) -> list[CheckMessage]:
    kinds = [_classify(m, _LIFECYCLE_KINDS) for m in _middleware_entries()]
    if "lifecycle" in kinds:
        position = kinds.index("lifecycle")
        below = [
            k
            for k in kinds[position + 1 :]
            if k in ("SessionMiddleware", "AuthenticationMiddleware")
        ]
        if below:
            return [
                Error(
                    f"{policy.LIFECYCLE_MIDDLEWARE} stands above {', '.join(below)}: it reads "
                    "request.session and request.user, which those set",
                    hint=f"Move it below {_SESSION_MIDDLEWARE} and {_AUTH_MIDDLEWARE}.",
                    id="hardsess.E165",
                )
            ]
        return []
    active = [k for k in MIDDLEWARE_OPTIONS if session.get(k)]
    if active:
        return [
            CheckWarning(
                f"HARDSESS['SESSION'] sets {', '.join(active)} but "
                f"{policy.LIFECYCLE_MIDDLEWARE} is not in MIDDLEWARE: none of it is enforced",
                hint=f"Add {policy.LIFECYCLE_MIDDLEWARE} below {_AUTH_MIDDLEWARE}.",
                id="hardsess.W166",
            )
        ]
    return []


def _string_booleans() -> list[CheckMessage]:
    messages: list[CheckMessage] = []
    for name in BOOLEAN_SETTINGS:
        value = getattr(settings, name, None)
        if isinstance(value, str):
            meaning = "True" if value else "False"
            messages.append(
                CheckWarning(
                    f"{name} is the string {value!r}, which Django treats as {meaning}: any "
                    "non-empty string (even 'False' or '0') means True",
                    hint="Convert the environment value to a bool, e.g. env.bool(...) or "
                    "config(..., cast=bool).",
                    id="hardsess.W168",
                )
            )
    return messages


def _migration_window_messages() -> list[CheckMessage]:
    """E180: the end of the window in which hardsess's engine reads Django-signed sessions."""
    from hardsess.backends.signed_cookies import legacy_window_end

    try:
        legacy_window_end()
    except ImproperlyConfigured as error:
        return [
            Error(
                str(error),
                hint="For example '2027-03-31' (UTC); None reads them until they expire, False "
                "never reads them (docs/sessions.md, 'hardsess's signed-cookie engine').",
                id="hardsess.E180",
            )
        ]
    return []


def _keyring_messages(problems: list[str]) -> list[CheckMessage]:
    hint = (
        "Exactly one key 'primary', unique ids, secrets as strong as SECRET_KEY must be (at "
        "least 50 characters, at least 5 distinct, not django-insecure-), random and read "
        "from the environment; `manage.py hardsess keys generate`."
    )
    return [Error(problem, hint=hint, id="hardsess.E161") for problem in problems]


def _cookie_messages(problems: list[str]) -> list[CheckMessage]:
    hint = (
        "Keys: secure, httponly, sign (True/False), samesite ('Strict', 'Lax', 'None' or "
        "None), max_age (seconds), path, domain."
    )
    return [Error(problem, hint=hint, id="hardsess.E162") for problem in problems]


@register(Tags.security)
def check_configuration(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """hardsess's own settings: HARDSESS's shape, keyring, cookie policy, lifecycle options."""
    raw = getattr(settings, conf.SETTING_NAME, None)
    messages = _string_booleans()
    if raw is None:
        return messages + _lifecycle_messages({})
    if not isinstance(raw, Mapping):
        messages.append(
            Error(
                f"HARDSESS must be a dict, not {type(raw).__name__}: hardsess ignores it",
                hint="HARDSESS = {'KEYS': [...], 'COOKIES': {...}, 'SESSION': {...}}; "
                "see docs/runtime.md#settings.",
                id="hardsess.E160",
            )
        )
        return messages + _lifecycle_messages({})
    unknown = sorted(str(k) for k in raw if k not in HARDSESS_KEYS)
    if unknown:
        messages.append(
            CheckWarning(
                f"HARDSESS has unknown key(s): {', '.join(unknown)}; hardsess ignores them",
                hint=f"The keys are {', '.join(HARDSESS_KEYS)} (see docs/runtime.md#settings).",
                id="hardsess.W169",
            )
        )
    # The validators are imported only for a HARDSESS that has something to validate.
    if "KEYS" in raw:
        from hardsess.keyring import validate_keyring

        messages.extend(_keyring_messages(validate_keyring(raw["KEYS"])))
    if "COOKIES" in raw:
        from hardsess.firewall.requirements import validate_cookies_setting

        messages.extend(_cookie_messages(validate_cookies_setting(raw["COOKIES"])))
    if "EMBEDDED" in raw and not isinstance(raw["EMBEDDED"], bool):
        messages.append(
            Error(
                f"HARDSESS['EMBEDDED'] is {raw['EMBEDDED']!r}, not True or False: rule HS143 "
                "reads anything but True as off",
                hint="Convert the environment value to a bool, or leave the key out.",
                id="hardsess.E178",
            )
        )
    if "ON_LOGOUT" in raw:
        from hardsess.firewall.logout import on_logout_problems

        messages.extend(
            Error(problem, hint="See docs/runtime.md#clearing-on-logout.", id="hardsess.E179")
            for problem in on_logout_problems(raw["ON_LOGOUT"])
        )
    session = raw.get("SESSION")
    problems = option_problems(session)
    messages += _option_messages(p for p in problems if p.check_id == OPTIONS_CHECK_ID)
    report_only = raw.get("REPORT_ONLY", False)
    if not isinstance(report_only, bool):
        messages.append(
            Error(
                f"HARDSESS['REPORT_ONLY'] is {report_only!r}, not True or False: hardsess "
                f"uses its truth value ({bool(report_only)})",
                hint="Convert the environment value to a bool.",
                id="hardsess.E164",
            )
        )
    messages += _option_messages(p for p in problems if p.check_id != OPTIONS_CHECK_ID)
    if "DJANGO_SESSIONS_UNTIL" in raw:
        messages += _migration_window_messages()
    if isinstance(session, Mapping):
        messages += _redirect_messages(session)
        messages += _cookie_cycling_messages(session)
    return messages + _lifecycle_messages(session if isinstance(session, Mapping) else {})


@register(Tags.security, deploy=True)
def check_deploy_configuration(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Configuration that is fine while rolling out but not in a finished deployment."""
    if conf.report_only():
        return [
            CheckWarning(
                "HARDSESS['REPORT_ONLY'] is on: the cookie firewall logs what it would do and "
                "enforces nothing",
                hint="Turn it off once the logs show no unexpected corrections.",
                id="hardsess.W167",
            )
        ]
    return []


@register(Tags.security)
def check_development_mode(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """Plain-HTTP development mode only where DEBUG is on, and only as a real boolean.

    Development mode takes Secure off cookies sent over plain HTTP. At runtime it already does
    nothing without DEBUG; E174 makes that configuration fail loudly instead of silently doing
    nothing (or, were the runtime guard ever lost, weakening production). E175: a string such
    as "False" from the environment is refused as E164 refuses one for REPORT_ONLY; the
    firewall reads anything but True as off.
    """
    raw = getattr(settings, conf.SETTING_NAME, None)
    if not isinstance(raw, Mapping) or "DEVELOPMENT" not in raw:
        return []
    value = raw["DEVELOPMENT"]
    if not isinstance(value, bool):
        return [
            Error(
                f"HARDSESS['DEVELOPMENT'] is {value!r}, not True or False: hardsess reads "
                "anything but True as off",
                hint="Convert the environment value to a bool, or leave the key out.",
                id="hardsess.E175",
            )
        ]
    if value and not settings.DEBUG:
        return [
            Error(
                "HARDSESS['DEVELOPMENT'] is True but DEBUG is off: development mode (Secure "
                "following the request's scheme) is for a development machine only, and "
                "hardsess ignores it",
                hint="Set HARDSESS['DEVELOPMENT'] only in development settings, together "
                "with DEBUG = True; in production serve HTTPS (docs/runtime.md, "
                "'Plain-HTTP development').",
                id="hardsess.E174",
            )
        ]
    return []


@register(Tags.security)
def check_test_client_mode(
    app_configs: Sequence[Any] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """``HARDSESS["TEST_CLIENT"]`` names one of the two modes.

    The firewall reads anything but "firewall" as the default, "transparent"; a misspelt
    "firewall" would silently leave a suite that means to test the wire format testing none.
    """
    raw = getattr(settings, conf.SETTING_NAME, None)
    if not isinstance(raw, Mapping) or "TEST_CLIENT" not in raw:
        return []
    value = raw["TEST_CLIENT"]
    if value in conf.TEST_CLIENT_MODES:
        return []
    return [
        Error(
            f"HARDSESS['TEST_CLIENT'] is {value!r}: it must be 'transparent' (the default) "
            "or 'firewall'",
            hint="See docs/adopting.md#your-test-suite.",
            id="hardsess.E176",
        )
    ]


def observe_problems(value: object) -> list[str]:
    """What is wrong with a ``HARDSESS["OBSERVE"]`` value, as sentences (empty when valid)."""
    if not isinstance(value, Mapping):
        return ["HARDSESS['OBSERVE'] must be a dict"]
    problems = []
    unknown = sorted(str(k) for k in value if k not in conf.OBSERVE_DEFAULTS)
    if unknown:
        problems.append(
            f"HARDSESS['OBSERVE'] has unknown key(s) {', '.join(unknown)} "
            f"(known: {', '.join(conf.OBSERVE_DEFAULTS)})"
        )
    if "WHEN" in value and value["WHEN"] not in conf.OBSERVE_WHEN:
        problems.append(
            f"HARDSESS['OBSERVE']['WHEN'] is {value['WHEN']!r}: one of "
            + ", ".join(repr(w) for w in conf.OBSERVE_WHEN)
        )
    if "STORE" in value and value["STORE"] not in conf.OBSERVE_STORES:
        problems.append(
            f"HARDSESS['OBSERVE']['STORE'] is {value['STORE']!r}: one of "
            + ", ".join(repr(w) for w in conf.OBSERVE_STORES)
        )
    interval = value.get("INTERVAL", 30)
    if isinstance(interval, bool) or not isinstance(interval, int | float) or interval < 1:
        problems.append("HARDSESS['OBSERVE']['INTERVAL'] must be a number of seconds, at least 1")
    return problems


@register(Tags.security)
def check_observe(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """``HARDSESS["OBSERVE"]``: what the firewall observes for ``manage.py hardsess cookies``."""
    raw = getattr(settings, conf.SETTING_NAME, None)
    if not isinstance(raw, Mapping) or "OBSERVE" not in raw:
        return []
    return [
        Error(problem, hint="See docs/adopting.md#a-guided-rollout.", id="hardsess.E177")
        for problem in observe_problems(raw["OBSERVE"])
    ]


@register(Tags.security)
def check_key_store(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    """``HARDSESS["KEY_STORE"]``: a known backend, numbers, safe timings, a KEK (E181). A wrong
    KEK is refused when the firewall starts (ImproperlyConfigured), where the store is read."""
    raw = getattr(settings, conf.SETTING_NAME, None)
    if not isinstance(raw, Mapping) or "KEY_STORE" not in raw:
        return []
    from hardsess.keystore import options

    return [
        Error(problem, hint="See docs/rotation.md#key-store.", id="hardsess.E181")
        for problem in options.problems(raw["KEY_STORE"], read=False)
    ]
