"""Fixes that can break the site are never safe (hardsess.lint.fix_safety): Secure in a
development module, SameSite where a comment says the cookie is used cross-site."""

from __future__ import annotations

import pytest

from hardsess.lint.api import fix_source, lint_source
from hardsess.lint.fix_safety import looks_like_development, wants_cross_site


@pytest.mark.parametrize(
    ("path", "development"),
    [
        ("proj/settings/dev.py", True),
        ("proj/settings/local.py", True),
        ("local_settings.py", True),
        ("settings_development.py", True),
        ("proj/settings.test.py", True),
        ("tests/views.py", True),
        ("config/settings/ci.py", True),
        ("proj/settings/debug.py", True),
        ("docs/settings.py", True),  # as the discovery classifies it (hardsess.lint.project)
        ("proj/settings/production.py", False),
        ("proj/settings.py", False),
        ("devices/views.py", False),  # a word starting with "dev" is not "dev"
        ("latest/settings.py", False),
        ("/home/dev/proj/settings.py", False),  # the directories above the project say nothing
    ],
)
def test_development_paths(path: str, development: bool) -> None:
    assert looks_like_development(path) is development


@pytest.mark.parametrize(
    ("comment", "cross_site"),
    [
        ("# loaded in the partner's iframe", True),
        ("# third-party embed needs it", True),
        ("# must stay SameSite=None", True),
        ("# cross-site checkout", True),
        ("# remember the theme", False),
    ],
)
def test_cross_site_comments(comment: str, cross_site: bool) -> None:
    assert wants_cross_site(comment) is cross_site


@pytest.mark.parametrize("path", ["proj/settings/dev.py", "proj/settings/local.py"])
def test_secure_literal_in_a_development_settings_module_is_an_unsafe_fix(path: str) -> None:
    code = "SESSION_COOKIE_SECURE = False\n"
    (finding,) = lint_source(code, path, select=["HS101"])
    assert finding.fix == "unsafe"
    assert "development module" in finding.fix_description
    assert fix_source(code, path, select=["HS101"]) == code
    assert fix_source(code, path, select=["HS101"], unsafe=True) == "SESSION_COOKIE_SECURE = True\n"


def test_secure_literal_in_a_production_settings_module_stays_a_safe_fix() -> None:
    (finding,) = lint_source("SESSION_COOKIE_SECURE = False\n", "proj/settings/prod.py")
    assert finding.fix == "safe"


def test_samesite_in_a_development_module_stays_safe() -> None:
    # Only Secure depends on how the site is served.
    (finding,) = lint_source('SESSION_COOKIE_SAMESITE = "None"\n', "proj/settings/dev.py")
    assert (finding.rule_id, finding.fix) == ("HS103", "safe")


def test_set_cookie_in_a_test_module_gets_no_safe_secure() -> None:
    code = "def view(request, response):\n    response.set_cookie('k', 'v')\n"
    (finding,) = lint_source(code, "tests/test_views.py", select=["HS201"])
    assert finding.fix == "unsafe"
    (finding,) = lint_source(code, "shop/views.py", select=["HS201"])
    assert finding.fix == "safe"


def test_a_trailing_cross_site_comment_makes_the_samesite_fix_unsafe() -> None:
    code = (
        "def view(request, response):\n"
        "    response.set_cookie(\n"
        "        'widget', 'v', secure=True, httponly=True,  # embedded via iframe\n"
        "    )\n"
    )
    (finding,) = lint_source(code, "views.py", select=["HS201"])
    assert finding.fix == "unsafe"
    assert "cross-site" in finding.fix_description


def test_a_samesite_setting_commented_as_cross_site_is_an_unsafe_fix() -> None:
    code = (
        "class Mixin:\n"
        "    # Lax breaks the page when it is embedded in an iframe.\n"
        '    SESSION_COOKIE_SAMESITE = "None"\n'
    )
    (finding,) = lint_source(code, "proj/settings.py", select=["HS103"])
    assert finding.fix == "unsafe"
    assert "cross-site" in finding.fix_description
    assert fix_source(code, "proj/settings.py", select=["HS103"]) == code
    plain = 'SESSION_COOKIE_SAMESITE = "None"  # legacy\n'
    (finding,) = lint_source(plain, "proj/settings.py", select=["HS103"])
    assert finding.fix == "safe"
