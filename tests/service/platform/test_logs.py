"""Log lines carry the request or job they were written in: a request's id, caller and route
on each of its lines and on the lines of the worker job it queued; JSON under LOG_FORMAT=json,
gunicorn's own lines included."""

import io
import json
import logging
import re
import urllib.request

import pytest

from service.platform import logs
from service.platform.worker import Worker
from tests.support import gunicorn, message_body

UNREACHABLE = "redis://127.0.0.1:1/0"  # nothing listens there


@pytest.fixture
def written():
    """The lines the app writes while the test runs, as a JSON handler writes them."""
    stream = io.StringIO()
    handler = logs.make_handler("json", stream)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    lines = []

    def read() -> list[dict]:
        lines.extend(json.loads(line) for line in stream.getvalue().splitlines())
        stream.seek(0)
        stream.truncate()
        return lines

    yield read
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_requests_id_is_on_each_of_its_lines_and_on_its_worker_jobs(
    app, api, own_redis, written
):
    import redis
    from rq import Queue

    app.config.update(REDIS_URL=own_redis.url, SCORING_MODE="queue", SCORING_QUEUE="logs")
    connection = redis.Redis.from_url(own_redis.url)
    traced = {"X-Request-ID": "req-queued"}
    posted = api.post("/api/v1/messages", json=message_body(), headers=traced)
    assert posted.status_code == 201
    Worker([Queue("logs", connection=connection)], connection=connection).work(burst=True)
    app.config["REDIS_URL"] = UNREACHABLE  # the enqueue fails: a warning during the request
    posted = api.post("/api/v1/messages", json=message_body(), headers={"X-Request-ID": "req-down"})
    assert posted.status_code == 201
    lines = written()

    request_lines = [line for line in lines if line["logger"] == "minsheng.requests"]
    assert [(line["request_id"], line["status"]) for line in request_lines] == [
        ("req-queued", 201), ("req-down", 201),
    ]  # fmt: skip
    for line in request_lines:
        assert line["route"] == "/api/v1/messages" and line["role"] == "app"
        assert isinstance(line["account_id"], int) and line["duration_ms"] >= 0
        assert line["message"] == "POST /api/v1/messages 201" and line["level"] == "INFO"
    job_lines = [line for line in lines if "job_id" in line]
    assert any(line["message"] == "scored 1 messages" for line in job_lines)
    assert {line["request_id"] for line in job_lines} == {"req-queued"}
    assert {line["job"] for line in job_lines} == {"service.scoring.queue.score_rows"}
    during = lines[lines.index(request_lines[0]) + 1 : lines.index(request_lines[1])]
    warned = [line for line in during if line["level"] == "WARNING" and "job_id" not in line]
    assert warned and {line["request_id"] for line in warned} == {"req-down"}
    assert all(line["route"] == "/api/v1/messages" for line in warned)
    assert not any("title" in json.dumps(line, ensure_ascii=False) for line in lines), (
        "no citizen's text is logged"
    )


def test_text_lines_show_the_context_in_brackets(app, client):
    stream = io.StringIO()
    handler = logs.make_handler("text", stream)
    logging.getLogger().addHandler(handler)
    try:
        client.get("/healthz", headers={"X-Request-ID": "abc-1"})
    finally:
        logging.getLogger().removeHandler(handler)
    line = stream.getvalue().strip().splitlines()[-1]
    assert re.fullmatch(
        r"\S+ \S+ INFO minsheng\.requests: GET /healthz 200 "
        r"\[request_id=abc-1 route=/healthz duration_ms=[0-9.]+\]",
        line,
    ), line


def test_gunicorn_and_the_app_write_json_lines_only(database_uri, tmp_path):
    errors = (tmp_path / "stderr").open("w+")
    process, port = gunicorn(
        database_uri, tmp_path / "models", stderr=errors, LOG_FORMAT="json", LOG_LEVEL="INFO",
        GUNICORN_WORKERS="1",
    )  # fmt: skip
    try:
        asked = urllib.request.Request(
            f"http://127.0.0.1:{port}/healthz", headers={"X-Request-ID": "through-gunicorn"}
        )
        with urllib.request.urlopen(asked, timeout=10) as answer:
            assert answer.status == 200
    finally:
        process.terminate()
        process.wait(timeout=30)
    errors.seek(0)
    lines = [json.loads(line) for line in errors.read().splitlines() if line.strip()]
    assert any(line["logger"] == "gunicorn.error" and "Booting worker" in line["message"]
               for line in lines)  # fmt: skip
    served = [line for line in lines if line.get("request_id") == "through-gunicorn"]
    assert [(line["route"], line["status"]) for line in served] == [("/healthz", 200)]
