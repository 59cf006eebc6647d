"""Django's own deploy checks that judge what a catalogue rule judges: one finding, Django's.

Django's ``check --deploy`` already warns about ``SESSION_COOKIE_SECURE`` (security.W010 to
W012), ``SESSION_COOKIE_HTTPONLY`` (W013 to W015), ``CSRF_COOKIE_SECURE`` (W016) and a weak
``SECRET_KEY`` (W009). hardsess's checks for the same settings (``Rule.django_checks``) do not
repeat them: where Django's check reports the problem, and that report is not silenced, it is
the one finding. hardsess reports its own only where Django's stays silent (a renamed
SessionMiddleware Django does not recognise, a Django check silenced in
``SILENCED_SYSTEM_CHECKS``), so every problem is seen exactly once and silencing one ID never
hides it without a trace of the other. Why not the other way round: nothing but the project's
own ``SILENCED_SYSTEM_CHECKS`` can hide Django's warning, so "hardsess supersedes it" would
still print both.

Django's checks are asked, not imitated: :func:`django_reports` calls Django's own check
functions on the live settings, so a future Django that changes their conditions is followed.
A check function that no longer exists counts as silent (hardsess then reports).

HS102 runs on every command while Django's W013 to W015 run only under ``--deploy``. Outside
``--deploy`` hardsess.E102 is the only finding; under ``--deploy`` it is left to Django's:
:class:`DeferredError` (or :class:`DeferredWarning`) is silenced when the same ``run_checks``
call also runs the deploy checks, which Django always runs after every other check
(:func:`start_run`, :func:`mark_deploy_run`). Django then counts it as "1 silenced".
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.checks import CheckMessage, Error
from django.core.checks import Warning as CheckWarning
from django.utils.module_loading import import_string

from hardsess import policy

__all__ = [
    "DJANGO_CHECKS",
    "DeferredError",
    "DeferredWarning",
    "django_reports",
    "mark_deploy_run",
    "start_run",
]

#: Django's check ID -> the check function of Django's that reports it.
DJANGO_CHECKS: Mapping[str, str] = {
    "security.W009": "django.core.checks.security.base.check_secret_key",
    "security.W010": "django.core.checks.security.sessions.check_session_cookie_secure",
    "security.W011": "django.core.checks.security.sessions.check_session_cookie_secure",
    "security.W012": "django.core.checks.security.sessions.check_session_cookie_secure",
    "security.W013": "django.core.checks.security.sessions.check_session_cookie_httponly",
    "security.W014": "django.core.checks.security.sessions.check_session_cookie_httponly",
    "security.W015": "django.core.checks.security.sessions.check_session_cookie_httponly",
    "security.W016": "django.core.checks.security.csrf.check_csrf_cookie_secure",
}


def django_reports(rule: policy.Rule) -> list[str]:
    """The IDs of ``rule.django_checks`` that Django's checks report now, not silenced."""
    reported: list[str] = []
    for path in dict.fromkeys(DJANGO_CHECKS[i] for i in rule.django_checks):
        try:
            check: Any = import_string(path)
        except ImportError:
            continue
        try:
            found = check(app_configs=None)
        except Exception:  # noqa: S112  # Django's own check crashes (on a bytes SECRET_KEY):
            continue  # it reports nothing then, so hardsess must
        reported += [m.id for m in found if m.id in rule.django_checks and not m.is_silenced()]
    return reported


class _Runs:
    """Which ``run_checks`` call is under way, and whether it runs the deploy checks."""

    current = 0
    deploy = -1


def start_run() -> int:
    """Called by a check that runs in every run (before any deploy check): a new run."""
    _Runs.current += 1
    return _Runs.current


def mark_deploy_run() -> None:
    """Called by a deploy check: the run under way includes Django's deploy checks."""
    _Runs.deploy = _Runs.current


class _Deferred(CheckMessage):
    """A message that Django's own deploy check repeats: silenced in a ``--deploy`` run."""

    def __init__(self, *args: Any, run: int, django_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.run = run
        #: Django's IDs that report the same problem (empty: never deferred).
        self.django_ids = django_ids

    def is_silenced(self) -> bool:
        deferred = bool(self.django_ids) and _Runs.deploy == self.run
        return deferred or super().is_silenced()


class DeferredError(_Deferred, Error):
    pass


class DeferredWarning(_Deferred, CheckWarning):
    pass
