"""Demo data (演示数据, ``flask --app wsgi demo``): a realistic recent stretch of ratings and
messages across Jiangxi, so that a new installation shows every page of the dashboard filled.

Everything goes through the service's own functions, backdated with their ``now``: intake
(scored, placed in a theme, located, linked as a repeat, flagged, a 差评 opening its case),
the handling of each message (dispatch, return, start, reply, close, the citizen's
evaluation, a 不满意 reopening it), the rectification of each 差评, then the facts recounted
and the spike alerts scanned. So the rows, cases, events and audit entries are those real
use would leave; what makes the figures interesting is only how the steps are timed (most on
time, some late, a few never taken). Besides the steady stream it plants hot issues (several
citizens, one place, a few days), two of them spikes of a theme in one county on one day,
repeats (a citizen writing again) and bursts of ratings from one device.

The main stretch covers the last ``days`` days up to now (the current month so far and the
whole previous one, for the figures' comparison), with a thin history of ``history_months``
months before it for the 12-month trend. The demo's ratings and messages carry ids starting
with ``demo-``: a second load finds them and adds nothing.
"""

from __future__ import annotations

import time as clock
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from flask import current_app

from service import store
from service.demo.loader import Loader
from service.demo.options import ACCOUNT_PREFIX, PREFIX, DemoOptions
from service.demo.summary import DemoSummary

__all__ = ["ACCOUNT_PREFIX", "PREFIX", "DemoOptions", "DemoSummary", "find_loaded", "load_demo"]


def find_loaded() -> tuple[int, int]:
    """How many demo ratings and messages are stored."""
    return store.demo.count_marked(PREFIX)


def load_demo(
    options: DemoOptions,
    *,
    now: datetime | None = None,
    progress: Callable[[int], None] = lambda n: None,
    planned: Callable[[int], None] = lambda n: None,
) -> DemoSummary:
    """Load the demo data up to ``now`` (the present), unless it is loaded already;
    ``planned`` hears how many ratings and messages will come, ``progress`` each one."""
    existing = find_loaded()
    if any(existing):
        return DemoSummary(existing=existing)
    started = clock.monotonic()
    with _scored_and_counted_at_once():
        loader = Loader(options, now or datetime.now(UTC))
        summary = loader.run(progress, planned)
    summary.seconds = clock.monotonic() - started
    return summary


@contextmanager
def _scored_and_counted_at_once() -> Iterator[None]:
    """Score inline and recount facts at every read while the demo loads, whatever the
    settings: its alerts need every message scored and placed before they are scanned, and no
    worker may be running yet. Only this process's settings change, and only meanwhile."""
    config = current_app.config
    kept = {name: config[name] for name in ("SCORING_MODE", "FACTS_MAX_AGE_SECONDS")}
    config.update(SCORING_MODE="inline", FACTS_MAX_AGE_SECONDS=0)
    try:
        yield
    finally:
        config.update(kept)
