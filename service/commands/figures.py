"""``flask facts rebuild``, ``flask report`` and ``flask alerts scan``: the figures, the theme
report and the spike alerts, for a day or period named on the command line."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import click
from flask.cli import AppGroup

from analytics.kpis import FIRST_DAY, LAST_DAY, PERIODS, reportable
from analytics.workdays import SHANGHAI
from service import store
from service.reporting import alerts as alert_service
from service.reporting import figures, reports
from service.reporting.reply_report import reply_report, reply_report_file
from service.store.scopes import Scope

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


def _report_options(command):
    """--region, --period, --date, --format, --output: what every report command takes."""
    for option in reversed((
        click.option("--region", default="360000", show_default=True, help="A region code."),
        click.option("--period", type=click.Choice(PERIODS), default="month",
                     show_default=True),
        click.option(
            "--date", "when",
            help="A day of the period, from 2000 to 2099: 2026-10-15; for a month or quarter "
            "also a month, 2026-10 (its first day); for a year also the year, 2026.",
        ),
        click.option("--format", "fmt", type=click.Choice(["json", "csv", "xlsx"]),
                     default="xlsx", show_default=True),
        click.option("--output", type=click.Path(dir_okay=False, path_type=Path)),
    )):  # fmt: skip
        command = option(command)
    return command


def _report_day(region: str, period: str, when: str | None, output: Path | None) -> date:
    """The day a report is of, its options checked (a usage error, exit 2, naming the one
    at fault)."""
    if when is None or output is None:
        raise click.UsageError("a report needs --date and --output")
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
    return day


def _write(output: Path, body: dict, fmt: str, as_file) -> None:
    try:
        if fmt == "json":
            output.write_text(json.dumps(body, ensure_ascii=False, indent=2, default=str), "utf-8")
        else:
            output.write_bytes(as_file(body, fmt)[0])
    except OSError as error:
        raise click.FileError(str(output), hint=error.strerror or str(error)) from None


@click.group("report", cls=AppGroup, invoke_without_command=True)
@_report_options
@click.option("--theme", help="Drill into the themes under this one.")
@click.pass_context
def report(context, region, period, when, fmt, output, theme) -> None:
    """Write the theme report of a region and period to a file (with --date and --output), or
    with `report replies`, the replies report: for scheduled runs (cron or a container
    scheduler)."""
    if context.invoked_subcommand is not None:
        return
    day = _report_day(region, period, when, output)
    known = store.taxonomy.fetch_taxonomy(with_retired=True, knowing=[theme])
    if theme and known.get(theme) is None:
        raise click.BadParameter(f"no theme has the code {theme}", param_hint="'--theme'")
    body = reports.theme_report(region, period, day, theme)
    _write(output, body, fmt, reports.theme_report_file)
    click.echo(f"{output}: {body['messages']} messages, {len(body['themes'])} themes")


@report.command("replies")
@_report_options
def report_replies(region, period, when, fmt, output) -> None:
    """Write the replies report (答复质量) of a region and period to a file, as the province
    reads it: every department of the region, its worst replies masked."""
    day = _report_day(region, period, when, output)
    province = Scope(sees_originals=False, region_codes=None, department_id=None)
    body = reply_report(province, region, period, day, datetime.now(UTC))
    _write(output, body, fmt, reply_report_file)
    replies = body["figures"]["reply_quality_mean"]["replies"]
    click.echo(f"{output}: {replies} replies, {len(body['by_department'])} departments")


alerts = AppGroup("alerts", help="Spike alerts.")


@alerts.command("scan")
@click.option("--date", "day", type=ReportDay(), help="Default: yesterday.")
def scan_alerts(day: date | None) -> None:
    """Raise the spike alerts of a day (Asia/Shanghai; run daily, after midnight)."""
    when = day or datetime.now(UTC).astimezone(SHANGHAI).date() - timedelta(1)
    click.echo(f"{when}: {alert_service.scan(when)} new alerts")
