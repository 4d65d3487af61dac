"""/api/v1/themes — the theme taxonomy (问题分类) messages are placed in; admins edit it."""

from flask.views import MethodView

from service import store
from service.access.auth import ADMIN, ROLES, require_roles
from service.api.blueprint import Blueprint
from service.api.schemas.themes import ThemeChangeIn, ThemeIn, ThemeNodeOut
from service.platform.errors import fail
from service.scoring import themes

blp = Blueprint("themes", __name__, url_prefix="/api/v1/themes", description="The theme taxonomy")


@blp.route("")
class Themes(MethodView):
    @require_roles(*ROLES)
    @blp.response(200, ThemeNodeOut(many=True))
    def get(self):
        """Every theme, with its parent (none for a first-level one), its rule keywords and
        whether it is in use; codes sort parents before children."""
        return store.themes.fetch_themes()

    @require_roles(ADMIN)
    @blp.arguments(ThemeIn)
    @blp.response(201, ThemeNodeOut)
    @blp.alt_response(409, response="DEFAULT_ERROR")
    def post(self, data):
        """Add a theme (admin): staff can set a message's theme to it at once; every process
        places messages into it by its keywords within a minute."""
        return themes.add_theme(data)


@blp.route("/<string:code>")
class ThemeByCode(MethodView):
    @require_roles(ADMIN)
    @blp.arguments(ThemeChangeIn)
    @blp.response(200, ThemeNodeOut)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def patch(self, data, code):
        """Rename a theme, replace its rule keywords, or take it out of use (admin)."""
        row = store.themes.fetch_theme(code)
        if row is None:
            fail(404, "No theme has this code.")
        return themes.change_theme(row, data)
