"""Issue 11: a guided rollout on a fleet of two gunicorn servers sharing one PostgreSQL database.

In report-only, each server observes the cookies it sets and receives and writes its totals to
the database; ``manage.py hardsess cookies``, run on neither server, adds them up. Only the
fleet-wide view can tell the site's ``cart`` cookie (set by server A, arriving at B) from a
JavaScript cookie (never set by anyone). The policy it prints, pasted, lets the JavaScript
cookie through once the fleet enforces; a cookie nothing names is dropped.
"""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.fleet.loadgen import Keys
from tests.fleet.servers import REPO, Server, running
from tests.fleet.stores import store_env

pytestmark = pytest.mark.slow

#: Seconds between two reports of one server; the command is polled for this long at most.
INTERVAL = 1
SETTLE = 30.0
BROWSER_COOKIES = {"_ga": "GA1.1.1234.5678", "ui_state": "open"}


def get(server: Server, path: str, cookies: dict[str, str]) -> tuple[int, list[str], str]:
    """GET ``path``; the status, the Set-Cookie headers and the body."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    try:
        header = "; ".join(f"{name}={value}" for name, value in cookies.items())
        conn.request("GET", path, headers={"Cookie": header} if header else {})
        response = conn.getresponse()
        return (
            response.status,
            response.headers.get_all("Set-Cookie") or [],
            response.read().decode(),
        )
    finally:
        conn.close()


def cookie_values(set_cookies: list[str]) -> dict[str, str]:
    return dict(header.split(";", 1)[0].split("=", 1) for header in set_cookies)


def hardsess_cookies(env: dict[str, str], *args: str) -> str:
    """``manage.py hardsess cookies`` as an operator runs it, on neither server."""
    done = subprocess.run(
        [sys.executable, "-m", "django", "hardsess", "cookies", *args],
        cwd=REPO,
        env={
            **os.environ,
            **env,
            "DJANGO_SETTINGS_MODULE": "tests.fleet.site.settings",
            "PYTHONPATH": str(REPO),
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def wait_for_reports(env: dict[str, str], expected: dict[str, dict[str, int]]) -> dict[str, Any]:
    """Poll the command until both servers' reports hold the expected counts."""
    deadline = time.monotonic() + SETTLE
    while True:
        data: dict[str, Any] = json.loads(hardsess_cookies(env, "--json"))
        counts = {c["name"]: c["counts"] for c in data["cookies"]}
        if data["processes"] == 2 and all(counts.get(n) == c for n, c in expected.items()):
            return data
        if time.monotonic() > deadline:
            raise AssertionError(f"reports never reached {expected}: {data}")
        time.sleep(0.5)


def test_report_only_fleet_tells_site_cookies_from_foreign_ones(tmp_path: Path) -> None:
    keys = Keys()

    def servers(extra: dict[str, str], tag: str) -> tuple[Server, Server]:
        return tuple(  # type: ignore[return-value]
            Server(
                app="tests.fleet.site.wsgi:application",
                settings="tests.fleet.site.settings",
                env={**env, **extra},
                log=tmp_path / f"server-{name}-{tag}.log",
                threads=2,
            )
            for name in "ab"
        )

    with store_env("db-postgres", tmp_path) as env:
        env |= keys.env(0)
        report_only = {
            "HARDSESS_FLEET_REPORT_ONLY": "1",
            "HARDSESS_FLEET_OBSERVE_INTERVAL": str(INTERVAL),
        }
        with running(*servers(report_only, "report-only")) as (a, b):
            _, set_cookies, _ = get(a, "/login/1", {})
            jar = cookie_values(set_cookies)
            _, set_cookies, _ = get(a, "/cart", jar)
            jar |= cookie_values(set_cookies)
            assert set(jar) == {"sessionid", "cart"}
            browser = {**jar, **BROWSER_COOKIES}
            for _ in range(3):
                status, _, body = get(b, "/cookies", browser)
                assert status == 200
                # Report-only changes nothing: the view sees every cookie.
                assert body.split("\n") == sorted(browser)

            data = wait_for_reports(
                env,
                {"cart": {"set": 1, "unsigned": 3}, "ui_state": {"unsigned": 3}},
            )
            text = hardsess_cookies(env)

        verdicts = {c["name"]: c["verdict"] for c in data["cookies"]}
        assert verdicts["cart"] == "site"  # only A set it: the fleet-wide view knows
        assert verdicts["sessionid"] == "site"
        assert verdicts["_ga"] == "well-known"
        assert verdicts["ui_state"] == "foreign"
        assert data["policy"] == {"ui_state": {"sign": False, "httponly": False}}
        assert "Observed by 2 process(es)" in text

        # The operator pastes the fragment and the fleet enforces.
        settings_module: dict[str, Any] = {"HARDSESS": {"KEYS": []}}
        exec(text[text.index("HARDSESS = {") :], settings_module)
        policy = settings_module["HARDSESS"]["COOKIES"]
        enforcing = {"HARDSESS_FLEET_COOKIES": json.dumps(policy)}
        with running(*servers(enforcing, "enforcing")) as (a, b):
            for _ in range(3):
                _, _, body = get(b, "/cookies", {**BROWSER_COOKIES, "stray": "1"})
                assert body.split("\n") == ["_ga", "ui_state"]
            log = [line for line in b.log_text().splitlines() if "stray" in line]
        assert len(log) == 1, log  # once per name, not once per request
        assert log[0].startswith("INFO")
        assert "dropped foreign cookie 'stray'" in log[0]
