"""``flask accounts …``: create, list and revoke API accounts, set dashboard passwords, and
the demo accounts of a first start."""

from __future__ import annotations

import os
import secrets
import sys
from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup

from analytics.kpis import LAST_DAY
from analytics.workdays import SHANGHAI
from service import store
from service.access import accounts as account_service
from service.access.auth import APP, OFFICIAL, ROLES

accounts = AppGroup("accounts", help="Create, list and revoke API accounts.")

DEMO_ACCOUNT = "demo-app"
DEMO_OFFICIALS = {"demo-province": "360000", "demo-ganzhou": "360700"}


@accounts.command("create")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", required=True, help="Unique, e.g. ganfutong-android or gz-rsj-wang.")
@click.option("--region", help="Region code: an official's or analyst's scope (analyst: 360000).")
@click.option("--department", help="Department code: a handler's scope.")
@click.option("--expires-in-days", type=click.IntRange(min=1), help="Default: never expires.")
@click.option("--password", is_flag=True, help="Ask for a dashboard password (officials, analysts)")
def create_account(
    role: str,
    name: str,
    region: str | None,
    department: str | None,
    expires_in_days: int | None,
    password: bool,
) -> None:
    """Create an account and print its token (last line): it is shown only this once."""
    now = datetime.now(UTC)
    if expires_in_days and expires_in_days > (LAST_DAY - now.astimezone(SHANGHAI).date()).days:
        raise click.BadParameter(
            f"it would expire after {LAST_DAY}", param_hint="'--expires-in-days'"
        )
    expires_at = now + timedelta(days=expires_in_days) if expires_in_days else None
    if password and role not in account_service.DASHBOARD_ROLES:
        raise click.BadParameter(f"The {role} role does not sign in.", param_hint="'--password'")
    chosen = _ask_password() if password else None
    try:
        account, token = account_service.open_account(
            name, role, region_code=region, department_code=department, expires_at=expires_at
        )
        if chosen is not None:
            account_service.set_password(account, chosen)
    except account_service.AccountRefused as refusal:
        raise _bad_parameter(refusal) from None
    click.echo(
        f"Created account {account.id} {account.name!r}, {_scope(account)}. Its token:", err=True
    )
    click.echo(token)


@accounts.command("set-password")
@click.argument("name")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from the first line of standard input, for scripts.",
)
@click.option(
    "--password-env",
    metavar="VARIABLE",
    help="Read the password from this environment variable, for scripts.",
)
def set_password(name: str, password_stdin: bool, password_env: str | None) -> None:
    """Set an official's or analyst's password for the dashboard (asked twice, not echoed).

    A script passes it on standard input (``--password-stdin``, as ``docker login`` does) or
    in an environment variable it names (``--password-env``); never as an argument, which
    every user of the machine can read in the process list and the shell's history."""
    if password_stdin and password_env:
        raise click.UsageError("Give --password-stdin or --password-env, not both.")
    account = _account_named(name)
    if account.role not in account_service.DASHBOARD_ROLES:  # before asking for a password
        raise click.BadParameter(
            f"{name!r} is a{'n' if account.role[0] in 'aeiou' else ''} {account.role} account: "
            "only officials and analysts sign in to the dashboard.",
            param_hint="'NAME'",
        )
    if password_stdin:
        password = _password_from_stdin()
    elif password_env:
        password = _password_from_environment(password_env)
    else:
        password = _ask_password()
    try:
        account_service.set_password(account, password)
    except account_service.AccountRefused as refusal:
        raise _bad_parameter(refusal, password="password") from None
    click.echo(f"Set the password of {name!r}.")


def _password_from_stdin() -> str:
    """The first line of standard input, without its line ending (a password may hold
    spaces, so nothing else is stripped)."""
    line = sys.stdin.readline()
    password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise click.BadParameter("Standard input holds no password.", param_hint="'password'")
    return password


def _password_from_environment(variable: str) -> str:
    password = os.environ.get(variable, "")
    if not password:
        raise click.BadParameter(
            f"The environment variable {variable} is not set or empty.",
            param_hint="'--password-env'",
        )
    return password


def _account_named(name: str):
    account = store.accounts.fetch_account_by_name(name)
    if account is None:
        raise click.ClickException(f"No account is named {name!r}.")
    return account


def _ask_password() -> str:
    return click.prompt(
        f"Password (at least {account_service.MIN_PASSWORD_LENGTH} characters)",
        hide_input=True,
        confirmation_prompt=True,
    )


def _bad_parameter(refusal: account_service.AccountRefused, **hints: str) -> click.BadParameter:
    """The refusal as a click error naming the option at fault (``hints``: a field that is
    not an option of the command, by name)."""
    option = {"region_code": "--region", "department_code": "--department", **hints}.get(
        refusal.field, f"--{refusal.field}"
    )
    return click.BadParameter(refusal.message, param_hint=f"'{option}'")


def _scope(account) -> str:
    if account.department is not None:
        return f"{account.role} of {account.department.code}"
    return f"{account.role} of {account.region_code}" if account.region_code else account.role


@accounts.command("list")
def list_accounts() -> None:
    """List accounts; tokens are never shown again."""
    for a in store.accounts.fetch_accounts()[0]:
        if a.revoked_at:
            state = "revoked"
        elif a.expires_at:
            state = f"expires {a.expires_at:%Y-%m-%d}"
        else:
            state = "active"
        click.echo(f"{a.id}\t{a.name}\t{_scope(a)}\t{state}\tcreated {a.created_at:%Y-%m-%d}")


@accounts.command("revoke")
@click.argument("name")
def revoke_account(name: str) -> None:
    """Revoke an account's token at once."""
    account = _account_named(name)
    if account_service.revoke(account):
        click.echo(f"Revoked {name!r}.")
    else:
        click.echo(f"{name!r} was revoked already, on {account.revoked_at:%Y-%m-%d %H:%M}.")


@accounts.command("demo")
def demo_account() -> None:
    """Create the demo accounts on first start and print how to use them; later starts say
    so: an app (its token) and two officials for the dashboard, of the province and of 赣州
    (their passwords)."""
    if store.accounts.fetch_account_by_name(DEMO_ACCOUNT):
        click.echo(
            f"Each demo account exists already ({DEMO_ACCOUNT}, {', '.join(DEMO_OFFICIALS)}); "
            "its token or password was printed on first start. Make others with: flask --app "
            "wsgi accounts create --role ROLE --name NAME [--region CODE] [--password]"
        )
        return
    _, token = account_service.open_account(DEMO_ACCOUNT, APP)
    click.echo(f"Demo app token (shown once): {token}")
    for name, region in DEMO_OFFICIALS.items():
        account, _ = account_service.open_account(name, OFFICIAL, region_code=region)
        password = secrets.token_urlsafe(9)
        account_service.set_password(account, password)
        click.echo(f"Dashboard sign-in (/dashboard): {name} / {password} ({region})")
