"""Themes of messages: placed at intake, and the train/evaluate commands on a real history."""

import json

import pytest

from tests.support import message_body, shared_data

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
    assert message["theme"]["model_version"].startswith(f"{scores['version']}+rules@")
    assert message["theme"]["source"] == "model"
    # Trained on first-level labels, it keeps the livelihood theme the rules find below.
    assert message["theme"]["code"] == "education.childcare"
    assert message["theme"]["path"] == ["教育文体", "托育与幼儿园"]
    levels = runner.invoke(args=["themes", "evaluate", "--input", sample, *COLUMNS])
    assert json.loads(levels.output.strip().splitlines()[-1])["levels"]["1"] > rules["macro_f1"]


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


def test_staff_corrections_join_the_next_training_run(runner, api, client_as, tmp_path):
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    official = client_as("official", region_code="360100")
    corrected = official.put(
        f"/api/v1/messages/{message['id']}/theme", json={"theme_code": "environment.water"}
    )
    assert corrected.status_code == 200
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


def test_a_person_sets_a_messages_theme_and_it_is_on_the_record(api, client_as):
    message = api.post(
        "/api/v1/messages", json=message_body(title="请问", content="南昌市红谷滩区，请问怎么办")
    ).get_json()
    assert message["theme"]["code"] is None
    official = client_as("official", region_code="360100")
    path = f"/api/v1/messages/{message['id']}/theme"
    answer = official.put(path, json={"theme_code": "construction.municipal", "note": "排水问题"})
    theme = answer.get_json()["theme"]
    assert answer.status_code == 200
    assert (theme["code"], theme["source"], theme["confidence"]) == (
        "construction.municipal",
        "staff",
        None,
    )
    audit = client_as("admin").get("/api/v1/audit-events?action=message.theme").get_json()
    assert audit[0]["object_id"] == str(message["id"]) and "construction.municipal" in str(audit[0])


def test_an_unknown_theme_is_refused_naming_the_field(api, client_as):
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    official = client_as("official", region_code="360100")
    answer = official.put(f"/api/v1/messages/{message['id']}/theme", json={"theme_code": "nope"})
    assert answer.status_code == 422 and "theme_code" in answer.get_json()["errors"]["json"]


def test_every_client_can_read_the_taxonomy(api):
    themes = api.get("/api/v1/themes").get_json()
    parking = next(t for t in themes if t["code"] == "transport.parking")
    assert parking["parent_code"] == "transport" and parking["livelihood"] == "停车车位"
    assert "停车位" in parking["keywords"]


def test_a_platforms_three_level_tree_fits_the_taxonomy(runner, api):
    tree = str(shared_data("teddy2020/附件1.xlsx"))
    first = runner.invoke(args=["themes", "load", "--input", tree])
    assert first.exit_code == 0, first.output
    assert "517 paths read, 639 themes added" in first.output
    again = runner.invoke(args=["themes", "load", "--input", tree])
    assert "0 themes added" in again.output  # a tree is loaded once, whatever the runs
    themes = {t["code"]: t for t in api.get("/api/v1/themes").get_json()}
    names = {(t["parent_code"], t["name"]): code for code, t in themes.items()}
    safety = names[("construction", "安全生产")]  # found under our own 城乡建设
    assert ("construction", "住房保障与房地产") in names and names[(safety, "事故处理")]
    assert len([t for t in themes.values() if t["parent_code"] is None]) == 16
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    assert message["theme"]["code"] == "construction.municipal"  # the rules still place it


def test_an_admin_grows_and_prunes_the_taxonomy_and_placement_follows(api, client_as):
    admin = client_as("admin")
    bikes = {"code": "transport.bikes", "name": "共享单车", "parent_code": "transport",
             "keywords": ["共享单车", "单车"]}  # fmt: skip
    assert admin.post("/api/v1/themes", json=bikes).status_code == 201
    body = message_body(title="共享单车乱停", content="南昌市红谷滩区地铁口共享单车堆满人行道")
    placed = api.post("/api/v1/messages", json=body).get_json()["theme"]
    assert placed["path"] == ["交通运输", "共享单车"]

    taken = admin.post("/api/v1/themes", json=bikes)
    assert taken.status_code == 409 and "code" in taken.get_json()["errors"]["json"]
    orphan = admin.post("/api/v1/themes", json={**bikes, "code": "x.y", "parent_code": "none"})
    assert orphan.status_code == 422 and "parent_code" in orphan.get_json()["errors"]["json"]

    retired = admin.patch("/api/v1/themes/transport.bikes", json={"active": False})
    assert retired.status_code == 200 and retired.get_json()["active"] is False
    again = api.post("/api/v1/messages", json=body).get_json()["theme"]
    assert again["code"] != "transport.bikes"
    audit = admin.get("/api/v1/audit-events?object_type=theme").get_json()
    assert {event["action"] for event in audit} == {"theme.add", "theme.change"}
    assert admin.patch("/api/v1/themes/nope", json={"active": False}).status_code == 404


def add_theme_elsewhere(code: str, name: str, parent_code: str | None) -> None:
    """A theme stored by another process (a gunicorn worker, ``flask themes load``): this one
    keeps the taxonomy it read before."""
    from service.extensions import db
    from service.models import Theme as ThemeRow
    from service.store.taxonomy import fetch_taxonomy

    fetch_taxonomy(), fetch_taxonomy(with_retired=True)  # this process has read it already
    row = ThemeRow(
        code=code, name=name, parent_code=parent_code, keywords="[]", livelihood=None, active=True
    )
    db.session.add(row)
    db.session.commit()


def test_a_theme_another_process_just_added_can_be_given_to_a_message_at_once(api, client_as):
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    add_theme_elsewhere("environment.light", "光污染", "environment")
    official = client_as("official", region_code="360100")
    path = f"/api/v1/messages/{message['id']}/theme"
    answer = official.put(path, json={"theme_code": "environment.light"})
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["theme"]["path"] == ["环境保护", "光污染"]
    assert official.get(path.removesuffix("/theme")).get_json()["theme"]["name"] == "光污染"
    nope = official.put(path, json={"theme_code": "environment.nope"})
    assert nope.status_code == 422 and "theme_code" in nope.get_json()["errors"]["json"]


def test_a_message_keeps_showing_its_theme_once_the_theme_is_taken_out_of_use(api, client_as):
    message = api.post("/api/v1/messages", json=message_body()).get_json()
    official = client_as("official", region_code="360100")
    path = f"/api/v1/messages/{message['id']}/theme"
    assert official.put(path, json={"theme_code": "environment.water"}).status_code == 200
    retired = client_as("admin").patch("/api/v1/themes/environment.water", json={"active": False})
    assert retired.status_code == 200
    theme = official.get(path.removesuffix("/theme")).get_json()["theme"]
    assert (theme["code"], theme["path"]) == ("environment.water", ["环境保护", "水污染"])
    again = official.put(path, json={"theme_code": "environment.water"})
    assert again.status_code == 422 and "theme_code" in again.get_json()["errors"]["json"]


def test_a_message_another_process_placed_in_a_new_theme_shows_the_themes_name(api, client_as):
    from service import store
    from service.extensions import db
    from service.models import Message

    message = api.post("/api/v1/messages", json=message_body()).get_json()
    add_theme_elsewhere("environment.light", "光污染", "environment")
    store.themes.correct_theme(db.session.get(Message, message["id"]), "environment.light", [])
    read = client_as("official", region_code="360100").get(f"/api/v1/messages/{message['id']}")
    assert read.get_json()["theme"]["path"] == ["环境保护", "光污染"]
