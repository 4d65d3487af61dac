"""Every setting the operator gives: its environment variable, type, bounds, default and
meaning, in one marshmallow schema (``Settings``), read once when the app is made
(``read_settings``). A value of the wrong type, out of its range or not one of its choices
stops the start with a message naming the variable and the value (``SettingsError``), rather
than meaning something else, or failing at the first request that reads it.
``flask settings`` prints the effective values with these descriptions, secrets hidden.

A variable set to nothing (``X=``, as compose files and unit files write an unset one) is
unset: its default holds."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validates_schema
from marshmallow.validate import Range

from service.platform.setting_fields import (
    TIME_LIMIT_KINDS,
    TimeLimits,
    check_address,
    check_database_url,
    check_redis_url,
    count,
    flag,
    rate,
    seconds,
    setting,
    share,
    without_blanks,
    word,
)

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class SettingsError(ValueError):
    """Settings the app cannot start with; ``problems`` maps each variable to its messages."""

    def __init__(self, problems: Mapping[str, list[str]], shown: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        lines = [
            f"  {name}={shown[name]!r}: {' '.join(messages)}"
            if name in shown
            else f"  {name}: {' '.join(messages)}"
            for name, messages in sorted(self.problems.items())
        ]
        heading = "Settings that cannot be used (environment variables):"
        super().__init__("\n".join([heading, *lines]))


def database_url(raw: str | None) -> str | None:
    """Point plain ``postgresql://`` URLs at psycopg 3, the driver this project installs."""
    if raw and raw.startswith(("postgres://", "postgresql://")):
        return "postgresql+psycopg://" + raw.split("://", 1)[1]
    return raw


class Settings(Schema):
    """The settings, as environment variables of the same names."""

    class Meta:
        unknown = EXCLUDE
        ordered = True

    # Where things are
    DATABASE_URL = setting(
        fields.String, None, "PostgreSQL (postgresql://…, driven by psycopg 3) or SQLite; unset: "
        "SQLite at instance/minsheng.db.", validate=check_database_url, secret="password",
    )  # fmt: skip
    REDIS_URL = setting(
        fields.String, None, "Redis for the queue, rate limits, caches and revocations; unset: "
        "none of these leave the process, and /readyz does not report Redis.",
        validate=check_redis_url, secret="password",
    )  # fmt: skip
    MODEL_DIR = setting(
        fields.String, None, "Trained models, one folder per version, ACTIVE naming the one in "
        "use; unset: instance/models.",
    )  # fmt: skip
    DATABASE_PING_AFTER_SECONDS = seconds(
        10, "A pooled connection idle this long is tested before use."
    )
    MAX_CONTENT_LENGTH = count(65536, "Request bodies above this many bytes are refused (413).", 1)

    # Scoring
    SENTIMENT_NEGATIVE_BELOW = share(0.4, "A two-class model's score below this is negative.")
    SENTIMENT_POSITIVE_ABOVE = share(0.6, "...and above this positive; neutral between.")
    THEME_MIN_CONFIDENCE = share(
        0.4, "A message placed with less confidence is left unclassified for a person."
    )
    SCORING_MODE = word(
        "auto", "queue: intake stores rows pending and the workers (RQ) score them; inline: "
        "scored in the request; auto: queue when REDIS_URL is set; off: stored pending, nothing "
        "enqueued (a maintenance window; the sweeper scores them once it is back on).",
        ("auto", "queue", "inline", "off"),
    )  # fmt: skip
    SCORE_INLINE_WHEN_QUEUE_DOWN = flag(
        False, "With the queue unreachable at intake, score in the request (else the sweeper)."
    )
    SWEEP_AFTER_SECONDS = count(60, "The sweeper enqueues again what is pending this long.", 1)
    SWEEP_INTERVAL_SECONDS = count(30, "Each worker runs the sweeper this often.", 1)
    SCORING_QUEUE = word("minsheng-scoring", "The RQ queue of scoring jobs.")

    # Intake
    IDEMPOTENCY_TTL_HOURS = count(24, "Idempotency-Key answers are replayed this long.", 1)
    IDEMPOTENCY_WAIT_SECONDS = count(
        10, "A repeat of a request still running waits this long for its answer (then 409)."
    )
    IDEMPOTENCY_ABANDONED_SECONDS = count(
        120, "A key held this long without an answer was left by a request that died; the next "
        "retry takes it over (keep above GUNICORN_TIMEOUT).", 1,
    )  # fmt: skip
    BURST_WINDOW_MINUTES = count(10, "Ratings of one item from one device within this many", 1)
    BURST_THRESHOLD = count(3, "...minutes, at or above this count, are flagged a burst.", 2)
    REPEAT_WINDOW_DAYS = count(30, "A citizen's message this many days after an alike one", 1)
    REPEAT_SIMILARITY = share(0.5, "...and this alike (0-1) is linked to it as a repeat.")

    # Handling
    TIME_LIMITS = setting(
        TimeLimits, dict(TIME_LIMIT_KINDS), "Working days (JSON): first_contact, ordinary, "
        'difficult; "<type>.<limit>" for one message type, e.g. {"complaint.ordinary": 15}.',
    )  # fmt: skip
    RECTIFICATION_DAYS = count(15, "Working days for a 差评's rectification report.", 1)
    REOPEN_ON_UNSATISFIED = flag(True, "A 不满意 evaluation sends the message back.")

    # Access
    SECRET_KEY = setting(
        fields.String, None, "Signs dashboard sessions: one for every instance; unset: a key made "
        "once in instance/secret_key (one machine only).", secret=True,
    )  # fmt: skip
    TOKEN_CACHE_SECONDS = count(
        60, "With Redis, who holds a token is remembered this long per worker (0: never)."
    )
    TOKEN_CACHE_SIZE = count(10_000, "...for up to this many tokens.", 1)
    DASHBOARD_IDLE_MINUTES = count(30, "A dashboard session ends after this long idle...", 1)
    DASHBOARD_SESSION_HOURS = count(12, "...and after this long in any case.", 1)
    SESSION_COOKIE_SECURE = flag(False, "Dashboard cookies only over HTTPS (set behind TLS).")
    TRUSTED_PROXIES = count(
        0, "Proxies in front whose X-Forwarded-For and -Proto are believed (the client's "
        "address for the sign-in limits and the logs); 0: none, the peer is the client.",
    )  # fmt: skip
    CORS_ORIGINS = setting(
        fields.String, "", "Browser origins allowed to call the API, comma-separated; none: off."
    )
    RATE_LIMITS_ENABLED = flag(True, "Rate limits applied at all.")
    RATE_LIMIT_WRITE = rate("2000/second", "Writes per account (a guard, not a quota).")
    RATE_LIMIT_READ = rate("200/second", "Reads per account.")
    RATE_LIMIT_CITIZEN_MESSAGES = rate("5/minute;30/day", "Messages per citizen (citizen_ref).")
    RATE_LIMIT_SIGN_IN = rate("10/minute;50/day", "Sign-in attempts per address and name.")
    RATE_LIMITS_WHEN_REDIS_DOWN = word(
        "memory", "With Redis unreachable, limits count in each worker's memory, are lifted "
        "(open) or refuse requests with 503 (closed).", ("memory", "open", "closed"),
    )  # fmt: skip
    RETRY_AFTER_SECONDS = count(5, "Retry-After when the database or Redis is down.", 1)

    # Figures and reports
    HOT_ISSUE_LINK_DAYS = count(30, "Hot issues link messages at most this many days apart", 1)
    HOT_ISSUE_SAME_PLACE = share(0.2, "...when this alike with a place in common...")
    HOT_ISSUE_SIMILAR = share(0.45, "...or this alike without (never naming different places).")
    HOT_ISSUE_SAME_PROBLEM = share(0.15, "Groups sharing a place this alike are one issue.")
    HOT_ISSUE_MIN_CITIZENS = count(2, "A hot issue needs this many citizens...", 1)
    HOT_ISSUE_MIN_LIKES = count(20, "...or this many supporters (点赞数) behind it.", 1)
    HOT_ISSUE_MAX_MESSAGES = count(40_000, "A search reads at most this many messages.", 1)
    SPIKE_BASELINE_DAYS = count(28, "A spike alert compares a day with this many before...", 1)
    SPIKE_MIN_COUNT = count(5, "...needs at least this many messages...", 1)
    SPIKE_SIGMAS = setting(fields.Float, 3.0, "...and this many deviations above the mean.",
                            validate=Range(min=0, min_inclusive=False))  # fmt: skip
    FACTS_MAX_AGE_SECONDS = count(
        0, "With Redis, figures are recounted at most once in this many seconds across the "
        "processes (0: at every read; 5 under a stream of writes).",
    )  # fmt: skip
    REPORT_CACHE_SECONDS = count(86_400, "Finished reports stay in Redis at most this long.")
    REPORT_DETAILS_MAX_AGE = count(
        300, "Keywords and hot issues of a running period are served up to this old."
    )
    REPORT_QUEUE = word("minsheng-reports", "The RQ queue of report details (queue mode).")
    REPORT_WAIT_SECONDS = count(30, "A web worker waits this long for them, then answers 503.", 1)

    METRICS_TOKEN = setting(
        fields.String, None, "The bearer token Prometheus sends for /metrics; unset: /metrics "
        "answers 404.", secret=True,
    )  # fmt: skip
    WORKER_METRICS_BIND = setting(
        fields.String, None, "host:port where a worker (flask worker) serves its own metrics, "
        "unauthenticated: an address of a private network; unset: none.", validate=check_address,
    )  # fmt: skip
    SENTRY_DSN = setting(
        fields.String, None, "Where errors are reported (Sentry, or a server speaking its "
        "protocol), without personal data; unset: nowhere.", secret=True,
    )  # fmt: skip
    SENTRY_ENVIRONMENT = word("production", "The environment the reports are filed under.")
    LOG_LEVEL = word("INFO", "The least severe log lines written.", LOG_LEVELS)
    LOG_FORMAT = word(
        "text", "json: one JSON object per line, for a log collector; text: for a terminal.",
        ("text", "json"),
    )  # fmt: skip

    @pre_load
    def _unset_blanks(self, data: Mapping[str, Any], **kwargs) -> dict[str, Any]:
        return without_blanks(data)

    @validates_schema
    def _bounds_in_order(self, data: dict[str, Any], **kwargs) -> None:
        if data["SENTIMENT_NEGATIVE_BELOW"] > data["SENTIMENT_POSITIVE_ABOVE"]:
            raise ValidationError(
                "Above SENTIMENT_POSITIVE_ABOVE: the neutral band would be empty.",
                "SENTIMENT_NEGATIVE_BELOW",
            )


class ServerSettings(Schema):
    """gunicorn's settings (gunicorn.conf.py), as environment variables of the same names."""

    class Meta:
        unknown = EXCLUDE
        ordered = True

    GUNICORN_BIND = word("127.0.0.1:8000", "Where gunicorn listens (host:port or unix:path).")
    GUNICORN_WORKERS = setting(
        fields.Integer, None, "Web processes; unset: one per CPU this container may use.",
        validate=Range(min=1),
    )  # fmt: skip
    GUNICORN_THREADS = count(4, "Threads per process: they overlap database round trips.", 1)
    GUNICORN_TIMEOUT = count(30, "A request running longer has its worker restarted.", 1)
    REQUEST_HEADER_TIMEOUT = setting(
        fields.Float, 10.0, "Seconds for a request's head to arrive whole (then 408).",
        validate=Range(min=0, min_inclusive=False),
    )  # fmt: skip
    REQUEST_BODY_TIMEOUT = setting(
        fields.Float, 30.0, "Seconds more for its body (then 408).",
        validate=Range(min=0, min_inclusive=False),
    )  # fmt: skip
    GUNICORN_ACCESS_LOG = setting(
        fields.String, None, "Access log file ('-': standard output); unset: none."
    )
    GUNICORN_CONTROL_SOCKET = setting(
        fields.String, None, "gunicornc's control socket, a path of this instance's own; unset: "
        "none (gunicorn's default path is shared by every instance on a machine).",
    )  # fmt: skip

    @pre_load
    def _unset_blanks(self, data: Mapping[str, Any], **kwargs) -> dict[str, Any]:
        return without_blanks(data)


#: What the code fixes, not the operator: Flask's and the extensions' own settings.
FIXED: dict[str, Any] = {
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # CSRF tokens (Flask-WTF) are checked by the dashboard's own views only: the API takes
    # bearer tokens, which a browser never sends by itself.
    "WTF_CSRF_CHECK_DEFAULT": False,
    "WTF_CSRF_TIME_LIMIT": None,  # as long as the session
    "API_TITLE": "Minsheng 民声",
    "API_VERSION": "v1",
    # 3.0: the Swagger UI that swagger-ui-bundle ships (4.15) renders no 3.1 documents.
    "OPENAPI_VERSION": "3.0.3",
    "OPENAPI_URL_PREFIX": "/api",
    "OPENAPI_JSON_PATH": "openapi.json",
    "OPENAPI_SWAGGER_UI_PATH": "/docs",
    # Served by service/api/docs.py from the swagger-ui-bundle package: no CDN.
    "OPENAPI_SWAGGER_UI_URL": "/api/docs/assets/",
    # No online validator badge: the page would send the spec's address to swagger.io.
    "OPENAPI_SWAGGER_UI_CONFIG": {"validatorUrl": None},
}


#: What is kept in the instance folder when its setting is unset.
INSTANCE_DEFAULTS = {
    "SQLALCHEMY_DATABASE_URI": ("DATABASE_URL", "the SQLite database"),
    "SECRET_KEY": ("SECRET_KEY", "the key that signs dashboard sessions"),
    "MODEL_DIR": ("MODEL_DIR", "the trained models"),
}


def settle_instance_folder(folder: str, config: Mapping[str, Any]) -> None:
    """Make the instance folder where a setting left unset keeps its default there (SQLite,
    the secret key, the models); SettingsError naming those settings when it cannot be
    written (a read-only image, another user's folder), rather than a PermissionError at the
    first write."""
    needed = {name: what for key, (name, what) in INSTANCE_DEFAULTS.items() if not config[key]}
    if not needed:
        return
    try:
        os.makedirs(folder, exist_ok=True)
        writable = os.access(folder, os.W_OK)
    except OSError:
        writable = False
    if not writable:
        raise SettingsError(
            {name: [f"unset, and {what} would be kept in {folder}, which this process cannot "
                    "write: set it, or make the folder writable."]
             for name, what in needed.items()},
            {},
        )  # fmt: skip


def _load(schema: Schema, environ: Mapping[str, str] | None) -> dict[str, Any]:
    environ = os.environ if environ is None else environ
    given = {name: environ[name] for name in schema.fields if name in environ}
    try:
        return schema.load(given)
    except ValidationError as error:
        shown = {name: _shown(schema.fields[name], value) for name, value in given.items()}
        raise SettingsError(error.normalized_messages(), shown) from None


def read_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The app's configuration from ``environ`` (the process's environment): every setting
    checked, with the fixed ones beside them; raises SettingsError naming each bad one."""
    settings = _load(Settings(), environ)
    settings["SQLALCHEMY_DATABASE_URI"] = database_url(settings.pop("DATABASE_URL"))
    return {**FIXED, **settings}


def read_server_settings(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """gunicorn's settings from ``environ``, checked as the app's are."""
    return _load(ServerSettings(), environ)


def described(config: Mapping[str, Any], server: Mapping[str, Any]) -> list[tuple[str, str, str]]:
    """Each setting as ``flask settings`` prints it, the app's then gunicorn's: name,
    effective value (a secret hidden, a URL's password hidden) and description."""
    rows = []
    fields_ = {**Settings().fields, **ServerSettings().fields}
    for name, field in fields_.items():
        if name in server:
            value = server[name]
        else:
            value = config["SQLALCHEMY_DATABASE_URI" if name == "DATABASE_URL" else name]
        rows.append((name, _shown(field, value), field.metadata["doc"]))
    return rows


def _shown(field: fields.Field, value: Any) -> str:
    """A value as printed: a secret hidden, a URL without its password."""
    secret = field.metadata["secret"]
    if value is None:
        return "(unset)"
    if secret == "password":
        return _without_password(str(value))
    if secret:
        return "(set, hidden)"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else str(value)


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return parts._replace(netloc=f"{parts.username or ''}:***@{host}").geturl()
