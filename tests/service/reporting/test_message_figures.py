"""The message figures (按时办结率, 超期, 平均办理时长, 回访满意率, negative share) against a small
province handled by hand through March 2026, a month without holidays. Every step is taken at
a fixed time, so the working days below can be counted on a calendar."""

from datetime import UTC, datetime, timedelta, timezone

import pytest
import time_machine

from service import store
from service.extensions import db
from tests.support import message_body

CST = timezone(timedelta(hours=8))
ACCEPTED = datetime(2026, 3, 2, 10, tzinfo=CST)  # a Monday
PRAISE = "表扬章贡区人社局。工作人员热情周到，耐心解答，非常感谢！"
DARK = "红谷滩区路灯坏了，晚上太黑了，很危险，投诉多次没人管，太失望了"


def at(month_day: int, hour: int = 10):
    return time_machine.travel(datetime(2026, 3, month_day, hour, tzinfo=CST), tick=False)


@pytest.fixture
def march(api, client_as):
    """All accepted on Monday 2 March (ordinary limit: the end of Monday 9 March; difficult:
    the end of Monday 16 March).
    A 南昌, ordinary: closed Thursday 5th (3 working days), evaluated 满意.
    B 南昌, difficult: answered Friday 13th, inside its limit; not closed.
    C 南昌: never dispatched.
    D 南昌, ordinary: closed Tuesday 10th, a day late, evaluated 不满意 the same day, which
      reopens it with a new limit, the end of Tuesday 17th; not closed again.
    E 赣州, ordinary: closed Tuesday 3rd (1 working day), evaluated 基本满意 on the 4th.
    Texts: E praises, the others complain."""
    nanchang = {
        "official": client_as("official", region_code="360100"),
        "handler": client_as("handler", department_code="360100-GAJ"),
    }
    ganzhou = {
        "official": client_as("official", region_code="360700"),
        "handler": client_as("handler", department_code="360700-RSJ"),
    }

    def step(people, message, action, **body):
        role = "official" if action == "dispatch" else "handler"
        answer = people[role].post(f"/api/v1/messages/{message['id']}/{action}", json=body)
        assert answer.status_code == 200, answer.get_json()

    def dispatch(people, message, department, difficulty="ordinary"):
        step(people, message, "dispatch", department_code=department, difficulty=difficulty)

    def evaluate(message, evaluation):
        answer = api.post(
            f"/api/v1/messages/{message['tracking_code']}/evaluation",
            json={"evaluation": evaluation},
        )
        assert answer.status_code == 200, answer.get_json()

    with at(2):
        a, c, d = (api.post("/api/v1/messages", json=message_body()).get_json() for _ in "acd")
        b = api.post("/api/v1/messages", json=message_body(content=DARK)).get_json()
        e = api.post(
            "/api/v1/messages", json=message_body(type="表扬", title="表扬", content=PRAISE)
        ).get_json()
        assert {m["region_code"][:4] for m in (a, b, c, d)} == {"3601"}
        assert e["region_code"][:4] == "3607"
        dispatch(nanchang, a, "360100-GAJ")
        dispatch(nanchang, b, "360100-GAJ", "difficult")
        dispatch(nanchang, d, "360100-GAJ")
        dispatch(ganzhou, e, "360700-RSJ")
        for message, people in ((a, nanchang), (b, nanchang), (d, nanchang), (e, ganzhou)):
            step(people, message, "start")
    with at(3):
        step(ganzhou, e, "reply", reply="已答复")
        step(ganzhou, e, "close")
    with at(4):
        evaluate(e, "basically_satisfied")
    with at(5):
        step(nanchang, a, "reply", reply="已处理")
        step(nanchang, a, "close")
        evaluate(a, "satisfied")
    with at(10):
        step(nanchang, d, "reply", reply="已处理")
        step(nanchang, d, "close")
        evaluate(d, "unsatisfied")
    with at(13):
        step(nanchang, b, "reply", reply="正在协调，请耐心等待")
    return {"a": a, "b": b, "c": c, "d": d, "e": e}


def kpis(client, now: datetime, **query):
    query = {"period": "month", "date": "2026-03-15", "now": now.isoformat(), **query}
    answer = client.get("/api/v1/kpis", query_string=query)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def rate(figures, name):
    return figures[name]["numerator"], figures[name]["denominator"]


END_OF_MARCH = datetime(2026, 3, 31, 12, tzinfo=CST)


def test_the_months_message_figures_are_the_hand_counted_ones(client_as, march):
    report = kpis(client_as("analyst"), END_OF_MARCH)
    figures = report["figures"]
    assert figures["messages"] == 5
    # Limits run out: A, C, E on the 9th, B on the 16th, D (reopened) on the 17th; met: A, B, E.
    assert rate(figures, "on_time_closing_rate") == (3, 5)
    assert figures["overdue"] == {"value": 2, "previous": 0, "change": 2}  # C and D
    # Closed and still closed: A in 3 working days, E in 1.
    handling = figures["average_handling_days"]
    assert (handling["value"], handling["working_days"], handling["closed"]) == (2.0, 4, 2)
    assert handling["previous"] is None
    # Evaluations: A 满意, E 基本满意, D 不满意 (which reopened it: it still counts).
    assert rate(figures, "reply_satisfaction_rate") == (2, 3)
    assert rate(figures, "message_negative_sentiment_share") == (4, 5)
    assert report["open_overdue"] == 2  # C and D are past their limits and not met


def test_a_limit_still_running_is_not_counted_until_it_is_met_or_runs_out(client_as, march):
    # Thursday 12th: the limits of the 9th have run out (A and E met, C not); B's runs until
    # the 16th and counts because it is met (`now` says which limits have run out; the facts
    # are the latest, so B's answer of the 13th is in); D's runs until the 17th and is not met.
    thursday = kpis(client_as("analyst"), datetime(2026, 3, 12, 12, tzinfo=CST))
    assert rate(thursday["figures"], "on_time_closing_rate") == (3, 4)
    assert thursday["figures"]["overdue"]["value"] == 1
    assert thursday["open_overdue"] == 1  # C only: D's new limit has not run out


def test_cities_and_departments_get_their_own_message_figures(client_as, march):
    report = kpis(client_as("analyst"), END_OF_MARCH)
    by_city = {r["region_code"]: r["figures"] for r in report["by_region"]}
    assert rate(by_city["360100"], "on_time_closing_rate") == (2, 4)
    assert rate(by_city["360700"], "on_time_closing_rate") == (1, 1)
    assert by_city["360700"]["average_handling_days"]["value"] == 1.0
    by_department = {d["department_code"]: d["figures"] for d in report["by_department"]}
    assert rate(by_department["360100-GAJ"], "reply_satisfaction_rate") == (1, 2)
    assert by_department["360100-GAJ"]["overdue"]["value"] == 1  # D; C has no department
    city = kpis(client_as("official", region_code="360700"), END_OF_MARCH)
    assert city["figures"]["messages"] == 1 and city["open_overdue"] == 0
    department = kpis(client_as("analyst"), END_OF_MARCH, department="360100-GAJ")
    assert department["figures"]["messages"] == 3 and department["open_overdue"] == 1


def test_the_previous_period_and_the_change(client_as, march):
    april = kpis(client_as("analyst"), datetime(2026, 4, 30, tzinfo=CST), date="2026-04-10")
    closing = april["figures"]["on_time_closing_rate"]
    assert closing["value"] is None and closing["previous"] == pytest.approx(3 / 5)
    assert april["figures"]["overdue"] == {"value": 0, "previous": 2, "change": -2}


def test_a_service_item_or_channel_leaves_the_messages_out(client_as, march):
    report = kpis(client_as("analyst"), END_OF_MARCH, channel="app")
    assert "on_time_closing_rate" not in report["figures"] and "messages" not in report["figures"]
    assert report["open_overdue"] is None


def test_recounting_every_day_from_scratch_changes_nothing(app, client_as, march):
    before = kpis(client_as("analyst"), END_OF_MARCH)
    with app.app_context():
        for offset in range(40):
            store.facts.mark_dirty(store.facts.MESSAGES, ACCEPTED.date() + timedelta(days=offset))
        db.session.commit()
    assert kpis(client_as("analyst"), END_OF_MARCH) == before


def test_every_step_keeps_the_facts_current(client_as, march):
    """Read the figures (the facts are built), then close B: the figures of
    the day of the closing and of B's limit must move without any recount by hand."""
    analyst = client_as("analyst")
    kpis(analyst, END_OF_MARCH)
    handler = client_as("handler", department_code="360100-GAJ")
    with time_machine.travel(datetime(2026, 3, 20, 10, tzinfo=CST).astimezone(UTC), tick=False):
        closed = handler.post(f"/api/v1/messages/{march['b']['id']}/close", json={})
        assert closed.status_code == 200
    handling = kpis(analyst, END_OF_MARCH)["figures"]["average_handling_days"]
    # B: accepted on the 2nd, closed on the 20th: 3-6, 9-13, 16-20 = 14 working days.
    assert (handling["working_days"], handling["closed"]) == (18, 3)
