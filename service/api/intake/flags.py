"""Integrity flags on ratings, for review by the region's officials and analysts."""

from datetime import UTC, datetime

from flask.views import MethodView

from service import store
from service.access.audit import audit_event
from service.access.auth import ANALYST, OFFICIAL, current_account, require_roles
from service.access.scope import scope_of
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, idempotent
from service.api.schemas.cases import FlagQuery, FlagReviewIn, FlagView
from service.platform.errors import fail

blp = Blueprint(
    "flags", __name__, url_prefix="/api/v1/flags", description="Integrity flags on ratings"
)
flag_view = FlagView()


@blp.route("")
class Flags(MethodView):
    @require_roles(OFFICIAL, ANALYST)
    @blp.arguments(FlagQuery, location="query")
    @blp.response(200, FlagView(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Flagged ratings of the caller's region, newest first."""
        found, pagination_parameters.item_count = store.flags.fetch_flags(
            scope_of(current_account()),
            **query,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return found


@blp.route("/<id:flag_id>/review")
class Review(MethodView):
    @require_roles(OFFICIAL)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(FlagReviewIn)
    @blp.response(200, FlagView)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data, flag_id):
        """Dismiss or confirm a flag, with a note. The rating itself is not changed: a
        confirmed burst is grounds for the department's appeal, not a verdict."""
        account = current_account()
        flag = store.flags.fetch_flag(scope_of(account), flag_id)
        if flag is None:
            fail(404, "No flag has this id.")
        changes = {
            "status": data["outcome"],
            "reviewed_at": datetime.now(UTC),
            "reviewed_by": account.id,
            "review_note": data["note"],
        }
        audit = audit_event(f"flag.{data['outcome']}", "flag", flag.id)

        def review(remember):
            if flag.status != "open":
                fail(
                    409, f"The flag is {flag.status} already.", {"json": {"status": [flag.status]}}
                )
            if not store.transitions.advance(flag, "open", changes, [audit], remember):
                fail(409, "The flag was reviewed by someone else meanwhile.")
            return flag

        return idempotent(review, flag_view.dump)
