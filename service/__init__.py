"""The Minsheng web service: ``create_app`` builds it; ``wsgi.py`` serves it."""

from __future__ import annotations

import logging
import os
from datetime import datetime

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from analytics import workdays
from service.access.limits import init_limits
from service.access.token_cache import init_token_cache
from service.extensions import api as openapi
from service.extensions import db
from service.platform import logs, metrics
from service.platform.config import read_settings, settle_instance_folder
from service.platform.connections import ping_idle_connections
from service.platform.error_reports import init_error_reports
from service.platform.headers import init_headers, trust_proxies


def create_app(config: dict | None = None) -> Flask:
    """Build the app from the environment's settings, checked (SettingsError names a bad
    one); ``config`` overrides them (tests use it)."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(read_settings())
    if config:
        app.config.update(config)
    settle_instance_folder(app.instance_path, app.config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        database = os.path.join(app.instance_path, "minsheng.db")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    if not app.config["MODEL_DIR"]:
        app.config["MODEL_DIR"] = os.path.join(app.instance_path, "models")
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # psycopg prepares a statement after 5 runs, and PostgreSQL may then switch it to a
        # generic plan that ignores the values: a date range over the facts became a full
        # scan (5 ms instead of 0.5). Planning each run costs microseconds.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **options,
            "connect_args": {"options": "-c plan_cache_mode=force_custom_plan"},
        }
    logs.configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    if warning := workdays.calendar_warning(datetime.now(workdays.SHANGHAI).date()):
        logging.getLogger("minsheng.calendar").warning(warning)

    app.json.ensure_ascii = False  # Chinese text stays readable in every response
    app.json.sort_keys = False  # fields in the order the schemas declare them
    db.init_app(app)
    with app.app_context():
        ping_idle_connections(db.engine, app.config["DATABASE_PING_AFTER_SECONDS"])
    openapi.init_app(app)  # not `api`: that name is the service.api package
    logs.init_request_logging(app)  # first: a request any later hook refuses is logged too
    metrics.init_metrics(app)  # and counted
    init_error_reports(app)
    trust_proxies(app)
    init_headers(app)  # first: its after-request hook then runs after the limiter's
    init_limits(app)
    init_token_cache(app)

    from service.api import register_blueprints
    from service.commands import register_commands
    from service.dashboard import init_dashboard
    from service.dashboard.views import error_page
    from service.platform.errors import register_error_handlers

    register_blueprints(app)
    init_dashboard(app)
    register_error_handlers(app, pages={"/dashboard": error_page})
    register_commands(app)
    return app


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    """SQLite only: enforce foreign keys, and let readers and a writer work side by side."""
    if type(dbapi_connection).__module__ != "sqlite3":
        return
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
