"""HARDSESS["SESSION"] as the lifecycle reads it (hardsess/lifecycle/options.py): one set of
rules, refused at request time and reported by the system checks alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from hardsess.lifecycle.options import (
    MIDDLEWARE_OPTIONS,
    OPTIONS_CHECK_ID,
    lifecycle_options,
    option_problems,
)
from tests.sessions.conftest import lifecycle

pytestmark = pytest.mark.django_db


def test_activity_interval_must_be_below_the_idle_timeout(settings: Any) -> None:
    lifecycle(settings, idle_timeout=60, activity_write_interval=60)
    with pytest.raises(ImproperlyConfigured, match="ACTIVITY_WRITE_INTERVAL"):
        lifecycle_options()


def test_durations_accept_timedelta(settings: Any) -> None:
    lifecycle(settings, idle_timeout=timedelta(minutes=30), cycle_key_every=timedelta(hours=1))
    options = lifecycle_options()
    assert (options.idle_timeout, options.cycle_key_every) == (1800.0, 3600.0)
    assert options.active
    lifecycle(settings)
    assert not lifecycle_options().active


def test_unknown_revocation_backend_is_a_configuration_error(settings: Any) -> None:
    lifecycle(settings, revocation="redis")
    with pytest.raises(ImproperlyConfigured, match="REVOCATION"):
        lifecycle_options()


def test_group_tracking_with_revocation_needs_the_app_installed(settings: Any) -> None:
    """Its receivers are connected by the app's ready(): without the app, a group change made
    in a shell or a worker would go unrecorded. So the options are refused."""
    without = [app for app in settings.INSTALLED_APPS if not app.startswith("hardsess")]
    options = {"CYCLE_ON_PRIVILEGE_CHANGE": True, "REVOCATION": "cache"}
    with override_settings(INSTALLED_APPS=without, HARDSESS={"SESSION": options}):
        with pytest.raises(ImproperlyConfigured, match="INSTALLED_APPS"):
            lifecycle_options()
        # Either option alone does not need it.
        with override_settings(HARDSESS={"SESSION": {"CYCLE_ON_PRIVILEGE_CHANGE": True}}):
            assert lifecycle_options().cycle_on_privilege_change
    # The same HARDSESS object with the app installed again: validated again, and accepted.
    hardsess = {"SESSION": options}
    with override_settings(HARDSESS=hardsess):
        assert lifecycle_options().revocation == "cache"
        with override_settings(INSTALLED_APPS=without), pytest.raises(ImproperlyConfigured):
            lifecycle_options()
        assert lifecycle_options().revocation == "cache"


@pytest.mark.parametrize(
    "raw",
    [
        {"IDLE_TIMEOUT": 0},
        {"ABSOLUTE_TIMEOUT": "8h"},
        {"CYCLE_KEY_EVERY": timedelta(0)},
        {"ACTIVITY_WRITE_INTERVAL": None},
        {"IDLE_TIMEOUT": 30, "ACTIVITY_WRITE_INTERVAL": 60},
        {"REVOCATION": "redis"},
        {"REVOCATION": "cache", "REVOCATION_CACHE": "marks"},
        {"REVOCATION": "cache", "REVOCATION_CACHE": 5},
    ],
)
def test_the_lifecycle_refuses_in_the_words_of_the_check(
    settings: Any, raw: dict[str, Any]
) -> None:
    """One rule set: what the middleware refuses is the check's first refused problem, with
    the check's ID, so an operator finds the same sentence in the log and in manage.py check."""
    problem = next(p for p in option_problems(raw) if p.refused)
    settings.HARDSESS = {"SESSION": raw}
    with pytest.raises(ImproperlyConfigured) as refused:
        lifecycle_options()
    assert str(refused.value) == f"{problem.message} (system check {problem.check_id})"


@pytest.mark.parametrize(
    ("raw", "read_as"),
    [
        ({"CYCLE_ON_PRIVILEGE_CHANGE": "yes"}, {"cycle_on_privilege_change": True}),
        ({"EXPIRED_REDIRECT_URL": 3}, {"expired_redirect_url": "3"}),
        ({"REVOCATION": "db", "REVOCATION_CACHE": 5}, {"revocation_cache": "5"}),
        ({"IDEL_TIMEOUT": 60}, {"idle_timeout": None}),
    ],
)
def test_values_the_lifecycle_can_read_are_reported_not_refused(
    settings: Any, raw: dict[str, Any], read_as: dict[str, Any]
) -> None:
    """A typo the lifecycle can still read (by truth value, as text, or not at all) must not
    take the site down at its next request: hardsess.E163 reports it, the lifecycle runs."""
    problems = option_problems(raw)
    assert [p.check_id for p in problems] == [OPTIONS_CHECK_ID]
    assert not problems[0].refused
    settings.HARDSESS = {"SESSION": raw}
    options = lifecycle_options()
    assert {key: getattr(options, key) for key in read_as} == read_as


def test_the_check_reports_group_tracking_the_app_cannot_connect(settings: Any) -> None:
    """The one refusal that depends on INSTALLED_APPS is in the check's list too."""
    without = [app for app in settings.INSTALLED_APPS if not app.startswith("hardsess")]
    raw = {"CYCLE_ON_PRIVILEGE_CHANGE": True, "REVOCATION": "db"}
    assert option_problems(raw) == []
    with override_settings(INSTALLED_APPS=without):
        (problem,) = option_problems(raw)
    assert (problem.check_id, problem.refused) == (OPTIONS_CHECK_ID, True)
    assert "INSTALLED_APPS" in problem.message


@pytest.mark.parametrize("key", MIDDLEWARE_OPTIONS)
def test_each_middleware_option_and_only_those_make_the_options_active(
    settings: Any, key: str
) -> None:
    """hardsess.W166 (options without the middleware) and the middleware's fast path read the
    same list."""
    value = "db" if key == "REVOCATION" else True if key.startswith("CYCLE_ON") else 900
    settings.HARDSESS = {"SESSION": {key: value}}
    assert lifecycle_options().active
    settings.HARDSESS = {
        "SESSION": {
            "ACTIVITY_WRITE_INTERVAL": 30,
            "REVOCATION_CACHE": "default",
            "EXPIRED_REDIRECT_URL": "/login/",
        }
    }
    assert not lifecycle_options().active
