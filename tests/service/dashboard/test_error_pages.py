"""The dashboard's errors are pages in Chinese, never the API's JSON: an unknown region, a day
outside the calendar, a mistyped address, a NUL, a method no page takes, too many messages
for a search, a theme no theme has, and the database down."""

import re

import pytest

from tests.support import message_body


def test_an_unknown_region_code_is_a_page_saying_so_in_chinese_not_json(signed_in):
    answer = signed_in.get("/dashboard/?region=999999")
    assert answer.status_code == 422 and answer.mimetype == "text/html"
    assert "没有这个地区代码" in answer.get_data(as_text=True)


@pytest.mark.parametrize(
    "path, code, says",
    [("/dashboard/?region=360100", 404, "您无权查看这个地区的报告"),
     ("/dashboard/themes?theme=no-such-theme", 404, "没有这个主题代码"),
     ("/dashboard/?period=decade", 400, "周期只能是：周、月、季度、年"),
     ("/dashboard/map?figure=mood", 400, "图表指标只能是：满意率（satisfaction_rate）"),
     ("/dashboard/?date=2026-13-01", 400, "日期须为 2000-01-01 至 2099-12-31 之间的一天"),
     ("/dashboard/overveiw", 404, "没有这个页面")],
)  # fmt: skip
def test_the_error_pages_say_what_went_wrong_in_chinese(signed_in, path, code, says):
    answer = signed_in.get(path)
    assert answer.status_code == code and answer.mimetype == "text/html"
    message = re.search(r'<p class="error">([^<]*)</p>', answer.get_data(as_text=True)).group(1)
    assert says in message and not re.search(r"[A-Za-z]+ [A-Za-z]+", message)  # no English


@pytest.mark.parametrize(
    "path",
    ["/dashboard/", "/dashboard/hot-issues", "/dashboard/supervision",
     "/dashboard/themes?period=year", "/dashboard/map?period=week"],
)  # fmt: skip
@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1999-12-31"])
def test_a_day_outside_the_calendar_is_the_dashboards_400_page_not_json(signed_in, path, day):
    separator = "&" if "?" in path else "?"
    answer = signed_in.get(f"{path}{separator}date={day}")
    assert answer.status_code == 400 and answer.mimetype == "text/html"
    assert "2000-01-01 至 2099-12-31" in answer.get_data(as_text=True)


def test_a_mistyped_dashboard_address_is_a_page_not_json(client):
    answer = client.get("/dashboard/overveiw")
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "返回总览" in answer.get_data(as_text=True)


def test_a_nul_in_a_query_argument_is_the_dashboards_page_in_chinese(signed_in):
    for path in ("/dashboard/?date=%00", "/dashboard/themes?theme=%00", "/dashboard/%00",
                 "/dashboard/static/%00"):  # fmt: skip
        answer = signed_in.get(path)
        assert answer.status_code in (404, 422) and answer.mimetype == "text/html", path
        message = re.search(r'<p class="error">([^<]*)</p>', answer.get_data(as_text=True))
        assert message and not re.search(r"[A-Za-z]{2,}", message.group(1)), path


def test_a_method_no_page_takes_is_the_dashboards_405_page_not_json(signed_in, client):
    for answer in (signed_in.delete("/dashboard/"), signed_in.put("/dashboard/themes"),
                   client.post("/dashboard/map"), client.get("/dashboard/sign-out")):  # fmt: skip
        assert answer.status_code == 405 and answer.mimetype == "text/html"
        page = answer.get_data(as_text=True)
        assert "这个页面不接受这种请求方式" in page and "返回总览" in page
        assert "GET" in answer.headers["Allow"] or "POST" in answer.headers["Allow"]
    assert client.delete("/api/v1/kpis").get_json()["code"] == 405  # the API's stays JSON


def test_every_error_message_the_dashboard_can_meet_is_in_chinese(app):
    """The messages raised before or around its views by code shared with the API (scope,
    the NUL check), and the words for a code whose error said nothing or only English."""
    from werkzeug.exceptions import HTTPException, default_exceptions

    from service.dashboard import views

    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert all(chinese.search(words) for words in views.IN_CHINESE.values())
    with app.test_request_context("/dashboard/"):
        for code, error in default_exceptions.items():
            message = views._in_chinese(error())
            assert chinese.search(message) and not re.search(r"[A-Za-z]{2,}", message), code
        english = HTTPException("The workers did not build the hot issues within 30 s.")
        english.code = 503
        assert views._in_chinese(english) == views.BY_CODE[503]


def test_the_database_down_is_the_dashboards_503_page(app, signed_in, monkeypatch):
    from sqlalchemy.exc import OperationalError

    from service.dashboard import pages

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(pages.figures, "report", down)
    answer = signed_in.get("/dashboard/")
    assert answer.status_code == 503 and answer.mimetype == "text/html"
    assert "请稍后" in answer.get_data(as_text=True) and answer.headers["Retry-After"]


def test_too_many_messages_for_a_hot_issue_search_is_said_in_chinese(app, api, signed_in):
    app.config["HOT_ISSUE_MAX_MESSAGES"] = 1
    for _ in range(2):
        api.post("/api/v1/messages", json=message_body(region_code="360702"))
    page = signed_in.get("/dashboard/hot-issues").get_data(as_text=True)
    note = re.search(r'<p class="note">([^<]*)</p>', page).group(1)
    assert "共有留言 2 条，超过一次检索所读的 1 条" in note and "messages" not in note


def test_the_messages_of_a_theme_no_theme_has_are_a_404_page_like_its_drill_down(signed_in):
    answer = signed_in.get("/dashboard/messages?theme=no-such-theme")
    assert answer.status_code == 404 and "没有这个主题代码" in answer.get_data(as_text=True)
    assert signed_in.get("/dashboard/messages?theme=none").status_code == 200  # unclassified
