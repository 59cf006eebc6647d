"""Judge builders and wording shared by the cookie families (session, CSRF, language).

A family module writes ``judge=flag_true("SESSION_COOKIE_SECURE", ...)`` instead of a judge of
its own when its rule is "this flag must be true" or "this SameSite must be effective"; the
wording of a value (``describe``) is the same in every message of the catalogue.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.cookies import samesite_problem
from hardsess.policy.defaults import assumed_release
from hardsess.policy.types import Judge, Observed, Options, Origin, Verdict

__all__ = ["FLAG_FIX", "SAMESITE_FIX", "describe", "flag_true", "judged", "samesite"]

FLAG_FIX = "replace the literal with True (safe); flip an environment default (unsafe)"
SAMESITE_FIX = 'replace the literal with "Lax" (safe); flip an environment default (unsafe)'


def describe(name: str, observed: Observed) -> str:
    """``SESSION_COOKIE_SECURE is False`` plus where that comes from, for messages."""
    text = f"{name} is {observed.value!r}"
    if observed.origin is Origin.ENV_DEFAULT and observed.env_var:
        text += f" unless {observed.env_var} is set"
    elif observed.origin is Origin.ENV_DEFAULT:
        text += " unless the environment sets it"
    elif observed.origin is Origin.DJANGO_DEFAULT:
        release = assumed_release()  # the project's pinned Django, when the linter read it
        text += (
            f" (never set: the default of {release})"
            if release
            else " (Django's default: never set)"
        )
    return text


def judged(observed: Observed | None, explicit_only: bool) -> bool:
    """Whether a rule has an opinion on ``observed``: it is known, and an ``explicit_only``
    rule never judges Django's own default."""
    if observed is None:
        return False
    return not (explicit_only and observed.origin is Origin.DJANGO_DEFAULT)


def flag_true(setting: str, consequence: str, *, explicit_only: bool = False) -> Judge:
    """A judge for "``setting`` must be true"."""

    def judge(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
        observed = values.get(setting)
        if judged(observed, explicit_only) and observed is not None and not observed.value:
            yield Verdict(setting, f"{describe(setting, observed)}: {consequence}")

    return judge


def with_csrf_cookie(judge: Judge) -> Judge:
    """``judge``, silenced when ``CSRF_USE_SESSIONS`` is True: the token then lives in the
    session and Django sets no CSRF cookie, so its flags protect nothing (Django's own
    security.W016 is silent there too)."""

    def judge_cookie(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
        use_sessions = values.get("CSRF_USE_SESSIONS")
        if use_sessions is not None and use_sessions.value is True:
            return
        yield from judge(values, options)

    return judge_cookie


def samesite(setting: str, *, explicit_only: bool = False) -> Judge:
    """A judge for "``setting`` must be an effective SameSite value" (Lax or Strict)."""

    def judge(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
        observed = values.get(setting)
        if not judged(observed, explicit_only) or observed is None:
            return
        problem = samesite_problem(observed.value)
        if problem:
            yield Verdict(setting, f"{describe(setting, observed)}: {problem}")

    return judge
