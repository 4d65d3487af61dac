"""GET /api/v1/regions — Jiangxi's divisions, as a tree or one with its parents and children."""

from dataclasses import asdict

from flask.views import MethodView

from service import store
from service.access.auth import ROLES, require_roles
from service.api.blueprint import Blueprint
from service.api.schemas.reference import RegionDetail, RegionNode
from service.platform.errors import fail

blp = Blueprint(
    "regions", __name__, url_prefix="/api/v1/regions", description="Administrative divisions"
)


@blp.route("")
class RegionTree(MethodView):
    @require_roles(*ROLES)
    @blp.response(200, RegionNode(many=True))
    def get(self):
        """The province, its cities and their counties, nested."""
        index = store.reference.fetch_region_index()

        def node(division):
            return {
                **asdict(division),
                "children": [node(c) for c in index.children(division.code)],
            }

        return [node(d) for d in index.divisions.values() if d.parent_code is None]


@blp.route("/<string:code>")
class RegionByCode(MethodView):
    @require_roles(*ROLES)
    @blp.response(200, RegionDetail)
    @blp.alt_response(404, response="DEFAULT_ERROR")
    def get(self, code):
        """One region with its parent chain and its children."""
        index = store.reference.fetch_region_index()
        division = index.get(code)
        if division is None:
            fail(404, "No region has this code.")
        return {
            **asdict(division),
            "parents": index.ancestors(code),
            "children": index.children(code),
        }
