"""Issue 15: the fleet rotation of test_rotation.py on hardsess's signed-cookie engine.

The session lives in the cookie, signed once by hardsess.backends.signed_cookies with the
fleet's keyring: rotating that keyring through stages 0 to 4 under load must log nobody out,
as it does for every other store, and after stage 4 a cookie K1 signed is refused everywhere.
A file of its own (not a parametrisation of test_rotation.py): the fleet's stores are changing
under another issue.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from hardsess.backends.signed_cookies import ENGINE
from tests.fleet.loadgen import run_fleet
from tests.fleet.stores import store_env
from tests.fleet.test_rotation import THINK, USERS, assert_clean_rotation, show


@pytest.mark.slow
def test_rolling_rotation_on_the_hardsess_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with store_env("signed_cookies", tmp_path) as base:
        env = {**base, "HARDSESS_FLEET_ENGINE": ENGINE}
        # One ASGI server among the three, as for Django's signed_cookies: the async path.
        report = asyncio.run(
            run_fleet(
                "signed_cookies", env, tmp_path / "logs", users=USERS, think=THINK, with_asgi=True
            )
        )
    show(report, capsys)
    assert_clean_rotation(report)
