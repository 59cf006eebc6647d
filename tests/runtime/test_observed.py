"""What the firewall observes of each cookie (hardsess.firewall.observed) and how a process
reports it to the fleet store (hardsess.fleet)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test import Client, override_settings

from hardsess import fleet
from hardsess.firewall import observed
from hardsess.models import FleetReport

pytestmark = pytest.mark.django_db

REPORT_ONLY = {"REPORT_ONLY": True}


def test_shapes_fold_ids_and_keep_words() -> None:
    assert observed.shape_of(f"remember-cookie_{uuid.uuid4()}") == "remember-cookie_*"
    assert observed.shape_of("remember-cookie_3f2a9b1c0d4e") == "remember-cookie_*"
    assert observed.shape_of("_pk_id.12.ab3f") == "_pk_id.12.ab3f"  # short runs stay
    assert observed.shape_of("cart_20261202") == "cart_*"
    assert observed.shape_of("deadbeefcafe") == "deadbeefcafe"  # hex letters only: a word
    assert len(observed.shape_of("x" * 5000)) < 100


@override_settings(HARDSESS=REPORT_ONLY)
def test_report_only_counts_how_each_cookie_is_set_and_arrives() -> None:
    client = Client()
    client.get("/rt/every/")  # sets session, CSRF, language, messages, prefs, remember
    client.cookies["_ga"] = "GA1.1.1.2"
    client.cookies["ui_state"] = "collapsed"
    client.get("/rt/echo/")
    seen = observed.totals()
    assert seen["prefs"] == {"origin": "*", "set": 1, "unsigned": 1}
    assert seen["ui_state"] == {"origin": "*", "unsigned": 1}
    assert seen["_ga"] == {"origin": "well-known: Google Analytics", "exempt": 1}
    assert seen["sessionid"]["origin"] == "django"
    assert seen["sessionid"]["set"] == 1
    assert "collapsed" not in repr(seen)
    assert "GA1" not in repr(seen)


def test_enforcing_observes_nothing_by_default() -> None:
    client = Client()
    client.cookies["ui_state"] = "collapsed"
    client.get("/rt/every/")
    assert observed.totals() == {}


@override_settings(HARDSESS={"OBSERVE": {"WHEN": "always"}})
def test_always_observes_while_enforcing() -> None:
    client = Client()
    client.get("/rt/set/", {"name": "prefs", "value": "dark"})
    client.get("/rt/echo/")  # prefs comes back signed
    assert observed.totals()["prefs"] == {"origin": "*", "set": 1, "signed": 1}


@override_settings(HARDSESS={**REPORT_ONLY, "OBSERVE": {"WHEN": "never"}})
def test_never_observes_even_in_report_only() -> None:
    Client().get("/rt/every/")
    assert observed.totals() == {}


@override_settings(HARDSESS=REPORT_ONLY)
def test_invented_names_are_bounded_and_do_not_crowd_out_real_ones(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(observed, "MAX_SHAPES", 8)
    header = "; ".join(f"junk{chr(97 + i % 26)}{chr(97 + i // 26)}=1" for i in range(200))
    Client(HTTP_COOKIE=header).get("/rt/echo/")
    seen = observed.totals()
    assert len(seen) <= 8
    assert sum(entry.get("unsigned", 0) for entry in seen.values()) == 200  # none lost
    # The script's cookie, first seen after the junk, still gets its own entry.
    browser = Client()
    browser.cookies["ui_state"] = "open"
    for _ in range(3):
        browser.get("/rt/echo/")
    assert observed.totals()["ui_state"] == {"origin": "*", "unsigned": 3}


@override_settings(HARDSESS=REPORT_ONLY)
def test_a_flush_writes_one_row_per_process_and_replaces_it() -> None:
    client = Client()
    client.cookies["ui_state"] = "collapsed"
    client.get("/rt/echo/")
    assert fleet.cookie_reporter.flush()
    client.get("/rt/echo/")
    assert fleet.cookie_reporter.flush()
    (row,) = FleetReport.objects.filter(kind="cookies")
    assert row.process == fleet.process_name()
    assert row.payload["ui_state"] == {"origin": "*", "unsigned": 2}
    (report,) = fleet.reports("cookies")
    assert report.payload == row.payload
    assert fleet.clear("cookies") == 1
    assert not fleet.reports("cookies")


def test_a_flush_with_no_store_says_so_once_and_never_raises(
    caplog: pytest.LogCaptureFixture,
) -> None:
    reporter = fleet.FleetReporter("cookies", lambda: {"x": {"origin": "*", "set": 1}})
    # As if `migrate` had not been run; the test's transaction puts the table back.
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {FleetReport._meta.db_table}")
    assert reporter.flush() is False
    assert reporter.flush() is False
    lines = [r.getMessage() for r in caplog.records if "fleet store" in r.getMessage()]
    assert len(lines) == 1
    assert "migrate" in lines[0]


def test_a_fork_while_another_thread_holds_the_lock_does_not_hang_the_child() -> None:
    import os
    import threading
    import time

    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with observed._lock:
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    held.wait(10)
    try:
        pid = os.fork()
        if pid == 0:  # the child: the fork handlers ran; observing must still work
            try:
                observed.site_set("x")
                observed.reset()
                os._exit(0)
            except BaseException:
                os._exit(1)
        deadline = time.monotonic() + 10
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.monotonic() > deadline:
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                raise AssertionError("the forked child hung on an inherited lock")
            time.sleep(0.01)
        assert os.waitstatus_to_exitcode(status) == 0
    finally:
        release.set()
        holder.join()


def test_a_flush_whose_collector_fails_returns_false_and_never_raises() -> None:
    def broken() -> dict[str, object]:
        raise RuntimeError("boom")

    assert fleet.FleetReporter("cookies", broken).flush() is False
