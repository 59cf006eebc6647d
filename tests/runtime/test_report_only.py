"""REPORT_ONLY: everything is logged, nothing is changed."""

from __future__ import annotations

import logging

import pytest
from django.test import Client, override_settings

from hardsess.firewall.signing import looks_signed
from tests.runtime.conftest import Rejections

pytestmark = pytest.mark.django_db


@override_settings(
    HARDSESS={"REPORT_ONLY": True},
    SESSION_COOKIE_SECURE=False,
    LANGUAGE_COOKIE_SECURE=False,
    LANGUAGE_COOKIE_HTTPONLY=False,
)
def test_report_only_changes_no_outgoing_cookie(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/every/")
    prefs = response.cookies["prefs"]
    assert prefs.value == "theme=dark"
    assert prefs["secure"] == ""
    assert prefs["httponly"] == ""
    assert prefs["samesite"] == ""
    assert response.cookies["sessionid"]["secure"] == ""
    assert not any(looks_signed(m.value) for m in response.cookies.values())
    assert "[report-only]: would correct cookie 'prefs': SameSite=Lax; Secure; HttpOnly" in (
        caplog.text
    )
    assert "theme=dark" not in caplog.text


@override_settings(HARDSESS={"REPORT_ONLY": True})
def test_report_only_keeps_cookies_it_would_reject(
    rejections: Rejections, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client(HTTP_COOKIE="prefs=plain; sessionid=a; sessionid=b")
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        seen = client.get("/rt/echo/").json()["cookies"]
    assert seen == {"prefs": "plain", "sessionid": "b"}
    assert sorted(rejections) == [
        ("prefs", "foreign", True),
        ("sessionid", "duplicate", True),
        ("sessionid", "unsigned", True),
    ]
    # No policy names prefs and the site never set it: foreign, dropped once enforcing.
    assert "would drop foreign cookie 'prefs'" in caplog.text


def test_report_only_still_reads_values_signed_while_enforcing() -> None:
    client = Client()
    client.get("/rt/set/", {"name": "prefs", "value": "v1"})
    assert looks_signed(client.cookies["prefs"].value)
    with override_settings(HARDSESS={"REPORT_ONLY": True}):
        # Switching back to report-only must not break cookies signed meanwhile.
        assert client.get("/rt/echo/").json()["cookies"]["prefs"] == "v1"


@override_settings(HARDSESS={"REPORT_ONLY": True})
def test_report_only_logs_an_oversized_cookie_but_sends_it(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="hardsess"):
        response = Client().get("/rt/set/", {"name": "big", "value": "x" * 4050})
    assert response.cookies["big"].value == "x" * 4050
    assert "would refuse cookie 'big'" in caplog.text
