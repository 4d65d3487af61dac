"""GET /api/v1/alerts — spike alerts of a region, for its officials and analysts."""

from flask.views import MethodView

from service import store
from service.access.auth import ANALYST, OFFICIAL, current_account, require_roles
from service.access.scope import reported_region
from service.api.blueprint import Blueprint
from service.api.schemas.reports import AlertOut, AlertQuery

blp = Blueprint("alerts", __name__, url_prefix="/api/v1/alerts", description="Spike alerts")


@blp.route("")
class Alerts(MethodView):
    @require_roles(OFFICIAL, ANALYST)
    @blp.arguments(AlertQuery, location="query")
    @blp.response(200, AlertOut(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Alerts raised for the region and the regions under it, latest day first (the rule
        is in the README; `flask alerts scan` raises them, daily)."""
        region = reported_region(current_account(), query.get("region"))
        codes = store.reference.fetch_region_index().descendants(region)
        alerts, pagination_parameters.item_count = store.alerts.fetch_alerts(
            codes,
            query["from_"],
            query["to"],
            kind=query.get("kind"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return alerts
