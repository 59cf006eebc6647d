"""``manage.py check`` as a real subprocess on the small project in tests/checks/site/.

Four settings modules: ``settings_secure`` (hardsess silent), ``settings_defaults`` (cookie
settings never written: Django's insecure defaults, the firewall enforcing),
``settings_enforced`` (secure but for flags the firewall enforces at runtime),
``settings_insecure`` (everything wrong).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import global_settings

MANAGE = Path(__file__).parent / "site" / "manage.py"
# True where the installed Django keeps the legacy salt by default (5.2, 6.0; 6.1 does not).
LEGACY_SALT = getattr(global_settings, "SIGNED_COOKIE_LEGACY_SALT_FALLBACK", False) is True
ID = re.compile(r"\((hardsess\.[EW]\d{3})\)")
#: Django's IDs too (``security.W012``), for "each problem exactly once".
ANY_ID = re.compile(r"\(((?:hardsess|security)\.[EWI]\d{3})\)")


def manage_check(settings: str, *args: str) -> tuple[int, list[str], str]:
    """Run ``manage.py check`` and return (exit code, sorted hardsess IDs, output)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = f"tests.checks.site.{settings}"
    result = subprocess.run(
        [sys.executable, str(MANAGE), "check", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    return result.returncode, sorted(ID.findall(output)), output


def test_secure_project_passes_check_deploy() -> None:
    code, ids, output = manage_check("settings_secure", "--deploy")
    assert ids == [], output
    assert code == 0, output


def test_django_defaults_under_the_enforcing_firewall() -> None:
    code, ids, output = manage_check("settings_defaults", "--deploy")
    # The Secure flags are Django's insecure defaults, but the firewall adds Secure to both
    # cookies at runtime: no hardsess.E101 / E111. Django's own deploy checks do not know the
    # firewall and still warn, once each. The legacy salt has no runtime fix.
    expected = ["hardsess.W134"] if LEGACY_SALT else []
    assert ids == expected, output
    assert code == 0, output
    all_ids = ANY_ID.findall(output)
    assert all_ids.count("security.W012") == 1, output
    assert all_ids.count("security.W016") == 1, output
    code, ids, output = manage_check("settings_defaults")
    assert ids == [], output
    assert code == 0


INSECURE_EVERYWHERE = [
    "hardsess.E102",
    "hardsess.E106",
    "hardsess.E107",
    "hardsess.E141",
    "hardsess.E141",  # session and language cookie: SameSite=None without Secure
    "hardsess.E161",
    "hardsess.E161",  # no primary key, and a short secret
    "hardsess.E162",
    "hardsess.E163",
    "hardsess.W103",
    "hardsess.W104",
    "hardsess.W105",
    "hardsess.W108",
    "hardsess.W112",
    "hardsess.W122",
    "hardsess.W123",
    "hardsess.W152",  # a renamed SessionMiddleware above the firewall
    "hardsess.W154",  # Django's signed_cookies engine with hardsess installed
    "hardsess.W166",
    "hardsess.W168",  # CSRF_COOKIE_SECURE = "False"
]
INSECURE_DEPLOY_ONLY = [
    # E101 (security.W010), E132 (security.W009) and, under --deploy, E102 (security.W013):
    # Django's own deploy checks report them (test_one_finding.py).
    "hardsess.W121",
    "hardsess.W133",
    "hardsess.W134",
    "hardsess.W167",
]


def test_insecure_project_without_deploy() -> None:
    code, ids, output = manage_check("settings_insecure")
    assert ids == sorted(INSECURE_EVERYWHERE), output
    assert code == 1
    assert "SystemCheckError" in output


def test_insecure_project_with_deploy() -> None:
    code, ids, output = manage_check("settings_insecure", "--deploy")
    everywhere = [i for i in INSECURE_EVERYWHERE if i != "hardsess.E102"]
    assert ids == sorted(everywhere + INSECURE_DEPLOY_ONLY), output
    for django_id in ("security.W009", "security.W010", "security.W013"):
        assert ANY_ID.findall(output).count(django_id) == 1, output
    # CSRF_COOKIE_SECURE = "False" is truthy: Django sends Secure, so no E111.
    assert "hardsess.E111" not in ids
    assert code == 1


def test_tag_selection_and_fail_level() -> None:
    code, ids, _ = manage_check("settings_insecure", "--deploy", "--tag", "security")
    assert "hardsess.E107" in ids
    assert code == 1
    # --fail-level CRITICAL: errors are printed but do not fail the command.
    code, ids, _ = manage_check("settings_insecure", "--deploy", "--fail-level", "CRITICAL")
    assert "hardsess.E107" in ids
    assert code == 0


# Django's warnings about the flags the firewall enforces, silenced as docs/checks.md suggests.
@pytest.mark.parametrize("silenced", [["security.W012", "security.W016", "hardsess.W134"]])
def test_silenced_system_checks_in_a_settings_module(tmp_path: Path, silenced: list[str]) -> None:
    # A settings module that extends the defaults one and silences what it reports.
    package = tmp_path / "silenced_site"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        "from tests.checks.site.settings_defaults import *  # noqa: F403\n"
        f"SILENCED_SYSTEM_CHECKS = {silenced!r}\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "silenced_site.settings"
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(MANAGE.parents[3])])
    result = subprocess.run(
        [sys.executable, str(MANAGE), "check", "--deploy"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert not {*ANY_ID.findall(output)} & {*silenced, "hardsess.E101", "hardsess.E111"}, output
    assert ID.findall(output) == [], output
    assert result.returncode == 0, output
    found = re.search(r"\((\d+) silenced\)", output)
    assert found is not None, output
    assert int(found.group(1)) >= 2, output  # W012 and W016 at least


def test_max_session_age_from_the_projects_pyproject(tmp_path: Path) -> None:
    """HS104's maximum comes from the same ``[tool.hardsess]`` the linter reads."""
    package = tmp_path / "aged_site"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "settings.py").write_text(
        "from tests.checks.site.settings_secure import *  # noqa: F403\n"
        "SESSION_COOKIE_AGE = 30 * 24 * 3600\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "aged_site.settings"
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(MANAGE.parents[3])])

    def ids() -> list[str]:
        done = subprocess.run(
            [sys.executable, str(MANAGE), "check", "--deploy"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        return ID.findall(done.stdout + done.stderr)

    assert ids() == ["hardsess.W104"]  # 30 days > the default 14
    (tmp_path / "pyproject.toml").write_text("[tool.hardsess]\nmax-session-age = 2592000\n")
    assert ids() == []


def test_running_the_checks_never_imports_libcst() -> None:
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "from django.core.checks import run_checks\n"
        "messages = run_checks(include_deployment_checks=True)\n"
        "assert 'hardsess.checks' in sys.modules\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('libcst', 'lint_rules')))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DJANGO_SETTINGS_MODULE"] = "tests.checks.site.settings_insecure"
    env["PYTHONPATH"] = str(MANAGE.parents[3])
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
