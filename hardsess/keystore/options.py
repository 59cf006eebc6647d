"""``HARDSESS["KEY_STORE"]``: where the keyring lives, and the schedule's timings.

``"settings"`` (the default) keeps today's behaviour: the keyring comes from
``HARDSESS["KEYS"]`` or SECRET_KEY. ``"database"`` or ``"cache"`` (or a dict with ``BACKEND``
and the options below) reads a keyring the whole fleet shares, see docs/rotation.md::

    HARDSESS["KEY_STORE"] = {
        "BACKEND": "database",        # or "cache" (Django cache alias CACHE, e.g. Redis)
        "DATABASE": "default",        # database alias ("database")
        "CACHE": "default",           # cache alias ("cache")
        "PREFIX": "hardsess:keys",    # cache key prefix ("cache")
        "KEK": None,                  # Fernet key(s); None: env HARDSESS_KEY_STORE_KEK
        "CACHE_SECONDS": 30,          # the in-process copy is re-read this often
        "MAX_STALE": 300,             # store unreachable: last good ring kept this long
        "MAX_CLOCK_SKEW": 60,         # the bound on any two servers' clock difference
        "PROPAGATION_DELAY": 172800,  # a new key is verify-only this long (2 days)
        "SIGN_FOR": 7776000,          # a key signs this long before its successor (90 days)
        "OVERLAP": None,              # an old key verifies this long after (SESSION_COOKIE_AGE)
    }

The timings must satisfy ``PROPAGATION_DELAY >= MAX_STALE + 2 * MAX_CLOCK_SKEW`` (every
server has read a new key before any server signs with it) and ``OVERLAP > 2 *
MAX_CLOCK_SKEW`` (a server whose clock is behind may still sign with the old key while one
whose clock is ahead already counts the overlap); :func:`problems` says so.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from hardsess import conf

SETTING = "HARDSESS['KEY_STORE']"
BACKENDS = ("settings", "database", "cache")
KEK_ENV = "HARDSESS_KEY_STORE_KEK"

DEFAULTS: Mapping[str, Any] = {
    "BACKEND": "settings",
    "DATABASE": "default",
    "CACHE": "default",
    "PREFIX": "hardsess:keys",
    "KEK": None,
    "CACHE_SECONDS": 30,
    "MAX_STALE": 300,
    "MAX_CLOCK_SKEW": 60,
    "PROPAGATION_DELAY": 2 * 86400,
    "SIGN_FOR": 90 * 86400,
    "OVERLAP": None,
}
_NUMBERS = (
    "CACHE_SECONDS",
    "MAX_STALE",
    "MAX_CLOCK_SKEW",
    "PROPAGATION_DELAY",
    "SIGN_FOR",
    "OVERLAP",
)


@dataclass(frozen=True, slots=True)
class StoreOptions:
    backend: str
    database: str
    cache: str
    prefix: str
    kek: str | None
    cache_seconds: float
    max_stale: float
    max_clock_skew: float
    propagation_delay: float
    sign_for: float
    overlap: float


def raw_setting() -> object:
    return conf.hardsess_settings().get("KEY_STORE")


def _merged(raw: object) -> dict[str, Any]:
    if raw is None:
        return dict(DEFAULTS)
    if isinstance(raw, str):
        return {**DEFAULTS, "BACKEND": raw}
    if isinstance(raw, Mapping):
        return {**DEFAULTS, **raw}
    return dict(DEFAULTS)


def problems(raw: object = None, *, read: bool = True) -> list[str]:
    """Every problem with the setting, as sentences naming options (never the KEK)."""
    if read:
        raw = raw_setting()
    if raw is None:
        return []
    if not isinstance(raw, (str, Mapping)):
        return [f"{SETTING} must be a backend name or a dict, not {type(raw).__name__}"]
    merged = _merged(raw)
    found: list[str] = []
    unknown = sorted(str(k) for k in merged if k not in DEFAULTS)
    if unknown:
        found.append(f"{SETTING} has unknown option(s): {', '.join(unknown)}")
    if merged["BACKEND"] not in BACKENDS:
        found.append(f"{SETTING}: BACKEND must be one of {', '.join(BACKENDS)}")
    for name in _NUMBERS:
        value = merged[name]
        if name == "OVERLAP" and value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            found.append(f"{SETTING}: {name} must be a number of seconds >= 0")
    if found or merged["BACKEND"] == "settings":
        return found
    opts = options(raw, read=False)
    if opts.cache_seconds <= 0:
        found.append(f"{SETTING}: CACHE_SECONDS must be more than 0")
    if opts.max_stale < opts.cache_seconds:
        found.append(f"{SETTING}: MAX_STALE must be at least CACHE_SECONDS")
    if opts.propagation_delay < opts.max_stale + 2 * opts.max_clock_skew:
        found.append(
            f"{SETTING}: PROPAGATION_DELAY ({opts.propagation_delay:g} s) must be at least "
            f"MAX_STALE + 2 * MAX_CLOCK_SKEW ({opts.max_stale + 2 * opts.max_clock_skew:g} s): "
            "a server could sign with a key another server has not read yet"
        )
    if opts.overlap <= 2 * opts.max_clock_skew:
        found.append(
            f"{SETTING}: OVERLAP must be more than 2 * MAX_CLOCK_SKEW: a server whose clock is "
            "behind could sign with a key the others already refuse"
        )
    if opts.sign_for <= opts.propagation_delay:
        found.append(f"{SETTING}: SIGN_FOR must be more than PROPAGATION_DELAY")
    if not opts.kek:
        found.append(
            f"{SETTING}: no key-encryption key: set KEK or the environment variable {KEK_ENV}"
        )
    return found


def options(raw: object = None, *, read: bool = True) -> StoreOptions:
    """The setting over its defaults (call :func:`problems` first for a malformed one)."""
    if read:
        raw = raw_setting()
    merged = _merged(raw)
    overlap = merged["OVERLAP"]
    if overlap is None:
        overlap = float(getattr(settings, "SESSION_COOKIE_AGE", 1209600))
    kek = merged["KEK"] or os.environ.get(KEK_ENV) or None
    return StoreOptions(
        backend=str(merged["BACKEND"]),
        database=str(merged["DATABASE"]),
        cache=str(merged["CACHE"]),
        prefix=str(merged["PREFIX"]),
        kek=kek,
        cache_seconds=float(merged["CACHE_SECONDS"]),
        max_stale=float(merged["MAX_STALE"]),
        max_clock_skew=float(merged["MAX_CLOCK_SKEW"]),
        propagation_delay=float(merged["PROPAGATION_DELAY"]),
        sign_for=float(merged["SIGN_FOR"]),
        overlap=float(overlap),
    )


def backend_name() -> str:
    """ "settings", "database" or "cache" (a malformed setting reads as "settings"; the system
    check hardsess.E181 reports it)."""
    name = _merged(raw_setting())["BACKEND"]
    return name if name in BACKENDS else "settings"
