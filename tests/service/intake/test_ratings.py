import pytest
import time_machine

from tests.support import rating_body


def test_posting_a_rating_returns_201_with_its_department_region_and_sentiment(api):
    response = api.post(
        "/api/v1/ratings", json=rating_body(stars=5, scores={"overall": 5, "efficiency": 4})
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["stars"] == 5 and body["level"] == "非常满意" and body["is_bad"] is False
    assert body["department_code"] == "360100-GAJ"
    assert body["region_code"] == "360100"
    assert body["scores"] == {"overall": 5, "efficiency": 4}
    assert body["sentiment"]["label"] == "positive"
    assert body["sentiment"]["model_version"].startswith("ngrams@")
    assert body["created_at"].endswith("+00:00")


def test_a_one_star_rating_is_negative_even_when_its_comment_sounds_fine(api):
    body = api.post("/api/v1/ratings", json=rating_body(stars=1, comment="还行")).get_json()
    assert body["is_bad"] is True
    assert body["sentiment"]["label"] == "negative"
    assert body["sentiment"]["score"] > 0.5  # the text's own score is kept for review


def test_a_comment_keeps_its_own_label_which_the_negative_share_counts(api, client_as):
    """Five stars and an angry comment: a positive rating (the stars decide), a negative
    comment (the model decides), counted in 评价负面情绪占比 and flagged for review."""
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        angry = rating_body(stars=5, comment="排队三个小时，态度恶劣，太差了")
        body = api.post("/api/v1/ratings", json=angry).get_json()
        assert (body["sentiment"]["label"], body["sentiment"]["comment_label"]) == (
            "positive",
            "negative",
        )
        quiet = api.post("/api/v1/ratings", json=rating_body(stars=4, comment=None)).get_json()
        assert quiet["sentiment"]["comment_label"] is None
        api.post("/api/v1/ratings", json=rating_body(stars=4))  # a kind comment
        report = client_as("analyst").get("/api/v1/kpis?period=month").get_json()
    share = report["figures"]["negative_sentiment_share"]
    assert (share["numerator"], share["denominator"]) == (1, 2)


def test_a_three_star_rating_takes_its_label_from_the_comment(api):
    body = api.post("/api/v1/ratings", json=rating_body(stars=3, comment="不满意")).get_json()
    assert body["sentiment"]["label"] == "negative"


def test_a_rating_without_comment_has_no_text_score(api):
    body = api.post("/api/v1/ratings", json=rating_body(comment=None, stars=4)).get_json()
    assert body["sentiment"]["score"] is None
    assert body["sentiment"]["label"] == "positive"


def test_rating_the_same_transaction_twice_on_one_channel_returns_409_naming_the_first(api):
    first = api.post("/api/v1/ratings", json=rating_body(transaction_id="BJ-1")).get_json()
    second = api.post("/api/v1/ratings", json=rating_body(transaction_id="BJ-1", stars=1))
    assert second.status_code == 409
    assert f"rating {first['id']}" in second.get_json()["message"]
    assert "transaction_id" in second.get_json()["errors"]["json"]


def test_the_same_transaction_may_be_rated_once_per_channel(api):
    assert api.post("/api/v1/ratings", json=rating_body(transaction_id="BJ-2")).status_code == 201
    hall = rating_body(transaction_id="BJ-2", channel="hall", scores={"attitude": 5})
    assert api.post("/api/v1/ratings", json=hall).status_code == 201


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"stars": None}, "stars"),
        ({"stars": 0}, "stars"),
        ({"stars": 6}, "stars"),
        ({"stars": "5"}, "stars"),
        ({"stars": 4.5}, "stars"),
        ({"comment": "差" * 2001}, "comment"),
        ({"channel": "fax"}, "channel"),
        ({"transaction_id": None}, "transaction_id"),
        ({"service_item_code": None}, "service_item_code"),
        ({"region_code": "3601"}, "region_code"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_rating_fields_return_422_naming_the_field(api, fields, field):
    response = api.post("/api/v1/ratings", json=rating_body(**fields))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_offline_sub_scores_on_an_online_channel_return_422_naming_them(api):
    response = api.post("/api/v1/ratings", json=rating_body(channel="app", scores={"attitude": 5}))
    assert response.status_code == 422
    assert response.get_json()["errors"]["json"]["scores"] == {
        "attitude": ["Not a sub-indicator of online channels."]
    }


def test_a_sub_score_out_of_range_returns_422(api):
    response = api.post("/api/v1/ratings", json=rating_body(scores={"overall": 9}))
    assert response.get_json()["errors"]["json"]["scores"]["overall"]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"service_item_code": "NOPE-001"}, "service_item_code"),
        ({"department_code": "360000-GAT"}, "department_code"),
        ({"region_code": "369999"}, "region_code"),
        ({"region_code": "360702"}, "region_code"),  # a county of 赣州, not of 南昌
    ],
)
def test_references_that_do_not_fit_return_422_naming_the_field(api, fields, field):
    response = api.post("/api/v1/ratings", json=rating_body(**fields))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]["json"]


def test_a_rating_may_name_a_county_under_its_departments_city(api):
    response = api.post("/api/v1/ratings", json=rating_body(region_code="360113"))
    assert response.status_code == 201
    assert response.get_json()["region_code"] == "360113"


def test_concurrent_ratings_of_one_transaction_store_one_and_refuse_the_rest(api, app):
    from concurrent.futures import ThreadPoolExecutor

    from service.models import Rating

    body = rating_body(transaction_id="BJ-race")
    with ThreadPoolExecutor(max_workers=4) as pool:
        statuses = sorted(
            pool.map(lambda _: api.post("/api/v1/ratings", json=body).status_code, range(4))
        )
    assert statuses == [201, 409, 409, 409]
    assert Rating.query.filter_by(transaction_id="BJ-race").count() == 1


def test_a_blank_transaction_id_returns_422(api):
    response = api.post("/api/v1/ratings", json=rating_body(transaction_id="   "))
    assert "transaction_id" in response.get_json()["errors"]["json"]


def test_a_null_comment_returns_422_and_an_empty_one_is_no_comment(api):
    assert (
        api.post("/api/v1/ratings", json=rating_body(comment=None) | {"comment": None}).status_code
        == 422
    )
    body = api.post("/api/v1/ratings", json=rating_body(comment="  ")).get_json()
    assert body["comment"] is None and body["sentiment"]["score"] is None
