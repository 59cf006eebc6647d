from __future__ import annotations

from django.conf import settings
from rest_framework.test import APIClient, APITestCase, RequestsClient

from shop.models import Order
from shop.testing import PASSWORD, make_user


class OrderApiTests(APITestCase):
    def test_anonymous_is_refused(self) -> None:
        self.assertEqual(self.client.get("/api/orders/").status_code, 403)

    def test_login(self) -> None:
        Order.objects.create(owner=make_user("ada"), item="pen")
        self.assertTrue(self.client.login(username="ada", password=PASSWORD))
        response = self.client.get("/api/orders/")
        self.assertEqual(response.status_code, 200)
        self.assertEqual([order["item"] for order in response.json()], ["pen"])

    def test_force_login_and_create(self) -> None:
        self.client.force_login(make_user("ada"))
        response = self.client.post("/api/orders/", {"item": "ink", "quantity": 2}, format="json")
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Order.objects.get().item, "ink")

    def test_force_authenticate(self) -> None:
        self.client.force_authenticate(user=make_user("grace"))
        self.assertEqual(self.client.get("/api/me/").json(), {"username": "grace"})
        self.client.force_authenticate(user=None)
        self.assertEqual(self.client.get("/api/me/").status_code, 403)

    def test_logout(self) -> None:
        self.client.force_login(make_user("ada"))
        self.assertEqual(self.client.get("/api/me/").status_code, 200)
        self.client.logout()
        self.assertEqual(self.client.get("/api/me/").status_code, 403)

    def test_session_auth_demands_csrf_when_enforced(self) -> None:
        client = APIClient(enforce_csrf_checks=True)
        client.force_login(make_user("ada"))
        refused = client.post("/api/orders/", {"item": "ink"}, format="json")
        self.assertEqual(refused.status_code, 403)
        client.get("/accounts/login/")  # the page that hands out the CSRF cookie
        token = client.cookies["csrftoken"].value
        response = client.post(
            "/api/orders/", {"item": "ink"}, format="json", headers={"x-csrftoken": token}
        )
        self.assertEqual(response.status_code, 201, response.content)


class RequestsClientTests(APITestCase):
    """``requests`` over http://testserver, as DRF documents it (SESSION_COOKIE_SECURE False)."""

    def test_sign_in_through_the_form_then_use_the_api(self) -> None:
        Order.objects.create(owner=make_user("ada"), item="pen")
        client = RequestsClient()
        page = client.get("http://testserver/accounts/login/")
        self.assertEqual(page.status_code, 200)
        token = client.cookies["csrftoken"]
        response = client.post(
            "http://testserver/accounts/login/",
            data={"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": token},
            allow_redirects=False,
        )
        self.assertEqual(response.status_code, 302)
        self.assertIn(settings.SESSION_COOKIE_NAME, client.cookies)
        orders = client.get("http://testserver/api/orders/")
        self.assertEqual(orders.status_code, 200)
        self.assertEqual([order["item"] for order in orders.json()], ["pen"])
        created = client.post(
            "http://testserver/api/orders/",
            json={"item": "ink"},
            headers={"X-CSRFToken": client.cookies["csrftoken"]},
        )
        self.assertEqual(created.status_code, 201, created.content)

    def test_anonymous_is_refused(self) -> None:
        self.assertEqual(RequestsClient().get("http://testserver/api/me/").status_code, 403)
