"""Flask commands: ``flask --app wsgi accounts …``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from service import store
from service.auth import APP, ROLES
from service.schema import migration_commands

accounts = AppGroup("accounts", help="Create, list and revoke API accounts.")

DEMO_ACCOUNT = "demo-app"


def _account_name(ctx: click.Context, param: click.Parameter, value: str) -> str:
    name = value.strip()
    if not 1 <= len(name) <= 100:
        raise click.BadParameter("1–100 characters, not blank.")
    return name


@accounts.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--name", required=True, callback=_account_name, help="Unique, e.g. ganfutong-android."
)
@click.option("--expires-in-days", type=click.IntRange(min=1), help="Default: never expires.")
def create_account(role: str, name: str, expires_in_days: int | None) -> None:
    """Create an account and print its token (last line): it is shown only this once."""
    if store.accounts.fetch_account_by_name(name):
        raise click.ClickException(f"An account named {name!r} exists already.")
    expires_at = datetime.now(UTC) + timedelta(days=expires_in_days) if expires_in_days else None
    account, token = store.accounts.create_account(name, role, expires_at)
    click.echo(f"Created account {account.id} {name!r} with role {role}. Its token:", err=True)
    click.echo(token)


@accounts.command("list")
def list_accounts() -> None:
    """List accounts; tokens are never shown again."""
    for a in store.accounts.fetch_accounts():
        state = (
            "revoked"
            if a.revoked_at
            else f"expires {a.expires_at:%Y-%m-%d}"
            if a.expires_at
            else "active"
        )
        click.echo(f"{a.id}\t{a.name}\t{a.role}\t{state}\tcreated {a.created_at:%Y-%m-%d}")


@accounts.command("revoke")
@click.argument("name")
def revoke_account(name: str) -> None:
    """Revoke an account's token at once."""
    account = store.accounts.fetch_account_by_name(name)
    if account is None:
        raise click.ClickException(f"No account is named {name!r}.")
    if account.revoked_at is not None:
        click.echo(f"{name!r} was revoked already, on {account.revoked_at:%Y-%m-%d %H:%M}.")
        return
    store.accounts.revoke_account(account)
    click.echo(f"Revoked {name!r}.")


@accounts.command("demo")
def demo_account() -> None:
    """Create the demo app account on first start and print its token; later starts say so."""
    if store.accounts.fetch_account_by_name(DEMO_ACCOUNT):
        click.echo(
            f"The demo account {DEMO_ACCOUNT!r} exists; its token was printed on first start. "
            "Make another with: flask --app wsgi accounts create --role app --name NAME"
        )
        return
    _, token = store.accounts.create_account(DEMO_ACCOUNT, APP)
    click.echo(f"Demo app token (shown once): {token}")


@click.command("purge-idempotency")
def purge_idempotency() -> None:
    """Delete Idempotency-Key answers older than IDEMPOTENCY_TTL_HOURS (run daily)."""
    ttl = timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
    click.echo(f"Deleted {store.idempotency.purge_expired_answers(ttl)} expired answers.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(accounts)
    app.cli.add_command(purge_idempotency)
    app.cli.add_command(migration_commands)
