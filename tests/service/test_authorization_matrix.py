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

from tests.conftest import TokenClient, make_account, message_body, rating_body

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
    """One message and one 差评 inside the scopes above (南昌, 公安局), one of each outside
    (赣州, 人社局), and a spare account for the admin operations."""

    message_in: dict
    message_out: dict
    rating_in: dict
    rating_out: dict
    account_id: int
    ready: dict[str, dict]  # in-scope messages, each in the status its step needs


@dataclass(frozen=True)
class Recipe:
    """How to call one operation: its path (inside or outside the scope) and body."""

    path: Callable[[World, bool], str]
    body: Callable[[], dict] | None = None
    success: int = 200
    scoped: bool = False  # a single object that must be 404 outside the scope


#: The status each step's in-scope message is put in before the matrix runs.
READY = {
    "start": "dispatched",
    "return": "in_progress",
    "reply": "in_progress",
    "close": "replied",
    "events": "closed",
    "evaluation": "closed",
}


def force_status(message_id: int, status: str) -> None:
    """Put a message in ``status`` directly, as its earlier steps would have."""
    from service.extensions import db
    from service.models import Message

    db.session.get(Message, message_id).status = status
    db.session.commit()


def step(action: str, body=None) -> Recipe:
    """A handling step on the in-scope message made ready for it (or the out-of-scope one)."""
    return Recipe(
        lambda w, inside: (
            f"/api/v1/messages/{(w.ready[action] if inside else w.message_out)['id']}/{action}"
        ),
        body,
        scoped=True,
    )


RECIPES: dict[tuple[str, str], Recipe] = {
    ("POST", "/api/v1/ratings"): Recipe(lambda w, _: "/api/v1/ratings", rating_body, 201),
    ("GET", "/api/v1/ratings"): Recipe(lambda w, _: "/api/v1/ratings"),
    ("GET", "/api/v1/ratings/{rating_id}"): Recipe(
        lambda w, inside: f"/api/v1/ratings/{(w.rating_in if inside else w.rating_out)['id']}",
        scoped=True,
    ),
    ("POST", "/api/v1/messages"): Recipe(lambda w, _: "/api/v1/messages", message_body, 201),
    ("GET", "/api/v1/messages"): Recipe(lambda w, _: "/api/v1/messages"),
    ("GET", "/api/v1/messages/{message_id}"): Recipe(
        lambda w, inside: f"/api/v1/messages/{(w.message_in if inside else w.message_out)['id']}",
        scoped=True,
    ),
    ("POST", "/api/v1/messages/{message_id}/dispatch"): step(
        "dispatch", lambda: {"department_code": "360100-ZJJ", "difficulty": "ordinary"}
    ),
    ("POST", "/api/v1/messages/{message_id}/start"): step("start", dict),
    ("POST", "/api/v1/messages/{message_id}/return"): step(
        "return", lambda: {"note": "不属于本单位职责"}
    ),
    ("POST", "/api/v1/messages/{message_id}/reply"): step("reply", lambda: {"reply": "已安排处理"}),
    ("POST", "/api/v1/messages/{message_id}/close"): step("close", dict),
    ("GET", "/api/v1/messages/{message_id}/events"): step("events"),
    ("POST", "/api/v1/messages/{tracking_code}/evaluation"): Recipe(
        lambda w, _: f"/api/v1/messages/{w.ready['evaluation']['tracking_code']}/evaluation",
        lambda: {"evaluation": "satisfied"},
    ),
    ("GET", "/api/v1/supervision"): Recipe(
        lambda w, _: "/api/v1/supervision?kind=due_soon&within_hours=720"
    ),
    ("GET", "/api/v1/messages/{tracking_code}"): Recipe(
        lambda w, _: f"/api/v1/messages/{w.message_in['tracking_code']}"
    ),
    ("GET", "/api/v1/regions"): Recipe(lambda w, _: "/api/v1/regions"),
    ("GET", "/api/v1/regions/{code}"): Recipe(lambda w, _: "/api/v1/regions/360100"),
    ("GET", "/api/v1/departments"): Recipe(lambda w, _: "/api/v1/departments"),
    ("GET", "/api/v1/service-items"): Recipe(lambda w, _: "/api/v1/service-items"),
    ("GET", "/api/v1/accounts"): Recipe(lambda w, _: "/api/v1/accounts"),
    ("POST", "/api/v1/accounts"): Recipe(
        lambda w, _: "/api/v1/accounts",
        lambda: {"name": f"m-{os.urandom(4).hex()}", "role": "app"},
        201,
    ),
    ("GET", "/api/v1/accounts/{account_id}"): Recipe(
        lambda w, _: f"/api/v1/accounts/{w.account_id}"
    ),
    ("POST", "/api/v1/accounts/{account_id}/revoke"): Recipe(
        lambda w, _: f"/api/v1/accounts/{w.account_id}/revoke"
    ),
    ("GET", "/api/v1/audit-events"): Recipe(lambda w, _: "/api/v1/audit-events"),
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
    message_in = api.post(
        "/api/v1/messages",
        json=message_body(department_code="360100-GAJ", contact_phone=INSIDE_PHONE),
    ).get_json()
    message_out = api.post(
        "/api/v1/messages",
        json=message_body(
            title="路灯坏了",
            content=f"赣州市章贡区路灯坏了。{OUTSIDE_MARK}，电话{OUTSIDE_PHONE}",
            department_code="360700-RSJ",
            contact_phone=OUTSIDE_PHONE,
        ),
    ).get_json()
    rating_in = api.post(
        "/api/v1/ratings",
        json=rating_body(
            stars=1, comment=f"打{INSIDE_PHONE}没人接", service_item_code="360100-GAJ-001"
        ),
    ).get_json()
    rating_out = api.post(
        "/api/v1/ratings",
        json=rating_body(stars=2, comment=OUTSIDE_MARK, service_item_code="360700-RSJ-001"),
    ).get_json()
    spare, _ = make_account("app")
    ready = {"dispatch": message_in}
    for action, status in READY.items():
        created = api.post(
            "/api/v1/messages", json=message_body(department_code="360100-GAJ")
        ).get_json()
        force_status(created["id"], status)
        ready[action] = created
    return World(message_in, message_out, rating_in, rating_out, spare.id, ready)


def test_every_operation_declares_its_roles_and_is_in_the_matrix(client):
    for method, path, roles in operations(client):
        assert roles, f"{method} {path} declares no roles: decorate it with require_roles"
        assert (method, path) in RECIPES, f"{method} {path} is not in the authorization matrix"


def test_every_operation_wants_a_token(client, world):
    for method, path, _ in operations(client):
        recipe = RECIPES[(method, path)]
        body = recipe.body() if recipe.body else None
        response = client.open(recipe.path(world, True), method=method, json=body)
        assert response.status_code == 401, (method, path)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_what_its_scope_allows(client, world, role):
    caller = TokenClient(client, make_account(role, **SCOPES.get(role, {}))[1])
    for method, path, allowed in operations(client):
        recipe = RECIPES[(method, path)]
        body = recipe.body() if recipe.body else None
        inside = caller.open(method, recipe.path(world, True), json=body)
        where = f"{role} {method} {path}"
        if role not in allowed:
            assert inside.status_code == 403, where
            continue
        assert inside.status_code == recipe.success, (where, inside.get_json())
        answers = [inside]
        if recipe.scoped:
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
