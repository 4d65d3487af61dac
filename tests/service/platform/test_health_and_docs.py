import os

from tests.support import require_service


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


def test_the_openapi_document_lists_the_message_types_as_an_enum(client):
    from service.vocabulary import MESSAGE_TYPES

    schemas = client.get("/api/openapi.json").get_json()["components"]["schemas"]
    assert schemas["MessageIn"]["properties"]["type"]["enum"] == list(MESSAGE_TYPES)


def test_the_docs_page_loads_its_assets_from_this_server(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert "/api/docs/assets/swagger-ui-bundle.js" in page and "cdn" not in page.lower()
    assert client.get("/api/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_the_docs_page_asks_no_online_validator_and_gets_a_version_it_renders(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assert '"validatorUrl": null' in page
    assert client.get("/api/openapi.json").get_json()["openapi"].startswith("3.0.")


def test_every_answer_carries_security_headers(client, api):
    for response in (
        client.get("/healthz"),
        api.get("/api/v1/regions/360100"),
        client.get("/nope"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    assert api.get("/api/v1/regions/360100").headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in client.get("/api/docs").headers["Content-Security-Policy"]


def test_cors_is_off_unless_configured(client, database_uri):
    from service import create_app

    origin = {"Origin": "https://evil.example"}
    assert "Access-Control-Allow-Origin" not in client.get("/healthz", headers=origin).headers
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": database_uri, "CORS_ORIGINS": "https://wz.jiangxi.gov.cn"}
    )
    allowed = app.test_client().get(
        "/api/openapi.json", headers={"Origin": "https://wz.jiangxi.gov.cn"}
    )
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://wz.jiangxi.gov.cn"
