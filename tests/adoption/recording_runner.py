"""A ``manage.py test --testrunner`` that writes each test's outcome to a JSON file.

Parsing ``-v 2`` output would be simpler to set up, but the firewall and Django log to the same
stream the runner prints to, and a log line inside a result line would misread a result. The
site's own settings stay as they are: the runner is chosen on the command line.
"""

from __future__ import annotations

import json
import os
import traceback
import unittest
from types import TracebackType
from typing import Any

from django.test.runner import DiscoverRunner

#: The file the outcomes are written to, as {test id: [outcome, detail]}.
RESULTS_ENV = "ADOPTION_RESULTS"

_ExcInfo = tuple[type[BaseException], BaseException, TracebackType]


def _detail(err: _ExcInfo | None) -> str:
    if err is None:
        return ""
    return "".join(traceback.format_exception_only(err[0], err[1])).strip()


class RecordingResult(unittest.TextTestResult):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcomes: dict[str, list[str]] = {}

    def _record(self, test: unittest.TestCase, outcome: str, detail: str = "") -> None:
        # A test with subtests, or one whose teardown also fails, reports more than once; the
        # worst report wins (anything after "passed" replaces it).
        if self.outcomes.get(test.id(), ["passed"])[0] == "passed":
            self.outcomes[test.id()] = [outcome, detail]

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._record(test, "passed")

    def addFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addFailure(test, err)
        self._record(test, "failed", _detail(err))

    def addError(self, test: unittest.TestCase, err: Any) -> None:
        super().addError(test, err)
        self._record(test, "error", _detail(err))

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._record(test, "skipped", reason)

    def addExpectedFailure(self, test: unittest.TestCase, err: Any) -> None:
        super().addExpectedFailure(test, err)
        self._record(test, "xfailed")

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self._record(test, "xpassed")

    def addSubTest(self, test: unittest.TestCase, subtest: unittest.TestCase, err: Any) -> None:
        super().addSubTest(test, subtest, err)
        if err is not None:
            self._record(test, "failed", _detail(err))


class RecordingRunner(DiscoverRunner):
    def get_resultclass(self) -> type[unittest.TextTestResult]:
        return RecordingResult

    def run_suite(self, suite: unittest.TestSuite, **kwargs: Any) -> unittest.TestResult:
        result = super().run_suite(suite, **kwargs)
        assert isinstance(result, RecordingResult)
        with open(os.environ[RESULTS_ENV], "w", encoding="utf-8") as out:
            json.dump(result.outcomes, out, indent=1, sort_keys=True)
        return result
