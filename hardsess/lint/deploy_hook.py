"""The seam where deploy mode (``--settings MODULE``) plugs into the engine.

Deploy mode resolves star-imports across a project's settings modules and judges the
effective values; it is built on :func:`hardsess.lint.settings_values.collect` and
:func:`hardsess.lint.api.judge_settings`. Its implementation lives in
``hardsess.lint.deploy`` and must provide::

    def run(modules: Sequence[str], *, config: Config, paths: Sequence[str]) -> RunResult

``modules`` are dotted settings module names, ``paths`` the linted paths (to find the project
root), and the returned :class:`hardsess.lint.runner.RunResult` is merged into the file-mode
result by the CLI. Until that module exists, :func:`run_deploy` raises
:class:`DeployModeUnavailable` and the CLI exits 2 with a clear message.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from hardsess.lint.config import Config
from hardsess.lint.runner import RunResult

__all__ = ["DEPLOY_MODULE", "DeployModeUnavailable", "deploy_available", "run_deploy"]

DEPLOY_MODULE = "hardsess.lint.deploy"


class DeployModeUnavailable(RuntimeError):
    """Deploy mode is not installed in this version of hardsess."""


def deploy_available() -> bool:
    import importlib.util

    return importlib.util.find_spec(DEPLOY_MODULE) is not None


def run_deploy(modules: Sequence[str], *, config: Config, paths: Sequence[str]) -> RunResult:
    """Run deploy mode on ``modules``; DeployModeUnavailable when it is not there."""
    if not deploy_available():
        raise DeployModeUnavailable(
            "deploy mode (--settings / settings = [...]) is not available in this version: "
            "lint the settings files by path instead"
        )
    deploy = importlib.import_module(DEPLOY_MODULE)
    result: RunResult = deploy.run(modules, config=config, paths=paths)
    return result
