"""Every 差评 is rectified within its deadline; an upheld appeal takes a rating out of the
figures without deleting it."""

from datetime import datetime, timedelta

import pytest

from analytics.workdays import add_working_days
from service.extensions import db
from service.models import AuditEvent, Rating
from tests.support import rating_body


@pytest.fixture
def staff(client_as):
    return {
        "handler": client_as("handler", department_code="360100-GAJ"),
        "official": client_as("official", region_code="360100"),
    }


def bad_rating(api, **fields):
    return api.post(
        "/api/v1/ratings", json=rating_body(stars=1, comment="排队三小时", **fields)
    ).get_json()


def test_a_bad_rating_opens_a_case_due_in_15_working_days_and_a_good_one_none(api, staff):
    rating = bad_rating(api, real_name=True)
    good = api.post("/api/v1/ratings", json=rating_body(stars=4)).get_json()
    assert good["rectification_id"] is None
    case = staff["handler"].get(f"/api/v1/rectifications/{rating['rectification_id']}").get_json()
    assert (case["status"], case["stars"], case["real_name"]) == ("open", 1, True)
    opened = datetime.fromisoformat(rating["created_at"])
    assert datetime.fromisoformat(case["due_at"]) == add_working_days(opened, 15)


def test_a_case_is_verified_rectified_and_reported_in_that_order_then_rated(api, staff):
    rating = bad_rating(api)
    path = f"/api/v1/rectifications/{rating['rectification_id']}"
    handler = staff["handler"]
    assert handler.post(f"{path}/report", json={"note": "x"}).status_code == 409
    for action in ("verify", "rectify", "report"):
        answer = handler.post(f"{path}/{action}", json={"note": f"{action} 已完成"})
        assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["status"] == "reported" and answer.get_json()["overdue"] is False
    rate = {"transaction_id": rating["transaction_id"], "stars": 4}
    rated = api.post("/api/v1/rectifications/citizen-rating", json=rate)
    assert rated.status_code == 200 and rated.get_json()["citizen_stars"] == 4
    assert api.post("/api/v1/rectifications/citizen-rating", json=rate).status_code == 409
    actions = {e.action for e in AuditEvent.query.filter_by(object_type="rectification")}
    assert actions == {
        f"rectification.{a}" for a in ("verify", "rectify", "report", "citizen_rating")
    }


def test_a_step_needs_its_note(api, staff):
    rating = bad_rating(api)
    answer = staff["handler"].post(
        f"/api/v1/rectifications/{rating['rectification_id']}/verify", json={}
    )
    assert answer.status_code == 422 and "note" in answer.get_json()["errors"]["json"]


def test_a_case_past_its_deadline_is_listed_as_overdue(api, staff):
    rating = bad_rating(api)
    case = staff["official"].get(f"/api/v1/rectifications/{rating['rectification_id']}").get_json()
    later = (datetime.fromisoformat(case["due_at"]) + timedelta(minutes=1)).isoformat()
    overdue = staff["official"].get(
        "/api/v1/rectifications", query_string={"overdue": "true", "now": later}
    )
    assert [c["id"] for c in overdue.get_json()] == [case["id"]]
    assert overdue.get_json()[0]["overdue"] is True
    earlier = staff["official"].get("/api/v1/rectifications", query_string={"overdue": "true"})
    assert earlier.get_json() == []


def test_an_upheld_appeal_takes_the_rating_out_of_the_figures_but_not_the_database(api, staff):
    rating = bad_rating(api)
    filed = staff["handler"].post(
        "/api/v1/appeals",
        json={"rating_id": rating["id"], "reason": "malicious", "note": "同一设备连发"},
    )
    assert filed.status_code == 201 and filed.get_json()["status"] == "pending"
    decided = staff["official"].post(
        f"/api/v1/appeals/{filed.get_json()['id']}/decision",
        json={"upheld": True, "note": "核实属实"},
    )
    assert decided.status_code == 200 and decided.get_json()["status"] == "upheld"
    stored = db.session.get(Rating, rating["id"])
    db.session.refresh(stored)
    assert stored is not None and stored.valid is False
    assert AuditEvent.query.filter_by(action="appeal.upheld").count() == 1


def test_a_rejected_appeal_leaves_the_rating_in_the_figures(api, staff):
    rating = bad_rating(api)
    appeal = (
        staff["handler"]
        .post(
            "/api/v1/appeals",
            json={"rating_id": rating["id"], "reason": "misrated", "note": "选错事项"},
        )
        .get_json()
    )
    staff["official"].post(
        f"/api/v1/appeals/{appeal['id']}/decision", json={"upheld": False, "note": "证据不足"}
    )
    assert db.session.get(Rating, rating["id"]).valid is True


def test_a_rating_is_appealed_once_and_an_appeal_decided_once(api, staff):
    rating = bad_rating(api)
    body = {"rating_id": rating["id"], "reason": "misrated", "note": "选错事项"}
    appeal = staff["handler"].post("/api/v1/appeals", json=body).get_json()
    assert staff["handler"].post("/api/v1/appeals", json=body).status_code == 409
    decision = {"upheld": False, "note": "证据不足"}
    path = f"/api/v1/appeals/{appeal['id']}/decision"
    assert staff["official"].post(path, json=decision).status_code == 200
    assert staff["official"].post(path, json=decision).status_code == 409


def test_a_department_appeals_only_its_own_ratings(api, client_as):
    rating = bad_rating(api)
    other = client_as("handler", department_code="360700-RSJ")
    body = {"rating_id": rating["id"], "reason": "misrated", "note": "x"}
    assert other.post("/api/v1/appeals", json=body).status_code == 404


def test_an_appeal_note_is_masked_for_the_official_and_read_whole_by_the_handler(api, staff):
    rating = bad_rating(api)
    note = "评价人13812345678在丰和中大道188号闹事"
    filed = staff["handler"].post(
        "/api/v1/appeals", json={"rating_id": rating["id"], "reason": "malicious", "note": note}
    )
    assert filed.get_json()["note"] == note
    path = f"/api/v1/appeals/{filed.get_json()['id']}"
    decided = staff["official"].post(
        f"{path}/decision", json={"upheld": True, "note": "已核实13812345678的来电记录"}
    )
    masked = "评价人138****5678在丰和中大道***号闹事"
    assert decided.get_json()["note"] == masked
    assert decided.get_json()["decision_note"] == "已核实138****5678的来电记录"
    assert staff["official"].get(path).get_json()["note"] == masked
    assert [a["note"] for a in staff["official"].get("/api/v1/appeals").get_json()] == [masked]
    assert staff["handler"].get(path).get_json()["note"] == note
    assert "13812345678" in staff["handler"].get("/api/v1/appeals").get_json()[0]["decision_note"]
