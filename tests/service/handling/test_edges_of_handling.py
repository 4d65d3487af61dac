"""What a third new-user test found in handling, rectification, appeals and flags."""

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

import pytest

from service.models import MessageEvent
from tests.support import force_status, message_body, rating_body


@pytest.fixture
def staff(client_as):
    return {
        "handler": client_as("handler", department_code="360100-GAJ"),
        "official": client_as("official", region_code="360100"),
        "admin": client_as("admin"),
    }


def test_ids_past_64_bits_are_not_found_and_never_a_500(staff):
    huge = "99999999999999999999"
    assert staff["official"].get(f"/api/v1/ratings/{huge}").status_code == 404
    assert staff["admin"].get(f"/api/v1/accounts/{huge}").status_code == 404
    assert staff["admin"].get(f"/api/v1/audit-events?account_id={huge}").status_code == 422
    body = {"rating_id": int(huge), "reason": "misrated", "note": "x"}
    assert staff["handler"].post("/api/v1/appeals", json=body).status_code == 422


def parallel(call, times=8):
    with ThreadPoolExecutor(max_workers=times) as pool:
        return sorted(pool.map(lambda _: call().status_code, range(times)))


def test_concurrent_evaluations_of_one_closing_let_exactly_one_through(api):
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    force_status(message["id"], "closed")
    path = f"/api/v1/messages/{message['tracking_code']}/evaluation"
    statuses = parallel(lambda: api.post(path, json={"evaluation": "satisfied"}))
    assert statuses.count(200) == 1 and set(statuses) == {200, 409}
    assert MessageEvent.query.filter_by(message_id=message["id"], action="evaluate").count() == 1


def test_concurrent_citizen_ratings_of_a_rectification_let_exactly_one_through(api):
    rating = api.post("/api/v1/ratings", json=rating_body(stars=1, comment="差")).get_json()
    force_status(rating["rectification_id"], "reported", "RectificationCase")
    body = {"transaction_id": rating["transaction_id"], "stars": 4}
    statuses = parallel(lambda: api.post("/api/v1/rectifications/citizen-rating", json=body))
    assert statuses.count(200) == 1


def test_only_the_app_that_posted_a_rating_rates_its_rectification(api, client_as):
    rating = api.post("/api/v1/ratings", json=rating_body(stars=1, comment="差")).get_json()
    force_status(rating["rectification_id"], "reported", "RectificationCase")
    body = {"transaction_id": rating["transaction_id"], "stars": 1}
    assert (
        client_as("app").post("/api/v1/rectifications/citizen-rating", json=body).status_code == 404
    )


def test_a_flag_review_retried_with_its_key_is_replayed(api, staff):
    api.post("/api/v1/ratings", json=rating_body(stars=1, comment="非常感谢，服务很好"))
    (flag,) = staff["official"].get("/api/v1/flags").get_json()
    path, headers = f"/api/v1/flags/{flag['id']}/review", {"Idempotency-Key": "review-1"}
    body = {"outcome": "dismissed", "note": "正常"}
    first = staff["official"].post(path, json=body, headers=headers)
    again = staff["official"].post(path, json=body, headers=headers)
    assert again.status_code == 200 and again.get_data() == first.get_data()


def test_a_confidential_messages_notes_stay_with_the_handler(api, staff):
    message = api.post(
        "/api/v1/messages", json=message_body(confidential=True, department_code="360100-GAJ")
    ).get_json()
    force_status(message["id"], "in_progress")
    staff["handler"].post(
        f"/api/v1/messages/{message['id']}/reply", json={"reply": "举报属实，已处理"}
    )
    events = staff["official"].get(f"/api/v1/messages/{message['id']}/events").get_json()
    assert [e["note"] for e in events] == [None]
    assert events[0]["department_code"] == "360100-GAJ"


def test_supervision_minds_first_contact_and_lets_a_replied_difficult_matter_be(api, staff):
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    staff["official"].post(
        f"/api/v1/messages/{message['id']}/dispatch",
        json={"department_code": "360100-GAJ", "difficulty": "difficult"},
    )
    first_contact_due = datetime.fromisoformat(message["first_contact_due_at"])
    late = {"kind": "overdue", "now": (first_contact_due + timedelta(hours=1)).isoformat()}
    assert [
        m["id"] for m in staff["official"].get("/api/v1/supervision", query_string=late).get_json()
    ] == [message["id"]]
    force_status(message["id"], "replied")
    much_later = {"kind": "overdue", "now": "2027-12-31T00:00:00+08:00"}
    assert staff["official"].get("/api/v1/supervision", query_string=much_later).get_json() == []


def test_the_tracking_code_view_is_masked(api):
    created = api.post(
        "/api/v1/messages", json=message_body(title="电话13812345678打不通")
    ).get_json()
    status = api.get(f"/api/v1/messages/{created['tracking_code']}").get_json()
    assert status["title"] == "电话138****5678打不通"


@pytest.mark.parametrize("value", ["yes", "on", 1, 0, "true"])
def test_flags_in_bodies_take_json_booleans_only(api, value):
    response = api.post("/api/v1/messages", json=message_body(anonymous=value))
    assert response.status_code == 422 and "anonymous" in response.get_json()["errors"]["json"]


def test_only_a_bad_rating_can_be_appealed_and_upholding_voids_its_case(api, staff):
    good = api.post("/api/v1/ratings", json=rating_body(stars=5)).get_json()
    body = {"rating_id": good["id"], "reason": "malicious", "note": "x"}
    assert staff["handler"].post("/api/v1/appeals", json=body).status_code == 422
    bad = api.post("/api/v1/ratings", json=rating_body(stars=1, comment="差")).get_json()
    appeal = (
        staff["handler"].post("/api/v1/appeals", json={**body, "rating_id": bad["id"]}).get_json()
    )
    staff["official"].post(
        f"/api/v1/appeals/{appeal['id']}/decision", json={"upheld": True, "note": "属实"}
    )
    case = staff["official"].get(f"/api/v1/rectifications/{bad['rectification_id']}").get_json()
    assert (case["status"], case["overdue"]) == ("void", False)


def test_retry_after_is_sent_only_with_a_429(api):
    assert "Retry-After" not in api.get("/api/v1/regions/360100").headers
