#!/usr/bin/env python
"""manage.py of the small project the system-check tests run as a real subprocess."""

from __future__ import annotations

import os
import sys
from pathlib import Path

if __name__ == "__main__":
    # The repository root, so that ``tests.checks.site.settings_*`` and ``hardsess`` import.
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.checks.site.settings_secure")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
