"""申诉复核: appeals of rated departments against ratings, decided by the region's officials."""

from flask.views import MethodView

from service import store
from service.access.auth import HANDLER, OFFICIAL, current_account, require_roles
from service.access.disclosure import appeal_for
from service.access.scope import scope_of
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, idempotent
from service.api.schemas.cases import AppealDecisionIn, AppealIn, AppealQuery, AppealView
from service.handling import appeals
from service.platform.errors import fail

blp = Blueprint("appeals", __name__, url_prefix="/api/v1/appeals", description="申诉复核: appeals")
appeal_view = AppealView()


@blp.route("")
class Appeals(MethodView):
    @require_roles(HANDLER, OFFICIAL)
    @blp.arguments(AppealQuery, location="query")
    @blp.response(200, AppealView(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Appeals of the caller's department or region, newest first."""
        scope = scope_of(current_account())
        found, pagination_parameters.item_count = store.appeals.fetch_appeals(
            scope,
            status=query.get("status"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return [appeal_for(scope, appeal) for appeal in found]

    @require_roles(HANDLER)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(AppealIn)
    @blp.response(201, AppealView)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data):
        """The rated department contests one of its ratings, once, saying why."""
        account = current_account()
        scope = scope_of(account)
        rating = store.ratings.fetch_rating(scope, data["rating_id"])
        if rating is None:
            fail(404, "No rating of your department has this id.")
        return idempotent(
            lambda remember: appeals.file_appeal(
                account, rating, data["reason"], data["note"], remember
            ),
            lambda appeal: appeal_view.dump(appeal_for(scope, appeal)),
            status=201,
        )


@blp.route("/<id:appeal_id>")
class AppealById(MethodView):
    @require_roles(HANDLER, OFFICIAL)
    @blp.response(200, AppealView)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, appeal_id):
        """One appeal of the caller's department or region (404 outside it)."""
        return appeal_for(scope_of(current_account()), _appeal_or_404(appeal_id))


def _appeal_or_404(appeal_id: int):
    appeal = store.appeals.fetch_appeal(scope_of(current_account()), appeal_id)
    if appeal is None:
        fail(404, "No appeal has this id.")
    return appeal


@blp.route("/<id:appeal_id>/decision")
class Decision(MethodView):
    @require_roles(OFFICIAL)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(AppealDecisionIn)
    @blp.response(200, AppealView)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data, appeal_id):
        """Uphold (the rating leaves the figures, and stays stored) or reject an appeal."""
        account = current_account()
        appeal = _appeal_or_404(appeal_id)
        return idempotent(
            lambda remember: appeals.decide(
                account, appeal, data["upheld"], data["note"], remember
            ),
            lambda decided: appeal_view.dump(appeal_for(scope_of(account), decided)),
        )
