"""Which catalogue verdicts the cookie firewall makes moot at runtime, judged on live settings.

``SESSION_COOKIE_SECURE = False`` is a problem only if the session cookie leaves without
Secure. With :class:`~hardsess.firewall.middleware.HardSessMiddleware` enforcing, it never does:
the firewall adds the flags its requirements demand to every cookie it sees. The system checks
then do not report such a verdict (docs/checks.md, "What the firewall enforces"), so a
deployment that relies on the firewall passes ``check --deploy``.

"Enforcing" is judged strictly, against what the firewall would do with these settings:

* the firewall (or a subclass) is in MIDDLEWARE, and above the middleware that sets the cookie
  (SessionMiddleware for the session cookie, CsrfViewMiddleware for the CSRF cookie; views,
  which set the language cookie, are below every middleware);
* report-only is off, and ``HARDSESS["COOKIES"]`` is valid (the firewall refuses to run on an
  invalid one);
* the cookie's resolved requirements demand the flag: a ``HARDSESS["COOKIES"]`` entry with
  ``"secure": False`` keeps HS101, and the CSRF cookie is not HttpOnly while
  ``CSRF_COOKIE_HTTPONLY`` is False;
* Secure only outside development mode (there Secure follows the request's scheme);
* SameSite only when the minimum is Lax or Strict and the setting is a value Django accepts
  (an invalid one makes ``set_cookie`` raise before the firewall sees the cookie).

A verdict counts as enforced when its rule lists the flag in ``Rule.firewall_flags`` and the
firewall enforces it on the cookie of the verdict's setting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings

from hardsess import conf, policy
from hardsess.policy.cookies import SAMESITE_CANONICAL, SAMESITE_STRICTNESS

__all__ = ["COOKIES", "Enforcement", "enforcement"]

#: Setting prefix -> (setting naming the cookie, kind of middleware that sets it, or None).
COOKIES: Mapping[str, tuple[str, str | None]] = {
    "SESSION_COOKIE_": ("SESSION_COOKIE_NAME", "SessionMiddleware"),
    "CSRF_COOKIE_": ("CSRF_COOKIE_NAME", "CsrfViewMiddleware"),
    "LANGUAGE_COOKIE_": ("LANGUAGE_COOKIE_NAME", None),
}

_LAX = SAMESITE_STRICTNESS["lax"]


def _django_accepts_samesite(value: object) -> bool:
    # Django's set_cookie: a falsy value sends no attribute, a string must be Lax/Strict/None.
    return not value or (isinstance(value, str) and value.lower() in SAMESITE_CANONICAL)


class Enforcement:
    """What the firewall enforces under the live settings (built once per check run)."""

    def __init__(self, setters_above: frozenset[str]) -> None:
        from hardsess.firewall.requirements import RequirementsResolver

        self._setters_above = setters_above
        self._resolver = RequirementsResolver(conf.cookie_policies_setting(), settings)
        self._development = conf.development_mode() and bool(settings.DEBUG)

    def enforces(self, setting: str, flag: str) -> bool:
        """Whether every cookie ``setting`` belongs to leaves with ``flag`` enforced."""
        prefix = next((p for p in COOKIES if setting.startswith(p)), None)
        if prefix is None:
            return False
        name_setting, setter = COOKIES[prefix]
        if setter is not None and setter in self._setters_above:
            return False  # the firewall never sees the cookie that middleware sets
        if prefix == "CSRF_COOKIE_" and settings.CSRF_USE_SESSIONS:
            return False  # no CSRF cookie: nothing for the firewall to enforce on
        wanted = self._resolver.for_name(getattr(settings, name_setting))
        if flag == "secure":
            return wanted.secure and not self._development
        if flag == "httponly":
            return wanted.httponly
        if flag == "samesite":
            value = getattr(settings, f"{prefix}SAMESITE", None)
            return wanted.samesite_strictness >= _LAX and _django_accepts_samesite(value)
        return False

    def covers(self, rule: policy.Rule, verdict: policy.Verdict) -> bool:
        """Whether the firewall leaves nothing of ``verdict`` for the browser to see."""
        return any(self.enforces(verdict.setting, flag) for flag in rule.firewall_flags)


def enforcement(middleware: list[str], classify: Callable[[str], str | None]) -> Enforcement | None:
    """The firewall's enforcement under the live settings, or None when it enforces nothing
    (absent from MIDDLEWARE, report-only, or an invalid ``HARDSESS["COOKIES"]``)."""
    from hardsess.firewall.requirements import validate_cookies_setting

    kinds = [classify(m) for m in middleware]
    if "hardsess" not in kinds or conf.report_only():
        return None
    if validate_cookies_setting(conf.cookie_policies_setting()):
        return None  # hardsess.E162; the firewall raises ImproperlyConfigured on every request
    above = frozenset(k for k in kinds[: kinds.index("hardsess")] if k is not None)
    return Enforcement(above)
