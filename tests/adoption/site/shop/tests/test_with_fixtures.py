"""pytest-style tests on pytest-django's fixtures (``manage.py test`` finds no TestCase here)."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from asgiref.sync import async_to_sync
from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.test import AsyncClient, Client, RequestFactory
from rest_framework.test import APIClient

from shop import views
from shop.testing import PASSWORD, ShopClient, put_session, signed_cookie_sessions

pytestmark = pytest.mark.django_db


def test_anonymous_is_sent_to_login(client: Client) -> None:
    response = client.get("/account/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/account/"


def test_client_login(client: Client, customer: Any) -> None:
    assert client.login(username="ada", password=PASSWORD)
    assert b"Signed in as ada" in client.get("/account/").content


def test_client_force_login_and_logout(client: Client, customer: Any) -> None:
    client.force_login(customer)
    assert client.get("/account/").status_code == 200
    client.logout()
    assert client.get("/account/").status_code == 302


def test_admin_client_opens_the_admin(admin_client: Client) -> None:
    assert admin_client.get("/admin/").status_code == 200
    assert admin_client.get("/admin/shop/order/").status_code == 200
    assert b"Signed in as admin" in admin_client.get("/account/").content


@pytest.mark.skipif(
    signed_cookie_sessions(), reason="Client.session cannot save a signed-cookie session"
)
def test_client_session_write_then_request(client: Client) -> None:
    session = client.session
    session["cart"] = ["paper"]
    session.save()
    assert client.get("/cart/").json() == {"cart": ["paper"]}
    client.post("/cart/add/", {"item": "pen"})
    assert client.session["cart"] == ["paper", "pen"]


def test_response_cookies(client: Client) -> None:
    response = client.post("/theme/set/", {"theme": "dark"})
    assert response.cookies["theme"].value == "dark"
    assert response.cookies["theme"]["max-age"] == views.ONE_YEAR
    deleted = client.post("/theme/reset/").cookies["theme"]
    assert (deleted.value, deleted["max-age"]) == ("", 0)
    assert client.get("/theme/").json() == {"theme": None}


def test_project_client(shop_client: ShopClient) -> None:
    shop_client.sign_in_as("linus")
    shop_client.add_to_cart("pen")
    assert shop_client.session["cart"] == ["pen"]
    assert b"Signed in as linus" in shop_client.get("/account/").content


def test_api_client_force_authenticate(api_client: APIClient, customer: Any) -> None:
    api_client.force_authenticate(user=customer)
    created = api_client.post("/api/orders/", {"item": "ink"}, format="json")
    assert created.status_code == 201
    assert [order["item"] for order in api_client.get("/api/orders/").json()] == ["ink"]


def test_api_client_login(api_client: APIClient, customer: Any) -> None:
    assert api_client.get("/api/me/").status_code == 403
    api_client.force_login(customer)
    assert api_client.get("/api/me/").json() == {"username": "ada"}


def test_async_client(async_client: AsyncClient, customer: Any) -> None:
    # Without pytest-asyncio, as many teams run: the coroutine driven by asgiref.
    async def scenario() -> None:
        assert (await async_client.get("/whoami/")).json() == {"user": None}
        await async_client.aforce_login(customer)
        assert (await async_client.get("/whoami/")).json() == {"user": "ada"}
        session = await async_client.asession()
        await session.aset("cart", ["pen"])
        await session.asave()
        put_session(async_client, session)
        assert (await async_client.get("/cart/")).json() == {"cart": ["pen"]}
        await async_client.alogout()
        assert (await async_client.get("/whoami/")).json() == {"user": None}

    async_to_sync(scenario)()


def test_request_factory(rf: RequestFactory, customer: Any) -> None:
    # The view alone, no middleware: the request carries what the test gives it.
    request = rf.get("/theme/", headers={"cookie": "theme=dark"})
    assert views.theme(request).content == b'{"theme": "dark"}'
    request = rf.get("/account/")
    request.user = customer
    assert views.account(request).status_code == 200


def test_settings_fixture_session_cookie_name(client: Client, settings: Any) -> None:
    settings.SESSION_COOKIE_NAME = "shop_session"
    client.post("/cart/add/", {"item": "pen"})
    assert "shop_session" in client.cookies
    assert isinstance(client.session, SessionBase)
    assert client.session["cart"] == ["pen"]


@pytest.mark.django_db(transaction=True)
def test_live_server_with_the_test_clients_cookie(
    live_server: Any, client: Client, django_user_model: Any
) -> None:
    client.force_login(django_user_model.objects.create_user("grace", password=PASSWORD))
    name = settings.SESSION_COOKIE_NAME
    response = requests.get(
        f"{live_server.url}/account/",
        cookies={name: client.cookies[name].value},
        allow_redirects=False,
        timeout=10,
    )
    assert response.status_code == 200
    assert "Signed in as grace" in response.text
