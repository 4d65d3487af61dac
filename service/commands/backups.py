"""``flask backup`` and ``flask restore``: the database to a file and back (``make backup``,
``make restore``). PostgreSQL through its own tools, pg_dump's custom format (compressed; any
table can be restored alone) and pg_restore; SQLite through its online backup, which copies a
database in use consistently. The trained models under MODEL_DIR are files: back them up
with the folder."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from sqlalchemy.engine import make_url

from service.extensions import db


def _database() -> tuple[str, str, str | None]:
    """The database's kind (postgresql, sqlite), what its tools take (a libpq URL, or the
    SQLite file's path) and the password, which they are given in their environment: not on
    a command line, which every user of the machine can read."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    kind = url.get_backend_name()
    if kind == "sqlite":
        return kind, url.database or "", None
    address = url.set(drivername="postgresql", password=None)
    return kind, address.render_as_string(), url.password


def _sqlite_copy(source: str | Path, target: str | Path) -> None:
    """SQLite's online backup: consistent while another process writes."""
    with closing(sqlite3.connect(source)) as origin, closing(sqlite3.connect(target)) as copy:
        origin.backup(copy)


def _run(command: list[str], password: str | None) -> None:
    env = {**os.environ, **({"PGPASSWORD": password} if password else {})}
    done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise click.ClickException(f"{command[0]} failed: {done.stderr.strip()}")


@click.command("backup")
@click.option(
    "--to", "target", type=click.Path(dir_okay=False, path_type=Path),
    help="The file to write; default: backups/minsheng-<UTC time>.dump (.sqlite for SQLite).",
)  # fmt: skip
def backup(target: Path | None) -> None:
    """Copy the whole database, schema and data, to a file while the service runs."""
    kind, where, password = _database()
    if target is None:
        moment = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        target = Path("backups") / f"minsheng-{moment}.{'sqlite' if kind == 'sqlite' else 'dump'}"
    target.parent.mkdir(parents=True, exist_ok=True)
    if kind == "sqlite":
        _sqlite_copy(where, target)
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={target}", where], password)
    click.echo(str(target))


@click.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database's contents: no question asked.")
def restore(source: Path, yes: bool) -> None:
    """Replace the database's schema and data with a backup's (stop the web processes and
    workers first). Then `flask db upgrade` brings an older backup's schema up to date."""
    kind, where, password = _database()
    if not yes:
        click.confirm(f"Replace every table of {kind} database with {source}?", abort=True)
    db.engine.dispose()  # no connection of ours holds a table the restore drops
    if kind == "sqlite":
        _sqlite_copy(source, where)
    else:
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={where}", str(source)], password)  # fmt: skip
    click.echo(f"restored {source}")
