"""What the platform asks of a process: liveness and readiness probes for the load balancer
and the container platform, and the metrics for Prometheus."""

from flask import Blueprint, Response, current_app, request
from prometheus_client import CONTENT_TYPE_LATEST

from service import store
from service.platform import metrics, redis_client
from service.platform.errors import fail
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


@blp.get("/metrics")
def prometheus_metrics():
    """Prometheus's scrape, with METRICS_TOKEN as a bearer token (Prometheus's
    ``authorization`` setting): the counts of every web process of this instance, and the
    backlog, queues and calendar read now. 404 while no token is set: off by default."""
    if not current_app.config["METRICS_TOKEN"]:
        fail(404, "Metrics are off: set METRICS_TOKEN, and give Prometheus that token.")
    if not metrics.token_accepted(request.headers.get("Authorization")):
        fail(401, "Send 'Authorization: Bearer <METRICS_TOKEN>'.", **{"WWW-Authenticate": "Bearer"})
    return Response(metrics.exposition(), mimetype=CONTENT_TYPE_LATEST)
