"""Each figure against a small province computed by hand."""

import os
from datetime import date

import pytest
import time_machine
from sqlalchemy import insert, text

from service import store
from service.extensions import db
from service.models import DirtyMark
from service.platform import redis_client
from service.reporting import figures
from service.reporting.figures import RECOUNT_CLAIM
from tests.support import rating_body, require_service

BAD = "太差了，等了三个小时"


@pytest.fixture
def province(api, client_as):
    """南昌: 5 4 3 2 1 stars at the city's 公安局, 5 stars in 红谷滩区; 赣州: 1 and 5 stars.
    One 南昌 差评 is rectified; the 赣州 差评 is taken out by an upheld appeal."""

    def rate(stars, item="360100-GAJ-001", **fields):
        comment = BAD if stars <= 2 else "工作人员很耐心，办理速度快"
        body = rating_body(stars=stars, comment=comment, service_item_code=item, **fields)
        return api.post("/api/v1/ratings", json=body).get_json()

    nanchang = [rate(s) for s in (5, 4, 3, 2, 1)] + [rate(5, region_code="360113")]
    ganzhou_bad, _ = rate(1, "360700-RSJ-001"), rate(5, "360700-RSJ-001")
    handler = client_as("handler", department_code="360100-GAJ")
    case = f"/api/v1/rectifications/{nanchang[3]['rectification_id']}"
    for step in ("verify", "rectify", "report"):
        assert handler.post(f"{case}/{step}", json={"note": "已处理"}).status_code == 200
    gz_handler = client_as("handler", department_code="360700-RSJ")
    appeal = gz_handler.post(
        "/api/v1/appeals",
        json={"rating_id": ganzhou_bad["id"], "reason": "malicious", "note": "刷单"},
    ).get_json()
    client_as("official", region_code="360700").post(
        f"/api/v1/appeals/{appeal['id']}/decision", json={"upheld": True, "note": "属实"}
    )
    return nanchang


def figure(report, name):
    found = report["figures"][name]
    return found["numerator"], found["denominator"]


def test_the_provinces_figures_are_the_hand_counted_ones(client_as, province):
    report = client_as("analyst").get("/api/v1/kpis?period=month").get_json()
    assert report["region_code"] == "360000" and report["figures"]["ratings"] == 7
    assert figure(report, "satisfaction_rate") == (5, 7)
    assert figure(report, "strict_satisfaction_rate") == (4, 7)
    assert figure(report, "bad_rating_rate") == (2, 7)
    assert figure(report, "rectification_rate") == (1, 2)
    assert figure(report, "on_time_rectification_rate") == (1, 2)
    assert figure(report, "follow_up_rate") == (1, 2)
    assert figure(report, "negative_sentiment_share") == (2, 7)
    satisfaction = report["figures"]["satisfaction_rate"]
    assert satisfaction["value"] == pytest.approx(5 / 7)
    low, high = satisfaction["interval"]
    assert low < 5 / 7 < high
    assert satisfaction["previous"] is None and satisfaction["change"] is None


def test_cities_are_ranked_best_first_and_regions_without_ratings_last(client_as, province):
    ranking = client_as("analyst").get("/api/v1/kpis").get_json()["by_region"]
    assert [r["region_code"] for r in ranking[:2]] == ["360700", "360100"]
    assert ranking[0]["figures"]["satisfaction_rate"]["value"] == 1.0
    assert ranking[1]["figures"]["ratings"] == 6
    assert all(r["figures"]["satisfaction_rate"]["value"] is None for r in ranking[2:])
    assert len(ranking) == 11


def test_a_city_rolls_up_its_counties_and_breaks_down_by_department(client_as, province):
    report = client_as("official", region_code="360100").get("/api/v1/kpis").get_json()
    assert report["figures"]["ratings"] == 6 and figure(report, "satisfaction_rate") == (4, 6)
    county = next(r for r in report["by_region"] if r["region_code"] == "360113")
    assert county["figures"]["ratings"] == 1
    (department,) = report["by_department"]
    assert department["department_code"] == "360100-GAJ"


def test_filters_narrow_the_figures(client_as, province):
    analyst = client_as("analyst")
    assert analyst.get("/api/v1/kpis?channel=hall").get_json()["figures"]["ratings"] == 0
    by_item = analyst.get("/api/v1/kpis?service_item=360700-RSJ-001").get_json()
    assert by_item["figures"]["ratings"] == 1


def test_a_period_without_ratings_has_no_figures_not_zeros(client_as, province):
    report = client_as("analyst").get("/api/v1/kpis?period=year&date=2020-06-01").get_json()
    assert report["figures"]["satisfaction_rate"]["value"] is None
    assert report["period"] == {"kind": "year", "first_day": "2020-01-01", "last_day": "2020-12-31"}


def test_figures_are_scoped_to_the_callers_region(client_as, province):
    official = client_as("official", region_code="360700")
    assert official.get("/api/v1/kpis?region=360100").status_code == 404
    assert official.get("/api/v1/kpis").get_json()["region_code"] == "360700"
    assert client_as("analyst").get("/api/v1/kpis?region=999999").status_code == 422


def test_a_day_no_report_is_about_is_never_marked_so_the_reads_that_recount_keep_working(
    client_as,
):
    store.facts.mark_for_recount([date(1, 1, 1), date(2026, 3, 1), date(9999, 12, 31)])
    assert store.facts.dirty_days(store.facts.MESSAGES) == [date(2026, 3, 1)]
    analyst = client_as("analyst")
    for path in ("/api/v1/kpis", "/api/v1/reports/themes", "/api/v1/hot-issues"):
        assert analyst.get(path).status_code == 200


def test_with_a_facts_max_age_reads_recount_at_most_that_often(app, api, client_as):
    """FACTS_MAX_AGE_SECONDS: under a stream of writes, one read recounts for every process in
    that many seconds, and the others see the facts as they stand."""
    url = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    app.config.update(REDIS_URL=url, FACTS_MAX_AGE_SECONDS=60)
    redis_client.client(url).delete(RECOUNT_CLAIM)
    analyst = client_as("analyst")
    api.post("/api/v1/ratings", json=rating_body(stars=5))
    assert analyst.get("/api/v1/kpis").get_json()["figures"]["ratings"] == 1
    api.post("/api/v1/ratings", json=rating_body(stars=1, comment=BAD))
    assert analyst.get("/api/v1/kpis").get_json()["figures"]["ratings"] == 1  # not yet
    redis_client.client(url).delete(RECOUNT_CLAIM)  # as when the 60 seconds are over
    assert analyst.get("/api/v1/kpis").get_json()["figures"]["ratings"] == 2


def test_in_queue_mode_the_workers_recount_the_facts_so_that_reads_need_not(app, api, client_as):
    url = require_service("REDIS_URL", os.environ.get("REDIS_URL"))
    app.config.update(REDIS_URL=url, FACTS_MAX_AGE_SECONDS=60)
    redis_client.client(url).delete(RECOUNT_CLAIM)
    analyst = client_as("analyst")
    api.post("/api/v1/ratings", json=rating_body(stars=5))
    figures.keep_facts_fresh()  # a worker's turn
    api.post("/api/v1/ratings", json=rating_body(stars=1, comment=BAD))
    assert analyst.get("/api/v1/kpis").get_json()["figures"]["ratings"] == 1  # as they stand
    assert redis_client.client(url).ttl(RECOUNT_CLAIM) > 60  # held for twice the age
    figures.keep_facts_fresh()
    assert analyst.get("/api/v1/kpis").get_json()["figures"]["ratings"] == 2


def test_each_child_region_and_department_comes_with_its_previous_value(api, client_as):
    def rate(stars):
        comment = BAD if stars <= 2 else "工作人员很耐心，办理速度快"
        api.post("/api/v1/ratings", json=rating_body(stars=stars, comment=comment))

    with time_machine.travel("2026-02-10 10:00 +0800", tick=False) as clock:
        rate(5), rate(1)
        clock.move_to("2026-03-10 10:00 +0800")
        rate(5)
        report = client_as("analyst").get("/api/v1/kpis?period=month").get_json()
    nanchang = next(r for r in report["by_region"] if r["region_code"] == "360100")
    police = next(d for d in report["by_department"] if d["department_code"] == "360100-GAJ")
    for row in (nanchang, police):
        satisfaction = row["figures"]["satisfaction_rate"]
        assert (satisfaction["value"], satisfaction["previous"]) == (1.0, 0.5)
        assert satisfaction["change"] == pytest.approx(0.5)
    ganzhou = next(r for r in report["by_region"] if r["region_code"] == "360700")
    assert ganzhou["figures"]["satisfaction_rate"]["previous"] is None  # no ratings before


def postgresql_only():
    if db.engine.dialect.name != "postgresql":
        pytest.skip("transactions running side by side need PostgreSQL")


def test_two_intakes_of_one_day_mark_it_without_waiting_on_each_other(app):
    """The mark of a day's recount is appended, not a shared row bumped: a second transaction
    marking the day while the first is still open goes straight through (before, it queued
    on the row's lock until the first committed)."""
    postgresql_only()
    day = date(2026, 3, 1)
    with db.engine.connect() as first, db.engine.connect() as second:
        first.begin()
        first.execute(insert(DirtyMark).values(kind=store.facts.MESSAGES, day=day))
        second.begin()
        second.execute(text("SET LOCAL lock_timeout = '2s'"))
        second.execute(insert(DirtyMark).values(kind=store.facts.MESSAGES, day=day))
        second.commit()
        first.commit()
    assert store.facts.dirty_days(store.facts.MESSAGES) == [day]


def test_a_write_committed_during_a_recount_keeps_its_mark_for_the_next(app):
    """The recount deletes the day's marks, then counts: a write that commits while it counts
    was not deleted, and the day is recounted again at the next drain."""
    postgresql_only()
    day = date(2026, 3, 1)
    store.facts.mark_dirty(store.facts.MESSAGES, day)
    db.session.commit()
    seen = []

    def recompute(counted: date) -> None:
        seen.append(counted)
        with db.engine.begin() as writer:  # another intake, committing meanwhile
            writer.execute(insert(DirtyMark).values(kind=store.facts.MESSAGES, day=counted))

    assert store.facts.drain(store.facts.MESSAGES, recompute) == 1
    assert seen == [day] and store.facts.dirty_days(store.facts.MESSAGES) == [day]
    assert store.facts.drain(store.facts.MESSAGES, lambda counted: None) == 1
    assert store.facts.dirty_days(store.facts.MESSAGES) == []
