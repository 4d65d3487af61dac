"""A fresh, migrated PostgreSQL database for a benchmark run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]


def fresh_database(url: str) -> None:
    """Drop and re-create the database of ``url`` (a SQLAlchemy URL), then migrate it."""
    plain = url.replace("+psycopg", "")
    name = plain.rsplit("/", 1)[1]
    with psycopg.connect(plain.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": url, "LOG_LEVEL": "WARNING"}
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip


def analyze(url: str) -> None:
    """Refresh the planner's statistics of the database of ``url``, as autovacuum would on a
    server soon after a load phase's thousands of rows. CI's PostgreSQL runs without
    autovacuum: unanalyzed, a table grown from empty keeps the planner's guess that it is tiny,
    and the repeat check's lookup by citizen was planned as a scan of the day's messages
    (intake fell from 460 to 130 messages/s over a minute's load)."""
    with psycopg.connect(url.replace("+psycopg", ""), autocommit=True) as connection:
        connection.execute("ANALYZE")
