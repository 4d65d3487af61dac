"""When the database or Redis fails: a 503 with Retry-After in the one error shape, nothing
half-written, and service again once it is back."""

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from service import create_app
from service.extensions import db
from service.models import Message
from tests.support import message_body

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
ROOT = Path(__file__).resolve().parents[3]


def test_a_database_that_does_not_answer_gets_503_with_retry_after():
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://postgres@127.0.0.1:1/none",
         "TESTING": True, "RATE_LIMITS_ENABLED": False}
    )  # fmt: skip
    client = app.test_client()
    answer = client.post(
        "/api/v1/messages", json=message_body(), headers={"Authorization": "Bearer x" * 2}
    )
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert answer.get_json() == {
        "code": 503,
        "status": "Service Unavailable",
        "message": "The database is unavailable; retry shortly.",
    }
    assert client.get("/readyz").status_code == 503


def test_a_connection_cut_under_the_service_is_replaced_on_the_next_request(app, api):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("cutting a server connection needs PostgreSQL")
    assert api.post("/api/v1/messages", json=message_body()).status_code == 201
    with db.engine.connect() as admin:  # the pool's connections, cut by the server
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    db.session.remove()
    answer = api.post("/api/v1/messages", json=message_body())
    assert answer.status_code == 201
    assert db.session.get(Message, answer.get_json()["id"]) is not None


@pytest.mark.parametrize(("when_down", "status"), [("memory", 201), ("open", 201), ("closed", 503)])
def test_rate_limits_with_redis_down_fall_back_open_or_closed_by_setting(
    tmp_path, when_down, status
):
    # A process of its own: the limiter is one per process, configured by its first app.
    script = textwrap.dedent(
        f"""
        from service import create_app
        from service.access.accounts import open_account
        from service.platform.migrations import upgrade_database
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/web.db",
                          "REDIS_URL": "{UNREACHABLE_REDIS}", "SCORING_MODE": "inline",
                          "RATE_LIMITS_WHEN_REDIS_DOWN": "{when_down}"}})
        upgrade_database(app)
        with app.app_context():
            token = open_account("app", "app")[1]
        answer = app.test_client().post(
            "/api/v1/messages", headers={{"Authorization": "Bearer " + token}},
            json={{"type": "投诉", "title": "路灯坏了", "content": "南昌市东湖区路灯不亮"}},
        )
        print(answer.status_code, answer.headers.get("Retry-After"), answer.get_json()["message"]
              if answer.status_code == 503 else "")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr[-2000:]
    if status == 201:
        assert result.stdout.split()[0] == "201"
    else:
        assert result.stdout.strip() == "503 5 A shared service is unavailable; retry shortly."
