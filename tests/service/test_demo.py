"""The demo data (``flask --app wsgi demo``) as a new user meets it: loaded through the
service's own steps, it shows in every report officials read (the figures with their previous
period, the theme report by city and county, hot issues, spike alerts, 督办, repeats); a
second load adds nothing; and its texts are placed and located as a citizen's would be."""

import random
from datetime import datetime, timedelta
from urllib.parse import quote

import pytest

from analytics.places import place_names
from analytics.workdays import SHANGHAI
from service import scoring, store
from service.demo import DemoOptions, load_demo
from service.demo.texts import Writer, load_texts
from service.intake import locate_in_text

#: Moments the demo is loaded at (Asia/Shanghai): the first half-hour of a week, whose days
#: so far hold half an hour; the middle of a week; the last minutes of a Sunday.
MOMENTS = [
    datetime(2026, 3, 2, 0, 30, tzinfo=SHANGHAI),
    datetime(2026, 3, 4, 15, 0, tzinfo=SHANGHAI),
    datetime(2026, 3, 8, 23, 50, tzinfo=SHANGHAI),
]


def load(app, runner, *options: str) -> str:
    app.config["SPIKE_BASELINE_DAYS"] = 7
    result = runner.invoke(args=["demo", *options])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("now", MOMENTS, ids=lambda now: now.strftime("%a-%H%M"))
def test_a_small_demo_shows_in_every_report_the_officials_read(app, client_as, now):
    app.config["SPIKE_BASELINE_DAYS"] = 7
    # twelve days: with a 7-day spike baseline, the last four are scanned for alerts
    options = DemoOptions(days=12, ratings=80, messages=60, history_months=1)
    output = "\n".join(load_demo(options, now=now).lines())
    assert "ratings" in output and "spike alerts raised" in output
    official = client_as("official", region_code="360000")
    today = now.astimezone(SHANGHAI).date()
    moment = quote(now.isoformat())

    def days_ago(days: int) -> str:
        return str(today - timedelta(days=days))

    kpis = f"/api/v1/kpis?period=week&date={days_ago(2)}&now={moment}"
    week = official.get(kpis).get_json()["figures"]
    assert week["satisfaction_rate"]["denominator"] > 0
    assert week["satisfaction_rate"]["value"] is not None
    assert week["satisfaction_rate"]["previous"] is not None
    assert week["messages"] > 0

    # the week of yesterday: on a Monday's first minutes, this week holds nothing yet
    themes = "/api/v1/reports/themes?period=week"
    province = official.get(f"{themes}&date={days_ago(1)}").get_json()
    assert province["themes"] and sum(1 for city in province["by_region"] if city["messages"]) >= 3
    ganzhou = official.get(f"{themes}&region=360700&date={days_ago(1)}").get_json()
    (nankang,) = [county for county in ganzhou["by_region"] if county["region_code"] == "360703"]
    assert nankang["messages"] >= 9  # the unpaid wages planted there yesterday

    issues = official.get(f"/api/v1/hot-issues?to={today}").get_json()
    places = {issue["place"]: issue for issue in issues}
    assert places["凤凰洲花园"]["citizens"] >= 5 and places["龙华家具有限公司"]["citizens"] >= 5

    alerts = official.get(f"/api/v1/alerts?to={today}").get_json()
    assert {(a["kind"], a["region_code"], a["day"]) for a in alerts} >= {
        ("theme", "360703", days_ago(1)),
        ("hot_issue", "360703", days_ago(1)),
    }

    assert official.get(f"/api/v1/supervision?kind=overdue&now={moment}").get_json()

    analyst = client_as("analyst")
    messages = analyst.get("/api/v1/messages?page_size=100").get_json()
    messages += analyst.get("/api/v1/messages?page_size=100&page=2").get_json()
    repeat = next(m for m in messages if m["repeat_of"] is not None)
    first = analyst.get(f"/api/v1/messages/{repeat['repeat_of']}").get_json()
    assert repeat["id"] in first["repeats"]


def test_loading_the_demo_again_says_so_and_adds_nothing(app, runner, client_as):
    tiny = ["--days", "3", "--ratings", "10", "--messages", "10", "--history-months", "0"]
    load(app, runner, *tiny)
    analyst = client_as("analyst")

    def totals() -> tuple[str, str]:
        return tuple(
            analyst.get(f"/api/v1/{kind}?page_size=1").headers["X-Pagination"]
            for kind in ("ratings", "messages")
        )

    before = totals()
    assert "loaded already" in load(app, runner, *tiny)
    assert totals() == before


def test_every_demo_problem_is_placed_in_its_theme_and_located_in_its_county(app):
    regions = store.reference.fetch_region_index()
    writer = Writer(regions, store.reference.fetch_catalog(), load_texts(), seed=1)
    scorer, rng = scoring.current(), random.Random(1)
    for problem in writer.texts["problems"]:
        for _ in range(15):
            county = writer.county(rng, writer.city(rng))
            body = writer.message(rng, problem, county).body
            _, theme = scorer.score(body["title"], body["content"])
            assert theme.code == problem["theme"], body
            if "region_code" not in body:
                assert locate_in_text(body["title"], body["content"])[0] == county.code, body
    named = {name for place in writer.all_places() for name in place_names(place)}
    assert not {name for name in named if regions.matcher.find(name)}


def test_the_summary_names_the_message_negative_share_apart_from_the_ratings_one():
    from service.demo import DemoSummary

    summary = DemoSummary(figures={"message_negative_sentiment_share": (0.794, 0.81)})
    assert "留言负面情绪占比 79.4% (previous 81.0%)" in "\n".join(summary.lines())
