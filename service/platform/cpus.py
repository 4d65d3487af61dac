"""How many CPUs this process may use: what a container's limit allows, not what the host has.
gunicorn sizes its web processes by it (GUNICORN_WORKERS unset)."""

from __future__ import annotations

import math
import os
from pathlib import Path

#: cgroup v2's CPU limit: "<quota> <period>" in microseconds, or "max <period>" for none.
CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


def available_cpus(cpu_max: Path = CPU_MAX) -> int:
    """The CPUs this process may run on (its affinity, which a cpuset narrows), further held to
    the cgroup's quota where one is set (``docker run --cpus 1.5`` gives 2), and at least 1."""
    cpus = len(os.sched_getaffinity(0))
    try:
        quota, period = cpu_max.read_text().split()[:2]
    except (OSError, ValueError):
        return max(1, cpus)
    if quota != "max" and int(period) > 0:
        cpus = min(cpus, math.ceil(int(quota) / int(period)))
    return max(1, cpus)
