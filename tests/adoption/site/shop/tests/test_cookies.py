from __future__ import annotations

from django.test import TestCase

from shop.views import ONE_YEAR


class ThemeCookieTests(TestCase):
    def test_set_cookie_is_in_the_response_and_sent_back(self) -> None:
        response = self.client.post("/theme/set/", {"theme": "dark"})
        morsel = response.cookies["theme"]
        self.assertEqual(morsel.value, "dark")
        self.assertEqual(morsel["max-age"], ONE_YEAR)
        self.assertEqual(morsel["path"], "/")
        self.assertEqual(morsel["samesite"], "Lax")
        self.assertEqual(self.client.cookies["theme"].value, "dark")
        self.assertEqual(self.client.get("/theme/").json(), {"theme": "dark"})

    def test_deleted_cookie_is_gone(self) -> None:
        self.client.post("/theme/set/", {"theme": "dark"})
        response = self.client.post("/theme/reset/")
        morsel = response.cookies["theme"]
        self.assertEqual(morsel.value, "")
        self.assertEqual(morsel["max-age"], 0)
        self.assertEqual(morsel["expires"], "Thu, 01 Jan 1970 00:00:00 GMT")
        self.assertEqual(self.client.get("/theme/").json(), {"theme": None})

    def test_cookie_put_in_the_jar_by_the_test(self) -> None:
        self.client.cookies["theme"] = "light"
        self.assertEqual(self.client.get("/theme/").json(), {"theme": "light"})

    def test_cookie_passed_per_request(self) -> None:
        response = self.client.get("/theme/", headers={"cookie": "theme=sepia"})
        self.assertEqual(response.json(), {"theme": "sepia"})

    def test_csrf_cookie_matches_the_form_token(self) -> None:
        response = self.client.get("/accounts/login/")
        self.assertIn("csrftoken", response.cookies)
        self.assertEqual(len(self.client.cookies["csrftoken"].value), 32)

    def test_theme_cookie_is_readable_by_javascript(self) -> None:
        # The page's script reads the theme before the stylesheet loads.
        morsel = self.client.post("/theme/set/", {"theme": "dark"}).cookies["theme"]
        self.assertFalse(morsel["httponly"])


class PromoCookieTests(TestCase):
    def test_signed_cookie_round_trip(self) -> None:
        response = self.client.get("/promo/SPRING/")
        self.assertTrue(response.cookies["promo"].value.startswith("SPRING:"))
        self.assertEqual(self.client.get("/promo/").json(), {"promo": "SPRING"})

    def test_tampered_signed_cookie_is_ignored(self) -> None:
        self.client.get("/promo/SPRING/")
        value = self.client.cookies["promo"].value
        self.client.cookies["promo"] = value.replace("SPRING", "FREE", 1)
        self.assertEqual(self.client.get("/promo/").json(), {"promo": None})


class MessagesTests(TestCase):
    def test_message_survives_the_redirect(self) -> None:
        response = self.client.post("/newsletter/", {"email": "ada@example.com"}, follow=True)
        self.assertContains(response, "<p class=message>Subscribed ada@example.com</p>")
        self.assertNotContains(self.client.get("/"), "Subscribed")

    def test_message_cookie_is_set_and_then_deleted(self) -> None:
        response = self.client.post("/newsletter/", {"email": "ada@example.com"})
        self.assertTrue(response.cookies["messages"].value)
        shown = self.client.get("/")
        self.assertEqual(shown.cookies["messages"]["max-age"], 0)
