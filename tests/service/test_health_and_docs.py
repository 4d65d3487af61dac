import os

from tests.conftest import require_service


def test_healthz_answers_without_a_token(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_reports_the_database(client):
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json()["database"] == "ok"


def test_readyz_reports_redis_when_configured(client, app):
    app.config["REDIS_URL"] = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    assert client.get("/readyz").get_json()["redis"] == "ok"


def test_readyz_says_when_redis_is_down_and_stays_ready(client, app):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    response = client.get("/readyz")
    assert response.status_code == 200 and response.get_json()["redis"] == "unavailable"


def test_the_openapi_document_is_generated_from_the_schemas(client):
    spec = client.get("/api/openapi.json").get_json()
    post = spec["paths"]["/api/v1/ratings"]["post"]
    assert post["security"] == [{"bearerAuth": []}]
    assert "stars" in spec["components"]["schemas"]["RatingIn"]["required"]


def test_the_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_the_docs_page_asks_no_online_validator_and_gets_a_version_it_renders(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert '"validatorUrl": null' in page
    assert client.get("/api/openapi.json").get_json()["openapi"].startswith("3.0.")
