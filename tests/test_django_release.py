"""Release comparisons that survive calendar versions (hardsess.django_release), and the places
that compare releases using them."""

from __future__ import annotations

from collections import namedtuple
from typing import Any

import django
import pytest

from hardsess.django_release import at_least, release_of
from hardsess.lint.django_version import lowest_version
from hardsess.policy.defaults import defaults_of

#: django.VERSION's shape today: a plain 5-tuple.
PLAIN = (6, 1, 3, "final", 0)
#: A namedtuple, as a VersionTuple may be.
VersionTuple = namedtuple("VersionTuple", "major minor micro releaselevel serial")


class Opaque:
    """A VersionTuple that is no tuple at all: only attributes, and no ordering with tuples."""

    def __init__(self, major: int, minor: int) -> None:
        self.major, self.minor = major, minor

    def __lt__(self, other: Any) -> bool:
        raise TypeError("not comparable with tuples")

    __gt__ = __ge__ = __le__ = __lt__


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        (PLAIN, (6, 1)),
        ((5, 2), (5, 2)),
        (VersionTuple(6, 2, 0, "alpha", 1), (6, 2)),
        (VersionTuple(2027, 1, 0, "final", 0), (2027, 1)),
        (Opaque(2028, 2), (2028, 2)),
        ("6.1.3", (6, 1)),
        ("6.2a1", (6, 2)),
        ("2027.1", (2027, 1)),
        ("27.1rc1", (27, 1)),
        (django.VERSION, tuple(int(part) for part in django.__version__.split(".")[:2])),
    ],
)
def test_release_of_reads_every_shape(version: object, expected: tuple[int, int]) -> None:
    assert release_of(version) == expected


@pytest.mark.parametrize("bad", ["six", "", (6,), (True, 1), None, 6.1, {"major": 6}])
def test_release_of_refuses_what_is_no_version(bad: object) -> None:
    with pytest.raises((TypeError, ValueError)):
        release_of(bad)


@pytest.mark.parametrize(
    ("version", "since", "expected"),
    [
        (PLAIN, (6, 1), True),
        (PLAIN, (6, 2), False),
        ((6, 0), (6, 1), False),
        (VersionTuple(2027, 1, 0, "final", 0), (6, 1), True),  # a year-based major is later
        (VersionTuple(27, 1, 0, "final", 0), (6, 2), True),
        (Opaque(2027, 1), (2027, 2), False),
        ("2027.2", "2027.1", True),
        ("6.2a1", (6, 2), True),  # a pre-release of 6.2 has 6.2's features
    ],
)
def test_at_least(version: object, since: object, expected: bool) -> None:
    assert at_least(version, since) is expected


def test_defaults_of_a_calendar_release_are_the_newest_known() -> None:
    """SIGNED_COOKIE_LEGACY_SALT_FALLBACK turned False in 6.1: a calendar release keeps that,
    whatever shape its version has (a positional or tuple comparison would fail or flip)."""
    for version in ((2027, 1), VersionTuple(2027, 1, 0, "final", 0), Opaque(2027, 1), "2027.1"):
        assert defaults_of(version)["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"] is False
    assert defaults_of((6, 0))["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"] is True
    assert defaults_of(VersionTuple(5, 2, 0, "final", 0))["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"]


@pytest.mark.parametrize(
    ("spec", "expected"),
    [(">=2027.1", (2027, 1)), ("~=2027.1.0", (2027, 1)), (">=6.2a1,<2028", (6, 2))],
)
def test_pinned_calendar_versions_are_read(spec: str, expected: tuple[int, int]) -> None:
    assert lowest_version(spec) == expected


def test_hardsess_never_imports_the_deprecated_middleware_mixin() -> None:
    """Django 6.2 deprecates importing MiddlewareMixin from django.utils.deprecation: hardsess'
    middleware are plain classes with sync_capable / async_capable, and nothing imports it."""
    import ast
    from pathlib import Path

    import hardsess
    import lint_rules

    for package in (hardsess, lint_rules):
        for path in Path(package.__path__[0]).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom):
                    assert node.module != "django.utils.deprecation", path
                elif isinstance(node, ast.Import):
                    names = {alias.name for alias in node.names}
                    assert "django.utils.deprecation" not in names, path

    from django.utils.deprecation import MiddlewareMixin

    from hardsess.middleware import HardSessMiddleware
    from hardsess.sessions import SessionLifecycleMiddleware

    for middleware in (HardSessMiddleware, SessionLifecycleMiddleware):
        assert not issubclass(middleware, MiddlewareMixin)
        assert middleware.sync_capable
        assert middleware.async_capable
