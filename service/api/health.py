"""Liveness and readiness probes for the load balancer and the container platform."""

from flask import Blueprint, current_app

from service import store
from service.platform import redis_client
from service.scoring import queue as scoring_queue

blp = Blueprint("health", __name__)


@blp.get("/healthz")
def healthz():
    """The process answers; says nothing of its dependencies."""
    return {"status": "ok"}


@blp.get("/readyz")
def readyz():
    """Ready when the database answers (503 if not). Redis is reported: without it the service
    still takes submissions (their scoring waits for the sweeper), "degraded"."""
    database = "ok" if store.health.database_is_reachable() else "unavailable"
    body = {"status": "ok" if database == "ok" else "unavailable", "database": database}
    if current_app.config["REDIS_URL"]:
        redis = "ok" if redis_client.ping(current_app.config["REDIS_URL"]) else "unavailable"
        body["redis"] = redis
        if redis != "ok" and database == "ok":
            body["status"] = "degraded"
    body["scoring"] = "queue" if scoring_queue.queue_mode() else "inline"
    return body, 200 if database == "ok" else 503
