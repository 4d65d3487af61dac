"""The audit trail, for admins: who read or changed what, when and from where."""

from flask.views import MethodView

from service import store
from service.access.auth import ADMIN, require_roles
from service.api.blueprint import Blueprint
from service.api.schemas.accounts import AuditEventOut, AuditQuery

blp = Blueprint("audit", __name__, url_prefix="/api/v1/audit-events", description="Audit trail")


@blp.route("")
class AuditEvents(MethodView):
    @require_roles(ADMIN)
    @blp.arguments(AuditQuery, location="query")
    @blp.response(200, AuditEventOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Audit events, newest first, filtered by actor, action, object and time."""
        events, pagination_parameters.item_count = store.audit.fetch_events(
            **query, page=pagination_parameters.page, page_size=pagination_parameters.page_size
        )
        return events
