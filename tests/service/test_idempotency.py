from service.models import Message, Rating
from tests.conftest import make_account, message_body, rating_body


def test_a_retry_with_the_same_key_gets_the_original_answer_and_creates_nothing(api, app):
    headers = {"Idempotency-Key": "retry-1"}
    first = api.post("/api/v1/messages", json=message_body(), headers=headers)
    again = api.post("/api/v1/messages", json=message_body(), headers=headers)
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
