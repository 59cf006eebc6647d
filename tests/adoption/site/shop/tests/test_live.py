from __future__ import annotations

import re

import requests
from django.conf import settings
from django.test import LiveServerTestCase

from shop.testing import PASSWORD, make_user


class LiveServerTests(LiveServerTestCase):
    def test_session_cookie_copied_from_the_test_client(self) -> None:
        # What a Selenium or Playwright test does: sign in with the fast test client, then hand
        # the session cookie to a real HTTP client.
        self.client.force_login(make_user("ada"))
        name = settings.SESSION_COOKIE_NAME
        cookies = {name: self.client.cookies[name].value}
        response = requests.get(
            f"{self.live_server_url}/account/", cookies=cookies, allow_redirects=False, timeout=10
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("Signed in as ada", response.text)

    def test_sign_in_through_the_form(self) -> None:
        make_user("grace")
        with requests.Session() as browser:
            page = browser.get(f"{self.live_server_url}/accounts/login/", timeout=10)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
            assert token is not None
            response = browser.post(
                f"{self.live_server_url}/accounts/login/",
                data={"username": "grace", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
                timeout=10,
            )
            self.assertEqual(response.status_code, 200)
            self.assertIn("Signed in as grace", response.text)

    def test_anonymous_is_redirected(self) -> None:
        response = requests.get(
            f"{self.live_server_url}/account/", allow_redirects=False, timeout=10
        )
        self.assertEqual(response.status_code, 302)
