"""Hot issues and spike alerts as officials meet them: a hot issue of one compound found from
its citizens' messages and shown masked to the region's officials only; a day's spike of a
theme raising one alert, listed by that region's officials. (Repeats are in
tests/service/intake/test_repeats.py.)"""

import io
import json
from datetime import date, timedelta

import openpyxl
import pytest
import time_machine

from service.access import accounts
from tests.support import (
    PASSWORD,
    make_account,
    message_body,
    post_compound,
    require_service,
    sign_in,
)


def test_a_hot_issue_is_found_and_shown_masked_to_the_officials_of_its_region(api, client_as):
    ids = post_compound(api)
    api.post("/api/v1/messages", json=message_body(title="咨询社保卡补办", content="在哪里办？"))
    issues = client_as("official", region_code="360100").get("/api/v1/hot-issues").get_json()
    (issue,) = issues
    assert issue["message_ids"] == ids and issue["citizens"] == 3
    assert issue["place"].startswith("翠湖苑") and issue["region_code"].startswith("3601")
    assert "13907911234" not in json.dumps(issues, ensure_ascii=False)
    elsewhere = client_as("official", region_code="360700").get("/api/v1/hot-issues")
    assert elsewhere.get_json() == []


def test_a_span_that_ends_before_it_starts_is_refused_naming_the_field(client_as):
    response = client_as("analyst").get("/api/v1/hot-issues?from=2026-03-10&to=2026-03-01")
    assert response.status_code == 422
    assert "from" in response.get_json()["errors"]["query"]


def test_the_theme_report_and_its_files_carry_keywords_hot_issues_and_no_personal_data(
    api, client_as
):
    post_compound(api)
    analyst = client_as("analyst")
    report = analyst.get("/api/v1/reports/themes").get_json()
    assert report["hot_issues"][0]["citizens"] == 3
    assert any("垃圾" in row["keywords"] for row in report["themes"])
    text = json.dumps(report, ensure_ascii=False)
    csv = analyst.get("/api/v1/reports/themes?format=csv").get_data(as_text=True)
    workbook = openpyxl.load_workbook(
        io.BytesIO(analyst.get("/api/v1/reports/themes?format=xlsx").get_data())
    )
    cells = " ".join(
        str(value) for sheet in workbook for row in sheet.iter_rows(values_only=True)
        for value in row if value is not None
    )  # fmt: skip
    assert "翠湖苑" in cells and "垃圾" in csv  # the hot issue, a keyword
    for shown in (text, csv, cells):
        assert "13907911234" not in shown and "1390791" not in shown


def import_rows(runner, tmp_path, rows: list[tuple]) -> None:
    path = tmp_path / "spike.csv"
    lines = ["留言编号,留言用户,留言主题,留言时间,留言详情"]
    lines += [",".join(map(str, row)) for row in rows]
    path.write_text("\n".join(lines), "utf-8")
    result = runner.invoke(args=["import", "messages", "--input", str(path)])
    assert result.exit_code == 0, result.output


def test_a_days_spike_of_a_theme_raises_one_alert_for_its_regions_officials(
    runner, tmp_path, client_as
):
    day = date(2026, 3, 20)
    quiet = [
        (f"q{n}", f"u{n}", "公交线路咨询", f"{day - timedelta(days=2 + n)} 10:00:00",
         "南昌市东湖区公交线路什么时候调整")
        for n in range(3)
    ]  # fmt: skip
    spike = [
        (f"s{n}", f"v{n}", f"停车难问题{n}", f"{day} {9 + n}:00:00",
         f"南昌市东湖区停车位不够，车子停在路边被贴罚单，第{n}次")
        for n in range(8)
    ]  # fmt: skip
    import_rows(runner, tmp_path, quiet + spike)
    scanned = runner.invoke(args=["alerts", "scan", "--date", str(day)])
    assert scanned.exit_code == 0, scanned.output
    assert runner.invoke(args=["alerts", "scan", "--date", str(day)]).output.endswith(
        ": 0 new alerts\n"
    )  # a scan run twice raises nothing twice
    asked = f"/api/v1/alerts?from={day}&to={day}&kind=theme"
    alerts = client_as("official", region_code="360100").get(asked).get_json()
    transport = [a for a in alerts if a["subject"] == "transport" and a["region_code"] == "360100"]
    (alert,) = transport
    # the three quiet days of 公交 questions are the same first-level theme: 3 in 28 days
    assert alert["count"] == 8 and alert["baseline_mean"] == round(3 / 28, 3)
    assert alert["threshold"] == 5  # SPIKE_MIN_COUNT: above mean + 3 × max(sd, √mean, 1)
    assert client_as("official", region_code="360700").get(asked).get_json() == []


def test_a_cached_report_is_served_until_a_day_behind_it_is_recounted(app, api, client_as):
    redis_url = require_service("REDIS_URL", app.config.get("REDIS_URL"))
    import redis

    keys = redis.Redis.from_url(redis_url)
    for key in keys.scan_iter("minsheng:report:*"):
        keys.delete(key)
    analyst = client_as("analyst")
    api.post("/api/v1/messages", json=message_body())
    first = analyst.get("/api/v1/reports/themes").get_json()
    stored = list(keys.scan_iter("minsheng:report:*"))
    assert stored and analyst.get("/api/v1/reports/themes").get_json() == first
    api.post("/api/v1/messages", json=message_body(title="孩子入学", content="学位紧张"))
    assert analyst.get("/api/v1/reports/themes").get_json()["messages"] == first["messages"] + 1


def test_a_span_with_more_messages_than_a_search_reads_is_refused_and_left_out_of_reports(
    app, api, client_as
):
    post_compound(api)
    app.config["HOT_ISSUE_MAX_MESSAGES"] = 2
    analyst = client_as("analyst")
    refused = analyst.get("/api/v1/hot-issues")
    assert (
        refused.status_code == 422
        and "3 messages" in refused.get_json()["errors"]["query"]["from"][0]
    )
    report = analyst.get("/api/v1/reports/themes").get_json()
    assert report["hot_issues"] is None and report["messages"] == 3


@pytest.mark.parametrize(
    "path",
    ["/api/v1/hot-issues?to=9999-12-31", "/api/v1/alerts?from=0001-01-01",
     "/api/v1/reports/themes?date=9999-12-31", "/api/v1/kpis?date=1900-01-01",
     "/api/v1/hot-issues?from=2001-01-01"],  # the last: more than 366 days to today
)  # fmt: skip
def test_a_day_outside_the_calendar_reports_know_is_refused_naming_it(client_as, path):
    response = client_as("analyst").get(path)
    assert response.status_code == 422
    (field,) = response.get_json()["errors"]["query"]
    assert field in path


@pytest.mark.parametrize(
    "role, path",
    [("analyst", "/api/v1/kpis?now=0001-01-01T00:00:00Z"),
     ("analyst", "/api/v1/kpis?now=9999-12-31T23:59:59Z"),
     ("analyst", "/api/v1/kpis?now=2099-12-31T16:00:00Z"),  # 2100 in Shanghai
     ("official", "/api/v1/supervision?kind=due_soon&within_hours=720&now=9999-12-31T00:00:00Z"),
     ("official", "/api/v1/rectifications?overdue=true&now=0001-01-01T00:00:00%2B14:00"),
     ("admin", "/api/v1/audit-events?since=0001-01-01T00:00:00Z"),
     ("admin", "/api/v1/audit-events?until=9999-12-31T23:59:59-14:00")],
)  # fmt: skip
def test_a_time_outside_the_calendar_reports_know_is_refused_naming_it(client_as, role, path):
    scope = {"region_code": "360000"} if role == "official" else {}
    response = client_as(role, **scope).get(path)
    assert response.status_code == 422
    (field,) = response.get_json()["errors"]["query"]
    assert field in path and "2000 to 2099" in response.get_json()["errors"]["query"][field][0]


def test_an_accounts_expiry_past_the_calendar_is_refused_naming_it(client_as):
    body = {"name": "ganfutong", "role": "app", "expires_at": "9999-12-31T23:59:59-14:00"}
    response = client_as("admin").post("/api/v1/accounts", json=body)
    assert response.status_code == 422
    assert list(response.get_json()["errors"]["json"]) == ["expires_at"]


def test_the_csv_says_its_charset_once(api, client_as):
    api.post("/api/v1/messages", json=message_body())
    answer = client_as("analyst").get("/api/v1/reports/themes?format=csv")
    assert answer.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_a_hot_issues_alert_names_its_place_once(runner, tmp_path, client_as):
    day = date(2026, 3, 20)
    spike = [
        (f"w{n}", f"worker{n}", "龙华家具有限公司拖欠加班费", f"{day} {9 + n}:00:00",
         f"南昌市青山湖区龙华家具有限公司拖欠我们三个月加班费，老板不给，第{n}个工人")
        for n in range(6)
    ]  # fmt: skip
    import_rows(runner, tmp_path, spike)
    assert runner.invoke(args=["alerts", "scan", "--date", str(day)]).exit_code == 0
    asked = f"/api/v1/alerts?from={day}&to={day}&kind=hot_issue"
    (alert,) = client_as("analyst").get(asked).get_json()
    assert alert["subject_name"] == "龙华家具有限公司拖欠加班费"


def test_the_alert_rule_officials_read_states_the_values_in_force(app):
    from service.reporting import alerts

    app.config.update(SPIKE_MIN_COUNT=7, SPIKE_SIGMAS=2.5, SPIKE_BASELINE_DAYS=14)
    with app.app_context():
        rule = alerts.rule()
    assert "SPIKE" not in rule
    assert "n ≥ 7" in rule and "m + 2.5 × max(s, √m, 1)" in rule and "此前 14 天" in rule


def test_a_spike_of_a_theme_another_process_just_added_is_named_in_its_alert(
    app, runner, tmp_path, client_as
):
    from service import store
    from service.extensions import db
    from service.models import Message, Theme
    from service.reporting.figures import refresh_facts

    day = date(2026, 3, 20)
    import_rows(runner, tmp_path, [
        (f"s{n}", f"v{n}", f"路边摊占道{n}", f"{day} {9 + n}:00:00", "南昌市东湖区路边摊占道经营")
        for n in range(8)
    ])  # fmt: skip
    store.taxonomy.fetch_taxonomy(with_retired=True)
    read_before = app.extensions["minsheng.themes.all"]  # what a worker scanning keeps
    db.session.add(Theme(code="order", name="市容秩序", parent_code=None, keywords="[]"))
    db.session.commit()
    for message in db.session.scalars(db.select(Message)):
        store.themes.correct_theme(message, "order", [])
    refresh_facts()  # by the process that added it
    app.extensions["minsheng.themes.all"] = read_before
    assert runner.invoke(args=["alerts", "scan", "--date", str(day)]).exit_code == 0
    asked = f"/api/v1/alerts?from={day}&to={day}&kind=theme"
    alerts = client_as("official", region_code="360100").get(asked).get_json()
    assert {a["subject_name"] for a in alerts if a["subject"] == "order"} == {"市容秩序"}


@pytest.mark.parametrize(
    ("title", "content"),
    [("?", "1"), ("！？。", "……"), ("😀🙏", "👍"), ("110", "12345"), ("? ?", "1 2 3")],
)
def test_a_message_without_words_leaves_every_report_of_its_city_and_the_province_whole(
    api, client_as, client, runner, tmp_path, title, content
):
    """A text with nothing to compare (no character n-grams) takes part in no grouping: hot
    issues, the theme report in each format, the dashboard's hot-issue and theme pages and
    their files, and the report command answer for its city and the province."""
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        body = message_body(title=title, content=content, region_code="360102")
        assert api.post("/api/v1/messages", json=body).status_code == 201
        analyst = client_as("analyst")
        account, _ = make_account("analyst")
        accounts.set_password(account, PASSWORD)
        assert sign_in(client, account.name).status_code == 302
        for region in ("360100", "360000"):
            hot = analyst.get(f"/api/v1/hot-issues?region={region}&from=2026-03-01&to=2026-03-10")
            assert (hot.status_code, hot.get_json()) == (200, [])
            for fmt in ("json", "csv", "xlsx"):
                path = f"/api/v1/reports/themes?region={region}&date=2026-03-10&format={fmt}"
                assert analyst.get(path).status_code == 200, (region, fmt)
            for page in ("hot-issues", "themes"):
                for fmt in ("html", "xlsx"):
                    path = f"/dashboard/{page}?region={region}&date=2026-03-10&format={fmt}"
                    assert client.get(path).status_code == 200, (region, page, fmt)
            output = tmp_path / f"{region}.xlsx"
            args = ["report", "--region", region, "--date", "2026-03", "--output", str(output)]
            result = runner.invoke(args=args)
            assert result.exit_code == 0 and "1 messages" in result.output, result.output
