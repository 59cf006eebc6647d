"""HS201-HS204: cookies set in code."""

from __future__ import annotations

import pytest

from hardsess import policy
from hardsess.policy import Observed, by_id, judge


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"key": Observed("k"), "value": Observed("v" * 4095)}, 0),  # 4096 bytes: stored
        ({"key": Observed("k"), "value": Observed("v" * 4096)}, 1),
        ({"key": Observed("k"), "value": Observed("\u00e9" * 2048)}, 1),  # bytes, not characters
        ({"key": Observed("k"), "value": Observed(policy.UNKNOWN_VALUE)}, 0),
        ({"value": Observed("v" * 9000)}, 0),  # the name is unknown: no opinion
    ],
)
def test_hs204_counts_utf8_bytes_of_name_and_value(
    values: dict[str, Observed], expected: int
) -> None:
    assert len(judge(by_id("HS204"), values)) == expected


def test_hs202_uses_the_shared_400_day_fact() -> None:
    from hardsess.policy.cookies import MAX_COOKIE_AGE

    assert judge(by_id("HS202"), {"max_age": Observed(MAX_COOKIE_AGE)}) == []
    assert len(judge(by_id("HS202"), {"max_age": Observed(MAX_COOKIE_AGE + 1)})) == 1


def test_hs201_asks_no_httponly_of_a_cookie_read_by_script() -> None:
    from hardsess.policy import Options

    options = Options(script_cookies=(("theme", "static/js/app.js:3"),))
    (verdict,) = judge(by_id("HS201"), {"key": Observed("theme")}, options)
    assert verdict.message.startswith("the cookie is set without secure=, samesite=:")
    assert verdict.message.endswith("read by JavaScript in static/js/app.js:3")
    explicit = {"key": Observed("theme"), "secure": Observed(True), "samesite": Observed("Lax")}
    assert judge(by_id("HS201"), {**explicit, "httponly": Observed(False)}, options) == []
    # Another cookie still needs all three.
    (verdict,) = judge(by_id("HS201"), {"key": Observed("cart")}, options)
    assert "httponly=" in verdict.message


def test_hs201_judges_only_explicit_values_of_the_language_cookie() -> None:
    from hardsess.policy.hs20x_set_cookie import is_language_cookie

    by_source = Observed(policy.UNKNOWN_VALUE, source="settings.LANGUAGE_COOKIE_NAME")
    assert is_language_cookie(by_source)
    assert is_language_cookie(Observed("django_language"))
    assert not is_language_cookie(Observed("sessionid"))
    assert judge(by_id("HS201"), {"key": by_source}) == []
    assert judge(by_id("HS201"), {"key": by_source, "httponly": Observed(False)}) == []
    (verdict,) = judge(by_id("HS201"), {"key": by_source, "secure": Observed(False)})
    assert verdict.setting == "secure"
