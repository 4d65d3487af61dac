"""Every setting, read from an environment variable with a safe default; nothing else here."""

from __future__ import annotations

import json
import os


def _number(kind: type, name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(
            f"{name}={raw!r} is not a{'n integer' if kind is int else ' number'}"
        ) from None


def _float(name: str, default: float) -> float:
    return _number(float, name, default)


def _int(name: str, default: int) -> int:
    return _number(int, name, default)


def database_url(raw: str | None) -> str | None:
    """Point plain ``postgresql://`` URLs at psycopg 3, the driver this project installs."""
    if raw and raw.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


class Config:
    # None means "SQLite under the app's instance folder", filled in by create_app.
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Request bodies above this many bytes are refused with 413.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 64 * 1024)

    # Sentiment: scores below/above these bounds are negative/positive, between them neutral.
    SENTIMENT_NEGATIVE_BELOW = _float("SENTIMENT_NEGATIVE_BELOW", 0.4)
    SENTIMENT_POSITIVE_ABOVE = _float("SENTIMENT_POSITIVE_ABOVE", 0.6)

    # Stored Idempotency-Key answers are replayed for this long.
    IDEMPOTENCY_TTL_HOURS = _int("IDEMPOTENCY_TTL_HOURS", 24)

    # Rate limits (Flask-Limiter syntax, "N/second|minute|hour|day", ";" between several).
    # Per account (an app client speaks for many citizens, so its limits are high); per citizen
    # (citizen_ref) for posting messages.
    RATE_LIMITS_ENABLED = os.environ.get("RATE_LIMITS_ENABLED", "1") != "0"
    RATE_LIMIT_WRITE = os.environ.get("RATE_LIMIT_WRITE", "100/second")
    RATE_LIMIT_READ = os.environ.get("RATE_LIMIT_READ", "200/second")
    RATE_LIMIT_CITIZEN_MESSAGES = os.environ.get("RATE_LIMIT_CITIZEN_MESSAGES", "5/minute;30/day")

    # Time limits in working days (domain.md): first contact, an ordinary matter closed, a
    # difficult one answered. JSON; "<type>.<limit>" keys override one message type, e.g.
    # {"complaint.ordinary": 15}.
    TIME_LIMITS = {
        "first_contact": 1,
        "ordinary": 5,
        "difficult": 10,
        **json.loads(os.environ.get("TIME_LIMITS") or "{}"),
    }
    # Working days for a 差评's rectification to be reported back (localities use 5, 7 or 15).
    RECTIFICATION_DAYS = _int("RECTIFICATION_DAYS", 15)
    # Ratings of one service item from one device or citizen within this many minutes, at or
    # above this count, are flagged as a burst.
    BURST_WINDOW_MINUTES = _int("BURST_WINDOW_MINUTES", 10)
    BURST_THRESHOLD = _int("BURST_THRESHOLD", 3)
    # An evaluation of 不满意 in follow-up (回访) sends the message back to its department.
    REOPEN_ON_UNSATISFIED = os.environ.get("REOPEN_ON_UNSATISFIED", "1") != "0"

    # Trained models live here, one folder per version; ACTIVE names the one in use. Default:
    # models/ under the app's instance folder.
    MODEL_DIR = os.environ.get("MODEL_DIR") or None
    # A message placed in a theme with less confidence than this is left unclassified and
    # waits for a person.
    THEME_MIN_CONFIDENCE = _float("THEME_MIN_CONFIDENCE", 0.4)

    # Browser origins allowed to call the API (comma-separated); none by default: CORS off.
    CORS_ORIGINS = os.environ.get("CORS_ORIGINS", "")

    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    API_TITLE = "Minsheng 民声"
    API_VERSION = "v1"
    # 3.0: the Swagger UI that swagger-ui-bundle ships (4.15) renders no 3.1 documents.
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "/docs"
    # Served by service/api/docs.py from the swagger-ui-bundle package: no CDN.
    OPENAPI_SWAGGER_UI_URL = "/api/docs/assets/"
    # No online validator badge: the page would send the spec's address to swagger.io.
    OPENAPI_SWAGGER_UI_CONFIG = {"validatorUrl": None}
    JSON_SORT_KEYS = False
