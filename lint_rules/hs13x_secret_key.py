"""SECRET_KEY in source (HS131), weak (HS132), fallbacks in source (HS133), and the legacy
signed-cookie salt (HS134).

Django's own ``check --deploy`` (security.W009) tests the *live* key for strength and the
``django-insecure-`` prefix ``startproject`` writes; it cannot see that a strong key is
committed to the repository. These rules read the source, so they can. No fix is offered for
keys: the right fix (rotate, move to the environment or a secrets store) is never a text edit.

The keys below are public examples, made up for these tests.
"""

from __future__ import annotations

from hardsess.lint.rule import Invalid, SettingsRule, Valid
from hardsess.policy import by_id

#: Long and varied enough to pass Django's strength test, so only "in source" is wrong with it.
_STRONG = "example-only-4f7Qz9Lm2Xv8Rk1Tj6Wb3Nc5Hd0Gs-public-test-key"
_INSECURE = "django-insecure-ll#nzqmr)ig^vu^$r_)k$yephi@flua)8=9_q+tu%1-=^==kmb"


class SecretKeyInSource(SettingsRule):
    """HS131: a string literal, or an environment read with a literal default."""

    record = by_id("HS131")
    VALID = (
        Valid('import os\nSECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n'),
        Valid('from decouple import config\nSECRET_KEY = config("SECRET_KEY")\n'),
        Valid('import environ\nenv = environ.Env()\nSECRET_KEY = env("SECRET_KEY")\n'),
        Valid('import os\nSECRET_KEY = os.environ.get("SECRET_KEY")  # None when unset\n'),
        Valid(
            "from pathlib import Path\n"
            'SECRET_KEY = Path("/run/secrets/django_key").read_text().strip()\n'
        ),
        # Weak literals are HS132's: reported once, under the more specific ID.
        Valid(f'SECRET_KEY = "{_INSECURE}"\n'),
        Valid(f'SECRET_KEY = "{_STRONG}"  # hardsess: ignore[HS131]\n'),
        Valid(f'TEST_SECRET = "{_STRONG}"  # not SECRET_KEY\n'),
    )
    INVALID = (
        Invalid(f'SECRET_KEY = "{_STRONG}"\n'),
        Invalid(f'SECRET_KEY = b"{_STRONG}"\n'),
        Invalid(f'import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "{_STRONG}")\n'),
        Invalid(f'import os\nSECRET_KEY = os.getenv("SECRET_KEY", default="{_STRONG}")\n'),
        Invalid(
            f'from decouple import config\nSECRET_KEY = config("SECRET_KEY", default="{_STRONG}")\n'
        ),
        Invalid(
            "import environ\n"
            "env = environ.Env()\n"
            f'SECRET_KEY = env.str("SECRET_KEY", default="{_STRONG}")\n'
        ),
        Invalid(f'SECRET_KEY = "{_STRONG}"  # noqa: S105 (bandit/ruff only)\n'),
        Invalid(
            "from configurations import Configuration\n\n\n"
            "class Dev(Configuration):\n"
            f'    SECRET_KEY = "{_STRONG}"\n'
        ),
    )


class SecretKeyWeak(SettingsRule):
    """HS132: a literal under 50 characters, under 5 distinct, or ``django-insecure-``."""

    record = by_id("HS132")
    VALID = (
        Valid(f'SECRET_KEY = "{_STRONG}"  # strong: HS131 reports it instead\n'),
        Valid('import os\nSECRET_KEY = os.environ["SECRET_KEY"]\n'),
        Valid('SECRET_KEY = "changeme"  # hardsess: ignore[HS132]\n'),
    )
    INVALID = (
        Invalid(f"SECRET_KEY = '{_INSECURE}'\n"),
        Invalid('SECRET_KEY = "changeme"\n'),
        Invalid('SECRET_KEY = "ab" * 40  # 80 characters, 2 distinct\n'),
        Invalid('import os\nSECRET_KEY = os.environ.get("SECRET_KEY", "dev")\n'),
        Invalid(
            "from decouple import config\n"
            f'SECRET_KEY = config("SECRET_KEY", default="{_INSECURE}")\n'
        ),
    )


class SecretKeyFallbacksLiteral(SettingsRule):
    """HS133: SECRET_KEY_FALLBACKS holds string literals or repeats SECRET_KEY."""

    record = by_id("HS133")
    VALID = (
        Valid("SECRET_KEY_FALLBACKS = []\n"),
        Valid(
            "import os\n"
            'SECRET_KEY = os.environ["SECRET_KEY"]\n'
            'SECRET_KEY_FALLBACKS = [os.environ["OLD_SECRET_KEY"]]\n'
        ),
        Valid('import os\nSECRET_KEY = os.environ["SECRET_KEY"]\nSECRET_KEY_FALLBACKS = []\n'),
        Valid(
            "import os\n"
            'SECRET_KEY = os.environ["OLD_SECRET_KEY"]\n'
            "SECRET_KEY_FALLBACKS = [SECRET_KEY]  # the old key, then the new one below\n"
            'SECRET_KEY = os.environ["SECRET_KEY"]\n'
        ),
        Valid(
            'import os\nSECRET_KEY_FALLBACKS = os.environ.get("OLD_SECRET_KEYS", "").split(",")\n'
        ),
    )
    INVALID = (
        Invalid(f'SECRET_KEY_FALLBACKS = ["{_STRONG}"]\n'),
        Invalid(f'import os\nSECRET_KEY_FALLBACKS = [os.environ["OLD_SECRET_KEY"], "{_STRONG}"]\n'),
        Invalid(
            "import os\n"
            'SECRET_KEY = os.environ.get("SECRET_KEY")\n'
            'SECRET_KEY_FALLBACKS = [os.environ.get("SECRET_KEY")]\n'
        ),
        Invalid(
            "import os\n"
            'SECRET_KEY = os.environ.get("SECRET_KEY", "")\n'
            "SECRET_KEY_FALLBACKS = [SECRET_KEY]\n"
        ),
        # With no default the key's value is unknown, but its expression is compared.
        Invalid(
            "import os\n"
            'SECRET_KEY = os.environ["SECRET_KEY"]\n'
            "SECRET_KEY_FALLBACKS = [SECRET_KEY]\n"
        ),
        Invalid(
            "import os\n"
            'SECRET_KEY = os.environ["SECRET_KEY"]\n'
            'SECRET_KEY_FALLBACKS = [os.environ["SECRET_KEY"]]\n'
        ),
    )


class SignedCookieLegacySalt(SettingsRule):
    """HS134: SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True keeps the pre-CVE-2026-6873 salt."""

    record = by_id("HS134")
    VALID = (
        Valid("SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False\n"),
        Valid("SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True  # hardsess: ignore[HS134]\n"),
    )
    INVALID = (
        Invalid(
            "SIGNED_COOKIE_LEGACY_SALT_FALLBACK = True  # until 2026-09\n",
            fixed="SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False  # until 2026-09\n",
        ),
        Invalid(
            "import os\n"
            'SIGNED_COOKIE_LEGACY_SALT_FALLBACK = os.environ.get("LEGACY_SALT", "1") == "1"\n',
            unsafe_fixed="import os\n"
            'SIGNED_COOKIE_LEGACY_SALT_FALLBACK = os.environ.get("LEGACY_SALT", "False") == "1"\n',
        ),
    )
