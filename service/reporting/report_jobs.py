"""The costly parts of the reports — a theme report's keywords (jieba) and the hot issues
(TF-IDF over texts, numpy, scipy, scikit-learn) — built where the models live.

In queue mode they run as jobs on the workers, on REPORT_QUEUE, and a job stores what it built
in the report cache itself: the web worker that asked polls the cache up to
REPORT_WAIT_SECONDS, so that a web worker loads no NLP model at all (issue 7). One request
enqueues the build and the others asking for the same wait for that one; a wait that runs out
is a 503 with Retry-After (the workers are behind or down), and the retry finds the job's
result in the cache. Outside queue mode, or with Redis unreachable, they are built in the
request.
"""

from __future__ import annotations

import importlib
import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_app_context

from service.platform import logs, redis_client
from service.platform.errors import fail
from service.reporting import report_cache
from service.scoring import queue as scoring_queue

log = logging.getLogger(__name__)

JOB_TIMEOUT = 600  # seconds a worker gives one build before it stops it
POLL_SECONDS = 0.1  # how often a waiting web worker looks in the cache
#: What can be built on a worker: name → "module:function", imported only where it runs.
BUILDERS = {
    "theme-details": "service.reporting.reports:theme_details",
    "hot-issues": "service.reporting.hot_issues:find",
}


@dataclass(frozen=True)
class WorkerBuild:
    """``BUILDERS[name](*args)``, for report_cache: called, it builds here; in queue mode the
    cache hands it to the workers instead (``through_workers``)."""

    name: str
    args: tuple

    def __call__(self) -> Any:
        return _builder(self.name)(*self.args)

    def through_workers(self, key: str, seconds: int) -> Any:
        """The result a worker stores at ``key`` (for ``seconds``); built here when this is
        not queue mode or Redis does not take the job."""
        if not _for_the_workers():
            result = self()
            report_cache.put(key, result, seconds)
            return result
        import redis

        config = current_app.config
        wait = config["REPORT_WAIT_SECONDS"]
        if redis_client.claim(config["REDIS_URL"], key + ":building", wait):
            try:
                _queue().enqueue_call(
                    build, args=(self.name, self.args, key, seconds), ttl=wait,
                    result_ttl=0, failure_ttl=86400, timeout=JOB_TIMEOUT, meta=logs.job_meta(),
                )  # fmt: skip
            except redis.RedisError as error:
                log.warning("could not hand %s to the workers, building it here: %s", self, error)
                result = self()
                report_cache.put(key, result, seconds)
                return result
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if (result := report_cache.get(key)) is not None:
                return result
            if (error := report_cache.get(key + ":failed")) is not None:
                raise RuntimeError(f"{self.name} failed on a worker: {error}")
            time.sleep(POLL_SECONDS)
        fail(503, f"The workers did not build the {self.name} within {wait} s; retry shortly.",
             **{"Retry-After": str(config["RETRY_AFTER_SECONDS"])})  # fmt: skip


def build(name: str, args: tuple, key: str, seconds: int) -> None:
    """The job: build, and store the result where the web looks for it (or the failure, for a
    minute, so that the waiting request fails at once rather than at the end of its wait)."""
    with nullcontext() if has_app_context() else scoring_queue.worker_app().app_context():
        try:
            report_cache.put(key, _builder(name)(*args), seconds)
        except Exception as error:
            report_cache.put(key + ":failed", repr(error), 60)
            raise


def _for_the_workers() -> bool:
    """In queue mode, unless this is a worker's job already (a theme report's details hold
    its hot issues: a job that waited on another job could wait on itself)."""
    if not (scoring_queue.queue_mode() and scoring_queue.enqueues()):
        return False
    from rq import get_current_job

    return get_current_job() is None


def _builder(name: str):
    module, function = BUILDERS[name].split(":")
    return getattr(importlib.import_module(module), function)


def _queue():
    from rq import Queue

    config = current_app.config
    return Queue(config["REPORT_QUEUE"], connection=redis_client.client(config["REDIS_URL"]))
