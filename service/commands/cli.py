"""Flask commands: ``flask --app wsgi accounts …``, ``purge-idempotency``, ``facts rebuild``,
``report``, ``alerts scan``, ``rescore``, ``worker``, ``sweep``, ``themes …``, ``sentiment …``,
``import messages`` and ``db …``."""

from __future__ import annotations

import json
import logging
import os
import re
import secrets
import sys
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from analytics.kpis import FIRST_DAY, LAST_DAY, PERIODS, reportable
from analytics.workdays import SHANGHAI
from service import accounts as account_service
from service import alerts as alert_service
from service import figures, repeats, reports, rescoring, scoring, scoring_queue, store
from service.auth import APP, OFFICIAL, ROLES
from service.commands.demo import demo
from service.commands.files import recount_marked_days
from service.commands.imports import imports
from service.commands.sentiment import sentiment
from service.commands.themes import themes
from service.migrations import migration_commands

log = logging.getLogger(__name__)

accounts = AppGroup("accounts", help="Create, list and revoke API accounts.")

DEMO_ACCOUNT = "demo-app"
DEMO_OFFICIALS = {"demo-province": "360000", "demo-ganzhou": "360700"}
#: The most days one `facts rebuild` recounts: a year (at a million messages, about a minute
#: and a half); a longer history is rebuilt year by year.
REBUILD_LONGEST = 366
#: What `report --date` takes: a day, and for a longer period also its month or its year:
#: (what it is, its pattern, the first day it names).
DATE_FORMATS = {
    "YYYY-MM-DD": ("a day", re.compile(r"\d{4}-\d{2}-\d{2}"), "{}"),
    "YYYY-MM": ("a month", re.compile(r"\d{4}-\d{2}"), "{}-01"),
    "YYYY": ("a year", re.compile(r"\d{4}"), "{}-01-01"),
}
PERIOD_DATES = {
    "day": ("YYYY-MM-DD",),
    "week": ("YYYY-MM-DD",),
    "month": ("YYYY-MM-DD", "YYYY-MM"),
    "quarter": ("YYYY-MM-DD", "YYYY-MM"),
    "year": ("YYYY-MM-DD", "YYYY-MM", "YYYY"),
}


class ReportDay(click.ParamType):
    """A day as YYYY-MM-DD that a report can be about (analytics.kpis.reportable): a day
    beyond could not be recounted or scanned (its periods overflow the calendar)."""

    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx) -> date:
        if isinstance(value, date):
            return value
        try:
            day = _parsed_day(value, ("YYYY-MM-DD",))
        except ValueError as error:
            self.fail(str(error), param, ctx)
        if day is None:
            self.fail(f"{_takes(('YYYY-MM-DD',))}, not {value!r}.", param, ctx)
        return day


def _parsed_day(text: str, formats: tuple[str, ...]) -> date | None:
    """The (first) day ``text`` names in one of ``formats`` (keys of DATE_FORMATS), if a
    report can be about it, else ValueError saying why; None if it is in none of them."""
    for name in formats:
        _, pattern, as_day = DATE_FORMATS[name]
        if pattern.fullmatch(text):
            try:
                day = date.fromisoformat(as_day.format(text))
            except ValueError:
                raise ValueError(f"{text!r} is no date.") from None
            if not reportable(day):
                raise ValueError(f"{text!r} is not from {FIRST_DAY} to {LAST_DAY}.")
            return day
    return None


def _takes(formats: tuple[str, ...]) -> str:
    """'a day (YYYY-MM-DD) or a month (YYYY-MM)'"""
    return " or ".join(f"{DATE_FORMATS[name][0]} ({name})" for name in formats)


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


facts = AppGroup("facts", help="The per-day facts the figures and reports are summed from.")


@facts.command("rebuild")
@click.option("--from", "first", required=True, type=ReportDay(), help="From 2000-01-01.")
@click.option(
    "--to",
    "last",
    required=True,
    type=ReportDay(),
    help=f"To 2099-12-31, at most {REBUILD_LONGEST} days after --from.",
)
def rebuild_facts(first: date, last: date) -> None:
    """Recount the rating, message and theme facts of every day from --from to --to (both
    included, Asia/Shanghai days) from the rows themselves: a year at most a run (run it
    year by year for a longer history)."""
    if last < first:
        raise click.BadParameter("comes before --from", param_hint="'--to'")
    if (last - first).days >= REBUILD_LONGEST:
        raise click.BadParameter(
            f"at most {REBUILD_LONGEST} days from --from; rebuild a longer history year by year",
            param_hint="'--to'",
        )
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    with click.progressbar(length=len(days), label=f"{len(days)} days") as bar:
        for start in range(0, len(days), 31):
            month = days[start : start + 31]
            store.facts.mark_for_recount(month)
            figures.recount_now()  # whatever another process's recent recount claims
            bar.update(len(month))
    click.echo(f"recounted {len(days)} days")


@click.command("report")
@click.option("--region", default="360000", show_default=True, help="A region code.")
@click.option("--period", type=click.Choice(PERIODS), default="month", show_default=True)
@click.option(
    "--date",
    "when",
    required=True,
    help="A day of the period, from 2000 to 2099: 2026-10-15; for a month or quarter also a "
    "month, 2026-10 (its first day); for a year also the year, 2026.",
)
@click.option("--theme", help="Drill into the themes under this one.")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]), default="xlsx", show_default=True
)
@click.option("--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
def report(region, period, when, theme, fmt, output) -> None:
    """Write the theme report of a region and period to a file: for scheduled runs (cron or a
    container scheduler)."""
    try:
        day = _parsed_day(when, PERIOD_DATES[period])
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="'--date'") from None
    if day is None:
        takes = _takes(PERIOD_DATES[period])
        message = f"a {period}'s report takes {takes}, not {when!r}."
        raise click.BadParameter(message, param_hint="'--date'")
    if not output.parent.is_dir():
        raise click.BadParameter(f"no folder {str(output.parent)!r}", param_hint="'--output'")
    if store.reference.fetch_region_index().get(region) is None:
        raise click.BadParameter(f"no region has the code {region}", param_hint="'--region'")
    known = store.themes.fetch_taxonomy(with_retired=True, knowing=[theme])
    if theme and known.get(theme) is None:
        raise click.BadParameter(f"no theme has the code {theme}", param_hint="'--theme'")
    body = reports.theme_report(region, period, day, theme)
    try:
        if fmt == "json":
            output.write_text(json.dumps(body, ensure_ascii=False, indent=2, default=str), "utf-8")
        else:
            output.write_bytes(reports.theme_report_file(body, fmt)[0])
    except OSError as error:
        raise click.FileError(str(output), hint=error.strerror or str(error)) from None
    click.echo(f"{output}: {body['messages']} messages, {len(body['themes'])} themes")


alerts = AppGroup("alerts", help="Spike alerts.")


@alerts.command("scan")
@click.option("--date", "day", type=ReportDay(), help="Default: yesterday.")
def scan_alerts(day: date | None) -> None:
    """Raise the spike alerts of a day (Asia/Shanghai; run daily, after midnight)."""
    when = day or datetime.now(UTC).astimezone(SHANGHAI).date() - timedelta(1)
    click.echo(f"{when}: {alert_service.scan(when)} new alerts")


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker(burst: bool) -> None:
    """Run the jobs queued on Redis in queue mode, scoring and the reports' keywords and hot
    issues in turns; every SWEEP_INTERVAL_SECONDS, the sweeper, and with FACTS_MAX_AGE_SECONDS,
    the facts' recount. Run several, on as many machines as you like; each takes jobs one at
    a time."""
    import redis
    from rq import Queue
    from rq.worker import DequeueStrategy

    from service.worker import Worker

    config = current_app.config
    if not config["REDIS_URL"]:
        raise click.UsageError("REDIS_URL is not set: there is no queue to work on")
    scoring.current()  # the models, loaded once before the first job
    app = current_app._get_current_object()
    stop = threading.Event()

    def every(seconds: int, task) -> None:
        while not stop.wait(seconds):
            with app.app_context():
                try:
                    task()
                except Exception:  # tried again next interval
                    log.exception("%s failed", task.__name__)

    click.echo(f"swept: {scoring_queue.sweep()}")
    store.end_job()  # the sweep's reads: no transaction left open while the worker waits
    tasks = [(config["SWEEP_INTERVAL_SECONDS"], scoring_queue.sweep)]
    if config["FACTS_MAX_AGE_SECONDS"]:
        tasks.append((config["FACTS_MAX_AGE_SECONDS"], figures.keep_facts_fresh))
    for seconds, task in tasks:
        thread = threading.Thread(target=every, args=(seconds, task), daemon=True)
        thread.start()
    # no socket timeout: the worker blocks on the queue for longer than the web's half second
    connection = redis.Redis.from_url(config["REDIS_URL"])
    names = ("SCORING_QUEUE", "REPORT_QUEUE")
    queues = [Queue(config[name], connection=connection) for name in names]
    try:
        # in turns: under a steady stream of posts the scoring queue is never empty, and a
        # worker that took reports only then would leave them waiting forever
        Worker(queues, connection=connection).work(
            burst=burst, with_scheduler=False, dequeue_strategy=DequeueStrategy.ROUND_ROBIN
        )
    finally:
        stop.set()


@click.command("sweep")
def sweep() -> None:
    """Enqueue again the ratings and messages still unscored after SWEEP_AFTER_SECONDS (their
    job was lost with Redis or a worker); with Redis down, score them here."""
    click.echo(json.dumps(scoring_queue.sweep()))


@click.command("rescore")
@click.option("--batch-size", default=500, show_default=True, help="Rows per transaction.")
@click.option(
    "--sentiment", "sentiment_only", is_flag=True,
    help="Only the sentiment of ratings and messages; themes stay as they are.",
)  # fmt: skip
def rescore(batch_size: int, sentiment_only: bool) -> None:
    """Re-score and re-classify the stored texts an older model scored: after `sentiment train`
    or `themes train`, or an upgrade that ships a new model. Resumable: run it again after a
    stop and it carries on."""
    ratings, messages = rescoring.count_stale(with_themes=not sentiment_only)
    with click.progressbar(length=ratings, label=f"ratings ({ratings})") as bar:
        rescoring.rescore_ratings(batch_size, bar.update)
    with click.progressbar(length=messages, label=f"messages ({messages})") as bar:
        rescoring.rescore_messages(batch_size, bar.update, themes=not sentiment_only)
    click.echo(f"re-scored {ratings} ratings and {messages} messages")
    recount_marked_days()


@click.command("purge-idempotency")
def purge_idempotency() -> None:
    """Delete Idempotency-Key answers older than IDEMPOTENCY_TTL_HOURS (run daily)."""
    ttl = timedelta(hours=current_app.config["IDEMPOTENCY_TTL_HOURS"])
    click.echo(f"Deleted {store.idempotency.purge_expired_answers(ttl)} expired answers.")


@click.command("relink-repeats")
def relink_repeats() -> None:
    """Once, after upgrading: link again by the rule of one region the repeats (重复件) linked
    to a message of another region, so that each counts, and is chased, in its own region."""
    click.echo(f"Linked {repeats.relink_across_regions()} repeats again.")


def register_commands(app: Flask) -> None:
    app.cli.add_command(accounts)
    app.cli.add_command(purge_idempotency)
    app.cli.add_command(relink_repeats)
    app.cli.add_command(rescore)
    app.cli.add_command(worker)
    app.cli.add_command(sweep)
    app.cli.add_command(facts)
    app.cli.add_command(report)
    app.cli.add_command(alerts)
    app.cli.add_command(migration_commands)
    app.cli.add_command(themes)
    app.cli.add_command(sentiment)
    app.cli.add_command(imports)
    app.cli.add_command(demo)
