"""Scale-out: two web instances and two workers against one PostgreSQL and one Redis. Posts
through both instances are every one stored once and scored once."""

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from service.extensions import db
from service.models import Message, Rating, RatingFlag
from tests.support import free_port, make_account, message_body, rating_body

ROOT = Path(__file__).resolve().parents[3]


def wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on {port}")


def post(port: int, path: str, body: dict, token: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())["id"]


@pytest.fixture
def stack(app, database_uri, own_redis, tmp_path):
    """Two gunicorn instances and two workers, in queue mode, on the suite's database."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("scale-out is several processes on one PostgreSQL")
    env = {**os.environ, "DATABASE_URL": database_uri, "REDIS_URL": own_redis.url,
           "SCORING_MODE": "queue", "SCORING_QUEUE": f"scale-{os.urandom(4).hex()}",
           "MODEL_DIR": str(tmp_path / "models"), "RATE_LIMITS_ENABLED": "0",
           "GUNICORN_WORKERS": "1", "LOG_LEVEL": "WARNING"}  # fmt: skip
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "wsgi:app"], cwd=ROOT,
            env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for port in ports
    ] + [
        subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "worker"], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        for _ in range(2)
    ]  # fmt: skip
    try:
        for port in ports:
            wait_for(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_posts_through_two_instances_are_stored_and_scored_once_by_two_workers(stack):
    token = make_account("app")[1]
    messages = [
        post(stack[n % 2], "/api/v1/messages", message_body(title=f"路灯坏了{n}"), token)
        for n in range(40)
    ]
    ratings = [
        post(stack[n % 2], "/api/v1/ratings", rating_body(stars=1 + n % 5), token)
        for n in range(20)
    ]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        db.session.remove()
        pending = db.session.scalar(
            db.select(db.func.count())
            .select_from(Message)
            .where(Message.sentiment_model == "pending")
        ) + db.session.scalar(
            db.select(db.func.count())
            .select_from(Rating)
            .where(Rating.sentiment_model == "pending")
        )
        if pending == 0:
            break
        time.sleep(0.2)
    stored_messages = db.session.scalars(db.select(Message.id)).all()
    stored_ratings = db.session.scalars(db.select(Rating.id)).all()
    assert sorted(stored_messages) == sorted(messages) and len(set(messages)) == 40
    assert sorted(stored_ratings) == sorted(ratings) and len(set(ratings)) == 20
    assert pending == 0
    flags_per_rating = db.session.execute(
        db.select(RatingFlag.rating_id, db.func.count())
        .where(RatingFlag.kind == "contradiction")
        .group_by(RatingFlag.rating_id)
    ).all()
    assert all(count == 1 for _, count in flags_per_rating)  # a flag per scoring: scored once
