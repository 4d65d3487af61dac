"""督办: the open messages of the caller's scope that are overdue, or due soon."""

from datetime import UTC, datetime, timedelta

from flask.views import MethodView

from analytics.workdays import last_day_of_limit
from service import store
from service.access import disclosure
from service.access.auth import SUPERVISION_READERS, current_account, require_roles
from service.access.scope import scope_of
from service.api.blueprint import Blueprint
from service.api.schemas.messages import SupervisedMessageView, SupervisionQuery

blp = Blueprint(
    "supervision", __name__, url_prefix="/api/v1/supervision", description="督办: deadlines"
)


@blp.route("")
class Supervision(MethodView):
    @require_roles(*SUPERVISION_READERS)
    @blp.arguments(SupervisionQuery, location="query")
    @blp.response(200, SupervisedMessageView(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Open messages past a deadline (超期), or with one due within ``within_hours``, each
        with the deadline that lists it; soonest deadline first, within the caller's scope.
        Repeats are left out: a matter is chased as its first message."""
        scope = scope_of(current_account())
        now = query.get("now") or datetime.now(UTC)
        window = (
            {"before": now}
            if query["kind"] == "overdue"
            else {"before": now + timedelta(hours=query["within_hours"]), "after": now}
        )
        due, pagination_parameters.item_count = store.messages.fetch_due(
            scope,
            **window,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        shown = disclosure.show_messages(scope, [message for message, _, _ in due])
        for (_, kind, due_at), view in zip(due, shown, strict=True):
            view["deadline"] = {
                "kind": kind,
                "due_at": due_at,
                "last_day": last_day_of_limit(due_at),
            }
        return shown
