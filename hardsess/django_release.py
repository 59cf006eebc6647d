"""A Django release as ``(major, minor)``, from whatever shape its version comes in.

After 6.2 Django moves to calendar versions and ``django.VERSION`` becomes a VersionTuple.
Code that indexes the tuple by position, compares it with a tuple of another length, or tests
``VERSION[0] == 6`` / ``VERSION < (7, 0)`` then misreads the release. hardsess compares
releases in one way only: :func:`release_of` turns ``django.VERSION`` (a plain tuple, a
namedtuple or any object with ``major`` and ``minor``), a version string (``"6.1.3"``,
``"6.2a1"``, a year-based ``"2027.1"``) or a ``(major, minor)`` pair into two integers, and
:func:`at_least` says whether a release is the given one or later. A year-based major
(2027, or 27) is greater than every 6.x, so "from 6.1 on" stays true. No comparison anywhere
reads "before 7": a calendar release is never 7.0.

Feature detection (``getattr(global_settings, NAME, ...)``, ``hasattr``) remains the first
choice wherever a feature can be probed. This module is for the places where only the number
says it: the defaults of a release a project pins (:mod:`hardsess.policy.defaults`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

__all__ = ["Release", "at_least", "release_of"]

#: A Django feature release: (major, minor).
Release = tuple[int, int]

_LEADING = re.compile(r"\s*v?(\d+)\.(\d+)")


def release_of(version: object) -> Release:
    """``(major, minor)`` of ``version``: django.VERSION in any of its shapes, or a string."""
    if isinstance(version, str):
        match = _LEADING.match(version)
        if match is None:
            raise ValueError(f"not a Django version: {version!r}")
        return int(match.group(1)), int(match.group(2))
    major, minor = getattr(version, "major", None), getattr(version, "minor", None)
    if _is_int(major) and _is_int(minor):
        return int(major), int(minor)  # type: ignore[arg-type]
    if isinstance(version, Sequence) and len(version) >= 2:
        first, second = version[0], version[1]
        if _is_int(first) and _is_int(second):
            return int(first), int(second)
    raise TypeError(f"not a Django version: {version!r}")


def at_least(version: object, since: object) -> bool:
    """Whether release ``version`` is release ``since`` or later (both as :func:`release_of`
    reads them)."""
    return release_of(version) >= release_of(since)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
