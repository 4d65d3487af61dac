"""HTTP endpoints: one flask-smorest blueprint per resource, grouped as the capabilities they
serve (intake, handling, reporting, access); reference data, themes, health and the docs at
the top. Their schemas are in ``schemas/``, a module per resource."""

from flask import Flask

from service.api import catalog, docs, health, regions, themes
from service.api.access import accounts, audit
from service.api.blueprint import refuse_unusable_arguments
from service.api.converters import (
    IdConverter,
    TrackingCodeConverter,
    id_schema,
    refuse_ids_no_row_has,
    tracking_code_schema,
)
from service.api.handling import appeals, rectifications, supervision
from service.api.intake import flags, messages, ratings
from service.api.reporting import alerts, hot_issues, kpis, reports
from service.extensions import api


def register_blueprints(app: Flask) -> None:
    app.url_value_preprocessor(refuse_ids_no_row_has)
    app.before_request(refuse_unusable_arguments)
    app.url_map.converters["id"] = IdConverter
    app.url_map.converters["tracking_code"] = TrackingCodeConverter
    api.register_converter(IdConverter, id_schema)
    api.register_converter(TrackingCodeConverter, tracking_code_schema)
    api.spec.components.security_scheme(
        "bearerAuth", {"type": "http", "scheme": "bearer", "description": "An account's API token."}
    )
    for module in (
        ratings,
        rectifications,
        appeals,
        flags,
        messages,
        supervision,
        kpis,
        reports,
        hot_issues,
        alerts,
        regions,
        catalog,
        themes,
        accounts,
        audit,
    ):
        api.register_blueprint(module.blp)
    # flask-smorest documents X-Pagination as a plain header whose schema is an object; it
    # sends JSON. Say so, so that clients (and schemathesis) read it as JSON.
    components = api.spec.components
    where = components.headers if "PAGINATION" in components.headers else components.headers_lazy
    where["PAGINATION"] = {
        "description": "Pagination metadata, as JSON.",
        "content": {
            "application/json": {"schema": {"$ref": "#/components/schemas/PaginationMetadata"}}
        },
    }
    app.register_blueprint(health.blp)
    app.register_blueprint(docs.blp)
