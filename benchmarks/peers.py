"""Issue 15: hardsess against the floor and against the peers, in the same run.

Six parts, each in a child process with its own settings module:

* ``signing``: one cookie signed and verified, per implementation: hardsess's wire format
  (``hardsess.firewall.signing``), Django's signed cookies (what ``set_signed_cookie`` and
  ``get_signed_cookie`` call: ``get_cookie_signer(salt=name + salt)``, a TimestampSigner whose
  key is derived per call), itsdangerous' ``TimestampSigner``, and the floor (one HMAC-SHA256
  each way and a constant-time comparison). Goals: hardsess >= 4x faster than Django, >= 2x
  than itsdangerous.
* ``engine``: the runtime benchmark's view (reads the session, sets two cookies; full stack) on
  a ``signed_cookies`` session: Django's engine without hardsess (the baseline), Django's engine
  behind the firewall, hardsess's engine (``hardsess.backends.signed_cookies``) behind the
  firewall, and the floor (``benchmarks.floors.FirewallFloor``) on Django's engine. Goal:
  hardsess's engine + firewall / Django's engine alone <= 1.00.
* ``timeouts``: an idle timeout, three ways, on the lifecycle benchmark's authenticated view
  (``db`` engine): hardsess's lifecycle (IDLE_TIMEOUT alone, and every option on),
  django-security's ``SessionExpiryPolicyMiddleware``, and ``SESSION_SAVE_EVERY_REQUEST``
  (Django's expiry refreshed by a session write per request); beside them the lifecycle's
  floor (``benchmarks.floors.MarkLookupFloor``: one read of the user's mark through the db
  store), and, with a Redis for the marks (``HARDSESS_BENCH_REDIS_URL``), every option on with
  the marks in Redis and its floor (``CacheMarkLookupFloor``). Goal: all on adds at most 1.25x
  what its floor adds (printed by the instructions part).
* ``realistic``: a view that renders a template with the user, reads the session, runs two
  queries and sets a cookie (``db`` engine): without hardsess, with the firewall, with the
  whole of hardsess (firewall + lifecycle, every option on), and their floor (the firewall's
  and one mark read). Goal: the whole adds <= 3 %.
* ``gunicorn``: the realistic page under two gunicorn servers on loopback (2 sync workers
  each), one without hardsess, one with the whole of it, loaded in alternation
  (benchmarks/_gunicorn.py). Goal: throughput >= 97 % of the server without it.
* ``instructions``: the ``signing`` (per value), ``engine``, ``timeouts`` and ``realistic``
  variants counted by valgrind's callgrind: each variant runs N1 and N2 requests (or sign +
  verify rounds) in two processes, and (Ir(N2) - Ir(N1)) / (N2 - N1) is the instructions per
  request, start-up cancelled.
  Skipped (and said so) without valgrind.

CPU time: interleaved batches, per-round paired ratios (benchmarks/_measure.py).
``python -m benchmarks peers`` runs all six; ``python -m benchmarks.peers PART`` one; rounds:
``HARDSESS_BENCH_PEERS_ROUNDS`` (31); callgrind request counts: ``HARDSESS_BENCH_CALLGRIND``
("200,1200").
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks._measure import compare, interleaved, scratch_dir, wsgi_call

ROOT = Path(__file__).resolve().parents[1]
ROUNDS = int(os.environ.get("HARDSESS_BENCH_PEERS_ROUNDS", "31"))
#: ``HARDSESS_BENCH_PEERS_SMOKE=1``: batches of 5 (the test suite's smoke test: runs, not timing).
SMOKE = os.environ.get("HARDSESS_BENCH_PEERS_SMOKE") == "1"


def _batch(size: int) -> int:
    return 5 if SMOKE else size


COUNTS = tuple(int(n) for n in os.environ.get("HARDSESS_BENCH_CALLGRIND", "200,1200").split(","))
PARTS = ("signing", "engine", "timeouts", "realistic", "gunicorn", "instructions")
FIREWALL = "hardsess.middleware.HardSessMiddleware"
FLOOR = "benchmarks.floors.FirewallFloor"
DJANGO_COOKIES = "django.contrib.sessions.backends.signed_cookies"
HARDSESS_COOKIES = "hardsess.backends.signed_cookies"
DB_ENGINE = "django.contrib.sessions.backends.db"
DJANGO_SECURITY = "benchmarks._django_security.DjangoSecurityExpiry"

#: engine part: name -> (firewall middleware or None, SESSION_ENGINE)
ENGINE_VARIANTS: dict[str, tuple[str | None, str]] = {
    "django engine alone": (None, DJANGO_COOKIES),
    "django engine + firewall": (FIREWALL, DJANGO_COOKIES),
    "hardsess engine + firewall": (FIREWALL, HARDSESS_COOKIES),
    "floor + django engine": (FLOOR, DJANGO_COOKIES),
    # Django's default engine (SQLite file): the firewall against the floor there too.
    "db alone": (None, DB_ENGINE),
    "db + firewall": (FIREWALL, DB_ENGINE),
    "floor + db": (FLOOR, DB_ENGINE),
}
ENGINE_BASELINE = "django engine alone"

IDLE = 30 * 60
LIFECYCLE = "hardsess.sessions.SessionLifecycleMiddleware"
#: The floors of the lifecycle (benchmarks/floors.py): one read of the user's mark, nothing else.
FLOOR_DB = "floor: one mark read (db)"
FLOOR_REDIS = "floor: one mark read (Redis)"
ALL_ON_REDIS = "hardsess all on, Redis marks"
#: timeouts part: name -> (extra middleware, HARDSESS["SESSION"], SESSION_SAVE_EVERY_REQUEST);
#: {"all": True, ...}: lifecycle_site's every option on, with the other keys over it.
TIMEOUT_VARIANTS: dict[str, tuple[str | None, dict[str, Any], bool]] = {
    "without": (None, {}, False),
    FLOOR_DB: ("benchmarks.floors.MarkLookupFloor", {}, False),
    "hardsess idle timeout": (
        LIFECYCLE,
        {"IDLE_TIMEOUT": IDLE, "ACTIVITY_WRITE_INTERVAL": 60},
        False,
    ),
    "hardsess all on": (LIFECYCLE, {"all": True}, False),
    "django-security expiry": (DJANGO_SECURITY, {}, False),
    "SESSION_SAVE_EVERY_REQUEST": (None, {}, True),
}
#: Run only with a Redis for the marks (lifecycle_site.REDIS_URL: HARDSESS_BENCH_REDIS_URL or
#: HARDSESS_TEST_REDIS_URL), as benchmarks/lifecycle_request.py configures it.
REDIS_TIMEOUT_VARIANTS: dict[str, tuple[str | None, dict[str, Any], bool]] = {
    FLOOR_REDIS: ("benchmarks.floors.CacheMarkLookupFloor", {}, False),
    ALL_ON_REDIS: (
        LIFECYCLE,
        {"all": True, "REVOCATION": "cache", "REVOCATION_CACHE": "marks"},
        False,
    ),
}
#: For the instructions part: each all-on variant's added cost against its floor's.
ALL_ON_FLOORS = {"hardsess all on": FLOOR_DB, ALL_ON_REDIS: FLOOR_REDIS}


def _timeout_variants() -> dict[str, tuple[str | None, dict[str, Any], bool]]:
    """TIMEOUT_VARIANTS, and the Redis ones when lifecycle_site has a Redis for the marks."""
    from benchmarks import lifecycle_site

    if not lifecycle_site.REDIS_URL:
        return dict(TIMEOUT_VARIANTS)
    return {**TIMEOUT_VARIANTS, **REDIS_TIMEOUT_VARIANTS}


def _env(settings_module: str, **extra: str) -> dict[str, str]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, **extra}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return env


def main() -> None:
    for part in PARTS:
        subprocess.run([sys.executable, "-m", "benchmarks.peers", part], check=True)


def _have_django_security() -> bool:
    try:
        import security.middleware  # noqa: F401
    except Exception:
        return False
    return True


# -- signing --------------------------------------------------------------------------------


#: signing part: the two values of the README's table (one needs base64url in hardsess's format).
SIGNING_VALUES = {"theme=dark;lang=en": "hs1b", "dark-mode_v2": "hs1"}


def _signing_runs(value: str) -> dict[str, Callable[[], None]]:
    """One sign + verify of ``value`` per implementation (Django configured here)."""
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(SECRET_KEY="bench-only-" + "s" * 50)
        django.setup()
    import binascii
    import hmac

    from django.core import signing as django_signing

    from hardsess.firewall import signing
    from hardsess.keyring import load_keyring

    name, salt = "prefs", ""
    now = int(time.time())
    ring = load_keyring(None, settings.SECRET_KEY, [])

    def hardsess_round() -> None:
        wire = signing.sign(ring.primary, name, value, now + 3600)
        assert not isinstance(signing.verify(ring, name, wire, now), str)

    def django_round() -> None:
        # HttpResponse.set_signed_cookie and HttpRequest.get_signed_cookie, minus the Morsel.
        wire = django_signing.get_cookie_signer(salt=name + salt).sign(value)
        assert django_signing.get_cookie_signer(salt=name + salt).unsign(wire, max_age=3600)

    runs: dict[str, Callable[[], None]] = {
        "hardsess": hardsess_round,
        "django set/get_signed_cookie": django_round,
    }
    try:
        import itsdangerous
    except ImportError:
        print("  itsdangerous not installed: its row is left out (pip install itsdangerous)")
    else:
        signer = itsdangerous.TimestampSigner(settings.SECRET_KEY, salt=name)

        def itsdangerous_round() -> None:
            wire = signer.sign(value)
            assert signer.unsign(wire, max_age=3600)

        runs["itsdangerous TimestampSigner"] = itsdangerous_round

    template = hmac.new(b"floor-" + b"f" * 32, digestmod="sha256")
    urlsafe = bytes.maketrans(b"+/", b"-_")

    def mac(text: str) -> str:
        h = template.copy()
        h.update(text.encode())
        return binascii.b2a_base64(h.digest(), newline=False)[:43].translate(urlsafe).decode()

    def floor_round() -> None:
        wire = mac(f"{name}\x00{value}") + "." + value
        given, _, carried = wire.partition(".")
        assert hmac.compare_digest(mac(f"{name}\x00{carried}"), given)

    runs["floor (one HMAC each way)"] = floor_round
    return runs


def _signing() -> None:
    for value in SIGNING_VALUES:
        runs = _signing_runs(value)
        times = interleaved(runs, batch=_batch(2000), rounds=ROUNDS)
        print(
            f"one cookie ({value!r}) signed + verified, median CPU time ({ROUNDS} rounds of 2000, "
            f"interleaved; load average {os.getloadavg()[0]:.1f}):"
        )
        for variant in runs:
            if variant == "hardsess":
                continue
            c = compare(times, variant, "hardsess")
            print(
                f"  {variant:<30} {c.variant * 1e6:6.2f} us   "
                f"hardsess {c.baseline * 1e6:5.2f} us   {variant} / hardsess = {c.ratio:.2f}x "
                f"(IQR {c.low:.2f}-{c.high:.2f})"
            )


# -- engine ---------------------------------------------------------------------------------


def _engine_handlers(
    names: list[str] | None = None,
) -> dict[str, tuple[Callable[[], None], Callable[[], None]]]:
    """(prepare, one request) per engine variant. ``prepare`` (untimed, before each batch) puts
    the variant's SESSION_ENGINE in settings and rebuilds the firewall's snapshot: the
    firewall recognises hardsess's engine from the settings in force, as in a deployment."""
    if "HARDSESS_BENCH_SQLITE" not in os.environ:  # the db variants need a real file
        os.environ["HARDSESS_BENCH_SQLITE"] = str(scratch_dir("hardsess-bench-peers-") / "db")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.core.management import call_command
    from django.test import RequestFactory, override_settings

    from hardsess.firewall import snapshot

    call_command("migrate", verbosity=0)

    factory = RequestFactory()
    runs: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
    for name, (firewall, engine) in ENGINE_VARIANTS.items():
        if names is not None and name not in names:
            continue
        middleware = [m for m in settings.MIDDLEWARE if "hardsess" not in m]
        if firewall:
            middleware.insert(1, firewall)

        def prepare(engine: str = engine) -> None:
            settings.SESSION_ENGINE = engine
            snapshot.clear_cache()
            snapshot.current_snapshot()

        prepare()
        with override_settings(MIDDLEWARE=middleware, SESSION_ENGINE=engine):
            handler = WSGIHandler()
        prepare()  # override_settings' exit restored the module's engine

        def call(path: str, cookie: str, handler: Any = handler) -> Any:
            return wsgi_call(handler, factory, path, cookie)

        login = call("/login/", "")
        cookie = "; ".join(f"{m.key}={m.coded_value}" for m in login.cookies.values())
        assert call("/bench/", cookie).content == b"hello alice", name

        def one(call: Callable[[str, str], Any] = call, cookie: str = cookie) -> None:
            call("/bench/", cookie)

        runs[name] = (prepare, one)
    return runs


def _engine() -> None:
    os.environ.update(_env("benchmarks.runtime_site"))
    runs = _engine_handlers()
    times = interleaved(dict(runs), batch=_batch(100), rounds=ROUNDS)
    print(
        f"signed_cookies sessions, in process, CPU time per request ({ROUNDS} rounds of 100, "
        f"interleaved; load average {os.getloadavg()[0]:.1f}); baseline: {ENGINE_BASELINE}:"
    )
    for name in runs:
        baseline = "db alone" if ENGINE_VARIANTS[name][1] == DB_ENGINE else ENGINE_BASELINE
        if name != baseline:
            print(f"  {name:<28} {compare(times, name, baseline).row()}   vs {baseline}")


# -- timeouts -------------------------------------------------------------------------------


def _lifecycle_site_ready(sqlite: Path) -> None:
    """Django set up on benchmarks.lifecycle_site with its SQLite database migrated."""
    os.environ.update(_env("benchmarks.lifecycle_site", HARDSESS_BENCH_SQLITE=str(sqlite)))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _timeout_handlers(
    sqlite: Path, names: list[str] | None = None
) -> dict[str, tuple[Callable[[], None], Callable[[], None]]]:
    _lifecycle_site_ready(sqlite)
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory, override_settings

    from benchmarks import lifecycle_site

    factory = RequestFactory()
    have_security = _have_django_security()
    runs: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
    for name, (extra, options, save_every) in _timeout_variants().items():
        if names is not None and name not in names:
            continue
        if extra == DJANGO_SECURITY and not have_security:
            print(f"  {name}: django-security is not importable here; row left out")
            continue
        session = dict(options)
        if session.pop("all", False):
            session = {**lifecycle_site.HARDSESS["SESSION"], **session}

        def prepare(session: dict[str, Any] = session, save_every: bool = save_every) -> None:
            settings.HARDSESS = {"SESSION": session}
            settings.SESSION_SAVE_EVERY_REQUEST = save_every

        prepare()
        middleware = [*settings.MIDDLEWARE, *([extra] if extra else [])]
        with override_settings(
            MIDDLEWARE=middleware,
            SESSION_INACTIVITY_TIMEOUT=IDLE,  # django-security's setting
            SESSION_EXPIRY_EXEMPT_URLS=[],
        ):
            handler = WSGIHandler()
        jar: dict[str, str] = {}

        def call(path: str, handler: Any = handler, jar: dict[str, str] = jar) -> Any:
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            response = wsgi_call(handler, factory, path, cookie)
            for morsel in response.cookies.values():
                jar[morsel.key] = morsel.coded_value
            return response

        call("/login/")
        first = call("/bench/")
        assert first.content == b"hello alice (dark)", (
            name,
            first.status_code,
            first.content[:200],
        )

        def one(call: Callable[[str], Any] = call) -> None:
            call("/bench/")

        runs[name] = (prepare, one)
    return runs


def _against_without(handlers: Callable[[Path], dict[str, Any]], title: str) -> None:
    """Run the handlers interleaved and print each against the ``without`` variant."""
    tmp = scratch_dir("hardsess-bench-peers-")
    runs = handlers(tmp / "db.sqlite3")
    times = interleaved(dict(runs), batch=_batch(50), rounds=ROUNDS)
    print(
        f"{title}, CPU time per request ({ROUNDS} rounds of 50, interleaved; load average "
        f"{os.getloadavg()[0]:.1f}); baseline: without:"
    )
    for name in runs:
        if name != "without":
            print(f"  {name:<28} {compare(times, name, 'without').row()}")
    shutil.rmtree(tmp, ignore_errors=True)


def _timeouts() -> None:
    _against_without(_timeout_handlers, "idle timeouts (db engine, authenticated view)")


# -- realistic ------------------------------------------------------------------------------

#: realistic part: name -> (middleware after SecurityMiddleware, middleware at the end,
#: HARDSESS["SESSION"] all on?)
REALISTIC_VARIANTS: dict[str, tuple[str | None, str | None, bool]] = {
    "without": (None, None, False),
    "firewall only": (FIREWALL, None, False),
    "hardsess whole (all on)": (FIREWALL, "hardsess.sessions.SessionLifecycleMiddleware", True),
    # Not hardsess: the least the whole of it must spend here, the firewall's floor and the one
    # mark read that revocation cannot skip (benchmarks/floors.py).
    "floor (firewall + mark read)": (FLOOR, "benchmarks.floors.MarkLookupFloor", False),
}


def _realistic_handlers(
    sqlite: Path, names: list[str] | None = None
) -> dict[str, tuple[Callable[[], None], Callable[[], None]]]:
    """A template with the user, the session read, two queries, one cookie set (db engine)."""
    _lifecycle_site_ready(sqlite)
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory, override_settings

    from benchmarks import lifecycle_site

    factory = RequestFactory()
    runs: dict[str, tuple[Callable[[], None], Callable[[], None]]] = {}
    for name, (first_extra, last_extra, all_on) in REALISTIC_VARIANTS.items():
        if names is not None and name not in names:
            continue
        session = dict(lifecycle_site.HARDSESS["SESSION"]) if all_on else {}

        def prepare(session: dict[str, Any] = session) -> None:
            settings.HARDSESS = {"SESSION": session}

        prepare()
        middleware = list(settings.MIDDLEWARE)
        if first_extra:
            middleware.insert(1, first_extra)
        if last_extra:
            middleware.append(last_extra)
        with override_settings(MIDDLEWARE=middleware):
            handler = WSGIHandler()
        jar: dict[str, str] = {}

        def call(path: str, handler: Any = handler, jar: dict[str, str] = jar) -> Any:
            cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
            response = wsgi_call(handler, factory, path, cookie)
            for morsel in response.cookies.values():
                jar[morsel.key] = morsel.coded_value
            return response

        call("/login/")
        first = call("/page/")
        assert b"Signed in as alice" in first.content, (name, first.status_code)

        def one(call: Callable[[str], Any] = call) -> None:
            call("/page/")

        runs[name] = (prepare, one)
    return runs


def _realistic() -> None:
    _against_without(
        _realistic_handlers,
        "a realistic request (template with the user, session, two queries, one cookie; db engine)",
    )


# -- gunicorn -------------------------------------------------------------------------------


def _gunicorn_realistic() -> None:
    """The realistic page under gunicorn: without hardsess, the whole of it (all on), and the
    floor of the whole (the firewall's and one mark read), three servers loaded in turn."""
    from benchmarks import _gunicorn

    tmp = scratch_dir("hardsess-bench-peers-")
    _lifecycle_site_ready(tmp / "without.sqlite3")
    # The same migrated database for each server, each its own file: no lock shared between them.
    shutil.copy(tmp / "without.sqlite3", tmp / "whole.sqlite3")
    shutil.copy(tmp / "without.sqlite3", tmp / "floor.sqlite3")
    rounds = max(5, ROUNDS // 6)
    app = "benchmarks.lifecycle_site:application"

    def serve(stack: str) -> Any:
        env = _env("benchmarks.lifecycle_site", HARDSESS_BENCH_STACK=stack,
                   HARDSESS_BENCH_SQLITE=str(tmp / f"{stack}.sqlite3"))  # fmt: skip
        return _gunicorn.gunicorn(app, env)

    with serve("without") as plain, serve("whole") as whole, serve("floor") as floor:
        servers = {"without": plain, "hardsess whole (all on)": whole, "floor": floor}
        cookies = {name: _gunicorn.login(port) for name, (port, _) in servers.items()}
        for name, (port, _) in servers.items():
            page = _gunicorn.get(port, "/page/", cookies[name])
            assert page.status == 200, (name, page.status)
        result = _gunicorn.alternate(
            servers, "/page/", cookies, 2 if SMOKE else rounds, seconds=1 if SMOKE else 4
        )
    print(
        f"the realistic page under gunicorn (2 sync workers, {result.tool}, {result.rounds} x "
        f"{result.seconds} s each, alternating; load average {os.getloadavg()[0]:.1f}):"
    )
    print(result.report("without", "hardsess whole (all on)"))
    print(result.report("without", "floor"))
    shutil.rmtree(tmp, ignore_errors=True)


# -- instructions ---------------------------------------------------------------------------


def _count(part: str, variant: str, requests: int) -> None:
    """Child of callgrind: set ``variant`` up, then run it ``requests`` times."""
    if part.startswith("signing "):  # "signing <value>": one sign + verify per "request"
        one = _signing_runs(part.removeprefix("signing "))[variant]
        for _ in range(requests):
            one()
        return
    if part == "engine":
        os.environ.update(_env("benchmarks.runtime_site"))
        prepare, one = _engine_handlers([variant])[variant]
    elif part == "realistic":
        tmp = Path(tempfile.mkdtemp(prefix="hardsess-bench-cg-"))
        prepare, one = _realistic_handlers(tmp / "db.sqlite3", [variant])[variant]
    else:
        tmp = Path(tempfile.mkdtemp(prefix="hardsess-bench-cg-"))
        prepare, one = _timeout_handlers(tmp / "db.sqlite3", [variant])[variant]
    prepare()
    for _ in range(requests):
        one()


def _instructions_of(part: str, variant: str, requests: int, tmp: Path) -> int:
    out = tmp / f"cg-{part}-{abs(hash(variant))}-{requests}.out"
    settings_module = "benchmarks.runtime_site" if part == "engine" else "benchmarks.lifecycle_site"
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            f"--callgrind-out-file={out}",
            sys.executable,
            "-m",
            "benchmarks.peers",
            "count",
            part,
            variant,
            str(requests),
        ],
        # A fixed hash seed: string hashing randomised per process moved one variant's count
        # by 10-15k instructions per request between runs, as much as a cut being measured.
        env=_env(settings_module, PYTHONHASHSEED="0"),
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for line in out.read_text().splitlines():
        if line.startswith("summary:"):
            return int(line.split()[1])
    raise RuntimeError(f"no summary in {out}")


def _instructions() -> None:
    if shutil.which("valgrind") is None:
        print("instructions: valgrind is not installed; part skipped")
        return
    tmp = Path(tempfile.mkdtemp(prefix="hardsess-bench-callgrind-"))
    signing_variants = list(_signing_runs(next(iter(SIGNING_VALUES))))
    for part, variants, baseline in (
        # Per "request" here: one sign + verify; the ratios are each peer's cost / hardsess's.
        *((f"signing {value}", signing_variants, "hardsess") for value in SIGNING_VALUES),
        ("engine", list(ENGINE_VARIANTS), ENGINE_BASELINE),
        ("timeouts", list(_timeout_variants()), "without"),
        ("realistic", list(REALISTIC_VARIANTS), "without"),
    ):
        # A timeouts request costs about 8x an engine one (SQLite, the user): fewer of them.
        low, high = (
            COUNTS
            if part != "timeouts" and part != "realistic"
            else (COUNTS[0] // 4, COUNTS[1] // 4)
        )
        print(f"instructions per request (callgrind, (Ir({high}) - Ir({low})) / {high - low}):")
        if part == "timeouts" and not _have_django_security():
            variants = [v for v in variants if TIMEOUT_VARIANTS.get(v, ("",))[0] != DJANGO_SECURITY]
        per: dict[str, float] = {}
        for variant in variants:
            a = _instructions_of(part, variant, low, tmp)
            b = _instructions_of(part, variant, high, tmp)
            per[variant] = (b - a) / (high - low)
        for variant in variants:
            base = baseline
            if part == "engine" and ENGINE_VARIANTS[variant][1] == DB_ENGINE:
                base = "db alone"
            extra = per[variant] - per[base]
            print(
                f"  {part:<8} {variant:<28} {per[variant] / 1000:8.1f}k   "
                f"ratio {per[variant] / per[base]:.3f}   added {extra / 1000:+7.1f}k"
            )
        if part == "timeouts":
            # Issue 15's goal: every option on adds at most 1.25x what its floor adds.
            for all_on, floor in ALL_ON_FLOORS.items():
                if all_on in per and floor in per:
                    added, floor_added = per[all_on] - per[baseline], per[floor] - per[baseline]
                    print(
                        f"  {part:<8} {all_on} added / {floor} added = "
                        f"{added / floor_added:.2f}x (goal <= 1.25x)"
                    )
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    args = sys.argv[1:]
    if args[:1] == ["count"]:
        _count(args[1], args[2], int(args[3]))
    else:
        part = args[0] if args else ""
        {
            "signing": _signing,
            "engine": _engine,
            "timeouts": _timeouts,
            "realistic": _realistic,
            "gunicorn": _gunicorn_realistic,
            "instructions": _instructions,
        }.get(part, main)()
