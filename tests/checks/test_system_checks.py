"""The system checks on real Django settings: every ID triggered once, silent when secure.

Settings are changed with ``override_settings`` on top of tests/project/settings.py, which is
a secure deployment as far as hardsess is concerned; the checks run through Django's own
registry (``run_checks``) and ``call_command("check")``.
"""

from __future__ import annotations

import functools
from typing import Any

import pytest
from django.core.checks import Error, Tags, run_checks
from django.core.checks import Warning as CheckWarning
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test.utils import override_settings

from hardsess import checks, policy
from hardsess.django_overlap import DJANGO_CHECKS
from hardsess.lint.registry import load_rules
from tests.checks.test_agreement import execute

FIREWALL = policy.MIDDLEWARE
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"
CSRF = "django.middleware.csrf.CsrfViewMiddleware"
AUTH = "django.contrib.auth.middleware.AuthenticationMiddleware"
LIFECYCLE = policy.LIFECYCLE_MIDDLEWARE
STRONG_KEY = "0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJKLMNOP"

#: One configuration per configuration check ID that triggers it (on top of the secure test
#: project). Catalogue checks need no entry: their triggers are their rules' own INVALID
#: examples (see example_trigger), so a new rule brings its trigger with it.
CONFIG_TRIGGERS: dict[str, dict[str, Any]] = {
    "hardsess.E160": {"HARDSESS": ["KEYS"]},
    "hardsess.E161": {"HARDSESS": {"KEYS": [{"id": "a", "secret": "s" * 40, "state": "verify"}]}},
    "hardsess.E162": {"HARDSESS": {"COOKIES": {"*": {"secure": "yes"}}}},
    "hardsess.E163": {"HARDSESS": {"SESSION": {"ABSOLUTE_TIMEOUT": -1}}},
    "hardsess.E164": {"HARDSESS": {"REPORT_ONLY": "False"}},
    "hardsess.E165": {"MIDDLEWARE": [FIREWALL, LIFECYCLE, SESSIONS, AUTH]},
    "hardsess.W166": {"HARDSESS": {"SESSION": {"IDLE_TIMEOUT": 900}}},
    "hardsess.W167": {"HARDSESS": {"REPORT_ONLY": True}},
    "hardsess.W168": {"SESSION_COOKIE_HTTPONLY": "False"},
    "hardsess.W169": {"HARDSESS": {"KEY": [], "REPORTONLY": True}},
    "hardsess.E170": {
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}},
        "HARDSESS": {"SESSION": {"REVOCATION": "cache"}},
    },
    "hardsess.W171": {"HARDSESS": {"SESSION": {"REVOCATION": "cache"}}},  # LocMemCache
    "hardsess.E172": {"HARDSESS": {"SESSION": {"EXPIRED_REDIRECT_URL": "no-such-url-name"}}},
    "hardsess.W173": {
        "SESSION_ENGINE": policy.SIGNED_COOKIES_ENGINE,
        "HARDSESS": {"SESSION": {"CYCLE_KEY_EVERY": 900}},
    },
    "hardsess.E174": {"DEBUG": False, "HARDSESS": {"DEVELOPMENT": True}},
    "hardsess.E175": {"HARDSESS": {"DEVELOPMENT": "False"}},
    "hardsess.E176": {"HARDSESS": {"TEST_CLIENT": "browser"}},
    "hardsess.E177": {"HARDSESS": {"OBSERVE": {"WHEN": "sometimes"}}},
    "hardsess.E178": {"HARDSESS": {"EMBEDDED": "yes"}},
    "hardsess.E179": {"HARDSESS": {"ON_LOGOUT": {"CLEAR_SITE_DATA": ["everything"]}}},
    "hardsess.E180": {"HARDSESS": {"DJANGO_SESSIONS_UNTIL": "next spring"}},
    "hardsess.E181": {"HARDSESS": {"KEY_STORE": "nosuch"}},
}

#: Catalogue rules the live settings cannot show (HS131: the live value cannot say whether
#: SECRET_KEY was written as a literal).
NOT_LIVE = {rule.id for rule in policy.CATALOGUE if rule.source_only}
#: The catalogue's live rules by check ID.
LIVE_RULES = {
    r.check_id: r for r in policy.CATALOGUE if r.kind == "settings" and r.id not in NOT_LIVE
}
#: Settings an example may set that the test project keeps as they are: replacing
#: INSTALLED_APPS would rebuild the app registry (the project already installs hardsess).
KEPT = {"INSTALLED_APPS"}

DEPLOY_ONLY_CONFIG = {"hardsess.W167"}

#: Lets every catalogue check speak for itself: the firewall in report-only enforces nothing (so
#: no verdict is moot at runtime, hardsess.enforced) and Django's overlapping checks are
#: silenced (so no verdict is left to them, hardsess.django_overlap). Both are tested in
#: tests/checks/test_one_finding.py.
UNDEFERRED: dict[str, Any] = {
    "HARDSESS": {"REPORT_ONLY": True},
    "SILENCED_SYSTEM_CHECKS": sorted(DJANGO_CHECKS),
}


def hardsess_ids(*, deploy: bool) -> list[str]:
    return sorted(
        m.id
        for m in run_checks(tags=[Tags.security], include_deployment_checks=deploy)
        if m.id and m.id.startswith("hardsess.")
    )


def is_deploy_only(check_id: str) -> bool:
    if check_id in DEPLOY_ONLY_CONFIG:
        return True
    number = int(check_id[-3:])
    return number < 160 and policy.by_id(f"HS{number}").deploy_only


def test_secure_project_is_silent_with_and_without_deploy() -> None:
    assert hardsess_ids(deploy=True) == []
    assert hardsess_ids(deploy=False) == []


@functools.cache
def example_trigger(check_id: str) -> dict[str, Any] | None:
    """The settings of the rule's first INVALID example that makes its check fire when laid
    over the secure test project (executed in an empty environment), or None."""
    rule = LIVE_RULES[check_id]
    cls = load_rules().settings[rule.id]
    for example in cls.INVALID:
        values = execute(example.code, example.path)
        if values is None:
            continue
        overrides = {
            **UNDEFERRED,
            **{k: v for k, v in values.items() if k in policy.SETTINGS_NAMES - KEPT},
        }
        with override_settings(**overrides):
            try:
                found = hardsess_ids(deploy=True)
            except Exception:  # Django's own W025 check chokes on [None]
                continue
        if check_id in found:
            return overrides
    return None


def trigger(check_id: str) -> dict[str, Any]:
    found = CONFIG_TRIGGERS.get(check_id) or example_trigger(check_id)
    assert found is not None, f"no INVALID example of {check_id}'s rule triggers it"
    return found


#: Every check ID hardsess reports: the catalogue's live rules and the configuration checks.
TRIGGERS = sorted(set(LIVE_RULES) | set(CONFIG_TRIGGERS))


def test_every_settings_rule_and_config_id_has_a_trigger() -> None:
    assert set(checks.CONFIG_CHECK_IDS) == set(CONFIG_TRIGGERS)
    for check_id in LIVE_RULES:
        assert example_trigger(check_id) is not None, check_id


@pytest.mark.parametrize("check_id", TRIGGERS)
def test_trigger(check_id: str) -> None:
    with override_settings(**trigger(check_id)):
        found = hardsess_ids(deploy=True)
        assert check_id in found
        without_deploy = hardsess_ids(deploy=False)
    assert (check_id in without_deploy) is not is_deploy_only(check_id)


@pytest.mark.parametrize("check_id", TRIGGERS)
def test_level_follows_the_id_letter(check_id: str) -> None:
    with override_settings(**trigger(check_id)):
        messages = [
            m
            for m in run_checks(tags=[Tags.security], include_deployment_checks=True)
            if m.id == check_id
        ]
    expected = Error if check_id[9] == "E" else CheckWarning
    assert messages
    assert all(type(m) is expected for m in messages)
    assert all(m.hint for m in messages)


def test_message_is_the_verdict_and_hint_the_secure_value() -> None:
    with override_settings(SESSION_COOKIE_HTTPONLY=False, **UNDEFERRED):
        (message,) = [m for m in run_checks(tags=[Tags.security]) if m.id == "hardsess.E102"]
    (verdict,) = policy.judge(
        policy.by_id("HS102"),
        {"SESSION_COOKIE_HTTPONLY": policy.Observed(False, policy.Origin.LIVE)},
    )
    assert message.msg == verdict.message
    assert message.hint is not None
    assert message.hint.startswith("Set SESSION_COOKIE_HTTPONLY = True.")


def test_string_from_the_environment_is_judged_by_truth_value() -> None:
    # "False" is truthy, so Django sends Secure: no E101, but W168 says the string is suspect.
    with override_settings(SESSION_COOKIE_SECURE="False", **UNDEFERRED):
        found = hardsess_ids(deploy=True)
    assert "hardsess.E101" not in found
    assert "hardsess.W168" in found
    # The empty string is falsy: Django sends no Secure flag, and E101 says so.
    with override_settings(SESSION_COOKIE_SECURE="", **UNDEFERRED):
        assert "hardsess.E101" in hardsess_ids(deploy=True)


def test_empty_secret_key_is_judged_not_crashed_on() -> None:
    # Django raises ImproperlyConfigured when an empty SECRET_KEY is read; the checks judge it
    # without crashing, and call it no weak key: nothing can be signed with it (HS132's judge).
    with override_settings(SECRET_KEY="", **UNDEFERRED):
        found = hardsess_ids(deploy=True)
    assert "hardsess.E132" not in found
    with override_settings(SECRET_KEY="short", **UNDEFERRED):
        assert "hardsess.E132" in hardsess_ids(deploy=True)


def test_explicit_only_rules_see_an_explicit_default_value() -> None:
    # Django's default for LANGUAGE_COOKIE_SECURE is False; set explicitly it is judged.
    with override_settings(LANGUAGE_COOKIE_SECURE=False):
        values = checks.live_values(["LANGUAGE_COOKIE_SECURE"])
    assert values["LANGUAGE_COOKIE_SECURE"].origin is policy.Origin.LIVE


def test_unset_setting_at_django_default_is_observed_as_default() -> None:
    # tests/project/settings.py never sets CSRF_COOKIE_HTTPONLY.
    values = checks.live_values(["CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE"])
    assert values["SESSION_COOKIE_SECURE"].origin is policy.Origin.LIVE
    assert values["CSRF_COOKIE_HTTPONLY"].origin is policy.Origin.DJANGO_DEFAULT


@pytest.mark.parametrize(
    ("middleware", "judged"),
    [
        (["django.middleware.common.CommonMiddleware"], False),
        ([SESSIONS], False),
        ([CSRF], True),
        (["tests.checks.middleware.StrictCsrf"], True),  # a subclass, by its hierarchy
    ],
)
def test_csrf_defaults_are_judged_only_with_a_csrf_middleware(
    middleware: list[str], judged: bool
) -> None:
    # Without a CSRF middleware nothing sets the CSRF cookie (Django's W016 agrees).
    with override_settings(MIDDLEWARE=middleware):
        values = checks.live_values(["CSRF_COOKIE_HTTPONLY", "SESSION_COOKIE_SECURE"])
    assert ("CSRF_COOKIE_HTTPONLY" in values) is judged
    assert values["SESSION_COOKIE_SECURE"].origin is policy.Origin.LIVE  # set: always judged


@pytest.mark.parametrize(
    ("middleware", "expected"),
    [
        # Renamed subclasses are recognised by class.
        (["tests.checks.middleware.TenantSessions", FIREWALL], ["hardsess.W152"]),
        (["tests.checks.middleware.StrictCsrf", FIREWALL], ["hardsess.W152"]),
        (["tests.checks.middleware.Firewall", SESSIONS, CSRF], []),
        ([SESSIONS, "tests.checks.middleware.Firewall"], ["hardsess.W152"]),
        # Unimportable entries and factories fall back to name matching.
        (["nowhere.Missing", FIREWALL, SESSIONS], []),
        (["tests.checks.middleware.factory_middleware", FIREWALL], []),
        (["nowhere.Missing"], ["hardsess.W151"]),
    ],
)
def test_middleware_classified_by_class(middleware: list[str], expected: list[str]) -> None:
    with override_settings(MIDDLEWARE=middleware):
        found = [i for i in hardsess_ids(deploy=False) if i in ("hardsess.W151", "hardsess.W152")]
    assert found == expected


def test_classify_middleware_follows_subclasses() -> None:
    assert checks.classify_middleware("tests.checks.middleware.TenantSessions") == (
        "SessionMiddleware"
    )
    assert checks.classify_middleware("tests.checks.middleware.Firewall") == "hardsess"
    assert checks.classify_middleware("django.middleware.common.CommonMiddleware") is None
    assert checks.classify_middleware(FIREWALL) == "hardsess"


def test_lifecycle_middleware_in_place_is_silent() -> None:
    # The marks on a shared Redis (a LocMemCache, the test project's default, is W171 now).
    caches = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "marks": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/15",
        },
    }
    settings = {
        "MIDDLEWARE": [FIREWALL, SESSIONS, AUTH, LIFECYCLE],
        "CACHES": caches,
        "HARDSESS": {
            "SESSION": {"IDLE_TIMEOUT": 900, "REVOCATION": "cache", "REVOCATION_CACHE": "marks"}
        },
    }
    with override_settings(**settings):
        assert hardsess_ids(deploy=True) == []


def test_valid_hardsess_configuration_is_silent() -> None:
    keys = [
        {"id": "k2", "secret": "k2-" + "a1b2c3d4e5f6g7h8" * 4, "state": "primary"},
        {"id": "k1", "secret": "k1-" + "z9y8x7w6v5u4t3s2" * 4, "state": "verify"},
    ]
    hardsess = {
        "KEYS": keys,
        "COOKIES": {"*": {"secure": True, "samesite": "Strict", "max_age": 3600}},
        "SESSION": {"ACTIVITY_WRITE_INTERVAL": 30, "EXPIRED_REDIRECT_URL": "/login/"},
        "REPORT_ONLY": False,
    }
    with override_settings(HARDSESS=hardsess):
        assert hardsess_ids(deploy=True) == []


def test_keyring_messages_never_contain_a_secret() -> None:
    secret = "tooshort-secret"
    with override_settings(HARDSESS={"KEYS": [{"id": "k", "secret": secret, "state": "x"}]}):
        messages = [m for m in run_checks(tags=[Tags.security]) if m.id == "hardsess.E161"]
    assert len(messages) >= 2
    assert not any(secret in m.msg or secret in (m.hint or "") for m in messages)


def test_silenced_system_checks_are_honoured_by_the_check_command() -> None:
    unenforced = {"SESSION_COOKIE_HTTPONLY": False, "HARDSESS": {"REPORT_ONLY": True}}
    with override_settings(**unenforced), pytest.raises(SystemCheckError) as err:
        call_command("check", tags=["security"])
    assert "hardsess.E102" in str(err.value)
    with override_settings(**unenforced, SILENCED_SYSTEM_CHECKS=["hardsess.E102"]):
        call_command("check", tags=["security"])  # no SystemCheckError


def test_deploy_errors_only_under_deploy_in_the_check_command() -> None:
    with override_settings(SESSION_COOKIE_SECURE=False, **UNDEFERRED):
        call_command("check", tags=["security"])  # E101 is a deploy check
        with pytest.raises(SystemCheckError, match=r"hardsess\.E101"):
            call_command("check", tags=["security"], deploy=True)


@pytest.mark.parametrize(
    ("options", "problem", "runtime_refuses"),
    [
        ({"IDLE_TIMEOUT": 0}, "IDLE_TIMEOUT", True),
        ({"IDLE_TIMEOUT": True}, "IDLE_TIMEOUT", True),
        ({"ABSOLUTE_TIMEOUT": "8h"}, "ABSOLUTE_TIMEOUT", True),
        ({"ACTIVITY_WRITE_INTERVAL": -1}, "ACTIVITY_WRITE_INTERVAL", True),
        ({"IDLE_TIMEOUT": 30, "ACTIVITY_WRITE_INTERVAL": 60}, "below IDLE_TIMEOUT", True),
        ({"REVOCATION": "redis"}, "REVOCATION", True),
        ({"CYCLE_ON_PRIVILEGE_CHANGE": "yes"}, "CYCLE_ON_PRIVILEGE_CHANGE", False),
        ({"EXPIRED_REDIRECT_URL": 3}, "EXPIRED_REDIRECT_URL", False),
        ({"REVOCATION": "cache", "REVOCATION_CACHE": "marks"}, "not in CACHES", False),
        ({"IDEL_TIMEOUT": 60}, "unknown option(s): IDEL_TIMEOUT", False),
    ],
)
def test_session_option_problems(options: object, problem: str, runtime_refuses: bool) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from hardsess.sessions import lifecycle_options

    problems = checks.session_option_problems(options)
    assert len(problems) == 1
    assert problem in problems[0]
    # Whatever the lifecycle refuses at request time, the check has reported at start-up.
    with override_settings(HARDSESS={"SESSION": options}):
        if runtime_refuses:
            with pytest.raises(ImproperlyConfigured):
                lifecycle_options()


def test_valid_session_options_pass_the_check_and_the_runtime() -> None:
    from datetime import timedelta

    from hardsess.sessions import lifecycle_options

    options = {
        "IDLE_TIMEOUT": timedelta(minutes=15),
        "ABSOLUTE_TIMEOUT": 8 * 3600,
        "ACTIVITY_WRITE_INTERVAL": 60,
        "CYCLE_KEY_EVERY": 900.0,
        "CYCLE_ON_PRIVILEGE_CHANGE": True,
        "REVOCATION": "cache",
        "REVOCATION_CACHE": "default",
        "EXPIRED_REDIRECT_URL": "/login/",
    }
    assert checks.session_option_problems(options) == []
    assert checks.session_option_problems("on") == ["HARDSESS['SESSION'] must be a dict, not str"]
    with override_settings(HARDSESS={"SESSION": options}):
        assert lifecycle_options().active


def test_every_check_id_is_documented() -> None:
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "checks.md").read_text()
    for check_id in TRIGGERS:
        assert f"`{check_id}`" in page, check_id


DJANGO_MIDDLEWARE_MODULES = [
    "django.middleware.cache",
    "django.middleware.clickjacking",
    "django.middleware.common",
    "django.middleware.csrf",
    "django.middleware.gzip",
    "django.middleware.http",
    "django.middleware.locale",
    "django.middleware.security",
    "django.contrib.sessions.middleware",
    "django.contrib.auth.middleware",
    "django.contrib.messages.middleware",
    "django.contrib.admindocs.middleware",
    "hardsess.middleware",
    "hardsess.sessions",
    # flatpages, redirects and sites import models of apps the test project does not install;
    # their middleware subclass MiddlewareMixin only (Django 5.2 source).
]


def test_no_django_or_hardsess_middleware_subclasses_another_known_one() -> None:
    """Why the checks classify ``django.*`` and ``hardsess.*`` entries by name only."""
    import importlib
    import inspect

    targets = {
        **policy.COOKIE_MIDDLEWARE,
        policy.MIDDLEWARE: "hardsess",
        policy.LIFECYCLE_MIDDLEWARE: "lifecycle",
        "hardsess.lifecycle.middleware.SessionLifecycleMiddleware": "lifecycle",
        "django.contrib.auth.middleware.AuthenticationMiddleware": "AuthenticationMiddleware",
    }
    seen = 0
    for name in DJANGO_MIDDLEWARE_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if not cls.__module__.startswith(("django.", "hardsess.")):
                continue
            seen += 1
            dotted = f"{cls.__module__}.{cls.__qualname__}"
            kinds = {
                targets[f"{base.__module__}.{base.__qualname__}"]
                for base in cls.__mro__
                if f"{base.__module__}.{base.__qualname__}" in targets
            }
            assert kinds <= ({targets[dotted]} if dotted in targets else set()), dotted
    assert seen > 20


def test_docs_table_matches_the_catalogue() -> None:
    """Each catalogue row of docs/checks.md has the rule's check ID and deploy flag."""
    from pathlib import Path

    page = (Path(__file__).parents[2] / "docs" / "checks.md").read_text()
    for rule in policy.CATALOGUE:
        if rule.kind != "settings" or rule.id in NOT_LIVE:
            continue
        runs = "deploy" if rule.deploy_only else "always"
        assert f"| `{rule.check_id}` | {rule.id} | {runs} |" in page, rule.id
    for check_id in checks.CONFIG_CHECK_IDS:
        runs = "deploy" if check_id in DEPLOY_ONLY_CONFIG else "always"
        assert f"| `{check_id}` | {runs} |" in page, check_id


def test_checks_know_every_key_hardsess_conf_documents() -> None:
    """A key added to HARDSESS (hardsess/conf.py's documented shape) must be known to the
    checks, or W169 / E163 would call a valid setting unknown."""
    import re

    from hardsess import conf
    from hardsess.firewall.logout import ON_LOGOUT_KEYS

    documented = set(re.findall(r'"([A-Z_]+)":', conf.__doc__ or ""))
    assert documented == set(checks.HARDSESS_KEYS) | set(checks.SESSION_OPTION_TYPES) | set(
        conf.OBSERVE_DEFAULTS
    ) | set(ON_LOGOUT_KEYS)


def test_an_http_prefixed_csrf_cookie_at_django_default_httponly_is_broken() -> None:
    """Issue 16: CSRF_COOKIE_HTTPONLY is False unless set, so a CSRF cookie named __Http-
    (the page's script reads it) is reported on the live settings, where the linter's file
    mode, which sees no default, stays silent."""
    with override_settings(CSRF_COOKIE_NAME="__Http-csrftoken", **UNDEFERRED):
        assert "hardsess.E106" in hardsess_ids(deploy=False)
    with override_settings(
        CSRF_COOKIE_NAME="__Host-Http-csrftoken", CSRF_COOKIE_HTTPONLY=True, **UNDEFERRED
    ):
        assert "hardsess.E106" not in hardsess_ids(deploy=False)


def test_an_embedded_site_is_told_to_partition_its_samesite_none_session_cookie() -> None:
    undeferred = {**UNDEFERRED, "HARDSESS": {**UNDEFERRED["HARDSESS"], "EMBEDDED": True}}
    with override_settings(SESSION_COOKIE_SAMESITE="None", **undeferred):
        assert "hardsess.W143" in hardsess_ids(deploy=False)
    undeferred["HARDSESS"]["COOKIES"] = {"sessionid": {"samesite": "None", "partitioned": True}}
    with override_settings(
        SESSION_COOKIE_NAME="sessionid", SESSION_COOKIE_SAMESITE="None", **undeferred
    ):
        assert "hardsess.W143" not in hardsess_ids(deploy=False)
