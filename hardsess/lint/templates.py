"""Templated Python files: Jinja / cookiecutter sources, which are not Python until rendered.

A cookiecutter tree holds ``{{cookiecutter.project_slug}}/config/settings.py`` with
``DEBUG = {{ cookiecutter.debug }}`` or ``{% if cookiecutter.use_celery %}`` in it. Such a
file is skipped as templated (reported once, never an error): what it says is decided when the
template is rendered, and a template that does not parse would otherwise make every run exit 2.

Two signs, both cheap: a path component holding ``{{ ... }}`` (cookiecutter's directory
names; the whole tree below it is template source, whether or not a file parses), and, for a
file that does not parse, Jinja's delimiters in its bytes. A file that parses is never judged
templated by its content alone: ``{{`` occurs in valid Python (``f"{{x}}"``, ``{{1}}``).
"""

from __future__ import annotations

import re

__all__ = ["TEMPLATED", "has_template_syntax", "in_template_directory"]

#: The reason a skipped templated file carries.
TEMPLATED = "skipped: templated file (Jinja/cookiecutter syntax), not Python until rendered"

# Patterns as strings, compiled on first use (re caches them): this module loads on every
# run, and almost no run has a path or a broken file for them to look at.
_PATH_MARK = r"\{\{.*\}\}"
_JINJA = rb"\{\{.*?\}\}|\{%-?\s*\w.*?%\}|\{#.*?#\}"


def in_template_directory(path: str) -> bool:
    """Whether a component of ``path`` (its directories, or the file name) is templated."""
    if "{{" not in path:
        return False
    return any(re.search(_PATH_MARK, part) for part in re.split(r"[/\\]", path))


def has_template_syntax(data: bytes) -> bool:
    """Whether ``data`` holds Jinja delimiters (``{{ x }}``, ``{% tag %}``, ``{# note #}``);
    asked only of a file that did not parse."""
    if b"{{" not in data and b"{%" not in data and b"{#" not in data:
        return False
    return re.search(_JINJA, data, re.DOTALL) is not None
