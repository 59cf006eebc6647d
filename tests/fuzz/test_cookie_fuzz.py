"""Fuzz the cookie firewall through real Django request/response cycles (the test client's
WSGI and ASGI handlers, with the project's whole MIDDLEWARE stack, HardSessMiddleware included).

The site first sets cookies in three keyring stages: ``k0`` (a key now retired), ``k1`` (now a
verify key) and ``k2`` (now primary); what the firewall put on the wire is the pool of genuine
values. Hypothesis then builds Cookie headers from random bytes, unicode, quoting, huge values,
duplicate names and mutations of the genuine values (truncated, flipped, key ids swapped,
expiry edited, tags swapped, MAC and payload spliced, values moved to another cookie's name).

The oracle, for every request:
* no 5xx (and no exception: the test client re-raises them);
* every cookie the view sees under a name the policy signs is a value the site itself set
  under that name, in a stage whose key is still accepted (never one signed by the retired k0);
* the session cookie sent twice in one header reaches nobody (cookie tossing fails closed);
* a header made only of genuine cookies (distinct names) arrives whole: nothing honest dropped.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import Morsel
from typing import Any, Protocol

import pytest
from django.conf import settings as django_settings
from django.http import SimpleCookie
from django.test import AsyncClient, Client, override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardsess.firewall.families import FAMILIES
from hardsess.firewall.incoming import MAX_DELETIONS
from tests.fuzz import urls as site
from tests.runtime.asgi_call import asgi_get

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

SECRET = {stage: f"{stage}-fuzz-secret-" + stage * 20 for stage in ("k0", "k1", "k2")}
KEYRINGS = {
    "k0": [{"id": "k0", "secret": SECRET["k0"], "state": "primary"}],
    "k1": [
        {"id": "k1", "secret": SECRET["k1"], "state": "primary"},
        {"id": "k0", "secret": SECRET["k0"], "state": "retired"},
    ],
    # The stage the fuzzed site runs in: k2 signs, k1 still verifies, k0 is retired.
    "k2": [
        {"id": "k2", "secret": SECRET["k2"], "state": "primary"},
        {"id": "k1", "secret": SECRET["k1"], "state": "verify"},
        {"id": "k0", "secret": SECRET["k0"], "state": "retired"},
    ],
}
ACCEPTED_STAGES = ("k1", "k2")

NAMES = [
    "sessionid",
    "csrftoken",
    "messages",
    "django_language",
    "pref",
    "cart",
    "__Host-id",
    "__Secure-t",
    "a",
]
#: Values the site sets: plain, empty, unicode, characters SimpleCookie must quote, long.
BASE_VALUES = [
    "",
    "x",
    "abc123",
    "hello world",
    'quo"te',
    "semi;colon",
    "comma,value",
    "back\\slash",
    "ünïcødé",
    "日本語",
    "emoji-😀",
    "=eq=",
    "hs1.k2.0.fake.payload",
    "a" * 200,
    "b" * 3000,
]

#: Examples per test; CI runs them derandomized (the same examples every run, reproducible),
#: HARDSESS_FUZZ_RANDOM=1 explores new ones.
RANDOM = bool(os.environ.get("HARDSESS_FUZZ_RANDOM"))
#: HARDSESS_FUZZ_SCALE=0.05 for a quick local look; the total check below then fails, honestly.
SCALE = float(os.environ.get("HARDSESS_FUZZ_SCALE", "1"))
HEADER_EXAMPLES = int(2_000 * SCALE)
BLOB_EXAMPLES = int(4_000 * SCALE)
ROUNDTRIP_EXAMPLES = int(1_000 * SCALE)
ASYNC_EXAMPLES = int(800 * SCALE)
FUZZ = settings(
    deadline=None,
    derandomize=not RANDOM,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: What ran, printed at the end: requests (headers) and cookie values inside them.
COUNTS = {"headers": 0, "values": 0}


@dataclass(frozen=True)
class Genuine:
    stage: str
    name: str
    value: str
    wire: str


def _set(client: Client, stage: str, cookies: list[tuple[str, str]]) -> dict[str, str]:
    client.cookies = SimpleCookie()
    with override_settings(HARDSESS={"KEYS": KEYRINGS[stage]}):
        response = client.post(
            "/set/",
            json.dumps({"stage": stage, "cookies": cookies}),
            content_type="application/json",
        )
    assert response.status_code == 200
    return {name: morsel.coded_value for name, morsel in response.cookies.items()}


@pytest.fixture(scope="module")
def fuzz_site() -> Iterator[None]:
    with override_settings(ROOT_URLCONF="tests.fuzz.urls", HARDSESS={"KEYS": KEYRINGS["k2"]}):
        yield


@pytest.fixture(scope="module")
def pool(fuzz_site: None) -> list[Genuine]:
    """Genuine wire values: what the firewall emitted for each name, value and stage."""
    client = Client()
    genuine: list[Genuine] = []
    for stage in KEYRINGS:
        for value in BASE_VALUES:
            # The stage is part of the value, so a k0 value can never pass for a k1 one.
            plain = f"{stage}:{value}"
            wire = _set(client, stage, [(name, plain) for name in NAMES])
            genuine += [Genuine(stage, n, plain, w) for n, w in wire.items() if n in NAMES]
    # Django quotes an unsigned (CSRF) value but leaves non-latin-1 characters in it, which no
    # HTTP header can carry: such a cookie never reaches a browser, so it is not in the pool.
    genuine = [g for g in genuine if g.wire.isascii()]
    # Unsigned by policy (the CSRF cookie, readable by JavaScript) means nothing to forge.
    assert {g.name for g in genuine} == set(NAMES)
    signed = [g for g in genuine if g.name != django_settings.CSRF_COOKIE_NAME]
    assert all(g.wire.startswith("hs1") for g in signed), "the firewall did not sign"
    return genuine


def well_known(name: str) -> bool:
    """Whether ``name`` is in a well-known family (analytics, consent, ...): those pass
    unsigned by design (docs/runtime.md, "Which requirements a cookie gets")."""
    return any(
        re.fullmatch(".*".join(map(re.escape, pattern.split("*"))), name)
        for patterns in FAMILIES.values()
        for pattern in patterns
    )


def acceptable(name: str, value: str) -> bool:
    if name == django_settings.CSRF_COOKIE_NAME:
        return True  # exempt from signing by policy while CSRF_COOKIE_HTTPONLY is False
    if well_known(name):
        return True  # unsigned and unverified by design: no view may trust its value
    return any(value in site.SITE_SET.get((stage, name), ()) for stage in ACCEPTED_STAGES)


def parsed_names(header: str) -> tuple[list[str], set[str]]:
    """Cookie names in a header, split exactly as django.http.cookie.parse_cookie does, and the
    names Django reaches only by stripping what a browser keeps (disguised)."""
    names = []
    disguised = set()
    for chunk in header.split(";"):
        raw, val = chunk.split("=", 1) if "=" in chunk else ("", chunk)
        key, val = raw.strip(), val.strip()
        if key or val:
            names.append(key)
            if key != raw.strip(" \t"):
                disguised.add(key)
    return names, disguised


def as_django_reads(header: str, wsgi: bool) -> str:
    """The header string Django parses: a WSGI stack re-decodes the Latin-1 text as UTF-8."""
    return header.encode("latin-1").decode("utf-8", "replace") if wsgi else header


# -- strategies ---------------------------------------------------------------------------------
#
# A Cookie header is built by one function from a source of choices. Two sources: Hypothesis
# draws (rich, shrinks well, about 0.1 ms per draw) and one Hypothesis-drawn byte string read as
# a stream of choices, as libFuzzer's FuzzedDataProvider does (one draw per header, so dozens of
# cookie values per header stay cheap; Hypothesis still shrinks the bytes).

#: Characters str.strip() (so Django) removes from a name and a browser keeps in it.
STRIPPED = [chr(c) for c in range(0x3001) if chr(c).isspace() and chr(c) not in " \t"]
#: Cookies in a "many cookies" header: about 16 KB of junk, each one rejected.
MANY = 1600

KEY_IDS = ["k0", "k1", "k2", "k3", "", "K2", "k2 ", "sk-0123456789ab", "k1\x00"]
EXPIRIES = ["0", "1", "9" * 12, "-1", "", "01", "99999999999999"]
SEPARATORS = ["; ", ";", " ;  ", ";;", "; ; "]
HUGE_CHARS = "a.=%\"'x;"


class Source(Protocol):
    def int(self, n: int) -> int:
        """An integer in [0, n)."""

    def text(self, max_size: int) -> str:
        """Latin-1 text: what a WSGI server makes of arbitrary header bytes."""


class DrawSource:
    def __init__(self, draw: st.DrawFn) -> None:
        self.draw = draw

    def int(self, n: int) -> int:
        return self.draw(st.integers(0, n - 1)) if n > 1 else 0

    def text(self, max_size: int) -> str:
        return self.draw(
            st.binary(max_size=max_size).map(lambda b: b.decode("latin-1"))
            | st.text(max_size=max_size // 2).map(
                # A browser sends UTF-8 bytes; the server decodes them as latin-1.
                lambda t: t.encode("utf-8", "surrogatepass").decode("latin-1")
            )
        )


class BytesSource:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.at = 0

    def left(self) -> int:
        return len(self.data) - self.at

    def int(self, n: int) -> int:
        chunk = self.data[self.at : self.at + 2]
        self.at += 2
        return int.from_bytes(chunk.ljust(2, b"\0"), "big") % n if n > 1 else 0

    def text(self, max_size: int) -> str:
        size = self.int(max_size + 1)
        chunk = self.data[self.at : self.at + size]
        self.at += size
        return chunk.decode("latin-1")


def mutated(src: Source, pool: list[Genuine]) -> tuple[str, str]:
    """A genuine cookie, perhaps tampered with: the name and the wire value to send."""
    g = pool[src.int(len(pool))]
    name, wire = g.name, g.wire
    parts = wire.split(".", 4)
    kind = src.int(16)
    if kind == 0:  # as it came: accepted unless its stage is retired
        pass
    elif kind == 1:  # truncated
        wire = wire[: src.int(max(len(wire), 1))]
    elif kind == 2:  # one character changed
        at = src.int(max(len(wire), 1))
        wire = wire[:at] + chr(src.int(256)) + wire[at + 1 :]
    elif kind == 3 and len(parts) == 5:  # key id swapped
        parts[1] = KEY_IDS[src.int(len(KEY_IDS))]
        wire = ".".join(parts)
    elif kind == 4 and len(parts) == 5:  # expiry edited
        parts[2] = EXPIRIES[src.int(len(EXPIRIES))]
        wire = ".".join(parts)
    elif kind == 5 and len(parts) == 5:  # tag swapped
        parts[0] = {"hs1": "hs1b", "hs1b": "hs1"}.get(parts[0], "hs2")
        wire = ".".join(parts)
    elif kind == 6:  # MAC and key id of one value, payload of another
        other = pool[src.int(len(pool))].wire.split(".", 4)
        if len(parts) == 5 and len(other) == 5:
            wire = ".".join([*parts[:4], other[4]])
    elif kind == 7:  # a genuine value of another cookie, under this name
        wire = pool[src.int(len(pool))].wire
    elif kind == 8:  # quoted, as SimpleCookie quotes
        wire = '"' + wire.replace("\\", "\\\\").replace('"', '\\"') + '"'
    elif kind == 9:  # whitespace around it
        wire = " \t"[src.int(2)] + wire + " "
    elif kind == 10:  # junk appended
        wire += src.text(40)
    elif kind == 11:  # a fresh name
        name = src.text(12) or NAMES[src.int(len(NAMES))]
    elif kind == 12:  # huge
        wire += HUGE_CHARS[src.int(len(HUGE_CHARS))] * (4000 + src.int(12_000))
    elif kind == 13:  # a name disguised by a character Django strips and a browser keeps
        char = STRIPPED[src.int(len(STRIPPED))]
        # As UTF-8 (what a WSGI stack decodes back) or as one Latin-1 byte (what ASGI keeps).
        text = char.encode("utf-8").decode("latin-1") if src.int(2) or ord(char) > 255 else char
        name = (text + name) if src.int(2) else (name + text)
    elif kind == 14:  # an oversized name: 0xFF bytes become U+FFFD, 3 UTF-8 bytes, on WSGI
        name = "\xff" * (src.int(2) * 20_000 + 2_000 + src.int(4_000))
    else:  # the session cookie name, with this value: duplicates, cookie tossing
        name = django_settings.SESSION_COOKIE_NAME
    return name, wire


def header_from(src: Source, pool: list[Genuine], pairs: int) -> str:
    """A Cookie header of about ``pairs`` cookies: genuine, tampered, random, or raw chunks."""
    chunks = []
    for _ in range(pairs):
        kind = src.int(8)
        if kind < 5:
            name, value = mutated(src, pool)
            chunks.append(f"{name}={value}")
        elif kind == 5:  # random name and value
            chunks.append(f"{src.text(12) or NAMES[src.int(len(NAMES))]}={src.text(60)}")
        elif kind == 6:  # a known name with a random value
            chunks.append(f"{NAMES[src.int(len(NAMES))]}={src.text(60)}")
        else:  # raw bytes: no "=" at all, stray separators, anything
            chunks.append(src.text(80))
    return SEPARATORS[src.int(len(SEPARATORS))].join(chunks)


def headers(pool: list[Genuine]) -> st.SearchStrategy[str]:
    """Headers built from Hypothesis draws: up to 12 cookies, or raw bytes."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        src = DrawSource(draw)
        shape = src.int(12)
        if shape == 0:
            return src.text(400)
        if shape == 1:  # many cookies: amplification
            junk = ["hs1.", "x", "", "hs1.k2.0." + "A" * 43 + ".v"][src.int(4)]
            return ";".join(f"j{i}={junk}" for i in range(MANY))
        return header_from(src, pool, 1 + src.int(12))

    return build()


def blob_headers(pool: list[Genuine]) -> st.SearchStrategy[str]:
    """Headers read from one drawn byte string: as many cookies as the bytes pay for."""

    def build(blob: bytes) -> str:
        src = BytesSource(blob)
        return header_from(src, pool, max(1, len(blob) // 24))

    # At least ten cookies per header, up to fifty.
    return st.binary(min_size=240, max_size=1200).map(build)


#: Names a site can set at all (SimpleCookie refuses others, and Morsel attribute names).
settable_name = st.sampled_from([n for n in NAMES if n != "csrftoken"]) | st.from_regex(
    r"[A-Za-z0-9_-]{1,16}", fullmatch=True
).filter(lambda n: n.lower() not in Morsel._reserved)
huge = st.builds(lambda c, n: c * n, st.sampled_from(HUGE_CHARS), st.integers(4000, 20_000))


# -- the checks --------------------------------------------------------------------------------


def check(header: str, status: int, body: bytes, *, wsgi: bool = True) -> dict[str, str]:
    names, disguised = parsed_names(as_django_reads(header, wsgi))
    COUNTS["headers"] += 1
    COUNTS["values"] += len(names)
    assert status < 500, (header, status)
    seen: dict[str, str] = json.loads(body)["cookies"]
    for name, value in seen.items():
        assert acceptable(name, value), f"forged or retired cookie accepted: {name}={value!r}"
    session = django_settings.SESSION_COOKIE_NAME
    if names.count(session) > 1:
        assert session not in seen, "duplicate session cookie trusted"
    for name in disguised:
        assert name not in seen, f"disguised cookie name trusted: {name!r}"
    deletions = [line for line in LAST_DELETIONS if line]
    assert len(deletions) <= MAX_DELETIONS
    return seen


#: The deletions the last response sent (each a Set-Cookie with Max-Age=0).
LAST_DELETIONS: list[str] = []


def get(client: Client, header: str) -> Any:
    """GET /echo/ through the WSGI test handler with exactly this Cookie header."""
    client.cookies = SimpleCookie()
    response = client.get("/echo/", HTTP_COOKIE=header)
    LAST_DELETIONS[:] = [n for n, m in response.cookies.items() if m["max-age"] == 0]
    return response


def fuzz_wsgi(strategy: st.SearchStrategy[str], examples: int, label: str) -> None:
    client = Client()
    before, values = COUNTS["headers"], COUNTS["values"]

    @settings(FUZZ, max_examples=examples)
    @given(strategy)
    def run(header: str) -> None:
        response = get(client, header)
        check(header, response.status_code, response.content)

    run()
    print(
        f"\nfuzzed Cookie headers ({label}): {COUNTS['headers'] - before},"
        f" cookie values in them: {COUNTS['values'] - values}"
    )
    assert COUNTS["headers"] - before >= examples


def test_fuzzed_cookie_headers(pool: list[Genuine]) -> None:
    fuzz_wsgi(headers(pool), HEADER_EXAMPLES, "WSGI, drawn")


def test_fuzzed_cookie_headers_from_bytes(pool: list[Genuine]) -> None:
    fuzz_wsgi(blob_headers(pool), BLOB_EXAMPLES, "WSGI, from bytes")


def test_fuzzed_cookie_headers_async(pool: list[Genuine]) -> None:
    client = AsyncClient()
    loop = asyncio.new_event_loop()
    before = COUNTS["headers"]

    @settings(FUZZ, max_examples=ASYNC_EXAMPLES)
    @given(headers(pool) | blob_headers(pool), st.integers(0, 3))
    def run(header: str, crumbs: int) -> None:
        LAST_DELETIONS.clear()
        if crumbs:  # the cookies as HTTP/2 crumbs: several cookie headers in the scope
            pieces = header.split(";")
            size = max(1, len(pieces) // (crumbs + 1))
            fields = [";".join(pieces[i : i + size]) for i in range(0, len(pieces), size)]
            status, seen = asgi_get(
                "/echo/", [(b"cookie", field.encode("latin-1")) for field in fields]
            )
            check("; ".join(fields), status, json.dumps(seen).encode(), wsgi=False)
            return
        client.cookies = SimpleCookie()  # only the fuzzed header, nothing from earlier responses
        response = loop.run_until_complete(client.get("/echo/", headers={"Cookie": header}))
        check(header, response.status_code, response.content, wsgi=False)

    try:
        run()
    finally:
        loop.close()
    print(f"\nfuzzed Cookie headers (ASGI): {COUNTS['headers'] - before}")
    assert COUNTS["headers"] - before >= ASYNC_EXAMPLES


def test_genuine_cookies_arrive_whole(pool: list[Genuine]) -> None:
    """Liveness: a header of genuine, still-accepted cookies with distinct names gets through
    unchanged (a firewall that drops everything would pass the other tests)."""
    client = Client()
    accepted = [g for g in pool if g.stage in ACCEPTED_STAGES]
    before = COUNTS["headers"]

    @settings(FUZZ, max_examples=ROUNDTRIP_EXAMPLES)
    @given(st.lists(st.sampled_from(accepted), max_size=len(NAMES), unique_by=lambda g: g.name))
    def run(cookies: list[Genuine]) -> None:
        header = "; ".join(f"{g.name}={g.wire}" for g in cookies)
        response = get(client, header)
        seen = check(header, response.status_code, response.content)
        for g in cookies:
            assert seen.get(g.name) == g.value, (g, seen)

    run()
    assert COUNTS["headers"] - before >= ROUNDTRIP_EXAMPLES


def test_site_values_round_trip(fuzz_site: None) -> None:
    """Whatever value the site sets comes back to the view exactly (or is refused as too big)."""
    client = Client()
    before = COUNTS["headers"]

    @settings(FUZZ, max_examples=ROUNDTRIP_EXAMPLES)
    @given(settable_name, st.text(max_size=300) | huge)
    def run(name: str, value: str) -> None:
        wire = _set(client, "k2", [(name, value)])
        response = get(client, f"{name}={wire[name]}" if name in wire else "")
        seen = check(f"{name}=x", response.status_code, response.content)  # (name is settable)
        if name in wire and name != django_settings.CSRF_COOKIE_NAME:
            assert seen.get(name) == value
        if len(name.encode()) + len(value.encode()) < 2000:
            assert name in wire, "a small cookie was refused"

    run()
    assert COUNTS["headers"] - before >= ROUNDTRIP_EXAMPLES


def test_zz_total_examples() -> None:
    """Printed last (tests run in file order): everything the fuzz tests above generated."""
    total = COUNTS["headers"] + COUNTS["values"]
    print(
        f"\ncookie fuzz: {COUNTS['headers']} requests, {COUNTS['values']} cookie values, "
        f"{total} generated headers and values in total"
    )
    assert total >= 100_000
