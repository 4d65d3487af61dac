from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event

from service import store
from service.extensions import db
from tests.support import make_account, message_body, rating_body


def test_no_token_returns_401_with_a_bearer_challenge(client):
    response = client.post("/api/v1/messages", json=message_body())
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"


def test_an_unknown_token_returns_401(client):
    response = client.get("/api/v1/regions", headers={"Authorization": "Bearer ms_nope"})
    assert response.status_code == 401


def test_a_revoked_token_returns_401(client, app):
    account, token = make_account("app")
    store.accounts.revoke_account(account)
    response = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_an_expired_token_returns_401(client):
    _, token = make_account("app", expires_at=datetime.now(UTC) + timedelta(minutes=1))
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)):
        response = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_an_admin_may_not_post_ratings_as_an_app(client, admin_token):
    response = client.post(
        "/api/v1/ratings", json={}, headers={"Authorization": f"Bearer {admin_token}"}
    )
    assert response.status_code == 403


def test_tokens_are_stored_only_as_hashes(app):
    account, token = make_account("app")
    assert token not in account.token_hash and len(account.token_hash) == 64


def test_accounts_create_prints_the_token_as_the_last_line(runner, client):
    result = runner.invoke(args=["accounts", "create", "--role", "app", "--name", "ganfutong"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    assert (
        client.get("/api/v1/regions", headers={"Authorization": f"Bearer {token}"}).status_code
        == 200
    )


def test_accounts_create_refuses_a_taken_name(runner):
    runner.invoke(args=["accounts", "create", "--role", "app", "--name", "twice"])
    result = runner.invoke(args=["accounts", "create", "--role", "app", "--name", "twice"])
    assert result.exit_code != 0 and "exists already" in result.output


def test_accounts_revoke_and_list(runner):
    runner.invoke(args=["accounts", "create", "--role", "admin", "--name", "ops"])
    assert runner.invoke(args=["accounts", "revoke", "ops"]).exit_code == 0
    assert "ops\tadmin\trevoked" in runner.invoke(args=["accounts", "list"]).output


def test_the_demo_token_is_printed_on_first_start_only(runner):
    first = runner.invoke(args=["accounts", "demo"]).output
    second = runner.invoke(args=["accounts", "demo"]).output
    assert "Demo app token" in first and "ms_" in first
    assert "exists" in second and "ms_" not in second


def test_accounts_create_refuses_a_blank_name(runner):
    result = runner.invoke(args=["accounts", "create", "--role", "app", "--name", "   "])
    assert result.exit_code != 0 and "not blank" in result.output


def test_revoking_twice_says_it_was_revoked_already(runner):
    runner.invoke(args=["accounts", "create", "--role", "app", "--name", "gone"])
    runner.invoke(args=["accounts", "revoke", "gone"])
    assert "revoked already" in runner.invoke(args=["accounts", "revoke", "gone"]).output


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--role", "handler"], "bound to a department"),
        (["--role", "handler", "--department", "NOPE"], "Unknown department"),
        (["--role", "official"], "bound to a region"),
        (["--role", "official", "--region", "999999"], "Unknown region"),
        (["--role", "app", "--region", "360100"], "takes no region"),
        (["--role", "analyst", "--department", "360100-GAJ"], "Only a handler"),
    ],
)
def test_accounts_take_the_scope_their_role_needs(runner, args, complaint):
    result = runner.invoke(args=["accounts", "create", "--name", "x", *args])
    assert result.exit_code != 0 and complaint in result.output


def test_scoped_accounts_are_listed_with_their_scope(runner):
    runner.invoke(
        args=[
            "accounts",
            "create",
            "--role",
            "handler",
            "--name",
            "h",
            "--department",
            "360700-RSJ",
        ]
    )
    runner.invoke(
        args=["accounts", "create", "--role", "official", "--name", "o", "--region", "360700"]
    )
    runner.invoke(args=["accounts", "create", "--role", "analyst", "--name", "a"])
    listing = runner.invoke(args=["accounts", "list"]).output
    assert "h\thandler of 360700-RSJ" in listing
    assert "o\tofficial of 360700" in listing
    assert "a\tanalyst of 360000" in listing


def test_creating_and_revoking_accounts_is_audited(runner, app):
    from service.models import AuditEvent

    runner.invoke(args=["accounts", "create", "--role", "app", "--name", "audited"])
    runner.invoke(args=["accounts", "revoke", "audited"])
    events = AuditEvent.query.order_by(AuditEvent.id).all()
    assert [e.action for e in events] == ["account.create", "account.revoke"]
    assert events[0].object_id == events[1].object_id
    assert events[0].actor.startswith("cli:")


def test_a_request_looks_its_token_up_once(client, app):
    """The rate limits (checking for a replayed Idempotency-Key) and the view both ask who
    calls; the database is asked once."""
    _, token = make_account("app")
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": "once-1"}
        answer = client.post("/api/v1/ratings", json=rating_body(), headers=headers)
        assert answer.status_code == 201
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert sum("FROM accounts" in statement for statement in statements) == 1
