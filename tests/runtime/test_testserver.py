"""hardsess.firewall.testserver: Django's own test client works unchanged behind the firewall.

The rest of hardsess's suite treats the test client as a browser (tests/conftest.py); these
tests undo that, to see what a project gets by default.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.handlers.wsgi import WSGIHandler
from django.test import AsyncClient, Client, RequestFactory, override_settings
from django.test.client import AsyncClientHandler, ClientHandler

from hardsess import testing
from hardsess.firewall.signing import looks_signed
from hardsess.firewall.testserver import AS_BROWSER


@pytest.fixture(autouse=True)
def transparent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ClientHandler, AS_BROWSER, False)
    monkeypatch.setattr(AsyncClientHandler, AS_BROWSER, False)


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice", password="pw-alice-123")


class ProjectClient(Client):
    """A project's own subclass, as DRF's APIClient is one."""


def test_force_login_login_and_logout_work_as_without_hardsess(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    assert not looks_signed(client.cookies["sessionid"].value)  # the bare key Django wrote
    assert client.get("/rt/whoami/").json() == {"user": "alice"}
    other = ProjectClient()
    assert other.login(username="alice", password="pw-alice-123")
    assert other.get("/rt/whoami/").json() == {"user": "alice"}
    other.logout()
    assert other.get("/rt/whoami/").json() == {"user": None}


def test_client_session_reads_what_the_views_wrote(db: None) -> None:
    client = Client()
    session = client.session
    session["colour"] = "blue"
    session.save()
    assert client.get("/rt/session/get/").json() == {"session": {"colour": "blue"}}
    client.get("/rt/session/set/", {"size": "L"})
    assert client.session["size"] == "L"  # the jar holds the key, not a signed wrapper


def test_flags_are_still_enforced_and_values_left_as_set(db: None) -> None:
    response = Client().get("/rt/set/", {"name": "prefs", "value": "dark"}, secure=True)
    morsel = response.cookies["prefs"]
    assert morsel.value == "dark"
    assert morsel["secure"] is True
    assert morsel["httponly"] is True
    assert morsel["samesite"] == "Lax"


def test_over_plain_http_secure_is_not_added_but_the_sites_own_is_kept(db: None) -> None:
    plain = Client().get("/rt/set/", {"name": "prefs", "value": "dark"}).cookies["prefs"]
    assert not plain["secure"]
    assert plain["httponly"] is True  # only Secure depends on the scheme
    own = Client().get("/rt/set/", {"name": "p", "secure": "1"}).cookies["p"]
    assert own["secure"] is True


@override_settings(SESSION_COOKIE_SECURE=False)  # as most projects' test settings have it
def test_drf_requests_client_keeps_its_session_over_http_testserver(db: None) -> None:
    from rest_framework.test import RequestsClient

    client = RequestsClient()
    client.get("http://testserver/rt/session/set/", params={"size": "L"})
    # requests' jar sends back only what a browser would: no Secure cookie over http://.
    got = client.get("http://testserver/rt/session/get/").json()
    assert got == {"session": {"size": "L"}}
    assert not looks_signed(client.cookies["sessionid"])


def test_hand_set_cookies_reach_the_view(db: None) -> None:
    client = Client()
    client.cookies["prefs"] = "dark"
    assert client.get("/rt/echo/").json()["cookies"] == {"prefs": "dark"}


def test_a_forged_signature_is_still_refused(db: None) -> None:
    client = Client()
    client.cookies["prefs"] = "hs1.k1.0.bm90aGluZw.AAAA"
    assert client.get("/rt/echo/").json()["cookies"] == {}


def test_signed_values_from_hardsess_testing_are_verified(db: None) -> None:
    client = Client()
    client.cookies["prefs"] = testing.sign_cookie("prefs", "dark")
    assert client.get("/rt/echo/").json()["cookies"] == {"prefs": "dark"}


@override_settings(HARDSESS={"TEST_CLIENT": "firewall"})
def test_firewall_mode_treats_the_test_client_as_a_browser(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    assert client.get("/rt/whoami/").json() == {"user": None}  # the bare key is refused
    assert looks_signed(Client().get("/rt/set/", {"name": "p"}).cookies["p"].value)


def test_hardsess_testing_client_sees_the_wire_format(alice: User) -> None:
    client = testing.Client()
    client.force_login(alice)
    assert looks_signed(client.cookies["sessionid"].value)
    assert client.get("/rt/whoami/").json() == {"user": "alice"}
    assert looks_signed(client.get("/rt/set/", {"name": "p"}).cookies["p"].value)


@pytest.mark.django_db(transaction=True)
def test_async_client_aforce_login() -> None:
    user = User.objects.create_user("bob", password="pw-bob-1234")

    async def flow() -> dict[str, Any]:
        client = AsyncClient()
        await client.aforce_login(user)
        return (await client.get("/rt/whoami/")).json()  # type: ignore[no-any-return]

    assert asyncio.run(flow()) == {"user": "bob"}


def test_a_real_handler_in_the_same_process_still_demands_signatures(alice: User) -> None:
    # django.test.client is imported in this process, as it is in every test run: the handler
    # a real server uses is still a production firewall.
    client = Client()
    client.force_login(alice)
    raw_key = client.cookies["sessionid"].value
    environ = RequestFactory().get("/rt/whoami/", HTTP_COOKIE=f"sessionid={raw_key}").environ
    statuses: list[str] = []
    body = b"".join(WSGIHandler()(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["200 OK"]
    assert body == b'{"user": null}'


def test_production_never_imports_the_test_client() -> None:
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "from django.core.handlers.wsgi import WSGIHandler\n"
        "WSGIHandler()\n"
        "assert 'django.test.client' not in sys.modules, 'imported the test client'\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "tests.project.settings"},
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stderr
