"""HS131-HS134: the signing secret family's judges."""

from __future__ import annotations

import pytest

from hardsess import policy
from hardsess.policy import Observed, Origin, by_id, judge


@pytest.mark.parametrize(
    ("rule_id", "values", "expected"),
    [
        ("HS132", {"SECRET_KEY": Observed("django-insecure-" + "x1y2z3" * 10)}, 1),
        ("HS131", {"SECRET_KEY": Observed("django-insecure-" + "x1y2z3" * 10)}, 0),
        ("HS131", {"SECRET_KEY": Observed("Zq8-mW4p" * 8, Origin.LITERAL)}, 1),
        ("HS131", {"SECRET_KEY": Observed("Zq8-mW4p" * 8, Origin.LIVE)}, 0),
        ("HS131", {"SECRET_KEY": Observed(policy.UNKNOWN_VALUE, source="os.environ['K']")}, 0),
        # Empty: Django refuses to start with it, so nothing is signed with it (DefectDojo's
        # `env("DD_SECRET_KEY")` with a schema default of "" is the real-project case).
        ("HS132", {"SECRET_KEY": Observed("", Origin.ENV_DEFAULT)}, 0),
        ("HS132", {"SECRET_KEY": Observed("", Origin.LITERAL)}, 0),
        ("HS132", {"SECRET_KEY": Observed("short", Origin.ENV_DEFAULT)}, 1),
        ("HS132", {"SECRET_KEY": Observed("", Origin.LIVE)}, 0),
    ],
)
def test_judges(rule_id: str, values: dict[str, Observed], expected: int) -> None:
    assert len(judge(by_id(rule_id), values)) == expected


def test_hs131_is_source_only_and_no_other_rule_is() -> None:
    assert [r.id for r in policy.CATALOGUE if r.source_only] == ["HS131"]
