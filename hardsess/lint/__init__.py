"""The static linter's engine. Importing this package imports nothing else (startup is cheap).

Pipeline (one file): discovery (:mod:`.discovery`) -> byte pre-filter (:mod:`.prefilter`,
no libcst) -> parse -> module-level values (:mod:`.settings_values`; expressions by
:mod:`.evaluator`, configuration libraries by :mod:`.config_readers`, their shared types in
:mod:`.bindings`, imports of the project's own modules by :mod:`.project_names`) -> settings
rules judged through :mod:`hardsess.policy` + code rules in one traversal (:mod:`.linter`) ->
suppression comments (:mod:`.suppression`) -> each verdict placed as a finding with its
rewrite (:mod:`.finding`; positions by :mod:`.positions`) -> fixes (:mod:`.rewrites`, atomic
writes in :mod:`.writer`) -> reporters (:mod:`.reporters`). :mod:`.runner` does this for many
files, in worker processes when more than 16 survive the pre-filter, and runs deploy mode
(:mod:`.deploy`) first for the settings modules it follows.
Selection and per-file ignores are :class:`.config.Config`'s.

Words: a *finding* is a verdict placed in a file; a *rewrite* (:class:`.finding.Rewrite`)
replaces one node to fix it, safe or unsafe; *fix* is what the user asks for (``--fix``,
``FixMode``) and what a finding says it has (``Finding.fix``: ``"safe"`` / ``"unsafe"``).

Public and stable API (other parts of hardsess build on these; change them only additively):

For rule authors (``lint_rules/``)
    :mod:`hardsess.lint.rule`: ``SettingsRule`` (its ``record`` and ``rewrite(context)``),
    ``CodeRule``, ``Valid``, ``Invalid``, ``Rewrite``, ``SettingsRewriteContext``; an item not
    understood is :data:`hardsess.policy.UNKNOWN_VALUE`. The engine loads rules from the
    ``lint_rules`` package only, so a change here moves every rule module in the same commit.
    The module docstring has a worked example of each; ``lint_rules/hs10x_session_cookie.py``
    (HS101) and ``lint_rules/hs20x_set_cookie.py`` (HS201, HS202) are the patterns. A new
    configuration library is one entry in :data:`hardsess.lint.config_readers.READERS`.

For tests, the bandit plugin and other callers
    :mod:`hardsess.lint.api`:
    ``lint_source(source, path="settings.py", *, select=None, ignore=None, config=None)
    -> list[Finding]`` lints one file's text as if it were at ``path`` (settings rules run
    only when ``path`` looks like a settings module) and returns the unsuppressed findings,
    sorted; raises ``SourceError`` for invalid Python.
    ``fix_source(source, path="settings.py", *, unsafe=False, select=None, ignore=None,
    config=None) -> str`` returns the source after every applicable fix (looping until
    nothing more applies). ``lint_paths(paths, *, config=None, fix="none", diff=False,
    settings_modules=()) -> RunResult`` lints files and directories like the CLI does.
    :class:`hardsess.lint.finding.Finding` and ``FileError`` are picklable named tuples.
    :func:`hardsess.lint.config.load_config` reads ``[tool.hardsess]``.

For deploy mode
    :func:`hardsess.lint.deploy.run` (``modules, *, config, paths, fix="none", linted=None``)
    judges the effective settings of deploy modules; the runner
    (:func:`hardsess.lint.runner.lint_paths` with ``settings_modules``, as the CLI's
    ``--settings`` or ``settings`` in config) runs it first and decides per file which mode
    judges it. Built on :func:`hardsess.lint.settings_values.collect` (module-level
    assignments, evaluated, with the ``from X import ...`` statements in order),
    :func:`hardsess.lint.evaluator.evaluate` (one expression),
    :func:`hardsess.lint.linter.judge_values` / :func:`~hardsess.lint.linter.robust_verdicts`
    (the judgement both modes share), :func:`hardsess.lint.finding.place` (verdict to finding)
    and :func:`hardsess.lint.suppression.is_suppressed`.
    :func:`hardsess.lint.api.judge_settings` judges a mapping of values with a location for
    each (settings assigned but not understood go in ``unknown`` so no verdict depends on
    them), for tools that have values but no source to rewrite.

The CLI (:mod:`hardsess.cli`) and its formats are documented in docs/cli.md.
"""
