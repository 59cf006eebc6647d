"""The shape of hardsess/lifecycle: what users import keeps working, nothing inside leans on
the re-export modules, no import cycle, and the app's ready() loads none of the request path."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.utils.module_loading import import_string

from hardsess import conf, policy, sessions
from hardsess.lifecycle import clock
from hardsess.lifecycle.middleware import SessionLifecycleMiddleware

ROOT = Path(__file__).resolve().parents[2]
LIFECYCLE = ROOT / "hardsess" / "lifecycle"
#: The modules that only re-export the package, for the paths the documentation gives.
RE_EXPORTS = ("hardsess.sessions", "hardsess.privileges", "hardsess.revocation")


def _documented_imports() -> set[str]:
    """Every ``hardsess.sessions.X`` (and privileges, revocation) README.md and docs/ name."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    names = set()
    for page in pages:
        text = page.read_text()
        names |= set(re.findall(r"\bhardsess\.(?:sessions|privileges|revocation)\.\w+", text))
        for module, listed in re.findall(
            r"from (hardsess\.(?:sessions|privileges|revocation)) import ([\w, ]+)", text
        ):
            names |= {f"{module}.{name.strip()}" for name in listed.split(",")}
    return names


def test_every_documented_import_works() -> None:
    documented = _documented_imports()
    assert "hardsess.sessions.SessionLifecycleMiddleware" in documented
    assert "hardsess.privileges.groups_changed" in documented
    for dotted in sorted(documented):
        import_string(dotted)


def test_the_middleware_path_users_put_in_settings_is_the_class() -> None:
    assert import_string(policy.LIFECYCLE_MIDDLEWARE) is SessionLifecycleMiddleware
    assert import_string(conf.LIFECYCLE_MIDDLEWARE_PATH) is SessionLifecycleMiddleware


def test_hardsess_sessions_clock_replaces_the_clock_the_lifecycle_reads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The documented seam (docs/sessions.md; examples/demo_sessions.py assigns it)."""
    real = clock.now

    def fake() -> float:
        return 42.0

    assert sessions.clock is real
    with monkeypatch.context() as patch:
        patch.setattr(sessions, "clock", fake)
        assert (clock.now, sessions.clock) == (fake, fake)
    assert clock.now is real
    sessions.clock = fake
    try:
        assert clock.now() == 42.0
    finally:
        sessions.clock = real
    assert clock.now is real


def _imports(path: Path) -> set[str]:
    """The hardsess modules ``path`` imports, deferred and TYPE_CHECKING imports included."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {f"{node.module}.{alias.name}" for alias in node.names} | {node.module}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return {name for name in found if name.startswith("hardsess")}


def _lifecycle_imports() -> dict[str, set[str]]:
    """Each module of the package, with the hardsess modules it imports."""
    paths = LIFECYCLE.glob("*.py")
    return {f"hardsess.lifecycle.{p.stem}": _imports(p) for p in paths if p.stem != "__init__"}


def test_the_lifecycle_never_imports_its_own_re_exports() -> None:
    """Code inside the package imports the module that holds a name, never hardsess.sessions
    and the like: that is how the old sessions <-> privileges cycle came about."""
    for module, imported in _lifecycle_imports().items():
        assert not imported & set(RE_EXPORTS), module


def test_no_import_cycle_among_the_lifecycle_modules() -> None:
    imports = _lifecycle_imports()
    graph = {module: imported & set(imports) for module, imported in imports.items()}
    done: set[str] = set()

    def visit(module: str, path: tuple[str, ...]) -> None:
        assert module not in path, " -> ".join((*path, module))
        if module in done:
            return
        for imported in sorted(graph[module]):
            visit(imported, (*path, module))
        done.add(module)

    for module in sorted(graph):
        visit(module, ())


def test_the_apps_ready_loads_no_request_machinery() -> None:
    """apps.py is on every manage.py command's path: ready() connects the group receivers and
    registers the checks, and loads neither the middleware, the login receivers nor the
    session engines' scans."""
    code = (
        "import sys, django\n"
        "django.setup()\n"
        "print(sorted(m for m in sys.modules if m.startswith('hardsess.lifecycle.')))\n"
    )
    env: dict[str, Any] = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.project.settings"}
    env["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120
    )
    assert done.returncode == 0, done.stderr
    loaded = set(ast.literal_eval(done.stdout.strip()))
    assert "hardsess.lifecycle.group_changes" in loaded
    assert loaded <= {
        "hardsess.lifecycle.group_changes",
        "hardsess.lifecycle.marks",
        "hardsess.lifecycle.options",
        "hardsess.lifecycle.privileges",
    }
