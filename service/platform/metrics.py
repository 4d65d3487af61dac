"""What the people who keep the service up watch: Prometheus metrics (prometheus_client).

Counted where they happen, in any process: requests by route and status, with their
latency; scoring and recount durations; report-cache hits and misses; the rate limits' storage
failing. Read when scraped, from the database and Redis: the rows waiting to be scored and
the age of the oldest, the RQ queues' depth and failed jobs, and whether the working-day
calendar knows next year.

Under gunicorn each web process counts in files of its own in PROMETHEUS_MULTIPROC_DIR
(prometheus_client's multiprocess mode; gunicorn.conf.py makes the folder and empties it at
start), and a scrape of any process sums them all. A worker (``flask worker``) serves its own
counts at WORKER_METRICS_BIND (``serve_worker_metrics``)."""

from __future__ import annotations

import hmac
import logging
import os
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime

from flask import Flask, current_app, g, request
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from analytics.workdays import knows_year
from service import store

log = logging.getLogger(__name__)
# No "_created" series beside each counter and histogram: a timestamp per label set that
# no panel or alert reads.
disable_created_metrics()

#: Seconds, from a cached read (a few ms) to a report built from the raw rows.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)

REQUESTS = Counter(
    "minsheng_http_requests", "Requests answered, by route and status (429: rate limited, "
    "503: a dependency down).", ["method", "route", "status"],
)  # fmt: skip
LATENCY = Histogram(
    "minsheng_http_request_duration_seconds", "Time to answer a request, by route and status.",
    ["method", "route", "status"], buckets=LATENCY_BUCKETS,
)  # fmt: skip
SCORING = Histogram(
    "minsheng_scoring_duration_seconds", "Time to score texts (sentiment, and a message's "
    "theme), by kind and where: one in its request (inline mode), or a batch of the pending "
    "ones (a worker, the sweeper).", ["kind", "where"], buckets=LATENCY_BUCKETS,
)  # fmt: skip
RECOUNT = Histogram(
    "minsheng_facts_recount_duration_seconds", "Time to recount the facts of the days "
    "written to since the last recount.", buckets=LATENCY_BUCKETS,
)  # fmt: skip
REPORT_CACHE = Counter(
    "minsheng_report_cache", "Reports asked of the cache in Redis, by report and result "
    "(hit, miss).", ["report", "result"],
)  # fmt: skip
LIMIT_STORAGE_FAILURES = Counter(
    "minsheng_rate_limit_storage_failures", "Times the rate limits' storage (Redis) failed, "
    "by what followed: memory (counting moved into the process), open (the request let "
    "through uncounted).", ["outcome"],
)  # fmt: skip

#: What Flask-Limiter logs when its storage fails, and what that means here.
_LIMITER_SAYS = {
    "Rate limit storage unreachable - falling back to in-memory storage": "memory",
    "Failed to rate limit. Swallowing error": "open",
}


class _LimiterFailures(logging.Filter):
    """Flask-Limiter tells of its storage failing only in its log: counted from there."""

    def filter(self, record: logging.LogRecord) -> bool:
        outcome = _LIMITER_SAYS.get(record.msg) if isinstance(record.msg, str) else None
        if outcome is not None:
            LIMIT_STORAGE_FAILURES.labels(outcome).inc()
        return True


def init_metrics(app: Flask) -> None:
    """Time and count every request (registered before the other hooks, so that one they
    refuse is counted too), and count the rate limits' storage failures."""
    limiter_log = logging.getLogger("flask-limiter")
    if not any(isinstance(f, _LimiterFailures) for f in limiter_log.filters):
        limiter_log.addFilter(_LimiterFailures())

    @app.before_request
    def start_timing() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count_request(response):
        started = g.get("metrics_started")
        if started is not None:
            route = request.url_rule.rule if request.url_rule else "(no route)"
            labels = (request.method, route, str(response.status_code))
            REQUESTS.labels(*labels).inc()
            LATENCY.labels(*labels).observe(time.perf_counter() - started)
        return response


def serve_worker_metrics(bind: str) -> None:
    """A worker's counts (its scoring and recounts) over HTTP at ``bind`` (host:port), in a
    thread of its own."""
    from prometheus_client import start_http_server

    host, _, port = bind.rpartition(":")
    start_http_server(int(port), addr=host.strip("[]"), registry=counted())
    log.info("metrics at http://%s/metrics", bind)


def token_accepted(header: str | None) -> bool:
    """Whether the Authorization header carries METRICS_TOKEN (never when none is set)."""
    expected = current_app.config["METRICS_TOKEN"]
    scheme, _, given = (header or "").partition(" ")
    return (
        bool(expected)
        and scheme.lower() == "bearer"
        and hmac.compare_digest(given.strip().encode(), expected.encode())
    )


def exposition() -> bytes:
    """The metrics in Prometheus's text format: every process's counts, and the state read
    now."""
    registry = counted()
    registry.register(State())
    return generate_latest(registry)


def counted() -> CollectorRegistry:
    """The counts of every process (multiprocess mode), or of this one."""
    registry = CollectorRegistry()
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        multiprocess.MultiProcessCollector(registry, path=folder)
    else:
        registry.register(_ThisProcess())
    return registry


class _ThisProcess(Collector):
    def collect(self) -> Iterator[Metric]:
        yield from REGISTRY.collect()


class State(Collector):
    """Read at each scrape, in its app context: what waits, and for how long."""

    def collect(self) -> Iterator[Metric]:
        now = datetime.now(UTC)
        rows = GaugeMetricFamily(
            "minsheng_scoring_pending_rows", "Rows stored whose scoring is still to come.",
            labels=["kind"],
        )  # fmt: skip
        oldest = GaugeMetricFamily(
            "minsheng_scoring_pending_oldest_seconds", "Age of the oldest row waiting to be "
            "scored (0: none waits).", labels=["kind"],
        )  # fmt: skip
        for kind, (count, first) in store.pending.pending_backlog().items():
            rows.add_metric([kind], count)
            oldest.add_metric([kind], (now - first).total_seconds() if first else 0)
        yield rows
        yield oldest
        yield from _queues()
        yield _calendar(now.date())


def _queues() -> Iterator[Metric]:
    config = current_app.config
    if not config["REDIS_URL"]:
        return
    import redis
    from rq import Queue

    depth = GaugeMetricFamily("minsheng_queue_jobs", "Jobs waiting in an RQ queue.",
                              labels=["queue"])  # fmt: skip
    failed = GaugeMetricFamily(
        "minsheng_queue_failed_jobs", "Jobs in an RQ queue's failed-job registry (kept a day).",
        labels=["queue"],
    )  # fmt: skip
    try:
        connection = redis.Redis.from_url(
            config["REDIS_URL"], socket_timeout=0.5, socket_connect_timeout=0.5
        )
        for name in (config["SCORING_QUEUE"], config["REPORT_QUEUE"]):
            queue = Queue(name, connection=connection)
            depth.add_metric([name], queue.count)
            failed.add_metric([name], queue.failed_job_registry.count)
    except redis.RedisError as error:
        log.warning("queue metrics left out, Redis does not answer: %s", error)
        return
    yield depth
    yield failed


def _calendar(today: date) -> Metric:
    known = GaugeMetricFamily(
        "minsheng_calendar_knows_next_year", "1 when the working-day calendar "
        "(chinesecalendar) knows next year's holidays; 0: upgrade it before the year ends.",
    )  # fmt: skip
    known.add_metric([], 1 if knows_year(today.year + 1) else 0)
    return known
