"""With SENTRY_DSN, an unhandled error of a request or of a worker's job is reported, tagged
with its request id, and no personal data goes with it."""

import json

import pytest
import sentry_sdk
from sentry_sdk.transport import Transport

from service import create_app
from service.platform.error_reports import options
from tests.support import make_account

PHONE = "13812345678"


class Kept(Transport):
    """Keeps what would be sent, as the JSON Sentry would receive."""

    sent: list[dict] = []

    def capture_envelope(self, envelope) -> None:
        for item in envelope.items:
            if item.type == "event":
                Kept.sent.append(json.loads(item.payload.get_bytes()))


@pytest.fixture
def reported(database_uri, tmp_path):
    """An app reporting to Sentry (a transport that keeps the events), and the events."""
    settings = {"SQLALCHEMY_DATABASE_URI": database_uri, "TESTING": False,
                "MODEL_DIR": str(tmp_path / "models"), "SCORING_MODE": "inline",
                "SENTRY_DSN": "https://public@sentry.invalid/1"}  # fmt: skip
    app = create_app(settings)

    @app.post("/api/v1/broken")
    def broken():
        raise RuntimeError(f"cannot read the citizen's reply, call {PHONE}")

    Kept.sent = []
    sentry_sdk.init(**options(app.config), transport=Kept)
    yield app, Kept.sent
    sentry_sdk.init()  # no DSN: reporting off for the rest of the process


def test_a_request_error_is_reported_without_personal_data(reported):
    app, sent = reported
    with app.app_context():
        token = make_account("app")[1]
    answer = app.test_client().post(
        "/api/v1/broken?citizen=" + PHONE,
        json={"content": f"我的电话{PHONE}", "citizen_ref": "u-1"},
        headers={"Authorization": f"Bearer {token}", "X-Request-ID": "req-broken",
                 "Cookie": "minsheng_session=abc"},
    )  # fmt: skip
    assert answer.status_code == 500
    sentry_sdk.flush()
    (event,) = sent
    text = json.dumps(event, ensure_ascii=False)
    assert event["exception"]["values"][-1]["type"] == "RuntimeError"
    assert "138****5678" in event["exception"]["values"][-1]["value"]
    assert PHONE not in text and token not in text and "我的电话" not in text
    assert "minsheng_session" not in text and "u-1" not in text
    assert event["tags"]["request_id"] == "req-broken"
    assert event["tags"]["route"] == "/api/v1/broken"
    headers = {name.lower() for name in event["request"].get("headers", {})}
    assert headers == {"content-type", "content-length", "user-agent", "x-request-id"}
    assert "user" not in event and "data" not in event["request"]
    frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
    assert not any(frame.get("vars") for frame in frames)


def test_a_failed_job_is_reported_with_the_request_that_queued_it_and_not_its_arguments(
    reported, own_redis
):
    from redis import Redis
    from rq import Queue

    from service.platform.worker import Worker

    app, sent = reported
    connection = Redis.from_url(own_redis.url)
    queue = Queue("reports", connection=connection)
    # ValueError: invalid literal for int() with base 10: '13812345678号'
    queue.enqueue("builtins.int", f"{PHONE}号", meta={"request_id": "req-9"})
    with app.app_context():
        Worker([queue], connection=connection).work(burst=True)
    sentry_sdk.flush()
    assert sent, "the job's failure was reported"
    event = sent[-1]
    text = json.dumps(event, ensure_ascii=False)
    assert PHONE not in text and "138****5678" in text
    assert event["tags"]["request_id"] == "req-9"
    assert event["tags"]["job"] == "builtins.int"
    assert "args" not in event["extra"]["rq-job"]
