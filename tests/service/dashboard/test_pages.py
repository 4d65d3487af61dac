"""The officials' dashboard as a signed-in official meets it, through the test client: pages
scoped like the API with the API's numbers, changes coloured by whether they are good,
masked text, and every page's tables as XLSX with a cover. (tests/browser/ draws the same
pages in Chromium; sign-in and errors have files of their own.)"""

import io
import re
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
import time_machine

from analytics.workdays import SHANGHAI
from service.access import accounts
from tests.support import PASSWORD, make_account, message_body, rating_body, sign_in

PAGES = ("/dashboard/", "/dashboard/map", "/dashboard/themes", "/dashboard/messages",
         "/dashboard/hot-issues", "/dashboard/supervision", "/dashboard/replies")  # fmt: skip


def test_an_analyst_gets_no_supervision_page_file_or_link_as_the_api_gives_none(analyst):
    for address in ("/dashboard/supervision", "/dashboard/supervision?format=xlsx"):
        answer = analyst.get(address)
        assert answer.status_code == 403 and answer.mimetype == "text/html"
        assert "无权查看" in answer.get_data(as_text=True)
    overview = analyst.get("/dashboard/").get_data(as_text=True)
    assert "/dashboard/supervision" not in overview and "去督办" not in overview
    assert analyst.get("/dashboard/themes").status_code == 200


def test_an_official_has_the_supervision_page_and_its_link(signed_in):
    overview = signed_in.get("/dashboard/").get_data(as_text=True)
    assert ">督办</a>" in overview and "去督办" in overview
    assert signed_in.get("/dashboard/supervision").status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_an_official_of_ganzhou_sees_ganzhou_and_its_counties_not_nanchang(signed_in, page):
    assert signed_in.get(page).status_code == 200
    assert signed_in.get(f"{page}?region=360702").status_code == 200  # 章贡区, under 赣州
    assert signed_in.get(f"{page}?region=360100").status_code == 404  # 南昌
    assert signed_in.get(f"{page}?region=360000").status_code == 404  # the province


def test_the_overview_shows_the_apis_figures_for_the_same_region_and_period(
    api, signed_in, client_as
):
    for stars in (5, 4, 1):
        body = rating_body(stars=stars, service_item_code="360700-RSJ-001")
        api.post("/api/v1/ratings", json=body)
    kpis = client_as("official", region_code="360700").get("/api/v1/kpis").get_json()
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    satisfaction = kpis["figures"]["satisfaction_rate"]
    card = re.search(r'data-figure="satisfaction_rate">.*?class="value">([^<]+)<', page, re.S)
    assert card.group(1) == f"{100 * satisfaction['value']:.1f}%" == "66.7%"
    assert f"{satisfaction['numerator']} / {satisfaction['denominator']}" in page


def test_the_messages_behind_a_theme_are_listed_masked(api, signed_in):
    body = message_body(content="赣州市章贡区某小区门口积水，联系13907971234", region_code="360702")
    api.post("/api/v1/messages", json=body)
    page = signed_in.get("/dashboard/messages").get_data(as_text=True)
    assert 'data-total="messages">1<' in page
    assert "13907971234" not in page and "积水" in page


@pytest.mark.parametrize("page", PAGES)
def test_every_page_exports_its_tables_as_xlsx_with_a_cover(api, signed_in, page):
    api.post("/api/v1/ratings", json=rating_body(stars=2, service_item_code="360700-RSJ-001"))
    html = signed_in.get(page).get_data(as_text=True)
    answer = signed_in.get(f"{page}?format=xlsx")
    assert answer.status_code == 200 and answer.mimetype.endswith("spreadsheetml.sheet")
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    shown = re.findall(r'data-table="([^"]+)"', html)
    assert book.sheetnames == ["说明", *shown]
    assert book["说明"]["B2"].value == "赣州市（360700）"
    if page == "/dashboard/supervision":  # lists as they stand, not a period's
        assert book["说明"]["A3"].value == "截至"
    else:
        assert book["说明"]["B3"].value.endswith("（月）")  # the period in Chinese, not "month"
    for title in shown:
        headers = re.search(rf'data-table="{title}">\s*<thead><tr>(.*?)</tr>', html, re.S)
        assert [c.value for c in book[title][1]] == re.findall(r"<th>(.*?)</th>", headers.group(1))
        assert book[title].freeze_panes == "A2"


def test_the_overdue_figure_and_the_supervision_list_count_the_same_messages(
    app, api, client, official, client_as
):
    """A message dispatched on Monday 2 March is past its handling limit (the end of Monday
    9th) on Wednesday 11th; one accepted on Monday 9th only past its first contact's (the end
    of Tuesday 10th: its handling limit runs to the 16th); its repeat is counted as it."""
    ganzhou = {"region_code": "360702"}
    staff = client_as("official", region_code="360700")
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as clock:
        late = api.post("/api/v1/messages", json=message_body(**ganzhou)).get_json()
        staff.post(
            f"/api/v1/messages/{late['id']}/dispatch",
            json={"department_code": "360700-RSJ", "difficulty": "ordinary"},
        )
        clock.move_to("2026-03-09 10:00 +0800")
        body = message_body(
            title="章贡区路灯不亮", content="章贡区某路段路灯坏了一个月没人修", **ganzhou
        )
        uncontacted = api.post("/api/v1/messages", json=body).get_json()
        clock.shift(timedelta(hours=1))
        repeat = api.post("/api/v1/messages", json=body).get_json()
        linked = staff.get(f"/api/v1/messages/{repeat['id']}").get_json()["repeat_of"]
        assert linked == uncontacted["id"]
        clock.move_to("2026-03-11 09:00 +0800")
        kpis = staff.get("/api/v1/kpis").get_json()
        listed = staff.get("/api/v1/supervision")
        sign_in(client, official[0])
        overview = client.get("/dashboard/").get_data(as_text=True)
        page = client.get("/dashboard/supervision").get_data(as_text=True)
    assert (kpis["open_overdue"], kpis["open_first_contact_overdue"]) == (1, 1)
    assert '"total": 2' in listed.headers["X-Pagination"]
    deadlines = {m["id"]: m["deadline"] for m in listed.get_json()}
    assert deadlines[late["id"]]["kind"] == "handling"
    assert deadlines[late["id"]]["last_day"] == "2026-03-09"
    assert deadlines[uncontacted["id"]]["kind"] == "first_contact"
    assert deadlines[uncontacted["id"]]["last_day"] == "2026-03-10"
    card = re.search(r'data-figure="open_overdue">.*?class="value">([^<]+)<', overview, re.S)
    assert card.group(1) == "2" and "办理超期 1 · 首次联系超期 1" in overview
    assert 'data-total="overdue">超期留言 <strong>2</strong>' in page
    rows = re.search(r'data-table="超期留言">(.*?)</table>', page, re.S).group(1)
    assert "<td>办理</td>" in rows and "<td>2026-03-09</td>" in rows
    assert "<td>首次联系</td>" in rows and "<td>2026-03-10</td>" in rows
    assert "2026-03-16" not in rows and "00:00" not in rows  # no handling limit still running


def test_the_overview_labels_the_message_negative_share_as_the_messages(signed_in):
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    card = re.search(r'data-figure="message_negative_sentiment_share">\s*<h2>([^<]+)<', page)
    assert card.group(1) == "留言负面情绪占比"


def test_the_alert_rule_on_the_hot_issues_page_states_the_values_in_force(app, signed_in):
    app.config.update(SPIKE_MIN_COUNT=7, SPIKE_BASELINE_DAYS=14)
    page = signed_in.get("/dashboard/hot-issues").get_data(as_text=True)
    assert "n ≥ 7" in page and "此前 14 天" in page and "SPIKE_" not in page


def cover_of(answer) -> list[tuple]:
    book = openpyxl.load_workbook(io.BytesIO(answer.data))
    return [
        tuple(c for c in row if c is not None) for row in book["说明"].iter_rows(values_only=True)
    ]


def test_the_supervision_page_and_file_name_each_case_status_in_chinese(api, signed_in, client_as):
    handler = client_as("handler", department_code="360700-RSJ")
    with time_machine.travel(datetime.now(UTC) - timedelta(days=40)):
        cases = [
            api.post(
                "/api/v1/ratings", json=rating_body(stars=1, service_item_code=item)
            ).get_json()["rectification_id"]
            for item in ("360700-RSJ-001", "360700-RSJ-001")
        ]
        path = f"/api/v1/rectifications/{cases[1]}/verify"
        assert handler.post(path, json={"note": "已电话联系群众"}).status_code == 200
    page = signed_in.get("/dashboard/supervision").get_data(as_text=True)
    rows = re.search(r'data-table="超期差评整改">(.*?)</table>', page, re.S).group(1)
    assert "<td>待核实</td>" in rows and "<td>已核实</td>" in rows
    assert not re.search(r"<td>(open|verified)</td>", rows)
    book = openpyxl.load_workbook(
        io.BytesIO(signed_in.get("/dashboard/supervision?format=xlsx").data)
    )
    statuses = {row[4] for row in book["超期差评整改"].iter_rows(min_row=2, values_only=True)}
    assert statuses == {"待核实", "已核实"}


def test_no_dashboard_table_shows_a_code_where_a_chinese_name_is_meant(api, signed_in):
    with time_machine.travel(datetime.now(UTC) - timedelta(days=40)):  # an overdue case
        api.post("/api/v1/ratings", json=rating_body(stars=1, service_item_code="360700-RSJ-001"))
    api.post("/api/v1/messages", json=message_body(region_code="360702"))
    codes = {"open", "verified", "accepted", "complaint", "pending", "negative", "neutral",
             "positive", "theme", "hot_issue", "handling", "first_contact", "app"}  # fmt: skip
    for page in PAGES:
        cells = re.findall(r"<td>([^<]*)</td>", signed_in.get(page).get_data(as_text=True))
        assert not set(cells) & codes, page


def card_change(page: str, figure: str) -> tuple[str, str]:
    """The classes and the words of ``figure``'s change on an overview page."""
    change = re.search(rf'data-figure="{figure}">.*?<p class="change ?([^"]*)">\s*([^<]+)<',
                       page, re.S)  # fmt: skip
    return change.group(1), change.group(2).strip()


@pytest.mark.parametrize(
    "figure, change, shown, classes",
    [("satisfaction_rate", -0.0003, "较上期 0.0 个百分点", ""),
     ("satisfaction_rate", 0.0004, "较上期 0.0 个百分点", ""),
     ("satisfaction_rate", -0.0006, "较上期 -0.1 个百分点", "down bad"),
     ("satisfaction_rate", 0.012, "较上期 +1.2 个百分点", "up good"),
     ("message_negative_sentiment_share", 0.0004, "较上期 0.0 个百分点", ""),
     ("message_negative_sentiment_share", 0.012, "较上期 +1.2 个百分点", "up bad"),
     ("message_negative_sentiment_share", -0.0006, "较上期 -0.1 个百分点", "down good"),
     ("message_negative_sentiment_share", None, "上期无数据", "")],
)  # fmt: skip
def test_a_change_is_coloured_by_whether_it_is_good_for_its_figure_and_not_when_it_reads_0_0(
    signed_in, monkeypatch, figure, change, shown, classes
):
    from service.dashboard import pages

    report = pages.figures.report

    def with_change(*args, **kwargs):
        answer = report(*args, **kwargs)
        answer["figures"][figure] = {"value": 0.9, "change": change}
        return answer

    monkeypatch.setattr(pages.figures, "report", with_change)
    page = signed_in.get("/dashboard/").get_data(as_text=True)
    assert card_change(page, figure) == (classes, shown)


def test_a_rise_of_the_negative_share_is_marked_bad_and_a_rise_of_satisfaction_good(
    api, client, official
):
    """February: one rating of two satisfied, one message, not negative; March: every rating
    satisfied, every message a complaint. Both figures rise; only satisfaction's is good."""
    ganzhou = {"region_code": "360702"}
    with time_machine.travel("2026-02-10 10:00 +0800", tick=False) as clock:
        for stars in (5, 1):
            api.post("/api/v1/ratings", json=rating_body(
                stars=stars, service_item_code="360700-RSJ-001", **ganzhou))  # fmt: skip
        api.post("/api/v1/messages", json=message_body(
            type="表扬", title="感谢社区", content="感谢章贡区社区工作人员耐心帮忙，非常满意！",
            **ganzhou))  # fmt: skip
        clock.move_to("2026-03-10 10:00 +0800")
        api.post("/api/v1/ratings", json=rating_body(
            stars=5, service_item_code="360700-RSJ-001", **ganzhou))  # fmt: skip
        complaint = "章贡区楼下烧烤店油烟太大，投诉多次没人管！"
        api.post("/api/v1/messages", json=message_body(title="油烟扰民", content=complaint,
                                                       **ganzhou))  # fmt: skip
        clock.move_to("2026-03-20 10:00 +0800")
        sign_in(client, official[0])
        page = client.get("/dashboard/?date=2026-03-15").get_data(as_text=True)
    assert card_change(page, "satisfaction_rate") == ("up good", "较上期 +50.0 个百分点")
    assert card_change(page, "message_negative_sentiment_share") == (
        "up bad", "较上期 +100.0 个百分点")  # fmt: skip


def test_the_stylesheet_colours_a_change_by_good_or_bad_not_by_its_sign(client):
    css = client.get("/dashboard/static/dashboard.css").get_data(as_text=True)
    colours = dict(re.findall(r"\.change\.(\w+) \{ color: (#[0-9a-f]{6}); \}", css))
    assert colours == {"good": "#2f8132", "bad": "#b71c1c"}


def test_every_figure_with_a_change_says_which_way_it_is_better():
    from service.reporting import figures

    counts = dict.fromkeys(figures.EMPTY, 0)
    changing = {name for name, figure in figures.figures_of(counts, counts).items()
                if isinstance(figure, dict) and "change" in figure}  # fmt: skip
    assert changing == set(figures.HIGHER_IS_BETTER)


def test_a_workbook_cover_explains_only_what_its_file_holds(api, signed_in):
    api.post("/api/v1/messages", json=message_body(region_code="360702"))
    themes = [row[0] for row in cover_of(signed_in.get("/dashboard/themes?format=xlsx")) if row]
    assert "公式" in themes and not any(line.startswith("热点问题") for line in themes)
    hot = [row[0] for row in cover_of(signed_in.get("/dashboard/hot-issues?format=xlsx")) if row]
    assert any(line.startswith("热点问题") for line in hot)
    for page in ("/dashboard/messages", "/dashboard/map"):
        cover = cover_of(signed_in.get(f"{page}?format=xlsx"))
        headed = [n for n, row in enumerate(cover) if row == ("公式",)]
        assert not headed or cover[headed[0] + 1 :], page  # no heading over nothing
    assert ("公式",) not in cover_of(signed_in.get("/dashboard/messages?format=xlsx"))


def test_the_supervision_file_and_page_say_when_their_lists_stood_not_a_period(client, official):
    moment = datetime(2026, 3, 11, 9, 30, tzinfo=SHANGHAI)
    with time_machine.travel(moment, tick=False):
        sign_in(client, official[0])
        answer = client.get("/dashboard/supervision?format=xlsx")
        page = client.get("/dashboard/supervision").get_data(as_text=True)
    about = dict(row for row in cover_of(answer) if len(row) == 2)
    assert about["截至"] == "2026-03-11 09:30（北京时间）" and "时段" not in about
    assert answer.headers["Content-Disposition"].endswith("-360700-2026-03-11-0930.xlsx")
    assert "截至 2026-03-11 09:30（北京时间）" in page and "2026-03-31" not in page


def test_a_theme_another_process_just_added_can_be_drilled_into_at_once(app, signed_in):
    from service import store
    from service.extensions import db
    from service.models import Theme

    with app.app_context():
        store.taxonomy.fetch_taxonomy(with_retired=True)  # this process keeps what it read
        db.session.add(Theme(code="education.meals", name="学生餐", parent_code="education",
                             keywords="[]"))  # fmt: skip
        db.session.commit()
    for page in ("/dashboard/themes", "/dashboard/messages"):
        assert signed_in.get(f"{page}?theme=education.meals").status_code == 200


SECRET = {"title": "举报某局长收受红包", "content": "某局长在办事大厅收受红包，本人要求保密处理"}
LISTED = {
    "messages": 'data-total="messages">1<',
    "supervision": 'data-total="overdue">超期留言 <strong>1</strong>',
}


def test_a_confidential_message_is_listed_without_its_words_to_officials_and_analysts(
    app, api, official
):
    """As the API shows it (service/access/disclosure.py): its row, but neither its title nor its
    text, on every page and file that lists messages. Only its handler reads them, and a
    handler has no dashboard (no password)."""
    with time_machine.travel("2026-03-02 10:00 +0800", tick=False) as clock:
        body = message_body(**SECRET, region_code="360702", confidential=True)
        secret = api.post("/api/v1/messages", json=body).get_json()
        clock.move_to("2026-03-11 09:00 +0800")  # its first contact overdue: on the 督办 lists
        analyst, _ = make_account("analyst")
        accounts.set_password(analyst, PASSWORD)
        for name, pages in (
            (official[0], ("messages", "supervision")),
            (analyst.name, ("messages",)),
        ):
            reader = app.test_client()
            with app.app_context():  # a browser of its own: its own CSRF token
                assert sign_in(reader, name).status_code == 302
            for page in (*pages, "hot-issues"):
                html = reader.get(f"/dashboard/{page}").get_data(as_text=True)
                book = openpyxl.load_workbook(
                    io.BytesIO(reader.get(f"/dashboard/{page}?format=xlsx").data)
                )
                cells = [
                    str(value) for sheet in book for row in sheet.iter_rows(values_only=True)
                    for value in row if value is not None
                ]  # fmt: skip
                for shown in (html, " ".join(cells)):
                    assert "红包" not in shown and "局长" not in shown, (name, page)
                if page != "hot-issues":  # listed, as the API lists it
                    assert LISTED[page] in html and f'<td class="n">{secret["id"]}</td>' in html
                    assert "<td>（保密）</td>" in html and "（保密）" in cells
