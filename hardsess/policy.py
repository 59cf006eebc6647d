"""The rule catalogue: *what* is insecure, as data.

One :class:`Rule` per ID. Each rule's ``judge`` looks at observed values and yields
:class:`Verdict` objects; it never looks at source code or at ``django.conf.settings`` itself.
The linter (``hardsess.lint`` + ``lint_rules``) says *where in source* a value comes from and
feeds what it could evaluate; the system checks (``hardsess.checks``) feed the live settings.
Both therefore reach the same judgement under the same ID and with the same message.

Observed values
    A judge receives a mapping of setting name (or, for code rules, keyword name) to
    :class:`Observed`. A name that is absent is *unknown or not written*: file-mode linting
    does not know what another settings module sets, so judges treat absence as "no opinion",
    except where a rule says otherwise. Deploy mode and the system checks fill in Django's
    defaults (origin ``DJANGO_DEFAULT``) so nothing is absent there.

This module must stay cheap to import: it is imported by the pre-filter path of the linter
and by ``apps.py``. No libcst, no Django settings access.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, Literal

__all__ = [
    "CATALOGUE",
    "COOKIE_MIDDLEWARE",
    "DJANGO_DEFAULTS",
    "LIFECYCLE_MIDDLEWARE",
    "MAX_COOKIE_AGE",
    "MIDDLEWARE",
    "SETTINGS_NAMES",
    "UNKNOWN_VALUE",
    "UNKNOWN_VALUE_SETTINGS",
    "Observed",
    "Options",
    "Origin",
    "Rule",
    "Severity",
    "Verdict",
    "by_id",
    "judge",
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
#: Browsers cap cookie lifetimes at 400 days (RFC 6265bis); longer asks are a smell.
MAX_COOKIE_AGE = 400 * 24 * 60 * 60
DEFAULT_MAX_SESSION_AGE = 14 * 24 * 60 * 60

SIGNED_COOKIES_ENGINE = "django.contrib.sessions.backends.signed_cookies"
FILE_ENGINE = "django.contrib.sessions.backends.file"
JSON_SERIALIZER = "django.contrib.sessions.serializers.JSONSerializer"
# HS109 looks for these in SESSION_FILE_PATH; nothing here writes to them.
_SHARED_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108  # nosec B108
_VALID_SAMESITE = ("lax", "strict", "none")


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def security_severity(self) -> str:
        """The CVSS-like score GitHub code scanning reads from SARIF ``security-severity``."""
        return {"high": "8.0", "medium": "5.0", "low": "3.0"}[self.value]


class Origin(Enum):
    """Where an observed value came from; it changes the wording and, for fixes, the safety."""

    LITERAL = "literal"  # written as a literal in source
    COMPUTED = "computed"  # evaluated from an expression of known constants
    ENV_DEFAULT = "env-default"  # the default of an environment read: true unless the env is set
    LIVE = "live"  # read from the live django.conf.settings (system checks)
    DJANGO_DEFAULT = "django-default"  # never set: Django's global default applies


class _UnknownValueType:
    """The type of :data:`UNKNOWN_VALUE` (a singleton that survives pickling)."""

    _instance: ClassVar[_UnknownValueType | None] = None

    def __new__(cls) -> _UnknownValueType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown value>"

    def __bool__(self) -> bool:
        return True  # judges test falsiness: an unknown value must never look falsy

    def __reduce__(self) -> str:
        return "UNKNOWN_VALUE"


#: The value of a setting whose *expression* is known but whose value is not: an environment
#: read with no default (``os.environ["K"]``). HS133 needs it to see that SECRET_KEY_FALLBACKS
#: repeats SECRET_KEY's expression (its ``source``) when neither value is knowable. Every judge
#: that can see it treats it as "no opinion": it is not a str, bytes or falsy value, and it is
#: equal only to itself. The linter passes it only for :data:`UNKNOWN_VALUE_SETTINGS`, so no
#: other judge ever sees it (for them such a setting stays unknown, i.e. absent).
UNKNOWN_VALUE = _UnknownValueType()

#: The settings the linter observes as :data:`UNKNOWN_VALUE` (with their source) instead of
#: leaving them unknown. The judges reading them (HS131, HS132, HS133) ignore the marker.
UNKNOWN_VALUE_SETTINGS: frozenset[str] = frozenset({"SECRET_KEY"})


@dataclass(frozen=True)
class Observed:
    """A value a judge can reason about, with its provenance.

    ``parts`` holds the items of a list or tuple when each was observed on its own (the linter
    fills it, so HS133 can tell a literal fallback from one read from the environment).
    ``source`` is the expression as written, when there is one: HS133 compares it.
    """

    value: object
    origin: Origin = Origin.LITERAL
    env_var: str | None = None
    source: str | None = None
    parts: tuple[Observed, ...] = ()

    @property
    def is_literal(self) -> bool:
        return self.origin in (Origin.LITERAL, Origin.COMPUTED)


@dataclass(frozen=True)
class Options:
    """Knobs of the judgement that users configure (``[tool.hardsess]``, HARDSESS settings)."""

    max_session_age: int = DEFAULT_MAX_SESSION_AGE
    #: Classifies a MIDDLEWARE entry: returns the short name of the Django cookie middleware it
    #: is (or subclasses), "hardsess" for the firewall, or None. The linter matches names; the
    #: system checks import the class and follow subclasses.
    classify_middleware: Callable[[str], str | None] = field(
        default=lambda path: "hardsess" if path == MIDDLEWARE else COOKIE_MIDDLEWARE.get(path)
    )


@dataclass(frozen=True)
class Verdict:
    """One finding of a judge: the setting (or keyword) to point at, and what is wrong."""

    setting: str
    message: str
    severity: Severity | None = None  # overrides the rule's severity for this finding


Judge = Callable[[Mapping[str, Observed], Options], Iterator[Verdict]]


@dataclass(frozen=True)
class Rule:
    """One catalogue record.

    ``secure_value`` is Python source for the value the linter's fix writes (None: no value
    fix). ``deploy_only`` rules matter only in production (Secure flags, secret strength);
    the system checks register them with ``deploy=True``. ``explicit_only`` rules never judge
    Django's own default. ``opt_in`` rules run only when selected.
    """

    id: str
    name: str
    severity: Severity
    kind: Literal["settings", "code"]
    settings: tuple[str, ...]
    summary: str
    help: str
    judge: Judge | None
    secure_value: str | None = None
    fix: str | None = None
    cwe: int | None = None
    deploy_only: bool = False
    explicit_only: bool = False
    opt_in: bool = False

    @property
    def check_id(self) -> str:
        """The Django system check ID: ``hardsess.E101`` for high severity, else ``W``."""
        letter = "E" if self.severity is Severity.HIGH else "W"
        return f"hardsess.{letter}{self.id[2:]}"

    @property
    def url(self) -> str:
        return f"https://github.com/hardsess/hardsess/blob/main/docs/rules.md#{self.id.lower()}"


# --------------------------------------------------------------------------- wording helpers


def describe(name: str, observed: Observed) -> str:
    """``SESSION_COOKIE_SECURE is False`` plus where that comes from, for messages."""
    text = f"{name} is {observed.value!r}"
    if observed.origin is Origin.ENV_DEFAULT and observed.env_var:
        text += f" unless {observed.env_var} is set"
    elif observed.origin is Origin.ENV_DEFAULT:
        text += " unless the environment sets it"
    elif observed.origin is Origin.DJANGO_DEFAULT:
        text += " (Django's default: never set)"
    return text


def _judged(observed: Observed | None, rule_explicit_only: bool) -> bool:
    if observed is None:
        return False
    return not (rule_explicit_only and observed.origin is Origin.DJANGO_DEFAULT)


def samesite_problem(value: object) -> str | None:
    """Why a SameSite value is unsafe, as Django would emit it, or None when it is fine."""
    if value is None or value is False or value == "":
        return "no SameSite attribute is sent, so the browser decides"
    if not isinstance(value, str):
        return "it is not a string; Django raises ValueError when it sets the cookie"
    lowered = value.lower()
    if lowered == "none":
        return "the cookie is sent on cross-site requests"
    if lowered not in _VALID_SAMESITE:
        return "Django rejects it (only Lax, Strict or None) when it sets the cookie"
    return None


def is_pickle_serializer(value: object) -> bool:
    return isinstance(value, str) and "pickle" in value.lower()


def secret_key_weakness(value: object) -> str | None:
    """Django's own strength test for SECRET_KEY, plus the startproject prefix.

    The one judge of a signing secret: HS132 applies it to SECRET_KEY and
    ``hardsess.keyring.validate_keyring`` to every ``HARDSESS["KEYS"]`` secret (hardsess.E161),
    so a secret is never weak for one and strong for the other. The reason returned never
    quotes the secret.
    """
    if not isinstance(value, (str, bytes)):
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if text.startswith("django-insecure-"):
        return "it is the insecure key `startproject` generated"
    if len(text) < 50:
        return f"it has {len(text)} characters (at least 50 are needed)"
    if len(set(text)) < 5:
        return f"it has {len(set(text))} distinct characters (at least 5 are needed)"
    return None


# --------------------------------------------------------------------------- judges


def _flag_true(setting: str, consequence: str, *, explicit_only: bool = False) -> Judge:
    def judge(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
        observed = values.get(setting)
        if _judged(observed, explicit_only) and observed is not None and not observed.value:
            yield Verdict(setting, f"{describe(setting, observed)}: {consequence}")

    return judge


def _samesite(setting: str, *, explicit_only: bool = False) -> Judge:
    def judge(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
        observed = values.get(setting)
        if not _judged(observed, explicit_only) or observed is None:
            return
        problem = samesite_problem(observed.value)
        if problem:
            yield Verdict(setting, f"{describe(setting, observed)}: {problem}")

    return judge


def _session_age(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SESSION_COOKIE_AGE")
    if observed is None:
        return
    value = observed.value
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        yield Verdict(
            "SESSION_COOKIE_AGE",
            f"{describe('SESSION_COOKIE_AGE', observed)}: not a positive number of seconds",
        )
    elif value > options.max_session_age:
        days = value / 86400
        yield Verdict(
            "SESSION_COOKIE_AGE",
            f"{describe('SESSION_COOKIE_AGE', observed)} ({days:.4g} days): above the maximum of "
            f"{options.max_session_age} seconds; a stolen session stays usable that long",
        )


def _domain(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for setting in ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN"):
        observed = values.get(setting)
        if observed is not None and observed.value is not None:
            yield Verdict(
                setting,
                f"{describe(setting, observed)}: the cookie is shared with, and can be "
                "overwritten by, every subdomain",
            )


def _prefixes(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for family in ("SESSION", "CSRF"):
        name = values.get(f"{family}_COOKIE_NAME")
        if name is None or not isinstance(name.value, str):
            continue
        secure = values.get(f"{family}_COOKIE_SECURE")
        path = values.get(f"{family}_COOKIE_PATH")
        domain = values.get(f"{family}_COOKIE_DOMAIN")
        problems = []
        if name.value.startswith(("__Host-", "__Secure-")) and secure and not secure.value:
            problems.append(f"{family}_COOKIE_SECURE is not True")
        if name.value.startswith("__Host-"):
            if path is not None and path.value != "/":
                problems.append(f'{family}_COOKIE_PATH is not "/"')
            if domain is not None and domain.value is not None:
                problems.append(f"{family}_COOKIE_DOMAIN is set")
        if problems:
            prefix = "__Host-" if name.value.startswith("__Host-") else "__Secure-"
            yield Verdict(
                f"{family}_COOKIE_NAME",
                f"{family}_COOKIE_NAME starts with {prefix} but "
                + " and ".join(problems)
                + ": browsers silently drop the cookie",
            )


def _serializer(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SESSION_SERIALIZER")
    if observed is not None and is_pickle_serializer(observed.value):
        yield Verdict(
            "SESSION_SERIALIZER",
            f"{describe('SESSION_SERIALIZER', observed)}: a pickle serializer turns a leaked "
            "SECRET_KEY into remote code execution",
        )


def _revocation_configured(values: Mapping[str, Observed]) -> bool:
    hardsess = values.get("HARDSESS")
    if hardsess is None or not isinstance(hardsess.value, Mapping):
        return False
    session = hardsess.value.get("SESSION")
    return isinstance(session, Mapping) and bool(session.get("REVOCATION"))


def _signed_cookies_engine(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    engine = values.get("SESSION_ENGINE")
    if engine is None or engine.value != SIGNED_COOKIES_ENGINE:
        return
    hardsess = values.get("HARDSESS")
    if hardsess is not None and not isinstance(hardsess.value, Mapping):
        return  # HARDSESS is there but not understood: no opinion
    if _revocation_configured(values):
        return
    serializer = values.get("SESSION_SERIALIZER")
    pickled = serializer is not None and is_pickle_serializer(serializer.value)
    message = (
        "SESSION_ENGINE is the signed_cookies engine: a cookie captured before logout "
        "stays valid until it expires (configure HARDSESS['SESSION']['REVOCATION'])"
    )
    if pickled:
        message += "; with a pickle serializer a leaked SECRET_KEY is remote code execution"
    yield Verdict("SESSION_ENGINE", message, Severity.HIGH if pickled else None)


def _file_engine(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    engine = values.get("SESSION_ENGINE")
    if engine is None or engine.value != FILE_ENGINE:
        return
    path = values.get("SESSION_FILE_PATH")
    value = None if path is None else path.value
    if value is None:
        yield Verdict(
            "SESSION_ENGINE",
            "SESSION_ENGINE is the file engine and SESSION_FILE_PATH is not set: sessions are "
            "written to the shared temporary directory",
        )
        return
    import tempfile  # here, not at the top: the linter's start-up time pays for every import

    shared = (*_SHARED_TEMP_DIRS, tempfile.gettempdir())
    if (
        path is not None
        and isinstance(value, str)
        and any(value == d or value.startswith(d.rstrip("/") + "/") for d in shared)
    ):
        yield Verdict(
            "SESSION_FILE_PATH",
            f"{describe('SESSION_FILE_PATH', path)}: sessions are written "
            "under a shared temporary directory other local users can read",
        )


def _secret_key_literal(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SECRET_KEY")
    if observed is None or not isinstance(observed.value, (str, bytes)):
        return  # also UNKNOWN_VALUE: an environment read with no default is what we want
    if observed.origin not in (Origin.LITERAL, Origin.COMPUTED, Origin.ENV_DEFAULT):
        return  # the live value cannot say how it was written
    if secret_key_weakness(observed.value):
        return  # HS132 reports it instead
    where = "an environment default" if observed.origin is Origin.ENV_DEFAULT else "source"
    yield Verdict(
        "SECRET_KEY",
        f"SECRET_KEY is a literal in {where}: anyone with the code can forge sessions and "
        "signed cookies; read it from the environment or a secrets store, with no default",
    )


def _secret_key_weak(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SECRET_KEY")
    if observed is None or observed.origin is Origin.DJANGO_DEFAULT:
        return
    # UNKNOWN_VALUE is not a str or bytes, so secret_key_weakness has no opinion on it.
    weakness = secret_key_weakness(observed.value)
    if weakness:
        kind = "SECRET_KEY" if observed.origin is Origin.LIVE else "SECRET_KEY is a literal and"
        yield Verdict("SECRET_KEY", f"{kind} weak: {weakness}")


def _fallbacks(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    fallbacks = values.get("SECRET_KEY_FALLBACKS")
    if fallbacks is None or not isinstance(fallbacks.value, (list, tuple)):
        return
    secret = values.get("SECRET_KEY")
    if fallbacks.origin is not Origin.LIVE:
        parts = fallbacks.parts or tuple(Observed(v, fallbacks.origin) for v in fallbacks.value)
        if any(p.is_literal and isinstance(p.value, (str, bytes)) for p in parts):
            yield Verdict(
                "SECRET_KEY_FALLBACKS",
                "SECRET_KEY_FALLBACKS contains a string literal: an old key in source "
                "still verifies every cookie and session it ever signed",
            )
            return
        # SECRET_KEY may be UNKNOWN_VALUE (``os.environ["K"]``): its source still compares.
        same_source = (
            secret is not None
            and secret.source is not None
            and any(p.source == secret.source for p in parts)
        )
        if same_source:
            yield Verdict(
                "SECRET_KEY_FALLBACKS",
                "SECRET_KEY_FALLBACKS repeats SECRET_KEY: a rotation that forgets to drop it "
                "keeps the old key alive",
            )
            return
    if (
        secret is not None
        and secret.value is not None
        and secret.value is not UNKNOWN_VALUE  # unknown: no opinion on the value
        and secret.value in fallbacks.value
    ):
        yield Verdict(
            "SECRET_KEY_FALLBACKS",
            "SECRET_KEY_FALLBACKS contains SECRET_KEY itself: a rotation that forgets to drop "
            "it keeps the old key alive",
        )


def _legacy_salt(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SIGNED_COOKIE_LEGACY_SALT_FALLBACK")
    if observed is not None and observed.value:
        yield Verdict(
            "SIGNED_COOKIE_LEGACY_SALT_FALLBACK",
            f"{describe('SIGNED_COOKIE_LEGACY_SALT_FALLBACK', observed)}: signed cookies still "
            "verify with the pre-CVE-2026-6873 salt, so one cookie's value can be replayed as "
            "another's",
        )


def _samesite_none_secure(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for family in ("SESSION", "CSRF", "LANGUAGE"):
        samesite = values.get(f"{family}_COOKIE_SAMESITE")
        secure = values.get(f"{family}_COOKIE_SECURE")
        if (
            samesite is not None
            and isinstance(samesite.value, str)
            and samesite.value.lower() == "none"
            and secure is not None
            and not secure.value
        ):
            yield Verdict(
                f"{family}_COOKIE_SAMESITE",
                f'{family}_COOKIE_SAMESITE is "None" but '
                f"{describe(f'{family}_COOKIE_SECURE', secure)}: "
                "browsers reject SameSite=None without Secure",
            )


def _installed(values: Mapping[str, Observed]) -> bool:
    apps = values.get("INSTALLED_APPS")
    if apps is None or not isinstance(apps.value, (list, tuple)):
        return False
    return any(
        isinstance(a, str) and (a == "hardsess" or a.startswith("hardsess.apps."))
        for a in apps.value
    )


def _middleware_list(values: Mapping[str, Observed]) -> list[str] | None:
    middleware = values.get("MIDDLEWARE")
    if middleware is None or not isinstance(middleware.value, (list, tuple)):
        return None
    if not all(isinstance(m, str) for m in middleware.value):
        return None
    return [str(m) for m in middleware.value]


def _middleware_missing(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    middleware = _middleware_list(values)
    if middleware is None or not _installed(values):
        return
    if not any(options.classify_middleware(m) == "hardsess" for m in middleware):
        yield Verdict(
            "MIDDLEWARE",
            f"hardsess is in INSTALLED_APPS but {MIDDLEWARE} is not in MIDDLEWARE: no cookie "
            "is enforced, signed or verified at runtime",
        )


def middleware_order_problems(middleware: list[str], options: Options) -> list[str]:
    """Names of cookie-setting middleware that stand above the firewall (empty: order is fine)."""
    kinds = [options.classify_middleware(m) for m in middleware]
    if "hardsess" not in kinds:
        return []
    position = kinds.index("hardsess")
    return [k for k in kinds[:position] if k is not None and k != "hardsess"]


def _middleware_order(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    middleware = _middleware_list(values)
    if middleware is None:
        return
    above = middleware_order_problems(middleware, options)
    if above:
        yield Verdict(
            "MIDDLEWARE",
            f"{MIDDLEWARE} stands below {', '.join(above)}: it must wrap them to see and "
            "enforce their cookies",
        )


def _set_cookie_flags(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    missing = [k for k in ("secure", "httponly", "samesite") if k not in values]
    if missing:
        yield Verdict(
            missing[0],
            f"the cookie is set without {', '.join(f'{k}=' for k in missing)}: "
            "Django's defaults are not Secure, not HttpOnly and no SameSite",
        )
    for keyword in ("secure", "httponly"):
        observed = values.get(keyword)
        if observed is not None and observed.is_literal and not observed.value:
            yield Verdict(keyword, f"{describe(keyword, observed)}: the cookie loses that flag")
    samesite = values.get("samesite")
    if samesite is not None and samesite.is_literal:
        value = samesite.value
        if value is None or value is False or (isinstance(value, str) and value.lower() == "none"):
            yield Verdict(
                "samesite", f"{describe('samesite', samesite)}: sent on cross-site requests"
            )


def _cookie_lifetime(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for keyword in ("max_age", "expires"):
        observed = values.get(keyword)
        if observed is None:
            continue
        value = observed.value
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and value > MAX_COOKIE_AGE
        ):
            yield Verdict(
                keyword,
                f"{keyword} is {value:.0f} seconds ({value / 86400:.0f} days): browsers cap "
                "cookies at 400 days; this reads as 'remember forever'",
            )


# --------------------------------------------------------------------------- the catalogue

_FLAG_FIX = "replace the literal with True (safe); flip an environment default (unsafe)"
_SAMESITE_FIX = 'replace the literal with "Lax" (safe); flip an environment default (unsafe)'

CATALOGUE: tuple[Rule, ...] = (
    Rule(
        "HS101",
        "session-cookie-not-secure",
        Severity.HIGH,
        "settings",
        ("SESSION_COOKIE_SECURE",),
        "The session cookie is sent over plain HTTP.",
        "Without the Secure flag the browser sends the session cookie over plain HTTP, where "
        "anyone on the network can read it and take over the session. Django's default is "
        "False. Set SESSION_COOKIE_SECURE = True in production settings.",
        _flag_true("SESSION_COOKIE_SECURE", "the session cookie is also sent over plain HTTP"),
        secure_value="True",
        fix=_FLAG_FIX,
        cwe=614,
        deploy_only=True,
    ),
    Rule(
        "HS102",
        "session-cookie-not-httponly",
        Severity.HIGH,
        "settings",
        ("SESSION_COOKIE_HTTPONLY",),
        "JavaScript can read the session cookie.",
        "Without HttpOnly any script on the page (including one injected through XSS) can read "
        "the session cookie and send it away. Django's default is True; keep it.",
        _flag_true("SESSION_COOKIE_HTTPONLY", "any script on the page can read the session"),
        secure_value="True",
        fix=_FLAG_FIX,
        cwe=1004,
    ),
    Rule(
        "HS103",
        "session-cookie-samesite",
        Severity.MEDIUM,
        "settings",
        ("SESSION_COOKIE_SAMESITE",),
        "The session cookie has no effective SameSite protection.",
        "SameSite=Lax (Django's default) keeps the session cookie off cross-site subrequests "
        "and POSTs, a strong defence against CSRF. None, False, 'None' or a value Django "
        "rejects removes it or breaks the response.",
        _samesite("SESSION_COOKIE_SAMESITE"),
        secure_value='"Lax"',
        fix=_SAMESITE_FIX,
        cwe=1275,
    ),
    Rule(
        "HS104",
        "session-cookie-age",
        Severity.MEDIUM,
        "settings",
        ("SESSION_COOKIE_AGE",),
        "Sessions live too long, or the age is not a positive number.",
        "A long SESSION_COOKIE_AGE keeps a stolen or forgotten session usable for that long. "
        "The maximum defaults to 14 days (Django's own default) and is configurable with "
        "max-session-age. Integer arithmetic and timedelta(...).total_seconds() are evaluated.",
        _session_age,
        cwe=613,
    ),
    Rule(
        "HS105",
        "cookie-domain-shared",
        Severity.MEDIUM,
        "settings",
        ("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN"),
        "The cookie is shared with every subdomain.",
        "A cookie with a Domain attribute is sent to, and can be set or overwritten by, every "
        "subdomain: one compromised or user-controlled subdomain can read or fix the session "
        "or CSRF token. Leave the domain at None (host-only) unless subdomains must share it.",
        _domain,
        cwe=1275,
    ),
    Rule(
        "HS106",
        "cookie-prefix-broken",
        Severity.HIGH,
        "settings",
        (
            "SESSION_COOKIE_NAME",
            "SESSION_COOKIE_SECURE",
            "SESSION_COOKIE_PATH",
            "SESSION_COOKIE_DOMAIN",
            "CSRF_COOKIE_NAME",
            "CSRF_COOKIE_SECURE",
            "CSRF_COOKIE_PATH",
            "CSRF_COOKIE_DOMAIN",
        ),
        "A __Host- or __Secure- cookie name whose attributes break the prefix.",
        "Browsers accept a __Host- cookie only with Secure, Path=/ and no Domain, and a "
        "__Secure- cookie only with Secure. Otherwise the cookie is silently dropped and "
        "sessions or CSRF break in production.",
        _prefixes,
    ),
    Rule(
        "HS107",
        "session-serializer-pickle",
        Severity.HIGH,
        "settings",
        ("SESSION_SERIALIZER",),
        "Sessions are serialized with pickle.",
        "With a pickle serializer, whoever can forge a session (a leaked SECRET_KEY, a writable "
        "cache) runs arbitrary code on the server. Use Django's JSONSerializer.",
        _serializer,
        secure_value=f'"{JSON_SERIALIZER}"',
        fix="replace with Django's JSONSerializer (safe for a literal)",
        cwe=502,
    ),
    Rule(
        "HS108",
        "session-engine-signed-cookies",
        Severity.MEDIUM,
        "settings",
        ("SESSION_ENGINE", "SESSION_SERIALIZER", "HARDSESS"),
        "Signed-cookie sessions cannot be logged out.",
        "The signed_cookies engine keeps the whole session in the cookie: logout deletes the "
        "browser's copy but a captured copy stays valid until it expires. High together with a "
        "pickle serializer. Silent when hardsess logout revocation is configured "
        "(HARDSESS['SESSION']['REVOCATION']).",
        _signed_cookies_engine,
        cwe=613,
    ),
    Rule(
        "HS109",
        "session-files-in-temp",
        Severity.LOW,
        "settings",
        ("SESSION_ENGINE", "SESSION_FILE_PATH"),
        "File sessions are stored in a shared temporary directory.",
        "The file engine writes sessions to SESSION_FILE_PATH, or to the system temporary "
        "directory when it is not set, where other local users and processes may read them. "
        "Point SESSION_FILE_PATH at a private directory.",
        _file_engine,
        cwe=377,
    ),
    Rule(
        "HS111",
        "csrf-cookie-not-secure",
        Severity.HIGH,
        "settings",
        ("CSRF_COOKIE_SECURE",),
        "The CSRF cookie is sent over plain HTTP.",
        "Without Secure the CSRF cookie travels over plain HTTP, where it can be read or "
        "replaced by a network attacker. Django's default is False.",
        _flag_true("CSRF_COOKIE_SECURE", "the CSRF cookie is also sent over plain HTTP"),
        secure_value="True",
        fix=_FLAG_FIX,
        cwe=614,
        deploy_only=True,
    ),
    Rule(
        "HS112",
        "csrf-cookie-samesite",
        Severity.MEDIUM,
        "settings",
        ("CSRF_COOKIE_SAMESITE",),
        "The CSRF cookie has no effective SameSite protection.",
        "SameSite=Lax (Django's default) keeps the CSRF cookie off cross-site requests. None, "
        "False, 'None' or a value Django rejects removes that defence or breaks the response.",
        _samesite("CSRF_COOKIE_SAMESITE"),
        secure_value='"Lax"',
        fix=_SAMESITE_FIX,
        cwe=1275,
    ),
    Rule(
        "HS121",
        "language-cookie-not-secure",
        Severity.LOW,
        "settings",
        ("LANGUAGE_COOKIE_SECURE",),
        "The language cookie is explicitly sent over plain HTTP.",
        "An explicit False (or a False environment default) for LANGUAGE_COOKIE_SECURE. "
        "Django's default is not judged: the language cookie carries no secret.",
        _flag_true(
            "LANGUAGE_COOKIE_SECURE",
            "the language cookie is also sent over plain HTTP",
            explicit_only=True,
        ),
        secure_value="True",
        fix=_FLAG_FIX,
        cwe=614,
        deploy_only=True,
        explicit_only=True,
    ),
    Rule(
        "HS122",
        "language-cookie-not-httponly",
        Severity.LOW,
        "settings",
        ("LANGUAGE_COOKIE_HTTPONLY",),
        "The language cookie is explicitly readable by JavaScript.",
        "An explicit False for LANGUAGE_COOKIE_HTTPONLY. Django's default is not judged.",
        _flag_true(
            "LANGUAGE_COOKIE_HTTPONLY", "scripts on the page can read it", explicit_only=True
        ),
        secure_value="True",
        fix=_FLAG_FIX,
        cwe=1004,
        explicit_only=True,
    ),
    Rule(
        "HS123",
        "language-cookie-samesite",
        Severity.LOW,
        "settings",
        ("LANGUAGE_COOKIE_SAMESITE",),
        "The language cookie explicitly has no effective SameSite.",
        "An explicit None, 'None' or invalid LANGUAGE_COOKIE_SAMESITE. Django's default is not "
        "judged.",
        _samesite("LANGUAGE_COOKIE_SAMESITE", explicit_only=True),
        secure_value='"Lax"',
        fix=_SAMESITE_FIX,
        cwe=1275,
        explicit_only=True,
    ),
    Rule(
        "HS131",
        "secret-key-in-source",
        Severity.HIGH,
        "settings",
        ("SECRET_KEY",),
        "SECRET_KEY is written in source.",
        "Everyone who can read the repository can forge sessions, password-reset tokens and "
        "signed cookies. Read SECRET_KEY from the environment or a secrets store, with no "
        "literal default. (The live value cannot show how it was written, so the system check "
        "does not report this rule.)",
        _secret_key_literal,
        cwe=798,
        deploy_only=True,
    ),
    Rule(
        "HS132",
        "secret-key-weak",
        Severity.HIGH,
        "settings",
        ("SECRET_KEY",),
        "SECRET_KEY is weak or the startproject placeholder.",
        "Under 50 characters, under 5 distinct characters, or prefixed django-insecure-: the "
        "key `startproject` generates for development. Reported instead of HS131.",
        _secret_key_weak,
        cwe=798,
        deploy_only=True,
    ),
    Rule(
        "HS133",
        "secret-key-fallbacks-literal",
        Severity.MEDIUM,
        "settings",
        ("SECRET_KEY_FALLBACKS", "SECRET_KEY"),
        "SECRET_KEY_FALLBACKS holds literals or repeats SECRET_KEY.",
        "An old key kept in source still verifies everything it ever signed; repeating "
        "SECRET_KEY means the rotation never ends. Read fallbacks from the environment and "
        "drop them once the longest cookie life has passed (docs/rotation.md).",
        _fallbacks,
        cwe=798,
        deploy_only=True,
    ),
    Rule(
        "HS134",
        "signed-cookie-legacy-salt",
        Severity.MEDIUM,
        "settings",
        ("SIGNED_COOKIE_LEGACY_SALT_FALLBACK",),
        "Signed cookies still accept the legacy salt.",
        "SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True (the default of Django 5.2 and 6.0; 6.1 "
        "defaults to False) keeps the "
        "pre-CVE-2026-6873 salt alive, so a signed value of one cookie verifies as another. "
        "Set it to False once cookies signed before the upgrade have expired.",
        _legacy_salt,
        secure_value="False",
        fix="replace the literal with False (safe)",
        cwe=345,
        deploy_only=True,
    ),
    Rule(
        "HS141",
        "samesite-none-without-secure",
        Severity.HIGH,
        "settings",
        (
            "SESSION_COOKIE_SAMESITE",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SAMESITE",
            "CSRF_COOKIE_SECURE",
            "LANGUAGE_COOKIE_SAMESITE",
            "LANGUAGE_COOKIE_SECURE",
        ),
        "SameSite=None without Secure: browsers reject the cookie.",
        "Browsers drop a SameSite=None cookie that is not Secure; the session or CSRF token "
        "silently stops working.",
        _samesite_none_secure,
        cwe=1275,
    ),
    Rule(
        "HS151",
        "middleware-missing",
        Severity.MEDIUM,
        "settings",
        ("MIDDLEWARE", "INSTALLED_APPS"),
        "hardsess is installed but its middleware is not.",
        f"With hardsess in INSTALLED_APPS but {MIDDLEWARE} absent from MIDDLEWARE, nothing is "
        "enforced at runtime: no flags, no signing, no verification.",
        _middleware_missing,
        cwe=693,
    ),
    Rule(
        "HS152",
        "middleware-order",
        Severity.MEDIUM,
        "settings",
        ("MIDDLEWARE",),
        "The hardsess middleware stands below a cookie-setting middleware.",
        "HardSessMiddleware must stand above SessionMiddleware, CsrfViewMiddleware, "
        "LocaleMiddleware and MessageMiddleware: on the way in it must verify cookies before "
        "they read them, and on the way out it must see the cookies they set.",
        _middleware_order,
        fix="move the hardsess middleware up, just above the first of them (safe)",
        cwe=693,
    ),
    Rule(
        "HS201",
        "set-cookie-flags",
        Severity.MEDIUM,
        "code",
        ("secure", "httponly", "samesite"),
        "A cookie is set without Secure, HttpOnly or SameSite.",
        "response.set_cookie() and set_signed_cookie() default to no Secure, no HttpOnly and "
        "no SameSite. Pass secure=True, httponly=True and samesite='Lax' (or 'Strict'). Calls "
        "that pass **kwargs are skipped: their flags cannot be known.",
        _set_cookie_flags,
        fix='add the missing keywords: secure=True, httponly=True, samesite="Lax" (safe)',
        cwe=614,
    ),
    Rule(
        "HS202",
        "set-cookie-lifetime",
        Severity.LOW,
        "code",
        ("max_age", "expires"),
        "A cookie asks to live longer than 400 days.",
        "Browsers cap cookie lifetimes at 400 days. A longer max_age is a sign of 'remember "
        "forever', which keeps a stolen cookie valid as long.",
        _cookie_lifetime,
        cwe=613,
    ),
    Rule(
        "HS203",
        "set-cookie-unsigned-trusted",
        Severity.LOW,
        "code",
        ("value",),
        "A cookie the site reads back is set unsigned (opt-in).",
        "A cookie set with set_cookie() and read back from request.COOKIES in the same module "
        "can be edited by the user. Use set_signed_cookie() / get_signed_cookie(), or run "
        "HardSessMiddleware, which signs every cookie. Opt-in: select HS203 to run it.",
        None,  # a judgement on source structure, made by the lint rule itself
        cwe=565,
        opt_in=True,
    ),
)

_BY_ID: dict[str, Rule] = {rule.id: rule for rule in CATALOGUE}

#: Every setting name any settings rule looks at (the linter's pre-filter searches for them).
SETTINGS_NAMES: frozenset[str] = frozenset(
    s for rule in CATALOGUE if rule.kind == "settings" for s in rule.settings
)

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
    "LANGUAGE_COOKIE_SECURE": False,
    "LANGUAGE_COOKIE_HTTPONLY": False,
    "LANGUAGE_COOKIE_SAMESITE": None,
    "SECRET_KEY_FALLBACKS": [],
    "SIGNED_COOKIE_LEGACY_SALT_FALLBACK": True,
    "MIDDLEWARE": [],
    "INSTALLED_APPS": [],
}


_installed_defaults: Mapping[str, object] | None = None


def django_defaults() -> Mapping[str, object]:
    """Django's defaults as the installed Django has them, else :data:`DJANGO_DEFAULTS`.

    ``django.conf.global_settings`` is a module of constants: importing it configures nothing.
    A setting the installed Django does not know (yet, or any more) is left out, so no rule
    judges a default that release does not have.
    """
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


def by_id(rule_id: str) -> Rule:
    """The rule with that ID; KeyError names the unknown ID."""
    return _BY_ID[rule_id]


def judge(
    rule: Rule, values: Mapping[str, Observed], options: Options | None = None
) -> list[Verdict]:
    """All verdicts of one rule on the observed values (empty for rules with no judge)."""
    if rule.judge is None:
        return []
    return list(rule.judge(values, options or Options()))
