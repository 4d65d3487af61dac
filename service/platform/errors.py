"""The one JSON error shape, ``{code, status, message, errors}``, for every failure.

flask-smorest already renders HTTP errors (404, 405, 413, webargs' 400 and 422) in this shape;
this module adds the pieces it does not cover: a message where none was given, the part at
fault of a 413 or 415 (every 4xx names one, in webargs' style), errors raised by our own code
(``fail``), the store's refusals (a duplicate rating is a 409, a reused Idempotency-Key a 422),
415 for a body that is not JSON, 413 for an oversized chunked body, and a 500 that is tied to
the request id and says nothing internal. The dashboard's addresses are the exception: their
failures are its Chinese pages (``register_error_handlers``'s ``pages``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping

from flask import Flask, g, request
from flask.typing import ResponseReturnValue
from flask_smorest import abort
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    NotFound,
    RequestEntityTooLarge,
    ServiceUnavailable,
    UnsupportedMediaType,
)
from werkzeug.http import HTTP_STATUS_CODES
from werkzeug.wsgi import LimitedStream

from service.extensions import api, db
from service.store.conflicts import DuplicateRating, IdempotencyKeyReused

log = logging.getLogger(__name__)

_BODY_METHODS = frozenset(("POST", "PUT", "PATCH"))


def fail(code: int, message: str, errors: dict | None = None, **headers: str) -> None:
    """Stop the request with ``code``; ``errors`` names the fields, as webargs does."""
    kwargs: dict = {"message": message}
    if errors:
        kwargs["errors"] = errors
    if headers:
        kwargs["headers"] = headers
    abort(code, **kwargs)


def field_error(code: int, field: str, message: str, location: str = "json") -> None:
    fail(code, message, {location: {field: [message]}})


def _has_body() -> bool:
    # A POST to an action such as /accounts/1/revoke may rightly carry no body at all.
    if request.content_length is not None:
        return request.content_length > 0
    return "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def refuse_oversized_stream() -> None:
    """413 for a chunked body that reached MAX_CONTENT_LENGTH.

    With a Content-Length, werkzeug refuses an oversized body itself; a chunked one it cuts at
    the limit without a word, which would then fail as malformed JSON (400).
    """
    request.get_data(cache=True)
    if isinstance(request.stream, LimitedStream) and request.stream.is_exhausted:
        raise RequestEntityTooLarge()


def _answer(code: int, message: str, errors: dict | None = None, headers: dict | None = None):
    body = {"code": code, "status": HTTP_STATUS_CODES[code], "message": message}
    if errors:
        body["errors"] = errors
    return body, code, headers or {}


def _part_at_fault(code: int, app: Flask) -> tuple[str, dict] | None:
    """The message and errors of a 413 or 415, which werkzeug raises naming no part of the
    request: every other 4xx names one, so that clients handle them all alike."""
    if code == RequestEntityTooLarge.code:
        limit = app.config["MAX_CONTENT_LENGTH"]
        return f"The body is larger than {limit} bytes.", {"json": [f"Larger than {limit} bytes."]}
    if code == UnsupportedMediaType.code:
        errors = {"headers": {"Content-Type": ["Must be application/json."]}}
        return "Send the body as application/json.", errors
    return None


def _page_for(
    pages: Mapping[str, Callable[[HTTPException], ResponseReturnValue]],
) -> Callable[[HTTPException], ResponseReturnValue] | None:
    """The error page of the address asked for (``/dashboard`` and everything under it), if
    it has one."""
    for prefix, page in pages.items():
        if request.path == prefix or request.path.startswith(f"{prefix}/"):
            return page
    return None


def register_error_handlers(
    app: Flask,
    pages: Mapping[str, Callable[[HTTPException], ResponseReturnValue]] | None = None,
) -> None:
    """The JSON error shape for every failure, except under a prefix of ``pages``, whose
    function renders the failure as its own page (the dashboard's, in Chinese): here, as a
    blueprint's error handlers never see a routing error (a 404 or 405), nor one its
    blueprint has no handler for (413, 500, 503)."""
    pages = pages or {}

    @app.before_request
    def require_json_body() -> None:
        """The API's bodies are JSON (the dashboard's forms are not)."""
        if request.path.startswith("/dashboard/"):
            return
        if request.method in _BODY_METHODS and request.routing_exception is None and _has_body():
            if not request.is_json:
                raise UnsupportedMediaType()
            if request.content_length is None:
                refuse_oversized_stream()

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        """flask-smorest's shape, with a message where the raiser gave none, and the part of
        the request at fault where werkzeug names none (413, 415)."""
        if page := _page_for(pages):
            return page(error)
        payload, code, headers = api.handle_http_exception(error)
        at_fault = None if "errors" in payload else _part_at_fault(code, app)
        if at_fault:
            payload = {"message": at_fault[0], **payload, "errors": at_fault[1]}
        if isinstance(error, NotFound) and error.description == NotFound.description:
            payload.setdefault("message", "Nothing is found at this path.")  # no route matched
        message = "Invalid input." if "errors" in payload else error.description
        # werkzeug's own headers too, such as Allow on a 405 (a 429's Retry-After is the
        # limits' own: service/access/limits.py)
        inherent = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        headers = {**inherent, **(headers or {})}
        return _answer(code, payload.get("message", message), payload.get("errors"), headers)

    @app.errorhandler(DuplicateRating)
    def handle_duplicate_rating(error: DuplicateRating):
        return _answer(
            409,
            f"Transaction {error.transaction_id} was already rated on channel "
            f"{error.channel}: rating {error.existing_id}.",
            {"json": {"transaction_id": [f"Already rated: rating {error.existing_id}."]}},
        )

    @app.errorhandler(IdempotencyKeyReused)
    def handle_reused_key(error: IdempotencyKeyReused):
        return _answer(
            422,
            "This Idempotency-Key was already used for a different request.",
            {"headers": {"Idempotency-Key": ["Already used with another method, path or body."]}},
        )

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    def handle_database_down(error: Exception):
        """The database does not answer (or dropped the connection): nothing was written, as
        the transaction rolls back; the client may retry. The pool, which took every
        connection for stale on the disconnect, connects afresh once it is back."""
        db.session.rollback()
        log.warning("database unavailable [request %s]: %s", g.get("request_id"), error)
        return _unavailable("The database is unavailable; retry shortly.")

    if app.config["REDIS_URL"]:
        import redis  # only a deployment with Redis can meet its errors

        @app.errorhandler(redis.RedisError)
        def handle_redis_down(error: redis.RedisError):
            """Redis does not answer where it must (rate limits set to fail closed)."""
            log.warning("redis unavailable [request %s]: %s", g.get("request_id"), error)
            return _unavailable("A shared service is unavailable; retry shortly.")

    def _unavailable(message: str):
        retry = str(app.config["RETRY_AFTER_SECONDS"])
        if page := _page_for(pages):
            return page(ServiceUnavailable(retry_after=int(retry)))
        return _answer(503, message, headers={"Retry-After": retry})

    @app.errorhandler(InternalServerError)
    def handle_internal_error(error: InternalServerError):
        db.session.rollback()
        # Flask has logged the traceback already; this ties it to the request id.
        log.error("500 for %s %s [request %s]", request.method, request.path, g.get("request_id"))
        return handle_http_error(InternalServerError())
