"""HTTP endpoints: one flask-smorest blueprint per resource."""

from flask import Flask

from service.api import (
    accounts,
    appeals,
    audit,
    catalog,
    docs,
    flags,
    health,
    kpis,
    messages,
    ratings,
    rectifications,
    regions,
    reports,
    supervision,
    themes,
)
from service.api.converters import IdConverter, id_schema
from service.extensions import api


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["id"] = IdConverter
    api.register_converter(IdConverter, id_schema)
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
        regions,
        catalog,
        themes,
        accounts,
        audit,
    ):
        api.register_blueprint(module.blp)
    app.register_blueprint(health.blp)
    app.register_blueprint(docs.blp)
