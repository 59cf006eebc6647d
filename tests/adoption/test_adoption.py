"""A new user's project keeps its test results when hardsess is added (issue 11, "Tests").

The project in ``site/`` is a small shop as a team would write it (an app with a model,
login-required pages, a session cart, a theme cookie, a DRF API behind SessionAuthentication)
with its own tests on every form of Django's test client: ``Client``, ``AsyncClient``, a
project subclass, DRF's ``APIClient`` (``force_authenticate`` included) and ``RequestsClient``,
``login`` / ``force_login`` / ``aforce_login`` / ``logout`` / ``alogout``, ``Client.session``
read and written, cookies deleted by responses, ``response.cookies``, pytest-django's
``client`` / ``admin_client`` / ``async_client`` / ``rf`` / ``live_server`` fixtures, and a
live server reached by ``requests`` with the test client's session cookie.

Those tests run as subprocesses (cwd = the site, so its own pytest.ini and conftest.py apply,
never hardsess's tests/conftest.py) under ``manage.py test`` and under pytest, with and without
hardsess (``ADOPTION_HARDSESS``: the app and the firewall, no HARDSESS setting), on every
session engine, and their results are compared test by test. That the comparison has teeth is a
test too: with ``HARDSESS = {"TEST_CLIENT": "firewall"}`` the test client is treated as a
browser, and the same site's tests must come out different.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.adoption.recording_runner import RESULTS_ENV

SITE = Path(__file__).parent / "site"
REPO = Path(__file__).resolve().parents[2]
ENGINES = ("db", "cache", "cached_db", "file", "signed_cookies")
MANAGE_PY, PYTEST = "manage.py test", "pytest"
RUNNERS = (MANAGE_PY, PYTEST)
#: Subprocesses at a time: each is mostly Django start-up and SQLite in memory, about 3 s.
WORKERS = 4

#: Tests whose result differs with hardsess, under both runners and on every engine, with the
#: reason. Each is a decision the firewall makes for real browsers too, which a test of the
#: site notices; none may be the test client.
KNOWN_DIVERGENCES: dict[str, str] = {
    "shop.tests.test_cookies.ThemeCookieTests.test_theme_cookie_is_readable_by_javascript": (
        "the firewall's default policy adds HttpOnly to every cookie (docs/adopting.md), so a "
        "cookie the site's JavaScript reads needs a COOKIES policy; this site has no HARDSESS"
    ),
}

#: The outcomes of a sound run of the site's own tests (a test may skip on an engine it cannot
#: use: Client.session cannot save a signed-cookie session).
SOUND = {"passed", "skipped"}

#: What a result is: {test id: (outcome, detail)}; outcome is passed, failed, error, skipped...
Results = dict[str, tuple[str, str]]


@dataclass(frozen=True)
class Run:
    runner: str
    engine: str
    hardsess: bool
    test_client: str | None = None  # "firewall": HARDSESS = {"TEST_CLIENT": "firewall"}


def run_site(run: Run, out: Path) -> tuple[Results, str]:
    """Run the site's tests once; return their results and the run's output."""
    env = {
        name: value
        for name, value in os.environ.items()
        # hardsess's own suite sets DJANGO_SETTINGS_MODULE; the site uses its own.
        if name not in {"DJANGO_SETTINGS_MODULE", "PYTEST_ADDOPTS", "PYTEST_CURRENT_TEST"}
        and not name.startswith("ADOPTION_")
    }
    env["ADOPTION_HARDSESS"] = "1" if run.hardsess else "0"
    env["ADOPTION_SESSION_ENGINE"] = run.engine
    env["ADOPTION_SESSION_DIR"] = str(out / "sessions")
    (out / "sessions").mkdir()
    if run.test_client is not None:
        env["ADOPTION_TEST_CLIENT"] = run.test_client
    results_file = out / "results"
    if run.runner == MANAGE_PY:
        env[RESULTS_ENV] = str(results_file)
        env["PYTHONPATH"] = str(REPO)  # for the recording runner, tests.adoption
        command = [sys.executable, "manage.py", "test", "--noinput"]
        command += ["--testrunner", "tests.adoption.recording_runner.RecordingRunner"]
    else:
        command = [sys.executable, "-m", "pytest", "-q", f"--junitxml={results_file}"]
    done = subprocess.run(
        command, cwd=SITE, env=env, capture_output=True, text=True, timeout=180, check=False
    )
    output = f"$ {' '.join(command)}  (exit {done.returncode})\n{done.stdout}{done.stderr}"
    if not results_file.exists():
        return {}, output
    if run.runner == MANAGE_PY:
        recorded = json.loads(results_file.read_text(encoding="utf-8"))
        return {test: (outcome, detail) for test, (outcome, detail) in recorded.items()}, output
    return junit_results(results_file), output


def junit_results(path: Path) -> Results:
    results: Results = {}
    for case in ET.parse(path).iter("testcase"):
        test = f"{case.get('classname')}.{case.get('name')}"
        outcome, detail = "passed", ""
        for tag in ("skipped", "failure", "error"):  # the worst wins
            element = case.find(tag)
            if element is not None:
                outcome = {"failure": "failed"}.get(tag, tag)
                detail = element.get("message", "")
        if results.get(test, ("passed", ""))[0] == "passed":  # a teardown error is a 2nd case
            results[test] = (outcome, detail)
    return results


def site_test_ids() -> dict[str, set[str]]:
    """Each runner's test ids, read from the site's source: a run that lost some (an import
    error, an empty discovery) cannot pass for an identical one."""
    expected: dict[str, set[str]] = {MANAGE_PY: set(), PYTEST: set()}
    for path in sorted(SITE.rglob("test_*.py")):
        module = ".".join(path.relative_to(SITE).with_suffix("").parts)
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                expected[PYTEST].add(f"{module}.{node.name}")
            if isinstance(node, ast.ClassDef):
                for method in node.body:
                    is_test = isinstance(method, ast.FunctionDef | ast.AsyncFunctionDef)
                    if is_test and method.name.startswith("test"):
                        expected[MANAGE_PY].add(f"{module}.{node.name}.{method.name}")
    expected[PYTEST] |= expected[MANAGE_PY]
    return expected


def needs(runs: Callable[..., list[Run]]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Declare the runs a test compares, so that all of them start at once, in parallel."""

    def mark(test: Callable[..., None]) -> Callable[..., None]:
        test.needs = runs  # type: ignore[attr-defined]
        return test

    return mark


@pytest.fixture(scope="module")
def site_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Callable[[Run], tuple[Results, str]]]:
    futures: dict[Run, Future[tuple[Results, str]]] = {}
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:

        def start(run: Run) -> Future[tuple[Results, str]]:
            if run not in futures:
                futures[run] = pool.submit(run_site, run, tmp_path_factory.mktemp("adoption"))
            return futures[run]

        for item in request.session.items:
            runs = getattr(getattr(item, "function", None), "needs", None)
            if runs is not None and item.module is sys.modules[__name__]:  # type: ignore[attr-defined]
                for run in runs(**item.callspec.params):  # type: ignore[attr-defined]
                    start(run)
        yield lambda run: start(run).result()
        for future in futures.values():
            future.cancel()


def checked(run: Run, results: Results, output: str) -> Results:
    """The run's results, once sure it ran every test the site has."""
    expected = site_test_ids()[run.runner]
    assert set(results) == expected, (
        f"{run}: missing {sorted(expected - set(results))}, "
        f"unexpected {sorted(set(results) - expected)}\n{output[-4000:]}"
    )
    return results


def divergences(without: Results, with_: Results) -> dict[str, tuple[str, str, str]]:
    """{test id: (outcome without hardsess, outcome with it, detail with it)}."""
    return {
        test: (without[test][0], with_[test][0], with_[test][1])
        for test in sorted(without)
        if without[test][0] != with_[test][0]
    }


# The version matrix (noxfile.py runs "not slow") compares on the db engine; make test on all.
@pytest.mark.parametrize(
    "engine",
    [e if e == "db" else pytest.param(e, marks=pytest.mark.slow) for e in ENGINES],
)
@pytest.mark.parametrize("runner", RUNNERS)
@needs(lambda runner, engine: [Run(runner, engine, False), Run(runner, engine, True)])
def test_same_results_with_and_without_hardsess(
    runner: str, engine: str, site_run: Callable[[Run], tuple[Results, str]]
) -> None:
    without = checked(Run(runner, engine, False), *site_run(Run(runner, engine, False)))
    # The site's own tests pass as written: comparing failures with failures would prove little.
    broken = {test: result for test, result in without.items() if result[0] not in SOUND}
    assert not broken, f"the site's own tests fail without hardsess: {broken}"
    with_run = Run(runner, engine, True)
    with_, output = site_run(with_run)
    found = divergences(without, checked(with_run, with_, output))
    known = {test: reason for test, reason in KNOWN_DIVERGENCES.items() if test in without}
    unexplained = {test: found[test] for test in found if test not in known}
    assert not unexplained, (
        f"{runner}, {engine} sessions: results change with hardsess "
        f"(test: without, with, detail): {json.dumps(unexplained, indent=1)}\n{output[-6000:]}"
    )
    stale = {test: known[test] for test in set(known) - set(found)}
    assert not stale, f"known divergences that no longer diverge (remove them): {stale}"


@pytest.mark.parametrize("runner", RUNNERS)
@needs(lambda runner: [Run(runner, "db", False), Run(runner, "db", True, "firewall")])
def test_the_comparison_sees_a_firewall_that_breaks_the_test_client(
    runner: str, site_run: Callable[[Run], tuple[Results, str]]
) -> None:
    """With the test client treated as a browser (what hardsess did before it was transparent),
    the session cookies Django's client writes itself are refused: the comparison must show
    the site's login and session tests failing."""
    without = checked(Run(runner, "db", False), *site_run(Run(runner, "db", False)))
    firewall = Run(runner, "db", True, "firewall")
    found = divergences(without, checked(firewall, *site_run(firewall)))
    broken = {test.rsplit(".", 1)[-1] for test, (_, outcome, _) in found.items()}
    assert {outcome for _, outcome, _ in found.values()} <= {"failed", "error"}
    # One per form: force_login, login, Client.session written, aforce_login, APIClient,
    # RequestsClient, the live server with the test client's cookie.
    assert {
        "test_force_login",
        "test_login",
        "test_session_survives_force_login_and_is_readable",
        "test_aforce_login",
        "test_force_login_and_create",
        "test_sign_in_through_the_form_then_use_the_api",
        "test_session_cookie_copied_from_the_test_client",
    } <= broken, found
    if runner == PYTEST:
        assert {"test_admin_client_opens_the_admin", "test_async_client"} <= broken, found
