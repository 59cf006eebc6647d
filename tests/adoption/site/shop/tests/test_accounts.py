from __future__ import annotations

from django.conf import settings
from django.test import Client, TestCase

from shop.models import Order
from shop.testing import PASSWORD, ShopClient, make_user


class LoginRequiredTests(TestCase):
    def test_anonymous_is_sent_to_the_login_page(self) -> None:
        response = self.client.get("/account/")
        self.assertRedirects(response, "/accounts/login/?next=/account/")

    def test_login(self) -> None:
        make_user("ada")
        self.assertTrue(self.client.login(username="ada", password=PASSWORD))
        self.assertContains(self.client.get("/account/"), "Signed in as ada; 0 orders")

    def test_login_with_a_wrong_password_fails(self) -> None:
        make_user("ada")
        self.assertFalse(self.client.login(username="ada", password="nope"))
        self.assertEqual(self.client.get("/account/").status_code, 302)

    def test_force_login(self) -> None:
        user = make_user("grace")
        Order.objects.create(owner=user, item="book")
        self.client.force_login(user)
        self.assertContains(self.client.get("/account/"), "Signed in as grace; 1 orders")

    def test_logout(self) -> None:
        self.client.force_login(make_user("ada"))
        self.client.logout()
        self.assertEqual(self.client.get("/account/").status_code, 302)
        self.assertNotIn(settings.SESSION_COOKIE_NAME, self.client.cookies)

    def test_two_clients_are_two_users(self) -> None:
        self.client.force_login(make_user("ada"))
        other = Client()
        other.force_login(make_user("grace"))
        self.assertContains(self.client.get("/account/"), "Signed in as ada")
        self.assertContains(other.get("/account/"), "Signed in as grace")


class LoginFormTests(TestCase):
    def test_login_form_signs_in_and_redirects(self) -> None:
        make_user("ada")
        response = self.client.post(
            "/accounts/login/", {"username": "ada", "password": PASSWORD}, follow=True
        )
        self.assertRedirects(response, "/account/")
        self.assertContains(response, "Signed in as ada")

    def test_login_form_sets_the_session_cookie(self) -> None:
        make_user("ada")
        response = self.client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
        morsel = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertTrue(morsel.value)
        self.assertEqual(morsel["path"], "/")
        self.assertEqual(morsel["samesite"], "Lax")
        self.assertEqual(self.client.cookies[settings.SESSION_COOKIE_NAME].value, morsel.value)

    def test_login_form_with_csrf_checks(self) -> None:
        make_user("ada")
        client = Client(enforce_csrf_checks=True)
        page = client.get("/accounts/login/")
        token = page.context["csrf_token"]
        refused = client.post("/accounts/login/", {"username": "ada", "password": PASSWORD})
        self.assertEqual(refused.status_code, 403)
        response = client.post(
            "/accounts/login/",
            {"username": "ada", "password": PASSWORD, "csrfmiddlewaretoken": str(token)},
        )
        self.assertRedirects(response, "/account/")

    def test_logout_view_deletes_the_session_cookie(self) -> None:
        self.client.force_login(make_user("ada"))
        response = self.client.post("/accounts/logout/")
        self.assertRedirects(response, "/", fetch_redirect_response=False)
        morsel = response.cookies[settings.SESSION_COOKIE_NAME]
        self.assertEqual(morsel.value, "")
        self.assertEqual(morsel["max-age"], 0)
        self.assertEqual(self.client.get("/account/").status_code, 302)


class ProjectClientTests(TestCase):
    client_class = ShopClient

    def test_project_client_signs_in(self) -> None:
        self.client.sign_in_as("linus")
        self.assertContains(self.client.get("/account/"), "Signed in as linus")

    def test_project_client_keeps_the_cart_across_login(self) -> None:
        self.client.add_to_cart("pen")
        self.client.sign_in_as("linus")
        # Django keeps an anonymous session's data across login, under a new key.
        self.assertEqual(self.client.get("/cart/").json(), {"cart": ["pen"]})
        self.client.add_to_cart("ink")
        self.assertEqual(self.client.session["cart"], ["pen", "ink"])
