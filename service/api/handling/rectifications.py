"""差评整改: the rectification cases that bad ratings open."""

from datetime import UTC, datetime

from flask.views import MethodView

from service import store
from service.access import disclosure
from service.access.auth import APP, HANDLER, STAFF, current_account, require_roles
from service.access.scope import scope_of
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, idempotent
from service.api.schemas.cases import (
    CitizenRectificationOut,
    CitizenRectificationRatingIn,
    RectificationQuery,
    RectificationView,
    RequiredNoteIn,
)
from service.handling import rectification
from service.platform.errors import fail

blp = Blueprint(
    "rectifications",
    __name__,
    url_prefix="/api/v1/rectifications",
    description="差评整改: rectification of bad ratings",
)
case_view = RectificationView()


@blp.route("")
class Rectifications(MethodView):
    @require_roles(*STAFF)
    @blp.arguments(RectificationQuery, location="query")
    @blp.response(200, RectificationView(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Cases in the caller's scope, soonest deadline first; ``overdue`` keeps the late ones."""
        scope = scope_of(current_account())
        now = query.get("now") or datetime.now(UTC)
        cases, pagination_parameters.item_count = store.rectifications.fetch_cases(
            scope,
            status=query.get("status"),
            overdue_at=now if query["overdue"] else None,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return [disclosure.rectification_for(scope, c, now) for c in cases]


@blp.route("/<id:case_id>")
class RectificationById(MethodView):
    @require_roles(*STAFF)
    @blp.response(200, RectificationView)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, case_id):
        """One case in the caller's scope (404 outside it)."""
        scope = scope_of(current_account())
        return disclosure.rectification_for(scope, _case_or_404(scope, case_id))


def _case_or_404(scope, case_id: int):
    case = store.rectifications.fetch_case(scope, case_id)
    if case is None:
        fail(404, "No rectification case has this id.")
    return case


def _step(case_id: int, action: str, note: str):
    account = current_account()
    scope = scope_of(account)
    case = _case_or_404(scope, case_id)
    return idempotent(
        lambda remember: rectification.take_step(account, case, action, note, remember),
        lambda changed: case_view.dump(disclosure.rectification_for(scope, changed)),
    )


#: The rated department's steps, in their order.
STEP_SUMMARIES = {
    "verify": "回访核实: what the citizen said when the department checked the rating with them.",
    "rectify": "整改: what the department changed.",
    "report": "反馈: the report back to the citizen, which closes the case.",
}


def _register_step(action: str, summary: str) -> None:
    class Step(MethodView):
        @require_roles(HANDLER)
        @blp.doc(summary=summary, **IDEMPOTENT)
        @blp.arguments(RequiredNoteIn)
        @blp.response(200, RectificationView)
        @blp.alt_response(409, response="DEFAULT_ERROR")
        def post(self, data, case_id):
            return _step(case_id, action, data["note"])

    blp.route(f"/<id:case_id>/{action}", endpoint=f"rectification_{action}")(Step)


for _action, _summary in STEP_SUMMARIES.items():
    _register_step(_action, _summary)


citizen_view = CitizenRectificationOut()


@blp.route("/citizen-rating")
class CitizenRating(MethodView):
    @require_roles(APP)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(CitizenRectificationRatingIn)
    @blp.response(200, CitizenRectificationOut)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data):
        """The citizen rates the rectification of their bad rating, named by its 办件编号."""
        case = store.rectifications.fetch_case_for_transaction(
            data["transaction_id"], data["channel"]
        )
        if case is None or case.rating.account_id != current_account().id:
            # 办件编号 can be guessed: only the app that posted the rating may rate its fix.
            fail(404, "No rectification case for this transaction and channel.")
        return idempotent(
            lambda remember: rectification.rate_by_citizen(case, data["stars"], remember),
            citizen_view.dump,
        )
