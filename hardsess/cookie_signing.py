"""Moved to :mod:`hardsess.firewall.signing` (the wire format); this path keeps working."""

from __future__ import annotations

from hardsess.firewall.signing import (
    BAD_SIGNATURE,
    DISGUISED,
    DUPLICATE,
    EXPIRED,
    MALFORMED,
    MAX_NAME_CHARACTERS,
    RETIRED_KEY,
    SAFE_CHARS,
    SIGNED_PREFIXES,
    TAG_B64,
    TAG_RAW,
    UNKNOWN_KEY,
    UNSIGNED,
    Verified,
    looks_signed,
    sign,
    verify,
)

__all__ = [
    "BAD_SIGNATURE",
    "DISGUISED",
    "DUPLICATE",
    "EXPIRED",
    "MALFORMED",
    "MAX_NAME_CHARACTERS",
    "RETIRED_KEY",
    "SAFE_CHARS",
    "SIGNED_PREFIXES",
    "TAG_B64",
    "TAG_RAW",
    "UNKNOWN_KEY",
    "UNSIGNED",
    "Verified",
    "looks_signed",
    "sign",
    "verify",
]
