"""What each server process reports, written where the whole fleet's can be read together.

A fleet is many processes on many machines; a question such as "which cookies arrive
unsigned?" has to be answered for all of them, not for the process that runs a management
command (which has seen nothing). So each process keeps its own cumulative totals in memory and
a daemon thread writes them every ``HARDSESS["OBSERVE"]["INTERVAL"]`` seconds (and at exit) as
one row of :class:`hardsess.models.FleetReport` per process, replacing its previous row: a
write is idempotent, costs one query per interval per process, never runs inside a request,
and a failed one is retried at the next interval. Readers add the rows up.

The store is the project's database (``"database"``, the default and for now the only one):
every Django fleet shares one, it needs only ``manage.py migrate``, and the rows are plain to
inspect. A process is named ``<host>/<pid>/<random>``, renamed in a forked child (gunicorn's
workers), whose totals start from nothing.
"""

from __future__ import annotations

import atexit
import datetime
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hardsess import conf

__all__ = ["FleetReporter", "Report", "clear", "cookie_reporter", "process_name", "reports"]

logger = logging.getLogger("hardsess")

#: Shortest interval between two writes of one process, whatever the setting says.
MIN_INTERVAL = 1.0


def _new_name() -> str:
    return f"{socket.gethostname()[:120]}/{os.getpid()}/{secrets.token_hex(4)}"


_process = [_new_name()]


def process_name() -> str:
    """This process's name in the fleet store."""
    return _process[0]


@dataclass(frozen=True, slots=True)
class Report:
    process: str
    updated: datetime.datetime
    payload: dict[str, Any]


class FleetReporter:
    """Writes ``collect()`` for ``kind`` to the fleet store, from a daemon thread."""

    def __init__(self, kind: str, collect: Callable[[], dict[str, Any]]) -> None:
        #: False: no thread is started, reports are written only by :meth:`flush` (a test
        #: suite, whose database a background writer must not touch between tests).
        self.autostart = True
        self.kind = kind
        self.collect = collect
        self._thread: threading.Thread | None = None
        self._pid = 0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._failed_once = False

    def ensure_running(self) -> None:
        """Start the writer thread unless this process already has one (cheap when it has)."""
        if self._pid == os.getpid() or not self.autostart:
            return
        with self._lock:
            if self._pid == os.getpid():
                return
            # A forked child inherits the flag but not the thread: it starts its own.
            self._pid = os.getpid()
            self._thread = threading.Thread(
                target=self._run, name=f"hardsess-fleet-{self.kind}", daemon=True
            )
            self._thread.start()

    def _run(self) -> None:
        pid = os.getpid()
        while self._pid == pid:
            try:
                interval = float(conf.observe_options().get("INTERVAL") or 30)
            except (TypeError, ValueError):  # malformed: hardsess.E177 reports it
                interval = 30.0
            self._wake.wait(max(interval, MIN_INTERVAL))
            self._wake.clear()
            self.flush()

    def flush(self) -> bool:
        """Write this process's totals now; False (logged once per process) if the store
        could not be written. Never raises: reporting must not take a server down."""
        try:
            payload = self.collect()
            if not payload:
                return True
            _write(self.kind, payload)
        except Exception as exc:  # the store is down, not migrated, ...: retried next time
            if not self._failed_once:
                self._failed_once = True
                logger.warning(
                    "hardsess could not write its %s report to the fleet store (%s); "
                    "retrying every interval, logged once per process "
                    "(did you run manage.py migrate?)",
                    self.kind,
                    type(exc).__name__,
                )
            return False
        finally:
            _close_connections()
        return True

    def _at_fork(self) -> None:
        # New synchronisation objects: the parent's may have been held by one of its threads
        # at the fork, and no thread of the child will ever release them.
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._pid = 0
        self._thread = None
        self._failed_once = False


def _write(kind: str, payload: dict[str, Any]) -> None:
    from django.utils import timezone

    from hardsess.models import FleetReport

    FleetReport.objects.update_or_create(
        process=process_name(),
        kind=kind,
        defaults={"payload": payload, "updated": timezone.now()},
    )


def _close_connections() -> None:
    # The writer thread's own connections (Django's are per thread): a thread that sleeps
    # for an interval must not hold a database connection meanwhile. In a request thread
    # (tests calling flush) the request's connections are left to Django.
    if threading.current_thread().name.startswith("hardsess-fleet-"):
        from django.db import connections

        connections.close_all()


def reports(kind: str, since: datetime.datetime | None = None) -> list[Report]:
    """Every process's latest report of ``kind``, optionally only those written since."""
    from hardsess.models import FleetReport

    rows = FleetReport.objects.filter(kind=kind)
    if since is not None:
        rows = rows.filter(updated__gte=since)
    return [Report(r.process, r.updated, r.payload) for r in rows.order_by("process")]


def clear(kind: str) -> int:
    """Delete every report of ``kind``; how many rows went."""
    from hardsess.models import FleetReport

    deleted, _ = FleetReport.objects.filter(kind=kind).delete()
    return int(deleted)


def _cookie_totals() -> dict[str, Any]:
    from hardsess.firewall import observed

    return observed.totals()


#: The reporter of the firewall's cookie observations (hardsess.firewall.observed).
cookie_reporter = FleetReporter("cookies", _cookie_totals)


def _after_fork_in_child() -> None:
    _process[0] = _new_name()
    cookie_reporter._at_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


@atexit.register
def _flush_at_exit() -> None:
    if cookie_reporter._pid == os.getpid():
        cookie_reporter.flush()
