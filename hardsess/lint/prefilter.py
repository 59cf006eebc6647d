"""The byte-level pre-filter: does a file's content possibly matter? No parsing, no libcst.

Most files of a repository never reach the parser. A settings file matters only when it
mentions one of the settings the catalogue reads (:data:`hardsess.policy.SETTINGS_NAMES`);
any Python file matters to the code rules only when it mentions a cookie-setting call. Both
tests are substring searches on the raw bytes, so they are exact supersets: a file rejected
here cannot produce a finding.
"""

from __future__ import annotations

from hardsess.policy import SETTINGS_NAMES

__all__ = [
    "CODE_TRIGGERS",
    "SETTINGS_TRIGGERS",
    "code_may_matter",
    "may_matter",
    "settings_may_matter",
]

#: Every code rule's TRIGGERS must be among these (tests/lint checks it).
CODE_TRIGGERS: tuple[bytes, ...] = (b"set_cookie", b"set_signed_cookie")
#: Settings names as bytes (the order has no effect on the result).
SETTINGS_TRIGGERS: tuple[bytes, ...] = tuple(
    sorted((name.encode("ascii") for name in SETTINGS_NAMES), key=len)
)


def settings_may_matter(data: bytes) -> bool:
    """True when a settings module's bytes mention a setting some rule reads."""
    return any(name in data for name in SETTINGS_TRIGGERS)


def code_may_matter(data: bytes) -> bool:
    """True when a Python file's bytes mention a cookie-setting call."""
    return any(trigger in data for trigger in CODE_TRIGGERS)


def may_matter(data: bytes, *, settings: bool) -> bool:
    """The whole pre-filter of one file: True when its bytes can produce a finding, for a
    settings module (``settings``: settings and code rules) or any other Python file (code
    rules only). The runner, the API and the bandit plugin all ask this before parsing."""
    return (settings and settings_may_matter(data)) or code_may_matter(data)
