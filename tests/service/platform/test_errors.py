"""Bad input gets the one error shape, never a 500."""

import io
import json

import pytest

from tests.support import message_body


def assert_error_shape(response, code):
    assert response.status_code == code
    body = response.get_json()
    assert body["code"] == code and body["status"] and body["message"]
    assert list(body)[:3] == ["code", "status", "message"]


def test_malformed_json_returns_400(api):
    response = api.post("/api/v1/messages", data="{not json", content_type="application/json")
    assert_error_shape(response, 400)


def test_a_body_that_is_not_json_returns_415_naming_the_content_type(api):
    response = api.post(
        "/api/v1/messages", data="type=投诉", content_type="application/x-www-form-urlencoded"
    )
    assert_error_shape(response, 415)
    assert response.get_json()["message"] == "Send the body as application/json."
    assert response.get_json()["errors"] == {
        "headers": {"Content-Type": ["Must be application/json."]}
    }


def test_a_body_over_the_size_limit_returns_413_naming_the_body(api, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    response = api.post("/api/v1/messages", json=message_body(content="长" * 2000))
    assert_error_shape(response, 413)
    assert response.get_json()["message"] == "The body is larger than 1000 bytes."
    assert response.get_json()["errors"] == {"json": ["Larger than 1000 bytes."]}


def test_a_json_array_body_returns_422(api):
    assert_error_shape(api.post("/api/v1/messages", json=[1, 2]), 422)


@pytest.mark.parametrize(
    ("method", "path", "code"), [("get", "/api/v1/nothing", 404), ("put", "/api/v1/ratings", 405)]
)
def test_unknown_paths_and_methods_answer_in_the_same_shape(client, method, path, code):
    assert_error_shape(getattr(client, method)(path), code)


def test_an_unknown_path_says_nothing_is_there_not_werkzeugs_page_text(client):
    assert client.get("/api/v1/nothing").get_json()["message"] == "Nothing is found at this path."


@pytest.mark.parametrize(
    ("method", "path", "what"),
    [
        ("get", "/api/v1/ratings/0", "rating"),
        ("get", "/api/v1/ratings/-1", "rating"),
        ("get", "/api/v1/rectifications/1.5", "rectification case"),
        ("post", "/api/v1/rectifications/0/verify", "rectification case"),
        ("get", "/api/v1/appeals/99999999999999999999999", "appeal"),
        ("post", "/api/v1/appeals/0/decision", "appeal"),
        ("post", "/api/v1/flags/-1/review", "flag"),
        ("get", "/api/v1/accounts/2147483648", "account"),
        ("post", "/api/v1/accounts/0/revoke", "account"),
        ("post", "/api/v1/messages/0/dispatch", "message"),
        ("get", "/api/v1/messages/-1/events", "message"),
        ("put", "/api/v1/messages/1.5/theme", "message"),
    ],
)
def test_an_id_no_row_can_have_returns_404_saying_what_was_not_found(client, method, path, what):
    """Whoever asks, token or none: before, each got werkzeug's page text, or a 403 or 422."""
    response = getattr(client, method)(path, json={})
    assert_error_shape(response, 404)
    assert response.get_json()["message"] == f"No {what} has this id."
    [(name, problems)] = response.get_json()["errors"]["path"].items()
    assert name.endswith("_id") and problems == [
        "Not an id: ids are whole numbers from 1 to 2147483647."
    ]


def test_an_unexpected_failure_returns_a_500_that_says_nothing_internal(api, app, monkeypatch):
    from service import intake

    def explode(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(intake.store.messages, "create_message", explode)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = api.post("/api/v1/messages", json=message_body())
    assert_error_shape(response, 500)
    assert "secret" not in response.get_data(as_text=True)


def test_a_chunked_body_over_the_size_limit_returns_413(api, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    body = json.dumps(message_body(content="长" * 2000)).encode()
    response = api.post(
        "/api/v1/messages",
        input_stream=io.BytesIO(body),
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_error_shape(response, 413)
    assert response.get_json()["errors"] == {"json": ["Larger than 1000 bytes."]}


def test_json_nested_too_deeply_returns_400(api):
    response = api.post(
        "/api/v1/messages", data="[" * 20000 + "]" * 20000, content_type="application/json"
    )
    assert_error_shape(response, 400)


@pytest.mark.parametrize("bad", ["a\ud800b", "a\x00b"])
def test_text_that_cannot_be_stored_returns_422_naming_the_field(api, bad):
    data = json.dumps(message_body(title=bad))  # ensure_ascii escapes both as \\uXXXX
    response = api.post("/api/v1/messages", data=data, content_type="application/json")
    assert_error_shape(response, 422)
    assert "title" in response.get_json()["errors"]["json"]


def test_nul_in_a_query_argument_returns_422_naming_it(api):
    """PostgreSQL refuses to compare with such a text: this was a 500 found by fuzzing."""
    response = api.get("/api/v1/service-items?department_code=%00")
    assert_error_shape(response, 422)
    assert "department_code" in response.get_json()["errors"]["query"]


@pytest.mark.parametrize("path", ["/api/v1/regions/36%00", "/api/v1/messages/1%00"])
def test_nul_in_a_path_returns_404_naming_the_part(api, path):
    response = api.get(path)
    assert_error_shape(response, 404)
    assert response.get_json()["errors"]["path"]


def test_nul_where_a_tracking_code_goes_returns_404(api):
    assert_error_shape(api.get("/api/v1/messages/a%00b"), 404)


def test_a_page_far_past_the_end_is_empty_not_an_error(api):
    response = api.get("/api/v1/departments?page=99999999999999999999999")
    assert response.status_code == 200 and response.get_json() == []


def test_an_integer_of_thousands_of_digits_returns_400(api):
    data = '{"stars": ' + "9" * 5000 + "}"
    assert_error_shape(api.post("/api/v1/ratings", data=data, content_type="application/json"), 400)


def test_a_key_with_a_lone_surrogate_returns_422_that_can_be_read(api):
    data = '{"type": "投诉", "k\\ud800": 1}'
    response = api.post("/api/v1/messages", data=data, content_type="application/json")
    assert_error_shape(response, 422)
    assert "k\\ud800" in response.get_json()["errors"]["json"]


def test_a_405_names_the_allowed_methods(client):
    response = client.put("/api/v1/ratings")
    assert response.status_code == 405 and "POST" in response.headers["Allow"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "标题\x07响铃"}, "title"),
        ({"citizen_ref": "u\x1b[31m"}, "citizen_ref"),
        ({"department_code": "   "}, "department_code"),
    ],
)
def test_control_characters_and_blanks_return_422(api, fields, field):
    response = api.post("/api/v1/messages", json=message_body(**fields))
    assert_error_shape(response, 422)
    assert field in response.get_json()["errors"]["json"]


def test_text_is_kept_nfc_normalised_with_its_line_breaks(api, client_as):
    created = api.post(
        "/api/v1/messages",
        json=message_body(
            title="Cafe\u0301 门口", content="第一行\n第二行", department_code="360100-GAJ"
        ),
    ).get_json()
    handler = client_as("handler", department_code="360100-GAJ")
    seen = handler.get(f"/api/v1/messages/{created['id']}").get_json()
    assert seen["title"] == "Caf\u00e9 门口" and seen["content"] == "第一行\n第二行"


def test_an_odd_request_id_is_replaced_not_echoed(client):
    response = client.get("/healthz", headers={"X-Request-ID": "x" * 500})
    assert len(response.headers["X-Request-ID"]) == 32
    assert (
        client.get("/healthz", headers={"X-Request-ID": "abc-1"}).headers["X-Request-ID"] == "abc-1"
    )


@pytest.mark.parametrize(
    ("encoding", "looks_like"),
    [("utf-16", "UTF-16"), ("utf-16-le", "UTF-16"), ("utf-32", "UTF-32"), ("gbk", "GBK")],
)
def test_a_body_not_in_utf8_returns_400_saying_what_it_looks_like(api, encoding, looks_like):
    data = json.dumps(message_body(title="路灯不亮"), ensure_ascii=False).encode(encoding)
    response = api.post("/api/v1/messages", data=data, content_type="application/json")
    assert_error_shape(response, 400)
    assert response.get_json()["message"] == (
        f"The body must be JSON in UTF-8; it looks like {looks_like}."
    )
    assert response.get_json()["errors"] == {
        "json": [f"Must be UTF-8; it looks like {looks_like}."]
    }


def test_a_body_in_another_encoding_returns_400_naming_the_first_byte_not_utf8(api):
    data = b'{"title": "caf\xe9"}'  # Latin-1
    response = api.post("/api/v1/messages", data=data, content_type="application/json")
    assert_error_shape(response, 400)
    assert response.get_json()["errors"] == {
        "json": ["Must be UTF-8; byte 0xe9 at offset 14 is not."]
    }


def test_a_utf8_body_with_a_byte_order_mark_is_accepted(api):
    """RFC 8259 lets a parser ignore the mark; it says nothing false about the text."""
    data = b"\xef\xbb\xbf" + json.dumps(message_body(), ensure_ascii=False).encode()
    response = api.post("/api/v1/messages", data=data, content_type="application/json")
    assert response.status_code == 201


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ('{"stars": 5, "transaction_id": "T1", "stars": 1}', "stars"),
        ('{"stars": 5, "transaction_id": "T1", "extra": {"a": 1, "a": 2}}', "a"),
    ],
)
def test_a_key_given_twice_returns_422_naming_it(api, data, key):
    """json.loads keeps the last of two equal keys without a word: that was a rating of 1."""
    response = api.post("/api/v1/ratings", data=data, content_type="application/json")
    assert_error_shape(response, 422)
    assert response.get_json()["errors"] == {"json": {key: ["Given more than once."]}}
