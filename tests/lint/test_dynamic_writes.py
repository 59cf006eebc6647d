"""Writes through ``globals()`` in settings modules: bounded where the code says which names
(hardsess.lint.dynamic_writes), opaque otherwise.

Each case is a small settings package of our own in the shape real projects use (a table of
parameter objects, an env-to-setting dict handed to a loader, a prefix-guarded copy, an
e-mail URL spread into the module). Bounded: the names written are unknown and every other
setting keeps Django's default, so line-1 findings are still made. Unbounded: no default is
assumed at all.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hardsess.lint.deploy import effective_settings
from hardsess.policy import Origin

#: Two catalogue settings no case writes visibly: one must stay a default (bounded) or become
#: unknown (unbounded).
INSIDE = "SESSION_COOKIE_SECURE"
OUTSIDE = "CSRF_COOKIE_SECURE"


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    for directory in {(root / n).parent for n in files}:
        while directory != root:
            (directory / "__init__.py").touch()
            directory = directory.parent


def judged(root: Path, module: str = "proj.settings") -> tuple[set[str], set[str]]:
    """(settings unknown, settings at Django's default) of the module."""
    effective, errors = effective_settings(module, [root])
    assert errors == []
    assert effective is not None
    defaults = {
        name
        for name, observed in effective.values.items()
        if observed.origin is Origin.DJANGO_DEFAULT
    }
    return set(effective.unknown), defaults


BOUNDED = {
    "literal names": {
        "proj/settings.py": f"""
            import os
            for name in ("{INSIDE}", "LOGIN_URL"):
                globals()[name] = os.environ.get(name)
        """,
    },
    "a table of parameter objects, re-exported by a package": {
        "proj/config/parameters.py": f"""
            from .param import ConfigParam
            PARAMS = (
                ConfigParam(name="BANNER", default=""),
                ConfigParam(name="{INSIDE}", default=True),
            )
        """,
        "proj/config/param.py": "class ConfigParam:\n    def __init__(self, **kw): ...\n",
        "proj/config/__init__.py": "from .parameters import PARAMS\n",
        "proj/settings.py": """
            import configuration
            from proj.config import PARAMS as CONFIG_PARAMS
            for param in CONFIG_PARAMS:
                if hasattr(configuration, param.name):
                    globals()[param.name] = getattr(configuration, param.name)
        """,
    },
    "a prefix guard": {
        "proj/settings.py": """
            import configuration
            for param in dir(configuration):
                if param.startswith(("SESSION_", "SOCIAL_AUTH_")):
                    globals()[param] = getattr(configuration, param)
        """,
    },
    "a loader handed globals(), writing the values of its module's dict": {
        "proj/notifications/settings.py": f"""
            _ENV_TO_SETTING = {{
                "APP_ALERTS": "ALERT_REFRESH",
                "APP_SECURE": "{INSIDE}",
            }}

            def populate_settings(env, target: dict) -> None:
                for env_var, setting_name in _ENV_TO_SETTING.items():
                    target[setting_name] = env(env_var)
        """,
        "proj/settings.py": """
            import environ
            from proj.notifications.settings import populate_settings as _populate
            env = environ.Env()
            _populate(env, globals())
        """,
    },
    "django-environ's e-mail URL spread into the module, and a literal dict": {
        "proj/settings.py": f"""
            import environ
            env = environ.FileAwareEnv()
            EMAIL_CONFIG = env.email_url("APP_EMAIL_URL", default="smtp://localhost:25")
            vars().update(EMAIL_CONFIG)
            globals().update({{"{INSIDE}": env.bool("APP_SECURE", default=True)}})
        """,
    },
}


@pytest.mark.parametrize("files", BOUNDED.values(), ids=BOUNDED.keys())
def test_bounded_writes_leave_other_defaults_standing(
    tmp_path: Path, files: dict[str, str]
) -> None:
    write(tmp_path, files)
    unknown, defaults = judged(tmp_path)
    assert INSIDE in unknown
    assert OUTSIDE in defaults
    assert INSIDE not in defaults


UNBOUNDED = {
    "a loop over the environment": "import os\nfor k in os.environ:\n    globals()[k] = 1\n",
    "an update with a computed mapping": "globals().update(read_settings())\n",
    "a function outside the project": "from loader import load_into\nload_into(globals())\n",
    "a method handed globals()": "import loader\nloader.load(globals())\n",
    "the write in the else of a prefix guard": (
        "import cfg\nfor p in dir(cfg):\n"
        "    if p.startswith('SOCIAL_'):\n        pass\n"
        "    else:\n        globals()[p] = getattr(cfg, p)\n"
    ),
    "a starred element": "X = [*more]\nfor n in X:\n    globals()[n] = 1\n",
    "a table entry without its name keyword": (
        "PARAMS = (Param('A'),)\nfor p in PARAMS:\n    globals()[p.name] = 1\n"
    ),
    "the namespace kept for later": "namespace = globals()\n",
}


@pytest.mark.parametrize("source", UNBOUNDED.values(), ids=UNBOUNDED.keys())
def test_unbounded_writes_make_the_module_opaque(tmp_path: Path, source: str) -> None:
    write(tmp_path, {"proj/settings.py": source})
    unknown, defaults = judged(tmp_path)
    assert {INSIDE, OUTSIDE} <= unknown
    assert defaults == set()


def test_a_loader_that_hands_the_namespace_on_is_unbounded(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "proj/loader.py": ("def populate(target):\n    target['A'] = 1\n    other(target)\n"),
            "proj/settings.py": "from proj.loader import populate\npopulate(globals())\n",
        },
    )
    unknown, defaults = judged(tmp_path)
    assert OUTSIDE in unknown
    assert defaults == set()


def test_a_bounded_write_in_a_star_imported_module_bounds_the_importer(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "proj/base.py": f"for n in ['{INSIDE}']:\n    globals()[n] = True\n",
            "proj/settings.py": "from .base import *\n",
        },
    )
    unknown, defaults = judged(tmp_path)
    assert INSIDE in unknown
    assert OUTSIDE in defaults
