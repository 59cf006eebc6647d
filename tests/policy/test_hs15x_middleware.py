"""HS151-HS152: hardsess's own middleware, present and in its place."""

from __future__ import annotations

from hardsess import policy
from hardsess.policy import Observed, Options, by_id, judge


def test_middleware_order_uses_the_classifier() -> None:
    stack = Observed(["django.contrib.sessions.middleware.SessionMiddleware", policy.MIDDLEWARE])
    assert len(judge(by_id("HS152"), {"MIDDLEWARE": stack})) == 1
    blind = Options(classify_middleware=lambda path: None)
    assert judge(by_id("HS152"), {"MIDDLEWARE": stack}, blind) == []
