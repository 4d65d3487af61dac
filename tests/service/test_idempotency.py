import json

import pytest

from service.models import Message, Rating
from tests.conftest import make_account, message_body, rating_body


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
    from datetime import UTC, datetime, timedelta

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
