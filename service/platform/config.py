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
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    # A pooled connection idle this long is tested before use (service/platform/connections.py).
    DATABASE_PING_AFTER_SECONDS = _float("DATABASE_PING_AFTER_SECONDS", 10)
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Request bodies above this many bytes are refused with 413.
    MAX_CONTENT_LENGTH = _int("MAX_CONTENT_LENGTH", 64 * 1024)

    # Sentiment: scores below/above these bounds are negative/positive, between them neutral.
    SENTIMENT_NEGATIVE_BELOW = _float("SENTIMENT_NEGATIVE_BELOW", 0.4)
    SENTIMENT_POSITIVE_ABOVE = _float("SENTIMENT_POSITIVE_ABOVE", 0.6)

    # Stored Idempotency-Key answers are replayed for this long.
    IDEMPOTENCY_TTL_HOURS = _int("IDEMPOTENCY_TTL_HOURS", 24)
    # A request sent again while the first with its key is still running waits this long for
    # the first's answer (409 after it); a key held this long without an answer was left by a
    # request that died, and the next retry takes it over (above GUNICORN_TIMEOUT).
    IDEMPOTENCY_WAIT_SECONDS = _int("IDEMPOTENCY_WAIT_SECONDS", 10)
    IDEMPOTENCY_ABANDONED_SECONDS = _int("IDEMPOTENCY_ABANDONED_SECONDS", 120)

    # With Redis, who holds a token is remembered this long (0: never) by each worker, up to
    # this many tokens; a revocation reaches every worker's cache at once through Redis.
    TOKEN_CACHE_SECONDS = _int("TOKEN_CACHE_SECONDS", 60)
    TOKEN_CACHE_SIZE = _int("TOKEN_CACHE_SIZE", 10_000)

    # Rate limits (Flask-Limiter syntax, "N/second|minute|hour|day", ";" between several).
    # Per account (an app client speaks for many citizens, so its limits are high); per citizen
    # (citizen_ref) for posting messages.
    RATE_LIMITS_ENABLED = os.environ.get("RATE_LIMITS_ENABLED", "1") != "0"
    # Per account: a province's app account speaks for millions of citizens, so its limit is
    # a guard against a runaway client, not a quota; each citizen has their own below.
    RATE_LIMIT_WRITE = os.environ.get("RATE_LIMIT_WRITE", "2000/second")
    RATE_LIMIT_READ = os.environ.get("RATE_LIMIT_READ", "200/second")
    RATE_LIMIT_CITIZEN_MESSAGES = os.environ.get("RATE_LIMIT_CITIZEN_MESSAGES", "5/minute;30/day")
    # With Redis unreachable, rate limits count in each worker's memory ("memory"), are not
    # applied ("open"), or refuse requests with 503 ("closed").
    RATE_LIMITS_WHEN_REDIS_DOWN = os.environ.get("RATE_LIMITS_WHEN_REDIS_DOWN", "memory")
    # Seconds a client is told to wait (Retry-After) when the database or Redis is down.
    RETRY_AFTER_SECONDS = _int("RETRY_AFTER_SECONDS", 5)

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

    # Repeats (重复件): the same citizen's message this alike (0-1, analytics/repeats.py) to
    # one of theirs from the last REPEAT_WINDOW_DAYS is linked to it and counted once.
    REPEAT_WINDOW_DAYS = _int("REPEAT_WINDOW_DAYS", 30)
    REPEAT_SIMILARITY = _float("REPEAT_SIMILARITY", 0.5)
    # Hot issues (analytics/hot_issues/): messages at most HOT_ISSUE_LINK_DAYS apart are
    # linked when this alike with a place in common, or HOT_ISSUE_SIMILAR alike without
    # (never two naming different places);
    # a hot issue needs HOT_ISSUE_MIN_CITIZENS citizens, or HOT_ISSUE_MIN_LIKES supporters
    # (点赞数) behind its messages. A search reads at most
    # HOT_ISSUE_MAX_MESSAGES messages (about 3,000 a second).
    HOT_ISSUE_LINK_DAYS = _int("HOT_ISSUE_LINK_DAYS", 30)
    HOT_ISSUE_SAME_PLACE = _float("HOT_ISSUE_SAME_PLACE", 0.2)
    HOT_ISSUE_SIMILAR = _float("HOT_ISSUE_SIMILAR", 0.45)
    # Groups naming a place in common are one issue when their messages, together, are
    # this alike (one problem at one place, worded two ways).
    HOT_ISSUE_SAME_PROBLEM = _float("HOT_ISSUE_SAME_PROBLEM", 0.15)
    HOT_ISSUE_MIN_CITIZENS = _int("HOT_ISSUE_MIN_CITIZENS", 2)
    HOT_ISSUE_MIN_LIKES = _int("HOT_ISSUE_MIN_LIKES", 20)
    HOT_ISSUE_MAX_MESSAGES = _int("HOT_ISSUE_MAX_MESSAGES", 40_000)
    # Spike alerts (service/reporting/alerts.py): a day's count against the
    # SPIKE_BASELINE_DAYS before.
    SPIKE_BASELINE_DAYS = _int("SPIKE_BASELINE_DAYS", 28)
    SPIKE_MIN_COUNT = _int("SPIKE_MIN_COUNT", 5)
    SPIKE_SIGMAS = _float("SPIKE_SIGMAS", 3.0)
    # The figures and reports recount the days written to since the last read. With Redis,
    # they may do so at most once in this many seconds, across every process (0: at every
    # read, exact). Under a stream of writes each read would otherwise recount today whole:
    # 5 keeps a busy province's figures at most seconds behind, as queue mode's scores are.
    FACTS_MAX_AGE_SECONDS = _int("FACTS_MAX_AGE_SECONDS", 0)
    # Finished reports stay in Redis (when REDIS_URL is set) this long at most; they are
    # dropped sooner, exactly when a day they were summed from is recounted.
    REPORT_CACHE_SECONDS = _int("REPORT_CACHE_SECONDS", 24 * 3600)
    # ...but the keywords and hot issues of a period still running are served up to this many
    # seconds old (their counts stay exact): recomputing them after every new message would
    # cost seconds each time.
    REPORT_DETAILS_MAX_AGE = _int("REPORT_DETAILS_MAX_AGE", 300)
    # In queue mode the keywords and hot issues are built by the workers, on REPORT_QUEUE
    # (taken after the scoring queue); a web worker waits this long for them, then answers 503.
    REPORT_QUEUE = os.environ.get("REPORT_QUEUE", "minsheng-reports")
    REPORT_WAIT_SECONDS = _int("REPORT_WAIT_SECONDS", 30)

    # Scoring: "queue" stores a rating or message with its sentiment (and theme) pending and
    # leaves the scoring to `flask worker` through RQ on Redis; "inline" scores in the request;
    # "auto" (the default) is "queue" when REDIS_URL is set; "off" stores rows pending and
    # enqueues nothing (a maintenance window: the sweeper scores them once it is back on).
    # With the queue unreachable at intake, the row waits for the sweeper
    # (SCORE_INLINE_WHEN_QUEUE_DOWN=0) or is scored in the request (=1). The sweeper
    # re-enqueues what is still pending after SWEEP_AFTER_SECONDS; each worker runs it every
    # SWEEP_INTERVAL_SECONDS.
    SCORING_MODE = os.environ.get("SCORING_MODE", "auto")
    SCORE_INLINE_WHEN_QUEUE_DOWN = os.environ.get("SCORE_INLINE_WHEN_QUEUE_DOWN", "0") == "1"
    SWEEP_AFTER_SECONDS = _int("SWEEP_AFTER_SECONDS", 60)
    SWEEP_INTERVAL_SECONDS = _int("SWEEP_INTERVAL_SECONDS", 30)
    SCORING_QUEUE = os.environ.get("SCORING_QUEUE", "minsheng-scoring")

    # The dashboard (/dashboard): its session cookie is signed with SECRET_KEY, which every
    # instance must share (unset: a key made once and kept in the instance folder, enough for
    # one machine). A session ends after DASHBOARD_IDLE_MINUTES without a page, and after
    # DASHBOARD_SESSION_HOURS in any case; SESSION_COOKIE_SECURE=1 behind HTTPS.
    SECRET_KEY = os.environ.get("SECRET_KEY") or None
    DASHBOARD_IDLE_MINUTES = _int("DASHBOARD_IDLE_MINUTES", 30)
    DASHBOARD_SESSION_HOURS = _int("DASHBOARD_SESSION_HOURS", 12)
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # Sign-in attempts per address and account name.
    RATE_LIMIT_SIGN_IN = os.environ.get("RATE_LIMIT_SIGN_IN", "10/minute;50/day")
    # CSRF tokens (Flask-WTF) are checked by the dashboard's own views only: the API takes
    # bearer tokens, which a browser never sends by itself.
    WTF_CSRF_CHECK_DEFAULT = False
    WTF_CSRF_TIME_LIMIT = None  # as long as the session

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
