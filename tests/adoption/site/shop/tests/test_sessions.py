from __future__ import annotations

from unittest import skipIf

from django.conf import settings
from django.test import TestCase

from shop.testing import make_user, put_session, signed_cookie_sessions


class SessionTests(TestCase):
    def test_view_writes_and_client_session_reads(self) -> None:
        self.client.post("/cart/add/", {"item": "pen"})
        self.client.post("/cart/add/", {"item": "ink"})
        self.assertEqual(self.client.session["cart"], ["pen", "ink"])

    @skipIf(signed_cookie_sessions(), "Client.session cannot save a signed-cookie session")
    def test_client_session_writes_and_view_reads(self) -> None:
        session = self.client.session
        session["cart"] = ["paper"]
        session.save()
        self.assertEqual(self.client.get("/cart/").json(), {"cart": ["paper"]})
        self.client.post("/cart/add/", {"item": "pen"})
        self.assertEqual(self.client.session["cart"], ["paper", "pen"])

    def test_session_key_is_the_cookie(self) -> None:
        self.client.post("/cart/add/", {"item": "pen"})
        cookie = self.client.cookies[settings.SESSION_COOKIE_NAME].value
        self.assertEqual(self.client.session.session_key, cookie)

    def test_session_survives_force_login_and_is_readable(self) -> None:
        user = make_user("ada")
        self.client.force_login(user)
        self.assertEqual(self.client.session["_auth_user_id"], str(user.pk))
        session = self.client.session
        session["cart"] = ["book"]
        session.save()
        put_session(self.client, session)
        self.assertEqual(self.client.get("/cart/").json(), {"cart": ["book"]})
        self.assertContains(self.client.get("/account/"), "Signed in as ada")

    def test_flush_deletes_the_session_cookie(self) -> None:
        self.client.post("/cart/add/", {"item": "pen"})
        response = self.client.post("/cart/clear/")
        morsel = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(morsel.value, "")
        self.assertEqual(morsel["max-age"], 0)
        self.assertEqual(self.client.get("/cart/").json(), {"cart": []})

    def test_session_expiry_is_the_sites(self) -> None:
        response = self.client.post("/cart/add/", {"item": "pen"})
        morsel = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(morsel["max-age"], settings.SESSION_COOKIE_AGE)
        self.assertEqual(self.client.session.get_expiry_age(), settings.SESSION_COOKIE_AGE)
