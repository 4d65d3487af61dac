"""After a new model is activated, `flask rescore` brings the stored texts up to it, in
batches, resumably, keeping a theme a person set."""

import json

import time_machine

from service import store
from tests.support import message_body, rating_body


def test_rescoring_brings_every_stored_text_to_the_active_models(runner, api, client_as, tmp_path):
    ratings = [
        api.post("/api/v1/ratings", json=rating_body(stars=s, comment=c)).get_json()
        for s, c in [(1, "态度很差"), (2, "太慢了"), (4, "很方便"), (5, "非常满意")]
    ]
    messages = [api.post("/api/v1/messages", json=message_body()).get_json() for _ in range(3)]
    official = client_as("official", region_code="360100")
    by_hand = f"/api/v1/messages/{messages[0]['id']}/theme"
    assert official.put(by_hand, json={"theme_code": "environment.water"}).status_code == 200

    history = tmp_path / "history.csv"
    rows = ["路灯坏了,小区路灯不亮,城乡建设", "污水直排,河道发黑发臭,环境保护"] * 4
    history.write_text("标题,内容,分类\n" + "\n".join(rows) + "\n", "utf-8")
    columns = ["--text-column", "标题", "--text-column", "内容", "--label-column", "分类"]
    trained = runner.invoke(args=["themes", "train", "--input", str(history), *columns])
    theme_version = json.loads(trained.output.strip().splitlines()[-1])["version"]
    reviews = tmp_path / "reviews.csv"
    reviews.write_text("评价,标签\n" + "\n".join(["很好,1", "很差,0"] * 5) + "\n", "utf-8")
    sentiment = runner.invoke(
        args=["sentiment", "train", "--input", str(reviews), "--text-column", "评价",
              "--label-column", "标签", "--holdout", "0"]
    )  # fmt: skip
    sentiment_version = json.loads(sentiment.output.strip().splitlines()[-1])["version"]

    result = runner.invoke(args=["rescore", "--batch-size", "2"])
    assert result.exit_code == 0, result.output
    assert "re-scored 4 ratings and 3 messages" in result.output
    assert store.facts.count_dirty() == 0  # the days it changed are recounted already

    analyst = client_as("analyst")
    for rating in ratings:
        stored = analyst.get(f"/api/v1/ratings/{rating['id']}").get_json()
        assert stored["sentiment"]["model_version"] == sentiment_version
    stored = [analyst.get(f"/api/v1/messages/{m['id']}").get_json() for m in messages]
    assert stored[0]["theme"]["code"] == "environment.water"  # a person's theme stays
    assert stored[0]["theme"]["source"] == "staff"
    refined = f"{theme_version}+rules@"  # the model, its answers refined by the rules
    assert all(m["theme"]["model_version"].startswith(refined) for m in stored[1:])
    assert all(m["sentiment"]["model_version"] == sentiment_version for m in stored)
    again = runner.invoke(args=["rescore"])
    assert "re-scored 0 ratings and 0 messages" in again.output  # nothing left: resumable


def test_rescoring_the_sentiment_alone_relabels_texts_and_their_figures_and_leaves_themes(
    runner, api, client_as, tmp_path
):
    """As after an upgrade to a new sentiment model: the stored labels and the negative
    shares move with it; a message's theme, by an older model, stays."""
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        api.post("/api/v1/ratings", json=rating_body(stars=3, comment="很好"))
        message = api.post("/api/v1/messages", json=message_body()).get_json()
        analyst = client_as("analyst")
        before = analyst.get("/api/v1/kpis?period=month").get_json()["figures"]
        reviews = tmp_path / "reviews.csv"  # a model that reads 很好 as negative
        reviews.write_text("评价,标签\n" + "\n".join(["很好,0", "一般,1"] * 5) + "\n", "utf-8")
        args = ["sentiment", "train", "--input", str(reviews), "--text-column", "评价",
                "--label-column", "标签", "--holdout", "0"]  # fmt: skip
        version = json.loads(runner.invoke(args=args).output.strip().splitlines()[-1])["version"]
        history = tmp_path / "history.csv"
        history.write_text("标题,内容,分类\n" + "路灯坏了,小区路灯不亮,城乡建设\n" * 4, "utf-8")
        themes = ["--text-column", "标题", "--text-column", "内容", "--label-column", "分类"]
        runner.invoke(args=["themes", "train", "--input", str(history), *themes])

        result = runner.invoke(args=["rescore", "--sentiment"])
        assert result.exit_code == 0 and "re-scored 1 ratings and 1 messages" in result.output
        stored = analyst.get(f"/api/v1/messages/{message['id']}").get_json()
        report = analyst.get("/api/v1/kpis?period=month").get_json()["figures"]
    assert stored["sentiment"]["model_version"] == version
    assert stored["theme"]["model_version"] == message["theme"]["model_version"]
    assert before["negative_sentiment_share"]["numerator"] == 0
    assert report["negative_sentiment_share"]["numerator"] == 1
