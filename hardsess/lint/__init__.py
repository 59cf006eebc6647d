"""The static linter's engine. Importing this package imports nothing else (startup is cheap).

Public and stable API (other parts of hardsess build on these; change them only additively):

For rule authors (``lint_rules/``)
    :mod:`hardsess.lint.rule`: ``SettingsRule``, ``CodeRule``, ``Valid``, ``Invalid``, ``Fix``,
    ``SettingsFixContext``, ``UNKNOWN``. The module docstring has a worked example of each.

For tests, the bandit plugin and other callers
    :mod:`hardsess.lint.api`:
    ``lint_source(source, path, *, select=None, ignore=None, config=None) -> list[Finding]``
    lints one file's text as if it were at ``path`` (settings rules run only when ``path``
    looks like a settings module) and returns the unsuppressed findings, sorted;
    ``fix_source(source, path, *, unsafe=False, select=None, config=None) -> str`` returns
    the source after every applicable fix (looping until nothing more applies);
    ``lint_paths(paths, config=...)`` lints files and directories like the CLI does.
    :class:`hardsess.lint.finding.Finding` is a plain, picklable record.

For deploy mode
    :func:`hardsess.lint.settings_values.collect` (module-level assignments, evaluated, with
    the ``from X import ...`` statements in order), :func:`hardsess.lint.evaluator.evaluate`
    (one expression), and :func:`hardsess.lint.api.judge_settings` (run the selected settings
    rules on a mapping of values with a location for each, producing findings and fixes).
    The CLI calls :func:`hardsess.lint.deploy_hook.run_deploy` for ``--settings``.
"""
