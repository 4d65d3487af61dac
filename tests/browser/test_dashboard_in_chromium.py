"""The dashboard in a real browser: headless Chromium (Debian's, driven by Playwright) signs in
as an official of 赣州, opens every page, finds each chart drawn and the numbers shown equal to
the API's, is kept out of 南昌's pages and messages, and saves a screenshot of each page (the
folder is printed at the end of the run)."""

import json
import re
import shutil
import subprocess
import threading

import pytest
from werkzeug.serving import make_server

from service.access import accounts
from tests.support import (
    COMPOUND,
    REQUIRE_SERVICES,
    SCREENSHOTS,
    make_account,
    message_body,
    rating_body,
)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "a long demo password"
# As the workplace asks: no network, no first-run work, nothing Chromium would fetch.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
PAGES = {
    "overview": "/dashboard/",
    "map": "/dashboard/map",
    "themes": "/dashboard/themes",
    "messages": "/dashboard/messages",
    "hot-issues": "/dashboard/hot-issues",
    "supervision": "/dashboard/supervision",
    "replies": "/dashboard/replies",
}


def _has_a_chinese_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, timeout=30)
    return bool(listed.stdout.strip())


@pytest.fixture
def browser(tmp_path):
    if CHROMIUM is None:
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but no chromium is installed (.ci/run installs it)")
        pytest.skip("no chromium installed (apt-get install chromium)")
    if not _has_a_chinese_font():
        if REQUIRE_SERVICES:
            pytest.fail("REQUIRE_SERVICES=1 but no Chinese font: apt-get install fonts-wqy-zenhei")
        pytest.skip(
            "no Chinese font: the pages would be empty boxes (apt-get install fonts-wqy-zenhei)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            tmp_path / "profile", executable_path=CHROMIUM, args=FLAGS, locale="zh-CN"
        )  # a fresh --user-data-dir, as the workplace asks
        yield browser
        browser.close()


@pytest.fixture
def server(app):
    """The test's app on a free port of its own, its database and all."""
    app.config["RATE_LIMITS_ENABLED"] = False
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture
def ganzhou(api):
    """赣州's month: ratings of each level, a compound's hot issue, messages; its official."""
    for n, stars in enumerate((5, 5, 4, 3, 1, 2, 5)):
        county = ("360702", "360703", "360704")[n % 3]
        api.post("/api/v1/ratings", json=rating_body(
            stars=stars, service_item_code="360700-RSJ-001", region_code=county))  # fmt: skip
    for title, content in COMPOUND:
        moved = content.replace("南昌市红谷滩区", "赣州市章贡区").replace("0791", "0797")
        api.post("/api/v1/messages", json=message_body(title=title, content=moved))
    api.post("/api/v1/messages", json=message_body(
        title="孩子入学咨询", content="赣州市南康区孩子入学要哪些材料？", type="咨询"))  # fmt: skip
    api.post("/api/v1/messages", json=message_body(
        title="南昌路灯", content="南昌市东湖区某路路灯坏了", region_code="360102"))  # fmt: skip
    account, _ = make_account("official", region_code="360700")
    accounts.set_password(account, PASSWORD)
    return account.name


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def charts_drawn(page) -> None:
    """Every chart on the page drawn: an SVG with shapes in it."""
    # waited for by selector: a function would be evaluated as a string, which the page's
    # CSP forbids (as it should)
    page.wait_for_selector("[data-chart]:not([data-drawn])", state="detached")
    for chart in page.query_selector_all("[data-chart]"):
        assert chart.get_attribute("data-drawn") == "true", chart.inner_text()
        assert chart.eval_on_selector_all("svg path, svg rect", "shapes => shapes.length") > 0


def test_an_official_signs_in_and_every_page_shows_the_apis_numbers_with_its_charts(
    browser, server, ganzhou, client_as
):
    api = client_as("official", region_code="360700")
    kpis = api.get("/api/v1/kpis").get_json()
    report = api.get("/api/v1/reports/themes").get_json()
    page = browser.new_page()
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{server}/dashboard/")
    assert "/dashboard/sign-in" in page.url
    shoot(page, "sign-in")
    page.fill("input[name=name]", ganzhou)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/dashboard/")

    for key in ("satisfaction_rate", "on_time_closing_rate", "message_negative_sentiment_share"):
        figure = kpis["figures"][key]
        shown = page.inner_text(f"[data-figure={key}] .value")
        assert shown == ("—" if figure["value"] is None else f"{100 * figure['value']:.1f}%")
    charts_drawn(page)
    shoot(page, "overview")

    for name, path in PAGES.items():
        if name == "overview":
            continue
        page.goto(f"{server}{path}")
        assert page.title().endswith("民声 政务服务监测"), name
        if page.query_selector("[data-chart]"):
            charts_drawn(page)
        shoot(page, name)
        if name == "themes":
            assert page.inner_text("[data-total=messages]") == str(report["messages"])
        if name == "hot-issues":
            assert "翠湖苑" in page.inner_text("ol.issues")
        if name == "messages":
            text = page.inner_text("main")
            assert "13907971234" not in text and "南昌市东湖区" not in text


def test_an_official_of_ganzhou_cannot_reach_nanchangs_pages_or_messages(browser, server, ganzhou):
    page = browser.new_page()
    page.goto(f"{server}/dashboard/sign-in")
    page.fill("input[name=name]", ganzhou)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/dashboard/")
    for path in PAGES.values():
        answer = page.goto(f"{server}{path}?region=360100")
        assert answer.status == 404 and "无权查看" in page.inner_text("h1")
    page.goto(f"{server}/dashboard/")
    options = page.eval_on_selector_all("select[name=region] option", "os => os.map(o => o.value)")
    assert "360100" not in options and "360702" in options


def test_the_pages_fit_a_phone_screen(browser, server, ganzhou):
    page = browser.new_page()
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server}/dashboard/sign-in")
    page.fill("input[name=name]", ganzhou)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/dashboard/")
    for name, path in PAGES.items():
        page.goto(f"{server}{path}")
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= 390, f"{name} is {wide} px wide on a 390 px screen"
    page.goto(f"{server}/dashboard/")
    charts_drawn(page)
    shoot(page, "overview-phone")


def test_no_page_loads_anything_from_outside_the_app(browser, server, ganzhou):
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{server}/dashboard/sign-in")
    page.fill("input[name=name]", ganzhou)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}/dashboard/")
    page.goto(f"{server}/dashboard/map")
    charts_drawn(page)
    outside = [url for url in asked if not url.startswith(server)]
    assert outside == [], json.dumps(outside)
    assert any(re.search(r"/static/vendor/maps/360700\.json$", url) for url in asked)
