"""Cookies the site's own JavaScript reads (hardsess.lint.script_cookies): found in templates
and static files, and neither asked for HttpOnly nor given it by a safe fix."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hardsess.lint import script_cookies
from hardsess.lint.config import Config
from hardsess.lint.runner import lint_paths
from hardsess.lint.script_cookies import read_names, scan

APP_JS = """\
// the theme switcher
const theme = document.cookie.match(/(^|;)\\s*theme=([^;]+)/);
document.cookie = "written=1; path=/";
const consent = document.cookie.split("; ").find((row) => row.startsWith("consent="));
var seen = $.cookie("seen_banner");
$.cookie("set_by_jquery", "1");
Cookies.get('cart_id');
const csrftoken = getCookie("csrftoken");
"""


def names(text: str) -> dict[str, int]:
    return dict(read_names(text))


def test_reads_are_found_and_writes_are_not() -> None:
    assert names(APP_JS) == {
        "theme": 2,
        "consent": 4,
        "seen_banner": 5,
        "cart_id": 7,
        "csrftoken": 8,
    }


def test_a_name_after_a_non_capturing_group_is_a_read() -> None:
    # /(?:^|; )name=/: the character before the name is the group's ")".
    line = "var m = document.cookie.match(/(?:^|; )geo_country=([^;]*)/);"
    assert names(line) == {"geo_country": 1}


def test_a_write_after_a_read_on_one_line_is_not_a_read() -> None:
    assert names('var all = document.cookie; document.cookie = "later=1";') == {}


def test_a_name_built_at_runtime_is_never_matched() -> None:
    assert names("getCookie(prefix + 'x'); Cookies.get(name);") == {}


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))


def test_scan_prunes_dependencies_skips_large_files_and_names_the_first_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "static/js/app.js": APP_JS,
            "templates/base.html": "<script>getCookie('theme'); Cookies.get('tz')</script>",
            "node_modules/lib/index.js": "Cookies.get('from_a_dependency')",
            "static/js/vendor.min.js": "Cookies.get('minified')",
            "static/js/big.js": "Cookies.get('big')" + " " * script_cookies.MAX_FILE_BYTES,
        },
    )
    found = dict(scan([tmp_path], base=tmp_path))
    assert found["theme"] == "static/js/app.js:2"
    assert found["tz"] == "templates/base.html:1"
    assert {"from_a_dependency", "minified", "big"}.isdisjoint(found)


def test_scan_stops_at_the_file_count_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {f"static/{i:02}.js": f"Cookies.get('c{i:02}')" for i in range(10)})
    monkeypatch.setattr(script_cookies, "MAX_FILES", 3)
    assert [name for name, _ in scan([tmp_path])] == ["c00", "c01", "c02"]


PROJECT = {
    "pyproject.toml": "[project]\nname = 'site'\n",
    "static/js/app.js": APP_JS,
}


def lint(root: Path, monkeypatch: pytest.MonkeyPatch, fix: str = "none") -> list[tuple[str, str]]:
    monkeypatch.chdir(root)
    result = lint_paths(["."], Config(root=root), fix=fix)  # type: ignore[arg-type]
    return [(f.rule_id, f.message) for f in result.findings]


def test_a_cookie_read_by_script_is_not_asked_for_httponly_and_the_message_says_where(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            **PROJECT,
            "shop/views.py": """\
                def view(request, response):
                    response.set_cookie("theme", "dark")
                    response.set_cookie("cart_id", "1", secure=True, httponly=False, samesite="Lax")
                    response.set_cookie("private", "1")
            """,
        },
    )
    findings = lint(tmp_path, monkeypatch)
    assert [rule for rule, _ in findings] == ["HS201", "HS201"]
    theme, private = (message for _, message in findings)
    assert "without secure=, samesite=" in theme
    assert "read by JavaScript in static/js/app.js:2" in theme
    assert "httponly=" in private
    assert "JavaScript" not in private
    lint(tmp_path, monkeypatch, fix="safe")
    fixed = (tmp_path / "shop/views.py").read_text()
    assert 'set_cookie("theme", "dark", secure=True, samesite="Lax")' in fixed
    assert 'set_cookie("private", "1", secure=True, httponly=True, samesite="Lax")' in fixed


def test_the_language_cookie_read_by_script_may_be_readable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = "settings.py"
    write(tmp_path, {"pyproject.toml": "", settings: "LANGUAGE_COOKIE_HTTPONLY = False\n"})
    assert [rule for rule, _ in lint(tmp_path, monkeypatch)] == ["HS122"]
    write(tmp_path, {"templates/menu.html": "<script>getCookie('django_language')</script>"})
    assert lint(tmp_path, monkeypatch) == []
    write(
        tmp_path,
        {settings: 'LANGUAGE_COOKIE_HTTPONLY = False\nLANGUAGE_COOKIE_NAME = "lang"\n'},
    )
    assert [rule for rule, _ in lint(tmp_path, monkeypatch)] == ["HS122"]  # another name


def test_httponly_on_the_session_cookie_read_by_script_is_reported_but_not_a_safe_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(
        tmp_path,
        {
            "pyproject.toml": "",
            "settings.py": "SESSION_COOKIE_HTTPONLY = False\n",
            "static/legacy.js": "var sid = Cookies.get('sessionid');\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    result = lint_paths(["."], Config(root=tmp_path), fix="safe")
    (finding,) = result.findings
    assert finding.rule_id == "HS102"
    assert finding.fix == "unsafe"
    assert "read by JavaScript in static/legacy.js:1" in finding.fix_description
    assert (tmp_path / "settings.py").read_text() == "SESSION_COOKIE_HTTPONLY = False\n"


def test_no_scan_when_no_file_can_have_an_httponly_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"pyproject.toml": "", "settings.py": "SESSION_COOKIE_SECURE = False\n"})
    scanned: list[object] = []
    monkeypatch.setattr(script_cookies, "scan", lambda *a, **k: scanned.append(a) or ())
    assert [rule for rule, _ in lint(tmp_path, monkeypatch)] == ["HS101"]
    assert scanned == []
    write(tmp_path, {"views.py": "response.set_cookie('k', 'v')\n"})
    lint(tmp_path, monkeypatch)
    assert len(scanned) == 1
