"""Queue mode: intake answers at once with the scoring pending, a worker scores each row once,
and nothing is lost when Redis loses a job or is down."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from service.extensions import db
from service.models import Account, Message, Rating, RatingFlag
from service.scoring import queue as scoring_queue
from tests.support import message_body, rating_body, require_service

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens there


@pytest.fixture
def queue(app):
    """Queue mode on the real Redis, with a queue of this test's own."""
    url = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    import redis
    from rq import Queue

    app.config.update(
        REDIS_URL=url, SCORING_MODE="queue", SCORING_QUEUE=f"test-{os.urandom(4).hex()}"
    )
    connection = redis.Redis.from_url(url)
    queue = Queue(app.config["SCORING_QUEUE"], connection=connection)
    yield queue
    queue.delete(delete_jobs=True)


def work(queue) -> None:
    from service.platform.worker import Worker

    Worker([queue], connection=queue.connection).work(burst=True)


def test_a_message_is_answered_pending_and_scored_once_by_the_worker(api, queue):
    answer = api.post("/api/v1/messages", json=message_body())
    assert answer.status_code == 201
    assert answer.get_json()["sentiment"]["label"] == "pending"
    assert queue.count == 1
    work(queue)
    message = db.session.get(Message, answer.get_json()["id"])
    assert message.sentiment_label in ("positive", "neutral", "negative")
    assert message.theme_code is not None and message.sentiment_model != "pending"
    scored_with = (message.sentiment_model, message.sentiment_score, message.theme_code)
    # the same job again (a retry, a duplicate): nothing more is written
    assert scoring_queue.score_rows("message", [message.id]) == 0
    db.session.refresh(message)
    assert (message.sentiment_model, message.sentiment_score, message.theme_code) == scored_with


def test_a_ratings_label_and_contradiction_flag_come_from_the_job(api, queue):
    body = rating_body(stars=5, comment="态度恶劣，排了三个小时队，非常生气，太差了")
    answer = api.post("/api/v1/ratings", json=body).get_json()
    assert answer["sentiment"]["label"] == "pending"
    work(queue)
    rating = db.session.get(Rating, answer["id"])
    assert rating.sentiment_label == "positive"  # 5 stars say so, whatever the text
    flags = RatingFlag.query.filter_by(rating_id=rating.id, kind="contradiction").count()
    assert flags == 1
    scoring_queue.score_rows("rating", [rating.id])
    assert RatingFlag.query.filter_by(rating_id=rating.id, kind="contradiction").count() == 1


def test_posts_while_a_job_waits_enqueue_nothing_more_and_that_job_scores_them_all(api, queue):
    ids = [api.post("/api/v1/messages", json=message_body()).get_json()["id"] for _ in range(5)]
    assert queue.count == 1  # the first post's job takes the others along
    work(queue)
    scored = db.session.scalars(db.select(Message).where(Message.id.in_(ids))).all()
    assert [m.sentiment_model != "pending" for m in scored] == [True] * 5
    later = api.post("/api/v1/messages", json=message_body()).get_json()["id"]
    assert queue.count == 1  # that job has started: a new post gets a job of its own
    work(queue)
    assert db.session.get(Message, later).sentiment_model != "pending"


def breaks_its_transaction() -> None:
    """A job whose write fails mid-transaction: two accounts of one name."""
    for token in ("a", "b"):
        db.session.add(Account(name="twice", role="app", token_hash=token * 64))
    db.session.flush()


def test_a_job_that_fails_mid_transaction_leaves_the_next_job_a_clean_session(api, queue):
    from rq.registry import FailedJobRegistry

    queue.enqueue(breaks_its_transaction)
    answer = api.post("/api/v1/messages", json=message_body())  # its scoring job comes next
    work(queue)
    assert FailedJobRegistry(queue=queue).count == 1  # the breaking job alone
    message = db.session.get(Message, answer.get_json()["id"])
    assert message.sentiment_model != "pending"


def test_a_job_lost_with_redis_is_found_by_the_sweeper(app, api, queue):
    ids = [api.post("/api/v1/messages", json=message_body()).get_json()["id"] for _ in range(3)]
    queue.empty()  # Redis flushed: the jobs are gone, the rows still pending
    app.config["SWEEP_AFTER_SECONDS"] = 0
    assert scoring_queue.sweep() == {"message": 3, "rating": 0}
    work(queue)
    scored = db.session.scalars(db.select(Message).where(Message.id.in_(ids))).all()
    assert all(m.sentiment_model != "pending" for m in scored)
    assert scoring_queue.sweep() == {"message": 0, "rating": 0}


def test_with_redis_down_intake_succeeds_readyz_says_degraded_and_the_sweeper_scores(
    app, api, client
):
    app.config.update(REDIS_URL=UNREACHABLE, SCORING_MODE="queue", SWEEP_AFTER_SECONDS=0)
    answer = api.post("/api/v1/messages", json=message_body())
    assert answer.status_code == 201 and answer.get_json()["sentiment"]["label"] == "pending"
    ready = client.get("/readyz")
    assert ready.status_code == 200
    assert ready.get_json() | {"redis": "unavailable", "status": "degraded"} == ready.get_json()
    assert scoring_queue.sweep()["message"] == 1  # no queue: scored by the sweeper itself
    assert db.session.get(Message, answer.get_json()["id"]).sentiment_model != "pending"


def test_with_redis_down_intake_can_score_inline_by_setting(app, api):
    app.config.update(REDIS_URL=UNREACHABLE, SCORING_MODE="queue")
    app.config["SCORE_INLINE_WHEN_QUEUE_DOWN"] = True
    answer = api.post("/api/v1/messages", json=message_body())
    assert db.session.get(Message, answer.get_json()["id"]).sentiment_model != "pending"


@pytest.mark.parametrize(
    ("content", "loaded"),
    [
        ("南昌市东湖区路灯不亮", []),
        # a county's short name is checked against the places around it: the place reader's
        # segmenter loads, and still no model, nor numpy
        ("石城大道路灯不亮", ["jieba"]),
    ],
)
def test_a_web_process_in_queue_mode_loads_no_nlp_model(tmp_path, content, loaded):
    script = textwrap.dedent(
        f"""
        import sys
        from service import create_app
        from service.access.accounts import open_account
        from service.platform.migrations import upgrade_database
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/web.db",
                          "SCORING_MODE": "queue", "REDIS_URL": "{UNREACHABLE}",
                          "RATE_LIMITS_ENABLED": False}})
        upgrade_database(app)
        with app.app_context():
            token = open_account("app", "app")[1]
        client = app.test_client()
        headers = {{"Authorization": "Bearer " + token}}
        message = {{"type": "投诉", "title": "路灯坏了", "content": "{content}"}}
        rating = {{"stars": 2, "comment": "太慢了", "transaction_id": "T1",
                  "service_item_code": "360100-GAJ-001"}}
        assert client.post("/api/v1/messages", json=message, headers=headers).status_code == 201
        assert client.post("/api/v1/ratings", json=rating, headers=headers).status_code == 201
        loaded = sorted({{"jieba", "snownlp", "sklearn", "numpy", "scipy"}} & set(sys.modules))
        print("loaded:", loaded)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
        cwd=Path(__file__).resolve().parents[3],
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert f"loaded: {loaded}" in result.stdout
