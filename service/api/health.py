"""Liveness and readiness probes for the load balancer and the container platform."""

from flask import Blueprint, current_app

from service import redis_client, store

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process answers; says nothing of its dependencies."""
    return {"status": "ok"}


@blp.get("/readyz")
def readyz():
    """Ready when the database answers; Redis is reported, not required, in this release."""
    database = "ok" if store.health.database_is_reachable() else "unavailable"
    body = {"status": "ok" if database == "ok" else "unavailable", "database": database}
    if current_app.config["REDIS_URL"]:
        body["redis"] = (
            "ok" if redis_client.ping(current_app.config["REDIS_URL"]) else "unavailable"
        )
    return body, 200 if database == "ok" else 503
