import json
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from service.models import Message, Rating
from tests.support import TokenClient, make_account, message_body, rating_body


def test_a_retry_with_the_same_key_gets_the_original_answer_and_creates_nothing(api, app):
    headers = {"Idempotency-Key": "retry-1"}
    body = message_body()
    first = api.post("/api/v1/messages", json=body, headers=headers)
    again = api.post("/api/v1/messages", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_data() == first.get_data()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert Message.query.count() == 1


def test_a_retried_rating_is_not_refused_as_a_duplicate(api):
    body, headers = rating_body(), {"Idempotency-Key": "r-1"}
    first = api.post("/api/v1/ratings", json=body, headers=headers)
    again = api.post("/api/v1/ratings", json=body, headers=headers)
    assert again.status_code == 201 and again.get_json() == first.get_json()
    assert Rating.query.count() == 1


def test_the_same_key_with_a_different_body_is_refused(api):
    headers = {"Idempotency-Key": "k"}
    api.post("/api/v1/messages", json=message_body(), headers=headers)
    response = api.post("/api/v1/messages", json=message_body(title="另一件事"), headers=headers)
    assert response.status_code == 422
    assert "Idempotency-Key" in response.get_json()["errors"]["headers"]
    assert Message.query.count() == 1


def test_keys_belong_to_one_account(api, client):
    _, other_token = make_account("app")
    headers = {"Idempotency-Key": "shared"}
    api.post("/api/v1/messages", json=message_body(), headers=headers)
    response = client.post(
        "/api/v1/messages",
        json=message_body(),
        headers={**headers, "Authorization": f"Bearer {other_token}"},
    )
    assert response.status_code == 201 and "Idempotent-Replayed" not in response.headers
    assert Message.query.count() == 2


def test_a_refused_request_records_no_key(api):
    headers = {"Idempotency-Key": "bad-then-good"}
    assert (
        api.post("/api/v1/ratings", json=rating_body(stars=9), headers=headers).status_code == 422
    )
    good = rating_body()
    assert api.post("/api/v1/ratings", json=good, headers=headers).status_code == 201


def test_concurrent_retries_with_one_key_create_one_message(api):
    from concurrent.futures import ThreadPoolExecutor

    headers, body = {"Idempotency-Key": "race"}, message_body()
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(
                lambda _: api.post("/api/v1/messages", json=body, headers=headers),
                range(4),
            )
        )
    assert {a.status_code for a in answers} == {201}
    assert len({a.get_data() for a in answers}) == 1
    assert Message.query.count() == 1


def test_purging_deletes_only_expired_answers(api, runner, app):
    from service.extensions import db
    from service.models import IdempotencyRecord

    api.post("/api/v1/messages", json=message_body(), headers={"Idempotency-Key": "old"})
    api.post(
        "/api/v1/messages", json=message_body(title="新的"), headers={"Idempotency-Key": "new"}
    )
    old = IdempotencyRecord.query.filter_by(key="old").one()
    old.created_at = datetime.now(UTC) - timedelta(hours=25)
    db.session.commit()
    assert "Deleted 1 expired" in runner.invoke(args=["purge-idempotency"]).output
    assert [r.key for r in IdempotencyRecord.query.all()] == ["new"]


def test_the_openapi_document_describes_the_idempotency_header(client):
    spec = client.get("/api/openapi.json").get_json()
    parameters = spec["paths"]["/api/v1/messages"]["post"]["parameters"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in parameters)


def test_a_retry_with_keys_reordered_and_other_spacing_is_the_same_request(api):
    headers = {"Idempotency-Key": "json-not-bytes"}
    body = message_body()
    first = api.post("/api/v1/messages", json=body, headers=headers)
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = api.post(
        "/api/v1/messages", data=reordered, content_type="application/json", headers=headers
    )
    assert again.status_code == 201 and again.get_data() == first.get_data()


@pytest.mark.parametrize("key", ["", "   ", "k" * 256, "a\x00b", "键"])
def test_an_empty_overlong_or_non_ascii_key_returns_400(api, key):
    response = api.post("/api/v1/messages", json=message_body(), headers={"Idempotency-Key": key})
    assert response.status_code == 400
    assert Message.query.count() == 0


def test_fifty_retries_of_one_message_get_the_first_answer_and_cost_no_rate_limit(api, app):
    """An app on a poor network retries; only the first post counts against the citizen's
    (and the account's) limit, so the citizen may still send their two other messages."""
    app.config["RATE_LIMIT_CITIZEN_MESSAGES"] = "3 per hour"
    app.config["RATE_LIMIT_WRITE"] = "3 per hour"
    headers, body = {"Idempotency-Key": "fifty-retries"}, message_body()
    answers = [api.post("/api/v1/messages", json=body, headers=headers) for _ in range(50)]
    assert [a.status_code for a in answers] == [201] * 50
    assert len({a.get_data() for a in answers}) == 1
    others = [
        api.post("/api/v1/messages", json=message_body(citizen_ref=body["citizen_ref"]))
        for _ in range(3)
    ]
    assert [a.status_code for a in others] == [201, 201, 429]
    assert Message.query.count() == 3


def send_at_once(count: int, send) -> list:
    """``send()`` from ``count`` threads released at the same moment: their answers."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    start = Barrier(count)

    def at_once(_):
        start.wait(timeout=30)
        return send()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(at_once, range(count)))


def test_retries_of_a_step_sent_at_the_same_moment_all_get_the_first_answer(api, client_as):
    from service.models import MessageEvent

    official = client_as("official", region_code="360100")
    step = {"department_code": "360100-GAJ", "difficulty": "ordinary"}
    for attempt in range(5):
        message_id = api.post("/api/v1/messages", json=message_body()).get_json()["id"]
        dispatch = partial(
            official.post,
            f"/api/v1/messages/{message_id}/dispatch",
            json=step,
            headers={"Idempotency-Key": f"dispatch-{attempt}"},
        )
        answers = send_at_once(6, dispatch)
        assert [a.status_code for a in answers] == [200] * 6
        assert len({a.get_data() for a in answers}) == 1
        assert sum(a.headers.get("Idempotent-Replayed") != "true" for a in answers) == 1
        dispatches = MessageEvent.query.filter_by(message_id=message_id, action="dispatch")
        assert dispatches.count() == 1


def leave_a_claim(app, account, path: str, body: dict, key: str, age: timedelta) -> None:
    """A claim on ``key`` with no answer, as a request still running (or one that died)
    leaves it, made ``age`` ago."""
    from service.api.responses import canonical_json
    from service.extensions import db
    from service.models import IdempotencyRecord
    from service.store.intake.idempotency import CLAIMED, fingerprint

    raw = canonical_json(json.dumps(body).encode())
    record = IdempotencyRecord(
        account_id=account.id,
        key=key,
        fingerprint=fingerprint("POST", path, raw),
        status_code=CLAIMED,
        response_body="",
        created_at=datetime.now(UTC) - age,
    )
    db.session.add(record)
    db.session.commit()


def test_a_twin_of_a_request_still_running_past_the_wait_gets_409_naming_the_key(client, app):
    account, token = make_account("app")
    app.config["IDEMPOTENCY_WAIT_SECONDS"] = 0
    body = message_body()
    leave_a_claim(app, account, "/api/v1/messages", body, "running", timedelta(seconds=1))
    response = TokenClient(client, token).post(
        "/api/v1/messages", json=body, headers={"Idempotency-Key": "running"}
    )
    assert response.status_code == 409
    assert "Idempotency-Key" in response.get_json()["errors"]["headers"]
    assert Message.query.count() == 0


def test_a_key_left_by_a_request_that_died_is_taken_over_by_its_retry(client, app):
    account, token = make_account("app")
    body = message_body()
    leave_a_claim(app, account, "/api/v1/messages", body, "died", timedelta(hours=1))
    response = TokenClient(client, token).post(
        "/api/v1/messages", json=body, headers={"Idempotency-Key": "died"}
    )
    assert response.status_code == 201 and Message.query.count() == 1


def test_a_new_key_for_a_transaction_rated_already_is_409_naming_it_not_an_empty_replay(api):
    """The request holds its own key's claim when the duplicate is refused: that claim is no
    twin's answer (it was sent back as a replay with status 0 and no body)."""
    body = rating_body(transaction_id="BJ-key-1")
    first = api.post("/api/v1/ratings", json=body, headers={"Idempotency-Key": "first"})
    for _ in range(2):  # the refused key was given up: its retry is refused alike
        again = api.post("/api/v1/ratings", json=body, headers={"Idempotency-Key": "second"})
        assert again.status_code == 409 and "Idempotent-Replayed" not in again.headers
        assert f"rating {first.get_json()['id']}" in again.get_json()["message"]
        assert "transaction_id" in again.get_json()["errors"]["json"]


def test_a_tracking_code_drawn_twice_is_drawn_again_under_a_key(api, monkeypatch):
    from service.store.intake import messages

    taken = api.post("/api/v1/messages", json=message_body()).get_json()["tracking_code"]
    draws = iter([taken, "ZX" + taken[2:]])
    monkeypatch.setattr(messages, "new_tracking_code", lambda now=None: next(draws))
    answer = api.post("/api/v1/messages", json=message_body(), headers={"Idempotency-Key": "m"})
    assert answer.status_code == 201 and "Idempotent-Replayed" not in answer.headers
    assert answer.get_json()["tracking_code"] == "ZX" + taken[2:]
