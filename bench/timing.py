"""Timing a call many times, and describing the laps, for the benchmarks that time requests."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def timed(call: Callable[[], object], times: int) -> list[float]:
    """Milliseconds of each of ``times`` calls."""
    laps = []
    for _ in range(times):
        started = time.perf_counter()
        call()
        laps.append((time.perf_counter() - started) * 1000)
    return laps


def describe(laps: list[float]) -> str:
    ordered = sorted(laps)
    p99 = ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))]
    return f"p50 {statistics.median(laps):7.1f} ms   p99 {p99:7.1f} ms   n {len(laps)}"
