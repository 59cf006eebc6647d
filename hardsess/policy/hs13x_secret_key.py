"""HS131-HS134: the signing secret (SECRET_KEY, its fallbacks, the legacy salt).

:func:`secret_key_weakness` is the one judge of a signing secret's strength: HS132 applies it
to SECRET_KEY and ``hardsess.keyring.validate_keyring`` to every ``HARDSESS["KEYS"]`` secret.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from hardsess.policy.judges import describe
from hardsess.policy.types import UNKNOWN_VALUE, Observed, Options, Origin, Rule, Severity, Verdict

__all__ = ["RULES", "UNKNOWN_VALUE_SETTINGS", "secret_key_weakness"]

#: The settings the linter observes as :data:`~hardsess.policy.types.UNKNOWN_VALUE` (with
#: their source) instead of leaving them unknown. The judges reading them (HS131, HS132,
#: HS133) ignore the marker.
UNKNOWN_VALUE_SETTINGS: frozenset[str] = frozenset({"SECRET_KEY"})


def secret_key_weakness(value: object) -> str | None:
    """Django's own strength test for SECRET_KEY, plus the startproject prefix.

    The one judge of a signing secret: HS132 applies it to SECRET_KEY and
    ``hardsess.keyring.validate_keyring`` to every ``HARDSESS["KEYS"]`` secret (hardsess.E161),
    so a secret is never weak for one and strong for the other. The reason returned never
    quotes the secret.
    """
    if not isinstance(value, (str, bytes)):
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    if text.startswith("django-insecure-"):
        return "it is the insecure key `startproject` generated"
    if len(text) < 50:
        return f"it has {len(text)} characters (at least 50 are needed)"
    if len(set(text)) < 5:
        return f"it has {len(set(text))} distinct characters (at least 5 are needed)"
    return None


def _secret_key_literal(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SECRET_KEY")
    if observed is None or not isinstance(observed.value, (str, bytes)):
        return  # also UNKNOWN_VALUE: an environment read with no default is what we want
    if observed.origin not in (Origin.LITERAL, Origin.COMPUTED, Origin.ENV_DEFAULT):
        return  # the live value cannot say how it was written
    if secret_key_weakness(observed.value):
        return  # HS132 reports it instead
    where = "an environment default" if observed.origin is Origin.ENV_DEFAULT else "source"
    yield Verdict(
        "SECRET_KEY",
        f"SECRET_KEY is a literal in {where}: anyone with the code can forge sessions and "
        "signed cookies; read it from the environment or a secrets store, with no default",
    )


HS131 = Rule(
    id="HS131",
    name="secret-key-in-source",
    severity=Severity.HIGH,
    kind="settings",
    settings=("SECRET_KEY",),
    summary="SECRET_KEY is written in source.",
    help="Everyone who can read the repository can forge sessions, password-reset tokens and "
    "signed cookies. Read SECRET_KEY from the environment or a secrets store, with no "
    "literal default. (The live value cannot show how it was written, so the system check "
    "does not report this rule.)",
    judge=_secret_key_literal,
    cwe=798,
    deploy_only=True,
    source_only=True,
)


def _secret_key_weak(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SECRET_KEY")
    if observed is None or observed.origin is Origin.DJANGO_DEFAULT:
        return
    if observed.value in ("", b""):
        # No weak key: Django refuses to run with an empty one (ImproperlyConfigured on first
        # use), so nothing is ever signed with it. In source it is what
        # `env("SECRET_KEY", default="")` leaves to a deployment that must set the variable;
        # live, the deployment fails at once, and Django's own security.W009 says why.
        return
    # UNKNOWN_VALUE is not a str or bytes, so secret_key_weakness has no opinion on it.
    weakness = secret_key_weakness(observed.value)
    if weakness:
        kind = "SECRET_KEY" if observed.origin is Origin.LIVE else "SECRET_KEY is a literal and"
        yield Verdict("SECRET_KEY", f"{kind} weak: {weakness}")


HS132 = Rule(
    id="HS132",
    name="secret-key-weak",
    severity=Severity.HIGH,
    kind="settings",
    settings=("SECRET_KEY",),
    summary="SECRET_KEY is weak or the startproject placeholder.",
    help="Under 50 characters, under 5 distinct characters, or prefixed django-insecure-: the "
    "key `startproject` generates for development. Reported instead of HS131.",
    judge=_secret_key_weak,
    cwe=798,
    deploy_only=True,
    django_checks=("security.W009",),
)


def _fallbacks(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    fallbacks = values.get("SECRET_KEY_FALLBACKS")
    if fallbacks is None or not isinstance(fallbacks.value, (list, tuple)):
        return
    secret = values.get("SECRET_KEY")
    if fallbacks.origin is not Origin.LIVE:
        parts = fallbacks.parts or tuple(Observed(v, fallbacks.origin) for v in fallbacks.value)
        if any(p.is_literal and isinstance(p.value, (str, bytes)) for p in parts):
            yield Verdict(
                "SECRET_KEY_FALLBACKS",
                "SECRET_KEY_FALLBACKS contains a string literal: an old key in source "
                "still verifies every cookie and session it ever signed",
            )
            return
        # SECRET_KEY may be UNKNOWN_VALUE (``os.environ["K"]``): its source still compares.
        same_source = (
            secret is not None
            and secret.source is not None
            and any(p.source == secret.source for p in parts)
        )
        if same_source:
            yield Verdict(
                "SECRET_KEY_FALLBACKS",
                "SECRET_KEY_FALLBACKS repeats SECRET_KEY: a rotation that forgets to drop it "
                "keeps the old key alive",
            )
            return
    if (
        secret is not None
        and secret.value is not None
        and secret.value is not UNKNOWN_VALUE  # unknown: no opinion on the value
        and secret.value in fallbacks.value
    ):
        yield Verdict(
            "SECRET_KEY_FALLBACKS",
            "SECRET_KEY_FALLBACKS contains SECRET_KEY itself: a rotation that forgets to drop "
            "it keeps the old key alive",
        )


HS133 = Rule(
    id="HS133",
    name="secret-key-fallbacks-literal",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("SECRET_KEY_FALLBACKS", "SECRET_KEY"),
    summary="SECRET_KEY_FALLBACKS holds literals or repeats SECRET_KEY.",
    help="An old key kept in source still verifies everything it ever signed; repeating "
    "SECRET_KEY means the rotation never ends. Read fallbacks from the environment and "
    "drop them once the longest cookie life has passed (docs/rotation.md).",
    judge=_fallbacks,
    cwe=798,
    deploy_only=True,
)


def _legacy_salt(values: Mapping[str, Observed], options: Options) -> Iterator[Verdict]:
    observed = values.get("SIGNED_COOKIE_LEGACY_SALT_FALLBACK")
    if observed is not None and observed.value:
        yield Verdict(
            "SIGNED_COOKIE_LEGACY_SALT_FALLBACK",
            f"{describe('SIGNED_COOKIE_LEGACY_SALT_FALLBACK', observed)}: signed cookies still "
            "verify with the pre-CVE-2026-6873 salt, so one cookie's value can be replayed as "
            "another's",
        )


HS134 = Rule(
    id="HS134",
    name="signed-cookie-legacy-salt",
    severity=Severity.MEDIUM,
    kind="settings",
    settings=("SIGNED_COOKIE_LEGACY_SALT_FALLBACK",),
    summary="Signed cookies still accept the legacy salt.",
    help="SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True (the default of Django 5.2 and 6.0; 6.1 "
    "defaults to False) keeps the "
    "pre-CVE-2026-6873 salt alive, so a signed value of one cookie verifies as another. "
    "Set it to False once cookies signed before the upgrade have expired.",
    judge=_legacy_salt,
    secure_value="False",
    fix_summary="replace the literal with False (safe)",
    cwe=345,
    deploy_only=True,
)

RULES = (HS131, HS132, HS133, HS134)
