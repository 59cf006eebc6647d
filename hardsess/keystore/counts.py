"""Old-key verifications, counted fleet-wide per key and minute (``keys status``).

The firewall already counts, in this process, each cookie verified by a non-primary key
(:data:`hardsess.keyring.old_key_counter`). A :class:`hardsess.fleet.FleetReporter` of kind
``"keys"`` turns those totals into per-minute counts of the last hour and writes them with the
fleet's other reports (one row per process, replaced every ``OBSERVE["INTERVAL"]`` seconds,
never inside a request). Readers add the rows up.
"""

from __future__ import annotations

import atexit
import os
import threading
import time
from collections.abc import Iterable
from typing import Any

from hardsess.fleet import FleetReporter, reports
from hardsess.keyring import old_key_counts

KIND = "keys"
WINDOW_MINUTES = 60

_lock = threading.Lock()
_last: dict[str, int] = {}
#: key id -> {unix minute: verifications}
_minutes: dict[str, dict[int, int]] = {}


def collect(now: float | None = None) -> dict[str, Any]:
    minute = int((time.time() if now is None else now) // 60)
    with _lock:
        totals = old_key_counts()
        for key_id, total in totals.items():
            delta = total - _last.get(key_id, 0)
            if delta > 0:
                buckets = _minutes.setdefault(key_id, {})
                buckets[minute] = buckets.get(minute, 0) + delta
        _last.clear()
        _last.update(totals)
        for key_id in list(_minutes):
            buckets = {m: n for m, n in _minutes[key_id].items() if m > minute - WINDOW_MINUTES}
            if buckets:
                _minutes[key_id] = buckets
            else:
                del _minutes[key_id]
        return {"minutes": {k: {str(m): n for m, n in v.items()} for k, v in _minutes.items()}}


def _collect() -> dict[str, Any]:
    return collect()


reporter = FleetReporter(KIND, _collect)


def fleet_counts(now: float | None = None, key_ids: Iterable[str] = ()) -> dict[str, int]:
    """Verifications by each non-primary key in the last hour, over every process's report."""
    import datetime

    now = time.time() if now is None else now
    since_minute = int(now // 60) - WINDOW_MINUTES
    since = datetime.datetime.fromtimestamp(now - WINDOW_MINUTES * 60, datetime.timezone.utc)
    result = dict.fromkeys(key_ids, 0)
    for report in reports(KIND, since=since):
        for key_id, buckets in (report.payload.get("minutes") or {}).items():
            for minute, count in buckets.items():
                if int(minute) > since_minute:
                    result[key_id] = result.get(key_id, 0) + int(count)
    return result


def reset() -> None:
    with _lock:
        _last.clear()
        _minutes.clear()


def _after_fork_in_child() -> None:
    reporter._at_fork()


os.register_at_fork(after_in_child=_after_fork_in_child)


@atexit.register
def _flush_at_exit() -> None:
    if reporter._pid == os.getpid():
        reporter.flush()
