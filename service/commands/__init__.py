"""Every ``flask --app wsgi …`` command: thin wrappers that parse options, call the domain
modules of ``service`` and print. Nothing else in ``service`` imports this package; it may
import any of them (service/__init__.py registers the commands on the app)."""

from __future__ import annotations

from flask import Flask

from service.commands.accounts import accounts
from service.commands.backups import backup, restore
from service.commands.demo import demo
from service.commands.figures import alerts, facts, report
from service.commands.imports import imports
from service.commands.maintenance import purge_idempotency, relink_repeats, rescore
from service.commands.queue import sweep, worker
from service.commands.sentiment import sentiment
from service.commands.settings import settings
from service.commands.themes import themes
from service.platform.migrations import migration_commands


def register_commands(app: Flask) -> None:
    for command in (
        accounts, purge_idempotency, relink_repeats, rescore, worker, sweep, facts, report,
        alerts, migration_commands, themes, sentiment, imports, demo, settings, backup, restore,
    ):  # fmt: skip
        app.cli.add_command(command)
