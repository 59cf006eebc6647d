from __future__ import annotations

from asgiref.sync import sync_to_async
from django.test import TestCase

from shop.testing import PASSWORD, make_user, put_session


class AsyncClientTests(TestCase):
    async def test_anonymous(self) -> None:
        response = await self.async_client.get("/whoami/")
        self.assertEqual(response.json(), {"user": None})

    async def test_aforce_login(self) -> None:
        user = await sync_to_async(make_user)("ada")
        await self.async_client.aforce_login(user)
        self.assertEqual((await self.async_client.get("/whoami/")).json(), {"user": "ada"})
        response = await self.async_client.get("/account/")
        self.assertContains(response, "Signed in as ada")

    async def test_alogin_and_alogout(self) -> None:
        await sync_to_async(make_user)("grace")
        self.assertTrue(await self.async_client.alogin(username="grace", password=PASSWORD))
        self.assertEqual((await self.async_client.get("/whoami/")).json(), {"user": "grace"})
        await self.async_client.alogout()
        self.assertEqual((await self.async_client.get("/whoami/")).json(), {"user": None})

    async def test_asession_write_then_request(self) -> None:
        session = await self.async_client.asession()
        await session.aset("cart", ["pen"])
        await session.asave()
        put_session(self.async_client, session)
        self.assertEqual((await self.async_client.get("/cart/")).json(), {"cart": ["pen"]})
        await self.async_client.post("/cart/add/", {"item": "ink"})
        session = await self.async_client.asession()
        self.assertEqual(await session.aget("cart"), ["pen", "ink"])

    async def test_async_response_cookies(self) -> None:
        response = await self.async_client.post("/theme/set/", {"theme": "dark"})
        self.assertEqual(response.cookies["theme"].value, "dark")
        self.assertEqual((await self.async_client.get("/theme/")).json(), {"theme": "dark"})
