"""Real services for the tests: Redis and PostgreSQL when configured, loopback ports for servers.

Outside CI a missing service skips the tests that need it, with the reason; under CI (``CI`` set)
it fails them, so a green CI run has really exercised every store.
"""

from __future__ import annotations

import os
import socket

import pytest

REDIS_URL = os.environ.get("HARDSESS_TEST_REDIS_URL")
DATABASE_URL = os.environ.get("HARDSESS_TEST_DATABASE_URL")


def require(available: bool, what: str) -> None:
    """Skip (locally) or fail (under CI) a test whose real service is missing."""
    if available:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is required under CI but is not available")
    pytest.skip(f"{what} not available here (set it up to run this test)")


def require_redis() -> str:
    require(REDIS_URL is not None, "Redis (HARDSESS_TEST_REDIS_URL)")
    assert REDIS_URL is not None
    return REDIS_URL


def require_postgres() -> str:
    require(DATABASE_URL is not None, "PostgreSQL (HARDSESS_TEST_DATABASE_URL)")
    assert DATABASE_URL is not None
    return DATABASE_URL


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
