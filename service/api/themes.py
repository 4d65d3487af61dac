"""GET /api/v1/themes — the theme taxonomy (问题分类) messages are placed in."""

from flask.views import MethodView

from service import store
from service.api.blueprint import Blueprint
from service.api.schemas import ThemeNodeOut
from service.auth import ROLES, require_roles

blp = Blueprint("themes", __name__, url_prefix="/api/v1/themes", description="The theme taxonomy")


@blp.route("")
class Themes(MethodView):
    @require_roles(*ROLES)
    @blp.response(200, ThemeNodeOut(many=True))
    def get(self):
        """Every theme, with its parent (none for a first-level one), its rule keywords and
        whether it is in use; codes sort parents before children."""
        return store.themes.fetch_themes()
