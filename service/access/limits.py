"""Rate limits (Flask-Limiter): per account for every API call, stricter for writes than for
reads, and per citizen for messages. Counts live in Redis when REDIS_URL is set, so that all
workers share them; in memory otherwise (each worker counts alone). With Redis down they fall
back to memory, are lifted, or refuse with 503, by RATE_LIMITS_WHEN_REDIS_DOWN."""

from __future__ import annotations

import hashlib
import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from werkzeug.exceptions import HTTPException

_WRITES = frozenset(("POST", "PUT", "PATCH", "DELETE"))
_REPLAY = "minsheng.idempotent_replay"


def caller_key() -> str:
    """The caller's bucket: its token (hashed, so that no token sits in Redis), or its address
    when it sends none. Known before the database is asked who the caller is."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return "token:" + hashlib.sha256(token.strip().encode()).hexdigest()[:32]
    return "address:" + get_remote_address()


def citizen_key() -> str:
    """The citizen's bucket, from the body's citizen_ref; "" when there is none (or no body
    worth parsing: the view will refuse it).

    A body that cannot be read (larger than MAX_CONTENT_LENGTH: werkzeug raises 413) is no
    citizen's either: raised here, inside the limiter, it was taken for Redis failing (an
    ERROR, two tracebacks, and the counts moved to memory) before the view said 413."""
    try:
        body = request.get_json(silent=True)
    except (RecursionError, HTTPException):
        return ""
    citizen = body.get("citizen_ref") if isinstance(body, dict) else None
    return f"citizen:{citizen}" if isinstance(citizen, str) else ""


def is_replay() -> bool:
    """The request is a retry whose Idempotency-Key is answered already: it is answered from
    the stored answer and changes nothing, so it costs no limit (an app retrying a message on
    a poor network must not use up its citizen's messages). A twin sent while the first is
    still running is counted: limits are counted before the request runs, atomically, and
    deferring the count to the answer (Flask-Limiter's deduct_when) would let a burst through
    and fail after the work was done when Redis is away. Never raises: what is raised in here
    is taken for the limits' storage failing."""
    if request.method not in _WRITES or "Idempotency-Key" not in request.headers:
        return False
    asked = request.environ  # asked by each limit of the request: once per request
    if _REPLAY not in asked:
        asked[_REPLAY] = _answered_already()
    return asked[_REPLAY]


def _answered_already() -> bool:
    from service.access.auth import account_of_request
    from service.api.responses import is_replay as answered_already
    from service.extensions import db

    try:
        account = account_of_request()
        return account is not None and answered_already(account)
    except Exception:  # a bad key or body, a database away: the view answers it, counted
        try:
            db.session.rollback()
        except Exception:  # noqa: S110 (the view meets the same failure and answers it)
            pass
        return False


def _per_account_limit() -> str:
    name = "RATE_LIMIT_WRITE" if request.method in _WRITES else "RATE_LIMIT_READ"
    return current_app.config[name]


def _citizen_limit() -> str:
    return current_app.config["RATE_LIMIT_CITIZEN_MESSAGES"]


def _exempt_by_default() -> bool:
    # Probes and the docs are not limited: a load balancer polls /readyz all day.
    return not request.path.startswith("/api/v1/") or is_replay()


limiter = Limiter(
    caller_key,
    default_limits=[_per_account_limit],
    default_limits_per_method=True,
    default_limits_exempt_when=_exempt_by_default,
    # X-RateLimit-* headers on every answer would cost two more Redis reads per request, and
    # no client reads them; a refusal says when to retry (say_when_to_retry below).
    headers_enabled=False,
    key_prefix="minsheng",
)

#: For the message intake view: a citizen (by ``citizen_ref``) may post only so many messages.
limit_per_citizen = limiter.limit(
    _citizen_limit,
    key_func=citizen_key,
    exempt_when=lambda: citizen_key() == "" or is_replay(),
)


def say_when_to_retry(response: Response) -> Response:
    """A refusal by the limits, as the API's error or the dashboard's page, says when to
    retry: the seconds until the breached limit's window ends (one read of its counter, paid
    by refusals only)."""
    if response.status_code != 429:
        return response
    breached = limiter.current_limit
    if breached is None or not breached.breached:
        return response
    try:
        seconds = breached.window.reset_time - time.time()
    except Exception:  # noqa: BLE001 (the counts' storage failing: a refusal still says when)
        seconds = breached.limit.get_expiry()
    response.headers["Retry-After"] = str(max(1, math.ceil(seconds)))
    return response


def init_limits(app: Flask) -> None:
    config = app.config
    when_down = config["RATE_LIMITS_WHEN_REDIS_DOWN"]  # one of three (platform/config.py)
    config.setdefault("RATELIMIT_STORAGE_URI", config["REDIS_URL"] or "memory://")
    config.setdefault("RATELIMIT_ENABLED", config["RATE_LIMITS_ENABLED"])
    if config["REDIS_URL"]:
        # a Redis that does not answer costs a request half a second, not its life
        config.setdefault(
            "RATELIMIT_STORAGE_OPTIONS", {"socket_timeout": 0.5, "socket_connect_timeout": 0.5}
        )
        config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", when_down == "memory")
        config.setdefault("RATELIMIT_SWALLOW_ERRORS", when_down in ("memory", "open"))
    limiter.init_app(app)
    app.after_request(say_when_to_retry)
