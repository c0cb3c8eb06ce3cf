"""Repeated wall-clock measurements, summarised as median and 95th percentile."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

WARMUP = 3  # untimed calls first: statement caches, connection pool and page cache fill up
MIN_ROUNDS = 20  # below this a p95 says little


@dataclass(frozen=True)
class Stats:
    samples_ms: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        """Nearest-rank percentile: a value that was actually observed."""
        ordered = sorted(self.samples_ms)
        return ordered[math.ceil(0.95 * len(ordered)) - 1]


def _timed(call: Callable[[], object]) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def measure(
    call: Callable[[], object], rounds: int, budget_s: float, least: int = MIN_ROUNDS
) -> Stats:
    """Times ``rounds`` calls, or fewer (not below ``least``) when they would take longer
    than ``budget_s`` seconds, judged from the median warm-up call."""
    typical = statistics.median(_timed(call) for _ in range(WARMUP))
    affordable = int(budget_s * 1000 / max(typical, 0.001))
    count = min(rounds, max(least, affordable))
    gc.collect()  # so that garbage from the previous scenario is not collected on our clock
    return Stats(tuple(_timed(call) for _ in range(count)))


def stopwatch() -> Callable[[], float]:
    """Seconds since this call, each time the returned function is called."""
    start = time.perf_counter()
    return lambda: time.perf_counter() - start
