"""A message's handling: the allowed steps, their time limits, their record."""

from datetime import datetime, timedelta

import pytest

from analytics.workdays import add_working_days
from service.handling.lifecycle import STEPS
from service.models import AuditEvent, MessageEvent
from service.vocabulary import MESSAGE_STATUSES
from tests.support import force_status, message_body

BODIES = {
    "dispatch": {"department_code": "360100-GAJ", "difficulty": "ordinary"},
    "start": {},
    "return": {"note": "不属于本单位职责"},
    "reply": {"reply": "已派人清理排水口，请再观察。"},
    "close": {},
}


@pytest.fixture
def people(client_as):
    return {
        "official": client_as("official", region_code="360100"),
        "handler": client_as("handler", department_code="360100-GAJ"),
    }


@pytest.fixture
def message(api):
    return api.post("/api/v1/messages", json=message_body()).get_json()


def act(people, message, action, **body):
    role = STEPS[action].role
    return people[role].post(
        f"/api/v1/messages/{message['id']}/{action}", json={**BODIES[action], **body}
    )


def test_a_message_goes_from_acceptance_to_the_citizens_evaluation(api, people, message):
    dispatched = act(people, message, "dispatch", difficulty="difficult").get_json()
    accepted_at = datetime.fromisoformat(message["created_at"])
    assert datetime.fromisoformat(dispatched["due_at"]) == add_working_days(accepted_at, 10)
    assert act(people, message, "start").get_json()["first_contact_at"]
    act(people, message, "reply")
    closed = act(people, message, "close").get_json()
    assert closed["status"] == "closed" and closed["closed_at"]

    status = api.get(f"/api/v1/messages/{message['tracking_code']}").get_json()
    assert status["reply"] == BODIES["reply"]["reply"] and status["status_name"] == "办结"
    evaluated = api.post(
        f"/api/v1/messages/{message['tracking_code']}/evaluation", json={"evaluation": "satisfied"}
    )
    assert evaluated.status_code == 200 and evaluated.get_json()["evaluation"] == "satisfied"

    events = people["handler"].get(f"/api/v1/messages/{message['id']}/events").get_json()
    assert [e["action"] for e in events] == ["dispatch", "start", "reply", "close", "evaluate"]
    assert [e["to_status"] for e in events][-1] == "closed"
    audited = AuditEvent.query.filter_by(object_type="message", object_id=str(message["id"]))
    assert {e.action for e in audited} >= {f"message.{a}" for a in BODIES if a != "return"}


FORBIDDEN = [
    (action, status)
    for action, step in STEPS.items()
    if action != "evaluate"
    for status in MESSAGE_STATUSES
    if status not in step.sources
]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_a_step_the_status_does_not_allow_is_409_naming_the_status(people, message, action, status):
    act(people, message, "dispatch")  # into the handler's scope
    force_status(message["id"], status)
    steps_before = MessageEvent.query.filter_by(message_id=message["id"]).count()
    response = act(people, message, action)
    assert response.status_code == 409
    assert status in response.get_json()["message"]
    assert MessageEvent.query.filter_by(message_id=message["id"]).count() == steps_before


def test_a_returned_message_leaves_the_department_until_dispatched_again(people, message):
    act(people, message, "dispatch")
    returned = act(people, message, "return").get_json()
    assert (returned["status"], returned["department_code"]) == ("accepted", None)
    assert people["handler"].get(f"/api/v1/messages/{message['id']}").status_code == 404
    again = act(people, message, "dispatch", department_code="360100-ZJJ").get_json()
    assert (again["status"], again["department_code"]) == ("dispatched", "360100-ZJJ")


def test_a_return_needs_its_reason(people, message):
    act(people, message, "dispatch")
    assert act(people, message, "return", note="  ").status_code == 422


def test_an_official_dispatches_only_to_departments_of_the_region(people, message):
    response = act(people, message, "dispatch", department_code="360700-RSJ")
    assert (
        response.status_code == 422 and "department_code" in response.get_json()["errors"]["json"]
    )


def closed_message(people, message):
    for action in ("dispatch", "start", "reply", "close"):
        assert act(people, message, action).status_code == 200


def test_an_unsatisfied_evaluation_reopens_the_message_with_a_new_time_limit(api, people, message):
    closed_message(people, message)
    answer = api.post(
        f"/api/v1/messages/{message['tracking_code']}/evaluation",
        json={"evaluation": "unsatisfied"},
    ).get_json()
    assert answer["status"] == "in_progress" and answer["evaluation"] == "unsatisfied"
    assert datetime.fromisoformat(answer["due_at"]) >= datetime.fromisoformat(message["due_at"])
    assert act(people, message, "reply").status_code == 200  # handled again


def test_without_reopening_an_unsatisfied_message_stays_closed_and_is_evaluated_once(
    api, app, people, message
):
    app.config["REOPEN_ON_UNSATISFIED"] = False
    closed_message(people, message)
    path = f"/api/v1/messages/{message['tracking_code']}/evaluation"
    assert api.post(path, json={"evaluation": "unsatisfied"}).get_json()["status"] == "closed"
    assert api.post(path, json={"evaluation": "satisfied"}).status_code == 409


def test_a_retried_step_with_its_key_is_answered_again_and_taken_once(people, message):
    act(people, message, "dispatch")
    act(people, message, "start")
    headers = {"Idempotency-Key": "reply-1"}
    path = f"/api/v1/messages/{message['id']}/reply"
    first = people["handler"].post(path, json=BODIES["reply"], headers=headers)
    again = people["handler"].post(path, json=BODIES["reply"], headers=headers)
    assert again.status_code == 200 and again.get_data() == first.get_data()
    assert MessageEvent.query.filter_by(message_id=message["id"], action="reply").count() == 1


def test_new_messages_carry_their_time_limits_from_acceptance(message, app):
    accepted_at = datetime.fromisoformat(message["created_at"])
    assert datetime.fromisoformat(message["first_contact_due_at"]) == add_working_days(
        accepted_at, 1
    )
    assert datetime.fromisoformat(message["due_at"]) == add_working_days(accepted_at, 5)


def test_time_limits_can_differ_by_message_type(api, app):
    app.config["TIME_LIMITS"] = {**app.config["TIME_LIMITS"], "complaint.ordinary": 15}
    created = api.post("/api/v1/messages", json=message_body(type="投诉")).get_json()
    accepted_at = datetime.fromisoformat(created["created_at"])
    assert datetime.fromisoformat(created["due_at"]) == add_working_days(accepted_at, 15)


def test_supervision_lists_overdue_and_due_soon_messages_of_the_scope(people, message, client_as):
    act(people, message, "dispatch")
    due = datetime.fromisoformat(message["due_at"])
    official = people["official"]
    overdue = official.get(
        "/api/v1/supervision",
        query_string={"kind": "overdue", "now": (due + timedelta(hours=1)).isoformat()},
    ).get_json()
    assert [m["id"] for m in overdue] == [message["id"]]
    soon = official.get(
        "/api/v1/supervision",
        query_string={
            "kind": "due_soon",
            "within_hours": 48,
            "now": (due - timedelta(hours=24)).isoformat(),
        },
    ).get_json()
    assert [m["id"] for m in soon] == [message["id"]]
    elsewhere = client_as("official", region_code="360700").get(
        "/api/v1/supervision", query_string={"now": (due + timedelta(hours=1)).isoformat()}
    )
    assert elsewhere.get_json() == []
