"""The dashboard's routes: sign-in and sign-out, and a page per view, each also an XLSX file
with ``format=xlsx``. Thin: what a page shows is built in pages.py."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, date, datetime
from urllib.parse import quote

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from analytics.kpis import FIRST_DAY, LAST_DAY, reportable
from analytics.regions import PROVINCE_CODE
from analytics.report_files import workbook
from analytics.workdays import SHANGHAI
from service import store
from service.access import accounts
from service.access.limits import limiter
from service.access.scope import NOT_YOURS, UNKNOWN_REGION, reported_region, scope_of
from service.dashboard import pages, reply_page, session
from service.extensions import csrf

bp = Blueprint(
    "dashboard",
    __name__,
    url_prefix="/dashboard",
    template_folder="templates",
    static_folder="static",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NAV = (
    ("dashboard.overview", "总览"),
    ("dashboard.region_map", "地图"),
    ("dashboard.themes", "主题"),
    ("dashboard.hot_issues", "热点与预警"),
    ("dashboard.supervision", "督办"),
    ("dashboard.replies", "答复质量"),
)
#: The error pages' words for what the code shared with the API says in English (the API's
#: messages stay English): service/access/scope.py's refusals, and service/api/blueprint.py's of a
#: query argument or a path holding NUL, which it checks before every request.
IN_CHINESE = {
    UNKNOWN_REGION: "没有这个地区代码。",
    NOT_YOURS: "您无权查看这个地区的报告。",
    "Invalid input.": "地址中的参数含有无法识别的字符。",
    "Nothing is found at this path.": "没有这个页面。",
}
#: The words for an error that said nothing, or nothing in Chinese that IN_CHINESE knows (such
#: as werkzeug's own, or report_jobs' 503 when the workers are slow), by its code.
BY_CODE = {
    400: "请求有误。",
    403: "您的账号无权查看这个页面。",
    404: "没有这个页面。",
    405: "这个页面不接受这种请求方式。",
    413: "提交的内容过大。",
    500: "服务器出错，请稍后再试。",
    503: "服务暂时繁忙或不可用，请稍后刷新。",
}
HEADINGS = {403: "无权查看", 404: "无权查看或不存在"}
_CHINESE = re.compile(r"[\u4e00-\u9fff]")


@bp.before_request
def protect_forms() -> None:
    if request.method == "POST":
        csrf.protect()


def _sign_in_key() -> str:
    return f"sign-in:{request.remote_addr}:{request.form.get('name', '')[:100]}"


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["RATE_LIMIT_SIGN_IN"], key_func=_sign_in_key,
               methods=["POST"])  # fmt: skip
def sign_in():
    failed = False
    if request.method == "POST":
        account = accounts.sign_in(request.form.get("name", ""), request.form.get("password", ""))
        if account is not None:
            session.begin(account)
            return redirect(_safe_next(request.form.get("next")))
        failed = True
    page = render_template(
        "dashboard/sign_in.html", failed=failed, next=request.args.get("next", "")
    )
    return page, 401 if failed else 200


@bp.post("/sign-out")
def sign_out():
    session.end()
    return redirect(url_for("dashboard.sign_in"))


@bp.get("/")
@session.staff_page
def overview():
    region, period, day, now = _asked()
    return _show(pages.overview(region, period, day, now), "dashboard/overview.html")


@bp.get("/map")
@session.staff_page
def region_map():
    region, period, day, now = _asked()
    figure = request.args.get("figure", "satisfaction_rate")
    if figure not in pages.MAP_FIGURES:
        named = (f"{name}（{code}）" for code, name in pages.MAP_FIGURES.items())
        abort(400, f"图表指标只能是：{'、'.join(named)}。")
    return _show(pages.region_map(region, period, day, now, figure), "dashboard/map.html")


@bp.get("/themes")
@session.staff_page
def themes():
    region, period, day, _ = _asked()
    theme = _asked_theme()
    return _show(pages.themes(region, period, day, theme), "dashboard/themes.html")


@bp.get("/messages")
@session.staff_page
def messages():
    """The (masked) messages behind a cell of the theme report."""
    region, period, day, _ = _asked()
    theme = request.args.get("theme") if request.args.get("theme") == "none" else _asked_theme()
    page = pages.messages(region, period, day, theme, _scope(region))
    return _show(page, "dashboard/messages.html")


def _asked_theme() -> str | None:
    """The theme asked for, if any; 404 for a code no theme has (one another process added a
    moment ago included: the taxonomy is read again for a code this process does not know)."""
    theme = request.args.get("theme") or None
    taxonomy = store.taxonomy.fetch_taxonomy(with_retired=True, knowing=[theme])
    if theme is not None and taxonomy.get(theme) is None:
        abort(404, "没有这个主题代码。")
    return theme


@bp.get("/hot-issues")
@session.staff_page
def hot_issues():
    region, period, day, _ = _asked()
    page = pages.hot_issues_and_alerts(region, period, day, _scope(region))
    return _show(page, "dashboard/hot_issues.html")


@bp.get("/supervision")
@session.staff_page
def supervision():
    region, period, day, now = _asked()
    page = pages.supervision(region, period, day, _scope(region), now)
    return _show(page, "dashboard/supervision.html")


@bp.get("/replies")
@session.staff_page
def replies():
    region, period, day, now = _asked()
    department = request.args.get("department") or None
    if department is not None and store.reference.fetch_catalog().departments.get(
        department
    ) is None:
        abort(404, "没有这个部门代码。")
    page = reply_page.replies(region, period, day, _scope(region), now, department)
    return _show(page, "dashboard/replies.html")


@bp.errorhandler(CSRFError)
def expired_form(error: CSRFError):
    return render_template("dashboard/sign_in.html", failed=False, expired=True, next=""), 400


@bp.errorhandler(429)
def too_many_attempts(error):
    page = render_template("dashboard/sign_in.html", failed=False, throttled=True, next="")
    return page, 429  # its Retry-After: service/access/limits.py


def error_page(error: HTTPException):
    """Every failure under /dashboard, as a page in Chinese rather than the API's JSON: those
    of its views, a mistyped address or a method no page takes (routing errors, which no
    blueprint's handler sees: service/platform/errors.py sends them here), a 500 or a 503. The
    headers werkzeug or the raiser gave stay (Allow on a 405, Retry-After on a 503)."""
    headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
    headers.update((getattr(error, "data", None) or {}).get("headers") or {})
    heading = HEADINGS.get(error.code, "服务暂不可用" if error.code >= 500 else "请求有误")
    page = render_template(
        "dashboard/error.html", error=error, heading=heading, message=_in_chinese(error)
    )
    return page, error.code, headers


def _in_chinese(error: HTTPException) -> str:
    """What went wrong, in the dashboard's language: the page's own message, or the shared
    code's English one put in Chinese, or a word for the code (never English)."""
    message = (getattr(error, "data", None) or {}).get("message") or error.description or ""
    if message in IN_CHINESE:
        return IN_CHINESE[message]
    if not _CHINESE.search(message):  # werkzeug's own English, or English IN_CHINESE lacks
        return BY_CODE.get(error.code, "请求有误。" if error.code < 500 else BY_CODE[500])
    return message


def _asked() -> tuple[str, str, date, datetime]:
    """The region (the account's own by default; 404 outside its scope), the period and the
    day asked for, and now."""
    region = reported_region(g.account, request.args.get("region"))
    period = request.args.get("period", "month")
    if period not in pages.PERIOD_NAMES:
        abort(400, f"周期只能是：{'、'.join(pages.PERIOD_NAMES.values())}。")
    now = datetime.now(UTC)
    asked = request.args.get("date")
    return region, period, _day(asked) if asked else pages.default_day(now), now


def _day(text: str) -> date:
    """The day ``text`` names, if a report can be about it (a page about year 1 or 9999 would
    overflow the calendar); else the dashboard's 400 page."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not reportable(day):
        abort(400, f"日期须为 {FIRST_DAY} 至 {LAST_DAY} 之间的一天（年-月-日，如 2026-10-15）。")
    return day


def _scope(region: str | None = None):
    """The account's scope, narrowed to ``region`` (inside it, as _asked checked). The
    province is not narrowed: like the API's, it holds the messages of no known region too."""
    scope = scope_of(g.account)
    if region is None or region == PROVINCE_CODE:
        return scope
    codes = store.reference.fetch_region_index().descendants(region)
    return replace(scope, region_codes=frozenset(codes))


def _show(page: pages.Page, template: str):
    if request.args.get("format") == "xlsx":
        content = workbook(
            page.title, page.about, datetime.now(SHANGHAI), page.formulas, page.tables
        )
        when = f"{page.period}-{page.first_day}"
        if page.as_of is not None:  # lists as they stand, not a period's
            when = f"{page.as_of.astimezone(SHANGHAI):%Y-%m-%d-%H%M}"
        name = f"{page.title}-{page.region.code}-{when}.xlsx"
        return Response(
            content,
            mimetype=XLSX,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )
    regions = store.reference.fetch_region_index()
    own = g.account.region_code or PROVINCE_CODE
    choices = [regions.get(code) for code in sorted(regions.descendants(own))]
    return render_template(
        template,
        page=page,
        nav=NAV,
        account=g.account,
        choices=choices,
        periods=pages.PERIOD_NAMES,
        day=request.args.get("date") or page.first_day.isoformat(),
        breadcrumbs=_breadcrumbs(regions, own, page.region.code),
    )


def _breadcrumbs(regions, own: str, shown: str) -> list:
    """From the account's own region down to the one shown."""
    trail = []
    code = shown
    while code is not None:
        trail.append(regions.get(code))
        if code == own:
            break
        code = regions.get(code).parent_code
    return list(reversed(trail))


def _safe_next(target: str | None) -> str:
    """Back to the page asked for before signing in, but only within the dashboard."""
    if target and target.startswith("/dashboard") and not target.startswith("//"):
        return target
    return url_for("dashboard.overview")
