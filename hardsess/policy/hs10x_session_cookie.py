"""HS101-HS109: the session cookie and the session store behind it.

Each record stands beside its judge. HS105 and HS106 also judge the CSRF cookie's domain and
prefix: the same fact applies to both cookies, under one ID.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.cookies import PREFIX_RULES, prefix_of
from hardsess.policy.defaults import (
    FILE_ENGINE,
    HARDSESS_COOKIES_ENGINE,
    JSON_SERIALIZER,
    SIGNED_COOKIES_ENGINE,
)
from hardsess.policy.judges import FLAG_FIX, SAMESITE_FIX, describe, flag_true, samesite
from hardsess.policy.types import Observed, Options, Rule, Severity, Verdict

__all__ = ["RULES", "is_pickle_serializer"]

# HS109 looks for these in SESSION_FILE_PATH; nothing here writes to them.
_SHARED_TEMP_DIRS = ("/tmp", "/var/tmp", "/dev/shm")  # noqa: S108  # nosec B108


HS101 = Rule(
    id="HS101",
    name="session-cookie-not-secure",
    severity=Severity.HIGH,
    kind="settings",
    settings=("SESSION_COOKIE_SECURE",),
    summary="The session cookie is sent over plain HTTP.",
    help="Without the Secure flag the browser sends the session cookie over plain HTTP, where "
    "anyone on the network can read it and take over the session. Django's default is "
    "False. Set SESSION_COOKIE_SECURE = True in production settings.",
    judge=flag_true("SESSION_COOKIE_SECURE", "the session cookie is also sent over plain HTTP"),
    secure_value="True",
    fix_summary=FLAG_FIX,
    cwe=614,
    deploy_only=True,
    firewall_flags=("secure",),
    django_checks=("security.W010", "security.W011", "security.W012"),
)

HS102 = Rule(
    id="HS102",
    name="session-cookie-not-httponly",
    severity=Severity.HIGH,
    kind="settings",
    settings=("SESSION_COOKIE_HTTPONLY",),
    summary="JavaScript can read the session cookie.",
    help="Without HttpOnly any script on the page (including one injected through XSS) can "
    "read the session cookie and send it away. Django's default is True; keep it.",
    judge=flag_true("SESSION_COOKIE_HTTPONLY", "any script on the page can read the session"),
    secure_value="True",
    fix_summary=FLAG_FIX,
    cwe=1004,
    firewall_flags=("httponly",),
    django_checks=("security.W013", "security.W014", "security.W015"),
)

HS103 = Rule(
    id="HS103",
    name="session-cookie-samesite",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("SESSION_COOKIE_SAMESITE",),
    summary="The session cookie has no effective SameSite protection.",
    help="SameSite=Lax (Django's default) keeps the session cookie off cross-site subrequests "
    "and POSTs, a strong defence against CSRF. None, False, 'None' or a value Django "
    "rejects removes it or breaks the response.",
    judge=samesite("SESSION_COOKIE_SAMESITE"),
    secure_value='"Lax"',
    fix_summary=SAMESITE_FIX,
    cwe=1275,
    firewall_flags=("samesite",),
)


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


HS104 = Rule(
    id="HS104",
    name="session-cookie-age",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("SESSION_COOKIE_AGE",),
    summary="Sessions live too long, or the age is not a positive number.",
    help="A long SESSION_COOKIE_AGE keeps a stolen or forgotten session usable for that long. "
    "The maximum defaults to 14 days (Django's own default) and is configurable with "
    "max-session-age. Integer arithmetic and timedelta(...).total_seconds() are evaluated.",
    judge=_session_age,
    cwe=613,
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


HS105 = Rule(
    id="HS105",
    name="cookie-domain-shared",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("SESSION_COOKIE_DOMAIN", "CSRF_COOKIE_DOMAIN"),
    summary="The cookie is shared with every subdomain.",
    help="A cookie with a Domain attribute is sent to, and can be set or overwritten by, every "
    "subdomain: one compromised or user-controlled subdomain can read or fix the session "
    "or CSRF token. Leave the domain at None (host-only) unless subdomains must share it.",
    judge=_domain,
    cwe=1275,
)


def _prefixes(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    for family in ("SESSION", "CSRF"):
        name = values.get(f"{family}_COOKIE_NAME")
        if name is None or not isinstance(name.value, str):
            continue
        prefix = prefix_of(name.value)
        if prefix is None:
            continue
        demands = PREFIX_RULES[prefix]
        secure = values.get(f"{family}_COOKIE_SECURE")
        path = values.get(f"{family}_COOKIE_PATH")
        domain = values.get(f"{family}_COOKIE_DOMAIN")
        httponly = values.get(f"{family}_COOKIE_HTTPONLY")
        problems = []
        if demands.secure and secure and not secure.value:
            problems.append(f"{family}_COOKIE_SECURE is not True")
        if demands.httponly and httponly is not None and not httponly.value:
            problems.append(f"{family}_COOKIE_HTTPONLY is not True")
        if demands.root_path and path is not None and path.value != "/":
            problems.append(f'{family}_COOKIE_PATH is not "/"')
        if demands.host_only and domain is not None and domain.value is not None:
            problems.append(f"{family}_COOKIE_DOMAIN is set")
        if problems:
            yield Verdict(
                f"{family}_COOKIE_NAME",
                f"{family}_COOKIE_NAME starts with {prefix} but "
                + " and ".join(problems)
                + ": browsers silently drop the cookie",
            )


HS106 = Rule(
    id="HS106",
    name="cookie-prefix-broken",
    severity=Severity.HIGH,
    kind="settings",
    settings=(
        "SESSION_COOKIE_NAME",
        "SESSION_COOKIE_SECURE",
        "SESSION_COOKIE_PATH",
        "SESSION_COOKIE_DOMAIN",
        "SESSION_COOKIE_HTTPONLY",
        "CSRF_COOKIE_NAME",
        "CSRF_COOKIE_SECURE",
        "CSRF_COOKIE_PATH",
        "CSRF_COOKIE_DOMAIN",
        "CSRF_COOKIE_HTTPONLY",
    ),
    summary="A __Host-, __Secure-, __Http- or __Host-Http- cookie name whose attributes break "
    "the prefix.",
    help="Browsers accept a __Host- cookie only with Secure, Path=/ and no Domain, and a "
    "__Secure- cookie only with Secure (the prefix is matched whatever its case). __Http- "
    "(Chrome 140) adds HttpOnly to __Secure-'s demands and __Host-Http- to __Host-'s; "
    "neither can be set from JavaScript, so a CSRF cookie the page's script reads "
    "(CSRF_COOKIE_HTTPONLY = False) cannot carry them. Otherwise the cookie is silently "
    "dropped and sessions or CSRF break in production.",
    judge=_prefixes,
)


def is_pickle_serializer(value: object) -> bool:
    return isinstance(value, str) and "pickle" in value.lower()


def _serializer(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SESSION_SERIALIZER")
    if observed is not None and is_pickle_serializer(observed.value):
        yield Verdict(
            "SESSION_SERIALIZER",
            f"{describe('SESSION_SERIALIZER', observed)}: a pickle serializer turns a leaked "
            "SECRET_KEY into remote code execution",
        )


HS107 = Rule(
    id="HS107",
    name="session-serializer-pickle",
    severity=Severity.HIGH,
    kind="settings",
    settings=("SESSION_SERIALIZER",),
    summary="Sessions are serialized with pickle.",
    help="With a pickle serializer, whoever can forge a session (a leaked SECRET_KEY, a "
    "writable cache) runs arbitrary code on the server. Use Django's JSONSerializer.",
    judge=_serializer,
    secure_value=f'"{JSON_SERIALIZER}"',
    fix_summary="replace with Django's JSONSerializer (safe for a literal)",
    cwe=502,
)


def _revocation_configured(values: Mapping[str, Observed]) -> bool:
    hardsess = values.get("HARDSESS")
    if hardsess is None or not isinstance(hardsess.value, Mapping):
        return False
    session = hardsess.value.get("SESSION")
    return isinstance(session, Mapping) and bool(session.get("REVOCATION"))


def _signed_cookies_engine(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    engine = values.get("SESSION_ENGINE")
    # hardsess's engine keeps the whole session in the cookie too: logout needs the marks.
    if engine is None or engine.value not in (SIGNED_COOKIES_ENGINE, HARDSESS_COOKIES_ENGINE):
        return
    hardsess = values.get("HARDSESS")
    if hardsess is not None and not isinstance(hardsess.value, Mapping):
        return  # HARDSESS is there but not understood: no opinion
    if _revocation_configured(values):
        return
    serializer = values.get("SESSION_SERIALIZER")
    pickled = serializer is not None and is_pickle_serializer(serializer.value)
    message = (
        "SESSION_ENGINE is a signed-cookie engine: a cookie captured before logout "
        "stays valid until it expires (configure HARDSESS['SESSION']['REVOCATION'])"
    )
    if pickled:
        message += "; with a pickle serializer a leaked SECRET_KEY is remote code execution"
    yield Verdict("SESSION_ENGINE", message, Severity.HIGH if pickled else None)


HS108 = Rule(
    id="HS108",
    name="session-engine-signed-cookies",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("SESSION_ENGINE", "SESSION_SERIALIZER", "HARDSESS"),
    summary="Signed-cookie sessions cannot be logged out.",
    help="A signed-cookie engine (Django's signed_cookies, or hardsess's) keeps the whole "
    "session in the cookie: logout deletes the "
    "browser's copy but a captured copy stays valid until it expires. High together with a "
    "pickle serializer. Silent when hardsess logout revocation is configured "
    "(HARDSESS['SESSION']['REVOCATION']).",
    judge=_signed_cookies_engine,
    cwe=613,
)


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


HS109 = Rule(
    id="HS109",
    name="session-files-in-temp",
    severity=Severity.LOW,
    kind="settings",
    settings=("SESSION_ENGINE", "SESSION_FILE_PATH"),
    summary="File sessions are stored in a shared temporary directory.",
    help="The file engine writes sessions to SESSION_FILE_PATH, or to the system temporary "
    "directory when it is not set, where other local users and processes may read them. "
    "Point SESSION_FILE_PATH at a private directory.",
    judge=_file_engine,
    cwe=377,
)

RULES = (HS101, HS102, HS103, HS104, HS105, HS106, HS107, HS108, HS109)
