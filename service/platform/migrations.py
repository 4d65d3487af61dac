"""The schema's one path: the Alembic migrations in ``migrations/``, run by Flask-Migrate.

Flask-Migrate is attached only when a ``flask db`` command runs (or a test migrates): Alembic
costs each process 11 MB, and a web worker never migrates.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app, g

from service.extensions import db

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


def attach_migrations(app: Flask) -> None:
    """Give ``app`` Flask-Migrate's configuration; idempotent."""
    if "migrate" not in app.extensions:
        from flask_migrate import Migrate

        Migrate(app, db, directory=str(MIGRATIONS))


def upgrade_database(app: Flask) -> None:
    """Apply every migration not yet applied (``flask db upgrade``)."""
    from flask_migrate import upgrade

    attach_migrations(app)
    with app.app_context():
        upgrade()


class MigrationCommands(click.Group):
    """``flask db …``: Flask-Migrate's command group, imported on first use."""

    def _commands(self) -> click.Group:
        from flask_migrate.cli import db as commands

        attach_migrations(current_app._get_current_object())
        return commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return self._commands().list_commands(ctx)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return self._commands().get_command(ctx, name)


@click.group("db", cls=MigrationCommands)
@click.option("-d", "--directory", default=None, help="Migration scripts (default: migrations/).")
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments for env.py.")
def migration_commands(directory: str | None, x_arg: tuple[str, ...]) -> None:
    """Database migrations (Flask-Migrate)."""
    g.directory, g.x_arg = directory, x_arg  # as flask_migrate.cli.db does: its commands read g
