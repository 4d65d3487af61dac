"""Scoring off the request path (queue mode): intake stores a rating or message with its
sentiment and theme pending and enqueues a job on Redis (RQ); `flask worker` runs the jobs
and, every SWEEP_INTERVAL_SECONDS, the sweeper.

Nothing is lost and nothing is scored twice:
- a job writes a row's scores only while the row is still pending (one conditional UPDATE),
  so a job run twice, or a row enqueued twice, writes once;
- a job lost with Redis (flushed, restarted, down) or with a worker killed mid-job leaves its
  rows pending, and the sweeper enqueues every row pending for longer than
  SWEEP_AFTER_SECONDS again (or, with Redis down, scores them itself);
- intake enqueues a job only when none of its kind waits to start (hand_over): the waiting
  one takes the new rows along, since it looks for pending rows only once it starts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import nullcontext
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from flask import Flask, current_app, has_app_context

from service import scoring, store
from service.intake import integrity
from service.platform import logs, metrics, redis_client
from service.scoring import sentiment as sentiment_service
from service.store.scoring.pending import PENDING

log = logging.getLogger(__name__)

SWEEP_BATCH = 200  # rows per job the sweeper enqueues
BATCH = 50  # other pending rows a job takes along: a queue behind is scored in batches
WAITING = "minsheng:scoring:waiting:{queue}:{kind}"  # set while a job of the kind waits
WAITING_SECONDS = 30  # after this, intake enqueues again even if that job has not started


def queue_mode(app: Flask | None = None) -> bool:
    """Whether intake leaves scoring to the workers (or, "off", to a later sweep)."""
    config = (app or current_app).config
    mode = config["SCORING_MODE"]
    return mode in ("queue", "off") or (mode == "auto" and bool(config["REDIS_URL"]))


def enqueues() -> bool:
    """Whether intake enqueues the scoring: not with SCORING_MODE=off, which leaves every row
    pending for the sweeper (a maintenance window; the yardstick of the soak benchmark)."""
    return current_app.config["SCORING_MODE"] != "off"


def pending_values(kind: str) -> dict:
    """The scoring columns of a row stored before it is scored."""
    values = {"sentiment_score": None, "sentiment_label": PENDING, "sentiment_model": PENDING}
    if kind == "message":
        values |= {"theme_code": None, "theme_confidence": None, "theme_source": None,
                   "theme_model": None}  # fmt: skip
    return values


def hand_over(kind: str, ids: list[int]) -> bool:
    """After the commit of new pending rows: see that a scoring job is waiting for them; False
    (logged) when Redis does not take it. One waiting job per kind serves every row committed
    before it starts, since a job takes the pending rows along in batches, so intake enqueues
    only when none waits: one Redis call instead of RQ's two transactions for every row."""
    url, waiting = current_app.config["REDIS_URL"], _waiting(kind)
    if not redis_client.claim(url, waiting, WAITING_SECONDS):
        return True  # the waiting job will take these rows
    if enqueue(kind, ids):
        return True
    redis_client.delete(url, waiting)
    return False


def enqueue(kind: str, ids: list[int]) -> bool:
    """Enqueue the scoring of ``ids``; False (logged) when Redis does not take it: the rows
    stay pending for the sweeper."""
    return put_job(score_rows, kind, ids)


def put_job(job: Callable, *args: Any) -> bool:
    """Queue ``job(*args)`` on the scoring queue, with the id of the request that asks;
    False (logged) when Redis does not take it."""
    import redis

    try:
        _queue().enqueue_call(
            job, args=args, result_ttl=0, failure_ttl=86400, meta=logs.job_meta()
        )
        return True
    except redis.RedisError as error:
        log.warning("could not enqueue %s%s: %s", job.__name__, args, error)
        return False


def score_rows(kind: str, ids: list[int]) -> int:
    """The job: score the rows of ``ids`` still pending, and other pending rows, BATCH at
    most; returns how many it wrote. It stops waiting first, so that a row committed from now
    on gets a job of its own (hand_over); a full batch may have left rows behind, so it hands
    them over to another job."""
    with nullcontext() if has_app_context() else worker_app().app_context():
        redis_client.delete(current_app.config["REDIS_URL"], _waiting(kind))
        written = score_now(kind, ids)
        log.info("scored %d %ss", written, kind, extra={"scored": written})
        if written >= BATCH:
            hand_over(kind, [])
        return written


def score_now(kind: str, ids: list[int], more: int = BATCH) -> int:
    """Score the rows of ``ids`` still pending, in this process, with up to ``more`` other
    pending rows (their own jobs then find them scored and write nothing)."""
    rows = store.pending.fetch_pending(kind, ids, more)
    if not rows:
        return 0
    with metrics.SCORING.labels(kind, "batch").time():
        scores = _scores(kind, rows)
    return store.pending.save_scores(kind, scores)


def _scores(kind: str, rows: list) -> list[dict]:
    if kind == "message":
        scored = scoring.current().score_many([(m.title, m.content) for m in rows])
        scores = [
            {"id": m.id, "created_at": m.created_at, **scoring.message_columns(text, theme)}
            for m, (text, theme) in zip(rows, scored, strict=True)
        ]
    else:
        scores = []
        for rating in rows:
            text = sentiment_service.score(rating.comment)
            scores.append(
                {"id": rating.id, "created_at": rating.created_at,
                 **scoring.rating_columns(rating.stars, text),
                 "flags": integrity.contradiction_flags(rating.stars, text),
                 "values": {"region_code": rating.region_code,
                            "department_id": rating.department_id,
                            "created_at": rating.created_at}}
            )  # fmt: skip
    return scores


def sweep(now: datetime | None = None) -> dict[str, int]:
    """Enqueue again every row pending for longer than SWEEP_AFTER_SECONDS; with Redis
    unreachable, score them here. Returns how many rows of each kind it picked up."""
    config = current_app.config
    before = (now or datetime.now(UTC)) - timedelta(seconds=config["SWEEP_AFTER_SECONDS"])
    picked = {}
    for kind in store.pending.TABLES:
        ids = store.pending.fetch_stale_ids(kind, before, limit=10 * SWEEP_BATCH)
        for start in range(0, len(ids), SWEEP_BATCH):
            batch = ids[start : start + SWEEP_BATCH]
            if not enqueue(kind, batch):
                score_now(kind, batch)
        picked[kind] = len(ids)
    return picked


def _waiting(kind: str) -> str:
    return WAITING.format(queue=current_app.config["SCORING_QUEUE"], kind=kind)


def _queue():
    from rq import Queue  # deferred: only queue mode needs RQ

    config = current_app.config
    return Queue(config["SCORING_QUEUE"], connection=redis_client.client(config["REDIS_URL"]))


@cache
def worker_app() -> Flask:
    """The app a job runs in when its worker did not push one (``rq worker`` started without
    the app): the configuration from the environment, as every process reads it."""
    from service import create_app

    return create_app()
