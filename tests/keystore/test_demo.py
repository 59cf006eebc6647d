"""examples/demo_keystore.py, the key-store part of `make demo`: a rotation without a restart."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow  # a process running the whole demo
def test_the_keystore_demo_rotates_and_revokes_without_a_restart() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo_keystore.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "the first key, primary now" in out
    assert "cookie re-signed by" in out
    assert "past the overlap: steady" in out
    assert "alice -> {'user': 'alice'} (she kept using the site)" in out
    assert "EVERY user is logged out" in out
    assert "alice -> {'user': None}" in out
    assert "=verify" not in out.rpartition("store:")[2]  # no retired key came back
