"""Django system checks built from hardsess.policy (filled in by the checks work, issue 4)."""
