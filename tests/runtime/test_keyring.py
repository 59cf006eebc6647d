"""Keyring loading and validation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings
from hypothesis import given, settings
from hypothesis import strategies as st

from hardsess import policy
from hardsess.checks import check_configuration
from hardsess.keyring import derived_key_id, load_keyring, validate_keyring
from hardsess.policy import secret_key_weakness
from tests.runtime.conftest import K1, K2, key


def test_valid_keyring_has_no_problems() -> None:
    assert validate_keyring([key(K2, "primary"), key(K1, "verify")]) == []
    assert validate_keyring(None) == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("k1:secret", "must be a list of keys, not a string"),
        ({"id": "k1"}, "must be a list of keys, not dict"),
        ([], "is empty"),
        ([key(K1, "verify")], "has 0 primary keys"),
        ([key(K1, "primary"), key(K2, "primary")], "has 2 primary keys"),
        ([key(K1, "primary"), {**K2, "id": "k1", "state": "verify"}], "id is also used by"),
        ([{**K1, "secret": "short"}], "'secret' is weak: it has 5 characters (at least 50"),
        ([{**K1, "id": "k.1"}], "'id' must be 1 to 32 characters"),
        ([{**K1, "state": "active"}], "'state' must be one of"),
        ([{**K1, "colour": "red"}], "unknown field(s): colour"),
        (["k1"], "must be a dict"),
        ([key(K1, "primary"), {**K1, "id": "k9", "state": "verify"}], "same secret as"),
    ],
)
def test_invalid_keyrings_are_explained(raw: object, expected: str) -> None:
    problems = validate_keyring(raw)
    assert any(expected in p for p in problems), problems
    for problem in problems:
        assert K1["secret"] not in problem
    with pytest.raises(ImproperlyConfigured, match=r"HARDSESS\['KEYS'\]"):
        load_keyring(raw, "x" * 50)


def test_derived_keyring_uses_hashed_ids_never_the_secret() -> None:
    secret = "s" * 50
    keyring = load_keyring(None, secret, ["f" * 50, secret])
    assert keyring.derived
    assert keyring.primary.id == derived_key_id(secret)
    assert keyring.primary.id == derived_key_id(secret)  # stable
    assert [k.state for k in keyring.keys] == ["primary", "verify"]
    assert "sss" not in repr(keyring)
    assert all(k.id.startswith("sk-") and len(k.id) == 15 for k in keyring.keys)


def test_lookup_is_by_id() -> None:
    keyring = load_keyring([key(K2, "primary"), key(K1, "verify")], "")
    assert keyring.get("k1") is keyring.by_id["k1"]
    assert keyring.get("nope") is None


@override_settings(HARDSESS={"KEYS": "not-a-list"})
def test_middleware_refuses_to_run_with_a_broken_keyring() -> None:
    with pytest.raises(ImproperlyConfigured, match="not a string"):
        Client().get("/rt/echo/")


@override_settings(HARDSESS={"KEYS": [{"id": "k1", "secret": "short", "state": "primary"}]})
def test_a_broken_keyring_fails_at_start_up() -> None:
    from django.http import HttpRequest, HttpResponse

    from hardsess.firewall.middleware import HardSessMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    with pytest.raises(ImproperlyConfigured, match=r"'secret' is weak: it has 5 characters \(at"):
        HardSessMiddleware(view)


@pytest.mark.parametrize("key_length", [0, 32, 64, 65, 200])
def test_precomputed_hmac_is_hmac_sha256(key_length: int) -> None:
    import hashlib
    import hmac
    import os

    from hardsess.keyring import PrecomputedHmac

    secret, message = os.urandom(key_length), os.urandom(300)
    assert (
        PrecomputedHmac(secret).digest(message)
        == hmac.new(secret, message, hashlib.sha256).digest()
    )


def test_precomputed_hmac_falls_back_to_the_wrapper(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where hmac.HMAC holds no OpenSSL object (CPython takes that path for a digestmod given as
    a plain callable, as on an interpreter without OpenSSL), the wrapper itself is copied."""
    import hashlib
    import hmac
    import os

    from hardsess import keyring
    from hardsess.keyring import PrecomputedHmac

    real_new = hmac.new

    def without_openssl(key: bytes, digestmod: str) -> hmac.HMAC:
        made = real_new(key, digestmod=lambda data=b"": hashlib.sha256(data))
        assert not getattr(made, "_hmac", None)  # the path under test
        return made

    monkeypatch.setattr(keyring.hmac, "new", without_openssl)
    secret, message = os.urandom(40), os.urandom(300)
    mac = PrecomputedHmac(secret)
    monkeypatch.undo()
    assert mac.digest(message) == hmac.new(secret, message, hashlib.sha256).digest()
    assert mac.digest(message) == mac.digest(message)  # the template is copied, never consumed


#: Secrets the SECRET_KEY rule (HS132) calls weak, one per clause of the rule, each long enough
#: for the old length-only check (32): a key secret must be judged the same way.
WEAK_SECRETS = [
    pytest.param("django-insecure-changeme-" + "q8Zr5tLw2nXc" * 4, id="startproject-prefix"),
    pytest.param("Zq8r5tLw2nXc" * 4, id="48-characters"),
    pytest.param("abab" * 20, id="2-distinct-characters"),
    pytest.param("abcd" * 20, id="4-distinct-characters"),
]


@pytest.mark.parametrize("secret", WEAK_SECRETS)
def test_a_key_secret_is_judged_like_secret_key(secret: str) -> None:
    weakness = secret_key_weakness(secret)
    assert weakness is not None  # the catalogue's own judge calls it weak
    problems = validate_keyring([{"id": "k1", "secret": secret, "state": "primary"}])
    assert problems == [f"HARDSESS['KEYS'][0] (id 'k1'): 'secret' is weak: {weakness}"]
    assert secret not in problems[0]
    # HS132 on the same value as SECRET_KEY: one judge, one verdict.
    hs132 = policy.judge(policy.by_id("HS132"), {"SECRET_KEY": policy.Observed(secret)})
    assert [v.message for v in hs132] == [f"SECRET_KEY is a literal and weak: {weakness}"]


@pytest.mark.parametrize("secret", WEAK_SECRETS)
def test_a_weak_key_secret_is_a_system_check_error(secret: str) -> None:
    with override_settings(HARDSESS={"KEYS": [{"id": "k1", "secret": secret, "state": "primary"}]}):
        errors = [m for m in check_configuration() if m.id == "hardsess.E161"]
    assert len(errors) == 1
    assert "'secret' is weak" in errors[0].msg
    assert secret not in errors[0].msg
    assert secret not in (errors[0].hint or "")


@pytest.mark.parametrize("secret", WEAK_SECRETS)
def test_the_firewall_refuses_to_start_with_a_weak_key_secret(secret: str) -> None:
    from django.http import HttpRequest, HttpResponse

    from hardsess.firewall.middleware import HardSessMiddleware

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    keys = [{"id": "k1", "secret": secret, "state": "primary"}]
    with override_settings(HARDSESS={"KEYS": keys}):
        with pytest.raises(ImproperlyConfigured, match="'secret' is weak") as info:
            HardSessMiddleware(view)
        assert secret not in str(info.value)
        with pytest.raises(ImproperlyConfigured, match="'secret' is weak"):
            Client().get("/rt/echo/")


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(max_size=80),
        st.text(alphabet="abcdef", min_size=40, max_size=70),
        st.text(min_size=30, max_size=70).map(lambda s: "django-insecure-" + s),
    )
)
def test_keyring_and_secret_key_rule_agree_on_every_secret(secret: str) -> None:
    """Whatever the text, the keyring calls a secret weak exactly when HS132 would."""
    problems = validate_keyring([{"id": "k1", "secret": secret, "state": "primary"}])
    weak = [p for p in problems if "'secret' is weak" in p]
    assert bool(weak) == (secret_key_weakness(secret) is not None)
    assert problems == weak  # one primary, one id: nothing else to say


def test_the_runtime_test_keys_are_strong() -> None:
    for entry in (K1, K2):
        assert secret_key_weakness(entry["secret"]) is None
