"""Themes of messages: placed at intake, and the train/evaluate commands on a real history."""

import json

import pytest

from tests.conftest import message_body, shared_data

SAMPLE = "teddy2020/附件2_sample495.xlsx"
COLUMNS = ["--text-column", "留言主题", "--text-column", "留言详情", "--label-column", "一级分类"]


def test_a_new_message_is_placed_in_a_theme_by_the_rules(api):
    message = api.post("/api/v1/messages", json=message_body()).get_json()  # 积水, 排水
    assert message["theme"]["code"] == "construction.municipal"
    assert message["theme"]["path"] == ["城乡建设", "市政设施"]
    assert message["theme"]["source"] == "rules"


def test_a_message_without_a_confident_theme_waits_for_a_person(api):
    body = message_body(title="请问", content="请问这个怎么办理？谢谢")
    theme = api.post("/api/v1/messages", json=body).get_json()["theme"]
    assert theme["code"] is None and theme["path"] == [] and theme["model_version"]


def test_training_on_a_real_history_activates_a_better_model(app, runner, api):
    sample = str(shared_data(SAMPLE))
    before = runner.invoke(args=["themes", "evaluate", "--input", sample, *COLUMNS])
    assert before.exit_code == 0, before.output
    rules = json.loads(before.output.strip().splitlines()[-1])
    assert rules["n"] == 495 and rules["macro_f1"] > 0.6

    trained = runner.invoke(args=["themes", "train", "--input", sample, *COLUMNS, "--folds", "3"])
    assert trained.exit_code == 0, trained.output
    scores = json.loads(trained.output.strip().splitlines()[-1])
    assert scores["macro_f1"] > rules["macro_f1"] and scores["version"].startswith("svm@")

    message = api.post(
        "/api/v1/messages", json=message_body(title="幼儿园", content="孩子上幼儿园收费太高")
    ).get_json()
    assert message["theme"]["model_version"] == scores["version"]
    assert message["theme"]["code"] == "education" and message["theme"]["source"] == "model"


def test_labels_that_name_no_theme_are_refused_by_name(runner, tmp_path):
    history = tmp_path / "history.csv"
    history.write_text("标题,内容,分类\n路灯坏了,小区路灯不亮,城乡建设\n好,好,外星事务\n", "utf-8")
    args = ["--text-column", "标题", "--text-column", "内容", "--label-column", "分类"]
    result = runner.invoke(args=["themes", "train", "--input", str(history), *args])
    assert result.exit_code == 2 and "外星事务" in result.output


@pytest.mark.parametrize("column", ["留言主题", "一级分类"])
def test_a_missing_column_is_named(runner, tmp_path, column):
    history = tmp_path / "history.csv"
    history.write_text("留言主题,留言详情\n路灯坏了,小区路灯不亮\n", "utf-8")
    args = ["--text-column", column, "--label-column", "一级分类"]
    result = runner.invoke(args=["themes", "evaluate", "--input", str(history), *args])
    assert result.exit_code == 2 and "一级分类" in result.output


def test_staff_corrections_join_the_next_training_run(app, runner, api, tmp_path):
    from service.extensions import db
    from service.models import Message

    message = api.post("/api/v1/messages", json=message_body()).get_json()
    corrected = db.session.get(Message, message["id"])
    corrected.theme_code, corrected.theme_source = "environment.water", "staff"
    db.session.commit()
    history = tmp_path / "history.csv"
    rows = ["路灯坏了,小区路灯不亮,城乡建设", "污水直排,河道发黑发臭,环境保护"] * 4
    history.write_text("标题,内容,分类\n" + "\n".join(rows) + "\n", "utf-8")
    args = ["--text-column", "标题", "--text-column", "内容", "--label-column", "分类"]
    result = runner.invoke(args=["themes", "train", "--input", str(history), *args])
    assert result.exit_code == 0, result.output
    assert "added 1 staff corrections" in result.output  # as 环境保护, its first level
    assert json.loads(result.output.strip().splitlines()[-1])["n"] == 9


def test_a_theme_with_too_few_messages_is_refused_with_a_reason(runner, tmp_path):
    history = tmp_path / "history.csv"
    rows = ["路灯坏了,小区路灯不亮,城乡建设"] * 5 + ["污水直排,河道发黑发臭,环境保护"]
    history.write_text("标题,内容,分类\n" + "\n".join(rows) + "\n", "utf-8")
    args = ["--text-column", "标题", "--text-column", "内容", "--label-column", "分类"]
    result = runner.invoke(args=["themes", "train", "--input", str(history), *args])
    assert result.exit_code == 2 and "at least 4 messages of every theme" in result.output
