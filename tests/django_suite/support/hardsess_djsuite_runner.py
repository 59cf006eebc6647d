"""A DiscoverRunner that runs Django's own tests with HardSessMiddleware in every handler.

Where it goes, and why that is honest: runtests.py sets MIDDLEWARE itself, and many tests
replace it with ``override_settings(MIDDLEWARE=[...])``. A real site has the firewall in
MIDDLEWARE whatever else is there, so every time a handler (the test client's WSGI or ASGI
handler, or any other) builds its middleware chain, we insert the firewall into the list that
is in force at that moment: directly after SecurityMiddleware when present, else first, which
is where RUNTIME.md places it (before Session, CSRF, Locale and Message middleware).

We do not wrap middleware that a test instantiates by hand (``SessionMiddleware(get_response)``
on a RequestFactory request) or ``HttpRequest``/``HttpResponse`` objects a test builds itself:
no site runs those without a handler, so they test Django alone. The runner counts, per test,
whether at least one request went through a handler (hence through the firewall), so the report
says how many tests really exercised hardsess.

Results go to the JSON file named by HARDSESS_DJSUITE_RESULTS: test id -> outcome.
"""

from __future__ import annotations

import json
import os
import unittest
from collections.abc import Callable
from typing import Any, ClassVar

from django.core.handlers.base import BaseHandler
from django.http import SimpleCookie
from django.test import client as test_client
from django.test.runner import DiscoverRunner
from django.test.utils import override_settings
from django.utils.module_loading import import_string

#: HARDSESS_DJSUITE_FIREWALL=hardsess_djsuite_runner.PassThrough checks the harness itself:
#: with a middleware that does nothing, Django's suites must pass with no divergence.
FIREWALL = os.environ.get("HARDSESS_DJSUITE_FIREWALL", "hardsess.middleware.HardSessMiddleware")
SECURITY = "django.middleware.security.SecurityMiddleware"

#: Test id of the test running now, and the ids whose requests went through a handler.
_current: list[str | None] = [None]
_exercised: set[str] = set()
_chains_built = [0]
#: Test id -> cookie names the test wrote straight into a test client's cookie jar.
_jar_writes: dict[str, set[str]] = {}
#: Tests that read ``Client.session``, which takes the jar's wire value as a session key.
_session_reads: set[str] = set()


class RecordingCookie(SimpleCookie):
    """The test client's cookie jar, noting cookies put there by the test rather than by a
    response: ``Client.login()``, ``force_login()``, ``Client.session`` and
    ``client.cookies[name] = value`` do that. A browser only ever gets cookies from responses,
    and those are the ones the firewall signed; a cookie the site never sent is rejected.
    (Responses reach the jar through ``dict.update``, which does not call ``__setitem__``.)
    """

    def __setitem__(self, key: str, value: Any) -> None:
        if _current[0] is not None:
            _jar_writes.setdefault(_current[0], set()).add(str(key))
        super().__setitem__(key, value)


def with_firewall(middleware: list[str] | tuple[str, ...]) -> list[str]:
    """The middleware list with the firewall where a real site puts it (once)."""
    result = list(middleware)
    if FIREWALL in result:
        return result
    at = result.index(SECURITY) + 1 if SECURITY in result else 0
    result.insert(at, FIREWALL)
    return result


def _install() -> None:
    # Fail here, before any test, when the firewall does not exist: every test would
    # otherwise "pass" without it.
    import_string(FIREWALL)
    original_load: Callable[..., None] = BaseHandler.load_middleware
    original_get: Callable[..., Any] = BaseHandler.get_response
    original_get_async: Callable[..., Any] = BaseHandler.get_response_async

    def load_middleware(self: BaseHandler, is_async: bool = False) -> None:
        from django.conf import settings

        with override_settings(MIDDLEWARE=with_firewall(settings.MIDDLEWARE)):
            original_load(self, is_async)
        _chains_built[0] += 1

    def get_response(self: BaseHandler, request: Any) -> Any:
        _mark()
        return original_get(self, request)

    async def get_response_async(self: BaseHandler, request: Any) -> Any:
        _mark()
        return await original_get_async(self, request)

    test_client.SimpleCookie = RecordingCookie  # type: ignore[misc]
    session_property: property = test_client.ClientMixin.session  # type: ignore[assignment]
    original_asession: Callable[..., Any] = test_client.ClientMixin.asession

    def session(self: Any) -> Any:
        if _current[0] is not None:
            _session_reads.add(_current[0])
        return session_property.fget(self)  # type: ignore[misc]

    async def asession(self: Any) -> Any:
        if _current[0] is not None:
            _session_reads.add(_current[0])
        return await original_asession(self)

    test_client.ClientMixin.session = property(session)  # type: ignore[assignment,method-assign]
    test_client.ClientMixin.asession = asession  # type: ignore[method-assign]
    BaseHandler.load_middleware = load_middleware  # type: ignore[method-assign]
    BaseHandler.get_response = get_response  # type: ignore[method-assign]
    BaseHandler.get_response_async = get_response_async  # type: ignore[method-assign]


def _mark() -> None:
    if _current[0] is not None:
        _exercised.add(_current[0])


class PassThrough:
    """A middleware that does nothing: the control for the harness itself."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        return self.get_response(request)


class RecordingResult(unittest.TextTestResult):
    """Keeps one outcome per test id (a failing subtest fails its test)."""

    outcomes: ClassVar[dict[str, str]] = {}
    #: For failures and errors: the exception's last line, to write expectation reasons from.
    details: ClassVar[dict[str, str]] = {}

    def startTest(self, test: unittest.TestCase) -> None:
        _current[0] = test.id()
        super().startTest(test)

    def stopTest(self, test: unittest.TestCase) -> None:
        super().stopTest(test)
        _current[0] = None

    def _set(self, test: unittest.TestCase, outcome: str) -> None:
        tid = test.id()
        # An error or failure anywhere in a test (a subtest, tearDown) is the test's outcome.
        if self.outcomes.get(tid) in {"failure", "error"}:
            return
        self.outcomes[tid] = outcome

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._set(test, "success")

    def _detail(self, test: unittest.TestCase, err: Any) -> None:
        text = self._exc_info_to_string(err, test).strip().splitlines()
        self.details.setdefault(test.id(), text[-1][:300] if text else "")

    def addFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addFailure(test, err)
        self._detail(test, err)
        self._set(test, "failure")

    def addError(self, test: unittest.TestCase, err: Any) -> None:
        super().addError(test, err)
        self._detail(test, err)
        # Errors in setUpClass/tearDownClass come as _ErrorHolder with a descriptive id.
        self._set(test, "error")

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._set(test, "skip")

    def addExpectedFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addExpectedFailure(test, err)
        self._set(test, "expected_failure")

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self._set(test, "unexpected_success")

    def addSubTest(self, test: unittest.TestCase, subtest: Any, err: Any) -> None:
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._detail(test, err)
            failed = issubclass(err[0], test.failureException)
            self.outcomes[test.id()] = "failure" if failed else "error"


class HardSessRunner(DiscoverRunner):
    def setup_test_environment(self, **kwargs: Any) -> None:
        super().setup_test_environment(**kwargs)
        _install()

    def get_resultclass(self) -> type[unittest.TextTestResult]:
        return RecordingResult

    def run_tests(self, test_labels: list[str], **kwargs: Any) -> int:
        try:
            return super().run_tests(test_labels, **kwargs)
        finally:
            path = os.environ.get("HARDSESS_DJSUITE_RESULTS")
            if path:
                with open(path, "w", encoding="utf-8") as fh:
                    json.dump(
                        {
                            "outcomes": RecordingResult.outcomes,
                            "details": RecordingResult.details,
                            "exercised": sorted(_exercised),
                            "chains_built": _chains_built[0],
                            "jar_writes": {t: sorted(n) for t, n in _jar_writes.items()},
                            "session_reads": sorted(_session_reads),
                        },
                        fh,
                        indent=0,
                        sort_keys=True,
                    )
