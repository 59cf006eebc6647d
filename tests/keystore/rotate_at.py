"""``python -m tests.keystore.rotate_at START ARGS...``: set Django up, wait until the Unix
time START, then run ``manage.py hardsess keys ARGS...``: many of these started together run
the command at the same instant, which is what the concurrency test needs (Django's start-up
alone takes longer than the command)."""

from __future__ import annotations

import sys
import time

import django
from django.core.management import call_command


def main(argv: list[str]) -> int:
    django.setup()
    start = float(argv[0])
    # Open the connection before the start line: the race is in the command, not in connecting.
    from django.conf import settings
    from django.db import connection

    if "dummy" not in settings.DATABASES["default"]["ENGINE"]:
        connection.ensure_connection()
    time.sleep(max(0.0, start - time.time()))
    call_command("hardsess", "keys", *argv[1:])
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
