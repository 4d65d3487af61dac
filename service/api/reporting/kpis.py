"""GET /api/v1/kpis — the figures of a region and period, for officials and analysts."""

from datetime import UTC, datetime

from flask.views import MethodView

from analytics.workdays import SHANGHAI
from service import store
from service.access.auth import ANALYST, OFFICIAL, current_account, require_roles
from service.access.scope import reported_region
from service.api.blueprint import Blueprint
from service.api.schemas.reports import KpiQuery, KpiReportOut
from service.platform.errors import field_error
from service.reporting import figures

blp = Blueprint("kpis", __name__, url_prefix="/api/v1/kpis", description="The figures (KPIs)")


@blp.route("")
class Kpis(MethodView):
    @require_roles(OFFICIAL, ANALYST)
    @blp.arguments(KpiQuery, location="query")
    @blp.response(200, KpiReportOut)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, query):
        """满意率, 差评率, 整改率, 回访率 and the rest (formulas in the README), for a region and
        everything under it, a calendar period (Asia/Shanghai), and optionally one department,
        service item or channel; with the previous period, a ranking of the child regions and
        a breakdown by department."""
        region = reported_region(current_account(), query.get("region"))
        catalog = store.reference.fetch_catalog()
        department = item = None
        if "department" in query:
            department = catalog.departments.get(query["department"])
            if department is None:
                field_error(422, "department", "Unknown department code.", location="query")
        if "service_item" in query:
            item = catalog.service_items.get(query["service_item"])
            if item is None:
                field_error(422, "service_item", "Unknown service item.", location="query")
        now = query.get("now") or datetime.now(UTC)
        day = query.get("date") or now.astimezone(SHANGHAI).date()
        return figures.report(
            region,
            query["period"],
            day,
            department_id=department.id if department else None,
            service_item_id=item.id if item else None,
            channel=query.get("channel"),
            now=now,
        )
