"""Servers on loopback for the throughput benchmarks: gunicorn, a load generator, worker CPU.

Servers of the same site, one without and the others with what is measured, loaded in turn
(the order rotating each round) so that a drift of the shared machine hits them alike.
``wrk`` loads them when installed (a C client: it takes less of the two cores the servers
share with it); otherwise a bounded threaded Python client does.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks._measure import round_order

ROOT = Path(__file__).resolve().parents[1]

#: (port, master pid) of a running server.
Server = tuple[int, int]


@contextmanager
def gunicorn(app: str, env: dict[str, str], workers: int = 2) -> Iterator[Server]:
    """A gunicorn serving ``app`` (``module:callable``) with ``env``, until the block ends."""
    from tests.services import free_port

    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            app,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(port, "/", "")
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise
                time.sleep(0.1)
        yield port, process.pid
    finally:
        process.terminate()
        process.wait(timeout=30)


def workers_cpu(master: int) -> float:
    """CPU seconds used so far by the worker processes of a gunicorn master (Linux /proc)."""
    total = 0
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def get(port: int, path: str, cookie: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def login(port: int, path: str = "/login/") -> str:
    """The Cookie header a browser would send after ``GET path``."""
    response = get(port, path, "")
    pairs = [h.split(";", 1)[0] for h in response.headers.get_all("Set-Cookie") or []]
    return "; ".join(pairs)


def load_wrk(port: int, path: str, cookie: str, seconds: int) -> float:
    wrk = shutil.which("wrk")
    assert wrk is not None
    out = subprocess.run(
        [wrk, "-t1", "-c4", f"-d{seconds}s", "-H", f"Cookie: {cookie}",
         f"http://127.0.0.1:{port}{path}"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    match = re.search(r"Requests/sec:\s+([\d.]+)", out)
    if match is None or "Non-2xx" in out:
        raise RuntimeError(f"wrk failed:\n{out}")
    return float(match.group(1))


def load_python(port: int, path: str, cookie: str, seconds: int) -> float:
    """A bounded threaded client: 4 threads, each stops after ``seconds``."""
    counts = [0] * 4
    stop = time.monotonic() + seconds

    def worker(index: int) -> None:
        while time.monotonic() < stop:
            assert get(port, path, cookie).status == 200
            counts[index] += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(4)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(counts) / (time.monotonic() - start)


@dataclass(frozen=True)
class Throughput:
    """Medians of the alternating runs, per server."""

    rate: dict[str, float]  #: requests per second
    cpu: dict[str, float]  #: worker CPU seconds per request
    tool: str
    rounds: int
    seconds: int

    def report(self, without: str, with_: str) -> str:
        a, b = self.rate[without], self.rate[with_]
        ca, cb = self.cpu[without], self.cpu[with_]
        return (
            f"  throughput   {without}: {a:.0f} req/s   {with_}: {b:.0f} req/s   "
            f"ratio {b / a:.3f}\n"
            f"  worker CPU   {without}: {ca * 1e6:.0f} us/req   {with_}: {cb * 1e6:.0f} us/req   "
            f"throughput ratio implied by CPU {ca / cb:.3f}"
        )


def alternate(
    servers: dict[str, Server], path: str, cookies: dict[str, str], rounds: int, seconds: int = 4
) -> Throughput:
    """Load each server in turn for ``seconds``, ``rounds`` times, the order rotating and
    reversing each round (``round_order``, as the in-process batches)."""
    load: Callable[[int, str, str, int], float] = load_wrk if shutil.which("wrk") else load_python
    rates: dict[str, list[float]] = {name: [] for name in servers}
    cpu: dict[str, list[float]] = {name: [] for name in servers}
    for name, (port, _) in servers.items():  # warm-up
        load(port, path, cookies[name], 1)
    names = list(servers)
    for round_number in range(rounds):
        for name in round_order(names, round_number):
            port, master = servers[name]
            before = workers_cpu(master)
            rate = load(port, path, cookies[name], seconds)
            used = workers_cpu(master) - before
            rates[name].append(rate)
            cpu[name].append(used / (rate * seconds))
    return Throughput(
        rate={name: statistics.median(values) for name, values in rates.items()},
        cpu={name: statistics.median(values) for name, values in cpu.items()},
        tool="wrk -t1 -c4" if load is load_wrk else "python client, 4 threads",
        rounds=rounds,
        seconds=seconds,
    )
