"""Faults, against a real Redis of the test's own (killed and restarted at will) and the
suite's database: every accepted submission stored once, every stored message scored once,
and no answer 5xx but the documented 503."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from service import store
from service.extensions import db
from service.models import Message
from service.scoring import queue as scoring_queue
from tests.support import message_body, require_service

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def queue_mode(app, own_redis):
    app.config.update(
        REDIS_URL=own_redis.url, SCORING_MODE="queue", SWEEP_AFTER_SECONDS=0,
        SCORING_QUEUE=f"faults-{os.urandom(4).hex()}",
    )  # fmt: skip
    return app


def work(app) -> None:
    import redis
    from rq import Queue

    from service.platform.worker import Worker

    connection = redis.Redis.from_url(app.config["REDIS_URL"])
    queue = Queue(app.config["SCORING_QUEUE"], connection=connection)
    Worker([queue], connection=connection).work(burst=True)


def counting_writes(monkeypatch) -> list[int]:
    """Every row the scoring writes, as the store reports it."""
    written: list[int] = []
    save = store.pending.save_scores

    def counted(kind, scores):
        n = save(kind, scores)
        written.append(n)
        return n

    monkeypatch.setattr(store.pending, "save_scores", counted)
    return written


def pending_messages(app, own_redis, api, title: str, count: int):
    """``count`` messages posted and left unscored (no inline scoring when the queue is
    away), and the scoring queue emptied of their jobs: the ids, and the queue to give a
    worker."""
    import redis
    from rq import Queue

    app.config["SCORE_INLINE_WHEN_QUEUE_DOWN"] = False
    ids = [
        api.post("/api/v1/messages", json=message_body(title=f"{title}{n}")).get_json()["id"]
        for n in range(count)
    ]
    queue = Queue(app.config["SCORING_QUEUE"], connection=redis.Redis.from_url(own_redis.url))
    queue.empty()
    return ids, queue


def start_worker(database_uri, redis_url, queue, tmp_path, stderr, **settings):
    """A real `flask worker` on ``queue``, in a process of its own, its errors to ``stderr``;
    ``settings``: more environment variables (the sweeper runs once an hour unless told)."""
    env = {**os.environ, "DATABASE_URL": database_uri, "REDIS_URL": redis_url,
           "SCORING_QUEUE": queue.name, "SWEEP_INTERVAL_SECONDS": "3600",
           "MODEL_DIR": str(tmp_path / "models"), "LOG_LEVEL": "WARNING", **settings}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=stderr,
    )  # fmt: skip


def test_redis_killed_and_restarted_during_a_burst_loses_and_doubles_nothing(
    queue_mode, own_redis, api, monkeypatch
):
    written = counting_writes(monkeypatch)
    answers = []
    for n in range(30):
        if n == 10:
            own_redis.kill()  # the 10 jobs queued so far are gone
        if n == 20:
            own_redis.start()
        answers.append(api.post("/api/v1/messages", json=message_body(title=f"路灯坏了{n}")))
    assert [a.status_code for a in answers] == [201] * 30
    ids = [a.get_json()["id"] for a in answers]
    scoring_queue.sweep()
    scoring_queue.sweep()  # twice: every pending row is now queued two or three times
    work(queue_mode)
    stored = db.session.scalars(db.select(Message).where(Message.id.in_(ids))).all()
    assert len(stored) == 30 and len({m.tracking_code for m in stored}) == 30
    assert all(m.sentiment_model != "pending" for m in stored)
    assert sum(written) == 30  # each message scored once, however often it was queued


def test_a_worker_killed_mid_job_leaves_the_rows_to_the_next(
    queue_mode, own_redis, api, database_uri, tmp_path, monkeypatch
):
    from rq.registry import StartedJobRegistry

    ids, queue = pending_messages(queue_mode, own_redis, api, "噪音扰民", 300)
    queue.enqueue_call(scoring_queue.score_rows, args=("message", ids), result_ttl=0)
    worker = start_worker(database_uri, own_redis.url, queue, tmp_path, subprocess.PIPE)
    started = StartedJobRegistry(queue=queue)
    deadline = time.monotonic() + 60
    while not started.get_job_ids() and time.monotonic() < deadline:
        time.sleep(0.01)
    worker.send_signal(signal.SIGKILL)  # mid-job: 300 texts take it a good part of a second
    worker.wait()
    db.session.remove()
    later = datetime.now(UTC) + timedelta(seconds=1)
    pending = store.pending.fetch_stale_ids("message", later, 1000)
    assert set(pending) == set(ids)  # nothing half-written: one transaction per job
    written = counting_writes(monkeypatch)
    scoring_queue.sweep()
    work(queue_mode)
    rows = db.session.scalars(db.select(Message).where(Message.id.in_(ids))).all()
    assert all(m.sentiment_model != "pending" for m in rows)
    assert sum(written) == len(pending)


def test_a_worker_whose_connection_is_cut_mid_job_scores_every_row_with_its_next_jobs(
    queue_mode, own_redis, api, database_uri, tmp_path
):
    from rq.registry import FailedJobRegistry

    if db.engine.dialect.name != "postgresql":
        require_service("PostgreSQL (cutting a worker's connection)", None)
    ids, queue = pending_messages(queue_mode, own_redis, api, "井盖缺失", 60)
    failed = FailedJobRegistry(queue=queue)
    log = tmp_path / "worker.log"
    admin = create_engine(database_uri)
    with log.open("wb") as errors:
        worker = start_worker(
            database_uri, own_redis.url, queue, tmp_path, errors, SWEEP_AFTER_SECONDS="3600"
        )
    try:
        with admin.connect() as holder:
            # the job's claim (SELECT ... FOR UPDATE) waits behind this lock, inside
            # fetch_pending, where the server then cuts its connection
            holder.execute(text("LOCK TABLE messages IN EXCLUSIVE MODE"))
            queue.enqueue_call(scoring_queue.score_rows, args=("message", ids[:10]))
            waiting = None
            deadline = time.monotonic() + 60
            while waiting is None and time.monotonic() < deadline and worker.poll() is None:
                time.sleep(0.05)
                with admin.connect() as watcher:  # pg_stat_activity: one snapshot a transaction
                    waiting = watcher.execute(
                        text(
                            "SELECT pid FROM pg_stat_activity WHERE datname = current_database()"
                            " AND wait_event_type = 'Lock'"
                        )
                    ).scalar()
            assert waiting is not None, log.read_text()
            holder.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": waiting})
            holder.rollback()
        deadline = time.monotonic() + 30
        while failed.count < 1 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert failed.count == 1  # the job cut off failed; its rows are still pending
        for start in (0, 30):  # the next jobs, each taking pending rows along
            queue.enqueue_call(scoring_queue.score_rows, args=("message", ids[start : start + 30]))
        pending = ids
        deadline = time.monotonic() + 60
        while pending and failed.count == 1 and time.monotonic() < deadline:
            time.sleep(0.2)
            with admin.connect() as reader:
                pending = list(
                    reader.execute(
                        text("SELECT id FROM messages WHERE sentiment_model = 'pending'")
                    ).scalars()
                )
        assert failed.count == 1, log.read_text()[-3000:]
        assert pending == []
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        admin.dispose()
