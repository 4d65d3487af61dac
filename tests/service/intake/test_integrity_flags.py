"""Ratings whose stars contradict their comments, and bursts, are flagged for review; a flag
never changes the rating."""

import pytest

from service.extensions import db
from service.models import Rating, RatingFlag
from tests.support import rating_body


def flags_of(rating: dict) -> list[str]:
    return [f.kind for f in RatingFlag.query.filter_by(rating_id=rating["id"])]


@pytest.mark.parametrize(
    ("stars", "comment", "flagged"),
    [
        (5, "太差了，等了三个小时没人理，态度恶劣", True),
        (1, "非常感谢工作人员的耐心解答", True),
        (1, "排队三小时，太差了", False),
        (5, "办事效率高，非常满意", False),
        (5, None, False),
    ],
)
def test_stars_that_contradict_the_comment_are_flagged(api, stars, comment, flagged):
    rating = api.post("/api/v1/ratings", json=rating_body(stars=stars, comment=comment)).get_json()
    assert ("contradiction" in flags_of(rating)) is flagged


def test_a_burst_from_one_device_is_flagged_from_the_threshold_on(api, app):
    app.config["BURST_THRESHOLD"] = 3
    ratings = [
        api.post(
            "/api/v1/ratings", json=rating_body(stars=1, comment="差", device_id="dev-1")
        ).get_json()
        for _ in range(4)
    ]
    assert [("device_burst" in flags_of(r)) for r in ratings] == [False, False, True, True]
    other = api.post("/api/v1/ratings", json=rating_body(device_id="dev-2")).get_json()
    assert "device_burst" not in flags_of(other)


def test_a_burst_from_one_citizen_is_flagged(api, app):
    app.config["BURST_THRESHOLD"] = 2
    for _ in range(2):
        rating = api.post("/api/v1/ratings", json=rating_body(citizen_ref="u-1")).get_json()
    assert "citizen_burst" in flags_of(rating)


def test_reviewing_a_flag_never_changes_the_rating(api, client_as):
    rating = api.post(
        "/api/v1/ratings", json=rating_body(stars=1, comment="非常感谢，服务很好")
    ).get_json()
    official = client_as("official", region_code="360100")
    (flag,) = official.get("/api/v1/flags?status=open").get_json()
    assert flag["kind"] == "contradiction" and flag["rating_id"] == rating["id"]
    reviewed = official.post(
        f"/api/v1/flags/{flag['id']}/review", json={"outcome": "confirmed", "note": "误选星级"}
    )
    assert reviewed.get_json()["status"] == "confirmed"
    stored = db.session.get(Rating, rating["id"])
    assert (stored.stars, stored.valid) == (1, True)
    again = official.post(
        f"/api/v1/flags/{flag['id']}/review", json={"outcome": "dismissed", "note": "x"}
    )
    assert again.status_code == 409


def test_who_rated_is_never_shown(api, client_as):
    api.post(
        "/api/v1/ratings",
        json=rating_body(stars=1, comment="感谢", device_id="dev-secret", citizen_ref="u-secret"),
    )
    for role, scope in (("official", {"region_code": "360100"}), ("analyst", {})):
        body = client_as(role, **scope).get("/api/v1/flags").get_data(as_text=True)
        assert "dev-secret" not in body and "u-secret" not in body
