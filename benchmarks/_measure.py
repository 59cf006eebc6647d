"""How the request benchmarks time things: interleaved batches, CPU time, paired ratios.

Both request benchmarks compare a stack with hardsess to the same stack without it, in one
process. On a shared (virtual) machine the speed of the whole machine drifts by several per
cent within seconds, far more than the difference being measured. So:

* the variants run in short batches, interleaved, the order rotating and reversing each round,
  so that a drift hits every variant alike;
* each batch is timed in this process's CPU time (``time.process_time``): waiting for a core is
  not cost; SQLite runs in-process, so its work is counted;
* the ratio is taken round by round (a variant's batch against the baseline's batch of the same
  round, run moments apart) and the median of those ratios is reported with its interquartile
  range: a slow drift cancels inside each pair instead of widening both medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: (prepare, run): ``prepare`` is untimed and runs before each batch, ``run`` is one request.
Run = tuple[Callable[[], None], Callable[[], None]]


def _nothing() -> None:
    pass


def round_order(names: list[str], round_number: int) -> list[str]:
    """The order of round ``round_number``: rotated by one each round, reversed every other
    one, so no variant always runs first or always follows the same other."""
    shift = round_number % len(names)
    order = names[shift:] + names[:shift]
    if round_number % 2:
        order.reverse()
    return order


def interleaved(
    runs: dict[str, Run | Callable[[], None]], batch: int, rounds: int
) -> dict[str, list[float]]:
    """CPU seconds per call of each run, one figure per round."""
    prepared: dict[str, Run] = {
        name: run if isinstance(run, tuple) else (_nothing, run) for name, run in runs.items()
    }
    names = list(prepared)
    for prepare, function in prepared.values():  # warm-up
        prepare()
        for _ in range(batch):
            function()
    times: dict[str, list[float]] = {name: [] for name in names}
    for round_number in range(rounds):
        for name in round_order(names, round_number):
            prepare, function = prepared[name]
            prepare()
            start = time.process_time()
            for _ in range(batch):
                function()
            times[name].append((time.process_time() - start) / batch)
    return times


@dataclass(frozen=True)
class Comparison:
    """One variant against the baseline."""

    baseline: float  #: median CPU seconds per call
    variant: float  #: median CPU seconds per call
    ratio: float  #: median of the per-round ratios
    low: float  #: 25th percentile of the per-round ratios
    high: float  #: 75th percentile of the per-round ratios

    def row(self) -> str:
        return (
            f"{self.baseline * 1e6:>8.1f}us {self.variant * 1e6:>8.1f}us "
            f"{self.ratio:>7.3f}  (IQR {self.low:.3f}-{self.high:.3f})"
        )


def compare(times: dict[str, list[float]], variant: str, baseline: str) -> Comparison:
    ratios = [v / b for v, b in zip(times[variant], times[baseline], strict=True)]
    low, _, high = statistics.quantiles(ratios, n=4)
    return Comparison(
        baseline=statistics.median(times[baseline]),
        variant=statistics.median(times[variant]),
        ratio=statistics.median(ratios),
        low=low,
        high=high,
    )


def scratch_dir(prefix: str) -> Path:
    """A temporary directory for the benchmark's SQLite file.

    Not /dev/shm: measured here, a SQLite file on tmpfs made the db-engine requests slower and
    their ratio noisier than one in the ordinary temporary directory.
    """
    return Path(tempfile.mkdtemp(prefix=prefix))


def wsgi_call(handler: Any, factory: Any, path: str, cookie: str) -> Any:
    """One GET through a WSGI handler in process, with ``cookie`` as the Cookie header: what
    the in-process benchmarks time (the response is closed, as a server would)."""
    environ = factory.get(path, HTTP_COOKIE=cookie).environ
    response = handler(dict(environ), lambda status, headers: None)
    response.close()
    return response
