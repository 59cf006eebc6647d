"""The catalogue's shared types: severity, where a value came from, the one unknown value, the
observed value a judge reads, the verdict it returns, and the rule record itself.

Standard library only: the linter's pre-filter path and ``apps.py`` import the catalogue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import ClassVar, Literal

from hardsess.policy.defaults import COOKIE_MIDDLEWARE, DEFAULT_MAX_SESSION_AGE, MIDDLEWARE

__all__ = [
    "UNKNOWN_VALUE",
    "Judge",
    "Observed",
    "Options",
    "Origin",
    "Rule",
    "Severity",
    "Verdict",
]


class Severity(str, Enum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def security_severity(self) -> str:
        """The CVSS-like score GitHub code scanning reads from SARIF ``security-severity``."""
        return {"high": "8.0", "medium": "5.0", "low": "3.0"}[self.value]


class Origin(Enum):
    """Where an observed value came from; it changes the wording and, for fixes, the safety."""

    LITERAL = "literal"  # written as a literal in source
    COMPUTED = "computed"  # evaluated from an expression of known constants
    ENV_DEFAULT = "env-default"  # the default of an environment read: true unless the env is set
    LIVE = "live"  # read from the live django.conf.settings (system checks)
    DJANGO_DEFAULT = "django-default"  # never set: Django's global default applies


class _UnknownValueType:
    """The type of :data:`UNKNOWN_VALUE` (a singleton that survives pickling)."""

    _instance: ClassVar[_UnknownValueType | None] = None

    def __new__(cls) -> _UnknownValueType:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "<unknown value>"

    def __bool__(self) -> bool:
        return True  # judges test falsiness: an unknown value must never look falsy

    def __reduce__(self) -> str:
        return "UNKNOWN_VALUE"


#: The value of a setting whose *expression* is known but whose value is not: an environment
#: read with no default (``os.environ["K"]``). HS133 needs it to see that SECRET_KEY_FALLBACKS
#: repeats SECRET_KEY's expression (its ``source``) when neither value is knowable. Every judge
#: that can see it treats it as "no opinion": it is not a str, bytes or falsy value, and it is
#: equal only to itself. The linter passes it only for the settings a family lists in
#: ``UNKNOWN_VALUE_SETTINGS`` (hs13x_secret_key), so no other judge ever sees it.
UNKNOWN_VALUE = _UnknownValueType()


@dataclass(frozen=True)
class Observed:
    """A value a judge can reason about, with its provenance.

    ``parts`` holds the items of a list or tuple when each was observed on its own (the linter
    fills it, so HS133 can tell a literal fallback from one read from the environment).
    ``source`` is the expression as written, when there is one: HS133 compares it.
    """

    value: object
    origin: Origin = Origin.LITERAL
    env_var: str | None = None
    source: str | None = None
    parts: tuple[Observed, ...] = ()

    @property
    def is_literal(self) -> bool:
        return self.origin in (Origin.LITERAL, Origin.COMPUTED)


@dataclass(frozen=True)
class Options:
    """Knobs of the judgement that users configure (``[tool.hardsess]``, HARDSESS settings)."""

    max_session_age: int = DEFAULT_MAX_SESSION_AGE
    #: Classifies a MIDDLEWARE entry: returns the short name of the Django cookie middleware it
    #: is (or subclasses), "hardsess" for the firewall, or None. The linter matches names; the
    #: system checks import the class and follow subclasses.
    classify_middleware: Callable[[str], str | None] = field(
        default=lambda path: "hardsess" if path == MIDDLEWARE else COOKIE_MIDDLEWARE.get(path)
    )
    #: Cookie names the site's own JavaScript reads, with where (``"static/js/app.js:12"``):
    #: HttpOnly would break that script, so the judges ask none for them. The linter fills it
    #: from the project's templates and static files (hardsess.lint.script_cookies).
    script_cookies: tuple[tuple[str, str], ...] = ()

    def read_by_script(self, name: object) -> str | None:
        """Where the site's JavaScript reads the cookie ``name``, or None."""
        for known, where in self.script_cookies:
            if known == name:
                return where
        return None


@dataclass(frozen=True)
class Verdict:
    """One finding of a judge: the setting (or keyword) to point at, and what is wrong."""

    setting: str
    message: str
    severity: Severity | None = None  # overrides the rule's severity for this finding


Judge = Callable[[Mapping[str, Observed], Options], Iterator[Verdict]]


@dataclass(frozen=True, kw_only=True)
class Rule:
    """One catalogue record, written beside its judge in the family module of its ID decade.

    ``settings`` are the setting names (settings rules) or keyword names (code rules) the judge
    reads. ``secure_value`` is Python source for the value the linter writes when it replaces
    an insecure literal (None: no value replacement). ``fix_summary`` is the sentence the docs
    and SARIF show about how a finding is fixed. ``deploy_only`` rules matter only in
    production (Secure flags, secret strength); the system checks register them with
    ``deploy=True``. ``explicit_only`` rules never judge Django's own default. ``opt_in`` rules
    run only when selected. ``source_only`` rules judge how a value is written, which the live
    settings cannot show, so no system check reports them. ``judge`` is None for a rule whose
    judgement is about source structure, made by its lint rule alone (HS203).

    ``firewall_flags`` are the flags (``CookieRequirements`` fields: ``secure``, ``httponly``,
    ``samesite``) any one of which, enforced at runtime by the cookie firewall on the cookie a
    verdict's setting belongs to, leaves the browser with nothing this rule warns about: the
    system checks then do not report the verdict (hardsess.enforced). ``django_checks`` are the
    IDs of Django's own system checks that judge the same setting the same way: the checks leave
    the finding to Django's (hardsess.django_overlap). Both are listed in docs/checks.md.
    """

    id: str
    name: str
    severity: Severity
    kind: Literal["settings", "code"]
    settings: tuple[str, ...]
    summary: str
    help: str
    judge: Judge | None
    secure_value: str | None = None
    fix_summary: str | None = None
    cwe: int | None = None
    deploy_only: bool = False
    explicit_only: bool = False
    opt_in: bool = False
    source_only: bool = False
    firewall_flags: tuple[str, ...] = ()
    django_checks: tuple[str, ...] = ()

    @property
    def check_id(self) -> str:
        """The Django system check ID: ``hardsess.E101`` for high severity, else ``W``."""
        letter = "E" if self.severity is Severity.HIGH else "W"
        return f"hardsess.{letter}{self.id[2:]}"

    @property
    def url(self) -> str:
        return f"https://github.com/hardsess/hardsess/blob/main/docs/rules.md#{self.id.lower()}"
