"""When a fix that is safe in general can break a particular site, so it must not be "safe".

``--fix`` applies safe fixes without asking; a fix that breaks a feature is worse than the
finding. Three cases are known from linting real projects:

* **Secure in a development module**: ``SESSION_COOKIE_SECURE = True`` in ``settings/dev.py``
  logs everyone out of ``http://127.0.0.1:8000``. :func:`looks_like_development` is a
  deliberately small test on the path; the full deployed / development classification lives
  in :mod:`hardsess.lint.discovery`, and this function is the one place to swap for it.
* **SameSite on a cookie that must be None**: a comment on the statement saying the cookie is
  used cross-site (an iframe, an embed, a third-party widget) means ``samesite="Lax"`` breaks
  it (:func:`wants_cross_site`).
* **HttpOnly on a cookie the site's JavaScript reads**: see :mod:`hardsess.lint.script_cookies`.

Standard library only at import (libcst is imported by :func:`comments_in`'s callers anyway).
"""

from __future__ import annotations

import re
from pathlib import PurePath
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["comments_in", "looks_like_development", "wants_cross_site"]

#: Words in a module's path that say it is not what is deployed.
_DEV_WORDS = frozenset(
    {
        "dev",
        "devel",
        "develop",
        "development",
        "local",
        "test",
        "tests",
        "testing",
        "ci",
        "debug",
    }
)
_SPLIT = re.compile(r"[_.\-]+")
_CROSS_SITE = re.compile(
    r"cross[- ]?site|cross[- ]?origin|third[- ]?party|iframe|embed|samesite\s*=?\s*['\"]?none"
    r"|must be none",
    re.IGNORECASE,
)


def looks_like_development(path: str) -> bool:
    """Whether a module's path says development, local or test (``settings/dev.py``,
    ``local_settings.py``, ``tests/views.py``, ``settings.test.py``)."""
    parts = PurePath(path.replace("\\", "/")).parts
    if not parts:
        return False
    stem = parts[-1].removesuffix(".py")
    words = [*parts[:-1], *_SPLIT.split(stem.lower())]
    return any(word.lower() in _DEV_WORDS for word in words)


def wants_cross_site(comments: str) -> bool:
    """Whether comment text says the cookie is meant for cross-site use (SameSite=None)."""
    return _CROSS_SITE.search(comments) is not None


def comments_in(node: cst.CSTNode) -> str:
    """The text of every comment inside ``node``, and on the lines above it when it is a
    statement line (the comment a developer writes to explain a value)."""
    import libcst as cst

    found: list[str] = []
    if isinstance(node, cst.SimpleStatementLine):
        found += [line.comment.value for line in node.leading_lines if line.comment]
    stack: list[cst.CSTNode] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, cst.Comment):
            found.append(current.value)
        stack.extend(current.children)
    return "\n".join(found)
