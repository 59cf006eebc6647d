"""Output formats of ``hardsess lint``: text, json, sarif, github; plus --statistics.

Each reporter module has ``render(run, *, color=False) -> str``. :func:`render` picks one
by name and imports only that module (json is not imported for text output).
"""

from __future__ import annotations

import importlib

from hardsess.lint.runner import RunResult

__all__ = ["FORMATS", "render"]

FORMATS = ("text", "json", "sarif", "github")
_MODULES = {
    "text": "text",
    "json": "json_report",
    "sarif": "sarif",
    "github": "github",
}


def render(format: str, run: RunResult, *, color: bool = False) -> str:
    """The run in ``format`` (one of :data:`FORMATS`); ValueError for an unknown format."""
    if format not in _MODULES:
        raise ValueError(f"unknown format {format!r}; choose from {', '.join(FORMATS)}")
    module = importlib.import_module(f"{__name__}.{_MODULES[format]}")
    text: str = module.render(run, color=color)
    return text
