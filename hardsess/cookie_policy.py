"""Moved to :mod:`hardsess.firewall.requirements`; this path keeps working.

"Policy" now names only the rule catalogue (:mod:`hardsess.policy`), so the per-cookie
settings are *requirements* there: ``CookiePolicy`` is ``CookieRequirements``,
``PolicyResolver`` is ``RequirementsResolver``, ``validate_cookie_policies`` is
``validate_cookies_setting`` (documented under this name in docs/runtime.md), and
``SAMESITE_RANK`` is the catalogue's ``SAMESITE_STRICTNESS``.
"""

from __future__ import annotations

from hardsess.firewall.requirements import (
    FIELDS,
    MESSAGES_COOKIE_NAME,
    SETTING,
    CookieRequirements,
    RequirementsResolver,
    validate_cookies_setting,
)
from hardsess.policy.cookies import MAX_COOKIE_AGE, MAX_COOKIE_BYTES, SAMESITE_STRICTNESS

CookiePolicy = CookieRequirements
PolicyResolver = RequirementsResolver
validate_cookie_policies = validate_cookies_setting
SAMESITE_RANK = SAMESITE_STRICTNESS

__all__ = [
    "FIELDS",
    "MAX_COOKIE_AGE",
    "MAX_COOKIE_BYTES",
    "MESSAGES_COOKIE_NAME",
    "SAMESITE_RANK",
    "SETTING",
    "CookiePolicy",
    "PolicyResolver",
    "validate_cookie_policies",
]
