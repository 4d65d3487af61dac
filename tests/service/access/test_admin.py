"""Admins manage accounts over the API and read the audit trail."""

from service.models import AuditEvent


def test_an_admin_opens_a_scoped_account_whose_token_works_once_shown(client_as, client):
    admin = client_as("admin")
    response = admin.post(
        "/api/v1/accounts",
        json={"name": "gz-official", "role": "official", "region_code": "360700"},
    )
    assert response.status_code == 201
    body = response.get_json()
    assert (body["role"], body["region_code"], body["revoked_at"]) == ("official", "360700", None)
    headers = {"Authorization": f"Bearer {body['token']}"}
    assert client.get("/api/v1/messages", headers=headers).status_code == 200
    listed = admin.get("/api/v1/accounts").get_json()
    assert listed and all("token" not in a for a in listed)


def test_a_refused_account_names_the_field(client_as):
    response = client_as("admin").post("/api/v1/accounts", json={"name": "h", "role": "handler"})
    assert response.status_code == 422
    assert "department_code" in response.get_json()["errors"]["json"]


def test_a_taken_account_name_is_a_409_conflict_naming_the_field(client_as):
    admin = client_as("admin")
    assert admin.post("/api/v1/accounts", json={"name": "twice", "role": "app"}).status_code == 201
    again = admin.post("/api/v1/accounts", json={"name": "twice", "role": "analyst"})
    assert again.status_code == 409
    assert again.get_json()["errors"] == {
        "json": {"name": ["An account named 'twice' exists already."]}
    }


def test_a_name_taken_by_a_request_at_the_same_time_is_a_409_too(client_as, monkeypatch):
    from service import store

    admin = client_as("admin")
    admin.post("/api/v1/accounts", json={"name": "racing", "role": "app"})
    monkeypatch.setattr(store.accounts, "fetch_account_by_name", lambda name: None)
    again = admin.post("/api/v1/accounts", json={"name": "racing", "role": "app"})
    assert again.status_code == 409 and "name" in again.get_json()["errors"]["json"]
    assert len([a for a in admin.get("/api/v1/accounts").get_json() if a["name"] == "racing"]) == 1


def test_an_account_that_would_expire_before_it_is_opened_is_refused(client_as):
    body = {"name": "late", "role": "app", "expires_at": "2020-01-01T00:00:00+08:00"}
    response = client_as("admin").post("/api/v1/accounts", json=body)
    assert response.status_code == 422
    assert "expires_at" in response.get_json()["errors"]["json"]


def test_a_retried_account_creation_replays_without_the_token(client_as):
    admin = client_as("admin")
    headers = {"Idempotency-Key": "open-1"}
    body = {"name": "retry", "role": "analyst"}
    first = admin.post("/api/v1/accounts", json=body, headers=headers).get_json()
    again = admin.post("/api/v1/accounts", json=body, headers=headers)
    assert again.status_code == 201 and again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == {**first, "token": None}


def test_revoking_over_the_api_is_immediate_audited_and_repeatable(client_as, client, app):
    admin = client_as("admin")
    created = admin.post("/api/v1/accounts", json={"name": "gone", "role": "app"}).get_json()
    first = admin.post(f"/api/v1/accounts/{created['id']}/revoke")
    again = admin.post(f"/api/v1/accounts/{created['id']}/revoke")
    assert first.status_code == again.status_code == 200
    assert first.get_json() == again.get_json() and first.get_json()["revoked_at"]
    headers = {"Authorization": f"Bearer {created['token']}"}
    assert client.get("/api/v1/regions", headers=headers).status_code == 401
    actions = [e.action for e in AuditEvent.query.filter_by(object_id=str(created["id"]))]
    assert actions == ["account.create", "account.revoke"]


def test_the_audit_trail_is_filtered_and_names_who_did_it(client_as):
    admin = client_as("admin", name="root")
    admin.post("/api/v1/accounts", json={"name": "x1", "role": "app"})
    events = admin.get("/api/v1/audit-events?action=account.create").get_json()
    mine = [e for e in events if e["actor"] == "root"]
    assert len(mine) == 1 and mine[0]["detail"]["name"] == "x1" and mine[0]["remote_addr"]
    assert admin.get("/api/v1/audit-events?action=nothing").get_json() == []


def test_unknown_accounts_are_404(client_as):
    admin = client_as("admin")
    assert admin.get("/api/v1/accounts/99999").status_code == 404
    assert admin.post("/api/v1/accounts/99999/revoke").status_code == 404
