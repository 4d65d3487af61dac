"""Log lines, and the request or job each was written in.

Every line carries its context: in a request, the request id, the caller's account id and
role, and the route; in a worker, the job and the id of the request that queued it, so that
one request's lines can be followed from the web process into the worker that scored its
text. ``LOG_FORMAT=json`` writes one JSON object per line (python-json-logger) for a log
collector; ``text`` (the default) writes them for a developer's terminal. Each request ends
with one line of its own: route, status and duration.

No request body or query is logged, nor a path (which may carry a tracking code): the route
names the endpoint."""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import IO, Any

from flask import Flask, g, has_request_context, request

#: The context fields, in the order a text line shows them.
CONTEXT = ("request_id", "account_id", "role", "route", "job", "job_id")
#: A client's X-Request-ID is kept (and logged, and echoed) only when it looks like one.
REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,64}")
FORMATS = ("text", "json")

_job: ContextVar[dict[str, Any] | None] = ContextVar("minsheng_job", default=None)
log = logging.getLogger("minsheng.requests")


def context() -> dict[str, Any]:
    """The context of a line written now: the request's, else the job's, else none."""
    if has_request_context():
        found: dict[str, Any] = {"request_id": g.get("request_id")}
        account = g.get("account")
        if account is not None:
            found |= {"account_id": account.id, "role": account.role}
        if request.url_rule is not None:
            found["route"] = request.url_rule.rule
        return {k: v for k, v in found.items() if v is not None}
    return dict(_job.get() or {})


def job_meta() -> dict[str, str]:
    """What a job queued now carries of its origin (RQ's ``meta``): the request id."""
    request_id = context().get("request_id")
    return {"request_id": request_id} if request_id else {}


@contextmanager
def job_context(name: str, job_id: str, meta: dict[str, Any]) -> Iterator[None]:
    """Lines written inside carry the job and the request that queued it."""
    fields = {"job": name, "job_id": job_id}
    if meta.get("request_id"):
        fields["request_id"] = meta["request_id"]
    token = _job.set(fields)
    try:
        yield
    finally:
        _job.reset(token)


class ContextFilter(logging.Filter):
    """Puts the context on each record that passes the handler, whichever logger wrote it."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name, value in context().items():
            if not hasattr(record, name):
                setattr(record, name, value)
        return True


class TextFormatter(logging.Formatter):
    """``time LEVEL logger: message [request_id=… route=…]``."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        names = (*CONTEXT, "duration_ms")
        shown = [f"{k}={getattr(record, k)}" for k in names if hasattr(record, k)]
        return f"{line} [{' '.join(shown)}]" if shown else line


def formatter(log_format: str) -> logging.Formatter:
    if log_format == "json":
        from pythonjsonlogger.json import JsonFormatter

        return JsonFormatter(
            "%(levelname)s %(name)s %(message)s",
            rename_fields={"levelname": "level", "name": "logger"},
            timestamp="time",  # ISO 8601, UTC
            json_ensure_ascii=False,
        )
    return TextFormatter()


def make_handler(log_format: str, stream: IO[str] | None = None) -> logging.Handler:
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(log_format))
    handler.addFilter(ContextFilter())
    handler.minsheng = True  # type: ignore[attr-defined]
    return handler


def configure(level: str, log_format: str) -> None:
    """The process's log handler (on the root logger, so that every library's lines get the
    context too), put in place once and replaced when the app is made again with others."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "minsheng", False)]:
        root.removeHandler(handler)
    root.addHandler(make_handler(log_format))
    root.setLevel(level)


def gunicorn_logging(level: str, log_format: str) -> dict[str, Any]:
    """gunicorn's ``logconfig_dict``: its own lines (the master's, a worker's boot and
    timeout) in the app's format, on standard error. Its access log, when GUNICORN_ACCESS_LOG
    asks for one, stays as gunicorn writes it: the app's request line says more."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"minsheng": {"()": make_handler, "log_format": log_format}},
        "root": {"level": level, "handlers": ["minsheng"]},
        "loggers": {
            "gunicorn.error": {"level": level, "handlers": ["minsheng"], "propagate": False}
        },
    }


def init_request_logging(app: Flask) -> None:
    """The request id (the client's X-Request-ID when it looks like one), echoed on the
    answer, and the request's closing line. Registered before the other hooks, so that a
    request the rate limits or the checks refuse has its id and line too."""

    @app.before_request
    def start_request() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        g.started = time.perf_counter()

    @app.after_request
    def end_request(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        started = g.get("started")
        duration = round((time.perf_counter() - started) * 1000, 1) if started else None
        log.info(
            "%s %s %s", request.method, request.url_rule or "(no route)", response.status_code,
            extra={"method": request.method, "status": response.status_code,
                   "duration_ms": duration},
        )  # fmt: skip
        return response
