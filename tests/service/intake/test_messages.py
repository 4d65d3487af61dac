import pytest

from tests.support import message_body


def test_posting_a_message_returns_201_with_tracking_code_region_and_sentiment(api):
    response = api.post("/api/v1/messages", json=message_body())
    assert response.status_code == 201
    body = response.get_json()
    assert body["tracking_code"].startswith("JX") and len(body["tracking_code"]) == 16
    assert body["status"] == "accepted"
    assert body["type"] == "complaint" and body["type_name"] == "投诉"
    assert (body["region_code"], body["region_source"]) == ("360113", "extracted")
    assert body["sentiment"]["label"] == "negative"


@pytest.mark.parametrize(
    ("sent", "code"),
    [
        ("咨询", "consultation"),
        ("Help", "help"),
        ("report", "report"),
        ("建议", "suggestion"),
        ("compliment", "praise"),
    ],
)
def test_message_types_are_taken_in_chinese_or_english(api, sent, code):
    body = api.post("/api/v1/messages", json=message_body(type=sent)).get_json()
    assert body["type"] == code


def test_an_explicit_region_code_wins_over_the_place_in_the_text(api):
    body = api.post("/api/v1/messages", json=message_body(region_code="360702")).get_json()
    assert (body["region_code"], body["region_source"]) == ("360702", "given")


def test_a_message_naming_no_jiangxi_place_has_an_unknown_region(api):
    body = api.post(
        "/api/v1/messages", json=message_body(title="咨询社保", content="请问社保卡丢了怎么补办？")
    ).get_json()
    assert (body["region_code"], body["region_source"]) == (None, "unknown")


def test_an_unknown_region_code_returns_422(api):
    response = api.post("/api/v1/messages", json=message_body(region_code="110101"))
    assert response.status_code == 422
    assert "region_code" in response.get_json()["errors"]["json"]


def test_an_unknown_department_code_returns_422(api):
    response = api.post("/api/v1/messages", json=message_body(department_code="X-1"))
    assert "department_code" in response.get_json()["errors"]["json"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"type": "抱怨"}, "type"),
        ({"title": None}, "title"),
        ({"title": "   "}, "title"),
        ({"content": "长" * 5001}, "content"),
        ({"contact_phone": "12345"}, "contact_phone"),
        ({"anonymous": "maybe"}, "anonymous"),
    ],
)
def test_bad_message_fields_return_422_naming_the_field(api, fields, field):
    response = api.post("/api/v1/messages", json=message_body(**fields))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_the_citizen_reads_the_status_by_tracking_code_without_contact_data(api):
    created = api.post(
        "/api/v1/messages", json=message_body(department_code="360100-ZJJ")
    ).get_json()
    response = api.get(f"/api/v1/messages/{created['tracking_code'].lower()}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "accepted" and body["status_name"] == "受理"
    assert body["department_code"] == "360100-ZJJ"
    assert "13812345678" not in response.get_data(as_text=True)
    assert "citizen_ref" not in body and "content" not in body


def test_an_unknown_tracking_code_returns_404(api):
    response = api.get("/api/v1/messages/JX000000AAAAAAAA")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


@pytest.mark.parametrize("role", ["handler", "official", "analyst", "app"])
@pytest.mark.parametrize("part", ["-1", "0", "1.5", "2147483648", "99999999999999999999999"])
def test_a_path_part_no_message_can_have_as_id_returns_404_to_every_role(client_as, role, part):
    scope = {"handler": {"department_code": "360100-GAJ"}, "official": {"region_code": "360100"}}
    response = client_as(role, **scope.get(role, {})).get(f"/api/v1/messages/{part}")
    assert response.status_code == 404
    body = response.get_json()
    assert body["message"] == "No message has this id."
    assert body["errors"] == {
        "path": {"message_id": ["Not an id: ids are whole numbers from 1 to 2147483647."]}
    }


@pytest.mark.parametrize("part", ["abc", "JX0000001111", "JX000000AAAAAAAI", "-1"])
def test_only_a_tracking_code_reaches_the_tracking_code_routes(client_as, part):
    """Staff were told 403 (the app's route) for a path that named no message at all."""
    analyst = client_as("analyst")
    assert analyst.get(f"/api/v1/messages/{part}").status_code == 404
    evaluated = analyst.post(f"/api/v1/messages/{part}/evaluation", json={"evaluation": "满意"})
    assert evaluated.status_code == 404
    assert analyst.get("/api/v1/messages/JX000000AAAAAAAA").status_code == 403


def test_a_message_of_emoji_only_gets_no_sentiment_score(api):
    body = api.post(
        "/api/v1/messages", json=message_body(title="👍👍", content="😡😡😡")
    ).get_json()
    assert body["sentiment"] == {
        "score": None,
        "label": "none",
        "model_version": body["sentiment"]["model_version"],
    }


def test_a_region_outside_the_departments_returns_422(api):
    response = api.post(
        "/api/v1/messages", json=message_body(department_code="360100-GAJ", region_code="360702")
    )
    assert response.status_code == 422
    assert "region_code" in response.get_json()["errors"]["json"]


def test_a_message_naming_no_place_takes_its_departments_region(api):
    body = api.post(
        "/api/v1/messages",
        json=message_body(
            title="咨询社保", content="社保卡丢了怎么补办？", department_code="360700-RSJ"
        ),
    ).get_json()
    assert (body["region_code"], body["region_source"]) == ("360700", "department")


def test_a_place_outside_the_departments_region_gives_way_to_the_department(api):
    body = api.post(
        "/api/v1/messages",
        json=message_body(
            title="安置房咨询", content="A5区鄱阳村安置房的人防工程", department_code="360100-ZJJ"
        ),
    ).get_json()
    assert (body["region_code"], body["region_source"]) == ("360100", "department")
