"""Django's defaults by release (hardsess.policy.defaults)."""

from __future__ import annotations

from hardsess.policy.defaults import (
    DJANGO_DEFAULTS,
    assumed_django,
    assumed_release,
    defaults_of,
    django_defaults,
)


def test_the_legacy_salt_default_follows_the_release() -> None:
    assert "SIGNED_COOKIE_LEGACY_SALT_FALLBACK" not in defaults_of((5, 1))
    assert defaults_of((5, 2))["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"] is True
    assert defaults_of((6, 0))["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"] is True
    assert defaults_of((6, 1))["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"] is False


def test_settings_that_did_not_exist_yet_are_left_out() -> None:
    old = defaults_of((2, 0))
    assert "SESSION_COOKIE_SAMESITE" not in old
    assert "LANGUAGE_COOKIE_SECURE" not in old
    assert "SECRET_KEY_FALLBACKS" not in defaults_of((4, 0))
    assert defaults_of((4, 1))["SECRET_KEY_FALLBACKS"] == []
    assert old["SESSION_COOKIE_SECURE"] is False  # unchanged settings keep the table's value


def test_the_current_release_matches_the_table() -> None:
    assert defaults_of((5, 2)) == dict(DJANGO_DEFAULTS)


def test_the_assumed_release_applies_inside_the_block_only() -> None:
    installed = django_defaults()
    with assumed_django((6, 1), "uv.lock"):
        assert django_defaults()["SIGNED_COOKIE_LEGACY_SALT_FALLBACK"] is False
        assert assumed_release() == "Django 6.1, pinned in uv.lock"
    assert django_defaults() is installed
    assert assumed_release() is None
