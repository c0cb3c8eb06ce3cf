"""Repeated wall-clock measurements, summarised as median and 95th percentile."""

from __future__ import annotations

import gc
import math
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

WARMUP = 3  # untimed calls first: statement caches, connection pool and page cache fill up


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


def measure(call: Callable[[], object], rounds: int, warmup: int = WARMUP) -> Stats:
    for _ in range(warmup):
        call()
    gc.collect()  # so that garbage from the previous scenario is not collected on our clock
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    return Stats(tuple(samples))


def stopwatch() -> Callable[[], float]:
    """Seconds since this call, each time the returned function is called."""
    start = time.perf_counter()
    return lambda: time.perf_counter() - start
