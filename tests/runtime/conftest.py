"""Fixtures for the cookie firewall tests: keys, a rejection recorder, cookie helpers."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest
from django.http import HttpRequest

from hardsess.firewall import observed
from hardsess.firewall.incoming import once_per_name
from hardsess.keyring import old_key_counter
from hardsess.signals import cookie_rejected

#: Strong by the SECRET_KEY rule (63 characters, 20 distinct), as every keyring secret must be.
K1 = {"id": "k1", "secret": "k1-" + "a1b2c3d4e5f6g7h8i9j0" * 3, "state": "primary"}
K2 = {"id": "k2", "secret": "k2-" + "f6e7d8c9b0a1z2y3x4w5" * 3, "state": "primary"}


def key(entry: dict[str, str], state: str) -> dict[str, str]:
    return {**entry, "state": state}


def flip_last(value: str) -> str:
    """``value`` with the last character of what it carries replaced by a different one.

    Always a real change: appending a fixed character instead (``value[:-1] + "x"``) is a no-op
    whenever the value already ends in that character, and a tamper test then fails at random.
    In an ``hs1b`` wire value the edit is made to the decoded value and encoded again: editing
    the base64url text itself could touch only padding bits (then refused as malformed, not as
    a bad signature). So on any signed value the result is a bad signature.
    """
    if value.startswith("hs1b."):
        head, _, payload = value.rpartition(".")  # base64url holds no "."
        carried = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
        edited = base64.urlsafe_b64encode(_other_last(carried).encode()).rstrip(b"=").decode()
        return f"{head}.{edited}"
    return _other_last(value)


def _other_last(text: str) -> str:
    return text[:-1] + ("A" if text[-1] != "A" else "B")


class Rejections(list[tuple[str, str, bool]]):
    """(cookie name, reason, report_only) of every cookie_rejected signal."""

    def reasons(self) -> dict[str, str]:
        return {name: reason for name, reason, _ in self}


@pytest.fixture
def rejections() -> Iterator[Rejections]:
    seen = Rejections()

    def receiver(
        sender: Any, request: HttpRequest, name: str, reason: str, report_only: bool, **kw: Any
    ) -> None:
        assert isinstance(request, HttpRequest)
        seen.append((name, reason, report_only))

    cookie_rejected.connect(receiver)
    yield seen
    cookie_rejected.disconnect(receiver)


@pytest.fixture(autouse=True)
def _fresh_counter() -> Iterator[None]:
    old_key_counter.clear()
    yield
    old_key_counter.clear()


@pytest.fixture(autouse=True)
def _fresh_observations() -> Iterator[None]:
    """Once-per-name lines and observations start from nothing in every test."""
    once_per_name.clear()
    observed.reset()
    yield
    once_per_name.clear()
    observed.reset()
