"""Staff read messages and ratings within their scope, masked unless they handle them."""

import pytest

from service.models import AuditEvent
from tests.support import message_body, rating_body

NANCHANG_TEXT = "南昌市红谷滩区某小区门口积水，我的电话13812345678，住丰和中大道188号"
GANZHOU_TEXT = "赣州市章贡区路灯坏了，联系电话13987654321"


@pytest.fixture
def cases(api):
    """A message and a 差评 in 南昌 (公安局) and in 赣州 (人社局); returns their ids."""
    nanchang = api.post(
        "/api/v1/messages",
        json=message_body(
            content=NANCHANG_TEXT, department_code="360100-GAJ", contact_phone="13812345678"
        ),
    ).get_json()
    ganzhou = api.post(
        "/api/v1/messages",
        json=message_body(
            content=GANZHOU_TEXT, department_code="360700-RSJ", contact_phone="13987654321"
        ),
    ).get_json()
    bad_nanchang = api.post(
        "/api/v1/ratings",
        json=rating_body(
            stars=1, comment="窗口电话13812345678打不通", service_item_code="360100-GAJ-001"
        ),
    ).get_json()
    bad_ganzhou = api.post(
        "/api/v1/ratings", json=rating_body(stars=2, service_item_code="360700-RSJ-001")
    ).get_json()
    return {
        "nanchang": nanchang["id"],
        "ganzhou": ganzhou["id"],
        "rating_nanchang": bad_nanchang["id"],
        "rating_ganzhou": bad_ganzhou["id"],
    }


def test_a_handler_reads_its_departments_messages_in_full_and_is_audited(client_as, cases, app):
    handler = client_as("handler", department_code="360100-GAJ")
    listed = handler.get("/api/v1/messages").get_json()
    assert [m["id"] for m in listed] == [cases["nanchang"]]
    (message,) = listed
    assert message["content"] == NANCHANG_TEXT and message["masked"] is False
    assert message["contact_phone"] == "13812345678"
    assert (
        AuditEvent.query.filter_by(action="message.read", object_id=str(cases["nanchang"])).count()
        == 1
    )


def test_an_official_reads_the_region_masked_and_without_contacts(client_as, cases):
    official = client_as("official", region_code="360700")
    (message,) = official.get("/api/v1/messages").get_json()
    assert message["id"] == cases["ganzhou"] and message["masked"] is True
    assert "13987654321" not in str(message) and "139****4321" in message["content"]
    assert message["contact_phone"] is None and message["citizen_ref"] is None


def test_a_province_analyst_reads_every_region_masked(client_as, cases):
    analyst = client_as("analyst")
    listed = analyst.get("/api/v1/messages").get_json()
    assert {m["id"] for m in listed} == {cases["nanchang"], cases["ganzhou"]}
    body = str(listed)
    assert "13812345678" not in body and "188号" not in body


def test_a_message_outside_the_scope_is_not_found(client_as, cases):
    official = client_as("official", region_code="360700")
    assert official.get(f"/api/v1/messages/{cases['nanchang']}").status_code == 404
    assert official.get(f"/api/v1/messages/{cases['ganzhou']}").status_code == 200


def test_narrowing_by_region_cannot_widen_the_scope(client_as, cases):
    official = client_as("official", region_code="360700")
    assert official.get("/api/v1/messages?region_code=360100").get_json() == []


def test_a_confidential_message_shows_its_text_to_the_handler_alone(api, client_as):
    created = api.post(
        "/api/v1/messages",
        json=message_body(department_code="360700-RSJ", region_code="360702", confidential=True),
    ).get_json()
    handler = client_as("handler", department_code="360700-RSJ")
    official = client_as("official", region_code="360700")
    assert handler.get(f"/api/v1/messages/{created['id']}").get_json()["content"]
    seen = official.get(f"/api/v1/messages/{created['id']}").get_json()
    assert seen["title"] is None and seen["content"] is None and seen["confidential"] is True


def test_an_anonymous_citizens_contacts_reach_no_one(api, client_as):
    created = api.post(
        "/api/v1/messages", json=message_body(department_code="360700-RSJ", anonymous=True)
    ).get_json()
    seen = client_as("handler", department_code="360700-RSJ").get(
        f"/api/v1/messages/{created['id']}"
    )
    assert seen.get_json()["contact_phone"] is None and seen.get_json()["citizen_ref"] is None


def test_ratings_are_read_within_scope_with_comments_masked_even_for_the_rated_department(
    client_as, cases
):
    official = client_as("official", region_code="360100")
    (rating,) = official.get("/api/v1/ratings?bad_only=true").get_json()
    assert (
        rating["id"] == cases["rating_nanchang"]
        and rating["comment"] == "窗口电话138****5678打不通"
    )
    handler = client_as("handler", department_code="360100-GAJ")
    seen = handler.get(f"/api/v1/ratings/{cases['rating_nanchang']}").get_json()
    assert seen["comment"] == "窗口电话138****5678打不通"  # the rated department too
    assert handler.get(f"/api/v1/ratings/{cases['rating_ganzhou']}").status_code == 404


@pytest.mark.parametrize("role", ["app", "admin"])
def test_apps_and_admins_read_no_citizens_text(client_as, cases, role):
    reader = client_as(role)
    assert reader.get("/api/v1/messages").status_code == 403
    assert reader.get(f"/api/v1/ratings/{cases['rating_nanchang']}").status_code == 403


def test_planted_personal_data_in_real_messages_reaches_no_official_or_analyst(api, client_as):
    import random

    from openpyxl import load_workbook

    from tests.analytics.test_privacy import make_bank_card_number, make_id_card_number
    from tests.support import shared_data

    sheet = load_workbook(shared_data("teddy2020/附件4.xlsx"), read_only=True).active
    rows = sheet.iter_rows(values_only=True)
    header = next(rows)
    title, detail = header.index("留言主题"), header.index("留言详情")
    rng, secrets = random.Random(2020), []
    for row in list(rows)[:40]:
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
        id_card, card = make_id_card_number(rng), make_bank_card_number(rng)
        secrets += [phone, id_card, card]
        content = (
            " ".join(str(row[detail]).split())[:4000] + f" 电话{phone} 身份证{id_card} 卡号{card}"
        )
        body = message_body(
            title=str(row[title])[:200], content=content, department_code="360100-GAJ"
        )
        assert api.post("/api/v1/messages", json=body).status_code == 201
    for reader in (client_as("official", region_code="360100"), client_as("analyst")):
        listed = reader.get("/api/v1/messages?page_size=100").get_data(as_text=True)
        assert listed.count('"masked":true') == 40
        assert not [s for s in secrets if s in listed]
    handler = client_as("handler", department_code="360100-GAJ")
    seen = handler.get("/api/v1/messages?page_size=100").get_data(as_text=True)
    assert all(s in seen for s in secrets)  # the handling department reads the originals
