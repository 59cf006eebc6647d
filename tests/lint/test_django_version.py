"""The project's pinned Django (hardsess.lint.django_version) and deploy mode judging Django's
defaults of that release, not of the Django installed next to the linter."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from hardsess.lint.config import Config
from hardsess.lint.django_version import (
    PinnedDjango,
    find_pinned,
    find_pinned_below,
    lowest_version,
)
from hardsess.lint.reporters.text import summary
from hardsess.lint.runner import lint_paths


@pytest.mark.parametrize(
    ("spec", "version"),
    [
        ("==4.2.7", (4, 2)),
        (">=4.2,<5.0", (4, 2)),
        ("<5.0,>=4.1", (4, 1)),
        ("~=5.2.1", (5, 2)),
        ("^4.2", (4, 2)),
        ("~4.2", (4, 2)),
        (">=3.2, >=4.0", (4, 0)),
        ("==5.2.*", (5, 2)),
        ("<5.0", None),
        ("*", None),
        ("", None),
    ],
)
def test_lowest_version(spec: str, version: tuple[int, int] | None) -> None:
    assert lowest_version(spec) == version


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"requirements.txt": "requests==2.31\nDjango==4.2.7  # LTS\n"}, "requirements.txt"),
        (
            {"requirements/base.txt": "django[argon2]>=5.0,<5.1\n"},
            "requirements/base.txt",
        ),
        (
            {"requirements.txt": "-r requirements/common.txt\n", "requirements/common.txt": ""},
            None,
        ),
        (
            {"pyproject.toml": '[project]\nname = "s"\ndependencies = ["Django>=5.1"]\n'},
            "pyproject.toml [project] dependencies",
        ),
        (
            {"pyproject.toml": '[tool.poetry.dependencies]\ndjango = {version = "^4.1"}\n'},
            "pyproject.toml [tool.poetry.dependencies]",
        ),
        ({"Pipfile": '[packages]\ndjango = "==3.2.25"\n'}, "Pipfile"),
        ({"setup.cfg": "[options]\ninstall_requires =\n    Django>=4.0\n"}, "setup.cfg"),
        ({"setup.py": "setup(install_requires=['Django>=4.1,<5'])\n"}, "setup.py"),
        (
            {"poetry.lock": '[[package]]\nname = "django"\nversion = "5.2.3"\n'},
            "poetry.lock",
        ),
        (
            {"uv.lock": '[[package]]\nname = "django"\nversion = "6.1.0"\n'},
            "uv.lock",
        ),
        (
            {"Pipfile.lock": json.dumps({"default": {"django": {"version": "==4.2.1"}}})},
            "Pipfile.lock",
        ),
    ],
)
def test_each_source(tmp_path: Path, files: dict[str, str], expected: str | None) -> None:
    write(tmp_path, files)
    found = find_pinned(tmp_path)
    assert (None if found is None else found.source) == expected


def test_the_lock_file_wins_over_a_range(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "Django>=4.2\n",
            "poetry.lock": '[[package]]\nname = "Django"\nversion = "5.2.8"\n',
        },
    )
    assert find_pinned(tmp_path) == PinnedDjango((5, 2), "poetry.lock")


def test_an_include_is_followed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "-r requirements/common.txt\n",
            "requirements/common.txt": "Django==6.0\n",
        },
    )
    assert find_pinned(tmp_path) == PinnedDjango((6, 0), "requirements.txt")


# -------------------------------------------------------------------------- deploy mode

SETTINGS = """\
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
MIDDLEWARE = ["django.contrib.sessions.middleware.SessionMiddleware"]
"""


def deploy(root: Path, monkeypatch: pytest.MonkeyPatch, requirements: str | None):  # type: ignore[no-untyped-def]
    files = {"pyproject.toml": "", "proj/__init__.py": "", "proj/settings.py": SETTINGS}
    if requirements is not None:
        files["requirements.txt"] = requirements
    write(root, files)
    monkeypatch.chdir(root)
    return lint_paths(["."], Config(root=root), settings_modules=["proj.settings"])


def test_a_project_on_django_6_1_gets_no_legacy_salt_finding_whatever_is_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = deploy(tmp_path, monkeypatch, "Django==6.1.2\n")
    assert [f.rule_id for f in result.findings] == []
    assert result.django == "Django 6.1 (from requirements.txt)"
    assert "Deploy mode judged Django's defaults as of Django 6.1" in summary(result)


def test_a_project_on_django_5_2_gets_the_legacy_salt_finding_naming_the_release(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = deploy(tmp_path, monkeypatch, "Django>=5.2,<6.0\n")
    (finding,) = result.findings
    assert finding.rule_id == "HS134"
    assert "(never set: the default of Django 5.2, pinned in requirements.txt)" in finding.message


def test_a_release_before_the_setting_existed_has_no_default_to_judge(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert deploy(tmp_path, monkeypatch, "Django==4.2.20\n").findings == []


def test_without_a_pin_the_installed_django_decides_and_no_release_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hardsess.policy import django_defaults

    result = deploy(tmp_path, monkeypatch, None)
    expected = ["HS134"] if django_defaults().get("SIGNED_COOKIE_LEGACY_SALT_FALLBACK") else []
    assert [f.rule_id for f in result.findings] == expected
    assert result.django == ""


def test_a_django_plugin_is_not_django(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "requirements.txt": "django-environ==0.11\ndjango_redis>=5\n",
            "setup.py": "install_requires=['django-cors-headers>=4']\n",
        },
    )
    assert find_pinned(tmp_path) is None


def test_a_monorepo_subproject_pins_the_release(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "apps/web/package.json": "{}",
            "apps/api/requirements/base.txt": "Django==4.2.30\nredis\n",
            "apps/api/requirements/dev.txt": "-r base.txt\npytest\n",
        },
    )
    assert find_pinned(tmp_path) is None
    assert find_pinned_below(tmp_path) == PinnedDjango((4, 2), "apps/api/requirements/base.txt")


def test_subprojects_that_disagree_name_no_release(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "services/a/requirements.txt": "Django==4.2.30\n",
            "services/b/requirements.txt": "Django==6.1.1\n",
        },
    )
    assert find_pinned_below(tmp_path) is None
