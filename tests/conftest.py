"""The one fixture set: an app on a migrated database, its client and CLI runner, accounts
and their tokens, and the dashboard's signed-in clients. What tests import (bodies with
keyword defaults, accounts, the real data, the dashboard's sign-in) is in ``tests/support.py``.

The database is SQLite in a temporary folder or, when DATABASE_URL is set, a database of the
run's own on that PostgreSQL server (see ``run_database``). It is migrated once per session
(the migrations are the only schema path, so every run tests them), and one app serves the
session (``AppState``); each test then starts from the reference data alone and the app as it
was made. Under pytest-xdist (``make test`` runs a worker per CPU) each worker has a session,
and so a database, of its own, and a Redis database of its own (``redis_of_this_worker``).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import bindparam, create_engine, delete, make_url, text, update


def redis_of_this_worker(url: str | None, worker: str | None) -> str | None:
    """Under pytest-xdist, worker ``gwN`` works in Redis database N after the configured one
    (of 16), so that no worker's clean-up, queues or revocations meet another's.

    >>> redis_of_this_worker("redis://127.0.0.1:6379/0", "gw1")
    'redis://127.0.0.1:6379/1'
    """
    if not url or not worker:
        return url
    parts = urlsplit(url)
    first = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(first + int(worker.removeprefix('gw'))) % 16}"))


# Before the service is imported: its settings read the environment once.
if os.environ.get("REDIS_URL"):
    os.environ["REDIS_URL"] = redis_of_this_worker(
        os.environ["REDIS_URL"], os.environ.get("PYTEST_XDIST_WORKER")
    )

from analytics.themes import Taxonomy
from service import create_app
from service.access import accounts
from service.extensions import db
from service.models import Theme as ThemeRow
from service.platform import redis_client
from service.platform.config import database_url
from service.platform.migrations import upgrade_database
from service.reporting import report_cache
from tests.support import (
    PASSWORD,
    REQUIRE_SERVICES,
    SCREENSHOTS,
    OwnRedis,
    TokenClient,
    make_account,
    require_service,
    sign_in,
)

# Tables that tests write; reference tables (regions, departments, service items) stay.
WRITTEN_TABLES = (
    "fact_dirty_marks",
    "fact_ratings_daily",
    "fact_ratings_daily_by_department",
    "fact_messages_daily",
    "fact_themes_daily",
    "fact_city_themes_daily",
    "fact_day_versions",
    "alerts",
    "audit_events",
    "idempotency_records",
    "appeals",
    "rectification_cases",
    "rating_flags",
    "ratings",
    "message_events",
    "reply_bands",
    "reply_signatures",
    "messages",
    "dashboard_sessions",
    "accounts",
)


@contextmanager
def run_database(configured: str) -> Iterator[str]:
    """A new, empty database of this run's own beside the configured one, dropped at the end.

    Two runs on one server (a developer's and CI's, or two CI tries) used to share the
    configured database: one's start dropped the other's tables mid-run, and its fault tests
    cut the other's connections. The name carries its creation time, so that what a killed
    run left behind is dropped by a run a day later: no run lasts that long, and a process id
    would not tell, since the runs may be in containers of their own."""
    base = make_url(configured)
    started = int(time.time())
    own = f"{base.database}_run{started}_{os.urandom(3).hex()}"
    server = create_engine(base, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        names = connection.execute(
            text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
            {"pattern": f"{base.database}\\_run%"},
        ).scalars()
        for name in list(names):
            created = name.removeprefix(f"{base.database}_run").split("_")[0]
            if created.isdigit() and int(created) < started - 24 * 3600:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{own}"'))
    try:
        yield base.set(database=own).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{own}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="session")
def database_uri(tmp_path_factory) -> Iterator[str]:
    url = database_url(os.environ.get("DATABASE_URL"))
    if REQUIRE_SERVICES:
        require_service("DATABASE_URL", url)
    with ExitStack() as stack:
        if url:
            url = stack.enter_context(run_database(url))
        else:
            url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": True})
        upgrade_database(app)
        with app.app_context():
            db.engine.dispose()
        yield url


class AppState:
    """What a test may change in the session's app, kept as it was made and put back before
    each test: its settings, its per-app caches and the rate limiter's state.

    One app serves the whole session (making one costs 40 ms, mostly flask-smorest writing
    the OpenAPI document). The limiter is one object shared by every app a test makes
    (Flask-Limiter's pattern: ``init_app`` points it at that app's storage), so its state is
    put back too; counts kept in memory start from zero."""

    def __init__(self, app) -> None:
        from service.access.limits import limiter

        self.app, self.limiter = app, limiter
        self.config = copy.deepcopy(dict(app.config))
        self.extensions = dict(app.extensions)
        self.limiter_state = dict(limiter.__dict__)

    def restore(self) -> None:
        from service.access.token_cache import token_cache

        self.app.config.clear()
        self.app.config.update(copy.deepcopy(self.config))
        self.app.extensions.clear()
        self.app.extensions.update(self.extensions)
        self.limiter.__dict__.clear()
        self.limiter.__dict__.update(self.limiter_state)
        if self.app.config["RATELIMIT_STORAGE_URI"].startswith("memory://"):
            self.limiter.reset()
        with self.app.app_context():
            if (cache := token_cache()) is not None:
                cache.clear()


@pytest.fixture(scope="session")
def app_state(database_uri, tmp_path_factory) -> AppState:
    config = {"SQLALCHEMY_DATABASE_URI": database_uri, "TESTING": True, "SECRET_KEY": "tests"}
    # Scoring inline unless a test asks for the queue: the tests read scores at once.
    models = tmp_path_factory.mktemp("models")
    app = create_app({**config, "MODEL_DIR": str(models), "SCORING_MODE": "inline"})
    return AppState(app)


@pytest.fixture
def app(app_state, tmp_path):
    """The session's app as it was made, with a model folder of the test's own, on the
    reference data alone."""
    app_state.restore()
    app = app_state.app
    app.config["MODEL_DIR"] = str(tmp_path / "models")
    with app.app_context():
        yield app
        db.session.remove()
        with db.engine.begin() as connection:
            for table in WRITTEN_TABLES:
                connection.execute(text(f"DELETE FROM {table}"))
            # The taxonomy is seeded by a migration: what a test added goes, what it changed
            # is put back.
            seeded = Taxonomy.default().themes.values()
            connection.execute(
                delete(ThemeRow).where(ThemeRow.code.not_in([t.code for t in seeded]))
            )
            connection.execute(
                update(ThemeRow).where(ThemeRow.code == bindparam("theme")),
                [
                    {"theme": t.code, "name": t.name, "active": True,
                     "keywords": json.dumps(list(t.keywords), ensure_ascii=False)}
                    for t in seeded
                ],
            )  # fmt: skip
        db.engine.dispose()
        if os.environ.get("REDIS_URL"):  # reports cached from this test's facts, now gone
            cache = redis_client.client(os.environ["REDIS_URL"])
            for key in cache.scan_iter(report_cache.PREFIX + "*"):
                cache.delete(key)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def app_token(app) -> str:
    return make_account("app")[1]


@pytest.fixture
def admin_token(app) -> str:
    return make_account("admin")[1]


@pytest.fixture
def api(client, app_token):
    """The client as a mobile app: ``api.post(path, json=…)`` with the app's token."""
    return TokenClient(client, app_token)


@pytest.fixture
def client_as(client):
    """``client_as("official", region_code="360700")``: a client holding a new account's token."""

    def make(role: str, **scope) -> TokenClient:
        return TokenClient(client, make_account(role, **scope)[1])

    return make


@pytest.fixture
def own_redis(tmp_path):
    if shutil.which("redis-server") is None:
        require_service("redis-server", None)
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


@pytest.fixture
def official(app):
    """An official of 赣州 with a password: (name, account)."""
    account, _ = make_account("official", region_code="360700")
    accounts.set_password(account, PASSWORD)
    return account.name, account


@pytest.fixture
def signed_in(client, official):
    assert sign_in(client, official[0]).status_code == 302
    return client


@pytest.fixture
def analyst(app, client):
    """A client signed in as an analyst of the province."""
    account, _ = make_account("analyst")
    accounts.set_password(account, PASSWORD)
    assert sign_in(client, account.name).status_code == 302
    return client


#: End to end, and minutes of the run between them: fuzzing every operation, real gunicorn
#: and browser runs, killed services, cross-validation on the development sets, training.
#: ``make test-fast`` (``-m "not slow"``) leaves them out; ``make test`` and CI run them all.
SLOW_MODULES = (
    "tests/analytics/hot_issues/test_hot_issue_dev.py",
    "tests/analytics/replies/test_reply_dev.py",
    "tests/analytics/sentiment/test_sentiment_dev.py",
    "tests/analytics/themes/test_theme_dev.py",
    "tests/browser/",
    "tests/service/platform/test_faults.py",
    "tests/service/test_fuzzing.py",
    "tests/service/platform/test_scale_out.py",
    "tests/service/scoring/test_sentiment_training.py",
    "tests/service/platform/test_slow_clients.py",
)


def pytest_collection_modifyitems(config, items) -> None:
    root = Path(config.rootpath)
    for item in items:
        if item.path.relative_to(root).as_posix().startswith(SLOW_MODULES):
            item.add_marker(pytest.mark.slow)


def pytest_terminal_summary(terminalreporter) -> None:
    """How many cases the fuzzing sent, and where the dashboard's screenshots are, if they
    ran."""
    if SCREENSHOTS.exists() and any(SCREENSHOTS.glob("*.png")):
        terminalreporter.write_line(f"dashboard screenshots: {SCREENSHOTS.resolve()}")
    fuzzing = sys.modules.get("tests.service.test_fuzzing")
    if fuzzing is not None and fuzzing.SENT:
        counts = ", ".join(f"{n:,} {mode}" for mode, n in sorted(fuzzing.SENT.items()))
        terminalreporter.write_line(
            f"fuzzing: {sum(fuzzing.SENT.values()):,} generated cases sent ({counts})"
        )
        created = ", ".join(f"{n:,} by {call}" for call, n in sorted(fuzzing.CREATED.items()))
        terminalreporter.write_line(f"fuzzing: created (201) {created or 'nothing'}")
