"""The fixtures a team adds next to pytest-django's own."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from shop.testing import ShopClient, make_user


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def shop_client() -> ShopClient:
    return ShopClient()


@pytest.fixture
def customer(db: None) -> Any:
    return make_user("ada")
