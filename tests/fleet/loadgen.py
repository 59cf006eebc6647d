"""A round-robin load client and a rolling-restart driver for a fleet of gunicorn servers.

Everything here talks to 127.0.0.1 only, is bounded in count (a fixed number of users) and in
time (every wait has a limit), and stops by itself.

* :class:`Connection` is a minimal HTTP/1.1 keep-alive client on asyncio streams (one per user
  per server), so hundreds of users cost hundreds of sockets, not hundreds of threads.
* :class:`Balancer` is what a load balancer does: global round robin over the servers that are
  in rotation, and draining (out of rotation, wait for in-flight requests) before a restart.
* :class:`User` logs in once, then keeps asking "who am I?" and now and then writes to its
  session. An answer that no longer names the user is a logout.
* :func:`run_fleet` starts three servers at stage 0, starts the users, then for each stage of
  the plan restarts the servers one by one with that stage's keyring, and at the end replays
  cookies captured at stage 0 (signed by the old key) against every server.
"""

from __future__ import annotations

import asyncio
import json
import random
import resource
import secrets
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.fleet.servers import Server

SESSION_COOKIE = "sessionid"
#: An upper bound for every wait of the driver; reaching it means the fleet is stuck.
WAIT_LIMIT = 120.0
#: Requests every user makes in stage 0, after each restart, and in the soak (stage 3). Each
#: user's requests go round the fleet, so one request after a restart already mixes cookies
#: signed by the new server with the servers that are still old.
STEADY = 2
AFTER_RESTART = 1
SOAK = 3
#: Which of the three servers is the ASGI one.
ASGI_SERVER = 2
#: Replacement servers booting ahead of their turn (out of rotation until they take a place).
BOOT_AHEAD = 2
#: A request that takes longer than this is counted as an error (the fleet is not serving).
REQUEST_TIMEOUT = 30.0


# --------------------------------------------------------------------------------------------
# keys and stages (docs/rotation.md, RUNTIME.md)


@dataclass(frozen=True)
class Keys:
    """The two secrets of one rotation from K1 to K2."""

    k1: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    k2: str = field(default_factory=lambda: secrets.token_urlsafe(48))

    def for_stage(self, stage: int) -> list[dict[str, str]]:
        """The keyring deployed at ``stage`` of the rotation table."""
        k1 = {"id": "k1", "secret": self.k1}
        k2 = {"id": "k2", "secret": self.k2}
        if stage == 0:
            return [{**k1, "state": "primary"}]
        if stage == 1:
            return [{**k1, "state": "primary"}, {**k2, "state": "verify"}]
        if stage in (2, 3):
            return [{**k2, "state": "primary"}, {**k1, "state": "verify"}]
        if stage == 4:
            return [{**k2, "state": "primary"}, {**k1, "state": "retired"}]
        raise ValueError(f"no stage {stage}")

    def env(self, stage: int) -> dict[str, str]:
        return {"HARDSESS_FLEET_KEYS": json.dumps(self.for_stage(stage))}


def key_id_of(value: str) -> str:
    """The key id a hardsess-signed value names (wire format hs1/hs1b), or "?"."""
    parts = value.split(".", 2)
    if len(parts) == 3 and parts[0] in ("hs1", "hs1b"):
        return parts[1]
    return "?"


# --------------------------------------------------------------------------------------------
# HTTP


class ProtocolError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header_values(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]


class Connection:
    """One keep-alive HTTP/1.1 connection to 127.0.0.1:port."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, path: str, cookie: str) -> tuple[Response, bool]:
        """Send GET ``path``; returns the response and whether a stale connection was replaced.

        A reused connection that the server closed while idle fails before any byte of the
        response arrives; like every HTTP client, retry that once on a new connection.
        """
        reused = self.writer is not None
        try:
            return await self._request(path, cookie), False
        except (ConnectionError, asyncio.IncompleteReadError, ProtocolError):
            self.close()
            if not reused:
                raise
        return await self._request(path, cookie), True

    async def _request(self, path: str, cookie: str) -> Response:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        head = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\n"
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        self.writer.write((head + "\r\n").encode("latin-1"))
        await self.writer.drain()
        raw = await self.reader.readuntil(b"\r\n\r\n")
        lines = raw.decode("latin-1").split("\r\n")
        try:
            status = int(lines[0].split(" ", 2)[1])
        except (IndexError, ValueError):
            raise ProtocolError(f"bad status line {lines[0]!r}") from None
        headers: list[tuple[str, str]] = []
        for line in lines[1:]:
            if line:
                name, _, value = line.partition(":")
                headers.append((name.strip(), value.strip()))
        response = Response(status, headers, b"")
        if response.header_values("transfer-encoding"):
            response.body = await self._read_chunked()
        else:
            length = response.header_values("content-length")
            if not length:
                raise ProtocolError("response without Content-Length")
            response.body = await self.reader.readexactly(int(length[0]))
        if any(v.lower() == "close" for v in response.header_values("connection")):
            self.close()
        return response

    async def _read_chunked(self) -> bytes:
        assert self.reader is not None
        body = b""
        while True:
            size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
            if size == 0:
                await self.reader.readuntil(b"\r\n")
                return body
            body += await self.reader.readexactly(size)
            await self.reader.readexactly(2)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def parse_set_cookie(header: str) -> tuple[str, str, dict[str, str]]:
    """(name, value, {lower-cased attribute: value}) of one Set-Cookie header."""
    first, *rest = header.split(";")
    name, _, value = first.partition("=")
    attrs: dict[str, str] = {}
    for item in rest:
        key, _, val = item.strip().partition("=")
        attrs[key.lower()] = val
    return name.strip(), value.strip(), attrs


def is_deletion(attrs: Mapping[str, str]) -> bool:
    max_age = attrs.get("max-age")
    if max_age is not None and max_age.lstrip("-").isdigit() and int(max_age) <= 0:
        return True
    return "1970" in attrs.get("expires", "")


# --------------------------------------------------------------------------------------------
# the fleet


@dataclass
class StageStats:
    requests: int = 0
    logouts: int = 0
    fivexx: int = 0
    errors: int = 0
    reconnects: int = 0
    #: Set-Cookie headers without Secure, HttpOnly or SameSite (the firewall must add them).
    unflagged: int = 0
    set_cookies: int = 0
    #: Answers whose write counter was not the one this user last wrote (a lost or stale
    #: session write, e.g. an old cookie re-issued over a newer one).
    stale: int = 0


class Balancer:
    """Global round robin over the servers in rotation; drains one before it is restarted."""

    def __init__(self, servers: Sequence[Server]) -> None:
        self.servers = list(servers)
        self.up = [True] * len(servers)
        self.inflight = [0] * len(servers)
        #: Responses received from each slot of the fleet, whatever process was in it.
        self.served = [0] * len(servers)
        self.next = 0

    def pick(self) -> int:
        for _ in range(len(self.servers)):
            index = self.next % len(self.servers)
            self.next += 1
            if self.up[index]:
                return index
        raise RuntimeError("no server in rotation")

    async def drain(self, index: int) -> None:
        self.up[index] = False
        deadline = time.monotonic() + WAIT_LIMIT
        while self.inflight[index]:
            if time.monotonic() > deadline:
                raise TimeoutError(f"server {index} still has requests in flight")
            await asyncio.sleep(0.005)


@dataclass
class Fleet:
    balancer: Balancer
    stage: str = "0"
    stats: dict[str, StageStats] = field(default_factory=dict)
    stopping: bool = False
    #: Pause between two requests of one user, in seconds (uniform in this range).
    think: tuple[float, float] = (0.5, 1.0)
    events: list[str] = field(default_factory=list)

    def now(self) -> StageStats:
        return self.stats.setdefault(self.stage, StageStats())


def answer(response: Response) -> dict[str, str]:
    """The fleet site's one-line answer, ``user=<id> n=<writes> pid=<pid>``, as a dict."""
    return dict(p.split("=", 1) for p in response.body.decode().split() if "=" in p)


class User:
    """One logged-in user: a cookie jar, one connection per server, a loop of requests."""

    def __init__(self, number: int, fleet: Fleet, rng: random.Random, writes: bool) -> None:
        self.number = number
        self.fleet = fleet
        self.rng = rng
        #: Writers save their session every few requests (a new Set-Cookie each time); readers
        #: never do, so only the firewall's re-issue moves their cookie to the new key.
        self.writes = writes
        self.jar: dict[str, str] = {}
        self.conns: dict[int, Connection] = {}
        self.logged_in = False
        self.requests = 0
        self.logouts = 0
        #: The session's write counter as this user last saw it (None: not logged in).
        self.writes_seen: int | None = None

    def cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.jar.items())

    async def fetch(self, path: str) -> Response | None:
        balancer = self.fleet.balancer
        index = balancer.pick()
        conn = self.conns.setdefault(index, Connection(balancer.servers[index].port))
        stats = self.fleet.now()
        balancer.inflight[index] += 1
        try:
            response, reconnected = await asyncio.wait_for(
                conn.request(path, self.cookie_header()), REQUEST_TIMEOUT
            )
        except (OSError, asyncio.IncompleteReadError, ProtocolError, asyncio.TimeoutError) as exc:
            conn.close()
            stats.errors += 1
            self.fleet.events.append(f"stage {self.fleet.stage}: user {self.number} {exc!r}")
            return None
        finally:
            balancer.inflight[index] -= 1
        stats.requests += 1
        balancer.served[index] += 1
        stats.reconnects += reconnected
        if response.status >= 500:
            stats.fivexx += 1
            self.fleet.events.append(
                f"stage {self.fleet.stage}: user {self.number} got {response.status} on {path}"
            )
        for header in response.header_values("set-cookie"):
            name, value, attrs = parse_set_cookie(header)
            stats.set_cookies += 1
            if not ("secure" in attrs and "httponly" in attrs and "samesite" in attrs):
                stats.unflagged += 1
            if is_deletion(attrs):
                self.jar.pop(name, None)
            else:
                self.jar[name] = value
        self.requests += 1
        return response

    def who(self, response: Response) -> str:
        return answer(response).get("user", "-")

    async def login(self) -> None:
        deadline = time.monotonic() + WAIT_LIMIT
        while not self.fleet.stopping and time.monotonic() < deadline:
            response = await self.fetch(f"/login/{self.number}")
            ok = response is not None and response.status == 200
            if ok and response is not None and self.who(response) == str(self.number):
                self.logged_in = True
                self.writes_seen = 0
                return
            await asyncio.sleep(0.1)

    async def run(self) -> None:
        await self.login()
        while not self.fleet.stopping:
            write = self.writes and self.requests % 5 == 4
            response = await self.fetch("/touch" if write else "/whoami")
            if response is None or response.status != 200 or not self.logged_in:
                pass
            elif self.who(response) != str(self.number):
                await self.logged_out(response)
            else:
                self.check_writes(response, wrote=write)
            await asyncio.sleep(self.rng.uniform(*self.fleet.think))

    def check_writes(self, response: Response, wrote: bool) -> None:
        """Each user is sequential: a write adds one, a read sees the last write."""
        counter = int(answer(response).get("n", "-1"))
        expected = None if self.writes_seen is None else self.writes_seen + wrote
        if counter != expected:
            self.fleet.now().stale += 1
            self.fleet.events.append(
                f"stage {self.fleet.stage}: user {self.number} saw write counter {counter}, "
                f"expected {expected}"
            )
        self.writes_seen = counter

    async def logged_out(self, response: Response) -> None:
        self.logouts += 1
        self.fleet.now().logouts += 1
        self.logged_in = False
        if self.fleet.now().logouts <= 5:
            self.fleet.events.append(
                f"stage {self.fleet.stage}: user {self.number} logged out "
                f"(cookie key {key_id_of(self.jar.get(SESSION_COOKIE, ''))}, "
                f"answer {response.body.decode()!r})"
            )
        await self.login()

    def close(self) -> None:
        for conn in self.conns.values():
            conn.close()


# --------------------------------------------------------------------------------------------
# the driver


@dataclass
class Report:
    store: str
    plan: list[int]
    users: int
    stats: dict[str, StageStats]
    events: list[str]
    seconds: float = 0.0
    restarts: int = 0
    kinds: str = "3 WSGI"
    served: list[int] = field(default_factory=list)
    #: Users whose session cookie names each key id at the end of each stage.
    cookie_keys: dict[str, Counter[str]] = field(default_factory=dict)
    #: Every user's stage-0 cookie (signed by K1) replayed to each server after the last stage.
    old_replayed: int = 0
    old_accepted: int = 0
    #: Thirty of the same users' current cookies replayed likewise (must all be accepted).
    current_replayed: int = 0
    current_accepted: int = 0
    #: Fewest requests any user made in each stage (every user was active in every stage).
    min_requests: dict[str, int] = field(default_factory=dict)
    #: (seconds the server was out of rotation, seconds until every user went round) per restart.
    timings: list[tuple[float, float]] = field(default_factory=list)
    #: (phase, seconds since the start) as the run went, and the load client's own CPU seconds.
    phases: list[tuple[str, float]] = field(default_factory=list)
    client_cpu: float = 0.0
    #: CPU seconds of every server process (masters and workers), once they have exited.
    servers_cpu: float = 0.0
    #: Cookies the servers logged as rejected (a warning of the hardsess logger) during the
    #: rotation, and during the replay of old cookies after it.
    rejected_in_rotation: Counter[str] = field(default_factory=Counter)
    #: K1 uses the servers logged (as a non-primary key) in the whole rotation, and in the soak
    #: after every user's first soak request.
    old_key_uses: int = 0
    old_key_uses_late_soak: int = 0
    rejected_in_replay: Counter[str] = field(default_factory=Counter)
    server_tracebacks: int = 0

    def total(self, name: str) -> int:
        return sum(getattr(s, name) for s in self.stats.values())

    def table(self) -> str:
        plan = "-".join(str(s) for s in [0, *self.plan])
        lines = [
            f"fleet [{self.store}] stages {plan}: {self.users} users, 3 servers ({self.kinds}), "
            f"{self.restarts} restarts, {self.total('requests')} requests in {self.seconds:.1f}s "
            f"(per server: {', '.join(map(str, self.served))})",
            "  stage  requests  logouts  5xx  errors  stale  reconnects  set-cookies  unflagged  "
            "min/user  cookie keys",
        ]
        for stage, s in self.stats.items():
            keys = ", ".join(f"{k}:{n}" for k, n in sorted(self.cookie_keys.get(stage, {}).items()))
            lines.append(
                f"  {stage:>5}  {s.requests:>8}  {s.logouts:>7}  {s.fivexx:>3}  {s.errors:>6}  "
                f"{s.stale:>5}  {s.reconnects:>10}  {s.set_cookies:>11}  {s.unflagged:>9}  "
                f"{self.min_requests.get(stage, 0):>8}  {keys}"
            )
        lines.append(
            f"  totals: logouts {self.total('logouts')}, 5xx {self.total('fivexx')}, "
            f"errors {self.total('errors')}, stale {self.total('stale')}; "
            f"after the last stage old-key cookies accepted "
            f"{self.old_accepted}/{self.old_replayed}, current cookies accepted "
            f"{self.current_accepted}/{self.current_replayed}; rejections logged by the servers "
            f"during the rotation {dict(self.rejected_in_rotation)}, during the replay "
            f"{dict(self.rejected_in_replay)}; K1 uses logged {self.old_key_uses}, "
            f"in the late soak {self.old_key_uses_late_soak}; tracebacks {self.server_tracebacks}"
        )
        if self.timings:
            down = sum(t[0] for t in self.timings) / len(self.timings)
            after = sum(t[1] for t in self.timings) / len(self.timings)
            lines.append(
                f"  per restart: {down:.2f}s out of rotation, "
                + f"then {after:.2f}s until every user went round the fleet"
            )
        if self.phases:
            marks = ", ".join(f"{name} {at:.1f}s" for name, at in self.phases)
            lines.append(
                f"  timeline: {marks}; CPU: load client {self.client_cpu:.1f}s, "
                f"servers {self.servers_cpu:.1f}s"
            )
        lines += [f"  event: {e}" for e in self.events[:10]]
        return "\n".join(lines)


async def _wait_for(
    condition: Callable[[], bool], what: str, fleet: Fleet, limit: float = WAIT_LIMIT
) -> None:
    deadline = time.monotonic() + limit
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"gave up waiting for {what}; events: {fleet.events[-5:]}")
        await asyncio.sleep(0.02)


async def _every_user_made(users: Sequence[User], more: int, fleet: Fleet, what: str) -> None:
    """Wait until every user has made ``more`` requests from now on (all servers mixed in)."""
    targets = [u.requests + more for u in users]
    await _wait_for(
        lambda: all(u.requests >= t for u, t in zip(users, targets, strict=True)), what, fleet
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _old_key_uses(servers: Sequence[Server]) -> int:
    """Logged uses of K1 as a non-primary key (the soak's evidence, docs/rotation.md)."""
    return sum(s.log_text().count("verified by non-primary key k1") for s in servers)


def _rejections(servers: Sequence[Server]) -> Counter[str]:
    """Rejections the servers logged, by reason ("hardsess HS203: rejected cookie 'x' (reason)")."""
    reasons: Counter[str] = Counter()
    for server in servers:
        for line in server.log_text().splitlines():
            if line.startswith("WARNING hardsess") and "reject" in line:
                reasons[line.rpartition("(")[2].rstrip(")")] += 1
    return reasons


async def _replay(port: int, cookie_value: str) -> str:
    conn = Connection(port)
    try:
        response, _ = await asyncio.wait_for(
            conn.request("/whoami", f"{SESSION_COOKIE}={cookie_value}"), REQUEST_TIMEOUT
        )
    finally:
        conn.close()
    fields = dict(p.split("=", 1) for p in response.body.decode().split() if "=" in p)
    return fields.get("user", "-")


async def run_fleet(
    store: str,
    env: Mapping[str, str],
    logs: Path,
    plan: Sequence[int] = (1, 2, 3, 4),
    users: int = 200,
    seed: int = 6,
    think: tuple[float, float] = (0.5, 1.0),
    with_asgi: bool = False,
) -> Report:
    """Three servers at stage 0, ``users`` users, then each stage of ``plan`` rolled out.

    Stage 3 (soak) restarts nothing: the fleet runs as in stage 2 while every user comes back.
    """
    started = time.monotonic()
    cpu_started = time.process_time()
    children_started = _children_cpu()
    keys = Keys()
    every_server: list[Server] = []
    stopping: list[asyncio.Task[None]] = []

    def make_server(index: int, stage: int) -> Server:
        # With ``asgi``, the last server runs the ASGI application (the firewall's async path)
        # under gunicorn with uvicorn's worker; otherwise every server runs the WSGI one.
        asgi = with_asgi and index == ASGI_SERVER
        server = Server(
            app=f"tests.fleet.site.{'asgi' if asgi else 'wsgi'}:application",
            settings="tests.fleet.site.settings",
            env={**env, **keys.env(stage)},
            log=logs / f"server{index}-stage{stage}.log",
            worker_class="uvicorn.workers.UvicornWorker" if asgi else "gthread",
        )
        every_server.append(server)
        return server

    servers = [make_server(i, 0) for i in range(3)]
    balancer = Balancer(servers)
    fleet = Fleet(balancer, think=think)
    rng = random.Random(seed)
    crowd = [User(n, fleet, random.Random(rng.random()), writes=n % 2 == 0) for n in range(users)]
    report = Report(store, list(plan), users, fleet.stats, fleet.events)
    report.kinds = "2 WSGI, 1 ASGI" if with_asgi else "3 WSGI"
    tasks: list[asyncio.Task[None]] = []
    per_user_start: dict[str, list[int]] = {}

    def close_stage() -> None:
        report.cookie_keys[fleet.stage] = Counter(
            key_id_of(u.jar.get(SESSION_COOKIE, "")) for u in crowd
        )
        begin = per_user_start[fleet.stage]
        report.min_requests[fleet.stage] = min(
            u.requests - b for u, b in zip(crowd, begin, strict=True)
        )

    def mark(phase: str) -> None:
        report.phases.append((phase, time.monotonic() - started))

    def open_stage(stage: str) -> None:
        mark(f"stage {stage}")
        fleet.stage = stage
        fleet.now()
        per_user_start[stage] = [u.requests for u in crowd]

    try:
        for server in servers:
            server.start()
        for server in servers:
            await asyncio.to_thread(server.wait_ready)
        open_stage("0")
        tasks = [asyncio.create_task(u.run()) for u in crowd]
        await _wait_for(lambda: all(u.logged_in for u in crowd), "every user to log in", fleet)
        mark("logged in")
        await _every_user_made(crowd, STEADY, fleet, "stage 0 traffic")
        # Stage-0 cookies are signed by K1, the only key there is: the replay set.
        old_cookies = {u.number: u.jar[SESSION_COOKIE] for u in crowd}
        close_stage()

        # Every restart of the plan, in order. A replacement process (that stage's keyring in
        # its environment) boots ahead, out of rotation, and takes the drained server's place
        # once it answers: one server changes at a time while the other two serve.
        restarts = [(stage, index) for stage in plan if stage != 3 for index in range(3)]
        standby: dict[tuple[int, int], Server] = {}

        def boot_ahead() -> None:
            for stage, index in restarts[report.restarts : report.restarts + BOOT_AHEAD]:
                if (stage, index) not in standby:
                    standby[stage, index] = make_server(index, stage)
                    standby[stage, index].start()

        boot_ahead()
        for stage in plan:
            open_stage(str(stage))
            if stage == 3:
                # The runbook's signal to retire K1: its use is no longer logged. One request
                # each moves every active user to K2; after that, K1 must not appear again.
                await _every_user_made(crowd, 1, fleet, "the soak")
                early = _old_key_uses(every_server)
                await _every_user_made(crowd, SOAK - 1, fleet, "the soak")
                report.old_key_uses_late_soak = _old_key_uses(every_server) - early
            for index in range(len(servers)) if stage != 3 else ():
                t0 = time.monotonic()
                fresh = standby.pop((stage, index))
                await balancer.drain(index)
                old = balancer.servers[index]
                for user in crowd:
                    conn = user.conns.pop(index, None)
                    if conn is not None:
                        conn.close()
                stopping.append(asyncio.create_task(asyncio.to_thread(old.stop)))
                await asyncio.to_thread(fresh.wait_ready)
                balancer.servers[index] = fresh
                balancer.up[index] = True
                t1 = time.monotonic()
                report.restarts += 1
                boot_ahead()
                # Let every user go round the fleet before the next server goes down.
                await _every_user_made(
                    crowd, AFTER_RESTART, fleet, f"traffic after restart in {stage}"
                )
                report.timings.append((t1 - t0, time.monotonic() - t1))
            close_stage()

        fleet.stopping = True
        await asyncio.wait_for(asyncio.gather(*tasks), WAIT_LIMIT)

        await asyncio.gather(*stopping)
        mark("replay")
        report.rejected_in_rotation = _rejections(every_server)
        report.old_key_uses = _old_key_uses(every_server)
        # Every user's stage-0 cookie to every server; the current cookies of a sample of
        # the same users as the positive control.
        current = {n: crowd[n].jar.get(SESSION_COOKIE, "") for n in list(old_cookies)[:30]}
        ports = [server.port for server in balancer.servers]
        gate = asyncio.Semaphore(50)

        async def accepted(port: int, number: int, value: str) -> bool:
            async with gate:
                return await _replay(port, value) == str(number)

        old_answers = await asyncio.gather(
            *(accepted(p, n, v) for p in ports for n, v in old_cookies.items())
        )
        current_answers = await asyncio.gather(
            *(accepted(p, n, v) for p in ports for n, v in current.items())
        )
        report.old_replayed, report.old_accepted = len(old_answers), sum(old_answers)
        report.current_replayed = len(current_answers)
        report.current_accepted = sum(current_answers)
        report.rejected_in_replay = _rejections(every_server) - report.rejected_in_rotation
    finally:
        fleet.stopping = True
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for user in crowd:
            user.close()
        await asyncio.gather(*stopping, return_exceptions=True)
        for outcome in await asyncio.gather(
            *(asyncio.to_thread(server.stop) for server in every_server), return_exceptions=True
        ):
            if isinstance(outcome, BaseException):
                fleet.events.append(str(outcome))
        report.seconds = time.monotonic() - started
        report.client_cpu = time.process_time() - cpu_started
        report.servers_cpu = _children_cpu() - children_started
        report.served = list(balancer.served)
        report.server_tracebacks = sum(s.log_text().count("Traceback") for s in every_server)
    return report
