"""hardsess.testing: Django's test client conveniences work behind the firewall."""

from __future__ import annotations

import asyncio

import pytest
from django.contrib.auth.models import User
from django.test import Client as DjangoClient

from hardsess.firewall.signing import looks_signed
from hardsess.testing import AsyncClient, Client, sign_cookie, unsign_cookie


@pytest.fixture
def alice(db: None) -> User:
    return User.objects.create_user("alice", password="pw-alice-123")


def test_django_client_login_is_refused_by_the_firewall(alice: User) -> None:
    # Why hardsess.testing exists: the bare session key Django's client invents is unsigned.
    client = DjangoClient()
    client.force_login(alice)
    assert client.get("/rt/whoami/").json() == {"user": None}


def test_force_login_and_login(alice: User) -> None:
    client = Client()
    client.force_login(alice)
    assert looks_signed(client.cookies["sessionid"].value)
    assert client.get("/rt/whoami/").json() == {"user": "alice"}
    other = Client()
    assert other.login(username="alice", password="pw-alice-123")
    assert other.get("/rt/whoami/").json() == {"user": "alice"}
    other.logout()
    assert other.get("/rt/whoami/").json() == {"user": None}


def test_session_property_reads_and_writes_under_the_signature(db: None) -> None:
    client = Client()
    session = client.session
    session["colour"] = "blue"
    session.save()
    assert client.get("/rt/session/get/").json() == {"session": {"colour": "blue"}}
    client.get("/rt/session/set/", {"size": "L"})
    assert client.session["size"] == "L"


@pytest.mark.django_db(transaction=True)
def test_async_client_force_login() -> None:
    user = User.objects.create_user("bob", password="pw-bob-1234")

    async def flow() -> dict[str, str]:
        client = AsyncClient()
        await client.aforce_login(user)
        return (await client.get("/rt/whoami/")).json()  # type: ignore[no-any-return]

    assert asyncio.run(flow()) == {"user": "bob"}


def test_sign_and_unsign_cookie(db: None) -> None:
    signed = sign_cookie("prefs", "dark", max_age=60)
    assert unsign_cookie("prefs", signed) == "dark"
    assert unsign_cookie("other", signed) is None  # bound to its name
    assert sign_cookie("csrftoken", "t" * 32) == "t" * 32  # exempt by policy
    client = DjangoClient()
    client.cookies["prefs"] = signed
    assert client.get("/rt/echo/").json()["cookies"] == {"prefs": "dark"}
