"""Error reports to Sentry, with SENTRY_DSN set: an unhandled error in a request (the Flask
integration) or in a worker's job (the RQ integration), with its stack and the request id
and job that tie it to the log lines.

No personal data leaves: no request body, cookie, query string, user or client address, no
local variables of the stack's frames, no job arguments, and of the headers only those named
in HEADERS. What text is left (the exception's message, the log messages and breadcrumbs) is
masked as a citizen's text is for anyone but the handling department
(``analytics.privacy.mask_text``): an exception may quote a phone number or an address."""

from __future__ import annotations

from typing import Any

from flask import Flask

from analytics.privacy import mask_text
from service.platform.logs import context

#: The request headers a report keeps: none of them says who the caller is.
HEADERS = ["Content-Type", "Content-Length", "User-Agent", "X-Request-ID", "Idempotency-Key"]

DATA_COLLECTION = {
    "user_info": False,
    "cookies": {"mode": "off"},
    "http_headers": {"request": {"mode": "allowlist", "terms": HEADERS}},
    "http_bodies": [],
    "url_query_params": {"mode": "off"},
    "database_query_data": False,
    "queues": False,
    "stack_frame_variables": False,
}


def options(config: dict[str, Any]) -> dict[str, Any]:
    """``sentry_sdk.init``'s arguments for these settings."""
    from sentry_sdk.integrations.flask import FlaskIntegration
    from sentry_sdk.integrations.rq import RqIntegration

    return {
        "dsn": config["SENTRY_DSN"],
        "environment": config["SENTRY_ENVIRONMENT"],
        "integrations": [FlaskIntegration(), RqIntegration()],
        "data_collection": DATA_COLLECTION,
        "before_send": scrubbed,
        "before_breadcrumb": scrubbed_breadcrumb,
        "traces_sample_rate": None,  # errors only; the metrics measure time
    }


def init_error_reports(app: Flask) -> None:
    if app.config["SENTRY_DSN"]:
        import sentry_sdk

        sentry_sdk.init(**options(app.config))


def scrubbed(event: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    """The event as it may leave: texts masked, the request's id added, nothing of who."""
    for exception in (event.get("exception") or {}).get("values") or []:
        exception["value"] = mask_text(exception.get("value"))
    entry = event.get("logentry") or {}
    for key in ("message", "formatted"):
        if isinstance(entry.get(key), str):
            entry[key] = mask_text(entry[key])
    entry.pop("params", None)  # a log call's arguments, formatted already
    for crumb in (event.get("breadcrumbs") or {}).get("values") or []:
        scrubbed_breadcrumb(crumb, {})
    request = event.get("request") or {}
    for key in ("data", "query_string", "cookies", "env"):
        request.pop(key, None)
    if "headers" in request:  # the SDK keeps the others' names, filtered: not even those
        kept = {name.lower() for name in HEADERS}
        request["headers"] = {k: v for k, v in request["headers"].items() if k.lower() in kept}
    job = (event.get("extra") or {}).get("rq-job") or {}
    job.pop("description", None)  # the job's call, its arguments included
    event.pop("user", None)
    tags = event.setdefault("tags", {})
    for name in ("request_id", "route", "job", "job_id"):  # as the log lines name them
        if (value := context().get(name)) is not None:
            tags[name] = value
    return event


def scrubbed_breadcrumb(crumb: dict[str, Any], hint: dict[str, Any]) -> dict[str, Any]:
    if isinstance(crumb.get("message"), str):
        crumb["message"] = mask_text(crumb["message"])
    crumb.pop("data", None)  # a log call's arguments, an HTTP call's address and query
    return crumb
