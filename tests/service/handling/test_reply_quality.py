"""A reply is judged when it is stored (答复质量): at once inline, by a worker in queue mode;
a text that turns out to be a template makes its earlier sendings boilerplate too; `flask
rescore --replies` judges what was not; judging never costs the reply."""

import pytest

from service.extensions import db
from service.models import Message
from tests.support import MATTERS, SPECIFIC, TEMPLATE, message_body


@pytest.fixture
def handler(client_as):
    return client_as("handler", department_code="360100-GAJ")


@pytest.fixture
def reply(api, client_as, handler):
    """Post a message, have it dispatched and started, and reply to it: its view after."""
    official = client_as("official", region_code="360100")

    def answer(text: str, title: str = "红谷滩区小区门口道路积水", content: str | None = None):
        body = message_body(title=title, **({"content": content} if content else {}))
        message = api.post("/api/v1/messages", json=body).get_json()
        path = f"/api/v1/messages/{message['id']}"
        official.post(f"{path}/dispatch",
                      json={"department_code": "360100-GAJ", "difficulty": "ordinary"})  # fmt: skip
        handler.post(f"{path}/start", json={})
        assert handler.post(f"{path}/reply", json={"reply": text}).status_code == 200
        return handler.get(path).get_json()

    return answer


def test_a_specific_reply_is_judged_at_once_with_its_parts(reply):
    judged = reply(SPECIFIC)["reply_quality"]
    assert judged["score"] >= 60 and judged["model"].startswith("replies-")
    assert judged["relevance"] > 0.3 and judged["completeness"] >= 0.75
    assert judged["timeliness"] == 1
    assert not any(judged[flag] for flag in ("boilerplate", "evasion", "no_result", "off_topic"))


def test_one_text_sent_to_unrelated_matters_is_a_template_its_first_sendings_included(
    reply, handler
):
    views = [reply(f"{TEMPLATE}（{n}）", title, content)
             for n, (title, content) in enumerate(MATTERS)]  # fmt: skip
    assert views[-1]["reply_quality"]["boilerplate"] and views[-1]["reply_quality"]["score"] <= 20
    again = [handler.get(f"/api/v1/messages/{v['id']}").get_json()["reply_quality"]
             for v in views]  # fmt: skip
    assert all(judged["boilerplate"] for judged in again)
    assert reply(SPECIFIC)["reply_quality"]["boilerplate"] is False


def test_rescore_replies_judges_those_no_model_in_use_judged(reply, runner, handler):
    view = reply(SPECIFIC)
    row = db.session.get(Message, view["id"])
    row.reply_model = row.reply_quality = row.reply_score = None
    db.session.commit()
    assert handler.get(f"/api/v1/messages/{view['id']}").get_json()["reply_quality"] is None
    result = runner.invoke(args=["rescore", "--replies"])
    assert result.exit_code == 0 and "judged 1 replies" in result.output
    assert handler.get(f"/api/v1/messages/{view['id']}").get_json()["reply_quality"]["score"]


def test_a_reply_whose_judging_fails_is_stored_and_answered(reply, monkeypatch, handler):
    from service.scoring import replies

    def broken(*args, **kwargs):
        raise RuntimeError("the judge is away")

    monkeypatch.setattr(replies, "judge_pending", broken)
    view = reply(SPECIFIC)
    assert view["reply"] == SPECIFIC and view["reply_quality"] is None


def test_in_queue_mode_a_worker_judges_the_reply(app, reply, own_redis):
    from redis import Redis
    from rq import Queue

    from service.platform.worker import Worker

    app.config.update(REDIS_URL=own_redis.url, SCORING_MODE="queue", SCORING_QUEUE="replies")
    view = reply(SPECIFIC)
    assert view["reply_quality"] is None
    connection = Redis.from_url(own_redis.url)
    Worker([Queue("replies", connection=connection)], connection=connection).work(burst=True)
    db.session.expire_all()
    assert db.session.get(Message, view["id"]).reply_judgement["score"] >= 60


def test_a_reopened_message_answered_again_is_judged_again(reply, api, client_as, handler):
    first = reply(TEMPLATE)
    assert first["reply_quality"]["boilerplate"]
    path = f"/api/v1/messages/{first['id']}"
    assert handler.post(f"{path}/close", json={}).status_code == 200
    evaluation = f"/api/v1/messages/{first['tracking_code']}/evaluation"
    evaluated = api.post(evaluation, json={"evaluation": "unsatisfied"}).get_json()
    assert evaluated["status"] == "in_progress"  # reopened
    assert handler.post(f"{path}/reply", json={"reply": SPECIFIC}).status_code == 200
    again = handler.get(path).get_json()["reply_quality"]
    assert again["boilerplate"] is False and again["score"] > first["reply_quality"]["score"]
