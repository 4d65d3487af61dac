"""``flask settings``: the settings in effect, as this process read them, with what each means;
secrets hidden, so that the output can be pasted into a ticket."""

from __future__ import annotations

import click
from flask import current_app

from service.platform.config import described, read_server_settings


@click.command("settings")
@click.option("--no-docs", is_flag=True, help="Names and values only, one NAME=value a line.")
def settings(no_docs: bool) -> None:
    """Print every setting's effective value (the environment's, or the default) and what it
    means; gunicorn's last. A value the app cannot start with has stopped this command already,
    with its name."""
    for name, value, doc in described(current_app.config, read_server_settings()):
        if not no_docs:
            click.echo(f"# {doc}")
        click.echo(f"{name}={value}")
