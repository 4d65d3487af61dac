"""好差评 ratings: posted by the apps, halls and hotline; read by staff within their scope."""

from flask.views import MethodView

from service import store
from service.access import disclosure
from service.access.auth import APP, STAFF, current_account, require_roles
from service.access.scope import scope_of
from service.api.blueprint import Blueprint
from service.api.responses import IDEMPOTENT, created
from service.api.schemas.ratings import RatingIn, RatingOut, RatingQuery, RatingView
from service.intake import submit_rating
from service.platform.errors import fail

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

    @require_roles(*STAFF)
    @blp.arguments(RatingQuery, location="query")
    @blp.response(200, RatingView(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Ratings in the caller's scope, newest first; comments masked for every role."""
        scope = scope_of(current_account())
        ratings, pagination_parameters.item_count = store.ratings.fetch_ratings(
            scope,
            **query,
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        return disclosure.show_ratings(ratings)


@blp.route("/<id:rating_id>")
class RatingById(MethodView):
    @require_roles(*STAFF)
    @blp.response(200, RatingView)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, rating_id):
        """One rating in the caller's scope (404 outside it)."""
        scope = scope_of(current_account())
        rating = store.ratings.fetch_rating(scope, rating_id)
        if rating is None:
            fail(404, "No rating has this id.")
        return disclosure.show_ratings([rating])[0]
