"""Every operation of the OpenAPI document × every role × an object inside and outside the
caller's scope.

A role an operation does not declare gets 403; one it declares gets its answer, and for scoped
operations a 404 for an object outside the scope. No answer to a handler, official or analyst
ever holds anything of the out-of-scope case (its tracking code or transaction id, its text,
its citizen's phone), and no
answer to anyone but the handler holds the in-scope citizen's phone. An operation that
declares no roles, or that this table does not know, fails the suite: add it here.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from tests.support import TokenClient, force_status, make_account, message_body, rating_body

ROLES = ("app", "handler", "official", "analyst", "admin")
SCOPES = {
    "handler": {"department_code": "360100-GAJ"},
    "official": {"region_code": "360100"},
    "analyst": {"region_code": "360100"},
}
INSIDE_PHONE, OUTSIDE_PHONE = "13800000001", "13900000002"
OUTSIDE_MARK = "赣州界外标记"


@dataclass
class World:
    """Messages, ratings, rectification cases and appeals inside the scopes above (南昌,
    公安局), one of each outside (赣州, 人社局), and a spare account for the admin operations.
    ``ready`` holds, for each step, an in-scope object in the status that step needs."""

    message_in: dict
    message_out: dict
    rating_in: dict
    rating_out: dict
    account_id: int
    ready: dict[str, dict]
    case_out: int
    appeal_out: int
    flag_out: int


@dataclass(frozen=True)
class Recipe:
    """How to call one operation, inside or outside the scope: its path and its body."""

    path: Callable[[World, bool], str]
    body: Callable[[World, bool], dict] | None = None
    success: int = 200
    scoped: bool = False  # must be 404 outside the scope


def fixed(path: str, body: Callable[[], dict] | None = None, success: int = 200) -> Recipe:
    return Recipe(lambda w, _: path, (lambda w, _: body()) if body else None, success)


#: The status each message step's in-scope message is put in before the matrix runs.
READY = {
    "start": "dispatched",
    "return": "in_progress",
    "reply": "in_progress",
    "close": "replied",
    "events": "closed",
    "evaluation": "closed",
}
#: Likewise for the rectification steps.
READY_CASES = {"verify": "open", "rectify": "verified", "report": "rectified", "rate": "reported"}


def step(action: str, body: dict | None = None) -> Recipe:
    """A handling step on the in-scope message made ready for it (or the out-of-scope one)."""
    return Recipe(
        lambda w, inside: (
            f"/api/v1/messages/{(w.ready[action] if inside else w.message_out)['id']}/{action}"
        ),
        lambda w, _: dict(body or {}),
        scoped=True,
    )


def case_step(action: str) -> Recipe:
    """A rectification step on the in-scope case made ready for it (or the out-of-scope one)."""
    return Recipe(
        lambda w, inside: (
            f"/api/v1/rectifications/{w.ready[action]['case'] if inside else w.case_out}/{action}"
        ),
        lambda w, _: {"note": "已与群众电话核实"},
        scoped=True,
    )


RECIPES: dict[tuple[str, str], Recipe] = {
    ("POST", "/api/v1/ratings"): fixed("/api/v1/ratings", rating_body, 201),
    ("GET", "/api/v1/ratings"): fixed("/api/v1/ratings"),
    ("GET", "/api/v1/ratings/{rating_id}"): Recipe(
        lambda w, inside: f"/api/v1/ratings/{(w.rating_in if inside else w.rating_out)['id']}",
        scoped=True,
    ),
    ("GET", "/api/v1/rectifications"): fixed("/api/v1/rectifications"),
    ("GET", "/api/v1/rectifications/{case_id}"): Recipe(
        lambda w, inside: (
            f"/api/v1/rectifications/{w.ready['verify']['case'] if inside else w.case_out}"
        ),
        scoped=True,
    ),
    ("POST", "/api/v1/rectifications/{case_id}/verify"): case_step("verify"),
    ("POST", "/api/v1/rectifications/{case_id}/rectify"): case_step("rectify"),
    ("POST", "/api/v1/rectifications/{case_id}/report"): case_step("report"),
    ("POST", "/api/v1/rectifications/citizen-rating"): Recipe(
        lambda w, _: "/api/v1/rectifications/citizen-rating",
        lambda w, _: {"transaction_id": w.ready["rate"]["transaction_id"], "stars": 4},
    ),
    ("GET", "/api/v1/flags"): fixed("/api/v1/flags"),
    ("POST", "/api/v1/flags/{flag_id}/review"): Recipe(
        lambda w, inside: f"/api/v1/flags/{w.ready['flag']['id'] if inside else w.flag_out}/review",
        lambda w, _: {"outcome": "dismissed", "note": "评论与星级并不矛盾"},
        scoped=True,
    ),
    ("GET", "/api/v1/appeals"): fixed("/api/v1/appeals"),
    ("POST", "/api/v1/appeals"): Recipe(
        lambda w, _: "/api/v1/appeals",
        lambda w, inside: {
            "rating_id": (w.rating_in if inside else w.rating_out)["id"],
            "reason": "misrated",
            "note": "群众误选了事项",
        },
        201,
        scoped=True,
    ),
    ("GET", "/api/v1/appeals/{appeal_id}"): Recipe(
        lambda w, inside: f"/api/v1/appeals/{w.ready['appeal']['id'] if inside else w.appeal_out}",
        scoped=True,
    ),
    ("POST", "/api/v1/appeals/{appeal_id}/decision"): Recipe(
        lambda w, inside: (
            f"/api/v1/appeals/{w.ready['decision']['id'] if inside else w.appeal_out}/decision"
        ),
        lambda w, _: {"upheld": True, "note": "经核实属误评"},
        scoped=True,
    ),
    ("POST", "/api/v1/messages"): fixed("/api/v1/messages", message_body, 201),
    ("GET", "/api/v1/messages"): fixed("/api/v1/messages"),
    ("GET", "/api/v1/messages/{message_id}"): Recipe(
        lambda w, inside: f"/api/v1/messages/{(w.message_in if inside else w.message_out)['id']}",
        scoped=True,
    ),
    ("POST", "/api/v1/messages/{message_id}/dispatch"): step(
        "dispatch", {"department_code": "360100-ZJJ", "difficulty": "ordinary"}
    ),
    ("POST", "/api/v1/messages/{message_id}/start"): step("start"),
    ("POST", "/api/v1/messages/{message_id}/return"): step("return", {"note": "不属于本单位职责"}),
    ("POST", "/api/v1/messages/{message_id}/reply"): step("reply", {"reply": "已安排处理"}),
    ("POST", "/api/v1/messages/{message_id}/close"): step("close"),
    ("GET", "/api/v1/messages/{message_id}/events"): Recipe(
        lambda w, inside: (
            f"/api/v1/messages/{(w.ready['events'] if inside else w.message_out)['id']}/events"
        ),
        scoped=True,
    ),
    ("POST", "/api/v1/messages/{tracking_code}/evaluation"): Recipe(
        lambda w, _: f"/api/v1/messages/{w.ready['evaluation']['tracking_code']}/evaluation",
        lambda w, _: {"evaluation": "satisfied"},
    ),
    ("GET", "/api/v1/kpis"): fixed("/api/v1/kpis?region=360100"),
    ("GET", "/api/v1/supervision"): fixed("/api/v1/supervision?kind=due_soon&within_hours=720"),
    ("PUT", "/api/v1/messages/{message_id}/theme"): Recipe(
        lambda w, inside: (
            f"/api/v1/messages/{(w.message_in if inside else w.message_out)['id']}/theme"
        ),
        lambda w, _: {"theme_code": "transport.parking", "note": "实为停车问题"},
        scoped=True,
    ),
    ("GET", "/api/v1/themes"): fixed("/api/v1/themes"),
    ("GET", "/api/v1/reports/themes"): fixed("/api/v1/reports/themes"),
    ("GET", "/api/v1/reports/replies"): fixed("/api/v1/reports/replies"),
    ("GET", "/api/v1/hot-issues"): fixed("/api/v1/hot-issues"),
    ("GET", "/api/v1/alerts"): fixed("/api/v1/alerts"),
    ("POST", "/api/v1/themes"): fixed(
        "/api/v1/themes",
        lambda: {
            "code": f"transport.t{os.urandom(3).hex()}",
            "name": "共享单车",
            "parent_code": "transport",
            "keywords": ["共享单车"],
        },
        201,
    ),  # fmt: skip
    ("PATCH", "/api/v1/themes/{code}"): Recipe(
        lambda w, _: "/api/v1/themes/transport.parking",
        lambda w, _: {"keywords": ["停车", "停车位", "车位"]},
    ),
    ("GET", "/api/v1/messages/{tracking_code}"): Recipe(
        lambda w, _: f"/api/v1/messages/{w.message_in['tracking_code']}"
    ),
    ("GET", "/api/v1/regions"): fixed("/api/v1/regions"),
    ("GET", "/api/v1/regions/{code}"): fixed("/api/v1/regions/360100"),
    ("GET", "/api/v1/departments"): fixed("/api/v1/departments"),
    ("GET", "/api/v1/service-items"): fixed("/api/v1/service-items"),
    ("GET", "/api/v1/accounts"): fixed("/api/v1/accounts"),
    ("POST", "/api/v1/accounts"): fixed(
        "/api/v1/accounts", lambda: {"name": f"m-{os.urandom(4).hex()}", "role": "app"}, 201
    ),
    ("GET", "/api/v1/accounts/{account_id}"): Recipe(
        lambda w, _: f"/api/v1/accounts/{w.account_id}"
    ),
    ("POST", "/api/v1/accounts/{account_id}/revoke"): Recipe(
        lambda w, _: f"/api/v1/accounts/{w.account_id}/revoke"
    ),
    ("GET", "/api/v1/audit-events"): fixed("/api/v1/audit-events"),
}


def operations(client) -> list[tuple[str, str, list[str] | None]]:
    spec = client.get("/api/openapi.json").get_json()
    return [
        (method.upper(), path, operation.get("x-roles"))
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


@pytest.fixture
def world(api) -> World:
    from service.extensions import db
    from service.models import Appeal

    def post_message(**fields) -> dict:
        return api.post("/api/v1/messages", json=message_body(**fields)).get_json()

    def post_bad_rating(item: str = "360100-GAJ-001", **fields) -> dict:
        body = rating_body(stars=1, service_item_code=item, **fields)
        return api.post("/api/v1/ratings", json=body).get_json()

    def appeal_on(rating: dict, filed_by: int) -> int:
        appeal = Appeal(
            rating_id=rating["id"],
            department_id=db.session.get(Rating, rating["id"]).department_id,
            region_code=rating["region_code"],
            reason="malicious",
            note="同一设备连续差评",
            status="pending",
            filed_by=filed_by,
        )
        db.session.add(appeal)
        db.session.commit()
        return appeal.id

    from service.models import Rating, RatingFlag

    def flag_on(rating: dict) -> int:
        """The contradiction flag a warm 1-star comment earned at intake."""
        return RatingFlag.query.filter_by(rating_id=rating["id"]).one().id

    message_in = post_message(department_code="360100-GAJ", contact_phone=INSIDE_PHONE)
    message_out = post_message(
        title="路灯坏了",
        content=f"赣州市章贡区路灯坏了。{OUTSIDE_MARK}，电话{OUTSIDE_PHONE}",
        department_code="360700-RSJ",
        contact_phone=OUTSIDE_PHONE,
    )
    rating_in = post_bad_rating(comment=f"打{INSIDE_PHONE}没人接")
    rating_out = post_bad_rating("360700-RSJ-001", comment=OUTSIDE_MARK)
    spare, _ = make_account("app")
    ready = {"dispatch": message_in}
    for action, status in READY.items():
        ready[action] = post_message(department_code="360100-GAJ")
        force_status(ready[action]["id"], status)
    for action, status in READY_CASES.items():
        rating = post_bad_rating()
        ready[action] = {"case": rating["rectification_id"], **rating}
        force_status(rating["rectification_id"], status, "RectificationCase")
    ready["appeal"] = {"id": appeal_on(post_bad_rating(), spare.id)}
    ready["flag"] = {"id": flag_on(post_bad_rating(comment="非常感谢，服务很好"))}
    ready["decision"] = {"id": appeal_on(post_bad_rating(), spare.id)}
    return World(
        message_in,
        message_out,
        rating_in,
        rating_out,
        spare.id,
        ready,
        case_out=rating_out["rectification_id"],
        appeal_out=appeal_on(rating_out, spare.id),
        flag_out=flag_on(post_bad_rating("360700-RSJ-001", comment="非常感谢，服务很好")),
    )


def test_every_operation_declares_its_roles_and_is_in_the_matrix(client):
    for method, path, roles in operations(client):
        assert roles, f"{method} {path} declares no roles: decorate it with require_roles"
        assert (method, path) in RECIPES, f"{method} {path} is not in the authorization matrix"


def test_every_operation_wants_a_token(client, world):
    for method, path, _ in operations(client):
        recipe = RECIPES[(method, path)]
        body = recipe.body(world, True) if recipe.body else None
        response = client.open(recipe.path(world, True), method=method, json=body)
        assert response.status_code == 401, (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_its_scope_allows(client, api, world, role):
    # The app is the one that posted the world's ratings and messages, as a citizen's is.
    caller = (
        api if role == "app" else TokenClient(client, make_account(role, **SCOPES.get(role, {}))[1])
    )
    for method, path, allowed in operations(client):
        recipe = RECIPES[(method, path)]
        body = recipe.body(world, True) if recipe.body else None
        inside = caller.open(method, recipe.path(world, True), json=body)
        where = f"{role} {method} {path}"
        if role not in allowed:
            assert inside.status_code == 403, where
            continue
        assert inside.status_code == recipe.success, (where, inside.get_json())
        answers = [inside]
        if recipe.scoped:
            body = recipe.body(world, False) if recipe.body else None
            outside = caller.open(method, recipe.path(world, False), json=body)
            assert outside.status_code == 404, where
            answers.append(outside)
        for answer in answers:
            text = answer.get_data(as_text=True)
            if role in SCOPES:
                for secret in (
                    OUTSIDE_MARK,
                    OUTSIDE_PHONE,
                    world.message_out["tracking_code"],
                    world.rating_out["transaction_id"],
                ):
                    assert secret not in text, (where, secret)
            if role != "handler":
                assert INSIDE_PHONE not in text, where


#: The API operations whose data each dashboard page shows.
PAGE_SOURCES = {
    "dashboard.overview": [("GET", "/api/v1/kpis")],
    "dashboard.region_map": [("GET", "/api/v1/kpis")],
    "dashboard.themes": [("GET", "/api/v1/reports/themes")],
    "dashboard.messages": [("GET", "/api/v1/messages")],
    "dashboard.hot_issues": [("GET", "/api/v1/hot-issues"), ("GET", "/api/v1/alerts")],
    "dashboard.supervision": [("GET", "/api/v1/supervision"), ("GET", "/api/v1/rectifications")],
    "dashboard.replies": [("GET", "/api/v1/reports/replies")],
}


def test_each_dashboard_page_admits_exactly_the_roles_the_api_admits_to_its_data(app, client):
    from service.dashboard.pages import PAGE_ROLES

    declared = {(method, path): set(roles) for method, path, roles in operations(client)}
    pages = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("dashboard.")
        and rule.endpoint.split(".")[1] not in ("sign_in", "sign_out", "static")
    }
    assert pages == set(PAGE_SOURCES) == set(PAGE_ROLES)
    for page, sources in PAGE_SOURCES.items():
        admitted = set.intersection(*(declared[source] for source in sources))
        assert set(PAGE_ROLES[page]) == admitted, page
