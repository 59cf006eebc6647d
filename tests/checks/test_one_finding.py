"""One finding per problem: nothing for what the firewall enforces, nothing Django already says.

In process (``run_checks`` and ``call_command("check")`` on the test project, whose firewall
enforces) for the firewall's side, judged against its live requirements; as a real
``manage.py check --deploy`` subprocess on tests/checks/site/ for what a user sees.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.checks import Tags, run_checks
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test.utils import override_settings

from hardsess import policy
from hardsess.django_overlap import DJANGO_CHECKS
from tests.checks.test_manage_check import ANY_ID, MANAGE, manage_check

FIREWALL = policy.MIDDLEWARE
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
#: Django's overlapping checks silenced: what hardsess itself reports shows.
QUIET_DJANGO = {"SILENCED_SYSTEM_CHECKS": sorted(DJANGO_CHECKS)}
#: Django's check ID -> the catalogue rule whose problem it reports.
RULE_OF = {i: rule.id for rule in policy.CATALOGUE for i in rule.django_checks}


def shown(*, deploy: bool) -> list[str]:
    """The IDs ``manage.py check`` would show (silenced ones left out), hardsess's and Django's."""
    return sorted(
        m.id
        for m in run_checks(tags=[Tags.security], include_deployment_checks=deploy)
        if m.id and not m.is_silenced()
    )


# --------------------------------------------------------------------------- the firewall


@pytest.mark.parametrize(
    ("overrides", "check_id", "reported"),
    [
        # The test project's firewall enforces every default requirement.
        ({"SESSION_COOKIE_SECURE": False}, "hardsess.E101", False),
        ({"CSRF_COOKIE_SECURE": False}, "hardsess.E111", False),
        ({"SESSION_COOKIE_HTTPONLY": False}, "hardsess.E102", False),
        ({"SESSION_COOKIE_SAMESITE": None}, "hardsess.W103", False),
        ({"CSRF_COOKIE_SAMESITE": "None"}, "hardsess.W112", False),
        ({"LANGUAGE_COOKIE_SECURE": False}, "hardsess.W121", False),
        ({"LANGUAGE_COOKIE_HTTPONLY": False}, "hardsess.W122", False),
        ({"LANGUAGE_COOKIE_SAMESITE": "None"}, "hardsess.W123", False),
        (
            {"SESSION_COOKIE_SAMESITE": "None", "SESSION_COOKIE_SECURE": False},
            "hardsess.E141",
            False,
        ),
        # A policy entry that does not demand the flag keeps the finding, by name or by "*".
        (
            {
                "SESSION_COOKIE_SECURE": False,
                "HARDSESS": {"COOKIES": {"sessionid": {"secure": False}}},
            },
            "hardsess.E101",
            True,
        ),
        (
            {"SESSION_COOKIE_HTTPONLY": False, "HARDSESS": {"COOKIES": {"*": {"httponly": False}}}},
            "hardsess.E102",
            True,
        ),
        (
            {"SESSION_COOKIE_SAMESITE": None, "HARDSESS": {"COOKIES": {"*": {"samesite": None}}}},
            "hardsess.W103",
            True,
        ),
        (
            {"CSRF_COOKIE_SAMESITE": None, "HARDSESS": {"COOKIES": {"*": {"samesite": "None"}}}},
            "hardsess.W112",
            True,
        ),
        # ... and only that cookie's: another cookie's entry changes nothing.
        (
            {
                "SESSION_COOKIE_SECURE": False,
                "HARDSESS": {"COOKIES": {"csrftoken": {"secure": False}}},
            },
            "hardsess.E101",
            False,
        ),
        # The firewall enforces nothing in report-only, nor on an invalid policy.
        (
            {"SESSION_COOKIE_SECURE": False, "HARDSESS": {"REPORT_ONLY": True}},
            "hardsess.E101",
            True,
        ),
        (
            {"SESSION_COOKIE_HTTPONLY": False, "HARDSESS": {"COOKIES": {"*": {"secure": "yes"}}}},
            "hardsess.E102",
            True,
        ),
        # Absent, or below the middleware that sets the cookie: the firewall never sees it.
        ({"SESSION_COOKIE_SECURE": False, "MIDDLEWARE": [SESSIONS, CSRF]}, "hardsess.E101", True),
        (
            {"SESSION_COOKIE_SECURE": False, "MIDDLEWARE": [SESSIONS, FIREWALL]},
            "hardsess.E101",
            True,
        ),
        ({"CSRF_COOKIE_SECURE": False, "MIDDLEWARE": [SESSIONS, FIREWALL]}, "hardsess.E111", False),
        ({"CSRF_COOKIE_SECURE": False, "MIDDLEWARE": [CSRF, FIREWALL]}, "hardsess.E111", True),
        # A subclass of the firewall is the firewall.
        (
            {
                "SESSION_COOKIE_SECURE": False,
                "MIDDLEWARE": ["tests.checks.middleware.Firewall", SESSIONS],
            },
            "hardsess.E101",
            False,
        ),
        # Development mode: Secure follows the scheme, so it is not enforced; HttpOnly still is.
        (
            {"SESSION_COOKIE_SECURE": False, "DEBUG": True, "HARDSESS": {"DEVELOPMENT": True}},
            "hardsess.E101",
            True,
        ),
        (
            {"SESSION_COOKIE_HTTPONLY": False, "DEBUG": True, "HARDSESS": {"DEVELOPMENT": True}},
            "hardsess.E102",
            False,
        ),
        # A SameSite value Django rejects breaks set_cookie before the firewall sees the cookie.
        ({"CSRF_COOKIE_SAMESITE": "Loose"}, "hardsess.W112", True),
        # With CSRF_USE_SESSIONS there is no CSRF cookie at all: nothing to report (HS111's
        # judge is silent there, as Django's W016 is), with or without the firewall.
        ({"CSRF_COOKIE_SECURE": False, "CSRF_USE_SESSIONS": True}, "hardsess.E111", False),
    ],
)
def test_a_flag_the_firewall_enforces_is_no_finding(
    overrides: dict[str, Any], check_id: str, reported: bool
) -> None:
    with override_settings(**overrides, **QUIET_DJANGO):
        assert (check_id in shown(deploy=True)) is reported


def test_what_the_firewall_enforces_is_what_it_does() -> None:
    """The checks' view matches the firewall's: a real response through the test project's
    firewall carries exactly the flags the checks count as enforced."""
    from django.http import HttpResponse
    from django.test import RequestFactory

    from hardsess.firewall.middleware import HardSessMiddleware

    def view(request: Any) -> HttpResponse:
        response = HttpResponse("ok")
        response.set_cookie("sessionid", "v", secure=False, httponly=False, samesite=None)
        return response

    def flags(policy_setting: dict[str, Any]) -> tuple[bool, bool]:
        with override_settings(HARDSESS={"COOKIES": policy_setting}):
            response = HardSessMiddleware(view)(RequestFactory().get("/", secure=True))
            morsel = response.cookies["sessionid"]
            with override_settings(SESSION_COOKIE_SECURE=False, **QUIET_DJANGO):
                reported = "hardsess.E101" in shown(deploy=True)
        return bool(morsel["secure"]), reported

    assert flags({}) == (True, False)
    assert flags({"sessionid": {"secure": False}}) == (False, True)


# --------------------------------------------------------------------------- Django's checks


def test_django_reports_the_shared_problem_and_hardsess_does_not() -> None:
    unenforced = {"HARDSESS": {"REPORT_ONLY": True}}
    with override_settings(SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False, **unenforced):
        found = shown(deploy=True)
    assert "security.W012" in found
    assert "security.W016" in found
    assert "hardsess.E101" not in found
    assert "hardsess.E111" not in found
    # Silencing Django's ID does not hide the problem: hardsess reports it then.
    with override_settings(
        SESSION_COOKIE_SECURE=False, SILENCED_SYSTEM_CHECKS=["security.W012"], **unenforced
    ):
        found = shown(deploy=True)
    assert "security.W012" not in found
    assert "hardsess.E101" in found


def test_weak_secret_key_is_djangos_w009_alone() -> None:
    with override_settings(SECRET_KEY="django-insecure-" + "x" * 50):
        found = shown(deploy=True)
        assert found.count("security.W009") == 1
        assert "hardsess.E132" not in found
    with override_settings(SECRET_KEY="short", SILENCED_SYSTEM_CHECKS=["security.W009"]):
        assert "hardsess.E132" in shown(deploy=True)


def test_httponly_is_hardsess_outside_deploy_and_django_under_deploy() -> None:
    unenforced = {"SESSION_COOKIE_HTTPONLY": False, "HARDSESS": {"REPORT_ONLY": True}}
    with override_settings(**unenforced):
        # Django's W013-W015 are deploy checks: outside --deploy hardsess.E102 is the finding.
        with pytest.raises(SystemCheckError, match=r"hardsess\.E102"):
            call_command("check", tags=["security"])
        # Under --deploy Django's W015 is, and hardsess.E102 is counted as silenced.
        call_command("check", tags=["security"], deploy=True)  # no error left: exits 0
        deploy = shown(deploy=True)
        assert "hardsess.E102" not in deploy
        assert deploy.count("security.W015") == 1
        # A deploy run leaves nothing behind: the next plain run reports E102 again.
        assert "hardsess.E102" in shown(deploy=False)
        with pytest.raises(SystemCheckError, match=r"hardsess\.E102"):
            call_command("check", tags=["security"])


def test_the_overlap_table_names_real_django_checks() -> None:
    """Every Django ID a rule defers to is one its Django check function can report."""
    import inspect

    from django.utils.module_loading import import_string

    for django_id, path in DJANGO_CHECKS.items():
        module = sys.modules[import_string(path).__module__]
        assert django_id in inspect.getsource(module), django_id
    assert set(RULE_OF) == set(DJANGO_CHECKS)


# --------------------------------------------------------------------------- manage.py check


def problems(output: str) -> Counter[str]:
    """How often each problem is shown: a Django ID counts as the rule it stands for."""
    return Counter(RULE_OF.get(i, i) for i in ANY_ID.findall(output))


def test_secure_but_for_enforced_flags_passes_check_and_check_deploy() -> None:
    code, ids, output = manage_check("settings_enforced")
    assert (code, ids) == (0, []), output
    code, ids, output = manage_check("settings_enforced", "--deploy")
    assert (code, ids) == (0, []), output
    # Django's deploy checks do not know the firewall: theirs are the only cookie findings.
    shown_ids = ANY_ID.findall(output)
    for django_id in ("security.W012", "security.W015", "security.W016"):
        assert shown_ids.count(django_id) == 1, output
    assert max(problems(output).values()) == 1, output


@pytest.mark.parametrize(
    "settings", ["settings_insecure", "settings_defaults", "settings_enforced"]
)
def test_each_problem_is_shown_once_under_deploy(settings: str) -> None:
    _, _, output = manage_check(settings, "--deploy")
    counts = problems(output)
    # settings_insecure's two E141 and two E161 are two cookies and two keys: two problems.
    doubled = {"hardsess.E141": 2, "hardsess.E161": 2} if settings == "settings_insecure" else {}
    assert {i: n for i, n in counts.items() if n > 1} == doubled, output


def test_silencing_djangos_cookie_warnings_is_safe_when_the_firewall_stops(tmp_path: Path) -> None:
    """docs/checks.md: with the firewall enforcing, silence Django's W012/W015/W016. If the
    firewall ever stops enforcing (report-only here), hardsess reports the flags itself."""
    package = tmp_path / "relying_site"
    package.mkdir()
    (package / "__init__.py").write_text("")
    silenced = ["security.W012", "security.W015", "security.W016"]
    (package / "settings.py").write_text(
        "from tests.checks.site.settings_enforced import *  # noqa: F403\n"
        f"SILENCED_SYSTEM_CHECKS = {silenced!r}\n"
    )
    (package / "report_only.py").write_text(
        "from relying_site.settings import *  # noqa: F403\nHARDSESS = {'REPORT_ONLY': True}\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(MANAGE.parents[3])])

    def check(module: str) -> tuple[int, str]:
        done = subprocess.run(
            [sys.executable, str(MANAGE), "check", "--deploy"],
            capture_output=True,
            text=True,
            env={**env, "DJANGO_SETTINGS_MODULE": module},
            timeout=120,
            check=False,
        )
        return done.returncode, done.stdout + done.stderr

    code, output = check("relying_site.settings")
    assert code == 0, output
    assert not [i for i in ANY_ID.findall(output) if i.startswith("hardsess.")], output
    assert re.search(r"\(3 silenced\)", output), output
    code, output = check("relying_site.report_only")
    found = ANY_ID.findall(output)
    for check_id in ("hardsess.E101", "hardsess.E102", "hardsess.E111", "hardsess.W167"):
        assert found.count(check_id) == 1, output
    assert code == 1
