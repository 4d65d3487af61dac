"""The theme report against a small province counted by hand: messages imported at fixed
times in February and March 2026 (so the periods are known), placed by the keyword rules."""

import csv
import io
import re
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook

from service import store
from service.access import accounts
from service.extensions import db
from tests.support import PASSWORD, make_account, message_body, sign_in

ROWS = [
    ("1", "小区停车难", "南昌市红谷滩区小区没有停车位，车辆乱停", "2026/3/2 10:00:00"),
    ("2", "路灯坏了", "南昌市青山湖区路灯不亮", "2026/3/5 09:00:00"),
    ("3", "停车收费太贵", "南昌市东湖区停车场收费太乱", "2026/3/31 23:30:00"),
    ("4", "幼儿园入园难", "赣州市章贡区普惠园太少，幼儿园排不上", "2026/3/10 08:00:00"),
    ("5", "请问", "赣州市章贡区，请问怎么办", "2026/3/11 08:00:00"),
    ("6", "车位不够", "南昌市西湖区小区车位不够", "2026/2/27 12:00:00"),
    ("7", "下月的停车", "南昌市红谷滩区停车位太少", "2026/4/1 00:00:00"),  # Shanghai: April
]


@pytest.fixture
def province(runner, tmp_path):
    path = tmp_path / "history.csv"
    lines = ["留言编号,留言主题,留言详情,留言时间"] + [",".join(row) for row in ROWS]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    result = runner.invoke(args=["import", "messages", "--input", str(path), "--workers", "1"])
    assert result.exit_code == 0 and '"imported": 7' in result.output, result.output


PATH = "/api/v1/reports/themes"


def report(client, **query):
    answer = client.get(
        "/api/v1/reports/themes", query_string={"period": "month", "date": "2026-03-15", **query}
    )
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def rows(body):
    return {row["code"]: row for row in body["themes"]}


def test_the_provinces_month_is_the_hand_counted_one(client_as, province):
    body = report(client_as("analyst"))
    assert (body["messages"], body["previous"]) == (5, 1)  # March; February had one
    themes = rows(body)
    assert set(themes) == {"transport", "construction", "education", None}
    parking = themes["transport"]
    assert (parking["messages"], parking["share"], parking["previous"], parking["change"]) == (
        2, 0.4, 1, 1)  # fmt: skip
    assert themes[None]["name"] == "未分类" and themes[None]["messages"] == 1
    assert body["themes"][0]["code"] == "transport"  # most first
    assert body["period"] == {"kind": "month", "first_day": "2026-03-01", "last_day": "2026-03-31"}


def test_each_city_gets_its_own_themes(client_as, province):
    by_city = {r["region_code"]: r for r in report(client_as("analyst"))["by_region"]}
    nanchang = {t["code"]: t["messages"] for t in by_city["360100"]["themes"]}
    assert by_city["360100"]["messages"] == 3 and nanchang == {"transport": 2, "construction": 1}
    ganzhou = {t["code"]: t["share"] for t in by_city["360700"]["themes"]}
    assert ganzhou == {"education": 0.5, None: 0.5}
    assert by_city["360400"]["messages"] == 0 and by_city["360400"]["themes"] == []


def test_a_theme_drills_down_to_the_next_level(client_as, province):
    body = report(client_as("analyst"), theme="transport")
    assert [(t["code"], t["messages"], t["previous"]) for t in body["themes"]] == [
        ("transport.parking", 2, 1)
    ]
    assert body["messages"] == 5  # shares stay of all the region's messages
    unknown = client_as("analyst").get("/api/v1/reports/themes?theme=nope")
    assert unknown.status_code == 422 and "theme" in unknown.get_json()["errors"]["query"]


def test_negative_share_is_of_the_themes_own_messages(client_as, province):
    analyst = client_as("analyst")
    messages = analyst.get("/api/v1/messages?page_size=100").get_json()
    march = [
        m
        for m in messages
        if m["created_at"] < "2026-03-31T16" and m["created_at"] >= "2026-02-28T16"
    ]
    parking = [m for m in march if (m["theme"]["code"] or "").startswith("transport")]
    negative = sum(m["sentiment"]["label"] == "negative" for m in parking)
    assert rows(report(analyst))["transport"]["negative_share"] == negative / len(parking)


def test_a_city_official_sees_the_city_and_its_counties_only(client_as, province):
    official = client_as("official", region_code="360700")
    body = report(official)
    assert body["region_code"] == "360700" and body["messages"] == 2
    assert {r["region_code"] for r in body["by_region"]} >= {"360702"}
    denied = official.get("/api/v1/reports/themes?region=360100")
    assert denied.status_code == 404


def test_a_correction_moves_the_counts_and_a_recount_from_scratch_changes_nothing(
    app, client_as, province
):
    analyst = client_as("analyst")
    assert rows(report(analyst))[None]["messages"] == 1  # the facts are built
    messages = analyst.get("/api/v1/messages?page_size=100").get_json()
    question = next(m for m in messages if m["title"] == "请问")
    official = client_as("official", region_code="360700")
    path = f"/api/v1/messages/{question['id']}/theme"
    assert official.put(path, json={"theme_code": "education.places"}).status_code == 200
    body = report(analyst)
    assert None not in rows(body) and rows(body)["education"]["messages"] == 2
    with app.app_context():
        for day in range(1, 32):
            store.facts.mark_dirty(store.facts.MESSAGES, date(2026, 3, day))
        db.session.commit()
    assert report(analyst) == body


def test_facts_rebuilt_from_scratch_equal_the_ones_kept_as_messages_came(
    app, runner, client_as, province
):
    analyst = client_as("analyst")
    kept = report(analyst), analyst.get("/api/v1/kpis?period=month&date=2026-03-15").get_json()
    from service.models import MessageFacts, ThemeFacts

    with app.app_context():
        ThemeFacts.query.delete()
        MessageFacts.query.delete()
        db.session.commit()
    result = runner.invoke(args=["facts", "rebuild", "--from", "2026-02-01", "--to", "2026-04-30"])
    assert result.exit_code == 0 and "recounted 89 days" in result.output
    rebuilt = report(analyst), analyst.get("/api/v1/kpis?period=month&date=2026-03-15").get_json()
    assert rebuilt == kept
    backwards = runner.invoke(
        args=["facts", "rebuild", "--from", "2026-03-02", "--to", "2026-03-01"]
    )
    assert backwards.exit_code == 2


def test_the_xlsx_holds_the_same_report_cell_by_cell(client_as, province):
    from io import BytesIO

    from openpyxl import load_workbook

    analyst = client_as("analyst")
    body = report(analyst)
    answer = analyst.get("/api/v1/reports/themes?period=month&date=2026-03-15&format=xlsx")
    assert answer.status_code == 200 and "spreadsheetml" in answer.content_type
    assert 'filename="themes-360000-month-2026-03-01.xlsx"' in answer.headers["Content-Disposition"]
    book = load_workbook(BytesIO(answer.data))
    assert book.sheetnames == ["说明", "主题", "分地区", "热点问题"]
    cover = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row}
    assert cover["地区"] == "江西省（360000）" and cover["本期留言数"] == 5
    assert cover["时段"].startswith("2026-03-01 至 2026-03-31")
    themes = book["主题"]
    assert themes.freeze_panes == "A2"
    assert [c.value for c in themes[1]] == [
        "地区代码", "地区", "主题代码", "主题", "留言数", "占比", "上期留言数", "变化", "负面占比",
        "关键词",
    ]  # fmt: skip
    fields = ("code", "name", "messages", "share", "previous", "change")
    cells = themes.iter_rows(min_row=2, values_only=True)
    for row, expected in zip(cells, body["themes"], strict=True):
        assert row[2:8] == tuple(expected[name] for name in fields)
    assert themes["F2"].number_format == "0.0%"
    regions = list(book["分地区"].iter_rows(min_row=2, values_only=True))
    assert ("360100", "南昌市", 3, "transport", "交通运输", 2, 2 / 3) in regions


def test_the_csv_is_one_table_excel_reads_as_utf8(client_as, province):
    answer = client_as("analyst").get("/api/v1/reports/themes?date=2026-03-15&format=csv")
    text = answer.data.decode("utf-8")
    assert answer.status_code == 200 and text.startswith("\ufeff地区代码,地区,主题代码")
    lines = text.splitlines()
    assert "360000,江西省,transport,交通运输,2,0.4,1,1," in lines[1]
    assert any(line.startswith("360700,赣州市,,未分类,1,0.5,") for line in lines)


def test_the_report_command_writes_the_file_for_scheduled_runs(runner, province, tmp_path):
    output = tmp_path / "report.xlsx"
    args = ["report", "--region", "360100", "--period", "month", "--date", "2026-03",
            "--format", "xlsx", "--output", str(output)]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0 and "3 messages" in result.output
    assert output.read_bytes()[:2] == b"PK"  # a zip: an xlsx
    bad = runner.invoke(args=[*args[:6], "2026-13", *args[7:]])
    assert bad.exit_code == 2 and "--date" in bad.output


FORMULA_TITLE = '=HYPERLINK("http://evil.example","点击查看")九江市濂溪区翠湖花园停车难'


def post_issue(api, title: str, content: str, citizens: int = 3) -> list[int]:
    return [
        api.post(
            "/api/v1/messages", json=message_body(title=title, content=f"{content}{n}")
        ).get_json()["id"]
        for n in range(citizens)
    ]


def signed_in_analyst(client):
    account, _ = make_account("analyst")
    accounts.set_password(account, PASSWORD)
    assert sign_in(client, account.name).status_code == 302
    return client


def test_a_title_typed_as_a_formula_is_text_in_the_reports_and_the_dashboards_workbooks(
    api, client_as, client
):
    post_issue(api, FORMULA_TITLE, "九江市濂溪区翠湖花园小区停车位太少，车子没地方停")
    answer = client_as("analyst").get("/api/v1/reports/themes?format=xlsx")
    issues = load_workbook(BytesIO(answer.data))["热点问题"]
    assert (issues["B2"].value, issues["B2"].data_type) == (FORMULA_TITLE, "s")
    dashboard = signed_in_analyst(client).get("/dashboard/messages?region=360402&format=xlsx")
    listed = load_workbook(BytesIO(dashboard.data))["留言"]
    assert [c.value for c in listed[1]][5] == "标题"
    for cell in listed["F"][1:]:
        assert (cell.value, cell.data_type) == (FORMULA_TITLE, "s")
    assert len(listed["F"]) == 4


def test_a_theme_named_like_a_formula_opens_as_text_in_excel_from_the_csv_and_xlsx(
    client_as, province
):
    name = '=HYPERLINK("http://evil.example","交通")'
    admin = client_as("admin")
    assert admin.patch("/api/v1/themes/transport", json={"name": name}).status_code == 200
    analyst = client_as("analyst")
    text = analyst.get("/api/v1/reports/themes?date=2026-03-15&format=csv").get_data(as_text=True)
    table = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    transport = next(row for row in table if row[2] == "transport")
    assert transport[3] == "'" + name and transport[4:6] == ["2", "0.4"]
    book = load_workbook(BytesIO(analyst.get(f"{PATH}?date=2026-03-15&format=xlsx").data))
    cell = next(row[3] for row in book["主题"].iter_rows(min_row=2) if row[2].value == "transport")
    assert (cell.value, cell.data_type) == (name, "s")


def test_the_xlsx_cover_names_the_period_and_theme_in_chinese(client_as, province):
    analyst = client_as("analyst")
    for period, shown in (("week", "（周）"), ("month", "（月）"), ("quarter", "（季度）"),
                          ("year", "（年）")):  # fmt: skip
        query = f"?period={period}&date=2026-03-15&theme=transport&format=xlsx"
        cover = load_workbook(BytesIO(analyst.get(PATH + query).data))["说明"]
        about = {row[0]: row[1] for row in cover.iter_rows(values_only=True) if row[0]}
        assert about["时段"].endswith(shown) and about["主题"] == "交通运输（transport）"
        assert about["生成时间"].endswith("（北京时间）")
        assert not re.search("[A-Za-z]", about["时段"] + about["生成时间"])


def test_a_drill_into_a_theme_lists_the_hot_issues_about_that_theme(api, client_as):
    water = post_issue(api, "翠湖苑又停水了", "南昌市红谷滩区翠湖苑停水三天，自来水一直没来", 4)
    parking = post_issue(api, "滨江花园停车难", "南昌市东湖区滨江花园停车位太少，到处乱停车")
    analyst = client_as("analyst")
    overall = analyst.get(PATH).get_json()["hot_issues"]
    assert [i["message_ids"] for i in overall] == [water, parking]
    drilled = analyst.get(f"{PATH}?theme=transport").get_json()["hot_issues"]
    assert [(i["rank"], i["message_ids"]) for i in drilled] == [(1, parking)]
    assert analyst.get(f"{PATH}?theme=education").get_json()["hot_issues"] == []


def test_a_drill_into_a_leaf_shows_the_leaf_alone_and_the_dashboard_offers_no_drill_on_it(
    client_as, client, province
):
    body = report(client_as("analyst"), theme="transport.parking")
    assert [(t["code"], t["name"], t["messages"], t["sub_themes"]) for t in body["themes"]] == [
        ("transport.parking", "停车", 2, False)
    ]
    first_level = report(client_as("analyst"))["themes"]
    assert {t["code"]: t["sub_themes"] for t in first_level}["transport"] is True
    dashboard = signed_in_analyst(client)
    asked = "/dashboard/themes?period=month&date=2026-03-15"
    first_level = dashboard.get(asked).get_data(as_text=True)
    assert "theme=transport&amp;" in first_level or 'theme=transport"' in first_level
    transport = dashboard.get(asked + "&theme=transport").get_data(as_text=True)
    assert "停车：2 条" in transport and "下一级" not in transport
    leaf = dashboard.get(asked + "&theme=transport.parking").get_data(as_text=True)
    assert "停车：2 条" in leaf and "未细分" not in leaf


def place_in_a_new_theme_elsewhere(title: str) -> None:
    """Another process (a gunicorn worker) adds 学生餐 under 教育文体 and places the message
    titled ``title`` in it; this process keeps the taxonomy it read before."""
    from sqlalchemy import select

    from service.models import Message, Theme

    store.taxonomy.fetch_taxonomy(), store.taxonomy.fetch_taxonomy(with_retired=True)
    db.session.add(
        Theme(code="education.meals", name="学生餐", parent_code="education", keywords="[]")
    )
    db.session.commit()
    message = db.session.scalars(select(Message).where(Message.title == title)).one()
    store.themes.correct_theme(message, "education.meals", [])


def test_a_theme_another_process_just_added_is_counted_under_its_first_level_theme(
    client_as, province
):
    analyst = client_as("analyst")
    assert rows(report(analyst))[None]["messages"] == 1  # the facts are built
    place_in_a_new_theme_elsewhere("请问")
    body = report(analyst)
    assert None not in rows(body) and rows(body)["education"]["messages"] == 2
    for region in ("360000", "360700"):  # the province's facts and a city's
        drilled = report(analyst, region=region, theme="education")
        assert {t["code"]: t["messages"] for t in drilled["themes"]} == {
            "education.childcare": 1, "education.meals": 1}  # fmt: skip
        assert rows(drilled)["education.meals"]["name"] == "学生餐"


def test_facts_rebuilt_from_scratch_equal_those_a_lagging_process_recounted(
    app, runner, client_as, province
):
    from service.models import CityThemeFacts, ThemeFacts

    analyst = client_as("analyst")
    report(analyst)
    place_in_a_new_theme_elsewhere("请问")
    asked = [{"region": r, "theme": t} for r in ("360000", "360700") for t in (None, "education")]
    kept = [report(analyst, **query) for query in asked]
    store.taxonomy.forget_taxonomy()  # as a process started afresh
    ThemeFacts.query.delete()
    CityThemeFacts.query.delete()
    db.session.commit()
    result = runner.invoke(args=["facts", "rebuild", "--from", "2026-02-01", "--to", "2026-04-30"])
    assert result.exit_code == 0, result.output
    assert [report(analyst, **query) for query in asked] == kept


def test_a_process_behind_on_the_taxonomy_reports_a_new_theme_under_its_first_level(
    app, client_as, province
):
    analyst = client_as("analyst")
    report(analyst)
    store.taxonomy.fetch_taxonomy(with_retired=True)
    read_before = app.extensions["minsheng.themes.all"]  # what another worker keeps
    place_in_a_new_theme_elsewhere("请问")
    asked = [{"region": "360700"}, {"region": "360700", "theme": "education"}]
    recounted = [report(analyst, **query) for query in asked]
    assert None not in rows(recounted[0]) and "education.meals" in rows(recounted[1])
    app.extensions["minsheng.themes.all"] = read_before
    assert [report(analyst, **query) for query in asked] == recounted
