"""Smoke test: each part of the peer benchmark (benchmarks/peers.py) runs and prints its rows.

Two rounds of batches of five (the gunicorn part: two rounds of a second each): this proves
the benchmark still works and measures nothing (speed belongs to ``make bench``). The callgrind
part is left to ``make bench``: it takes minutes.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow  # a subprocess per part, each starting Django
@pytest.mark.parametrize(
    ("part", "rows"),
    [
        ("signing", ["django set/get_signed_cookie", "floor (one HMAC each way)"]),
        ("engine", ["django engine + firewall", "hardsess engine + firewall", "floor + django"]),
        ("timeouts", ["hardsess idle timeout", "hardsess all on", "SESSION_SAVE_EVERY_REQUEST"]),
        ("realistic", ["firewall only", "hardsess whole (all on)", "floor (firewall + mark"]),
        ("gunicorn", ["throughput   without:", "hardsess whole (all on):", "floor:"]),
    ],
)
def test_peer_benchmark_part_runs(part: str, rows: list[str]) -> None:
    env = {**os.environ, "HARDSESS_BENCH_PEERS_ROUNDS": "2", "HARDSESS_BENCH_PEERS_SMOKE": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.peers", part],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for row in rows:
        assert row in done.stdout, done.stdout
