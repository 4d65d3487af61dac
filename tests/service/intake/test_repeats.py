"""Repeats (重复件): a citizen writing again about the same matter in the same region is linked
to the first message and counted once; each reader sees only the links within their scope."""

import time_machine

from tests.support import (
    message_body,
)

NANCHANG, GANZHOU = {"region_code": "360102"}, {"region_code": "360702"}  # 东湖区, 章贡区


def test_a_citizens_second_message_on_a_matter_is_linked_to_the_first_and_counted_once(
    api, client_as
):
    first = message_body(title="小区门口路灯坏了", content="南昌市东湖区某小区门口路灯坏了一个月")
    again = {**first, "title": "再次反映小区门口路灯坏了", "content": first["content"] + "，还没修"}
    first_id = api.post("/api/v1/messages", json=first).get_json()["id"]
    again_id = api.post("/api/v1/messages", json=again).get_json()["id"]
    other = {**first, "title": "孩子入学", "content": "南昌市东湖区孩子入学需要哪些材料"}
    other_id = api.post("/api/v1/messages", json=other).get_json()["id"]

    analyst = client_as("analyst")
    assert analyst.get(f"/api/v1/messages/{again_id}").get_json()["repeat_of"] == first_id
    shown = analyst.get(f"/api/v1/messages/{first_id}").get_json()
    assert shown["repeat_of"] is None and shown["repeats"] == [again_id]
    assert analyst.get(f"/api/v1/messages/{other_id}").get_json()["repeat_of"] is None
    report = analyst.get("/api/v1/reports/themes").get_json()
    assert report["messages"] == 2  # the first and the other matter
    kpis = analyst.get("/api/v1/kpis").get_json()
    assert kpis["figures"]["messages"] == 2


def test_a_number_typed_two_ways_is_one_citizens_and_links_the_repeat(api, client_as):
    first = message_body(contact_phone="+86 138 2222 3333", citizen_ref=None)
    first_id = api.post("/api/v1/messages", json=first).get_json()["id"]
    again = {**first, "contact_phone": "13822223333"}
    again_id = api.post("/api/v1/messages", json=again).get_json()["id"]
    handler = client_as("handler", department_code="360100-GAJ")
    analyst = client_as("analyst")
    assert analyst.get(f"/api/v1/messages/{again_id}").get_json()["repeat_of"] == first_id
    landline = message_body(contact_phone="0791-8888 8888")
    stored = api.post("/api/v1/messages", json={**landline, "department_code": "360100-GAJ"})
    shown = handler.get(f"/api/v1/messages/{stored.get_json()['id']}").get_json()
    assert shown["contact_phone"] == "079188888888"


def same_matter_twice(api, first_region: dict, again_region: dict) -> tuple[int, int]:
    """One citizen's same words sent twice, about the two regions: the two messages' ids."""
    body = message_body(title="小区门口路灯坏了", content="小区门口路灯坏了一个月，晚上看不见路")
    first = api.post("/api/v1/messages", json={**body, **first_region}).get_json()["id"]
    again = api.post("/api/v1/messages", json={**body, **again_region}).get_json()["id"]
    return first, again


def test_one_citizens_same_words_about_nanchang_and_ganzhou_are_two_matters(api, client_as):
    with time_machine.travel("2026-03-02 10:00 +0800"):
        nanchang_id, ganzhou_id = same_matter_twice(api, NANCHANG, GANZHOU)
    analyst = client_as("analyst")
    assert analyst.get(f"/api/v1/messages/{ganzhou_id}").get_json()["repeat_of"] is None
    assert analyst.get(f"/api/v1/messages/{nanchang_id}").get_json()["repeats"] == []
    nanchang = client_as("official", region_code="360100")
    assert nanchang.get(f"/api/v1/messages/{nanchang_id}").get_json()["repeats"] == []
    ganzhou = client_as("official", region_code="360700")
    listed = ganzhou.get("/api/v1/supervision?now=2026-03-20T10:00:00%2B08:00").get_json()
    assert [m["id"] for m in listed] == [ganzhou_id]


def test_one_citizens_same_words_twice_about_one_county_are_a_repeat(api, client_as):
    first_id, again_id = same_matter_twice(api, GANZHOU, GANZHOU)
    ganzhou = client_as("official", region_code="360700")
    assert ganzhou.get(f"/api/v1/messages/{again_id}").get_json()["repeat_of"] == first_id
    assert ganzhou.get(f"/api/v1/messages/{first_id}").get_json()["repeats"] == [again_id]


def test_a_message_of_a_county_and_one_of_its_city_alone_are_not_linked(api, client_as):
    """The county's officials cannot see the city-level one, so the link could not be shown
    to them."""
    _, county_id = same_matter_twice(api, {"region_code": "360700"}, GANZHOU)
    county = client_as("official", region_code="360702")
    assert county.get(f"/api/v1/messages/{county_id}").get_json()["repeat_of"] is None


def test_an_imported_history_links_one_citizens_repeats_within_each_region_only(api, app):
    from service import store
    from service.extensions import db
    from service.intake.repeats import link_history
    from service.models import Message

    body = message_body(title="小区门口路灯坏了", content="小区门口路灯坏了一个月，晚上看不见路")
    ids = [
        api.post("/api/v1/messages", json={**body, **region}).get_json()["id"]
        for region in (NANCHANG, GANZHOU, GANZHOU)
    ]
    with app.app_context():
        store.messages.save_repeat_links(dict.fromkeys(ids), [])  # as an import leaves them
        assert link_history([body["citizen_ref"]]) == 1
        links = {m.id: m.repeat_of_id for m in db.session.scalars(db.select(Message))}
    assert links == {ids[0]: None, ids[1]: None, ids[2]: ids[1]}


def test_an_official_is_never_shown_the_id_of_a_linked_message_outside_their_scope(
    api, client_as, app
):
    """A link made across regions before repeats kept to one region (or across departments,
    after a message was dispatched elsewhere) names no message the reader cannot open."""
    from service import store

    nanchang_id, ganzhou_id = same_matter_twice(api, NANCHANG, GANZHOU)
    with app.app_context():
        store.messages.save_repeat_links({ganzhou_id: nanchang_id}, [])
    ganzhou = client_as("official", region_code="360700")
    assert ganzhou.get(f"/api/v1/messages/{ganzhou_id}").get_json()["repeat_of"] is None
    assert [m["repeat_of"] for m in ganzhou.get("/api/v1/messages").get_json()] == [None]
    nanchang = client_as("official", region_code="360100")
    assert nanchang.get(f"/api/v1/messages/{nanchang_id}").get_json()["repeats"] == []
    analyst = client_as("analyst")
    assert analyst.get(f"/api/v1/messages/{ganzhou_id}").get_json()["repeat_of"] == nanchang_id
    assert analyst.get(f"/api/v1/messages/{nanchang_id}").get_json()["repeats"] == [ganzhou_id]


def test_a_handler_is_not_shown_a_repeat_linked_to_another_departments_message(api, client_as):
    first_id, again_id = same_matter_twice(api, NANCHANG, NANCHANG)
    official = client_as("official", region_code="360100")
    for message_id, department in ((first_id, "360100-GAJ"), (again_id, "360100-ZJJ")):
        step = {"department_code": department, "difficulty": "ordinary"}
        answer = official.post(f"/api/v1/messages/{message_id}/dispatch", json=step)
        assert answer.status_code == 200
    police = client_as("handler", department_code="360100-GAJ")
    assert police.get(f"/api/v1/messages/{first_id}").get_json()["repeats"] == []
    housing = client_as("handler", department_code="360100-ZJJ")
    assert housing.get(f"/api/v1/messages/{again_id}").get_json()["repeat_of"] is None


def test_relinking_after_the_upgrade_puts_each_repeat_back_in_its_own_region(
    api, app, runner, client_as
):
    """Links made before repeats kept to one region: 章贡区's first message was linked to the
    南昌 one, and 章贡区's second to the 南昌 one through it."""
    from service import store

    body = message_body(title="小区门口路灯坏了", content="小区门口路灯坏了一个月，晚上看不见路")
    nanchang_id, *ganzhou_ids = [
        api.post("/api/v1/messages", json={**body, **region}).get_json()["id"]
        for region in (NANCHANG, GANZHOU, GANZHOU)
    ]
    with app.app_context():
        store.messages.save_repeat_links(dict.fromkeys(ganzhou_ids, nanchang_id), [])
    assert "Linked 2 repeats again." in runner.invoke(args=["relink-repeats"]).output
    analyst = client_as("analyst")
    links = [analyst.get(f"/api/v1/messages/{i}").get_json()["repeat_of"] for i in ganzhou_ids]
    assert links == [None, ganzhou_ids[0]]
    assert "Linked 0 repeats again." in runner.invoke(args=["relink-repeats"]).output
