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
