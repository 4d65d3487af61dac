"""GET /api/v1/reports/themes — the periodic theme report (定期数据分析) — and
GET /api/v1/reports/replies — how departments answer (答复质量), for officials and analysts
within their region."""

from datetime import UTC, datetime

from flask import Response
from flask.views import MethodView

from analytics.workdays import SHANGHAI
from service import store
from service.access.auth import ANALYST, OFFICIAL, current_account, require_roles
from service.access.scope import reported_region, scope_of
from service.api.blueprint import Blueprint
from service.api.schemas.replies import ReplyReportOut, ReplyReportQuery
from service.api.schemas.reports import ThemeReportOut, ThemeReportQuery
from service.platform.errors import field_error
from service.reporting import reports
from service.reporting.reply_report import reply_report, reply_report_file

blp = Blueprint("reports", __name__, url_prefix="/api/v1/reports", description="Reports")


@blp.route("/themes")
class ThemeReport(MethodView):
    @require_roles(OFFICIAL, ANALYST)
    @blp.arguments(ThemeReportQuery, location="query")
    @blp.response(200, ThemeReportOut)
    @blp.doc(responses={"200": {"description": "OK", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ThemeReportOut"}},
        reports.FORMATS["csv"].split(";")[0]: {"schema": {"type": "string"}},
        reports.FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
    }}})  # fmt: skip
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, query):
        """Messages per theme for a region and period (Asia/Shanghai), with their share, the
        change against the previous period and the negative share; for the region and each
        child region. First-level themes, or with `theme` the ones under it (a theme without
        sub-themes alone) and the hot issues about it (formulas in the README). `format=csv`
        or `xlsx` answers the same report as a file to download, its text never a formula."""
        region = reported_region(current_account(), query.get("region"))
        theme = query.get("theme")
        known = store.taxonomy.fetch_taxonomy(with_retired=True, knowing=[theme])
        if theme is not None and known.get(theme) is None:
            field_error(422, "theme", "No theme has this code.", location="query")
        day = query.get("date") or datetime.now(UTC).astimezone(SHANGHAI).date()
        report = reports.theme_report(region, query["period"], day, theme)
        if query["format"] == "json":
            return report
        content, media_type, filename = reports.theme_report_file(report, query["format"])
        return Response(
            content,
            content_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )


@blp.route("/replies")
class ReplyReport(MethodView):
    @require_roles(OFFICIAL, ANALYST)
    @blp.arguments(ReplyReportQuery, location="query")
    @blp.response(200, ReplyReportOut)
    @blp.doc(responses={"200": {"description": "OK", "content": {
        "application/json": {"schema": {"$ref": "#/components/schemas/ReplyReportOut"}},
        reports.FORMATS["csv"].split(";")[0]: {"schema": {"type": "string"}},
        reports.FORMATS["xlsx"]: {"schema": {"type": "string", "format": "binary"}},
    }}})  # fmt: skip
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, query):
        """答复质量 for a region and period: the replies' mean score, the shares poor,
        boilerplate and on time, and the evasions, for the region and each department (lowest
        mean first); and the period's worst replies with their flags, masked (README, "Reply
        quality")."""
        account = current_account()
        region = reported_region(account, query.get("region"))
        now = query.get("now") or datetime.now(UTC)
        day = query.get("date") or now.astimezone(SHANGHAI).date()
        report = reply_report(scope_of(account), region, query["period"], day, now)
        if query["format"] == "json":
            return report
        content, media_type, filename = reply_report_file(report, query["format"])
        return Response(
            content,
            content_type=media_type,
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
