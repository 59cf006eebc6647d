"""The cookie facts the judges and the firewall share."""

from __future__ import annotations

import pytest

from hardsess.policy import cookies


@pytest.mark.parametrize(
    ("name", "prefix"),
    [
        ("__Host-sid", "__Host-"),
        ("__host-sid", "__Host-"),
        ("__HOST-", "__Host-"),
        ("__Secure-csrf", "__Secure-"),
        ("__sEcUrE-x", "__Secure-"),
        ("__Host-Http-sid", "__Host-Http-"),
        ("__host-http-sid", "__Host-Http-"),
        ("__Host-Httpsid", "__Host-"),
        ("__Http-sid", "__Http-"),
        ("__HTTP-sid", "__Http-"),
        ("__Httpsid", None),
        ("__Hostile", None),
        ("_Host-sid", None),
        ("sessionid", None),
        ("", None),
    ],
)
def test_prefix_of_matches_without_regard_to_case(name: str, prefix: str | None) -> None:
    assert cookies.prefix_of(name) == prefix


def test_prefix_rules() -> None:
    host, secure = cookies.prefix_rules("__Host-a"), cookies.prefix_rules("__Secure-a")
    assert host == cookies.PrefixRules(secure=True, root_path=True, host_only=True)
    assert secure == cookies.PrefixRules(secure=True, root_path=False, host_only=False)
    assert cookies.prefix_rules("plain") is None
    assert cookies.prefix_rules("__Http-a") == cookies.PrefixRules(
        secure=True, root_path=False, host_only=False, httponly=True
    )
    assert cookies.prefix_rules("__Host-Http-a") == cookies.PrefixRules(
        secure=True, root_path=True, host_only=True, httponly=True
    )


def test_partitioned_needs_secure() -> None:
    assert cookies.partitioned_needs_secure(True, False)
    assert not cookies.partitioned_needs_secure(True, True)
    assert not cookies.partitioned_needs_secure(False, False)


@pytest.mark.parametrize(
    ("value", "problem"),
    [("Lax", False), ("strict", False), ("None", True), (None, True), ("", True), (1, True)],
)
def test_samesite_problem(value: object, problem: bool) -> None:
    assert (cookies.samesite_problem(value) is not None) is problem


def test_samesite_values_and_strictness_agree() -> None:
    assert set(cookies.SAMESITE_VALUES) == set(cookies.SAMESITE_STRICTNESS)
    assert cookies.SAMESITE_STRICTNESS["strict"] > cookies.SAMESITE_STRICTNESS["lax"] > 0
    assert cookies.SAMESITE_CANONICAL["none"] == "None"


def test_samesite_none_needs_secure() -> None:
    assert cookies.samesite_none_needs_secure("NONE", False)
    assert not cookies.samesite_none_needs_secure("None", True)
    assert not cookies.samesite_none_needs_secure("Lax", False)
