"""examples/demo_runtime.py, the firewall part of `make demo`, runs and shows what it says."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_runtime_demo_shows_signing_refusal_and_rotation() -> None:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    done = subprocess.run(
        [sys.executable, str(ROOT / "examples" / "demo_runtime.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = done.stdout
    assert "theme: key k1 -> k2" in out  # re-signed by the new key on the same response
    assert "(kept)" in out
    assert "stage 4 (k1 retired): a cookie still signed by k1 -> {'user': None" in out
