"""Deploy mode (hardsess.lint.deploy): effective values across real settings modules on disk."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hardsess.lint.config import Config
from hardsess.lint.deploy import project_roots, run
from hardsess.lint.finding import Finding
from hardsess.lint.runner import RunResult
from hardsess.policy import django_defaults

FIREWALL = "hardsess.middleware.HardSessMiddleware"
SESSIONS = "django.contrib.sessions.middleware.SessionMiddleware"

#: What a deploy module must set so that Django's insecure defaults are not reported.
SAFE_DEFAULTS = """\
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
"""


#: Django's defaults that deploy mode reports when nothing sets them: Secure off for the session
#: and CSRF cookies everywhere, and the legacy salt where the installed Django keeps it
#: (5.2, 6.0; 6.1 turned it off).
DEFAULT_FINDINGS = ["HS101", "HS111"] + (
    ["HS134"] if django_defaults().get("SIGNED_COOKIE_LEGACY_SALT_FALLBACK") else []
)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    for directory in {(root / n).parent for n in files}:
        while directory != root:
            (directory / "__init__.py").touch()
            directory = directory.parent


def deploy(
    root: Path, monkeypatch: pytest.MonkeyPatch, *modules: str, config: Config | None = None
) -> RunResult:
    monkeypatch.chdir(root)
    return run(list(modules), config=config or Config(), paths=[])


def where(result: RunResult) -> list[tuple[str, int, str]]:
    return [(f.path, f.line, f.rule_id) for f in result.findings]


def test_override_in_prod_hides_base_value_and_base_value_is_reported_in_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": """\
                DEBUG = True
                SESSION_COOKIE_SECURE = False
                SESSION_COOKIE_HTTPONLY = False
                CSRF_COOKIE_SECURE = True
                SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
                """,
            "proj/settings/prod.py": """\
                from .base import *

                DEBUG = False
                SESSION_COOKIE_SECURE = not DEBUG
                """,
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert result.errors == []
    # HS101 is overridden by prod (not DEBUG is True); HS102 stays, at base.py's line 3.
    assert where(result) == [("proj/settings/base.py", 3, "HS102")]
    (finding,) = result.findings
    assert finding.source_line == "SESSION_COOKIE_HTTPONLY = False"
    assert finding.column == 1


def test_explicit_import_then_augmented_assignment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": f"""\
                INSTALLED_APPS = ["django.contrib.sessions", "hardsess"]
                MIDDLEWARE = [{SESSIONS!r}]
                """,
            "proj/settings/prod.py": "from proj.settings.base import *\n"
            "from .base import MIDDLEWARE\n" + SAFE_DEFAULTS + f"MIDDLEWARE += [{FIREWALL!r}]\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert result.errors == []
    lines = (tmp_path / "proj/settings/prod.py").read_text().splitlines()
    line = next(i for i, text in enumerate(lines, 1) if text.startswith("MIDDLEWARE +="))
    # The firewall appended below SessionMiddleware: reported where the list got its value.
    assert where(result) == [("proj/settings/prod.py", line, "HS152")]


def test_firewall_missing_after_import_reports_hs151(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": f"""\
                INSTALLED_APPS = ["hardsess"]
                MIDDLEWARE = [{SESSIONS!r}, {FIREWALL!r}]
                """,
            "proj/settings/prod.py": "from .base import *\n"
            + SAFE_DEFAULTS
            + 'MIDDLEWARE = [m for m in MIDDLEWARE if m != "x"]\n',
        },
    )
    # A comprehension is not understood: MIDDLEWARE is unknown, so neither HS151 nor HS152.
    assert where(deploy(tmp_path, monkeypatch, "proj.settings.prod")) == []


def test_django_defaults_reported_at_line_1_of_the_deploy_module(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": "SESSION_COOKIE_HTTPONLY = True\n",
            "proj/settings/prod.py": '"""Production."""\nfrom .base import *\n',
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert where(result) == [("proj/settings/prod.py", 1, r) for r in DEFAULT_FINDINGS]
    assert all("(Django's default: never set)" in f.message for f in result.findings)
    # Explicit-only rules (the language cookie) never judge Django's defaults.
    assert not any(f.rule_id.startswith("HS12") for f in result.findings)


def test_unknown_value_is_neither_reported_nor_defaulted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/prod.py": """\
                from proj.flags import secure_flag
                SESSION_COOKIE_SECURE = secure_flag()
                CSRF_COOKIE_SECURE = True
                SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
                """,
            # A loop before the return: a function the evaluator does not follow.
            "proj/flags.py": "def secure_flag():\n    for flag in (False,):\n        pass\n"
            "    return flag\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert where(result) == []
    assert result.errors == []


def test_condition_on_an_imported_name_is_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": f"DEBUG = False\n{SAFE_DEFAULTS}",
            "proj/settings/prod.py": """\
                from .base import *
                if DEBUG:
                    SESSION_COOKIE_SECURE = False
                else:
                    SESSION_COOKIE_SAMESITE = None
                """,
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert where(result) == [("proj/settings/prod.py", 5, "HS103")]


def test_star_import_honours_dunder_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": '__all__ = ["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",\n'
            '           "SIGNED_COOKIE_LEGACY_SALT_FALLBACK"]\n'
            + SAFE_DEFAULTS
            + "SESSION_COOKIE_HTTPONLY = False\n",
            "proj/settings/prod.py": "from .base import *\n",
        },
    )
    # SESSION_COOKIE_HTTPONLY is not exported, so Django's default (True) applies.
    assert where(deploy(tmp_path, monkeypatch, "proj.settings.prod")) == []


def test_settings_package_and_three_levels(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "site/conf/common.py": f"{SAFE_DEFAULTS}SESSION_COOKIE_AGE = 90 * 24 * 3600\n",
            "site/conf/staging.py": "from .common import *\nSESSION_COOKIE_DOMAIN = '.ex.com'\n",
            "site/conf/__init__.py": "from .staging import *\nSESSION_COOKIE_DOMAIN = None\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "site.conf")
    assert where(result) == [("site/conf/common.py", 4, "HS104")]


def test_suppression_comment_in_base_is_honoured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": SAFE_DEFAULTS
            + 'SESSION_COOKIE_DOMAIN = ".example.com"  # hardsess: ignore[HS105]\n'
            + 'CSRF_COOKIE_DOMAIN = ".example.com"\n',
            "proj/settings/prod.py": "from .base import *\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert [(f.rule_id, f.setting) for f in result.findings] == [("HS105", "CSRF_COOKIE_DOMAIN")]


def test_per_file_ignores_and_select_apply(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": "SESSION_COOKIE_HTTPONLY = False\n",
            "proj/settings/prod.py": "from .base import *\n",
        },
    )
    config = Config(per_file_ignores={"proj/settings/base.py": ("HS102",)}, root=tmp_path)
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", config=config)
    assert "HS102" not in [f.rule_id for f in result.findings]
    assert "HS101" in [f.rule_id for f in result.findings]
    config = Config(select=("HS102",))
    assert where(deploy(tmp_path, monkeypatch, "proj.settings.prod", config=config)) == [
        ("proj/settings/base.py", 1, "HS102")
    ]


def test_two_deploy_modules_sharing_base_report_base_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": f"{SAFE_DEFAULTS}SESSION_COOKIE_HTTPONLY = False\n",
            "proj/settings/prod.py": "from .base import *\n",
            "proj/settings/staging.py": "from .base import *\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", "proj.settings.staging")
    assert where(result) == [("proj/settings/base.py", 4, "HS102")]


def test_missing_module_on_the_command_line_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = deploy(tmp_path, monkeypatch, "proj.settings.nowhere")
    assert result.findings == []
    (error,) = result.errors
    assert error.path == "proj.settings.nowhere"
    assert "settings module not found" in error.reason
    assert "proj/settings/nowhere.py" in error.reason


def test_missing_imported_module_is_an_error_unless_guarded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/prod.py": SAFE_DEFAULTS
            + "try:\n    from .local import *\nexcept ImportError:\n    pass\n"
            + "from .secrets import *\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    (error,) = result.errors
    assert error.path == "proj/settings/prod.py"
    assert "line 8" in error.reason
    assert "proj.settings.secrets" in error.reason
    assert "local" not in error.reason
    assert result.findings == []


def test_import_cycle_is_reported_not_crashed_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/a.py": "from .b import *\nSESSION_COOKIE_HTTPONLY = False\n",
            "proj/settings/b.py": "from .a import *\nSESSION_COOKIE_SECURE = True\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.a")
    (error,) = result.errors
    assert "cycle proj.settings.a -> proj.settings.b -> proj.settings.a" in error.reason
    assert error.path == "proj/settings/b.py"
    assert ("proj/settings/a.py", 2, "HS102") in where(result)


def test_relative_import_beyond_the_top_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"settings_mod.py": f"from ..base import *\n{SAFE_DEFAULTS}"})
    result = deploy(tmp_path, monkeypatch, "settings_mod")
    (error,) = result.errors
    assert "beyond the top package" in error.reason


def test_unparsable_module_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": "SESSION_COOKIE_SECURE = (\n",
            "proj/settings/prod.py": f"from .base import *\n{SAFE_DEFAULTS}",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    (error,) = result.errors
    assert error.path == "proj/settings/base.py"
    assert error.reason.startswith("cannot parse")


def test_module_given_as_a_path_and_roots_from_paths(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "src/proj/settings/base.py": "SESSION_COOKIE_SAMESITE = 'None'\n",
            "src/proj/settings/prod.py": f"from proj.settings.base import *\n{SAFE_DEFAULTS}",
        },
    )
    monkeypatch.chdir(tmp_path)
    # The project root is src/ (a path given), not the current directory.
    result = run(["proj.settings.prod"], config=Config(), paths=["src"])
    assert where(result) == [("src/proj/settings/base.py", 1, "HS103")]
    result = run(["src/proj/settings/prod.py"], config=Config(), paths=["src"])
    assert where(result) == [("src/proj/settings/base.py", 1, "HS103")]
    assert Path(tmp_path / "src").resolve() in project_roots(["src"])


def test_third_party_star_import_is_not_followed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/prod.py": "from django.conf.global_settings import *\n" + SAFE_DEFAULTS,
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert result.errors == []
    assert result.findings == []


def test_findings_are_plain_findings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"proj/settings/prod.py": "SESSION_SERIALIZER = 'x.PickleSerializer'\n"})
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod", config=Config(select=("HS107",)))
    (finding,) = result.findings
    assert isinstance(finding, Finding)
    assert (finding.severity, finding.name, finding.setting) == (
        "high",
        "session-serializer-pickle",
        "SESSION_SERIALIZER",
    )
    assert finding.end_line == 1
    assert finding.end_column > finding.column


def test_effective_settings_api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from hardsess.lint.deploy import effective_settings
    from hardsess.policy import Origin

    write(
        tmp_path,
        {
            "proj/settings/base.py": "SESSION_COOKIE_AGE = 3600\nSESSION_ENGINE = make()\n",
            "proj/settings/prod.py": "from .base import *\nSESSION_COOKIE_AGE *= 2\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    effective, errors = effective_settings("proj.settings.prod", [tmp_path])
    assert errors == []
    assert effective is not None
    assert effective.values["SESSION_COOKIE_AGE"].value == 7200
    assert effective.writers["SESSION_COOKIE_AGE"].source.display == "proj/settings/prod.py"
    assert effective.values["CSRF_COOKIE_SECURE"].origin is Origin.DJANGO_DEFAULT
    assert "SESSION_ENGINE" in effective.unknown
    assert "SESSION_ENGINE" not in effective.values
    missing, errors = effective_settings("proj.settings.nope", [tmp_path])
    assert missing is None
    assert "settings module not found" in errors[0].reason


@pytest.mark.parametrize(
    "opaque",
    [
        'from split_settings.tools import include\ninclude("components/*.py")\n',
        "globals().update(read_settings())\n",
        'exec(open("extra.py").read())\n',
    ],
)
def test_opaque_modules_assume_no_django_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, opaque: str
) -> None:
    write(
        tmp_path,
        {
            "proj/settings/base.py": opaque + "SESSION_COOKIE_HTTPONLY = False\n",
            "proj/settings/prod.py": "from .base import *\n",
        },
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    lines = (tmp_path / "proj/settings/base.py").read_text().splitlines()
    line = lines.index("SESSION_COOKIE_HTTPONLY = False") + 1
    # What is written is still judged; what is not written may be set out of sight.
    assert where(result) == [("proj/settings/base.py", line, "HS102")]


def test_function_bodies_do_not_make_a_module_opaque(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {"proj/settings/prod.py": "def helper():\n    return globals()\n"},
    )
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert [r for _, _, r in where(result)] == DEFAULT_FINDINGS


def test_third_party_star_import_makes_the_module_opaque(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {"proj/settings/prod.py": "from hardened_defaults.django import *\nDEBUG = False\n"},
    )
    # hardened_defaults may well set SESSION_COOKIE_SECURE: no line-1 guesses.
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    assert result.findings == []
    assert result.errors == []


# --------------------------------------------------------------------------- fixes


OVERRIDDEN = {
    "proj/settings/base.py": """\
        import os

        DEBUG = False
        SESSION_COOKIE_SECURE = False
        SESSION_COOKIE_HTTPONLY = False
        CSRF_COOKIE_SECURE = os.environ.get("CSRF", "False") == "True"
        SIGNED_COOKIE_LEGACY_SALT_FALLBACK = False
        """,
    "proj/settings/prod.py": """\
        from .base import *

        SESSION_COOKIE_SECURE = not DEBUG
        """,
}


def test_deploy_findings_carry_the_fix_file_mode_offers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hardsess.lint.api import lint_source

    write(tmp_path, OVERRIDDEN)
    result = deploy(tmp_path, monkeypatch, "proj.settings.prod")
    base = (tmp_path / "proj/settings/base.py").read_text()
    by_file = {f.rule_id: f for f in lint_source(base, "proj/settings/base.py")}
    by_deploy = {f.rule_id: f for f in result.findings}
    assert sorted(by_deploy) == ["HS102", "HS111"]
    for rule_id in ("HS102", "HS111"):
        assert (by_deploy[rule_id].fix, by_deploy[rule_id].fix_description) == (
            by_file[rule_id].fix,
            by_file[rule_id].fix_description,
        )
    assert (by_deploy["HS102"].fix, by_deploy["HS102"].fix_description) == ("safe", "set True")
    assert by_deploy["HS111"].fix == "unsafe"
    # A Django default has no assignment to rewrite: no fix, as before.
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"proj/settings/bare.py": "DEBUG = False\n"})
    bare = run(["proj.settings.bare"], config=Config(select=("HS101",)), paths=[])
    assert [(f.rule_id, f.line, f.fix) for f in bare.findings] == [("HS101", 1, None)]


def test_deploy_fix_rewrites_effective_values_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, OVERRIDDEN)
    monkeypatch.chdir(tmp_path)
    before = (tmp_path / "proj/settings/base.py").read_text()
    result = run(["proj.settings.prod"], config=Config(), paths=[], fix="safe")
    assert (tmp_path / "proj/settings/base.py").read_text() == before  # never writes
    ((path, rewritten),) = result.rewritten.items()
    assert path == (tmp_path / "proj/settings/base.py").resolve()
    assert rewritten.applied == 1
    text = rewritten.content.decode()
    assert "SESSION_COOKIE_HTTPONLY = True\n" in text
    # prod overrides it: not reported, so not rewritten either.
    assert "SESSION_COOKIE_SECURE = False\n" in text
    # What remains is judged on the rewritten content: the unsafe fix only.
    assert [(f.rule_id, f.fix) for f in result.findings] == [("HS111", "unsafe")]
    unsafe = run(["proj.settings.prod"], config=Config(), paths=[], fix="unsafe")
    assert unsafe.findings == []
    assert next(iter(unsafe.rewritten.values())).applied == 2
