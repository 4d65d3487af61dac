"""`make backup` and `make restore`: the database to a file and back, into an empty database
(a new machine) and over a changed one, on SQLite and on PostgreSQL."""

import os
import subprocess
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, make_url, text

from service.extensions import db
from tests.support import ROOT, message_body


@contextmanager
def empty_database(database_uri: str, tmp_path: Path):
    """A database beside the session's, with nothing in it."""
    url = make_url(database_uri)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"{url.database}_restored_{os.urandom(3).hex()}"
    server = create_engine(url, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


def make(target: str, database: str, backup: Path) -> str:
    """`make <target> BACKUP=…` as an operator runs it (the virtualenv taken as installed)."""
    done = subprocess.run(
        ["make", "--no-print-directory", "-o", "install", target, f"BACKUP={backup}"],
        cwd=ROOT, env={**os.environ, "DATABASE_URL": database, "LOG_LEVEL": "WARNING"},
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def tracking_codes(database: str) -> list[str]:
    engine = create_engine(database)
    try:
        with engine.connect() as connection:
            query = text("SELECT tracking_code FROM messages ORDER BY id")
            return list(connection.execute(query).scalars())
    finally:
        engine.dispose()


def test_a_backup_restores_into_an_empty_database_and_over_a_changed_one(
    app, api, database_uri, tmp_path
):
    posted = [api.post("/api/v1/messages", json=message_body()).get_json() for _ in range(3)]
    db.session.remove()
    backup = tmp_path / "minsheng.dump"
    assert str(backup) in make("backup", database_uri, backup)
    assert backup.stat().st_size > 0

    with empty_database(database_uri, tmp_path) as restored:
        make("restore", restored, backup)
        assert tracking_codes(restored) == [m["tracking_code"] for m in posted]
        engine = create_engine(restored)
        with engine.begin() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version"))
            assert version.scalar() is not None  # the schema's version came along
            connection.execute(text("DELETE FROM message_events"))
            connection.execute(text("DELETE FROM messages"))
        engine.dispose()
        assert tracking_codes(restored) == []
        make("restore", restored, backup)  # over what changed since
        assert tracking_codes(restored) == [m["tracking_code"] for m in posted]


def test_restore_asks_which_backup():
    done = subprocess.run(["make", "--no-print-directory", "-o", "install", "restore"],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 2 and "make restore BACKUP=<file>" in done.stdout
