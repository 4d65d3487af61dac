"""GET /api/v1/departments and /api/v1/service-items — what ratings and messages refer to."""

from flask.views import MethodView

from service import store
from service.access.auth import ROLES, require_roles
from service.api.blueprint import Blueprint
from service.api.schemas.reference import (
    DepartmentOut,
    DepartmentQuery,
    ServiceItemOut,
    ServiceItemQuery,
)

blp = Blueprint(
    "catalog", __name__, url_prefix="/api/v1", description="Departments and service items (事项)"
)


@blp.route("/departments")
class Departments(MethodView):
    @require_roles(*ROLES)
    @blp.arguments(DepartmentQuery, location="query")
    @blp.response(200, DepartmentOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Departments, optionally of one region; paged with page and page_size."""
        items, total = store.reference.fetch_departments(
            query.get("region_code"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items


@blp.route("/service-items")
class ServiceItems(MethodView):
    @require_roles(*ROLES)
    @blp.arguments(ServiceItemQuery, location="query")
    @blp.response(200, ServiceItemOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Service items, optionally of one department or region; paged with page and page_size."""
        items, total = store.reference.fetch_service_items(
            query.get("department_code"),
            query.get("region_code"),
            page=pagination_parameters.page,
            page_size=pagination_parameters.page_size,
        )
        pagination_parameters.item_count = total
        return items
