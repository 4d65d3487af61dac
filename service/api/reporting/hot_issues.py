"""GET /api/v1/hot-issues — the hot issues (热点问题) of a region and span, for officials and
analysts within their region."""

from flask.views import MethodView

from service.access.auth import ANALYST, OFFICIAL, current_account, require_roles
from service.access.scope import reported_region
from service.api.blueprint import Blueprint
from service.api.schemas.reports import HotIssueOut, HotIssueQuery
from service.platform.errors import field_error
from service.reporting import hot_issues

blp = Blueprint("hot_issues", __name__, url_prefix="/api/v1/hot-issues", description="Hot issues")


@blp.route("")
class HotIssues(MethodView):
    @require_roles(OFFICIAL, ANALYST)
    @blp.arguments(HotIssueQuery, location="query")
    @blp.response(200, HotIssueOut(many=True))
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, query):
        """Groups of messages from different citizens about one problem at one place, ranked
        by hot index (formula in the README); the span before counts for growth. Masked."""
        region = reported_region(current_account(), query.get("region"))
        try:
            return hot_issues.hot_issues(region, query["from_"], query["to"], query["limit"])
        except hot_issues.TooManyMessages as error:
            field_error(422, "from", str(error), location="query")
