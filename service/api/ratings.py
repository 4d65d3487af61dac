"""POST /api/v1/ratings — 好差评 from the apps, halls and hotline."""

from flask.views import MethodView

from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, created
from service.api.schemas import RatingIn, RatingOut
from service.auth import APP, current_account, require_roles
from service.intake import submit_rating

blp = Blueprint(
    "ratings",
    __name__,
    url_prefix="/api/v1/ratings",
    description="好差评 ratings of handled services",
)
rating_out = RatingOut()


@blp.route("")
class Ratings(MethodView):
    @require_roles(APP)
    @blp.doc(**IDEMPOTENT)
    @blp.arguments(RatingIn)
    @blp.response(201, RatingOut)
    @blp.alt_response(409, description="This transaction was already rated on this channel.")
    def post(self, data):
        """Rate one handled service (一事一评). Send an Idempotency-Key to retry safely."""
        return created(lambda key: submit_rating(current_account(), data, rating_out.dump, key))
