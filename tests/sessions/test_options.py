"""HARDSESS["SESSION"] as the lifecycle reads it (hardsess/lifecycle/options.py): one set of
rules, refused at request time and reported by the system checks alike."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from hardsess.lifecycle.options import lifecycle_options
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
