"""Who holds a token is remembered between requests when Redis is there to announce
revocations; a revocation reaches every process's cache before the next request."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event

from service import create_app
from service.access.auth import Caller
from service.access.token_cache import EXTENSION, TokenCache
from service.extensions import db
from tests.support import make_account


@pytest.fixture
def apps(app, own_redis):
    """Two apps on the test's database and a Redis of its own: two worker processes, each
    with its own token cache."""
    config = {**app.config, "REDIS_URL": own_redis.url, "RATE_LIMITS_ENABLED": False}
    return create_app(config), create_app(config)


def regions(app, token: str) -> int:
    with app.test_client() as client:
        headers = {"Authorization": f"Bearer {token}"}
        return client.get("/api/v1/regions", headers=headers).status_code


def account_queries(app, token: str) -> int:
    """How many statements that read the accounts table one request sends."""
    seen = []

    def record(conn, cursor, statement, *args):
        seen.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        assert regions(app, token) == 200
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sum("FROM accounts" in statement for statement in seen)


def test_a_known_token_is_not_looked_up_again(apps):
    first, _ = apps
    _, token = make_account("app")
    assert account_queries(first, token) == 1
    assert account_queries(first, token) == 0


def test_a_token_revoked_through_one_process_is_refused_by_the_other_at_once(apps):
    first, second = apps
    _, admin = make_account("admin")
    doomed, token = make_account("app")
    _, other = make_account("app")
    assert regions(first, token) == regions(second, token) == regions(second, other) == 200

    with first.test_client() as client:
        headers = {"Authorization": f"Bearer {admin}"}
        assert (
            client.post(f"/api/v1/accounts/{doomed.id}/revoke", headers=headers).status_code == 200
        )

    assert regions(second, token) == 401
    assert regions(first, token) == 401
    assert regions(second, other) == 200  # read again, and still live


def test_a_token_revoked_on_the_command_line_is_refused_at_once(apps):
    first, _ = apps
    account, token = make_account("app")
    assert regions(first, token) == 200
    with first.app_context():  # else the command runs in the test's app, which has no Redis
        result = first.test_cli_runner().invoke(args=["accounts", "revoke", account.name])
    assert result.exit_code == 0, result.output
    assert regions(first, token) == 401


def test_a_cached_token_still_expires_on_time(apps):
    first, _ = apps
    _, token = make_account("app", expires_at=datetime.now(UTC) + timedelta(minutes=1))
    assert regions(first, token) == 200
    with time_machine.travel(datetime.now(UTC) + timedelta(minutes=2)):
        assert regions(first, token) == 401


def test_with_redis_down_every_token_is_checked_in_the_database(apps, own_redis):
    first, _ = apps
    account, token = make_account("app")
    assert regions(first, token) == 200
    own_redis.kill()
    assert account_queries(first, token) == 1
    with first.app_context():
        from service.access import accounts

        accounts.revoke(db.session.get(type(account), account.id))  # announcing it fails
    assert regions(first, token) == 401


def test_without_redis_there_is_no_cache(app):
    app.config["REDIS_URL"] = None
    assert create_app(dict(app.config)).extensions[EXTENSION] is None


def test_an_entry_lives_its_seconds_and_only_under_its_generation():
    clock = [0.0]
    cache = TokenCache("redis://unused", size=2, seconds=60, timer=lambda: clock[0])
    caller = Caller(1, "app", "app", None, None, None)
    cache.put("h1", b"g1", caller)
    assert cache.get("h1", b"g1") == caller
    assert cache.get("h1", b"g2") is None  # a revocation came since
    clock[0] = 61
    assert cache.get("h1", b"g1") is None
    for n in range(3):
        cache.put(f"h{n}", b"g1", caller)
    assert cache.get("h0", b"g1") is None  # the size is bounded: the oldest went
