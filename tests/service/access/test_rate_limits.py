"""Rate limits answer 429 with Retry-After, in the one error shape."""

from tests.support import message_body, rating_body


def test_an_account_over_its_write_limit_gets_429_with_retry_after(api, app):
    app.config["RATE_LIMIT_WRITE"] = "2 per minute"
    statuses = [api.post("/api/v1/ratings", json=rating_body()).status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    refused = api.post("/api/v1/ratings", json=rating_body())
    body = refused.get_json()
    assert (body["code"], body["status"]) == (429, "Too Many Requests") and body["message"]
    assert 0 < int(refused.headers["Retry-After"]) <= 60  # when the minute's window ends


def test_reads_and_writes_are_counted_apart(api, app):
    app.config["RATE_LIMIT_WRITE"] = "1 per minute"
    api.post("/api/v1/ratings", json=rating_body())
    assert api.get("/api/v1/regions/360100").status_code == 200


def test_one_accounts_limit_leaves_another_alone(api, client_as, app):
    app.config["RATE_LIMIT_READ"] = "1 per minute"
    api.get("/api/v1/regions/360100")
    assert api.get("/api/v1/regions/360100").status_code == 429
    assert client_as("app").get("/api/v1/regions/360100").status_code == 200


def test_a_citizen_may_post_only_so_many_messages(api, client_as, app):
    app.config["RATE_LIMIT_CITIZEN_MESSAGES"] = "2 per hour"
    citizen = message_body()["citizen_ref"]
    statuses = [
        api.post("/api/v1/messages", json=message_body(citizen_ref=citizen)).status_code
        for _ in range(3)
    ]
    assert statuses == [201, 201, 429]
    # the citizen is limited whichever app posts for them; other citizens are not
    other_app = client_as("app")
    assert (
        other_app.post("/api/v1/messages", json=message_body(citizen_ref=citizen)).status_code
        == 429
    )
    assert api.post("/api/v1/messages", json=message_body()).status_code == 201


def test_probes_are_never_limited(client, app):
    app.config["RATE_LIMIT_READ"] = "1 per minute"
    assert {client.get("/readyz").status_code for _ in range(3)} == {200}


def test_counts_live_in_redis_when_it_is_configured(app, database_uri):  # app: cleans up
    import os

    import redis

    from service import create_app
    from tests.support import TokenClient, make_account, require_service

    url = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_uri, "REDIS_URL": url})
    with app.app_context():
        caller = TokenClient(app.test_client(), make_account("app")[1])
        caller.get("/api/v1/regions/360100")
    keys = redis.Redis.from_url(url).keys("*minsheng*")
    assert keys, "no rate-limit counter in Redis"


def test_an_oversized_message_with_redis_is_a_413_and_no_rate_limit_storage_error(
    app, database_uri, own_redis, caplog
):
    """The citizen's limit needs the body's citizen_ref; reading an oversized body raised 413
    inside the limiter, which took it for Redis failing: an ERROR with two tracebacks, and
    the counts moved to memory."""
    import logging

    from service import create_app
    from service.access.limits import limiter
    from tests.support import TokenClient, make_account

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_uri, "REDIS_URL": own_redis.url,
         "MAX_CONTENT_LENGTH": 1000}
    )  # fmt: skip
    with app.app_context(), caplog.at_level(logging.WARNING):
        caller = TokenClient(app.test_client(), make_account("app")[1])
        response = caller.post("/api/v1/messages", json=message_body(content="长" * 2000))
        assert response.status_code == 413
        assert response.get_json()["errors"] == {"json": ["Larger than 1000 bytes."]}
        assert caller.post("/api/v1/messages", json=message_body()).status_code == 201
    warned = [r.getMessage() for r in caplog.records
              if r.levelno >= logging.WARNING and r.name != "minsheng.calendar"]  # fmt: skip
    assert warned == []
    assert not limiter._storage_dead
