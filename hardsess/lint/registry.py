"""Finds the rule classes: every SettingsRule / CodeRule subclass in the ``lint_rules`` package.

Importing the rule modules imports libcst, so the engine calls :func:`load_rules` only once a
file has passed the byte-level pre-filter.
"""

from __future__ import annotations

import importlib
import inspect
import os
from functools import cache
from typing import NamedTuple

from hardsess.lint.rule import CodeRule, SettingsRule

__all__ = ["RuleSet", "load_rules"]

RULES_PACKAGE = "lint_rules"


class RuleSet(NamedTuple):
    """The rule classes by catalogue ID."""

    settings: dict[str, type[SettingsRule]]
    code: dict[str, type[CodeRule]]

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(self.settings) | frozenset(self.code)


def _module_names(paths: object) -> list[str]:
    """The modules of a package, like pkgutil.iter_modules (which costs two imports more)."""
    names: set[str] = set()
    for directory in paths:  # type: ignore[attr-defined]
        try:
            entries = os.listdir(directory)
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".py") and entry != "__init__.py" and entry[:-3].isidentifier():
                names.add(entry[:-3])
            elif entry.isidentifier() and os.path.isfile(
                os.path.join(directory, entry, "__init__.py")
            ):
                names.add(entry)
    return sorted(names)


@cache
def load_rules(package: str = RULES_PACKAGE) -> RuleSet:
    """Import every module of ``package`` and collect its rule classes.

    Raises ValueError when two classes claim one ID or a class has the wrong kind for its
    catalogue record: a silent overwrite would hide a rule.
    """
    root = importlib.import_module(package)
    settings: dict[str, type[SettingsRule]] = {}
    code: dict[str, type[CodeRule]] = {}
    seen: dict[str, str] = {}
    for name in _module_names(root.__path__):
        module = importlib.import_module(f"{package}.{name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__ or not hasattr(cls, "record"):
                continue
            if not issubclass(cls, (SettingsRule, CodeRule)):
                continue
            rule_id = cls.record.id
            where = f"{cls.__module__}.{cls.__qualname__}"
            if rule_id in seen:
                raise ValueError(f"{rule_id} is claimed by {seen[rule_id]} and {where}")
            seen[rule_id] = where
            if issubclass(cls, SettingsRule):
                if cls.record.kind != "settings":
                    raise ValueError(f"{where}: {rule_id} is a {cls.record.kind} rule")
                settings[rule_id] = cls
            else:
                if cls.record.kind != "code":
                    raise ValueError(f"{where}: {rule_id} is a {cls.record.kind} rule")
                code[rule_id] = cls
    return RuleSet(settings, code)
