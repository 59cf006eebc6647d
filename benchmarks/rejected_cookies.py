"""What a header full of junk cookies can make the firewall spend (issue 10, item 3).

One process, the site of benchmarks.runtime_site with the firewall, Django's full stack, the
``hardsess`` logger writing WARNINGs to a real (null) stream so that formatting each line is
paid as in production. Three requests in interleaved batches (benchmarks/_measure.py):

* ``plain``: the signed-in user's own cookies;
* ``junk``: the same plus 1,600 cookies in a 16 KB header that each fail verification in the
  way that asks for a deletion (``jN=hs1.``, malformed);
* ``junk-unsigned``: the same count of plain unsigned cookies (rejected as "unsigned");
* ``junk, no firewall``: the ``junk`` header through the same stack without hardsess. Django
  parses every one of those cookies itself (``parse_cookie``): that part of the cost is the
  floor no firewall can go below, since the firewall must read what Django would read.

Goals: ``junk`` costs at most 3x ``plain`` and its response carries at most 64 deletions.
``python -m benchmarks rejected_cookies``; rounds: ``HARDSESS_BENCH_JUNK_ROUNDS`` (default 21).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._measure import compare, interleaved, scratch_dir, wsgi_call

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HARDSESS_BENCH_JUNK_ROUNDS", "21"))
BATCH = 20
JUNK = 1600


def main() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.runtime_site"}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    subprocess.run([sys.executable, "-m", "benchmarks.rejected_cookies"], check=True, env=env)


def _run() -> None:
    tmp = scratch_dir("hardsess-bench-junk-")
    os.environ["HARDSESS_BENCH_SQLITE"] = str(tmp / "db.sqlite3")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import RequestFactory, override_settings

    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as sink:  # the log handler formats every line, as in production
        handler_log = logging.StreamHandler(sink)
        hardsess_logger = logging.getLogger("hardsess")
        hardsess_logger.addHandler(handler_log)
        hardsess_logger.setLevel(logging.WARNING)
        without = [m for m in settings.MIDDLEWARE if "hardsess" not in m]
        with override_settings(MIDDLEWARE=without):
            bare = WSGIHandler()
        _measure(WSGIHandler(), bare, RequestFactory())
    shutil.rmtree(tmp, ignore_errors=True)


def _measure(handler: Any, bare: Any, factory: Any) -> None:
    def call(path: str, cookie: str, through: Any = handler) -> Any:
        return wsgi_call(through, factory, path, cookie)

    login = call("/login/", "")
    own = "; ".join(f"{m.key}={m.coded_value}" for m in login.cookies.values())
    assert call("/bench/", own).content == b"hello alice"
    junk = own + "; " + ";".join(f"j{i}=hs1." for i in range(JUNK))
    unsigned = own + "; " + ";".join(f"u{i}=x" for i in range(JUNK))
    response = call("/bench/", junk)
    deletions = sum(1 for m in response.cookies.values() if m["max-age"] == 0)
    header_bytes = sum(len(m.OutputString()) + 12 for m in response.cookies.values())

    def request(cookie: str) -> Callable[[], None]:
        return lambda: call("/bench/", cookie)

    times = interleaved(
        {
            "plain": request(own),
            "junk": request(junk),
            "junk-unsigned": request(unsigned),
            "junk, no firewall": lambda: call("/bench/", junk, bare),
        },
        batch=BATCH,
        rounds=ROUNDS,
    )
    print(
        f"{JUNK} rejected cookies in one request ({len(junk) - len(own)} bytes of header), "
        f"CPU time per request, {ROUNDS} rounds of interleaved batches of {BATCH}; load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores:"
    )
    print(f"  {'variant':<18} {'plain':>10} {'variant':>10} {'ratio':>7}  (per-round spread)")
    for variant in ("junk", "junk-unsigned", "junk, no firewall"):
        print(f"  {variant:<18} {compare(times, variant, 'plain').row()}")
    ratio = compare(times, "junk", "plain").ratio
    print(
        f"  goal: junk <= 3x plain: {'met' if ratio <= 3 else 'NOT met'} ({ratio:.2f}x); "
        f"deletions sent: {deletions} (goal <= 64), Set-Cookie bytes: {header_bytes}"
    )


if __name__ == "__main__":
    _run()
