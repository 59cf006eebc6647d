"""HARDSESS["COOKIES"] resolved per cookie name (hardsess.firewall.requirements)."""

from __future__ import annotations

from hardsess.firewall.requirements import validate_cookies_setting


def test_cookies_setting_validation() -> None:
    assert validate_cookies_setting({"*": {"samesite": "Strict"}, "a": {"sign": False}}) == []
    problems = validate_cookies_setting(
        {"*": {"samesite": "sometimes", "max_age": 10**9, "secure": "yes", "colour": 1}}
    )
    assert len(problems) == 4
    assert validate_cookies_setting(["*"]) == [
        "HARDSESS['COOKIES'] must be a dict of cookie name to policy"
    ]
