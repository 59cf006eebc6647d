"""When a fix that is safe in general can break a particular site, so it must not be "safe".

``--fix`` applies safe fixes without asking; a fix that breaks a feature is worse than the
finding. Three cases are known from linting real projects:

* **Secure in a development module**: ``SESSION_COOKIE_SECURE = True`` in ``settings/dev.py``
  logs everyone out of ``http://127.0.0.1:8000``. :func:`looks_like_development` is the
  classification's test on the path (:func:`hardsess.lint.project.is_development_path`);
  the references (``Dockerfile.dev``, pytest's ``DJANGO_SETTINGS_MODULE``) are known only
  to the runner's :class:`~hardsess.lint.project.Classifier`, whose development modules'
  settings findings are not reported at all, so a fix there is never offered.
* **SameSite on a cookie that must be None**: a comment on the statement saying the cookie is
  used cross-site (an iframe, an embed, a third-party widget) means ``samesite="Lax"`` breaks
  it (:func:`wants_cross_site`).
* **HttpOnly on a cookie the site's JavaScript reads**: see :mod:`hardsess.lint.script_cookies`.

Standard library only at import (libcst is imported by :func:`comments_in`'s callers anyway).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from hardsess.lint.project import is_development_path

if TYPE_CHECKING:
    import libcst as cst

__all__ = ["comments_in", "looks_like_development", "wants_cross_site"]

_CROSS_SITE = re.compile(
    r"cross[- ]?site|cross[- ]?origin|third[- ]?party|iframe|embed|samesite\s*=?\s*['\"]?none"
    r"|must be none",
    re.IGNORECASE,
)


def looks_like_development(path: str) -> bool:
    """Whether a module's path says development, local or test (``settings/dev.py``,
    ``local_settings.py``, ``tests/views.py``, ``settings.test.py``): the path test of the
    deployed / development classification, :func:`hardsess.lint.project.is_development_path`,
    so a fix and the discovery agree on what a development module is. An absolute path is
    taken relative to the current directory, or by its name alone outside it, as the
    classifier does: a checkout under ``/home/dev/`` is not development code."""
    posix = path.replace("\\", "/")
    if os.path.isabs(posix):
        try:
            posix = Path(posix).relative_to(Path.cwd()).as_posix()
        except ValueError:
            posix = Path(posix).name
    return is_development_path(posix)


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
